"""The embeddable widget under /embed/: framed only by the listed sites, no cookies (the private
token is in every address), the same pages, answers and results as the site, the same
refusals of bad input, and the setting that lists the sites checked."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone
from web_helpers import TAMPERED_FORMS, Visitor, form_answer, form_fields, plain_answer

from heelcheck.engine import Interview, KnowledgeBase
from heelcheck.vignettes import respond
from heelcheck.web.assessments.models import Assessment, hash_token
from heelcheck.web.origins import parse_origins

Vignettes = dict[str, dict[str, Any]]
CLINIC = "https://clinic.example.org"
LOCAL = "http://localhost:8080"


@dataclass
class Widget:
    """Someone taking the evaluation in another site's iframe: no cookie ever comes back, so
    the client is checked to hold none; the CSRF check is on, as in a real browser."""

    client: Client
    kb: KnowledgeBase
    token: str = ""
    headers_seen: list[Any] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"/embed/a/{self.token}"

    @property
    def assessment(self) -> Assessment:
        found = Assessment.objects.by_token(self.token)
        assert found is not None
        return found

    def request(self, method: str, url: str, data: Any = None, **extra: Any) -> Any:
        extra.setdefault("HTTP_SEC_FETCH_DEST", "iframe")  # what a browser sends from a frame
        response = getattr(self.client, method)(url, data, **extra)
        self.headers_seen.append(response)
        assert not response.cookies, f"{url} set a cookie: {response.cookies}"
        return response

    def get(self, url: str, **extra: Any) -> Any:
        return self.request("get", url, **extra)

    def post(self, url: str, data: Any = None, **extra: Any) -> Any:
        return self.request("post", url, data or {}, **extra)

    def start(self) -> str:
        response = self.post("/embed/start/")
        assert response.status_code == 303, response.status_code
        match = re.fullmatch(r"/embed/a/([\w-]+)/", response["Location"])
        assert match, response["Location"]
        self.token = match.group(1)
        return str(response["Location"])

    def begin(self, respondent: str = "self") -> str:
        """Start, and answer who the check is for: the age question is showing."""
        location = self.start()
        response = self.answer(respondent)
        assert response.status_code == 303, response.content.decode()[:2000]
        return location

    def page(self, url: str | None = None) -> tuple[str, dict[str, str]]:
        response = self.get(url or f"{self.base}/")
        assert response.status_code == 200, (response.status_code, url)
        html = response.content.decode()
        return html, form_fields(html)

    def answer(self, value: Any, url: str | None = None, **extra: Any) -> Any:
        _, fields = self.page(url)
        question = self.kb.questions[fields["question"]]
        return self.post(f"{self.base}/", {**fields, **form_answer(question, value), **extra})

    def take(self, facts: dict[str, Any]) -> str:
        """Answer every question as the vignette's patient would; the result URL."""
        self.start()
        for _ in range(60):
            response = self.get(f"{self.base}/")
            if response.status_code == 303:
                return str(response["Location"])
            html = response.content.decode()
            fields = form_fields(html)
            assert f'action="{self.base}/"' in html
            question = self.kb.questions[fields["question"]]
            value = respond(question, facts, self.kb)
            posted = self.post(f"{self.base}/", {**fields, **form_answer(question, value)})
            assert posted.status_code == 303, posted.content.decode()[:2000]
            assert posted["Location"].startswith(f"{self.base}/"), posted["Location"]
        raise AssertionError("the evaluation never finished")


@pytest.fixture
def widget(db: None, kb: KnowledgeBase) -> Widget:
    return Widget(Client(enforce_csrf_checks=True), kb)


@pytest.fixture
def framed(settings: Any) -> list[str]:
    settings.HEELCHECK_FRAME_ANCESTORS = [CLINIC, LOCAL]
    return [CLINIC, LOCAL]


def frame_ancestors(response: Any) -> str:
    csp = response["Content-Security-Policy"]
    found = re.search(r"frame-ancestors ([^;]+)", csp)
    assert found, csp
    return found.group(1)


def snapshot(assessment: Assessment) -> tuple[Any, ...]:
    assessment.refresh_from_db()
    return (assessment.answers, assessment.revision, assessment.status, assessment.result)


# ---------------------------------------------------------------------- who may frame it
def test_it_lets_no_site_frame_the_widget_by_default(widget: Widget, settings: Any) -> None:
    assert settings.HEELCHECK_FRAME_ANCESTORS == []
    response = widget.get("/embed/")
    assert response.status_code == 200
    assert frame_ancestors(response) == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_it_lets_only_the_listed_sites_frame_every_widget_page(
    widget: Widget, framed: list[str], vignettes: Vignettes
) -> None:
    result = widget.take(vignettes["D001"]["facts"])
    widget.get(result)
    widget.get(f"{widget.base}/delete")
    widget.get(f"{widget.base}/q/age/")
    widget.get("/embed/a/not-a-real-token-at-all-000000000/")  # a problem page
    widget.get("/embed/no/such/page")
    widget.get("/embed/deleted/")
    assert len(widget.headers_seen) > 10
    for response in widget.headers_seen:
        assert frame_ancestors(response) == f"{CLINIC} {LOCAL}", response.status_code
        assert "X-Frame-Options" not in response, response.status_code
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "default-src 'self'" in csp  # still strict
    page = widget.get(result).content.decode()
    assert f'data-embed-parents="{CLINIC} {LOCAL}"' in page


@pytest.mark.parametrize("url", ["/", "/privacy/", "/deleted/", "/no-such-page", "/healthz"])
def test_it_keeps_every_other_page_out_of_frames(
    client: Client, db: None, framed: list[str], url: str
) -> None:
    response = client.get(url)
    assert frame_ancestors(response) == "'none'", url
    assert response["X-Frame-Options"] == "DENY", url


def test_it_keeps_the_sites_own_question_and_result_pages_out_of_frames(
    alice: Visitor, framed: list[str], vignettes: Vignettes
) -> None:
    url = alice.take(vignettes["D001"]["facts"])
    for page in (alice.client.get(url), alice.client.get(f"/a/{alice.assessment_id}/q/age/")):
        assert page.status_code == 200
        assert frame_ancestors(page) == "'none'"
        assert page["X-Frame-Options"] == "DENY"


def test_it_checks_the_listed_sites_when_a_page_is_framed(widget: Widget, settings: Any) -> None:
    settings.HEELCHECK_FRAME_ANCESTORS = ["https://clinic.example.org/page"]
    with pytest.raises(ImproperlyConfigured, match="HEELCHECK_FRAME_ANCESTORS"):
        widget.client.get("/embed/")


# ---------------------------------------------------------------------- the flow
def test_it_takes_a_whole_evaluation_in_the_widget_without_cookies_or_csrf_token(
    widget: Widget, vignettes: Vignettes
) -> None:
    first = widget.start()
    html, fields = widget.page(first)
    assert fields["question"] and fields["revision"] == "0"
    assert "csrfmiddlewaretoken" not in html
    result = widget.take(vignettes["D001"]["facts"])
    assert result == f"{widget.base}/result"
    page = widget.get(result).content.decode()
    main = page.split('<main id="main">', 1)[1]
    assert main.lstrip().startswith('<section class="banner banner-self_care"')  # urgency first
    assert "Your heel pain fits best: Plantar fasciitis" in page
    assert not widget.client.cookies


def test_it_stores_an_embedded_assessment_as_from_the_embed(widget: Widget, vignettes: Vignettes) -> None:
    widget.take(vignettes["D001"]["facts"])
    stored = widget.assessment
    assert stored.source == Assessment.Source.EMBED
    assert stored.status == Assessment.Status.COMPLETE
    assert stored.token == hash_token(widget.token)  # only the hash is kept


def test_it_reaches_the_same_result_as_the_site_and_the_engine(
    widget: Widget, alice: Visitor, kb: KnowledgeBase, vignettes: Vignettes
) -> None:
    facts = vignettes["D030"]["facts"]
    widget.take(facts)
    alice.take(facts)
    embedded, on_site = widget.assessment, alice.assessment
    assert embedded.answers == on_site.answers
    assert embedded.result == on_site.result
    replayed = Interview.from_state(kb, {"version": kb.version, "answers": embedded.answers})
    assert embedded.result == json.loads(json.dumps(replayed.result().to_dict()))
    assert embedded.result is not None and embedded.result["triage"] == "emergency"


def test_it_draws_the_pages_without_the_site_header_but_with_the_disclaimer_and_privacy(
    widget: Widget, vignettes: Vignettes
) -> None:
    pages = [widget.get("/embed/").content.decode()]
    widget.start()
    pages.append(widget.page()[0])
    pages.append(widget.get(widget.take(vignettes["D001"]["facts"])).content.decode())
    for html in pages:
        assert '<header class="top"' not in html
        assert 'class="brand"' not in html
        assert "Not a diagnosis" in html
        assert '<a href="/privacy/" target="_blank" rel="noopener">' in html
        assert "/static/heelcheck/embed-frame.js" in html
        assert "<script>" not in html and " style=" not in html  # nothing inline (CSP)
    assert '<form method="post" action="/embed/start/">' in pages[0]


def test_it_opens_the_private_link_and_print_view_in_a_new_tab(widget: Widget, vignettes: Vignettes) -> None:
    page = widget.get(widget.take(vignettes["D001"]["facts"])).content.decode()
    assert f'value="http://testserver/r/{widget.token}/"' in page
    assert f'<a href="http://testserver/r/{widget.token}/" target="_blank" rel="noopener">' in page
    assert f'<a class="button" href="/r/{widget.token}/print" target="_blank" rel="noopener">' in page
    links = re.findall(r'<a [^>]*href="([^"]+)"([^>]*)>', page)
    for href, rest in links:  # every other link stays inside the widget
        assert href.startswith(("/embed/", "#")) or 'target="_blank"' in rest, href


def test_it_goes_back_and_changes_an_answer_inside_the_widget(widget: Widget) -> None:
    widget.begin()
    widget.answer(38)
    html, fields = widget.page()
    assert f'<a class="back" href="{widget.base}/q/age/">' in html
    second = fields["question"]
    question = widget.kb.questions[second]
    assert widget.answer(plain_answer(question)).status_code == 303
    html, fields = widget.page(f"{widget.base}/q/age/")
    assert 'value="38"' in html and fields["question"] == "age"
    response = widget.answer(45, url=f"{widget.base}/q/age/")
    assert response.status_code == 303
    assert response["Location"] == f"{widget.base}/q/{second}/"  # walks on through the answers
    assert widget.assessment.answers[1] == {"question": "age", "answer": 45}


def test_it_goes_back_from_the_result_and_changes_the_result(widget: Widget, vignettes: Vignettes) -> None:
    result = widget.take(vignettes["D001"]["facts"])
    page = widget.get(result).content.decode()
    last = widget.assessment.answers[-1]["question"]
    assert f'<a class="back" href="{widget.base}/q/{last}/">' in page
    before = widget.assessment.result
    widget.answer(8, url=f"{widget.base}/q/age/")  # a child: the leading cause changes
    after = widget.assessment
    assert after.answers[1] == {"question": "age", "answer": 8}
    assert after.result != before


def test_it_deletes_an_embedded_assessment_after_confirming(widget: Widget, vignettes: Vignettes) -> None:
    result = widget.take(vignettes["D001"]["facts"])
    page = widget.get(f"{widget.base}/delete").content.decode()
    assert f'<form method="post" action="{widget.base}/delete">' in page
    assert f'href="{result}"' in page  # "No, go back"
    refused = widget.post(f"{widget.base}/delete", {})
    assert refused.status_code == 400 and "Nothing was deleted" in refused.content.decode()
    assert Assessment.objects.count() == 1
    done = widget.post(f"{widget.base}/delete", {"confirm": "yes"})
    assert done.status_code == 303 and done["Location"] == "/embed/deleted/"
    assert Assessment.objects.count() == 0
    assert widget.get(done["Location"]).status_code == 200
    gone = widget.get(result)
    assert gone.status_code == 404 and "This link does not work" in gone.content.decode()


def test_it_sends_an_unfinished_assessment_from_the_result_address_to_its_question(widget: Widget) -> None:
    widget.start()
    response = widget.get(f"{widget.base}/result")
    assert response.status_code == 303 and response["Location"] == f"{widget.base}/"


def test_it_keeps_widget_pages_out_of_caches(widget: Widget) -> None:
    widget.start()
    for url in ("/embed/", f"{widget.base}/", f"{widget.base}/delete"):
        assert "no-store" in widget.get(url)["Cache-Control"], url


# ---------------------------------------------------------------------- bad input
@pytest.fixture
def started(widget: Widget) -> Widget:
    """Answered the age, now on the second question."""
    widget.begin()
    widget.answer(38)
    return widget


@pytest.mark.parametrize(("case", "data", "status", "says"), TAMPERED_FORMS)
def test_it_refuses_tampered_fields_with_a_clear_message_and_changes_nothing(
    started: Widget, case: str, data: dict[str, Any], status: int, says: str | None
) -> None:
    before = snapshot(started.assessment)
    response = started.post(f"{started.base}/", data)
    assert response.status_code == status, (case, response.content.decode()[:500])
    page = response.content.decode()
    if says:
        assert says in page, case
    assert "Nothing was changed" in page or 'role="alert"' in page, case
    assert '<header class="top"' not in page, case  # still drawn as the widget
    assert f"{started.base}/" in page, case  # the way forward stays in the widget
    assert snapshot(started.assessment) == before, case


@pytest.mark.parametrize(
    "token",
    ["A" * 32, "short", "x" * 65, "Z" * 43],
)
def test_it_says_a_wrong_token_does_not_work_and_changes_nothing(started: Widget, token: str) -> None:
    before = snapshot(started.assessment)
    for method, url, data in [
        ("get", f"/embed/a/{token}/", None),
        ("post", f"/embed/a/{token}/", {"question": "sex", "revision": "1", "answer": "female"}),
        ("get", f"/embed/a/{token}/q/age/", None),
        ("get", f"/embed/a/{token}/result", None),
        ("post", f"/embed/a/{token}/delete", {"confirm": "yes"}),
    ]:
        response = started.request(method, url, data)
        assert response.status_code == 404, (method, url)
        assert "This link does not work" in response.content.decode()
    assert snapshot(started.assessment) == before
    assert Assessment.objects.count() == 1


def test_it_will_not_open_an_embedded_assessment_by_its_id_on_the_site(started: Widget) -> None:
    response = Client().get(f"/a/{started.assessment.id}/")
    assert response.status_code == 404


def test_it_refuses_an_answer_sent_from_another_site(started: Widget) -> None:
    before = snapshot(started.assessment)
    _, fields = started.page()
    question = started.kb.questions[fields["question"]]
    data = {**fields, **form_answer(question, plain_answer(question))}
    for where in ("cross-site", "same-site"):
        response = started.post(f"{started.base}/", data, HTTP_SEC_FETCH_SITE=where)
        assert response.status_code == 403, where
        assert "Nothing was changed" in response.content.decode()
    assert snapshot(started.assessment) == before
    same = started.post(f"{started.base}/", data, HTTP_SEC_FETCH_SITE="same-origin")
    assert same.status_code == 303


def test_it_refuses_a_start_or_delete_sent_from_another_site(started: Widget) -> None:
    count = Assessment.objects.count()
    assert started.post("/embed/start/", HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    deleting = started.post(f"{started.base}/delete", {"confirm": "yes"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert deleting.status_code == 403
    assert Assessment.objects.count() == count


def test_it_stores_a_double_submit_once_and_moves_on(started: Widget) -> None:
    _, fields = started.page()
    question = started.kb.questions[fields["question"]]
    value = question.options[0].id
    data = {**fields, **form_answer(question, [value] if question.kind == "multi" else value)}
    first = started.post(f"{started.base}/", data)
    assert first.status_code == 303
    after_first = snapshot(started.assessment)
    second = started.post(f"{started.base}/", data)
    assert second.status_code == 303
    assert second["Location"].startswith(f"{started.base}/")
    assert snapshot(started.assessment) == after_first


def test_it_shows_a_stale_page_again_instead_of_applying_it(started: Widget) -> None:
    _, stale = started.page(f"{started.base}/q/age/")
    started.answer(50, url=f"{started.base}/q/age/")
    before = snapshot(started.assessment)
    response = started.post(f"{started.base}/", {**stale, "answer": "60"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "out of date" in page and 'value="50"' in page
    assert '<header class="top"' not in page
    assert snapshot(started.assessment) == before


def test_it_will_not_show_a_question_that_was_never_asked(started: Widget) -> None:
    response = started.get(f"{started.base}/q/tiptoe/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "not part of your evaluation" in page
    assert f'href="{started.base}/"' in page


def test_it_says_an_expired_link_has_expired(started: Widget, settings: Any) -> None:
    Assessment.objects.update(created_at=timezone.now() - timedelta(days=settings.HEELCHECK_LINK_DAYS + 1))
    response = started.get(f"{started.base}/")
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_it_does_not_start_an_assessment_on_get(widget: Widget) -> None:
    assert widget.get("/embed/start/").status_code == 405
    assert Assessment.objects.count() == 0


def test_it_answers_unknown_widget_addresses_with_a_page_that_can_show_in_the_frame(
    widget: Widget, framed: list[str]
) -> None:
    response = widget.get("/embed/nothing-here")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert frame_ancestors(response) == f"{CLINIC} {LOCAL}"


# ---------------------------------------------------------------------- the setting
@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ([], []),
        (["https://Clinic.Example.org/"], ["https://clinic.example.org"]),
        (
            ["http://localhost:8080", "http://127.0.0.1:9000"],
            ["http://localhost:8080", "http://127.0.0.1:9000"],
        ),
        (["https://a.org", "https://a.org"], ["https://a.org"]),
        (["http://[::1]:8000"], ["http://[::1]:8000"]),
        (
            ["https://a.org:443", "http://b.org:80", "https://c.org:80"],
            ["https://a.org", "http://b.org", "https://c.org:80"],
        ),
    ],
)
def test_it_reads_the_sites_that_may_frame_the_widget(given: list[str], expected: list[str]) -> None:
    assert parse_origins("HEELCHECK_FRAME_ANCESTORS", given) == expected


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ("clinic.example.org", "must start with https:// or http://"),
        ("ftp://clinic.example.org", "must start with https:// or http://"),
        ("'self'", "must start with https:// or http://"),
        ("*", "must start with https:// or http://"),
        ("https://*.example.org", "wildcards"),
        ("https://clinic.example.org/heel", "path"),
        ("https://clinic.example.org?x=1", "path, query or fragment"),
        ("https://user:pw@clinic.example.org", "user name or password"),
        ("https://clinic.example.org:99999", "cannot be read"),
        ("https://clinic example.org", "characters a host name cannot have"),
        ("https://a.org;script-src", "characters a host name cannot have"),
        ("https://", "no host name"),
    ],
)
def test_it_refuses_a_value_that_is_not_an_origin(given: str, why: str) -> None:
    with pytest.raises(ImproperlyConfigured) as caught:
        parse_origins("HEELCHECK_FRAME_ANCESTORS", [given])
    message = str(caught.value)
    assert message.startswith(f"HEELCHECK_FRAME_ANCESTORS: {given!r} is not a web origin"), message
    assert why in message
    assert "https://clinic.example.org" in message  # an example of a good value


def settings_in_subprocess(tmp_path: Path, frame_ancestors: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEELCHECK_", "DATABASE"))}
    env.update(
        HEELCHECK_DATA_DIR=str(tmp_path),
        HEELCHECK_FRAME_ANCESTORS=frame_ancestors,
        DJANGO_SETTINGS_MODULE="heelcheck.web.settings",
    )
    code = "from django.conf import settings as s; print(' '.join(s.HEELCHECK_FRAME_ANCESTORS))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=False, timeout=60)  # fmt: skip


def test_it_reads_the_setting_from_the_environment(tmp_path: Path) -> None:
    out = settings_in_subprocess(tmp_path, " https://clinic.example.org/ , http://localhost:8080 ")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "https://clinic.example.org http://localhost:8080"


def test_it_stops_at_start_on_a_bad_origin_in_the_environment(tmp_path: Path) -> None:
    out = settings_in_subprocess(tmp_path, "https://clinic.example.org,clinic2.example.org")
    assert out.returncode != 0
    assert (
        "ImproperlyConfigured: HEELCHECK_FRAME_ANCESTORS: 'clinic2.example.org' is not a web origin"
        in out.stderr
    )
