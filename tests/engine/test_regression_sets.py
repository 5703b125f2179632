"""Sets written by blind authors for issue 9, kept as regression sets: each person's
structured facts answered by the simulated respondent.

`lay_stories.yaml` holds 50 first-person stories (hard cases, red flags in lay words,
parents, people unsure of facts) with their keys; `v2_vignettes.yaml` 41 vignettes of the
causes version 2 of the vocabulary adds.  Until those causes are modelled (issue "Name
what it is"), only safety is held on the second set.
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


def test_no_urgent_case_of_the_new_causes_is_under_triaged(kb: KnowledgeBase) -> None:
    summary = evaluate(kb, load_vignettes(DATA / "v2_vignettes.yaml"))["summary"]
    assert summary["urgent_or_emergency"] == 17
    assert summary["under_triaged_urgent_or_emergency"] == []
