"""`heelcheck kb check` refuses a knowledge base where a condition lacks any part a
result needs to name it: prior weight, findings that point to it, a question that asks
one, its texts, a care level, a row in every evidence table, and plan items or a reason
for having none."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from heelcheck.engine import KnowledgeBaseError, check, load
from heelcheck.engine.loader import DEFAULT_DIR, distinguishing_findings


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def test_every_condition_but_other_has_findings_that_point_to_it_and_a_question_for_them() -> None:
    kb = load()
    for cid in kb.condition_ids:
        if cid == "other":
            continue
        pointing = distinguishing_findings(kb, cid)
        assert pointing, cid
        assert any(f in kb.question_of_finding for f in pointing), cid


def test_a_condition_without_prior_weight_is_named(kb_copy: Path) -> None:
    path = kb_copy / "evidence.yaml"
    # DV is the blood clot's column: zero weight in every age band.
    text = re.sub(r"(\n    p: \{[^}]*?)DV: [0-9.]+", r"\1DV: 0", path.read_text())
    path.write_text(text)
    assert "evidence.yaml: priors: 'dvt' has no weight in any age band" in check(kb_copy)


def test_a_condition_no_finding_points_to_is_named(kb_copy: Path) -> None:
    path = kb_copy / "evidence.yaml"
    lines = []
    for line in path.read_text().splitlines():
        if line.startswith("  ") and not line.startswith("   ") and "{PF:" in line:
            line = re.sub(r"GO: [0-9.]+", "GO: .01", line)
        lines.append(line)
    path.write_text("\n".join(lines) + "\n")
    assert any("no finding points to 'gout'" in p for p in check(kb_copy))


def test_a_condition_whose_pointing_findings_no_question_asks_is_named(kb_copy: Path) -> None:
    # Leave the blood clot one pointing finding (a recent operation, cast, bed rest or long
    # trip), then take away the question that asks it.
    path = kb_copy / "evidence.yaml"
    lines = []
    for line in path.read_text().splitlines():
        if line.startswith(("  loc_calf:", "  calf_swelling_one_side:")):
            line = re.sub(r"DV: [0-9.]+", "DV: .01", line)
        if not line.startswith("  DV: [clot_risk"):  # its confirmation question goes too
            lines.append(line)
    path.write_text("\n".join(lines) + "\n")
    assert distinguishing_findings(load(kb_copy), "dvt") == ("clot_risk_recent",)
    data = yaml.safe_load((kb_copy / "questions.yaml").read_text())
    data["questions"] = [q for q in data["questions"] if q["id"] != "clot_risk"]
    (kb_copy / "questions.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    problems = check(kb_copy)
    assert "questions.yaml: no question asks a finding that points to 'dvt' (clot_risk_recent)" in problems


def test_a_condition_without_plan_items_or_a_reason_for_none_is_named(kb_copy: Path) -> None:
    path = kb_copy / "conditions.yaml"
    data = yaml.safe_load(path.read_text())
    del data["conditions"]["dvt"]["no_plan"]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert "plan.yaml: no self-care item suits 'dvt' (or say why in its no_plan)" in check(kb_copy)


@pytest.mark.parametrize("part", ["what", "signs", "helps", "worry", "care", "name"])
def test_a_condition_missing_a_text_or_its_care_level_is_refused(kb_copy: Path, part: str) -> None:
    path = kb_copy / "conditions.yaml"
    data = yaml.safe_load(path.read_text())
    del data["conditions"]["gout"][part]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    with pytest.raises(KnowledgeBaseError, match=f"conditions.gout: missing '{part}'"):
        load(kb_copy)


def test_a_condition_missing_from_an_evidence_row_is_refused(kb_copy: Path) -> None:
    path = kb_copy / "evidence.yaml"
    text = path.read_text()
    line = next(x for x in text.splitlines() if x.startswith("  first_step_pain:"))
    path.write_text(text.replace(line, re.sub(r", LI: [0-9.]+", "", line)))
    with pytest.raises(KnowledgeBaseError, match=r"bool.first_step_pain: missing column\(s\) LI"):
        load(kb_copy)


def test_a_pair_with_other_or_an_unknown_condition_is_refused(kb_copy: Path) -> None:
    path = kb_copy / "combinations.yaml"
    data = yaml.safe_load(path.read_text())
    data["pairs"].append({"conditions": ["plantar_fasciitis", "other"], "share": 0.1, "sources": ["expert"]})
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(KnowledgeBaseError, match="must name two different conditions, not 'other'"):
        load(kb_copy)
    data["pairs"][-1]["conditions"] = ["plantar_fasciitis", "plantar_fascitis"]
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(KnowledgeBaseError, match="unknown condition 'plantar_fascitis'"):
        load(kb_copy)
