"""The CSV and FHIR exports: streamed, staff-only, limited to the chosen days."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from staff_helpers import finished_interview, seed, seed_real

from heelcheck.engine import Interview, KnowledgeBase, StateError
from heelcheck.vignettes import load_vignettes, respond
from heelcheck.web.api.fhir import assessment_bundle
from heelcheck.web.assessments.models import Assessment
from heelcheck.web.staff.exports import (
    FIXED_COLUMNS,
    fhir_entries,
    finding_text,
    known_findings,
    reference,
    safe_cell,
)

RANGE = "?from=2026-03-01&to=2026-03-02"


def body(response: object) -> str:
    assert response.streaming  # type: ignore[attr-defined]
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_csv_has_a_column_for_every_finding(staff_client: Client, kb: KnowledgeBase) -> None:
    response = staff_client.get("/staff/export/assessments.csv" + RANGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="heelcheck-assessments-2026-03-01_to_2026-03-02.csv"'
    )
    header = next(csv.reader(io.StringIO(body(response))))
    assert header == [*FIXED_COLUMNS, *kb.findings]
    assert len(kb.findings) > 50


def test_the_csv_row_of_a_completed_assessment_holds_its_result_and_findings(
    staff_client: Client, kb: KnowledgeBase
) -> None:
    done = seed_real(kb, "2026-03-01 10:00:00", source="embed")
    seed_real(kb, "2026-03-02 10:00:00", complete=False)
    seed_real(kb, "2026-03-03 00:00:00")  # the day after the range
    rows = read_csv(body(staff_client.get("/staff/export/assessments.csv" + RANGE)))
    assert len(rows) == 2
    row = rows[0]
    result = done.result
    assert result is not None
    assert row["reference"] == reference(done.id)
    assert row["created_at"] == "2026-03-01T10:00:00+00:00"
    assert (row["status"], row["source"], row["kb_version"], row["locale"]) == (
        "complete",
        "embed",
        kb.version,
        "en",
    )
    assert row["leading_condition"] == result["ranked"][0][0]
    assert float(row["leading_probability"]) == result["ranked"][0][1]
    assert row["triage"] == result["triage"]
    assert row["back_link"] == result["back_link"]
    known = finished_interview(kb).known
    assert row["age"] == "40"
    assert row["respondent"] == known["respondent"] == "self"
    assert all(row[f] == finding_text(v) for f, v in known.items())
    assert all(row[f] == "" for f in kb.findings if f not in known)
    assert row["back_pain"] == "false"
    unfinished = rows[1]
    assert (unfinished["status"], unfinished["leading_condition"], unfinished["completed_at"]) == (
        "in_progress",
        "",
        "",
    )
    assert unfinished["age"] == "40"


def test_the_csv_keeps_going_past_answers_it_cannot_replay(staff_client: Client) -> None:
    seed("2026-03-01 10:00:00", answers=2)  # placeholder questions the engine does not know
    rows = read_csv(body(staff_client.get("/staff/export/assessments.csv" + RANGE)))
    assert len(rows) == 1
    assert rows[0]["age"] == ""


def test_the_csv_cannot_start_a_spreadsheet_formula(staff_client: Client) -> None:
    seed("2026-03-01 10:00:00", locale="=HYPERLINK(1)", kb_version="+v1")
    row = read_csv(body(staff_client.get("/staff/export/assessments.csv" + RANGE)))[0]
    assert row["locale"] == "'=HYPERLINK(1)"
    assert row["kb_version"] == "'+v1"


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("=1+1", "'=1+1"), ("+x", "'+x"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
     ("-1.5", "-1.5"), ("0.25", "0.25"), ("plain", "plain"), ("", "")],
)  # fmt: skip
def test_a_cell_that_looks_like_a_formula_is_quoted(cell: str, safe: str) -> None:
    assert safe_cell(cell) == safe


@pytest.mark.parametrize(
    "cell",
    [" =1+1", "\n=1+1", "\r=1", "\x00=1", "\u200b=1", "\ufeff=1", "\u00a0=1", "\u3000=1",
     "\uff1d1+1", "\uff0bx", "\uff0dx", "\uff20SUM(A1)", "\u22121", " 1"],
)  # fmt: skip
def test_a_cell_a_spreadsheet_could_read_past_blanks_or_full_width_signs_to_a_formula_is_quoted(
    cell: str,
) -> None:
    assert safe_cell(cell) == "'" + cell


def test_findings_are_written_plainly() -> None:
    assert [finding_text(v) for v in (True, False, 40.0, 1.5, "female", None)] == [
        "true", "false", "40", "1.5", "female", "unsure",
    ]  # fmt: skip


def test_the_fhir_export_is_one_r4_bundle_of_each_assessments_resources(
    staff_client: Client, kb: KnowledgeBase
) -> None:
    done = seed_real(kb, "2026-03-01 10:00:00")
    unfinished = seed_real(kb, "2026-03-02 10:00:00", complete=False)
    seed_real(kb, "2026-02-28 23:00:00")  # the day before the range
    response = staff_client.get("/staff/export/fhir.json" + RANGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="heelcheck-fhir-2026-03-01_to_2026-03-02.json"'
    )
    bundle = Bundle.model_validate_json(body(response))
    assert bundle.type == "collection"
    resources = [(e.resource.get_resource_type(), e.resource.id) for e in bundle.entry or []]
    assert resources == [
        ("QuestionnaireResponse", f"qr-{reference(done.id)}"),
        ("RiskAssessment", f"ra-{reference(done.id)}"),
        ("QuestionnaireResponse", f"qr-{reference(unfinished.id)}"),
    ]
    response_of_done = bundle.entry[0].resource  # type: ignore[index]
    assert response_of_done.status == "completed"
    assert len(response_of_done.item) == len(done.answers)
    risk = bundle.entry[1].resource  # type: ignore[index]
    assert risk.prediction[0].outcome.coding[0].code == done.result["ranked"][0][0]  # type: ignore[index]


def test_an_empty_range_gives_an_empty_but_valid_bundle(staff_client: Client) -> None:
    bundle = Bundle.model_validate_json(body(staff_client.get("/staff/export/fhir.json" + RANGE)))
    assert bundle.type == "collection"
    assert not bundle.entry


@pytest.mark.parametrize("complete", [True, False])
def test_the_fhir_entries_are_those_of_the_apis_bundle(db: None, kb: KnowledgeBase, complete: bool) -> None:
    assessment = seed_real(kb, "2026-03-01 10:00:00", complete=complete)
    assessment.refresh_from_db()
    # The same resources, named by the export's reference instead of the id.
    expected = assessment_bundle({**assessment.to_dict(), "id": reference(assessment.id)}, kb)["entry"]
    assert json.loads(json.dumps(fhir_entries(assessment, kb))) == expected


def test_the_findings_are_those_the_engine_knows_for_every_vignette(kb: KnowledgeBase) -> None:
    path = Path(__file__).resolve().parents[2].parent / "shared" / "vignettes" / "dev.yaml"
    assert path.is_file(), path
    for vignette in load_vignettes(path):
        interview = Interview.start(kb)
        while (q := interview.next_question) is not None:
            interview = interview.answer(q.id, respond(q, vignette["facts"], kb))
            stored = Assessment(answers=interview.to_state()["answers"], kb_version=kb.version)
            assert known_findings(kb, stored) == dict(interview.known), vignette["id"]


@pytest.mark.parametrize(
    "answers",
    [
        [{"question": "age", "answer": 40}, {"question": "age", "answer": 41}],
        [{"question": "nope", "answer": "yes"}],
        [{"question": ["age"], "answer": 40}],
        [{"question": "age"}],
        [{"question": "age", "answer": "old"}],
        ["age"],
    ],
)
def test_answers_the_engine_would_refuse_give_no_findings(kb: KnowledgeBase, answers: list[object]) -> None:
    stored = Assessment(answers=answers, kb_version=kb.version)
    assert known_findings(kb, stored) == {}
    with pytest.raises(StateError):
        Interview.from_state(kb, {"version": kb.version, "answers": answers})


def test_the_exports_name_each_assessment_by_a_reference_that_opens_nothing(
    staff_client: Client, kb: KnowledgeBase
) -> None:
    done = seed_real(kb, "2026-03-01 10:00:00")
    unfinished = seed_real(kb, "2026-03-02 10:00:00", complete=False)
    exported = [
        body(staff_client.get(f"/staff/export/{name}" + RANGE)) for name in ("assessments.csv", "fhir.json")
    ]
    refs = {reference(done.id), reference(unfinished.id)}
    assert len(refs) == 2 and refs.isdisjoint({str(done.id), str(unfinished.id)})
    for text in exported:
        for assessment in (done, unfinished):
            assert str(assessment.id) not in text and assessment.id.hex not in text
            assert assessment.token not in text
            assert reference(assessment.id) in text
    assert exported[0] == body(staff_client.get("/staff/export/assessments.csv" + RANGE))  # stable
    anyone = Client()
    framed = Client(HTTP_SEC_FETCH_DEST="iframe")
    for ref in refs:
        assert anyone.get(f"/a/{ref}/").status_code == 404
        assert anyone.get(f"/r/{ref}/").status_code == 404
        assert framed.get(f"/embed/a/{ref}/").status_code == 404
        assert anyone.get(f"/api/v1/assessments/{ref}").status_code == 404
        assert anyone.get(f"/api/v1/assessments/{ref}", HTTP_AUTHORIZATION=f"Bearer {ref}").status_code == 404
