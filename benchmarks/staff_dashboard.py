"""How the staff dashboard and exports cope with many stored assessments.  Fills a fresh
database (SQLite in a temporary data folder, or the PostgreSQL of DATABASE_URL, whose
assessments are replaced) with N assessments spread over a year, two thirds of them
complete with a real engine result, then times the dashboard's figures for a year and for
30 days (the year also as it was counted before result records: out of each row's JSON),
and the CSV and FHIR exports of 30 days.  Prints figures; asserts nothing.

    .venv/bin/python benchmarks/staff_dashboard.py [--rows N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "staff"))


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["HEELCHECK_DATA_DIR"] = tempfile.mkdtemp(prefix="heelcheck-staff-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heelcheck.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def fill(rows: int) -> None:
    from django.utils import timezone
    from staff_helpers import finished_interview

    from heelcheck.engine import Interview, default_knowledge_base
    from heelcheck.web.assessments.models import Assessment

    kb = default_knowledge_base()
    done = finished_interview(kb)
    answers = done.to_state()["answers"]
    finished = done.result()
    partial = Interview.from_state(kb, {"version": kb.version, "answers": answers[:4]})
    rng = random.Random(1)
    Assessment.objects.all().delete()
    now = timezone.now()
    batch: list[Assessment] = []
    for i in range(rows):
        created = now - timedelta(days=rng.uniform(0, 365))
        complete = rng.random() < 2 / 3
        a = Assessment(
            status="complete" if complete else "in_progress",
            created_at=created,
            completed_at=created + timedelta(seconds=rng.uniform(60, 300)) if complete else None,
            current_question=None if complete else partial.next_question.id,  # type: ignore[union-attr]
            answers=answers if complete else answers[:4],
            kb_version=kb.version,
            source=rng.choice(["web", "web", "embed", "api"]),
        )
        a.keep_result(finished if complete else None)
        a.token = f"{i:064d}"  # unique; hashing a real token per row would only slow the fill
        batch.append(a)
        if len(batch) == 2000:
            Assessment.objects.bulk_create(batch)
            batch = []
    Assessment.objects.bulk_create(batch)


def timed(what: str, fn: Any) -> Any:
    t0 = time.perf_counter()
    value = fn()
    print(f"{what:44s} {time.perf_counter() - t0:8.3f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from heelcheck.engine import default_knowledge_base
    from heelcheck.web.assessments.models import Assessment
    from heelcheck.web.staff import exports, stats
    from heelcheck.web.staff.filters import DateRange

    today = timezone.now().date()
    print(f"database                                     {connection.vendor}")
    timed(f"fill {args.rows} assessments", lambda: fill(args.rows))
    kb = default_knowledge_base()
    year = DateRange(today - timedelta(days=365), today)
    month = DateRange.default(today)
    # Before result records, the results were counted out of each row's JSON: time both ways
    # in one run (the figures must be equal).
    columns = stats.results
    stats.results = stats.results_from_json  # type: ignore[assignment]
    try:
        t0 = time.perf_counter()
        before = stats.dashboard(Assessment.objects.all(), year, kb)
        old = time.perf_counter() - t0
    finally:
        stats.results = columns  # type: ignore[assignment]
    t0 = time.perf_counter()
    figures = stats.dashboard(Assessment.objects.all(), year, kb)
    new = time.perf_counter() - t0
    print(f"  same figures both ways: {'yes' if figures == before else 'NO'}")
    print(f"{'dashboard figures, 1 year, results from JSON':44s} {old:8.3f} s  (before result records)")
    print(f"{'dashboard figures, 1 year':44s} {new:8.3f} s  ({old / new:.1f}x faster)")
    print(f"  started {figures.started}, completed {figures.completed}")
    month_rows = month.filter(Assessment.objects.all())
    n = month_rows.count()
    timed("dashboard figures, 30 days", lambda: stats.dashboard(Assessment.objects.all(), month, kb))
    size = timed(
        f"CSV export, 30 days ({n} rows)", lambda: sum(len(x) for x in exports.csv_lines(kb, month_rows))
    )
    print(f"  {size / 1e6:.1f} MB")
    stamp = timezone.now().isoformat()
    size = timed(
        f"FHIR export, 30 days ({n} assessments)",
        lambda: sum(len(x) for x in exports.fhir_bundle_chunks(month_rows, stamp)),
    )
    print(f"  {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
