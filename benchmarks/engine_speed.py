"""How long the engine takes per step: update the posterior with an answer and choose
the next question.  Runs every development vignette through full interviews several
times and reports the median and p95 per step.  Prints figures; asserts nothing.

    .venv/bin/python benchmarks/engine_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from heelcheck.engine import Interview, default_knowledge_base
from heelcheck.vignettes import load_vignettes, respond

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--vignettes", type=Path, default=SHARED / "vignettes" / "dev.yaml")
    args = parser.parse_args()
    kb = default_knowledge_base()
    vignettes = load_vignettes(args.vignettes)
    Interview.start(kb)  # build the question tables once, as a server does at start-up
    steps: list[float] = []
    interviews = 0
    started = time.perf_counter()
    for _ in range(args.repeat):
        for v in vignettes:
            interview = Interview.start(kb)
            while (q := interview.next_question) is not None:
                value = respond(q, v["facts"], kb)
                t0 = time.perf_counter()
                interview = interview.answer(q.id, value)  # posterior update + next question
                steps.append(time.perf_counter() - t0)
            interview.result()
            interviews += 1
    total = time.perf_counter() - started
    steps.sort()
    ms = [s * 1000 for s in steps]
    print(f"interviews            {interviews}")
    print(f"steps                 {len(ms)}")
    print(f"per step median       {statistics.median(ms):.3f} ms   (target < 2 ms)")
    print(f"per step p95          {ms[int(0.95 * (len(ms) - 1))]:.3f} ms")
    print(f"per step max          {ms[-1]:.3f} ms")
    print(f"whole interviews/s    {interviews / total:.0f}")


if __name__ == "__main__":
    main()
