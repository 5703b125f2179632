"""The widget in a real Chromium, embedded in a page of another site: a clinic's page on
http://localhost:<port> frames the widget served from http://127.0.0.1:<port> (another
site, so the browser sends the widget no SameSite cookies), and a patient completes the
evaluation inside the iframe. Sites that are not listed cannot frame it."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from e2e_helpers import MAX_QUESTIONS, banner_level, click_answer, current_question
from e2e_support import Outside, serious_violations, time_limit
from playwright.sync_api import Browser, Frame, Page, expect
from site_processes import Database, free_port, live_site

from heelcheck.engine import KnowledgeBase
from heelcheck.vignettes import respond

pytestmark = pytest.mark.e2e
Vignettes = dict[str, dict[str, Any]]
FRAME_HEIGHT = 300  # the iframe's own height, before embed.js fits it


def clinic_page(widget: str, script: bool) -> str:
    """A page of another site with the README's two-line snippet in it."""
    helper = f'<script src="{widget}/static/heelcheck/embed.js" async></script>' if script else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our clinic</title>'
        '<link rel="icon" href="data:,"></head><body><h1>Our clinic</h1>'
        "<p>Not sure why your heel hurts? Try this check.</p>"
        f'<iframe src="{widget}/embed/" title="Heel pain check" width="100%" '
        f'height="{FRAME_HEIGHT}"></iframe>{helper}<p>Clinic footer</p></body></html>'
    )


class ClinicHandler(BaseHTTPRequestHandler):
    """``/?widget=<base URL>[&script=0]``: the clinic's page embedding that widget."""

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path != "/" or "widget" not in query:
            self.send_error(404)
            return
        body = clinic_page(query["widget"][0], query.get("script") != ["0"]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


def serve_clinic(port: int) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", port), ClinicHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{port}"  # localhost, not 127.0.0.1: another site
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Widget:
    base: str
    database: Database


@pytest.fixture(scope="module")
def clinic() -> Iterator[str]:
    """The site that is allowed to embed the widget."""
    yield from serve_clinic(free_port())


@pytest.fixture(scope="module")
def stranger() -> Iterator[str]:
    """A site that is not allowed to."""
    yield from serve_clinic(free_port())


@pytest.fixture(scope="module")
def widget(tmp_path_factory: pytest.TempPathFactory, clinic: str) -> Iterator[Widget]:
    """The heelcheck site, with the clinic listed in HEELCHECK_FRAME_ANCESTORS."""
    with live_site(tmp_path_factory.mktemp("embed-site"), HEELCHECK_FRAME_ANCESTORS=clinic) as live:
        yield Widget(live.url, live.database)


def open_page(browser: Browser, *origins: str, javascript: bool = True) -> tuple[Page, Outside]:
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 390, "height": 844})
    context.set_default_timeout(15_000)
    outside = Outside(*origins)
    outside.watch(context)
    return context.new_page(), outside


@pytest.fixture
def pages(browser: Browser) -> Iterator[list[tuple[Page, Outside]]]:
    """The pages a test opens; each fails the test if a request went to a third place."""
    opened: list[tuple[Page, Outside]] = []
    yield opened
    for page, outside in opened:
        page.context.close()
        assert outside.urls == [], f"requests left the two sites: {outside.urls}"


def widget_frame(page: Page) -> Frame:
    handle = page.locator("iframe").element_handle()
    frame = handle.content_frame() if handle else None
    assert frame is not None
    return frame


def finish_inside(frame: Frame, kb: KnowledgeBase, facts: dict[str, Any]) -> None:
    """Answer inside the widget's frame, by clicking, until its result shows."""
    for _ in range(MAX_QUESTIONS):
        frame.wait_for_load_state()
        if frame.url.endswith("/result"):
            return
        question = current_question(frame, kb)
        revision = frame.locator('form.ask input[name="revision"]').get_attribute("value")
        click_answer(frame, question, respond(question, facts, kb))
        # The next page has replaced this one when this revision's form is gone.
        gone = frame.locator(f'form.ask input[name="revision"][value="{revision}"]')
        expect(gone).to_have_count(0)
    raise AssertionError("the evaluation never finished")


def iframe_height(page: Page) -> int:
    """The iframe's inner height, borders not counted."""
    return int(page.locator("iframe").evaluate("f => f.clientHeight"))


def content_height(frame: Frame) -> int:
    return int(frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)"))


def fitted(page: Page, frame: Frame) -> int:
    """Wait until embed.js has fitted the iframe to the page inside it; that height."""
    height = content_height(frame)
    page.wait_for_function("h => document.querySelector('iframe').clientHeight === h", arg=height)
    return height


def stored(widget: Widget) -> list[tuple[str, str]]:
    return [(a.source, a.status) for a in widget.database.stored().values()]


def test_it_completes_an_assessment_inside_an_iframe_on_another_site(
    browser: Browser, pages: list[tuple[Page, Outside]], widget: Widget, clinic: str,
    kb: KnowledgeBase, vignettes: Vignettes,
) -> None:  # fmt: skip
    page, outside = open_page(browser, widget.base, clinic)
    pages.append((page, outside))
    problems: list[str] = []  # console errors and warnings: a CSP refusal, a bad postMessage
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    with time_limit(150, "the embedded assessment"):
        page.goto(f"{clinic}/?widget={widget.base}")
        frame = widget_frame(page)
        expect(frame.get_by_role("heading", level=1)).to_contain_text("Check your heel pain")
        expect(frame.locator("header")).to_have_count(0)  # no site header in the widget
        expect(frame.get_by_role("link", name=re.compile("^Privacy"))).to_have_attribute("target", "_blank")
        first = fitted(page, frame)
        assert first != FRAME_HEIGHT and first > 0

        frame.get_by_role("button", name="Start the check").click()
        finish_inside(frame, kb, vignettes["D001"]["facts"])

        assert page.url == f"{clinic}/?widget={widget.base}"  # the clinic's page stayed
        assert re.fullmatch(rf"{re.escape(widget.base)}/embed/a/[\w-]+/result", frame.url)
        assert banner_level(frame) == "self_care"
        expect(frame.get_by_role("heading", level=2, name=re.compile("fits best"))).to_contain_text(
            "Plantar fasciitis"
        )
        result = fitted(page, frame)
        assert result != first  # the iframe follows its page's height
        assert iframe_height(page) == result

        frame.locator(".keep details summary").click()
        fitted(page, frame)  # still fitted after opening a collapsed section
    assert page.context.cookies() == []  # the widget needs no cookie
    assert ("embed", "complete") in stored(widget)
    assert problems == []


def test_the_widget_pages_pass_axe(
    browser: Browser, pages: list[tuple[Page, Outside]], widget: Widget, clinic: str,
    kb: KnowledgeBase, vignettes: Vignettes,
) -> None:  # fmt: skip
    # Inside the clinic's frame, where the widget lives: its assessment pages open nowhere else.
    page, outside = open_page(browser, widget.base, clinic)
    pages.append((page, outside))
    page.goto(f"{clinic}/?widget={widget.base}")
    frame = widget_frame(page)
    frame.get_by_role("button", name="Start the check").wait_for()
    assert serious_violations(frame) == [], "start page"
    frame.get_by_role("button", name="Start the check").click()
    frame.wait_for_url(re.compile(r"/embed/a/"))
    assert serious_violations(frame) == [], "first question"
    with time_limit(150, "the assessment in the widget"):
        finish_inside(frame, kb, vignettes["D001"]["facts"])
    assert serious_violations(frame) == [], "result"


def test_it_works_without_javascript_and_without_the_resize_script(
    browser: Browser, pages: list[tuple[Page, Outside]], widget: Widget, clinic: str,
    kb: KnowledgeBase, vignettes: Vignettes,
) -> None:  # fmt: skip
    page, outside = open_page(browser, widget.base, clinic, javascript=False)
    pages.append((page, outside))
    with time_limit(150, "the embedded assessment without JavaScript"):
        page.goto(f"{clinic}/?widget={widget.base}")
        frame = widget_frame(page)
        frame.get_by_role("button", name="Start the check").click()
        finish_inside(frame, kb, vignettes["D001"]["facts"])
        expect(frame.get_by_role("heading", level=2, name=re.compile("fits best"))).to_contain_text(
            "Plantar fasciitis"
        )
        box = page.locator("iframe").bounding_box()
        assert box is not None and box["height"] <= FRAME_HEIGHT + 4  # kept its size: it scrolls
        frame.get_by_role("link", name="Delete my answers").click()
        frame.get_by_role("button", name="Yes, delete my answers").click()
        expect(frame.get_by_role("heading", level=1)).to_have_text("Your answers were deleted")
    assert page.context.cookies() == []


def blocked(page: Page, url: str, widget_base: str) -> list[str]:
    """Open ``url``; the addresses its frames show, once Chromium has refused the widget."""
    with page.expect_console_message(lambda m: "frame-ancestors" in m.text):
        page.goto(url)
    page.wait_for_load_state("load")
    return [f.url for f in page.frames if f.url.startswith(widget_base)]


def test_a_site_that_is_not_listed_cannot_frame_the_widget(
    browser: Browser, pages: list[tuple[Page, Outside]], widget: Widget, stranger: str
) -> None:
    page, outside = open_page(browser, widget.base, stranger)
    pages.append((page, outside))
    with time_limit(60, "framing from a site that is not listed"):
        assert blocked(page, f"{stranger}/?widget={widget.base}", widget.base) == []
        expect(widget_frame(page).get_by_role("button", name="Start the check")).to_have_count(0)
        assert iframe_height(page) == FRAME_HEIGHT  # nothing resized it


def test_no_site_can_frame_the_widget_by_default(
    browser: Browser, pages: list[tuple[Page, Outside]], site: str, clinic: str
) -> None:
    page, outside = open_page(browser, site, clinic)
    pages.append((page, outside))
    with time_limit(60, "framing a site that lists no one"):
        assert blocked(page, f"{clinic}/?widget={site}", site) == []
        expect(widget_frame(page).get_by_role("button", name="Start the check")).to_have_count(0)
