"""Which way heel pain and low back pain are linked, for people who report both.

The rules follow the spec's definitions: the back sends symptoms to the heel when a
nerve cause from the spine (roles.yaml ``from_the_spine``: sciatica, spinal stenosis) is
likely present, leading or as a second cause, and the heel pain did not come first; the
heel strains the back when the heel pain came first and nothing points to a nerve root
(``nerve_root_signs``).  Anything else is honestly "unclear".  Inflammatory arthritis is
its own case (``shared_cause``): it causes both the back pain and the heel pain, so
neither is the cause of the other.

With two causes at once the link stays consistent: plantar fasciitis with sciatica is a
heel problem *and* a back sending symptoms to the heel (``BackLink.back_to_heel``); the result's
text then says that both need care (``Result.back_link_text``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .model import BackLink, FindingValue, Roles


def back_link(roles: Roles, known: Mapping[str, FindingValue | None], present: Sequence[str]) -> BackLink:
    """``present``: the leading condition, then the conditions likely present as well."""
    if known.get(roles.back_pain) is not True or not present:
        return BackLink.none
    heel_first = known.get(roles.heel_pain_came_first) is True
    if any(c in roles.from_the_spine for c in present):
        return BackLink.unclear if heel_first else BackLink.back_to_heel
    if present[0] in roles.shared_cause:
        return BackLink.unclear
    nerve_root = any(known.get(f) is True for f in roles.nerve_root_signs)
    if heel_first and not nerve_root:
        return BackLink.heel_to_back
    return BackLink.unclear
