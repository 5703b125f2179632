"""The migration to result records: a database filled by the version before them (results
stored only as JSON) is migrated, and every dashboard figure and every export row is the
same after as before."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from staff_helpers import finished_interview

from heelcheck.engine import Interview, KnowledgeBase
from heelcheck.vignettes import load_vignettes, run_vignette
from heelcheck.web.staff import exports, stats
from heelcheck.web.staff.filters import DateRange

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
BEFORE = [("assessments", "0001_initial")]
AFTER = [("assessments", "0002_result_record")]


def migrate(target: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.fixture
def old_database(transactional_db: None, kb: KnowledgeBase) -> Iterator[list[dict[str, Any]]]:
    """Assessments as the version before records stored them: real results of the
    development vignettes, and a few unfinished ones."""
    apps = migrate(BEFORE)
    Old = apps.get_model("assessments", "Assessment")
    rows = []
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    for i, v in enumerate(load_vignettes(SHARED / "vignettes" / "dev.yaml")):
        interview, _ = run_vignette(kb, v["facts"])
        rows.append(dict(status="complete", answers=interview.to_state()["answers"],
                         result=interview.result().to_dict(), created_at=start + timedelta(hours=i),
                         completed_at=start + timedelta(hours=i, minutes=3)))  # fmt: skip
    unfinished = finished_interview(kb).to_state()["answers"][:3]
    partial = Interview.from_state(kb, {"version": kb.version, "answers": unfinished})
    for i in range(5):
        rows.append(dict(status="in_progress", answers=unfinished, result=None,
                         current_question=partial.next_question.id,  # type: ignore[union-attr]
                         created_at=start + timedelta(hours=i, minutes=30)))  # fmt: skip
    for i, row in enumerate(rows):
        Old.objects.create(token=f"{i:064d}", kb_version=kb.version, **row)
    yield rows
    migrate(AFTER)  # leave the schema as the rest of the suite expects it


def test_every_figure_and_export_row_is_the_same_after_the_migration(
    old_database: list[dict[str, Any]], kb: KnowledgeBase
) -> None:
    window = DateRange(date(2026, 3, 1), date(2026, 3, 3))
    # Before: the figures as they were counted, out of each row's JSON (the new columns do not
    # exist yet, and nothing here selects them).
    apps = migrate(BEFORE)
    old_rows = apps.get_model("assessments", "Assessment").objects.all()
    before = sorted(stats.results_from_json(window.filter(old_rows)).rows)
    assert sum(n for *_, n in before) == 42
    columns = stats.results
    stats.results = stats.results_from_json  # type: ignore[assignment]
    try:
        dashboard_before = stats.dashboard(old_rows, window, kb)  # every figure, the old way
    finally:
        stats.results = columns  # type: ignore[assignment]

    migrate(AFTER)
    from heelcheck.web.assessments.models import Assessment

    after = sorted(stats.results(window.filter(Assessment.objects.all())).rows)
    assert after == before
    figures = stats.dashboard(Assessment.objects.all(), window, kb)
    assert figures == dashboard_before
    assert figures.completed == 42 and figures.started == 47
    # Each migrated row carries its record, and its columns agree with its old JSON.
    for a in Assessment.objects.filter(status="complete"):
        assert a.record["record_version"] == 1
        assert (a.leading_condition, a.care_level) == (a.result["ranked"][0][0], a.result["triage"])
        assert a.record["ranked"][0][0] == a.result["ranked"][0][0]
    # Every export row holds what the old JSON held.
    rows = list(
        csv.DictReader(io.StringIO("".join(exports.csv_lines(kb, window.filter(Assessment.objects.all())))))
    )
    assert len(rows) == 47
    stored = {exports.reference(a.id): a for a in Assessment.objects.all()}
    for row in rows:
        a = stored[row["reference"]]
        if a.result is None:
            assert (row["leading_condition"], row["triage"]) == ("", "")
            continue
        assert row["leading_condition"] == a.result["ranked"][0][0]
        assert float(row["leading_probability"]) == a.result["ranked"][0][1]
        assert (row["triage"], row["back_link"]) == (a.result["triage"], a.result["back_link"])


def test_the_migration_is_safe_to_run_on_an_empty_database(transactional_db: None) -> None:
    migrate(BEFORE)
    migrate(AFTER)
    from heelcheck.web.assessments.models import Assessment

    assert Assessment.objects.count() == 0
