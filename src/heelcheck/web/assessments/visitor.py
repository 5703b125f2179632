"""What this browser may open: the ids and private-link tokens of its own assessments,
kept in the signed session cookie (the server stores nothing about the visitor).

A page under ``/a/<id>/`` opens only for a browser that holds that assessment's token, so
an id seen elsewhere (a log, a staff export) is not enough to read anyone's answers.
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest

from .models import Assessment

KEY = "assessments"
KEEP = 5  # the most recent assessments this browser can reopen without the private link


def _held(request: HttpRequest) -> dict[str, str]:
    held = request.session.get(KEY)
    return dict(held) if isinstance(held, dict) else {}


def remember(request: HttpRequest, assessment: Assessment, token: str) -> None:
    held = _held(request)
    held.pop(str(assessment.id), None)
    held[str(assessment.id)] = token
    request.session[KEY] = dict(list(held.items())[-KEEP:])


def forget(request: HttpRequest, assessment_id: uuid.UUID | str) -> None:
    held = _held(request)
    if held.pop(str(assessment_id), None) is not None:
        request.session[KEY] = held


def token_for(request: HttpRequest, assessment_id: uuid.UUID | str) -> str | None:
    token = _held(request).get(str(assessment_id))
    return token if isinstance(token, str) else None


def latest_in_progress(request: HttpRequest) -> Assessment | None:
    """This browser's most recent unfinished assessment, to offer "continue"."""
    for aid in reversed(list(_held(request))):
        found = own(request, aid)
        if found is not None and not found.is_complete:
            return found
    return None


def own(request: HttpRequest, assessment_id: uuid.UUID | str) -> Assessment | None:
    """The assessment if this browser holds its token, else None (absent or not ours)."""
    token = token_for(request, assessment_id)
    if token is None:
        return None
    try:
        assessment = Assessment.objects.get(pk=assessment_id)
    except Assessment.DoesNotExist:
        return None
    if not assessment.token_matches(token):
        return None
    return assessment
