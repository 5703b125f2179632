"""The server dies in the middle of many evaluations and comes back.

Gunicorn's master and every worker get SIGKILL at once (a power cut, an out-of-memory kill:
nothing gets to clean up) while 24 respondents are taking the evaluation, and the site is
started again on the same data folder and database. Every respondent comes back with the
same browser, continues and finishes. Each answer the site acknowledged (a 303) before the
kill is still stored, in order and once, both right after the kill and at the end; the
result page lists it; every evaluation completes; no assessment appears that nobody started.

Half the respondents stop after 1 to 4 answers and wait, so that at least these are surely
mid-way when the kill comes (it comes once all of them wait); the others answer flat out, so
that requests are in flight at the kill. A request cut by the kill counts as not
acknowledged: its sender either resends the same form (as a browser's "resend" does) or
reloads from the landing page, and either way must not store anything twice. A quarter of
the respondents make the worst case certain: just before waiting, each sends one more answer
and never reads the reply, so the site has stored an answer that nobody saw acknowledged.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from site_processes import (
    VIGNETTES,
    Database,
    Respondent,
    Site,
    SiteError,
    check,
    fresh_database,
    shared_transport,
    shown_labels,
)

from heelcheck.engine import KnowledgeBase
from heelcheck.vignettes import load_vignettes, run_vignette

RESPONDENTS = 24
WORKERS = 3
REQUEST_TIMEOUT = 60.0  # generous: a slow shared machine is not a fault
SCENARIO_TIMEOUT = 300.0  # only so that a hang fails instead of blocking the suite
RESENDERS = {0, 1, 5}  # respondent number % 8: resend a cut answer; the others reload


@dataclass
class Run:
    crowd: list[Respondent]
    failures: dict[int, str] = field(default_factory=dict)
    before_kill: dict[int, list[tuple[str, Any]]] = field(default_factory=dict)
    at_kill: dict[Any, Any] = field(default_factory=dict)  # the database right after the kill
    cut: int = 0  # requests that the kill interrupted


async def crash_and_resume(database: Database, kb: KnowledgeBase,
                           patients: list[dict[str, Any]]) -> Run:  # fmt: skip
    site = await asyncio.to_thread(Site(database, workers=WORKERS).start)
    transport = shared_transport(RESPONDENTS + 4)
    crowd = [Respondent.open(i, patients[i % len(patients)], kb, site.url, transport,
                             REQUEST_TIMEOUT) for i in range(RESPONDENTS)]  # fmt: skip
    run = Run(crowd)
    pause_after = {r.number: 1 + (r.number // 2) % 4 for r in crowd if r.number % 2 == 0}
    reply_lost = {n for n in pause_after if n % 4 == 0}
    waiting: set[int] = set()
    all_waiting = asyncio.Event()
    killed = asyncio.Event()
    back = asyncio.Event()

    async def take(r: Respondent) -> None:
        must_resume = False
        while True:
            try:
                if must_resume:
                    must_resume = False
                    if r.in_flight is not None and r.number % 8 in RESENDERS:
                        await r.resend()
                    else:
                        await r.resume()
                if not await r.step():
                    break
            except httpx.TransportError:
                if back.is_set() or not killed.is_set():
                    raise  # the site was up: a real failure
                run.cut += 1
                await back.wait()
                must_resume = True
                continue
            if pause_after.get(r.number) == len(r.acknowledged) and not back.is_set():
                if r.number in reply_lost and await r.fill_in():
                    await r.send_and_lose_the_reply()
                waiting.add(r.number)
                if len(waiting) == len(pause_after):
                    all_waiting.set()
                await back.wait()
                must_resume = True
        await r.finish()

    async def respondent(r: Respondent) -> None:
        try:
            await take(r)
        except (httpx.HTTPError, SiteError) as exc:
            run.failures[r.number] = f"{type(exc).__name__}: {exc}"
            if r.number in pause_after:
                waiting.add(r.number)  # do not keep the kill waiting for a failed respondent
                if len(waiting) == len(pause_after):
                    all_waiting.set()

    async def kill_and_restart() -> None:
        await all_waiting.wait()
        killed.set()
        await asyncio.to_thread(site.kill)
        run.before_kill = {r.number: list(r.acknowledged) for r in crowd}
        run.at_kill = await asyncio.to_thread(database.stored)
        again = Site(database, port=site.port, workers=WORKERS)
        await asyncio.to_thread(again.start)
        back.set()
        sites.append(again)

    sites = [site]
    try:
        # Everyone has started before anyone answers: a "Start" cut by the kill would leave
        # an empty assessment that its browser never learnt about (not an answer lost).
        started = await asyncio.gather(*(r.begin() for r in crowd), return_exceptions=True)
        for r, outcome in zip(crowd, started, strict=True):
            if isinstance(outcome, BaseException):
                run.failures[r.number] = f"start: {outcome!r}"
        if not run.failures:
            await asyncio.gather(kill_and_restart(), *(respondent(r) for r in crowd))
    finally:
        await transport.aclose()
        for s in sites:
            await asyncio.to_thread(s.stop)
    return run


@pytest.fixture(scope="module")
def patients() -> list[dict[str, Any]]:
    return [dict(v["facts"]) for v in load_vignettes(VIGNETTES)]


def test_it_keeps_every_acknowledged_answer_when_the_server_is_killed_mid_evaluation(
    tmp_path: Path, kb: KnowledgeBase, patients: list[dict[str, Any]]
) -> None:
    with fresh_database(tmp_path) as database:
        run = asyncio.run(asyncio.wait_for(crash_and_resume(database, kb, patients),
                                           SCENARIO_TIMEOUT))  # fmt: skip
        final = database.stored()
    assert run.failures == {}

    # The kill came in the middle: at least the respondents who waited were mid-way.
    mid_way = [r for r in run.crowd if run.before_kill[r.number]
               and run.at_kill[r.assessment_id].status == "in_progress"]  # fmt: skip
    assert len(mid_way) >= RESPONDENTS // 2, (len(mid_way), run.cut)

    for r in run.crowd:
        acknowledged = run.before_kill[r.number]
        # Right after the kill, before any restart: every acknowledged answer is stored,
        # once, in order (an answer cut in flight may be there too, unacknowledged).
        at_kill = run.at_kill[r.assessment_id].answers
        found = check(kb, acknowledged, at_kill)
        assert (found.lost, found.duplicated, found.problems) == (0, 0, []), r.number
        if r.number % 4 == 0:  # it sent one more answer and lost the reply: stored anyway
            assert found.extra == 1, (r.number, at_kill)
        else:
            assert found.extra <= 1, (r.number, at_kill)
        assert [a["question"] for a in at_kill[: len(acknowledged)]] == [q for q, _ in acknowledged]

        # At the end: complete, with exactly the answers this patient gives, each stored
        # once (every stored change bumps the revision once), and the result lists them.
        row = final[r.assessment_id]
        expected = run_vignette(kb, r.facts)[0].to_state()["answers"]
        assert row.status == "complete" and row.result, r.number
        assert row.answers == expected, r.number
        assert row.revision == len(expected), (r.number, row.revision, len(expected))
        after = check(kb, r.acknowledged, row.answers)
        assert (after.lost, after.duplicated) == (0, 0), r.number
        assert row.answers[: len(acknowledged)] == at_kill[: len(acknowledged)]
        assert r.shown_answers == shown_labels(kb, row.answers), r.number

    assert set(final) == {r.assessment_id for r in run.crowd}


def test_the_answer_check_counts_lost_duplicated_unacknowledged_and_reordered_answers(
    kb: KnowledgeBase, patients: list[dict[str, Any]]
) -> None:
    stored = run_vignette(kb, patients[0])[0].to_state()["answers"]
    acknowledged = [(a["question"], a["answer"]) for a in stored]
    assert len(stored) >= 3

    def counts(acked: list[tuple[str, Any]], rows: list[dict[str, Any]]) -> tuple[int, int, int, int]:
        found = check(kb, acked, rows)
        return found.lost, found.duplicated, found.extra, len(found.problems)

    assert counts(acknowledged, stored) == (0, 0, 0, 0)
    assert counts(acknowledged, stored[:-1]) == (1, 0, 0, 0)
    assert counts(acknowledged, [*stored, stored[0]]) == (0, 1, 0, 0)
    assert counts(acknowledged[:-1], stored) == (0, 0, 1, 0)
    assert counts(acknowledged, [stored[1], stored[0], *stored[2:]]) == (0, 0, 0, 1)
