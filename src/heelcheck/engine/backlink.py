"""Which way heel pain and low back pain are linked, for people who report both.

The rules follow the spec's definitions: the heel strains the back when the heel pain
came first and nothing points to a nerve root; the back sends symptoms to the heel when
the picture is nerve-root pain (sciatica leads) and the back did not come second.
Anything else is honestly "unclear".  Inflammatory arthritis is its own case: it causes
both the back pain and the heel pain, so neither is the cause of the other.
"""

from __future__ import annotations

from collections.abc import Mapping

from .model import FindingValue, KnowledgeBase, Vector

NERVE_ROOT_SIGNS = ("radiating_below_knee", "worse_sitting_bending_cough")
SHARED_CAUSE = ("inflammatory_enthesitis",)


def back_link(kb: KnowledgeBase, known: Mapping[str, FindingValue | None], posterior: Vector) -> str:
    if known.get("back_pain") is not True:
        return "none"
    leading = kb.condition_ids[int(posterior.argmax())]
    heel_first = known.get("heel_pain_came_first") is True
    if leading == "sciatica":
        return "unclear" if heel_first else "back_to_heel"
    if leading in SHARED_CAUSE:
        return "unclear"
    nerve_root = any(known.get(f) is True for f in NERVE_ROOT_SIGNS)
    if heel_first and not nerve_root:
        return "heel_to_back"
    return "unclear"
