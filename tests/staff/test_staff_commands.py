"""create_staff makes the first staff account; purge_assessments enforces the retention."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from respondents import form_answer, form_fields
from staff_helpers import PASSWORD

from heelcheck.engine import default_knowledge_base
from heelcheck.web.assessments.models import Assessment, new_token
from heelcheck.web.staff import purge


def create_staff(monkeypatch: pytest.MonkeyPatch, username: str, password: str) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_staff", username, "--password-stdin", stdout=out)
    return out.getvalue()


def test_it_creates_a_staff_account_that_can_log_in(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    out = create_staff(monkeypatch, "erin", PASSWORD)
    assert "Created staff account 'erin'" in out
    erin = get_user_model().objects.get(username="erin")
    assert erin.is_staff and erin.is_active and not erin.is_superuser
    assert erin.password.startswith("argon2$")
    client = Client()
    assert client.post("/staff/login/", {"username": "erin", "password": PASSWORD}).status_code == 302
    assert client.get("/staff/").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("839201746583", "This password is entirely numeric."),
        ("erin-the-clinician", "The password is too similar to the username."),
    ],
)
def test_it_refuses_a_weak_password_with_the_reasons(
    db: None, monkeypatch: pytest.MonkeyPatch, password: str, message: str
) -> None:
    with pytest.raises(CommandError) as error:
        create_staff(monkeypatch, "erin-the-clinician", password)
    assert "This password is too weak; nothing was created" in str(error.value)
    assert message in str(error.value)
    assert not get_user_model().objects.exists()


def test_it_refuses_a_username_that_exists(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    create_staff(monkeypatch, "erin", PASSWORD)
    with pytest.raises(CommandError, match="A user named 'erin' already exists"):
        create_staff(monkeypatch, "erin", PASSWORD + "x")
    assert get_user_model().objects.count() == 1


def test_it_refuses_a_username_with_spaces_in_it(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(CommandError, match="This username cannot be used"):
        create_staff(monkeypatch, "erin smith", PASSWORD)


def test_it_asks_for_a_terminal_or_stdin(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="use --password-stdin"):
        call_command("create_staff", "erin")


def aged(days: float, **fields: object) -> Assessment:
    """An assessment started ``days`` ago, with one answer unless ``revision=0`` says none."""
    fields = {"revision": 1, "answers": [{"question": "age", "answer": 40}], **fields}
    assessment = Assessment(created_at=timezone.now() - timedelta(days=days), kb_version="v1", **fields)
    assessment.set_token(new_token())
    assessment.save(force_insert=True)
    return assessment


def run_purge(*args: str) -> str:
    out = io.StringIO()
    call_command("purge_assessments", *args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def ages(db: None, settings: Any) -> dict[str, Assessment]:
    settings.HEELCHECK_RETENTION_DAYS = 365
    return {
        "very old": aged(800, status="complete"),
        "just too old": aged(365.01),
        "just young enough": aged(364.99),
        "new": aged(0),
    }


def test_a_dry_run_counts_and_deletes_nothing(ages: dict[str, Assessment]) -> None:
    out = run_purge("--dry-run")
    assert out.startswith("Would delete 2 assessments started more than 365 days ago")
    assert Assessment.objects.count() == 4


def test_it_deletes_only_what_is_older_than_the_retention_and_then_nothing(
    ages: dict[str, Assessment],
) -> None:
    assert run_purge().startswith("Deleted 2 assessments started more than 365 days ago")
    left = set(Assessment.objects.values_list("pk", flat=True))
    assert left == {ages["just young enough"].pk, ages["new"].pk}
    assert run_purge().startswith("Deleted 0 assessments")
    assert Assessment.objects.count() == 2


def test_it_follows_the_retention_setting(ages: dict[str, Assessment], settings: Any) -> None:
    settings.HEELCHECK_RETENTION_DAYS = 30
    assert run_purge().startswith("Deleted 3 assessments started more than 30 days ago")


def test_it_deletes_in_batches(db: None) -> None:
    for _ in range(5):
        aged(400)
    aged(1)
    assert purge.delete_assessments(purge.cutoff(days=365), batch=2) == 5
    assert Assessment.objects.count() == 1


def test_it_deletes_assessments_never_answered_within_hours(db: None, settings: Any) -> None:
    settings.HEELCHECK_RETENTION_DAYS = 365
    hours = purge.UNANSWERED_HOURS
    empty_old = aged((hours + 0.1) / 24, revision=0, answers=[])
    empty_new = aged((hours - 0.1) / 24, revision=0, answers=[])
    answered_old = aged((hours + 0.1) / 24)
    empty_past_retention = aged(400, revision=0, answers=[])
    dry = run_purge("--dry-run")
    assert dry.startswith("Would delete 1 assessment started more than 365 days ago, "
                          f"1 started more than {hours} hours ago and never answered,")  # fmt: skip
    assert Assessment.objects.count() == 4
    out = run_purge()
    assert out.startswith(
        f"Deleted 1 assessment started more than 365 days ago, 1 started more than {hours} hours ago"
    )
    left = set(Assessment.objects.values_list("pk", flat=True))
    assert left == {empty_new.pk, answered_old.pk}
    assert empty_old.pk not in left and empty_past_retention.pk not in left
    assert ", 0 started more than" in run_purge()


def test_an_assessment_answered_through_the_site_is_never_purged_as_unanswered(db: None) -> None:
    kb = default_knowledge_base()
    client = Client()
    started = [client.post("/start/")["Location"] for _ in range(2)]
    page = client.get(started[1]).content.decode()
    fields = form_fields(page)
    question = kb.questions[fields["question"]]
    value: Any = (
        (question.minimum + question.maximum) / 2 if question.kind == "number" else question.options[0].id
    )
    value = [value] if question.kind == "multi" else value
    assert client.post(started[1], {**fields, **form_answer(question, value)}).status_code == 303
    Assessment.objects.update(created_at=timezone.now() - timedelta(hours=purge.UNANSWERED_HOURS + 1))
    assert purge.purge().unanswered == 1
    assert [f"/a/{pk}/" for pk in Assessment.objects.values_list("pk", flat=True)] == [started[1]]


def login_record(model: Any, username: str, age: timedelta) -> Any:
    """A record as axes writes it; attempt_time is set on creation, so it is aged after."""
    extra = {"get_data": "", "post_data": "", "failures_since_start": 1} if model is AccessAttempt else {}
    record = model.objects.create(username=username, user_agent="", **extra)
    model.objects.filter(pk=record.pk).update(attempt_time=timezone.now() - age)
    return record


def test_it_purges_old_staff_login_records(db: None, settings: Any) -> None:
    settings.HEELCHECK_RETENTION_DAYS = 365
    old_log = login_record(AccessLog, "carol", timedelta(days=400))
    login_record(AccessLog, "carol", timedelta(days=3))
    login_record(AccessAttempt, "carol", timedelta(days=1))  # its 15-minute cool-off is over
    login_record(AccessAttempt, "dora", timedelta(minutes=1))  # still counts
    assert "and 2 old staff login records" in run_purge("--dry-run")
    assert AccessLog.objects.count() == 2
    assert "and 2 old staff login records" in run_purge()
    assert not AccessLog.objects.filter(pk=old_log.pk).exists()
    assert AccessLog.objects.count() == 1
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["dora"]
    assert "and 0 old staff login records" in run_purge()


def test_the_privacy_page_says_how_long_answers_are_kept(client: Client, settings: Any) -> None:
    settings.HEELCHECK_RETENTION_DAYS = 90
    settings.HEELCHECK_LINK_DAYS = 60
    html = client.get("/privacy/").content.decode()
    assert "We delete every check, with its answers and result, 90 days after it was started." in html
    assert "It works for 60 days." in html
    assert "No IP address" in html
