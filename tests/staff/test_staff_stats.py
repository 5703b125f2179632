"""The dashboard's figures, computed by the database over seeded assessments, and the same
figures on the rendered page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db.models import QuerySet
from django.test import Client
from staff_helpers import seed

from heelcheck.engine import KnowledgeBase
from heelcheck.web.assessments.models import Assessment
from heelcheck.web.staff import stats
from heelcheck.web.staff.filters import DateRange

MARCH = DateRange(date(2026, 3, 1), date(2026, 3, 3))


@pytest.fixture
def seeded(db: None) -> None:
    """Six assessments started from 1 to 3 March 2026 (UTC), and two just outside."""
    # fmt: off
    # 1 March: two completed (2 min and 4 min), one stopped at "where" after 2 answers.
    seed("2026-03-01 10:00:00", status="complete", completed="2026-03-01 10:02:00",
         leading="plantar_fasciitis", triage="self_care", kb_version="v1", source="web")
    seed("2026-03-01 11:00:00", status="complete", completed="2026-03-01 11:04:00",
         leading="plantar_fasciitis", triage="soon", kb_version="v1", source="embed")
    seed("2026-03-01 12:00:00", current="where", answers=2, kb_version="v1", source="web")
    # 2 March: one completed in 90 s, two unfinished.
    seed("2026-03-02 09:00:00", status="complete", completed="2026-03-02 09:01:30",
         leading="achilles_tendinopathy", triage="urgent", kb_version="v2", source="api")
    seed("2026-03-02 10:00:00", current="where", answers=2, kb_version="v2", source="api")
    seed("2026-03-02 23:59:59", current="red_flags", answers=5, kb_version="v2", source="web")
    # Outside the range, one second either side.
    seed("2026-02-28 23:59:59", status="complete", completed="2026-03-01 00:05:00",
         leading="sciatica", triage="emergency")
    seed("2026-03-04 00:00:00", current="age")
    # fmt: on


def march() -> QuerySet[Assessment]:
    return MARCH.filter(Assessment.objects.all())


def test_it_counts_started_completed_and_the_rate(seeded: None) -> None:
    assert stats.totals(stats.tally(march())) == (6, 3)
    assert stats.completion_rate(6, 3) == 0.5
    assert stats.completion_rate(0, 0) is None


def test_it_counts_per_day_including_quiet_days(seeded: None) -> None:
    days = stats.per_day(stats.tally(march()), MARCH.days)
    assert [(d.day.day, d.started, d.completed) for d in days] == [(1, 3, 2), (2, 3, 1), (3, 0, 0)]


def test_it_takes_the_median_time_to_complete(seeded: None) -> None:
    assert stats.median_time_to_complete(march()) == timedelta(seconds=120)


def test_it_averages_the_two_middle_times_when_their_number_is_even(db: None) -> None:
    seed("2026-03-01 10:00:00", status="complete", completed="2026-03-01 10:01:00")
    seed("2026-03-01 11:00:00", status="complete", completed="2026-03-01 11:03:00")
    assert stats.median_time_to_complete(march()) == timedelta(seconds=120)
    assert stats.median_time_to_complete(Assessment.objects.none()) is None


def test_it_shows_where_unfinished_assessments_stopped(seeded: None, kb: KnowledgeBase) -> None:
    stopped = stats.stopped_at(march(), kb)
    assert [(s.key, s.count, round(s.share, 4)) for s in stopped] == [
        ("where", 2, 0.6667),
        ("red_flags", 1, 0.3333),
    ]
    assert stopped[0].label == kb.questions["where"].text
    answers = stats.answers_when_stopped(march())
    assert [(s.key, s.count, s.label) for s in answers] == [("2", 2, "2 answers"), ("5", 1, "5 answers")]


def test_it_counts_leading_conditions_and_care_levels(seeded: None, kb: KnowledgeBase) -> None:
    leading = stats.leading_conditions(stats.results(march()), kb)
    assert [(s.key, s.count) for s in leading] == [("plantar_fasciitis", 2), ("achilles_tendinopathy", 1)]
    assert leading[0].label == kb.conditions["plantar_fasciitis"].name
    assert leading[0].percent == "66.7 %"
    triage = stats.triage_levels(stats.results(march()), kb)
    assert [(s.key, s.count) for s in triage] == [
        ("emergency", 0),
        ("urgent", 1),
        ("soon", 1),
        ("self_care", 1),
    ]


def test_it_groups_by_knowledge_base_version_and_source(seeded: None) -> None:
    versions = stats.grouped(stats.tally(march()), "kb_version")
    assert [(g.key, g.started, g.completed, g.percent) for g in versions] == [
        ("v1", 3, 2, "66.7 %"), ("v2", 3, 1, "33.3 %"),
    ]  # fmt: skip
    sources = stats.grouped(stats.tally(march()), "source", dict(Assessment.Source.choices))
    assert [(g.key, g.label, g.started, g.completed) for g in sources] == [
        ("web", "Web site", 3, 1), ("api", "JSON API", 2, 1), ("embed", "Embedded", 1, 1),
    ]  # fmt: skip


def test_it_gathers_every_figure_for_the_range(seeded: None, kb: KnowledgeBase) -> None:
    figures = stats.dashboard(Assessment.objects.all(), MARCH, kb)
    assert (figures.started, figures.completed, figures.unfinished) == (6, 3, 3)
    assert figures.completion_rate == 0.5
    assert figures.median_time_to_complete == timedelta(seconds=120)
    assert sum(d.started for d in figures.days) == 6


def test_it_needs_few_queries_however_many_rows(
    seeded: None, kb: KnowledgeBase, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        stats.dashboard(Assessment.objects.all(), MARCH, kb)


def table_rows(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S)
    assert table, table_id
    body = table.group(1).split("<tbody>")[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S) for r in rows]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in row] for row in cells]


def test_the_page_shows_the_same_figures(seeded: None, staff_client: Client, kb: KnowledgeBase) -> None:
    response = staff_client.get("/staff/?from=2026-03-01&to=2026-03-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<dd id="started">6</dd>' in html
    assert '<dd id="completed">3</dd>' in html
    assert '<dd id="completion-rate">50.0 %</dd>' in html
    assert '<dd id="median">2 min 00 s</dd>' in html
    assert '<dd id="unfinished">3</dd>' in html
    assert table_rows(html, "days-table") == [
        ["2026-03-01", "3", "2"], ["2026-03-02", "3", "1"], ["2026-03-03", "0", "0"],
    ]  # fmt: skip
    where = kb.questions["where"].text
    assert table_rows(html, "stopped-table")[0] == [f"where {where}", "2", "66.7 %"]
    assert table_rows(html, "answers-table") == [["2", "2", "66.7 %"], ["5", "1", "33.3 %"]]
    pf = kb.conditions["plantar_fasciitis"].name
    assert table_rows(html, "leading-table")[0] == [pf, "2", "66.7 %"]
    assert [r[1] for r in table_rows(html, "triage-table")] == ["0", "1", "1", "1"]
    assert table_rows(html, "versions-table") == [["v1", "3", "2", "66.7 %"], ["v2", "3", "1", "33.3 %"]]
    assert table_rows(html, "sources-table")[0] == ["Web site", "3", "1", "33.3 %"]


def test_the_page_draws_accessible_svg_charts_and_no_inline_style(seeded: None, staff_client: Client) -> None:
    html = staff_client.get("/staff/?from=2026-03-01&to=2026-03-03").content.decode()
    charts = re.findall(r'<svg class="chart"[^>]*role="img"[^>]*aria-labelledby="([\w-]+)"', html)
    assert len(charts) == 7
    for chart_id in charts:
        assert f'<title id="{chart_id}">' in html
    assert "style=" not in html
    assert "<script" not in html
