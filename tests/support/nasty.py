"""Hypothesis strategies for input no honest client sends: the shapes that once reached a 500
(Unicode digits, huge and non-finite numbers, NUL, deep nesting), mixed with arbitrary text."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Each shape here broke something once: str.isdigit() is true for "²" and "①" but int()
# refuses them; a 400-digit integer overflows float(); PostgreSQL refuses NUL.
KNOWN_BAD_TEXT = [
    "²", "①", "٣", "\uff11\uff12", "9" * 400, "-" + "9" * 400, "1e400", "-1e400", "nan", "NaN",
    "inf", "-Infinity", "\x00", "en\x00", "1\x00", "\u200b1", "\ufeff", "\ud7ff", "",
    " ", "\t", "\r\n", "=1+1", "\uff1d1", "0x10", "1_000", "\u066b", "1,5", "-0", "+1",
]  # fmt: skip
KNOWN_BAD_NUMBERS: list[Any] = [
    10**400,
    -(10**400),
    10**20,
    float("inf"),
    float("-inf"),
    float("nan"),
    1e308,
    -1e-308,
    0,
]

nasty_text = st.one_of(st.sampled_from(KNOWN_BAD_TEXT), st.text(max_size=40))
nasty_numbers = st.one_of(
    st.sampled_from(KNOWN_BAD_NUMBERS),
    st.integers(min_value=-(10**500), max_value=10**500),
    st.floats(allow_nan=True, allow_infinity=True),
)
json_scalars = st.one_of(st.none(), st.booleans(), nasty_numbers, nasty_text)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(nasty_text, inner, max_size=4),
    max_leaves=12,
)


def nested(key: str, depth: int, leaf: Any) -> Any:
    """``{key: [{key: [... leaf ...]}]}``, ``depth`` objects deep (FHIR lists of elements)."""
    value: Any = leaf
    for _ in range(depth):
        value = {key: [value]}
    return value


# The examples share one database (a function-scoped fixture), and each checks that nothing
# was stored, so sharing it is what the test means.
FUZZ = settings(
    max_examples=60, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
