"""The date range every staff page and export works on: ``?from=YYYY-MM-DD&to=YYYY-MM-DD``,
both days included, in UTC. Without them: the last 30 days up to today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from heelcheck.web.assessments.models import Assessment

DEFAULT_DAYS = 30
DASHBOARD_MAX_DAYS = 1096  # three years: one bar and one table row per day stay readable
FORMAT = "%Y-%m-%d"
# Far-off dates are typing mistakes, and near date.min/max the range arithmetic would overflow.
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


@dataclass(frozen=True)
class DateRange:
    first: date
    last: date  # included

    @classmethod
    def default(cls, today: date | None = None) -> DateRange:
        today = today or timezone.now().date()
        return cls(today - timedelta(days=DEFAULT_DAYS - 1), today)

    def __len__(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(len(self))]

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The first moment after the range."""
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=UTC)

    def filter(self, queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
        """The assessments started within the range."""
        return queryset.filter(created_at__gte=self.start, created_at__lt=self.end)

    def query(self) -> str:
        return f"from={self.first:{FORMAT}}&to={self.last:{FORMAT}}"

    def slug(self) -> str:
        return f"{self.first:{FORMAT}}_to_{self.last:{FORMAT}}"


class RangeForm(forms.Form):
    error_css_class = "invalid"
    from_ = forms.DateField(
        required=False, input_formats=[FORMAT], label="From",
        error_messages={"invalid": "“From” must be a date written as YYYY-MM-DD, e.g. 2026-01-31."},
        widget=forms.DateInput(attrs={"type": "date"}, format=FORMAT),
    )  # fmt: skip
    to = forms.DateField(
        required=False, input_formats=[FORMAT], label="To",
        error_messages={"invalid": "“To” must be a date written as YYYY-MM-DD, e.g. 2026-01-31."},
        widget=forms.DateInput(attrs={"type": "date"}, format=FORMAT),
    )  # fmt: skip

    def __init__(self, data: QueryDict, today: date | None = None, max_days: int | None = None) -> None:
        # The GET parameter is "from" (a Python keyword, hence the field name "from_").
        renamed = {"from_": data.get("from", ""), "to": data.get("to", "")}
        super().__init__(renamed if any(renamed.values()) else None)
        self.today = today or timezone.now().date()
        self.max_days = max_days

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("from_"), cleaned.get("to")
        for value in (first, last):
            if isinstance(value, date) and not EARLIEST <= value <= LATEST:
                raise forms.ValidationError(
                    f"Dates must be between {EARLIEST:{FORMAT}} and {LATEST:{FORMAT}}."
                )
        if isinstance(first, date) and isinstance(last, date) and first > last:
            raise forms.ValidationError("“From” must be on or before “To”.")
        return cleaned

    def date_range(self) -> tuple[DateRange, list[str]]:
        """The range asked for, or the default one with the messages that say why."""
        default = DateRange.default(self.today)
        if not self.is_bound:
            return default, []
        if not self.is_valid():
            errors = [str(e) for errs in self.errors.values() for e in errs]
            return default, [*errors, f"Showing the last {DEFAULT_DAYS} days instead."]
        first = self.cleaned_data.get("from_")
        last = self.cleaned_data.get("to")
        if first is None and last is None:
            return default, []
        if last is None:
            last = max(first, self.today) if first else self.today
        if first is None:
            first = last - timedelta(days=DEFAULT_DAYS - 1)
        chosen = DateRange(first, last)
        if self.max_days is not None and len(chosen) > self.max_days:
            return default, [
                f"Choose at most {self.max_days} days at a time (this range has {len(chosen)}).",
                f"Showing the last {DEFAULT_DAYS} days instead.",
            ]
        return chosen, []
