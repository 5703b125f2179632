"""Sets written by blind authors for issue 9, kept as regression sets: each person's
structured facts answered by the simulated respondent.

`lay_stories.yaml` holds 50 first-person stories (hard cases, red flags in lay words,
parents, people unsure of facts) with their keys; `v2_vignettes.yaml` 41 vignettes of the
causes version 2 of the vocabulary adds, `other`, and eight with two causes at once, written
from the literature without reading the knowledge base (issue "Name what it is").
"""

from __future__ import annotations

from pathlib import Path

from heelcheck.engine import KnowledgeBase
from heelcheck.vignettes import evaluate, load_vignettes

DATA = Path(__file__).resolve().parents[1] / "data"


def test_no_urgent_lay_story_is_under_triaged_and_nine_in_ten_are_exact(kb: KnowledgeBase) -> None:
    summary = evaluate(kb, load_vignettes(DATA / "lay_stories.yaml"))["summary"]
    assert summary["vignettes"] == 50
    assert summary["under_triaged_urgent_or_emergency"] == []
    assert summary["triage_exact_pct"] >= 90, summary["under_triaged"]
    assert summary["over_triage_pct"] <= 10
    assert summary["back_link_pct"] >= 90


def test_the_new_causes_and_other_are_named_and_no_urgent_case_is_under_triaged(kb: KnowledgeBase) -> None:
    summary = evaluate(kb, load_vignettes(DATA / "v2_vignettes.yaml"))["summary"]
    assert summary["urgent_or_emergency"] == 17
    assert summary["under_triaged_urgent_or_emergency"] == []
    # The bar for an unseen set: top-1 85 %, top-3 95 %, exact triage 80 %,
    # over-triage 15 %, heel-back link 75 %: held here (2026.12.2: 95, 98, 85, 10, 100).
    assert summary["top1_pct"] >= 85, summary["missed_top1"]
    assert summary["top3_pct"] >= 95
    assert summary["triage_exact_pct"] >= 80, summary["under_triaged"]
    assert summary["over_triage_pct"] <= 15
    assert summary["back_link_pct"] >= 75
    # Second causes: the bar is 75 %; 2026.12.2 finds 3 of 8 (README, closing note).  Held
    # at what it does so that it cannot fall unnoticed.
    assert summary["also_present_scored"] == 8
    assert summary["also_present_pct"] >= 37.5, summary["missed_also_present"]
