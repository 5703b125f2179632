"""Exports of the assessments, written row by row so that any number of them streams out in
constant memory: a CSV table with one column per finding, and a FHIR R4 Bundle.

Both read the rows with ``.iterator(chunk_size=...)``; nothing builds a list of all rows.

Neither holds an assessment's id or token: each assessment is named by :func:`reference`,
which opens nothing anywhere. The id is not a credential, but it is in the address of
every page of the site's flow (browser history, screenshots); an export row found by it
would tie a person's browser to their answers.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import F, QuerySet
from django.db.models.fields.json import KT
from django.utils.crypto import salted_hmac

from heelcheck.engine import HeelcheckError, Interview, KnowledgeBase, findings_of_state
from heelcheck.web.api import fhir
from heelcheck.web.assessments import services
from heelcheck.web.assessments.models import Assessment

CHUNK = 500
FIXED_COLUMNS = [
    "reference", "created_at", "completed_at", "status", "source", "kb_version", "locale",
    "leading_condition", "leading_probability", "triage", "back_link",
]  # fmt: skip
# A spreadsheet runs a cell that starts with one of these as a formula, or reads past a
# leading blank, control or invisible character to one (and some read the full-width forms
# as the ASCII ones).
FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\u2212", "\ufe62", "\ufe63")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")
UNSURE = "unsure"


def reference(assessment_id: uuid.UUID | str) -> str:
    """The assessment's name in the exports: the same in every export (so that rows can be
    matched across them), but not its id. An HMAC-SHA256 of the id with the site's secret
    key, shaped as a UUID for FHIR's urn:uuid: without the key it cannot be turned back into
    the id, and nothing looks an assessment up by it."""
    digest = salted_hmac("heelcheck.export-reference", str(assessment_id), algorithm="sha256").digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


class _Line:
    """A file-like object whose write() hands the text back: csv.writer, one line at a time."""

    def write(self, text: str) -> str:
        return text


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading formula character gets a quote before it
    (OWASP's advice on CSV injection). Plain numbers (e.g. -1.5) are left as they are."""
    if not value or PLAIN_NUMBER.fullmatch(value):
        return value
    first = value[0]
    if (
        first in FORMULA_START
        or first.isspace()
        or unicodedata.category(first) in ("Cc", "Cf", "Zs", "Zl", "Zp")
    ):
        return "'" + value
    return value


def finding_text(value: object) -> str:
    """A finding as a cell: true/false, a number, an option value; "unsure" for "not sure"."""
    if value is None:
        return UNSURE
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def known_findings(kb: KnowledgeBase, assessment: Assessment) -> dict[str, object]:
    """The findings the stored answers set, exactly as ``Interview.from_state(...).known``
    gives them; {} if the answers cannot be read, since a damaged row must not stop the
    export. Answers of this knowledge-base version are read without rebuilding the
    interview (about ten times faster: the replay would be most of an export's time);
    older versions are replayed, which drops answers the engine no longer asks."""
    state = {"version": assessment.kb_version, "answers": assessment.answers}
    try:
        if assessment.kb_version == kb.version:
            return dict(findings_of_state(kb, state))
        return dict(Interview.from_state(kb, state, trusted=True).known)
    except HeelcheckError:
        return {}


def csv_header(kb: KnowledgeBase) -> list[str]:
    return [*FIXED_COLUMNS, *kb.findings]


def csv_queryset(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The rows, with the four result values the table needs read out by the database: the
    whole stored result (about 10 KB of JSON each) is never loaded."""
    return (
        assessments.defer("result", "record", "token")
        .annotate(
            leading=F("leading_condition"),
            probability=KT("result__ranked__0__1"),
            level=F("care_level"),
            link=KT("result__back_link"),
        )
        .order_by("created_at", "pk")
    )


def csv_row(kb: KnowledgeBase, assessment: Assessment) -> list[str]:
    """One assessment from :func:`csv_queryset` as table cells."""
    known = known_findings(kb, assessment)
    extra = [getattr(assessment, name, None) for name in ("leading", "probability", "level", "link")]
    cells = [
        reference(assessment.id),
        assessment.created_at.isoformat(),
        assessment.completed_at.isoformat() if assessment.completed_at else "",
        assessment.status,
        assessment.source,
        assessment.kb_version,
        assessment.locale,
        *("" if value is None else str(value) for value in extra),
        *(finding_text(known[f]) if f in known else "" for f in kb.findings),
    ]
    return [safe_cell(c) for c in cells]


def csv_lines(kb: KnowledgeBase, assessments: QuerySet[Assessment]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(csv_header(kb))
    for assessment in csv_queryset(assessments).iterator(chunk_size=CHUNK):
        yield writer.writerow(csv_row(kb, assessment))


def fhir_entries(assessment: Assessment, kb: KnowledgeBase) -> list[dict[str, Any]]:
    """The assessment's entries, as in the API's ``assessment_bundle`` but without validating
    every row again: pydantic validation costs about a hundred times the building, and would
    make a large export crawl."""
    return fhir.assessment_entries(
        reference(assessment.id), assessment.is_complete, assessment.answers, assessment.record, kb
    )


def fhir_bundle_chunks(
    assessments: QuerySet[Assessment], timestamp: str, kb: KnowledgeBase | None = None
) -> Iterator[str]:
    """A FHIR R4 Bundle of type "collection" as JSON text, one assessment at a time, worded
    by ``kb`` (the clinic's default language when not given)."""
    kb = kb or services.knowledge_base()
    head = {"resourceType": "Bundle", "type": "collection", "timestamp": timestamp}
    yield json.dumps(head)[:-1] + ', "entry": ['
    first = True
    for assessment in assessments.order_by("created_at", "pk").iterator(chunk_size=CHUNK):
        for entry in fhir_entries(assessment, kb):
            yield ("" if first else ",") + "\n" + json.dumps(entry, separators=(",", ":"))
            first = False
    yield "\n]}\n"


def encoded(chunks: Iterable[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")
