"""roles.yaml: the few ids the engine treats in a way of its own live in the knowledge
base, are checked like every other entry, and no engine module spells them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from heelcheck.engine import KnowledgeBase, KnowledgeBaseError, load
from heelcheck.engine.loader import DEFAULT_DIR
from heelcheck.vignettes import kept_facts

SRC = Path(__file__).resolve().parents[2] / "src" / "heelcheck"


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def test_the_roles_are_read_into_a_typed_record(kb: KnowledgeBase) -> None:
    roles = kb.roles
    assert kb.findings[roles.age].type == "number"
    assert kb.findings[roles.sex].type == "enum"
    assert kb.findings[roles.respondent].type == "enum"
    assert kb.findings[roles.pregnancy].type == "bool"
    assert kb.questions[roles.foot_map].kind == "multi"
    assert all(kb.findings[f].type == "bool" for f in roles.nerve_root_signs)
    assert set(roles.from_the_spine) | set(roles.shared_cause) <= set(kb.condition_ids)


def test_a_missing_roles_file_is_named(kb_copy: Path) -> None:
    (kb_copy / "roles.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"^roles.yaml: file: cannot be read"):
        load(kb_copy)


def test_the_facts_a_variant_never_forgets_are_the_rules_findings_and_the_person(kb: KnowledgeBase) -> None:
    from_rules = {fid for rule in kb.rules for fid in rule.findings}
    assert kept_facts(kb) == from_rules | {kb.roles.age, kb.roles.respondent}
    # The facts that the hand-kept list of earlier versions named are all still kept.
    earlier = {"saddle_numbness", "bladder_bowel_change", "fever", "red_hot", "wound_ulcer", "pop_at_heel"}
    earlier |= {"cannot_bear_weight", "leg_weakness", "foot_pale_cold", "diabetes", "age", "back_pain"}
    earlier |= {"self_care_failed", "fluoroquinolone_recent", "foot_shape_change", "check_cannot_tiptoe"}
    assert earlier | {"onset_sudden"} <= kept_facts(kb)


def test_no_engine_module_spells_an_id_that_has_a_role(kb: KnowledgeBase) -> None:
    roles = kb.roles
    ids = {roles.age, roles.sex, roles.respondent, roles.pregnancy, roles.foot_map, roles.back_pain}
    ids |= {roles.back_pain_came_first, roles.heel_pain_came_first, *roles.nerve_root_signs}
    ids |= {*roles.from_the_spine, *roles.shared_cause}
    # The loader names the roles themselves, several of which are called what their ids
    # are (`age: age`); it is the one module that may spell them.
    files = [
        *(p for p in (SRC / "engine").glob("*.py") if p.name != "loader.py"),
        SRC / "vignettes.py",
        *(SRC / "web" / "assessments").glob("*.py"),
    ]
    alternatives = "|".join(map(re.escape, sorted(ids)))
    pattern = re.compile(rf"""["']({alternatives})["']""")
    spelled = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in files
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert spelled == []
