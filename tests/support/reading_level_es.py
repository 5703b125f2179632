"""Reading level of plain Spanish texts: the Fernández-Huerta ease of the ``textstat``
package (Flesch's formula refitted for Spanish: 100 is easiest; 70-80 is "fairly easy",
about a 12-year-old's level), for the tests that hold patient-facing texts to it."""

from __future__ import annotations

from collections.abc import Iterable

import textstat

EASE_FOR_A_KIND = 70.0  # "fairly easy": about a 12-year-old
EASE_FOR_ONE_TEXT = 55.0


def ease(texts: Iterable[str]) -> float:
    """Fernández-Huerta reading ease of the texts taken together."""
    textstat.set_lang("es")
    # A label without a full stop ("Fiebre o escalofríos") still ends a sentence.
    ended = (t.strip() if t.strip().endswith((".", "?", "!", ":")) else f"{t.strip()}." for t in texts)
    joined = " ".join(t for t in ended if t != ".")
    return float(textstat.fernandez_huerta(joined))
