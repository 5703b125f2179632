"""The date range of the dashboard and exports: ?from=YYYY-MM-DD&to=YYYY-MM-DD, checked."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import QueryDict
from django.test import Client
from staff_helpers import seed

from heelcheck.web.staff.filters import DateRange, RangeForm

TODAY = date(2026, 3, 31)


def chosen(query: str) -> tuple[DateRange, list[str]]:
    return RangeForm(QueryDict(query), today=TODAY).date_range()


def test_it_shows_the_last_30_days_by_default() -> None:
    assert chosen("") == (DateRange(date(2026, 3, 2), TODAY), [])


def test_it_takes_both_days_inclusive() -> None:
    assert chosen("from=2026-01-05&to=2026-01-06") == (DateRange(date(2026, 1, 5), date(2026, 1, 6)), [])


def test_it_fills_in_a_missing_end() -> None:
    assert chosen("from=2026-03-10")[0] == DateRange(date(2026, 3, 10), TODAY)
    assert chosen("to=2026-02-28")[0] == DateRange(date(2026, 1, 30), date(2026, 2, 28))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=yesterday", "“From” must be a date written as YYYY-MM-DD"),
        ("to=2026-02-30", "“To” must be a date written as YYYY-MM-DD"),
        ("from=31/01/2026", "“From” must be a date written as YYYY-MM-DD"),
        ("from=2026-03-05&to=2026-03-01", "“From” must be on or before “To”."),
        ("from=0001-01-01", "Dates must be between 2000-01-01 and 2999-12-31."),
        ("to=9999-12-31", "Dates must be between 2000-01-01 and 2999-12-31."),
    ],
)
def test_it_explains_a_date_it_cannot_use_and_falls_back(query: str, message: str) -> None:
    date_range, errors = chosen(query)
    assert date_range == DateRange(date(2026, 3, 2), TODAY)
    assert any(message in e for e in errors), errors
    assert errors[-1] == "Showing the last 30 days instead."


def test_the_dashboard_counts_only_the_chosen_days(staff_client: Client) -> None:
    seed("2026-01-10 08:00:00")
    seed("2026-01-11 08:00:00")
    seed("2026-01-12 08:00:00")
    html = staff_client.get("/staff/?from=2026-01-11&to=2026-01-11").content.decode()
    assert '<dd id="started">1</dd>' in html
    assert 'value="2026-01-11"' in html
    assert "/staff/export/assessments.csv?from=2026-01-11&amp;to=2026-01-11" in html


def test_the_dashboard_shows_a_bad_date_as_a_message(staff_client: Client) -> None:
    response = staff_client.get("/staff/?from=2026-13-01")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error" role="alert"' in html
    assert "“From” must be a date written as YYYY-MM-DD" in html
    assert "Showing the last 30 days instead." in html


@pytest.mark.parametrize("url", ["/staff/export/assessments.csv", "/staff/export/fhir.json"])
def test_an_export_with_a_bad_date_exports_nothing_and_says_why(staff_client: Client, url: str) -> None:
    response = staff_client.get(url + "?from=2026-03-05&to=2026-03-01")
    assert response.status_code == 400
    assert "“From” must be on or before “To”." in response.content.decode()


def test_it_can_limit_how_many_days_are_chosen() -> None:
    form = RangeForm(QueryDict("from=2026-01-01&to=2026-01-10"), today=TODAY, max_days=9)
    date_range, errors = form.date_range()
    assert date_range == DateRange(date(2026, 3, 2), TODAY)
    assert errors == [
        "Choose at most 9 days at a time (this range has 10).",
        "Showing the last 30 days instead.",
    ]
    assert len(DateRange(date(2026, 1, 1), date(2026, 1, 9))) == 9


def test_the_dashboard_shows_at_most_three_years_but_the_exports_take_any_range(staff_client: Client) -> None:
    seed("2001-06-01 08:00:00")
    html = staff_client.get("/staff/?from=2000-01-01&to=2026-01-01").content.decode()
    assert "Choose at most 1096 days at a time" in html
    response = staff_client.get("/staff/export/assessments.csv?from=2000-01-01&to=2026-01-01")
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).splitlines()) == 2  # the header and the 2001 row


def test_an_export_answers_get_only(staff_client: Client) -> None:
    assert staff_client.head("/staff/export/assessments.csv").status_code == 405
    assert staff_client.post("/staff/export/fhir.json").status_code == 405
