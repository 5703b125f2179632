"""The shipped knowledge base is complete, sourced and consistent with the spec."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from heelcheck.engine import KnowledgeBase, KnowledgeBaseError, check, load
from heelcheck.engine.loader import DEFAULT_DIR
from heelcheck.vignettes import load_vignettes, run_vignette


def spec_findings(shared: Path) -> dict[str, dict[str, object]]:
    groups = yaml.safe_load((shared / "spec" / "findings.yaml").read_text())
    return {fid: spec for group in groups.values() for fid, spec in group.items()}


def test_the_shipped_base_has_no_problems() -> None:
    assert check() == []


def test_it_keeps_every_finding_of_the_spec_with_the_same_type(kb: KnowledgeBase, shared: Path) -> None:
    for fid, spec in spec_findings(shared).items():
        assert fid in kb.findings, fid
        assert kb.findings[fid].type == spec["type"], fid


# Version 2 of the spec adds these; they are the work of issue "Name what it is" (issue 9
# brings the findings and the rules first).
V2_CONDITIONS = [
    "spinal_stenosis",
    "posterior_tibial_tendon",
    "gout",
    "acute_fracture",
    "dvt",
    "limb_ischaemia",
    "other",
]


def test_it_has_every_condition_of_version_2_of_the_spec(kb: KnowledgeBase, shared: Path) -> None:
    spec = yaml.safe_load((shared / "spec" / "conditions.yaml").read_text())
    assert list(spec["conditions"]) == list(kb.condition_ids)
    assert set(V2_CONDITIONS) <= set(kb.condition_ids) and len(kb.condition_ids) == 19
    for cid in kb.condition_ids:
        cond = kb.conditions[cid]
        assert cond.what and cond.signs and cond.helps and cond.worry


def test_every_weight_names_a_source_or_says_expert(kb: KnowledgeBase) -> None:
    for ev in kb.evidence.values():
        assert ev.sources and all(s in kb.sources for s in ev.sources), ev.finding
    for band in kb.age_bands:
        assert band.sources
    assert kb.sources["expert"].kind == "expert"


def test_severs_disease_exists_only_in_children(kb: KnowledgeBase) -> None:
    sever = kb.condition_ids.index("sever_disease")
    assert kb.prior_for_age(11)[sever] > 0.5
    assert kb.prior_for_age(30)[sever] == 0.0
    assert kb.prior_for_age(70)[sever] == 0.0


def test_plantar_fasciitis_is_the_commonest_cause_in_adults(kb: KnowledgeBase) -> None:
    for age in (20, 45, 80):
        prior = kb.prior_for_age(age)
        assert kb.condition_ids[int(prior.argmax())] == "plantar_fasciitis"


def test_every_question_is_reachable(kb: KnowledgeBase, shared: Path) -> None:
    """Some patient gets asked each question: the development vignettes plus, for the
    remaining ones, patients built to need them (a question nobody is ever asked is dead
    weight in the base)."""
    asked: set[str] = set()
    for v in load_vignettes(shared / "vignettes" / "dev.yaml"):
        _, transcript = run_vignette(kb, v["facts"])
        asked.update(t["question"] for t in transcript)
    probes: list[dict[str, object]] = [
        {"age": 40, "loc_heel_back_insertion": True, "q_dull_ache": True},
        {"age": 40, "red_hot": True},
        {"age": 40, "foot_pale_cold": True},
        {"age": 50, "loc_heel_bottom_center": True, "pain_at_rest": True, "night_pain": True},
        {"age": 60, "loc_toes_soles": True, "q_burning": True, "bilateral": True},
        {"age": 35, "loc_heel_bottom_inner": True, "loc_heel_back_insertion": True, "bilateral": True},
        {"age": 30, "loc_heel_sides": True, "loc_heel_bottom_center": True},
        {"age": 70, "loc_heel_bottom_center": True, "loc_heel_sides": True, "loc_arch": True},
        {"respondent": "parent_or_carer", "age": 12, "loc_heel_bottom_inner": True, "loc_heel_sides": True,
         "limping": True},
        {"age": 45, "loc_calf": True},
        {"age": 41, "sex": "male", "loc_achilles_above_heel": True, "onset_sudden": True},
        {"age": 40, "loc_heel_back_insertion": True, "loc_heel_bottom_inner": True, "morning_stiffness_long": True},
        {"age": 30, "sex": "female", "loc_heel_sides": True, "pain_builds_with_activity": True, "runner": True},
        {"age": 65, "back_pain": True, "loc_leg_buttock": True, "radiating_below_knee": True},
        {"respondent": "parent_or_carer", "age": 6, "onset_sudden": True, "fever": True,
         "cannot_bear_weight": True, "swelling": True, "pain_at_rest": True, "limping": True},
        {"age": 32, "loc_heel_back_insertion": True, "loc_heel_bottom_inner": True, "bilateral": True,
         "morning_stiffness_long": True, "back_pain": True},
        {"age": 50, "back_pain": True, "back_pain_came_first": True, "radiating_below_knee": True,
         "loc_leg_buttock": True, "leg_weakness": True, "getting_worse": True},
    ]  # fmt: skip
    for facts in probes:
        _, transcript = run_vignette(kb, facts)
        asked.update(t["question"] for t in transcript)
    never = sorted(set(kb.questions) - asked)
    # Asked only when they would teach something about a cause this version does not model
    # yet (the causes of nerve damage; stress fractures in women who train hard) or
    # when sex is known (pregnancy).  walking_legs left this list once spinal stenosis and
    # poor blood flow had their evidence columns.
    # Issue "Name what it is" gives them their causes; until then they are listed here so
    # that a question newly left unreachable still fails this test.
    waiting = ["alcohol_b12", "gut_infection", "medicines", "periods", "pregnant", "sex", "toes_up"]
    assert never == waiting, f"never asked: {never}"


def test_questions_are_short_enough_to_read_in_two_minutes(kb: KnowledgeBase) -> None:
    for q in kb.questions.values():
        assert len(q.text.split()) <= 22, q.id
        assert all(len(o.label.split()) <= 12 for o in q.options), q.id
        assert q.why.strip(), q.id


# ------------------------------------------------------------------ loader errors
@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("evidence.yaml", "  first_step_pain: ", "  first_step_pian: ",
         "evidence.yaml: bool.first_step_pian: unknown finding 'first_step_pian' (did you mean 'first_step_pain'?)"),
        ("evidence.yaml", "first_step_pain:          {PF: .90,", "first_step_pain:          {PF: 1.90,",
         "evidence.yaml: bool.first_step_pain.PF: 1.9 is outside 0.001..0.999"),
        ("evidence.yaml", "sources: [jospt2014, jospt2023, aafp2011, expert]}",
         "sources: [jospt2014, jospt2032, aafp2011, expert]}",
         "evidence.yaml: bool.first_step_pain.sources: unknown source 'jospt2032' (did you mean 'jospt2023'?)"),
        ("questions.yaml", "finding: calf_tightness", "finding: calf_tightnes",
         "questions.yaml: questions.calf_tight.finding: unknown finding 'calf_tightnes' (did you mean 'calf_tightness'?)"),
        ("questions.yaml", "kind: yes_no\n    finding: diabetes", "kind: yes_or_no\n    finding: diabetes",
         "questions.yaml: questions.diabetes.kind: unknown kind 'yes_or_no'"),
        ("questions.yaml", "    text: How old are you?", "    txet: How old are you?",
         "questions.yaml: questions.age: unknown key(s) txet (typo?)"),
        ("rules.yaml", "level: emergency", "level: emergancy",
         "rules.yaml: rules.cauda_equina.level: must be emergency, urgent or soon, not 'emergancy'"),
        ("rules.yaml", "all: [[saddle_numbness, bladder_bowel_change, both_legs_nerve]]",
         "all: [[saddle_numbnes, bladder_bowel_change, both_legs_nerve]]",
         "rules.yaml: rules.cauda_equina.all[0]: unknown finding 'saddle_numbnes' (did you mean 'saddle_numbness'?)"),
        ("evidence.yaml", "columns:", "columns: [\n",
         "evidence.yaml: line"),
        ("roles.yaml", "  age: age\n", "  age: agee\n",
         "roles.yaml: roles.age: unknown finding 'agee' (did you mean 'age'?)"),
        ("roles.yaml", "  sex: sex\n", "  sex: pregnant\n",
         "roles.yaml: roles.sex: 'pregnant' is a bool finding, not enum"),
        ("roles.yaml", "  foot_map: where\n", "  foot_map: wher\n",
         "roles.yaml: roles.foot_map: unknown question 'wher' (did you mean 'where'?)"),
        ("roles.yaml", "  foot_map: where\n", "  foot_map: back_pain\n",
         "roles.yaml: roles.foot_map: 'back_pain' must be a tick-list (multi) question"),
        ("roles.yaml", "  respondent: respondent\n", "  respondent: sex\n",
         "roles.yaml: roles.respondent: 'sex' must have exactly the values"),
        ("roles.yaml", "[sciatica, spinal_stenosis]", "[sciatica, spinal_stenosys]",
         "roles.yaml: roles.from_the_spine: unknown condition 'spinal_stenosys' (did you mean 'spinal_stenosis'?)"),
        ("roles.yaml", "[inflammatory_enthesitis]", "[]",
         "roles.yaml: roles.shared_cause: must name at least one condition"),
        ("roles.yaml", "worse_bending_forward]", "worse_bending_forwards]",
         "roles.yaml: roles.nerve_root_signs: unknown finding 'worse_bending_forwards'"),
        ("roles.yaml", "  pregnancy: pregnant\n", "  pregnancy: pregnant\n  pregnant: pregnant\n",
         "roles.yaml: roles: unknown key(s) pregnant (typo?)"),
        ("roles.yaml", "  back_pain: back_pain\n", "",
         "roles.yaml: roles: missing 'back_pain'"),
    ],
)  # fmt: skip
def test_a_typo_in_a_knowledge_file_names_the_file_the_entry_and_the_problem(
    kb_copy: Path, file: str, old: str, new: str, message: str
) -> None:
    edit(kb_copy / file, old, new)
    with pytest.raises(KnowledgeBaseError) as err:
        load(kb_copy)
    assert str(err.value).startswith(message)
    assert check(kb_copy) == [str(err.value)]


def test_a_missing_file_is_named(kb_copy: Path) -> None:
    (kb_copy / "rules.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"^rules.yaml: file: cannot be read"):
        load(kb_copy)


def test_a_condition_missing_from_the_base_is_named(kb_copy: Path) -> None:
    data = yaml.safe_load((kb_copy / "conditions.yaml").read_text())
    del data["conditions"]["charcot_foot"]
    (kb_copy / "conditions.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(KnowledgeBaseError, match=r"missing condition.*charcot_foot"):
        load(kb_copy)


def test_a_finding_set_by_two_questions_is_refused(kb_copy: Path) -> None:
    edit(kb_copy / "questions.yaml", "finding: weight_loss_unexplained", "finding: other_joints_swollen")
    with pytest.raises(KnowledgeBaseError, match="'other_joints_swollen' is already set by question"):
        load(kb_copy)
