"""Reading level of plain English texts: the Flesch-Kincaid grade of the ``readability``
package (surface counts: words per sentence, syllables per word), for the tests that hold
patient-facing texts to about a 12-year-old's level (US grade 6-7)."""

from __future__ import annotations

import re
from collections.abc import Iterable

import readability

GRADE_FOR_A_KIND = 7.0  # about a 12-year-old
GRADE_FOR_ONE_TEXT = 9.0
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
TOKEN = re.compile(r"[A-Za-z0-9'\u2019]+(?:-[A-Za-z0-9'\u2019]+)*|[.,!?;:]")


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(" ".join(text.split())) if s]


def grade(texts: Iterable[str]) -> float:
    """Flesch-Kincaid grade of the texts taken together."""
    # readability expects one sentence per line, tokens separated by spaces.
    tokenised = "\n\n".join(
        "\n".join(" ".join(TOKEN.findall(sentence)) for sentence in sentences(text))
        for text in texts
        if text.strip()
    )
    return float(readability.getmeasures(tokenised, lang="en")["readability grades"]["Kincaid"])
