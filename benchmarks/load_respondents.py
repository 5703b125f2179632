"""Load test: N simulated respondents take whole evaluations at the same time, then the
database is checked answer by answer (a script that measures; it asserts nothing about time).

For each database asked for, it starts the site with ``heelcheck serve`` (gunicorn) on
loopback with a fresh database (SQLite: a new data folder; PostgreSQL: a new database on a
throwaway server started with ``scripts/pg``), and lets N respondents loose at once. Each has
its own cookie jar and goes landing page -> "Start the check" -> every question (parse the
form, answer as a development vignette's patient would, POST, follow the 303) -> result.

Afterwards, for every respondent: its assessment exists and is complete, its stored answers
are exactly the answers the site acknowledged (none lost, none duplicated, same order), the
result page lists them; and no assessment exists that nobody started. An error is any status
other than the one a working site sends, a timeout or a connection failure.

Prints (and with --json writes) respondents, completed, errors, lost/duplicated answers,
requests/s, assessments/s, p50/p95/max latency of the answer POST and the total time.
Exits 1 if anything was lost, duplicated, left incomplete or failed.

    .venv/bin/python benchmarks/load_respondents.py [--respondents 200] [--database both]
        [--workers 4] [--think 0] [--json OUT]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from livesite import ROOT, VIGNETTES, Database, Site
from respondents import Respondent, SiteError, check, run_all, shared_transport, shown_labels

from heelcheck.engine import KnowledgeBase, default_knowledge_base
from heelcheck.vignettes import load_vignettes

MAX_RESPONDENTS = 2000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))] if ordered else 0.0


def describe(exc: BaseException) -> str:
    if isinstance(exc, SiteError):
        return str(exc)
    if isinstance(exc, httpx.TimeoutException):
        return f"timeout ({type(exc).__name__})"
    return f"{type(exc).__name__}: {exc}"


async def drive(site: Site, count: int, kb: KnowledgeBase, patients: list[dict[str, Any]],
                think: float, timeout: float) -> tuple[list[Respondent], list[str], float]:  # fmt: skip
    transport = shared_transport(count + 8)
    rng = random.Random(5)

    async def pause() -> None:
        await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))

    crowd = [Respondent.open(i, patients[i % len(patients)], kb, site.url, transport, timeout,
                             think=pause if think > 0 else None)
             for i in range(count)]  # fmt: skip

    async def take(r: Respondent) -> None:
        await r.begin()
        await r.finish()

    start = time.perf_counter()
    try:
        outcomes = await run_all(crowd, take)
    finally:
        wall = time.perf_counter() - start
        await transport.aclose()
    errors = [describe(exc) for exc in outcomes if exc is not None]
    return crowd, errors, wall


def verify(database: Database, crowd: list[Respondent], kb: KnowledgeBase) -> dict[str, Any]:
    """Every respondent's assessment against the database: what was lost or duplicated."""
    stored = database.stored()
    totals = Counter[str]()
    problems: list[str] = []
    for r in crowd:
        if r.assessment_id is None:
            continue  # never started: counted among the errors
        row = stored.get(r.assessment_id)
        if row is None:
            totals["lost"] += len(r.acknowledged)
            problems.append(f"respondent {r.number}: assessment missing")
            continue
        found = check(kb, r.acknowledged, row.answers)
        totals["lost"] += found.lost
        totals["duplicated"] += found.duplicated
        totals["unacknowledged"] += found.extra
        problems += [f"respondent {r.number}: {p}" for p in found.problems]
        if r.done:
            if row.status == "complete" and row.result:
                totals["completed"] += 1
            else:
                problems.append(f"respondent {r.number}: saw a result, stored as {row.status}")
            if r.shown_answers != shown_labels(kb, row.answers):
                problems.append(f"respondent {r.number}: the result page lists other answers")
    started = {r.assessment_id for r in crowd}
    extra = [aid for aid in stored if aid not in started]
    if extra:
        problems.append(f"{len(extra)} assessment(s) in the database that nobody started")
    return {"completed": totals["completed"], "lost": totals["lost"],
            "duplicated": totals["duplicated"], "unacknowledged": totals["unacknowledged"],
            "extra_assessments": len(extra), "problems": problems}  # fmt: skip


def run_one(database: Database, args: argparse.Namespace, kb: KnowledgeBase,
            patients: list[dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    site = Site(database, workers=args.workers).start()
    load_before = os.getloadavg()
    cpu_before = time.process_time()
    try:
        crowd, errors, wall = asyncio.run(
            drive(site, args.respondents, kb, patients, args.think, args.timeout)
        )
    finally:
        site.stop()
    load_after = os.getloadavg()
    client_cpu = time.process_time() - cpu_before
    verdict = verify(database, crowd, kb)
    latencies = [s for r in crowd for s in r.answer_seconds]
    requests = sum(r.requests for r in crowd)
    every = [s for r in crowd for s in r.request_seconds]
    figures = {
        "database": database.kind,
        "respondents": len(crowd),
        "workers": args.workers,
        "think_seconds": args.think,
        "completed": verdict["completed"],
        "errors": len(errors),
        "lost_answers": verdict["lost"],
        "duplicated_answers": verdict["duplicated"],
        "unacknowledged_answers": verdict["unacknowledged"],
        "extra_assessments": verdict["extra_assessments"],
        "answers_acknowledged": len(latencies),
        "requests": requests,
        "seconds": wall,
        "client_cpu_seconds": client_cpu,
        "requests_per_second": requests / wall,
        "assessments_per_second": verdict["completed"] / wall,
        "answer_post_ms": {
            "p50": percentile(latencies, 0.5) * 1e3,
            "p95": percentile(latencies, 0.95) * 1e3,
            "max": max(latencies, default=0.0) * 1e3,
        },
        "any_request_ms": {
            "p50": percentile(every, 0.5) * 1e3,
            "p95": percentile(every, 0.95) * 1e3,
            "max": max(every, default=0.0) * 1e3,
        },
        "load_average_1min": {"before": load_before[0], "after": load_after[0]},
        "error_kinds": dict(Counter(errors).most_common(5)),
        "problems": verdict["problems"][:20],
    }
    if "database is locked" in site.log_tail(200) or "WORKER TIMEOUT" in site.log_tail(200):
        figures["problems"].append(f"server log:\n{site.log_tail(20)}")
    return figures


def show(f: dict[str, Any]) -> None:
    lat, every = f["answer_post_ms"], f["any_request_ms"]
    print(
        f"[{f['database']}] {f['respondents']} respondents, {f['workers']} gunicorn workers, "
        f"think {f['think_seconds']:g} s"
    )
    print(
        f"  completed {f['completed']}/{f['respondents']}   errors {f['errors']}   "
        f"lost answers {f['lost_answers']}   duplicated answers {f['duplicated_answers']}   "
        f"unacknowledged stored {f['unacknowledged_answers']}   "
        f"extra assessments {f['extra_assessments']}"
    )
    print(
        f"  {f['requests']} requests, {f['answers_acknowledged']} answers in "
        f"{f['seconds']:.1f} s: {f['requests_per_second']:.0f} requests/s, "
        f"{f['assessments_per_second']:.1f} assessments/s"
    )
    print(
        f"  answer POST latency: p50 {lat['p50']:.0f} ms   p95 {lat['p95']:.0f} ms   max {lat['max']:.0f} ms"
    )
    print(
        f"  any request latency: p50 {every['p50']:.0f} ms   p95 {every['p95']:.0f} ms   "
        f"max {every['max']:.0f} ms"
    )
    print(
        f"  load average (1 min) before {f['load_average_1min']['before']:.2f}, "
        f"after {f['load_average_1min']['after']:.2f}; {os.cpu_count()} CPUs, of which this "
        f"client used {f['client_cpu_seconds'] / f['seconds']:.2f}"
    )
    for kind, n in f["error_kinds"].items():
        print(f"  error x{n}: {kind}")
    for problem in f["problems"]:
        print(f"  problem: {problem}")  # fmt: skip


def postgres_server(port: int, directory: str) -> tuple[str, bool]:
    """A throwaway server from scripts/pg: its URL, and whether we started it."""
    env = {**os.environ, "PGTEST_PORT": str(port), "PGTEST_DIR": directory}
    pg = str(ROOT / "scripts" / "pg")
    running = subprocess.run([pg, "status"], env=env, capture_output=True).returncode == 0
    subprocess.run([pg, "start"], env=env, check=True, stdout=subprocess.DEVNULL)
    url = subprocess.run([pg, "url"], env=env, check=True, capture_output=True, text=True)
    return url.stdout.strip(), not running


def stop_postgres(port: int, directory: str) -> None:
    env = {**os.environ, "PGTEST_PORT": str(port), "PGTEST_DIR": directory}
    subprocess.run([str(ROOT / "scripts" / "pg"), "stop"], env=env, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--respondents", type=int, default=200, help="concurrent respondents")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds of reading before each answer (0: none, a stress test)",
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="seconds before a request counts as timed out"
    )
    parser.add_argument(
        "--pg-port",
        type=int,
        default=int(os.environ.get("PGTEST_PORT", 55433)),
        help="port of the throwaway PostgreSQL server (default $PGTEST_PORT or 55433)",
    )
    parser.add_argument(
        "--pg-dir",
        default=os.environ.get("PGTEST_DIR", "/tmp/heelcheck-load-pg"),
        help="its directory (default $PGTEST_DIR or /tmp/heelcheck-load-pg)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not 1 <= args.respondents <= MAX_RESPONDENTS:
        parser.error(f"--respondents must be from 1 to {MAX_RESPONDENTS}")
    if args.workers < 1 or args.think < 0 or args.timeout <= 0:
        parser.error("--workers must be at least 1, --think at least 0, --timeout above 0")
    kb = default_knowledge_base()
    patients = [dict(v["facts"]) for v in load_vignettes(VIGNETTES)]
    kinds = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    print(
        f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}  python {sys.version.split()[0]}  "
        f"{os.cpu_count()} CPUs  load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    report: list[dict[str, Any]] = []
    for kind in kinds:
        with tempfile.TemporaryDirectory(prefix="heelcheck-load-") as tmp:
            data = Path(tmp) / "data"
            if kind == "sqlite":
                report.append(run_one(Database.sqlite(data), args, kb, patients))
            else:
                server, ours = postgres_server(args.pg_port, args.pg_dir)
                database = Database.postgres(server, data)
                try:
                    report.append(run_one(database, args, kb, patients))
                finally:
                    database.drop()
                    if ours:
                        stop_postgres(args.pg_port, args.pg_dir)
        show(report[-1])
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    failed = [f for f in report
              if f["errors"] or f["lost_answers"] or f["duplicated_answers"] or f["problems"]
              or f["completed"] != f["respondents"] or f["extra_assessments"]
              or f["unacknowledged_answers"]]  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
