"""Two submissions of the same page at the same moment are stored once.

Runs on the backend of the test run (SQLite, or PostgreSQL when DATABASE_URL is set): first
in the service layer, with the engine's work slowed so that both submissions have read the
row before either writes it; then through the real site under gunicorn, where a
double-clicked answer reaches two workers at once.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from site_processes import (
    VIGNETTES,
    Respondent,
    Site,
    form_answer,
    form_fields,
    fresh_database,
    shared_transport,
)

from heelcheck.engine import Interview, KnowledgeBase
from heelcheck.vignettes import load_vignettes, respond, run_vignette
from heelcheck.web.assessments import services
from heelcheck.web.assessments.models import Assessment

HOLD = 0.3  # seconds each submission spends "thinking" between reading and writing


@pytest.mark.parametrize("ages", [(38, 38), (38, 39)], ids=["same answer", "different answers"])
@pytest.mark.django_db(transaction=True)
def test_it_stores_one_of_two_simultaneous_submissions_and_calls_the_other_stale(
    ages: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    assessment = services.submit_answer(services.start_assessment().id, "respondent", "self")
    replay = services.load_interview

    def slow_replay(stored: Assessment) -> Interview:
        # Runs after submit_answer has read the row and before it writes: both submissions
        # start from revision 1, so only the write decides which one is stored.
        time.sleep(HOLD)
        return replay(stored)

    monkeypatch.setattr(services, "load_interview", slow_replay)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(age: int) -> None:
        try:
            barrier.wait(timeout=10)
            services.submit_answer(assessment.id, "age", age, expected_revision=1)
            outcomes.append("stored")
        except services.StaleRevision:
            outcomes.append("stale")
        except Exception as exc:  # reported by the assertion below
            outcomes.append(f"error: {exc!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(age,)) for age in ages]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes) == ["stale", "stored"]
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.revision == 2
    assert len(stored.answers) == 2 and stored.answers[1]["question"] == "age"
    assert stored.answers[1]["answer"] in ages


async def double_click_through(site: Site, kb: KnowledgeBase,
                               patients: list[dict[str, Any]]) -> list[Respondent]:  # fmt: skip
    """Each respondent sends every answer twice at the same moment, as a double click does."""
    transport = shared_transport(32)
    crowd = [Respondent.open(i, facts, kb, site.url, transport, 60.0)
             for i, facts in enumerate(patients)]  # fmt: skip

    async def twice(r: Respondent) -> None:
        await r.begin()
        for _ in range(60):
            page = await r.request("GET", r.here, expect=(200, 303))
            if page.status_code == 303:
                break
            fields = form_fields(page.text)
            question = kb.questions[fields["question"]]
            form = {**fields, **form_answer(question, respond(question, r.facts, kb))}
            first, second = await asyncio.gather(
                r.client.post(r.here, data=form, headers=r.cookies.header()),
                r.client.post(r.here, data=form, headers=r.cookies.header()),
            )
            # Both clicks lead on: one stored the answer, the other found it stored already.
            assert (first.status_code, second.status_code) == (303, 303), (
                question.id, first.status_code, second.status_code)  # fmt: skip
        await r.finish()

    try:
        await asyncio.gather(*(twice(r) for r in crowd))
    finally:
        await transport.aclose()
    return crowd


def test_it_stores_a_double_clicked_answer_once_on_the_real_site(tmp_path: Path,
                                                                 kb: KnowledgeBase) -> None:  # fmt: skip
    patients = [dict(v["facts"]) for v in load_vignettes(VIGNETTES)][:8]
    with fresh_database(tmp_path) as database:
        site = Site(database, workers=3).start()
        try:
            crowd = asyncio.run(double_click_through(site, kb, patients))
        finally:
            site.stop()
        stored = database.stored()
    assert set(stored) == {r.assessment_id for r in crowd}
    for r in crowd:
        row = stored[r.assessment_id]
        expected = run_vignette(kb, r.facts)[0].to_state()["answers"]
        assert row.status == "complete"
        assert row.answers == expected
        assert row.revision == len(expected), "an answer was stored twice"
