"""The result record: what the engine decided, as ids and numbers only, that round-trips
through JSON and refuses what it cannot read."""

from __future__ import annotations

import json

import pytest
from people import PF_WITH_SCIATICA

from heelcheck.engine import KnowledgeBase
from heelcheck.engine.record import RECORD_VERSION, RecordError, ResultRecord
from heelcheck.vignettes import run_vignette


@pytest.fixture(scope="module")
def record(kb: KnowledgeBase) -> ResultRecord:
    return run_vignette(kb, PF_WITH_SCIATICA)[0].result().record


def test_it_holds_ids_and_numbers_only(kb: KnowledgeBase, record: ResultRecord) -> None:
    data = json.loads(json.dumps(record.to_json()))
    words = {c.name for c in kb.conditions.values()} | {r.title for r in kb.rules}
    flat = json.dumps(data)
    assert not any(w in flat for w in words), "no names or titles in a record"
    assert data["record_version"] == RECORD_VERSION
    assert record.leading == "sciatica" and record.also_present == ("plantar_fasciitis",)
    assert set(record.plan) <= {item.id for item in kb.plan}
    assert all(r.question in kb.questions for r in record.reasons)


def test_it_round_trips_through_json(record: ResultRecord) -> None:
    again = ResultRecord.from_json(json.loads(json.dumps(record.to_json())))
    assert again.to_json() == record.to_json()


@pytest.mark.parametrize(
    "broken",
    [
        None,
        [],
        {"record_version": 0},
        {"record_version": RECORD_VERSION},
        {"record_version": RECORD_VERSION, "ranked": "x"},
    ],
)
def test_it_refuses_what_it_cannot_read(broken: object) -> None:
    with pytest.raises(RecordError):
        ResultRecord.from_json(broken)


def test_a_result_stored_before_records_converts_to_the_same_record(kb: KnowledgeBase) -> None:
    result = run_vignette(kb, PF_WITH_SCIATICA)[0].result()
    converted = ResultRecord.from_stored_result(json.loads(json.dumps(result.to_dict())), kb.version)
    fresh = result.record
    assert converted.ranked == tuple((c, round(p, 4)) for c, p in fresh.ranked)
    same = (
        "also_present",
        "certainty",
        "triage",
        "fired_rules",
        "back_link",
        "plan",
        "questions_asked",
        "stopped",
    )
    assert all(getattr(converted, f) == getattr(fresh, f) for f in same)
    assert [(r.condition, r.question, r.finding) for r in converted.reasons] == [
        (r.condition, r.question, r.finding) for r in fresh.reasons
    ]
