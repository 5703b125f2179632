"""Reading an answer from a submitted question form, and saying kindly what is wrong with it.

The form fields are ``question`` (id), ``revision`` (the stored revision the page showed),
``answer`` (one value; several for a tick-list) and ``unsure`` (the "Not sure" button of a
number question). Whether an answer is acceptable is the engine's call; this module only
turns form fields into the engine's answer values and engine errors into plain words.

The engine's own messages are English and written for programmers; a page shows the
site's message for the error's ``code`` instead (:func:`friendly`), in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from heelcheck.engine import AnswerCode, AnswerError, Question

MAX_FIELD = 200  # characters; anything longer is not a real answer


class FormError(Exception):
    """The form is missing something or was tampered with (status 400)."""


@dataclass(frozen=True)
class Submission:
    question: str
    revision: int


def read_submission(data: QueryDict) -> Submission:
    question = data.get("question", "")
    if not question or len(question) > 64:
        raise FormError(_("The form did not say which question it answers."))
    raw = data.get("revision", "")
    # isdecimal() alone accepts other scripts' digits that int() reads ("٣") and isdigit()
    # accepts some it does not ("²"): only ASCII digits are a revision.
    if not (raw.isascii() and raw.isdecimal()) or len(raw) > 9:
        raise FormError(_("The form is incomplete (its revision is missing)."))
    return Submission(question, int(raw))


def read_answer(question: Question, data: QueryDict) -> object:
    """The engine's answer value for this question; AnswerError (with a kind message) when
    the fields cannot be an answer to it."""
    if question.kind == "multi":
        picks = data.getlist("answer")
        if any(len(p) > MAX_FIELD for p in picks) or len(picks) > len(question.options):
            raise AnswerError(AnswerCode.unknown_option, "Please tick only the boxes shown.", question.id)
        return picks
    if question.kind == "number":
        if data.get("unsure"):
            return None
        raw = data.get("answer", "").strip()
        if not raw:
            hint = ", or choose “Not sure”" if question.allow_unsure else ""
            raise AnswerError(AnswerCode.answer_required, f"Please type a number{hint}.", question.id)
        return raw[:MAX_FIELD]
    choice = data.get("answer")
    if not choice:
        raise AnswerError(AnswerCode.answer_required, "Please choose one of the answers.", question.id)
    return choice[:MAX_FIELD]


def friendly(question: Question, error: AnswerError) -> str:
    """What to tell the person about an answer the engine refused, chosen by the error's
    code (never the engine's English text), in the active language; ``question`` is worded
    in it too (its unit)."""
    code = error.code
    if code is AnswerCode.out_of_range:
        bounds = {
            "low": floatformat(question.minimum, -2),  # the page's decimal comma or point
            "high": floatformat(question.maximum, -2),
            "unit": question.unit,
        }
        return (_("Please give a number from %(low)s to %(high)s %(unit)s.") % bounds).replace(" .", ".")
    if code is AnswerCode.not_a_number:
        return _("Please type a number using digits, for example 42.")
    if code in (AnswerCode.unknown_option, AnswerCode.not_an_option, AnswerCode.not_a_list):
        return _("Please choose from the answers shown.")
    if code is AnswerCode.answer_required and question.kind == "multi":
        if question.allow_unsure:
            return _(
                "Please tick at least one box. If none of them fits, tick “None of these” or “Not sure”."
            )
        return _("Please tick at least one box. If none of them fits, tick “None of these”.")
    if code is AnswerCode.answer_required and question.kind == "number":
        if question.allow_unsure:
            return _("Please type a number, or choose “Not sure”.")
        return _("Please type a number.")
    if code is AnswerCode.answer_required:
        return _("Please choose one of the answers.")
    if code is AnswerCode.exclusive_option:
        return _("“None of these” cannot be ticked together with other boxes. Please untick one.")
    return _("We could not take that answer. Please check it and try again.")
