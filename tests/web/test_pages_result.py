"""The result page, the print view, the private link and deleting the answers."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone
from people import NOTHING_FITS, PF_WITH_SCIATICA
from web_helpers import Visitor

from heelcheck.web.assessments.models import Assessment

Vignettes = dict[str, dict[str, Any]]


def test_it_shows_a_self_care_result_for_plantar_fasciitis(alice: Visitor, vignettes: Vignettes) -> None:
    url = alice.take(vignettes["D001"]["facts"])
    page = alice.client.get(url).content.decode()
    assert "banner-self_care" in page
    assert "Your heel pain fits best: Plantar fasciitis" in page
    # One bar per cause worth showing: the leading one and any other at least 3 % likely.
    shown = [p for _, p in alice.assessment.result["ranked"] if p >= 0.03]
    assert page.count('class="bar"') == max(1, min(3, len(shown)))
    assert re.search(r'class="certainty"><strong>(Very likely|Likely|Possible)</strong>', page)
    assert "What fits:" in page
    assert "Your self-care plan" in page
    assert "/static/heelcheck/img/calf_stretch.svg" in page
    assert "Warning signs to watch for" in page
    assert "This is not a diagnosis" in page
    assert "Your heel and your back" not in page  # no back pain reported
    stored = alice.assessment
    assert stored.status == "complete"
    assert stored.current_question is None
    assert stored.completed_at is not None
    assert stored.result["ranked"][0][0] == "plantar_fasciitis"


def test_it_puts_the_emergency_banner_first_for_a_sciatica_red_flag(
    alice: Visitor, vignettes: Vignettes
) -> None:
    url = alice.take(vignettes["D030"]["facts"])
    page = alice.client.get(url).content.decode()
    main = page.split('<main id="main">', 1)[1]
    assert main.lstrip().startswith('<section class="banner banner-emergency"')
    assert "Get emergency help now" in main
    assert "Go to an emergency department" in main
    assert "Your heel and your back" in page  # back pain came first
    assert "Your self-care plan" not in page


def test_it_recommends_an_appointment_for_diabetic_neuropathy(alice: Visitor, vignettes: Vignettes) -> None:
    url = alice.take(vignettes["D033"]["facts"])
    page = alice.client.get(url).content.decode()
    assert "banner-soon" in page
    assert "Your heel pain fits best: " in page
    assert alice.assessment.result["ranked"][0][0] == "peripheral_neuropathy"


def test_it_redirects_a_finished_assessment_to_its_result(alice: Visitor, vignettes: Vignettes) -> None:
    url = alice.take(vignettes["D001"]["facts"])
    response = alice.client.get(f"/a/{alice.assessment_id}/")
    assert response.status_code == 303
    assert response["Location"] == url


def test_it_changes_the_result_when_an_earlier_answer_changes(alice: Visitor, vignettes: Vignettes) -> None:
    alice.take(vignettes["D001"]["facts"])
    before = alice.assessment.result
    response = alice.answer(["saddle", "bladder", "weak"],
                            url=f"/a/{alice.assessment_id}/q/alarm_body/")  # fmt: skip
    assert response.status_code == 303
    while True:
        response = alice.client.get(f"/a/{alice.assessment_id}/")
        if response.status_code == 303:
            break
        alice.answer_plainly()
    after = alice.assessment.result
    assert before["triage"] == "self_care"
    assert after["triage"] == "emergency"


def test_it_reopens_the_result_in_another_browser_with_the_private_link(
    alice: Visitor, bob: Visitor, vignettes: Vignettes
) -> None:
    url = alice.take(vignettes["D001"]["facts"])
    page = alice.client.get(url).content.decode()
    assert f'value="http://testserver{url}"' in page
    later = Client()
    response = later.get(url)
    assert response.status_code == 200
    assert "Plantar fasciitis" in response.content.decode()
    # The private link also lets that browser delete the answers (but not change them:
    # tests/web/test_private_links.py).
    assert later.get(f"{url}delete").status_code == 200


def test_it_stores_only_a_hash_of_the_private_link(alice: Visitor, vignettes: Vignettes) -> None:
    url = alice.take(vignettes["D001"]["facts"])
    token = url.split("/")[2]
    stored = alice.assessment
    assert token not in stored.token
    assert len(stored.token) == 64
    assert Assessment.objects.by_token(token) == stored


def test_it_says_a_wrong_private_link_does_not_work(db: None, client: Client) -> None:
    for token in ("x", "A" * 32, "<script>", "a" * 500):
        response = client.get(f"/r/{token}/")
        assert response.status_code == 404, token
        assert "This link does not work" in response.content.decode()


def test_it_says_an_expired_private_link_has_expired(
    alice: Visitor, vignettes: Vignettes, settings: Any
) -> None:
    url = alice.take(vignettes["D001"]["facts"])
    Assessment.objects.filter(pk=alice.assessment_id).update(
        created_at=timezone.now() - timedelta(days=settings.HEELCHECK_LINK_DAYS + 1)
    )
    response = Client().get(url)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_it_sends_the_private_link_of_an_unfinished_assessment_to_its_question_only_in_its_browser(
    alice: Visitor,
) -> None:
    alice.start()
    token = alice.client.session["assessments"][alice.assessment_id]
    response = alice.client.get(f"/r/{token}/")
    assert response.status_code == 303
    assert response["Location"] == f"/a/{alice.assessment_id}/"
    later = Client()
    assert later.get(f"/r/{token}/").status_code == 409
    assert later.get(f"/a/{alice.assessment_id}/").status_code == 404


def test_it_prints_answers_result_version_and_date_on_one_page(
    alice: Visitor, vignettes: Vignettes, kb: Any
) -> None:
    url = alice.take(vignettes["D001"]["facts"])
    response = alice.client.get(f"{url}print")
    assert response.status_code == 200
    page = response.content.decode()
    assert "summary" in page
    assert kb.version in page
    assert str(alice.assessment.completed_at.year) in page
    assert "Plantar fasciitis" in page
    for answer in alice.assessment.result["answers"]:
        assert answer["text"].split("?")[0][:30] in page.replace("&#x27;", "'")
    assert "data-print" in page


def test_it_links_each_answer_on_the_result_to_change_it(alice: Visitor, vignettes: Vignettes) -> None:
    url = alice.take(vignettes["D001"]["facts"])
    page = alice.client.get(url).content.decode()
    for answer in alice.assessment.answers:
        assert f'href="/a/{alice.assessment_id}/q/{answer["question"]}/"' in page


def test_it_deletes_the_answers_for_good_after_confirming(alice: Visitor, vignettes: Vignettes) -> None:
    url = alice.take(vignettes["D001"]["facts"])
    confirm = alice.client.get(f"/a/{alice.assessment_id}/delete")
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    response = alice.client.post(f"/a/{alice.assessment_id}/delete", {"confirm": "yes"})
    assert response.status_code == 303
    assert response["Location"] == "/deleted/"
    assert alice.client.get("/deleted/").status_code == 200
    assert not Assessment.objects.filter(pk=alice.assessment_id).exists()
    assert alice.client.get(url).status_code == 404
    assert alice.client.get(f"/a/{alice.assessment_id}/").status_code == 404


def test_it_does_not_delete_without_the_confirmation(alice: Visitor) -> None:
    alice.start()
    response = alice.client.post(f"/a/{alice.assessment_id}/delete", {})
    assert response.status_code == 400
    assert Assessment.objects.filter(pk=alice.assessment_id).exists()


def test_it_keeps_result_pages_out_of_caches(alice: Visitor, vignettes: Vignettes) -> None:
    url = alice.take(vignettes["D001"]["facts"])
    for page in (url, f"{url}print", f"/a/{alice.assessment_id}/delete"):
        assert "no-store" in alice.client.get(page)["Cache-Control"], page


def test_it_draws_match_bars_without_inline_styles(alice: Visitor, vignettes: Vignettes) -> None:
    url = alice.take(vignettes["D001"]["facts"])
    page = alice.client.get(url).content.decode()
    assert not re.search(r"\sstyle=", page)
    assert "<script>" not in page and "<style" not in page


def test_two_causes_at_once_are_both_named_explained_and_warned_of(alice: Visitor) -> None:
    page = alice.client.get(alice.take(PF_WITH_SCIATICA)).content.decode()
    assert "Your heel pain fits best: Sciatica" in page
    assert "Likely present as well: <strong>Plantar fasciitis</strong>" in page
    assert "Plantar fasciitis (as well)" in page
    assert page.count('class="reasons-title"') == 2  # what fits each cause
    assert "Care for both the back and the heel." in page
    assert alice.assessment.result["also_present"] == ["plantar_fasciitis"]


def test_answers_that_fit_no_common_cause_lead_with_saying_so(alice: Visitor) -> None:
    page = alice.client.get(alice.take(NOTHING_FITS)).content.decode()
    assert "Your answers don&#x27;t fit a common cause well: have it examined." in page
    assert "Your heel pain fits best" not in page
    assert "The cause needs to be found first" in page  # why there is no self-care plan
    assert alice.assessment.result["ranked"][0][0] == "other"
