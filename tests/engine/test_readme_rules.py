"""The README's table of red-flag rules is the rules file, rule for rule."""

from __future__ import annotations

import re
from pathlib import Path

from heelcheck.engine import KnowledgeBase

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_every_rule_with_its_level_and_sources(kb: KnowledgeBase) -> None:
    rows = {
        m.group(1): (m.group(2), m.group(3).strip())
        for m in re.finditer(r"^\| `(\w+)` \| (\w+) \| .* \| ([\w, ]+) \|$", README.read_text(), re.M)
    }
    expected = {r.id: (r.level.name, ", ".join(r.sources)) for r in kb.rules}
    assert rows == expected
