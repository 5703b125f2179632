"""Two submissions of the same page at the same moment are stored once."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from heelcheck.web.assessments import services
from heelcheck.web.assessments.models import Assessment


@pytest.mark.django_db(transaction=True)
def test_it_stores_one_of_two_simultaneous_submissions_and_calls_the_other_stale() -> None:
    assessment = services.start_assessment()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(age: int) -> None:
        try:
            barrier.wait(timeout=10)
            services.submit_answer(assessment.id, "age", age, expected_revision=0)
            outcomes.append("stored")
        except services.StaleRevision:
            outcomes.append("stale")
        except Exception as exc:  # reported by the assertion below
            outcomes.append(f"error: {exc!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(age,)) for age in (38, 39)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["stale", "stored"]
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.revision == 1
    assert len(stored.answers) == 1
