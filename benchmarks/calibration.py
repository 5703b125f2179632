"""Is the confidence a result shows honest?  Runs vignettes through full interviews and
measures how well the shown probabilities match what the vignettes say is present.

- Brier score: the mean over vignettes of the summed squared error over every condition,
  where a condition is "present" when it is the vignette's expected condition, one it
  accepts as first, or one it lists as present as well (0 is perfect; always saying
  "nothing" scores about 1).
- Reliability table of the leading cause: results grouped by the probability shown for
  it, with how often it was right in each group (a calibrated 80 % is right 8 times in 10).
- The same table for second causes (``also_present``): how often a named one is right.

With ``--temper`` and ``--stop`` it repeats the measurement for other settings of the
engine (evidence.yaml ``settings``), to choose them; the README states the choice.
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/calibration.py [--set FILE ...] [--temper 0.6 0.8] [--stop 0.9]
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from heelcheck.engine import KnowledgeBase, default_knowledge_base
from heelcheck.engine.result import CERTAINTY, Result
from heelcheck.vignettes import imperfect_variants, load_vignettes, run_vignette

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BINS = (0.0, 0.5, 0.65, 0.8, 0.9, 1.0001)


@dataclass
class Reliability:
    """Predictions grouped by the probability shown: [low, high) → (n, right, sum of p)."""

    rows: dict[tuple[float, float], list[float]] = field(
        default_factory=lambda: {(lo, hi): [0, 0, 0.0] for lo, hi in itertools.pairwise(BINS)}
    )

    def add(self, p: float, right: bool) -> None:
        for (lo, hi), row in self.rows.items():
            if lo <= p < hi:
                row[0] += 1
                row[1] += right
                row[2] += p
                return

    def lines(self, title: str) -> list[str]:
        out = [f"  {title}", "    shown        n   mean shown   right"]
        for (lo, hi), (n, right, total) in self.rows.items():
            if n:
                out.append(
                    f"    {lo:4.0%}-{min(hi, 1.0):<5.0%} {int(n):4d}   {total / n:9.0%}   {right / n:6.0%}"
                )
        return out


@dataclass
class Measure:
    n: int = 0
    brier: float = 0.0
    leading: Reliability = field(default_factory=Reliability)
    second: Reliability = field(default_factory=Reliability)
    words: dict[str, list[int]] = field(default_factory=dict)  # certainty → [n, right]
    questions: list[int] = field(default_factory=list)

    def add(self, vignette: Mapping[str, Any], result: Result) -> None:
        exp = vignette["expected"]
        first = {exp["condition"], *(exp.get("also_acceptable") or [])}
        present = first | set(exp.get("also_present") or [])
        self.n += 1
        self.brier += sum((r.probability - (r.condition in present)) ** 2 for r in result.ranked)
        right = result.leading.condition in first
        self.leading.add(result.leading.probability, right)
        tally = self.words.setdefault(result.certainty.value, [0, 0])
        tally[0] += 1
        tally[1] += right
        shown = {r.condition: r.probability for r in result.ranked}
        for cid in result.also_present:
            self.second.add(shown[cid], cid in present)
        self.questions.append(result.questions_asked)

    def report(self, label: str) -> str:
        lines = [f"{label}: {self.n} runs, Brier score {self.brier / max(1, self.n):.3f}"]
        lines += self.leading.lines("leading cause")
        lines += self.second.lines("second causes named (also_present)")
        cuts = ", ".join(f"{words.value} from {lowest:.0%}" for lowest, words in CERTAINTY)
        lines.append(f"  in words ({cuts}):")
        for words, (n, right) in sorted(self.words.items()):
            lines.append(f"    {words:<12} {n:4d} results, right {right / n:6.0%}")
        ordered = sorted(self.questions)
        lines.append(f"  questions: median {ordered[len(ordered) // 2]}")
        return "\n".join(lines)


def measure(kb: KnowledgeBase, vignettes: Iterable[Mapping[str, Any]]) -> Measure:
    m = Measure()
    for v in vignettes:
        interview, _ = run_vignette(kb, v["facts"])
        m.add(v, interview.result())
    return m


def with_settings(kb: KnowledgeBase, **changes: float) -> KnowledgeBase:
    return replace(kb, settings={**kb.settings, **changes})


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--set",
        type=Path,
        action="append",
        help="vignette files (default: the development set, with its imperfect variants)",
    )
    parser.add_argument("--temper", type=float, nargs="*", default=[], help="tempering values to compare")
    parser.add_argument("--stop", type=float, nargs="*", default=[], help="stop_confidence values to compare")
    args = parser.parse_args(argv)
    kb = default_knowledge_base()
    if args.set:
        vignettes = [v for path in args.set for v in load_vignettes(path)]
    else:
        dev = load_vignettes(SHARED / "vignettes" / "dev.yaml")
        vignettes = dev + imperfect_variants(kb, dev)
    print(
        measure(kb, vignettes).report(
            f"shipped settings (tempering {kb.settings['tempering']:g}, "
            f"stop {kb.settings['stop_confidence']:g})"
        )
    )
    for temper in args.temper:
        print(measure(with_settings(kb, tempering=temper), vignettes).report(f"tempering {temper:g}"))
    for stop in args.stop:
        print(measure(with_settings(kb, stop_confidence=stop), vignettes).report(f"stop_confidence {stop:g}"))


if __name__ == "__main__":
    main()
