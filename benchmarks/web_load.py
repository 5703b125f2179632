"""Load benchmark of the web site (a script that measures; it asserts nothing about time).

Starts the site with `heelcheck serve` (gunicorn, fresh SQLite data folder) on loopback,
then runs two phases with the same number of concurrent clients:

1. simulated respondents: each takes whole evaluations, answering like a clinical vignette's
   patient (`heelcheck.vignettes.respond`); the answer POST is timed;
2. the trivial view: the same clients request `GET /healthz` (one database round trip).

It prints requests per second and p50/p95 latency of both, and their ratio (target: the
answer request costs at most 3x the trivial view).

    .venv/bin/python benchmarks/web_load.py [--clients 8] [--seconds 10] [--workers 4]
"""

from __future__ import annotations

import argparse
import functools
import http.client
import json
import os
import random
import statistics
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livesite import HOST, VIGNETTES, Database, Site
from respondents import form_answer, form_fields

from heelcheck.engine import KnowledgeBase, default_knowledge_base
from heelcheck.vignettes import load_vignettes, respond

MAX_CLIENTS = 64
MAX_SECONDS = 120


@dataclass
class Browser:
    """A minimal client: one connection per request (gunicorn's sync workers close them),
    cookies kept by hand (the site's cookies are Secure, which urllib would not send over
    http even on loopback)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, form: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, str], str, float]:
        body = urllib.parse.urlencode(form or {}, doseq=True) if form is not None else None
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        start = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            conn.close()
        elapsed = time.perf_counter() - start
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text, elapsed


class Phase:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def record(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def fail(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


def respondent(port: int, kb: KnowledgeBase, facts: list[dict[str, Any]], seed: int,
               deadline: float, phase: Phase) -> None:  # fmt: skip
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        browser = Browser(port)
        browser.request("GET", "/")
        token = browser.cookies.get("csrftoken", "")
        status, headers, _, _ = browser.request("POST", "/start/", {"csrfmiddlewaretoken": token})
        if status != 303:
            phase.fail(f"start: {status}")
            return
        here = headers["Location"]
        patient = rng.choice(facts)
        for _ in range(60):
            if time.monotonic() >= deadline:
                return
            status, headers, html, _ = browser.request("GET", here)
            if status == 303:
                break  # finished: redirected to the result
            fields = form_fields(html)
            question = kb.questions[fields["question"]]
            value = respond(question, patient, kb)
            status, _, _, elapsed = browser.request("POST", here, {**fields, **form_answer(question, value)})
            if status != 303:
                phase.fail(f"answer {question.id}: {status}")
                return
            phase.record(elapsed)


def trivial(port: int, client: int, deadline: float, phase: Phase) -> None:
    browser = Browser(port)
    while time.monotonic() < deadline:
        status, _, _, elapsed = browser.request("GET", "/healthz")
        if status != 200:
            phase.fail(f"healthz: {status}")
            return
        phase.record(elapsed)


def run_phase(clients: int, seconds: float, work: Callable[[int, float, Phase], None]
              ) -> tuple[Phase, float]:  # fmt: skip
    """Run ``work(client_number, deadline, phase)`` in ``clients`` threads for ``seconds``."""
    phase = Phase()
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=work, args=(i, deadline, phase), daemon=True) for i in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    return phase, time.monotonic() - start


def summary(name: str, phase: Phase, wall: float) -> dict[str, float]:
    lat = sorted(phase.latencies)
    if not lat:
        raise SystemExit(f"{name}: no successful requests ({phase.errors[:3]})")
    p50 = statistics.median(lat)
    p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))]
    figures = {"requests": len(lat), "rps": len(lat) / wall, "p50_ms": p50 * 1e3,
               "p95_ms": p95 * 1e3, "errors": len(phase.errors)}  # fmt: skip
    print(f"{name:<22} {figures['requests']:>7} requests {figures['rps']:>8.1f} req/s   "
          f"p50 {figures['p50_ms']:6.1f} ms   p95 {figures['p95_ms']:6.1f} ms   "
          f"errors {figures['errors']}")  # fmt: skip
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (max 64)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    clients = max(1, min(args.clients, MAX_CLIENTS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    kb = default_knowledge_base()
    facts = [v["facts"] for v in load_vignettes(VIGNETTES)]
    with tempfile.TemporaryDirectory(prefix="heelcheck-bench-") as tmp:
        site = Site(Database.sqlite(Path(tmp)), workers=args.workers).start()
        port = site.port
        try:
            print(f"site: http://{HOST}:{port}/  gunicorn workers: {args.workers}  "
                  f"clients: {clients}  {seconds:g} s per phase  cpus: {os.cpu_count()}")  # fmt: skip
            answers = summary("answer POST", *run_phase(
                clients, seconds, functools.partial(respondent, port, kb, facts)))  # fmt: skip
            health = summary("GET /healthz", *run_phase(
                clients, seconds, functools.partial(trivial, port)))  # fmt: skip
        finally:
            site.stop()
    ratio = {"p50": answers["p50_ms"] / health["p50_ms"], "p95": answers["p95_ms"] / health["p95_ms"]}
    print(f"answer / trivial:      p50 {ratio['p50']:.2f}x   p95 {ratio['p95']:.2f}x   (target <= 3x)")
    if args.json:
        args.json.write_text(json.dumps({"answer_post": answers, "healthz": health,
                                         "ratio": ratio}, indent=2) + "\n")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
