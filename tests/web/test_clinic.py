"""The clinic that publishes the check: its profile file is checked at start with every
problem named, and its name and numbers reach the pages (a number to tap on an emergency
result, its booking on a self-care one, its letterhead on the summary for a doctor)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from people import EMERGENCY
from web_helpers import Visitor

from heelcheck.web.clinic import Clinic, ClinicFileError, UrgentAdvice, load
from heelcheck.web.settings import clinic_from

GOOD = """
name = "Northside Foot Clinic"
phone = "+1 555 0100"
booking_url = "https://northside.example/book"
address = "12 High Street, Springfield"
hours = "Mon-Fri 8am-6pm"
emergency_number = "911"
country = "US"
spelling = "en-US"

[urgent_advice]
name = "Nurse line"
number = "555 0199"
"""
NORTHSIDE = Clinic(
    name="Northside Foot Clinic", phone="+1 555 0100", booking_url="https://northside.example/book",
    address="12 High Street, Springfield", hours="Mon-Fri 8am-6pm", emergency_number="911",
    urgent_advice=UrgentAdvice("Nurse line", "555 0199"), country="US",
)  # fmt: skip


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "clinic.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_gives_the_clinics_profile(tmp_path: Path) -> None:
    assert load(write(tmp_path, GOOD)) == NORTHSIDE


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('phone = "1"', "name: must be a non-empty string"),
        ('name = "X"\nfax = "1"', "fax: unknown key"),
        ('name = "X"\nphone = "call us"', "phone: 'call us' is not a phone number"),
        ('name = "X"\nbooking_url = "http://x.example"', "booking_url: 'http://x.example' must be an https:// address"),
        ('name = "X"\nspelling = "en-AU"', "spelling: 'en-AU' is not one of en-US, en-GB"),
        ('name = "X"\nlogo = "nowhere.svg"', "logo: no file 'nowhere.svg' beside the clinic file"),
        ('name = "X"\nurgent_advice = "111"', "urgent_advice: must be a table"),
        ('name = "X"\n[urgent_advice]\nname = "111"\nphone = "111"', "urgent_advice.phone: unknown key"),
        ('name = "X', "is not valid TOML"),
    ],
)  # fmt: skip
def test_a_bad_file_names_the_key_and_the_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ClinicFileError) as err:
        load(path)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_every_problem_is_named_at_once_and_the_site_does_not_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, 'phone = "x"\nfax = "1"')
    monkeypatch.setenv("HEELCHECK_CLINIC_FILE", str(path))
    with pytest.raises(ImproperlyConfigured) as err:
        clinic_from("HEELCHECK_CLINIC_FILE")
    assert all(p in str(err.value) for p in ("name:", "phone:", "fax:"))
    monkeypatch.setenv("HEELCHECK_CLINIC_FILE", str(tmp_path / "missing.toml"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        clinic_from("HEELCHECK_CLINIC_FILE")


def test_an_emergency_result_has_the_number_to_tap_also_through_the_private_link(
    alice: Visitor, settings: Any
) -> None:
    settings.HEELCHECK_CLINIC = NORTHSIDE
    url = alice.take(EMERGENCY)
    for client in (alice.client, Client()):  # the visitor's browser, and the private link's
        page = client.get(url).content.decode()
        assert "banner-emergency" in page
        assert 'href="tel:911"' in page and "Call 911 now" in page
        assert "from Northside Foot Clinic" in page
        assert "Book at" not in page  # no booking advice under an emergency


def test_a_self_care_result_offers_the_clinics_booking_and_phone(
    alice: Visitor, settings: Any, vignettes: dict[str, dict[str, Any]]
) -> None:
    settings.HEELCHECK_CLINIC = NORTHSIDE
    page = alice.client.get(alice.take(vignettes["D001"]["facts"])).content.decode()
    assert "banner-self_care" in page
    assert 'href="https://northside.example/book"' in page and "Book at Northside Foot Clinic" in page
    assert 'href="tel:+15550100"' in page
    summary = alice.client.get(alice.take(vignettes["D001"]["facts"]) + "print").content.decode()
    assert 'class="letterhead"' in summary and "12 High Street, Springfield" in summary


def test_the_privacy_page_names_the_clinic_and_without_a_file_the_pages_stay_generic(
    client: Client, settings: Any, alice: Visitor
) -> None:
    settings.HEELCHECK_CLINIC = NORTHSIDE
    assert "This check is offered by Northside Foot Clinic." in client.get("/privacy/").content.decode()
    settings.HEELCHECK_CLINIC = None
    page = alice.client.get(alice.take(EMERGENCY)).content.decode()
    assert "banner-emergency" in page and "tel:" not in page and "Northside" not in page
    assert "call your local emergency number" in page


def test_the_clinics_words_read_in_spanish_too(alice: Visitor, settings: Any) -> None:
    settings.HEELCHECK_CLINIC = NORTHSIDE
    url = alice.take(EMERGENCY)
    page = alice.client.get(url + "?lang=es").content.decode()
    assert "Llama ahora al 911" in page and "de Northside Foot Clinic" in page
