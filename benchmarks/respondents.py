"""Simulated respondents who take the evaluation through the HTML pages, as a browser does.

Each answers like one clinical vignette's patient (``heelcheck.vignettes.respond``) and keeps
its own cookie jar, and records every answer the site acknowledged (a 303 after the answer
POST), in order. ``check`` compares that record with what the database holds.
"""

from __future__ import annotations

import asyncio
import html
import http.cookies
import re
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from heelcheck.engine import AnswerError, Interview, KnowledgeBase, answer_label
from heelcheck.vignettes import respond

try:
    import sniffio  # noqa: F401
except ImportError:
    # httpcore tries `import sniffio` on every request; without it, each try searches all of
    # sys.path again, which costs this client about a fifth of its CPU. Remember the miss once.
    sys.modules["sniffio"] = None  # type: ignore[assignment]

Facts = Mapping[str, Any]
MAX_STEPS = 60  # more pages than any evaluation has: a loop, not a long evaluation


def form_fields(page: str) -> dict[str, str]:
    """The hidden fields of the question form on a page (question, revision, CSRF token)."""
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))


def form_answer(question: Any, value: Any) -> dict[str, Any]:
    """The form fields a browser sends for this answer."""
    if question.kind == "number":
        return {"unsure": "1"} if value is None else {"answer": f"{value:g}"}
    if question.kind == "multi":
        return {"answer": list(value)}
    return {"answer": value}


def result_answers(page: str) -> list[tuple[str, str]]:
    """The "Your answers" list of a result page: (question id, answer as shown), in order."""
    return [(qid, html.unescape(label).strip())
            for label, qid in re.findall(r'<dd>([^<]*)<a href="[^"]*/q/([\w-]+)/">', page)]  # fmt: skip


class CookieJar:
    """One browser's cookies. The site's cookies are Secure, and browsers send Secure
    cookies to http://127.0.0.1 (a secure context); httpx's own jar would not, so the
    jar is kept here and sent as a header."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def take(self, response: httpx.Response) -> None:
        for header in response.headers.get_list("set-cookie"):
            parsed = http.cookies.SimpleCookie()
            parsed.load(header)
            for name, morsel in parsed.items():
                if morsel["max-age"] in ("0", 0):
                    self.values.pop(name, None)
                else:
                    self.values[name] = morsel.value

    def header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.values.items())} if self.values else {}


class SiteError(Exception):
    """The site answered with something a working site never sends on this path."""


def shared_transport(connections: int) -> httpx.AsyncHTTPTransport:
    """One connection pool for every respondent (each keeps its own cookies)."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncHTTPTransport(limits=limits)


@dataclass
class Respondent:
    number: int
    facts: Facts
    kb: KnowledgeBase
    client: httpx.AsyncClient
    cookies: CookieJar = field(default_factory=CookieJar)
    think: Callable[[], Awaitable[None]] | None = None
    assessment_id: uuid.UUID | None = None
    acknowledged: list[tuple[str, Any]] = field(default_factory=list)
    result_path: str | None = None
    shown_answers: list[tuple[str, str]] = field(default_factory=list)
    requests: int = 0
    request_seconds: list[float] = field(default_factory=list)  # every request answered
    answer_seconds: list[float] = field(default_factory=list)
    in_flight: dict[str, Any] | None = None  # the answer form being sent, until acknowledged
    in_flight_answer: tuple[str, Any] | None = None  # (question, the engine's answer) it carries

    @classmethod
    def open(cls, number: int, facts: Facts, kb: KnowledgeBase, base_url: str,
             transport: httpx.AsyncBaseTransport, timeout: float, **kwargs: Any) -> Respondent:  # fmt: skip
        client = httpx.AsyncClient(base_url=base_url, transport=transport, timeout=timeout)
        return cls(number, facts, kb, client, **kwargs)

    @property
    def here(self) -> str:
        return f"/a/{self.assessment_id}/"

    @property
    def done(self) -> bool:
        return self.result_path is not None

    async def request(self, method: str, path: str, data: Mapping[str, Any] | None = None,
                      expect: tuple[int, ...] = (200,)) -> httpx.Response:  # fmt: skip
        """One request; SiteError unless the status is one of ``expect``. Transport failures
        (refused, reset, timed out) raise httpx.TransportError."""
        self.requests += 1
        start = time.perf_counter()
        response = await self.client.request(method, path, data=data, headers=self.cookies.header())
        self.request_seconds.append(time.perf_counter() - start)
        self.cookies.take(response)
        if response.status_code not in expect:
            raise SiteError(f"{method} {path.split('/')[1] or '/'}: {response.status_code} "
                            f"(expected {'/'.join(map(str, expect))})")  # fmt: skip
        return response

    async def begin(self) -> None:
        """The landing page, then "Start the check"."""
        await self.request("GET", "/")
        token = self.cookies.values.get("csrftoken", "")
        started = await self.request("POST", "/start/", {"csrfmiddlewaretoken": token}, (303,))
        self.assessment_id = uuid.UUID(started.headers["location"].split("/")[2])

    async def step(self) -> bool:
        """Show the current question and answer it; False once the result is reached."""
        if not await self.fill_in():
            return False
        if self.think is not None:
            await self.think()
        await self.send()
        return True

    async def fill_in(self) -> bool:
        """Show the current question and fill in its form (``in_flight``), not sent yet;
        False once the result is reached."""
        page = await self.request("GET", self.here, expect=(200, 303))
        if page.status_code == 303:
            self.result_path = page.headers["location"]
            return False
        fields = form_fields(page.text)
        question = self.kb.questions[fields["question"]]
        value = respond(question, self.facts, self.kb)
        self.in_flight = {**fields, **form_answer(question, value)}
        self.in_flight_answer = (question.id, value)
        return True

    async def send(self) -> None:
        """Send the filled-in form; the answer is acknowledged once the site says 303."""
        assert self.in_flight is not None and self.in_flight_answer is not None
        start = time.perf_counter()
        await self.request("POST", self.here, self.in_flight, (303,))
        self.answer_seconds.append(time.perf_counter() - start)
        self.acknowledged.append(self.in_flight_answer)
        self.in_flight = self.in_flight_answer = None

    async def resend(self) -> None:
        """Send the form that was in flight again, as a browser's "resend" does: the site
        must take it once, whether or not the first one arrived."""
        await self.send()

    async def send_and_lose_the_reply(self) -> None:
        """Send the filled-in form but never read the site's reply, as when the connection
        dies after the site stored the answer: the answer stays unacknowledged."""
        assert self.in_flight is not None
        self.requests += 1
        await self.client.post(self.here, data=self.in_flight, headers=self.cookies.header())

    async def finish(self) -> None:
        """Every question in turn, then the result page with its list of answers."""
        for _ in range(MAX_STEPS):
            if not await self.step():
                break
        else:
            raise SiteError("the evaluation never finished")
        assert self.result_path is not None
        page = await self.request("GET", self.result_path)
        self.shown_answers = result_answers(page.text)

    async def resume(self) -> None:
        """Come back to the landing page, which must offer to continue this evaluation
        (unless its last answer went through and it is complete)."""
        self.in_flight = self.in_flight_answer = None
        landing = await self.request("GET", "/")
        if f'href="{self.here}"' not in landing.text:
            page = await self.request("GET", self.here, expect=(200, 303))
            if page.status_code != 303:
                raise SiteError("the landing page did not offer to continue the evaluation")

    async def close(self) -> None:
        await self.client.aclose()


def canonical(kb: KnowledgeBase, answers: list[tuple[str, Any]]) -> list[dict[str, Any]] | None:
    """The answers as the engine stores them (None if the engine would refuse them)."""
    interview = Interview.start(kb)
    try:
        for qid, value in answers:
            interview = interview.answer(qid, value)
    except AnswerError:
        return None
    return list(interview.to_state()["answers"])


@dataclass
class Check:
    lost: int = 0  # acknowledged answers not stored (or stored with another value)
    duplicated: int = 0  # stored entries for a question already stored
    extra: int = 0  # stored answers the site never acknowledged
    problems: list[str] = field(default_factory=list)


def check(kb: KnowledgeBase, acknowledged: list[tuple[str, Any]],
          stored: list[dict[str, Any]]) -> Check:  # fmt: skip
    """Compare what the site acknowledged with what it stored: none lost, none duplicated,
    nothing else, same order."""
    found = Check()
    expected = canonical(kb, acknowledged)
    if expected is None:
        found.problems.append("the acknowledged answers do not replay in the engine")
        expected = [{"question": q, "answer": v} for q, v in acknowledged]
    seen: set[str] = set()
    for item in stored:
        qid = item.get("question")
        if qid in seen:
            found.duplicated += 1
        seen.add(str(qid))
    found.lost = sum(1 for item in expected if item not in stored)
    expected_ids = {item["question"] for item in expected}
    found.extra = sum(1 for item in stored if item.get("question") not in expected_ids)
    if not (found.lost or found.duplicated or found.extra) and stored != expected:
        found.problems.append("the stored answers are in another order")
    return found


def shown_labels(kb: KnowledgeBase, stored: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """What the result page should list for these stored answers."""
    return [(a["question"], answer_label(kb.questions[a["question"]], a["answer"]))
            for a in stored]  # fmt: skip


async def run_all(respondents: list[Respondent], work: Callable[[Respondent], Awaitable[None]]
                  ) -> list[BaseException | None]:  # fmt: skip
    """Run ``work`` for every respondent at once; each one's exception (or None)."""

    async def one(r: Respondent) -> BaseException | None:
        try:
            await work(r)
        except (httpx.HTTPError, SiteError) as exc:
            return exc
        return None

    return list(await asyncio.gather(*(one(r) for r in respondents)))
