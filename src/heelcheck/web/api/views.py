"""The JSON API, version 1. No clinical logic lives here: the engine chooses questions, judges
answers and computes results; the service layer stores them. This module only translates
between HTTP/JSON and those two, and gives every 4xx one shape::

    {"error": {"code": "...", "message": "...", "field": "..." | null}}
"""

from __future__ import annotations

import contextlib
import hmac
import json
import math
from typing import Annotated, Any, Literal

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.params.functions import Body as BodyParam
from ninja.parser import Parser
from ninja.security import HttpBearer
from pydantic import ConfigDict

from heelcheck.engine import AnswerError, KnowledgeBase, Question, StateError
from heelcheck.engine.model import Audience
from heelcheck.engine.record import RECORD_VERSION
from heelcheck.web.assessments import services
from heelcheck.web.assessments.models import Assessment

from .adaptive import FhirInputError
from .throttle import WINDOW_SECONDS, write_throttle

MAX_BODY_BYTES = 16 * 1024  # an answer is a few dozen bytes; refuse anything large unread
# $next-question carries the whole interview (questions asked with their texts, and answers):
# about 19 KB after 15 questions; the published Questionnaire with every question is 48 KB.
FHIR_MAX_BODY_BYTES = 64 * 1024
LARGE_BODY_PATHS = ("/$next-question",)


class ApiError(Exception):
    """An error answered in the one error format."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        super().__init__(message)


class SmallJsonParser(Parser):
    """JSON bodies only, and small ones."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        limit = FHIR_MAX_BODY_BYTES if request.path.endswith(LARGE_BODY_PATHS) else MAX_BODY_BYTES
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not (length.isascii() and length.isdecimal()) or int(length) > limit or len(request.body) > limit:
            raise ApiError(413, "body_too_large", f"The request body must be at most {limit} bytes.")
        try:
            data = json.loads(
                request.body or b"null",
                parse_int=_json_int,
                parse_float=_json_float,
                parse_constant=_json_constant,
            )
        except ApiError:
            raise
        except RecursionError:
            raise ApiError(
                400, "too_deep", f"The request body nests deeper than {MAX_DEPTH} levels."
            ) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ApiError(400, "malformed_json", f"The request body is not valid JSON: {error}.") from None
        if not isinstance(data, dict):
            raise ApiError(400, "malformed_json", "The request body must be a JSON object.")
        check_values(data)
        return data


# Numbers and text the engine, the FHIR models and the databases can all take, checked before
# any of them sees the body: a 400-digit integer overflows float(), nesting a few hundred deep
# exhausts the recursion of the validators, and PostgreSQL refuses NUL in text and jsonb.
MAX_DEPTH = 32  # a QuestionnaireResponse nests about 8 deep
MAX_DIGITS = 20


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ApiError(
            422, "number_too_large", f"Numbers in the request may have at most {MAX_DIGITS} digits."
        )
    return int(text)


def _json_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or len(text) > 64:
        raise ApiError(422, "number_too_large", f"The number {text[:30]} is too large to read.")
    return value


def _json_constant(text: str) -> float:
    raise ApiError(422, "not_a_number", f"{text} is not a number JSON allows.")


def check_values(data: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH and text holding NUL, without recursion."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise ApiError(422, "nul_character", "Text in the request must not contain NUL characters.")
            continue
        if not isinstance(value, (dict, list)):
            continue
        if depth > MAX_DEPTH:
            raise ApiError(400, "too_deep", f"The request body nests deeper than {MAX_DEPTH} levels.")
        if isinstance(value, dict):
            pending.extend((key, depth) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        else:
            pending.extend((item, depth + 1) for item in value)


api = NinjaAPI(
    title="heelcheck API",
    version="1",
    description=(
        "An anonymous heel-pain self-evaluation: start an assessment, answer the questions it "
        "asks one by one, read the ranked result; or run the same interview statelessly through "
        "the FHIR SDC operation `Questionnaire/$next-question`. Every 4xx answers "
        '`{"error": {"code", "message", "field"}}`. Writes (POST, DELETE) are limited per client '
        "per minute: over the limit, 429 with a `Retry-After` header in seconds. Starting an "
        "assessment returns its `token`; every `/assessments/{id}` operation needs it as "
        "`Authorization: Bearer <token>`, and answers 404 `not_found` without the right one "
        "(the same answer as for an id that does not exist)."
    ),
    urls_namespace="api-v1",
    parser=SmallJsonParser(),
    docs_url="/docs",
    throttle=write_throttle,  # counts writes only; reads pass straight through
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, field: str | None
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "field": field}}
    return api.create_response(request, body, status=status)


@api.exception_handler(ApiError)
def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.message, exc.field)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Ninja wraps the body parser's errors in HttpError(400): unwrap ours."""
    if isinstance(exc.__cause__, ApiError):
        return on_api_error(request, exc.__cause__)
    return error_response(request, exc.status_code, "bad_request", exc.message, None)


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    """Ninja adds the Retry-After header to this response itself."""
    rate = settings.HEELCHECK_API_WRITE_RATE
    wait = math.ceil(exc.wait or 1)
    message = (f"Too many changes from this client: at most {rate} every {WINDOW_SECONDS} seconds. "
               f"Try again in {wait} seconds.")  # fmt: skip
    return error_response(request, 429, "rate_limited", message, None)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "payload", "path", "query")]
    field = ".".join(loc) or None
    message = str(first.get("msg", "invalid request"))
    return error_response(request, 422, "invalid", f"{field or 'request'}: {message}", field)


@api.exception_handler(AnswerError)
def on_answer_error(request: HttpRequest, exc: AnswerError) -> HttpResponse:
    return error_response(request, 422, exc.code, str(exc), "answer" if exc.question else "question")


@api.exception_handler(StateError)
def on_state_error(request: HttpRequest, exc: StateError) -> HttpResponse:
    return error_response(request, 409, "unreadable_state", str(exc), None)


@api.exception_handler(FhirInputError)
def on_fhir_input_error(request: HttpRequest, exc: FhirInputError) -> HttpResponse:
    return error_response(request, 422, exc.code, str(exc), exc.field)


@api.exception_handler(services.StaleRevision)
def on_stale(request: HttpRequest, exc: services.StaleRevision) -> HttpResponse:
    return error_response(request, 409, "conflict", "This assessment is being changed by another request; "
                          "nothing was stored. Read it again and retry.", None)  # fmt: skip


NOT_FOUND_MESSAGE = "There is no assessment with this id that this token opens."


@api.exception_handler(Assessment.DoesNotExist)
def on_missing(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, 404, "not_found", NOT_FOUND_MESSAGE, "id")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A missing or wrong token is answered exactly as a missing id: a 401 would tell a
    caller that the id exists."""
    return on_missing(request, exc)


class AssessmentToken(HttpBearer):
    """The assessment's private token, which is also its private result link (/r/<token>/).

    The lookup is by the token's hash alone, never by the id: a wrong token misses the
    unique index whether or not the id exists, so both cost the same one query and get the
    same 404. The id in the path is then compared in constant time."""

    def authenticate(self, request: HttpRequest, token: str) -> Assessment | None:
        found = Assessment.objects.by_token(token)
        match = request.resolver_match
        wanted = str(match.kwargs.get("id", "")) if match is not None else ""
        if found is None or not hmac.compare_digest(str(found.id).encode(), wanted.lower().encode()):
            return None
        return found


assessment_token = AssessmentToken()


class OptionOut(Schema):
    id: str
    label: str
    findings: dict[str, Any] = Field(description="the finding values this option sets")
    exclusive: bool = Field(False, description="ticked alone: the 'none' option of a tick-list (id `none`)")


class QuestionOut(Schema):
    id: str
    kind: str
    text: str
    why: str | None = None
    hint: str | None = None
    allow_unsure: bool
    finding: str | None = None
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    options: list[OptionOut]


class AnswerOut(Schema):
    question: str
    answer: Any


class ResultRecordOut(Schema):
    """What the engine decided, as ids and numbers only (engine.record.ResultRecord): the words
    for it, in the reply's language, are in `result`."""

    record_version: int = Field(description="the shape's version (1)")
    kb_version: str
    ranked: list[tuple[str, float]] = Field(description="[condition id, probability present], leading first")
    also_present: list[str] = Field(description="conditions likely present as well as the leading one")
    certainty: Literal["very_likely", "likely", "possible"]
    triage: Literal["emergency", "urgent", "soon", "self_care"]
    fired_rules: list[str] = Field(description="red-flag rule ids, most urgent first")
    back_link: Literal["heel_to_back", "back_to_heel", "unclear", "none"]
    reasons: list[tuple[str, str, str | None, float]] = Field(
        description="[condition, question, finding, weight in log-odds]: what moved each cause"
    )
    explained: list[str] = Field(description="the conditions whose reasons are given, in order")
    plan: list[str] = Field(description="self-care plan item ids, in order")
    questions_asked: int
    seconds_estimate: float
    stopped: str


class AssessmentOut(Schema):
    id: str
    status: str
    revision: int
    locale: str
    kb_version: str
    answers: list[AnswerOut]
    question: QuestionOut | None = Field(description="the next question; null when complete")
    result: dict[str, Any] | None = Field(description="the engine's result once complete, in words")
    record: ResultRecordOut | None = Field(None, description="the same result as ids and numbers only")
    # One schema for every reply, the start's included: Schemathesis infers the links from
    # /assessments to /assessments/{id} by the schema's name.
    token: str | None = Field(
        None,
        description="only in the reply that starts the assessment (null in every other): its "
        "private token. Send it as `Authorization: Bearer <token>` to every /assessments/{id} "
        "operation; on the site, `/r/<token>/` shows the finished result. The site keeps only "
        "its hash, so it cannot be shown again.",
    )


_KB = services.knowledge_base()
# The questions that `age` and `respondent` answer up front: those of the roles' findings.
_AGE = _KB.questions[_KB.question_of_finding[_KB.roles.age]]
_RESPONDENT = _KB.questions[_KB.question_of_finding[_KB.roles.respondent]]
_RESPONDENTS = tuple(o.id for o in _RESPONDENT.options)


class StartIn(Schema):
    """A new assessment, optionally with who it is for and the age answered up front (the
    first two questions). With an age and no `respondent`, the person answers for themselves."""

    # The limits are the engine's own (read from the knowledge base), so that a request the
    # document allows is one the engine accepts.

    # Unknown fields are refused rather than ignored, so that the document says exactly what
    # the server accepts; a locale is a language tag such as "en" or "de-CH".
    model_config = ConfigDict(extra="forbid")

    locale: str = Field("en", max_length=16, pattern=r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
    respondent: Literal[_RESPONDENTS] | None = Field(  # type: ignore[valid-type]
        None, description="option id of the `respondent` question: who the check is for"
    )
    age: float | None = Field(
        None,
        ge=_AGE.minimum,
        le=_AGE.maximum,
        description=f"of the person with the pain, in {_AGE.unit}; null: not sure",
    )


class AnswerIn(Schema):
    question: str = Field(max_length=64)
    answer: Any = Field(description="an option id, a list of option ids, a number, or null (not sure)")


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None


class ErrorOut(Schema):
    error: ErrorBody


ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 429: ErrorOut}  # writes are rate limited
RATE_LIMITED: dict[str, Any] = {"responses": {429: {
    "description": "Too many writes from this client in the last minute (HEELCHECK_API_WRITE_RATE)",
    "headers": {"Retry-After": {"description": "seconds to wait before the next write",
                                "required": True, "schema": {"type": "integer", "minimum": 1}}},
}}}  # fmt: skip


def question_out(question: Question) -> dict[str, Any]:
    data = question.to_dict()
    data["options"] = [
        {"id": o["id"], "label": o["label"], "findings": o["sets"], "exclusive": o["exclusive"]}
        for o in data["options"]  # type: ignore[attr-defined]
    ]
    return data


def reading_locale(request: HttpRequest, assessment: Assessment) -> str:
    """The language to word a reply in: the request's Accept-Language when the knowledge
    base has it, else the locale the assessment was created with."""
    header = request.headers.get("Accept-Language", "")
    for tag, _ in parse_accept_lang_header(header):
        if tag != "*" and services.language(tag) == tag.split("-")[0].lower():
            return tag
    return assessment.locale


def assessment_out(assessment: Assessment, locale: str | None = None) -> dict[str, Any]:
    locale = locale or assessment.locale
    kb = services.knowledge_base(locale)
    record = assessment.record  # a row the migration could not read has none to show
    asking = kb.questions.get(assessment.current_question or "")
    if asking is not None:
        # Worded for whoever answers (a parent reads "your child"), with the boxes for the age:
        # the interview the service layer has just built (and cached) knows who that is.
        with contextlib.suppress(StateError):
            asking = services.load_interview(assessment, locale).question(asking.id)
    return {
        "id": str(assessment.id),
        "status": assessment.status,
        "revision": assessment.revision,
        "locale": assessment.locale,
        "kb_version": assessment.kb_version,
        "answers": assessment.answers,
        "question": question_out(asking) if asking is not None else None,
        "result": services.result_in(assessment, locale),
        "record": record if (record or {}).get("record_version") == RECORD_VERSION else None,
    }


def opened(request: HttpRequest) -> Assessment:
    """The assessment the request's token opened (AssessmentToken checked it against the id)."""
    found = request.auth  # type: ignore[attr-defined]
    if not isinstance(found, Assessment):
        raise Assessment.DoesNotExist
    return found


@api.post(
    "/assessments",
    response={201: AssessmentOut, **WRITE_ERRORS},
    summary="Start an assessment",
    openapi_extra=RATE_LIMITED,
)
def start(request: HttpRequest, payload: StartIn) -> Status[dict[str, Any]]:
    """Start an assessment. With `respondent` and/or `age` (null: not sure), the engine's first
    questions are answered up front (all or nothing: a refused answer stores nothing)."""
    given = payload.model_fields_set
    up_front: list[tuple[str, object]] = []
    if payload.respondent is not None or "age" in given:
        up_front.append((_RESPONDENT.id, payload.respondent or Audience.self.value))
    if "age" in given:
        up_front.append((_AGE.id, payload.age))
    with transaction.atomic():
        assessment = services.start_assessment(locale=payload.locale, source="api")
        token = assessment.link_token
        for question, value in up_front:
            assessment = services.submit_answer(assessment.id, question, value)
    assert token is not None  # start_assessment always sets it
    return Status(201, {**assessment_out(assessment), "token": token})


@api.get("/assessments/{id}", response={200: AssessmentOut, **ERRORS}, summary="Read an assessment",
         auth=assessment_token)  # fmt: skip
def read(request: HttpRequest, id: str) -> dict[str, Any]:
    """Read an assessment, worded in the request's `Accept-Language` where the knowledge base
    has that language (English and Spanish), else in the locale it was created with."""
    found = opened(request)
    return assessment_out(found, reading_locale(request, found))


@api.post(
    "/assessments/{id}/answers",
    response={200: AssessmentOut, **WRITE_ERRORS},
    summary="Answer a question",
    openapi_extra=RATE_LIMITED,
    auth=assessment_token,
)
def answer(request: HttpRequest, id: str, payload: AnswerIn) -> dict[str, Any]:
    """Answer the current question, or an earlier one again (the engine recomputes from there)."""
    found = opened(request)
    return assessment_out(
        services.submit_answer(found.id, payload.question, payload.answer), reading_locale(request, found)
    )


@api.delete(
    "/assessments/{id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete an assessment for good",
    openapi_extra=RATE_LIMITED,
    auth=assessment_token,
)
def delete(request: HttpRequest, id: str) -> Status[None]:
    if not services.delete_assessment(opened(request).id):
        raise Assessment.DoesNotExist
    return Status(204, None)


def knowledge_base_out(kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "version": kb.version,
        "conditions": [
            {
                "id": c.id,
                "name": c.name,
                "clinical_name": c.clinical_name,
                "icd10": c.icd10,
                "care": c.care.name,
            }
            for c in kb.conditions.values()
        ],
        "findings": [
            {
                "id": f.id,
                "type": f.type,
                "meaning": f.meaning,
                "range": list(f.range) if f.range else None,
                "values": list(f.values),
            }
            for f in kb.findings.values()
        ],
        "questions": [question_out(q) for q in kb.questions.values()],
    }


@api.get("/knowledge-base", summary="The knowledge base: conditions, findings, questions")
def knowledge_base(request: HttpRequest) -> HttpResponse:
    response = api.create_response(request, knowledge_base_out(services.knowledge_base()), status=200)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@api.get("/fhir/CodeSystem/findings", summary="FHIR R4 CodeSystem of the findings")
def fhir_findings(request: HttpRequest) -> HttpResponse:
    from .fhir import findings_code_system

    response = api.create_response(request, findings_code_system(services.knowledge_base()), status=200)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@api.get("/fhir/CodeSystem/conditions", summary="FHIR R4 CodeSystem of the conditions")
def fhir_conditions(request: HttpRequest) -> HttpResponse:
    from .fhir import conditions_code_system

    response = api.create_response(request, conditions_code_system(services.knowledge_base()), status=200)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@api.get("/fhir/Questionnaire/heelcheck", summary="FHIR R4 Questionnaire of every question")
def fhir_questionnaire(request: HttpRequest) -> HttpResponse:
    from .fhir import questionnaire

    response = api.create_response(request, questionnaire(services.knowledge_base()), status=200)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@api.get("/assessments/{id}/fhir", response={200: dict[str, Any], **ERRORS},
         summary="The assessment as a FHIR R4 Bundle", auth=assessment_token)  # fmt: skip
def fhir_bundle(request: HttpRequest, id: str) -> dict[str, Any]:
    from .fhir import assessment_bundle

    found = opened(request)
    return assessment_bundle(found.to_dict(), services.knowledge_base(reading_locale(request, found)))


@api.post(
    "/fhir/Questionnaire/$next-question",
    response={200: dict[str, Any], **WRITE_ERRORS},
    summary="FHIR SDC adaptive questionnaire: the next question",
    openapi_extra={
        **RATE_LIMITED,
        "requestBody": {
            "content": {
                "application/json": {
                    "example": {"resourceType": "QuestionnaireResponse", "status": "in-progress"},
                }
            }
        },
    },
)
def fhir_next_question(
    request: HttpRequest,
    payload: Annotated[
        dict[str, Any],
        BodyParam(
            description="a FHIR R4 QuestionnaireResponse, or a Parameters resource holding one "
            "as its 'questionnaire-response' parameter",
        ),
    ],
) -> dict[str, Any]:
    """The SDC operation, stateless: send the QuestionnaireResponse whose contained
    Questionnaire holds the questions asked so far and whose items hold the answers; get it
    back with the next question added to the contained Questionnaire, or with status
    `completed`, a contained RiskAssessment and a final display item with the result.
    Nothing is stored. Bad input is answered in the one error format."""
    from .adaptive import next_question

    return next_question(services.knowledge_base(), payload)
