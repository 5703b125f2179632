"""The first question page weighs under 30 KB in all and loads nothing from another host."""

from __future__ import annotations

import re

from web_helpers import Visitor

BUDGET = 30 * 1024


def page_weight(visitor: Visitor, url: str) -> tuple[int, list[str]]:
    """Bytes of the HTML and of everything it loads (styles, scripts, images), and the URLs."""
    response = visitor.client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"', html)
    total = len(response.content)
    for sub in urls:
        if sub.startswith("data:"):
            total += len(sub)
            continue
        assert sub.startswith("/") and not sub.startswith("//"), f"loads from elsewhere: {sub}"
        asset = visitor.client.get(sub)
        assert asset.status_code == 200, sub
        total += len(b"".join(asset.streaming_content) if asset.streaming else asset.content)
    return total, urls


def test_the_first_question_page_weighs_under_30_kb(alice: Visitor) -> None:
    alice.start()
    total, urls = page_weight(alice, f"/a/{alice.assessment_id}/")
    assert any(u.endswith(".css") for u in urls) and any(u.endswith(".js") for u in urls)
    print(f"first question page: {total} bytes in all ({len(urls)} files besides the HTML)")
    assert total < BUDGET, total


def test_the_foot_picture_page_also_weighs_under_30_kb(alice: Visitor) -> None:
    alice.begin()
    alice.answer(38)
    while alice.assessment.current_question != "where":
        _, fields = alice.page()
        question = alice.kb.questions[fields["question"]]
        alice.answer(question.options[-1].id if question.options else None)
    total, _ = page_weight(alice, f"/a/{alice.assessment_id}/")
    print(f"foot picture page: {total} bytes in all")
    assert total < BUDGET, total
