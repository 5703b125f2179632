"""Helpers for the web tests: a visitor who takes the evaluation through the pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from respondents import form_answer, form_fields

from heelcheck.engine import KnowledgeBase, Question
from heelcheck.vignettes import respond
from heelcheck.web.assessments.models import Assessment

# Answer forms a browser would never send (to a visitor who has answered who the check is
# for and the age: revision 2), what the page must answer, and a phrase it must
# say (None: any clear message): the site's and the widget's answer pages share them.
TAMPERED_FORMS: list[tuple[str, dict[str, Any], int, str | None]] = [
    ("no revision", {"question": "age", "answer": "40"}, 400, "revision is missing"),
    ("revision not a number", {"question": "age", "revision": "x", "answer": "40"}, 400,
     "revision is missing"),
    ("no question", {"revision": "2", "answer": "40"}, 400, "which question"),
    ("unknown question", {"question": "shoe_size", "revision": "2", "answer": "4"}, 400,
     "Unknown question"),
    ("very long question id", {"question": "x" * 5000, "revision": "2"}, 400,
     "which question"),
    ("not asked yet", {"question": "tiptoe", "revision": "2", "answer": "can"}, 409,
     "comes later"),
    ("number out of range", {"question": "age", "revision": "2", "answer": "400"}, 400,
     "from 3 to 110 years"),
    ("number that is not one", {"question": "age", "revision": "2", "answer": "old"}, 400,
     "type a number"),
    ("empty number", {"question": "age", "revision": "2", "answer": ""}, 400,
     "type a number"),
    ("NaN", {"question": "age", "revision": "2", "answer": "nan"}, 400, "type a number"),
    ("unknown tick box", {"question": "where", "revision": "2", "answer": ["knee"]}, 400,
     None),
    ("unknown option", {"question": "respondent", "revision": "2", "answer": "maybe"}, 400,
     None),
    ("no option chosen", {"question": "respondent", "revision": "2"}, 400, None),
]  # fmt: skip


def plain_answer(question: Question) -> Any:
    """An answer to any question that needs no facts: "None of these" for a tick-list, the
    first option of a choice, 38 for a number."""
    if question.kind == "multi":
        return ["none"]
    if question.kind == "number":
        return 38
    return question.options[0].id


@dataclass
class Visitor:
    """Someone taking the evaluation in one browser."""

    client: Client
    kb: KnowledgeBase
    assessment_id: str = ""
    pages: list[str] = field(default_factory=list)

    def start(self) -> str:
        response = self.client.post("/start/")
        assert response.status_code == 303, response.status_code
        self.assessment_id = response["Location"].split("/")[2]
        return response["Location"]

    @property
    def assessment(self) -> Assessment:
        return Assessment.objects.get(pk=self.assessment_id)

    def begin(self, respondent: str = "self") -> str:
        """Start, and answer who the check is for: the age question is showing."""
        location = self.start()
        response = self.answer(respondent)
        assert response.status_code == 303, response.content.decode()[:2000]
        return location

    def page(self, url: str | None = None) -> tuple[str, dict[str, str]]:
        response = self.client.get(url or f"/a/{self.assessment_id}/")
        assert response.status_code == 200, (response.status_code, url)
        html = response.content.decode()
        return html, form_fields(html)

    def answer(self, value: Any, url: str | None = None, **extra: Any) -> Any:
        _, fields = self.page(url)
        question = self.kb.questions[fields["question"]]
        data = {**fields, **form_answer(question, value), **extra}
        return self.client.post(f"/a/{self.assessment_id}/", data)

    def answer_plainly(self) -> Any:
        """Answer the question showing without knowing it: its first option, "None of
        these" for a tick-list, 38 for a number."""
        _, fields = self.page()
        question = self.kb.questions[fields["question"]]
        return self.answer(plain_answer(question))

    def take(self, facts: dict[str, Any]) -> str:
        """Answer every question as the vignette's patient would; the result URL."""
        self.start()
        for _ in range(60):
            response = self.client.get(f"/a/{self.assessment_id}/")
            if response.status_code == 303:
                return str(response["Location"])
            fields = form_fields(response.content.decode())
            question = self.kb.questions[fields["question"]]
            value = respond(question, facts, self.kb)
            posted = self.client.post(f"/a/{self.assessment_id}/", {**fields, **form_answer(question, value)})
            assert posted.status_code == 303, posted.content.decode()[:2000]
        raise AssertionError("the evaluation never finished")
