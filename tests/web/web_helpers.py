"""Helpers for the web tests: a visitor who takes the evaluation through the pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.test import Client
from respondents import form_answer, form_fields

from heelcheck.engine import KnowledgeBase
from heelcheck.vignettes import respond
from heelcheck.web.assessments.models import Assessment

# Answer forms a browser would never send, what the page must answer, and a phrase it must
# say (None: any clear message): the site's and the widget's answer pages share them.
TAMPERED_FORMS: list[tuple[str, dict[str, Any], int, str | None]] = [
    ("no revision", {"question": "age", "answer": "40"}, 400, "revision is missing"),
    ("revision not a number", {"question": "age", "revision": "x", "answer": "40"}, 400,
     "revision is missing"),
    ("no question", {"revision": "1", "answer": "40"}, 400, "which question"),
    ("unknown question", {"question": "shoe_size", "revision": "1", "answer": "4"}, 400,
     "Unknown question"),
    ("very long question id", {"question": "x" * 5000, "revision": "1"}, 400,
     "which question"),
    ("not asked yet", {"question": "tiptoe", "revision": "1", "answer": "yes"}, 409,
     "comes later"),
    ("number out of range", {"question": "age", "revision": "1", "answer": "400"}, 400,
     "from 3 to 110 years"),
    ("number that is not one", {"question": "age", "revision": "1", "answer": "old"}, 400,
     "type a number"),
    ("empty number", {"question": "age", "revision": "1", "answer": ""}, 400,
     "type a number"),
    ("NaN", {"question": "age", "revision": "1", "answer": "nan"}, 400, "type a number"),
    ("unknown tick box", {"question": "where", "revision": "1", "answer": ["knee"]}, 400,
     None),
    ("unknown option", {"question": "sex", "revision": "1", "answer": "maybe"}, 400, None),
    ("no option chosen", {"question": "sex", "revision": "1"}, 400, None),
]  # fmt: skip


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
