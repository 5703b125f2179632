from __future__ import annotations

from typing import Any

from web_helpers import Visitor


def test_it_takes_a_plantar_fasciitis_evaluation_to_its_result(
    alice: Visitor, vignettes: dict[str, dict[str, Any]]
) -> None:
    url = alice.take(vignettes["D001"]["facts"])
    assert url.startswith("/r/")
    page = alice.client.get(url).content.decode()
    assert "Your heel pain fits best: Plantar fasciitis" in page
