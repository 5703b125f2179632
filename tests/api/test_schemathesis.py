"""Schemathesis against the live OpenAPI document: every operation, under gunicorn, on a
fresh database of the test run's backend. No 5xx, and every response matches the document
(status code, content type, headers, body schema), for data that fits the document and data
that does not.

The operations are listed from the API's own code (so pytest shows one test per operation)
and must be exactly those of the live document. schemathesis.pytest.from_fixture would do
that listing itself, but it does not work under pytest 9 (it reads a private node field that
pytest removed), so each test asks the live schema for its operation's strategies instead.

Every run draws a new seed, so that CI keeps exploring; the seed is printed at the start
(``schemathesis seed: N``) and in every failure, and ``HEELCHECK_SCHEMATHESIS_SEED=N``
replays that run. Each operation gets data that fits the document (positive) and data that
does not (negative); the stateful test follows the document's links.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from api_helpers import SCHEMATHESIS_REPLAY as REPLAY
from api_helpers import SCHEMATHESIS_SEED as SEED
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from site_processes import live_site

from heelcheck.web.api.views import api

EXAMPLES = 40  # per operation; about a second each on two cores
OPERATIONS = sorted(
    (method.upper(), path) for path, item in api.get_openapi_schema()["paths"].items() for method in item
)
# The document can say what a well-formed answer looks like, not whether the engine asked
# that question yet or whether a QuestionnaireResponse holds answers to its own questions:
# schema-valid requests to these are rightly refused with a documented 422.
# (Each of these paths has one operation, a POST.)
STATE_DEPENDENT_PATHS = ["/api/v1/assessments/{id}/answers", "/api/v1/fhir/Questionnaire/$next-question"]
# ignored_auth wants a refused token to be a 401 or 403; these answer 404 on purpose, as for
# an id that does not exist (a 401 would tell that it does). ensure_resource_availability
# probes a just-created assessment along a link, without its token (a link carries the id,
# not the token), and so gets that 404. tests/api/test_token.py holds these operations to
# both instead: no token, a wrong one or another assessment's is a 404 and changes nothing;
# the token from the start opens the assessment through to its result.
TOKEN_PATHS = r"^/api/v1/assessments/\{id\}"
HYPOTHESIS = settings(
    max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
    suppress_health_check=list(HealthCheck),
)  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # A limit no fuzzing run reaches: a 429 is documented and would pass, but it would stop
    # the run from reaching the code behind it.
    with live_site(tmp_path_factory.mktemp("live"), HEELCHECK_API_WRITE_RATE="1000000") as live:
        yield live.url


@pytest.fixture(scope="module")
def live_schema(site: str) -> schemathesis.BaseSchema:
    config = schemathesis.Config.from_dict({"operations": [
        *({"include-path": path, "checks": {"positive_data_acceptance": {"enabled": False}}}
          for path in STATE_DEPENDENT_PATHS),
        {"include-path-regex": TOKEN_PATHS, "checks": {
            "ignored_auth": {"enabled": False}, "ensure_resource_availability": {"enabled": False}}},
    ]})  # fmt: skip
    return schemathesis.openapi.from_url(f"{site}/api/v1/openapi.json", config=config)


@pytest.fixture(scope="module")
def assessment(site: str) -> tuple[str, str]:
    """A real assessment and its token, so that operations on {id} reach more than the 404."""
    response = httpx.post(f"{site}/api/v1/assessments", json={})
    assert response.status_code == 201, response.text
    return str(response.json()["id"]), str(response.json()["token"])


def test_the_live_document_has_exactly_the_operations_tested(live_schema: schemathesis.BaseSchema) -> None:
    live = sorted((op.ok().method.upper(), op.ok().path) for op in live_schema.get_all_operations())
    assert live == OPERATIONS


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_operation_conforms_to_the_live_openapi_document(
    live_schema: schemathesis.BaseSchema, assessment: tuple[str, str], method: str, path: str
) -> None:
    operation = live_schema[path][method]
    strategies = [operation.as_strategy(mode) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]
    if "{id}" in path:
        assessment_id, token = assessment
        strategies.append(operation.as_strategy(
            path_parameters={"id": assessment_id}, headers={"Authorization": f"Bearer {token}"}
        ))  # fmt: skip

    @seed(SEED)
    @HYPOTHESIS
    @given(case=st.one_of(strategies))
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate()

    try:
        check()
    except BaseException as error:
        error.add_note(REPLAY)
        raise


def test_linked_operations_conform_in_sequence(live_schema: schemathesis.BaseSchema) -> None:
    """Schemathesis's stateful run: start, then follow the links (answer, read, delete...)."""
    tokens: dict[str, str] = {}

    class WithTokens(live_schema.as_state_machine()):  # type: ignore[misc]
        """Each assessment's token, kept from its start, goes with every call on its {id}, as
        a real client's would: the document's links carry the id, and a token is no
        parameter that a link could carry."""

        def before_call(self, case: schemathesis.Case) -> None:
            token = tokens.get(str((case.path_parameters or {}).get("id")))
            if token is not None:
                case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}

        def after_call(self, response: Any, case: schemathesis.Case) -> None:
            super().after_call(response, case)
            if (
                case.method.upper() == "POST"
                and case.path.endswith("/assessments")
                and response.status_code == 201
            ):
                body = response.json()
                tokens[body["id"]] = body["token"]

    machine = seed(SEED)(WithTokens)
    try:
        machine.run(settings=settings(HYPOTHESIS, max_examples=15, stateful_step_count=6))
    except BaseException as error:
        error.add_note(REPLAY)
        raise
    assert tokens, "the stateful run started no assessment"


def test_only_the_state_dependent_operations_skip_the_positive_data_check(
    live_schema: schemathesis.BaseSchema,
) -> None:
    skipping = sorted(
        op.ok().path
        for op in live_schema.get_all_operations()
        if not live_schema.config.checks_config_for(
            operation=op.ok(), phase=None
        ).positive_data_acceptance.enabled
    )
    assert skipping == sorted(STATE_DEPENDENT_PATHS)


@pytest.mark.parametrize("check", ["ignored_auth", "ensure_resource_availability"])
def test_only_the_token_operations_skip_the_token_blind_checks(
    live_schema: schemathesis.BaseSchema, check: str
) -> None:
    skipping = {
        op.ok().path
        for op in live_schema.get_all_operations()
        if not getattr(live_schema.config.checks_config_for(operation=op.ok(), phase=None), check).enabled
    }
    assert skipping == {p for _, p in OPERATIONS if p.startswith("/api/v1/assessments/{id}")}
    assert len(skipping) == 3
