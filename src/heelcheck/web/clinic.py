"""The clinic that publishes the check: its name and numbers on the pages.

``HEELCHECK_CLINIC_FILE`` names a TOML file::

    name = "Northside Foot Clinic"
    phone = "+1 555 0100"
    booking_url = "https://northside.example/book"
    address = "12 High Street, Springfield"
    hours = "Mon-Fri 8am-6pm"
    emergency_number = "911"
    country = "US"
    spelling = "en-US"

    [urgent_advice]          # optional: where to turn the same day
    name = "NHS 111"
    number = "111"
    url = "https://111.nhs.uk"

Only ``name`` is required. The file is read once when the site starts; every problem is
named (file, key, what is wrong) and the site does not start with a bad file. Without a
file the pages stay generic ("your local emergency number").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

KEYS = {"name", "logo", "phone", "booking_url", "address", "hours", "emergency_number",
        "urgent_advice", "country", "spelling"}  # fmt: skip
URGENT_KEYS = {"name", "number", "url"}
PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{1,30}$")
SPELLINGS = ("en-US", "en-GB")


class ClinicFileError(ValueError):
    """The clinic file cannot be used; the message names the file, the key and the problem."""


@dataclass(frozen=True)
class UrgentAdvice:
    name: str
    number: str = ""
    url: str = ""


@dataclass(frozen=True)
class Clinic:
    name: str
    phone: str = ""
    booking_url: str = ""
    address: str = ""
    hours: str = ""
    emergency_number: str = ""
    urgent_advice: UrgentAdvice | None = None
    country: str = ""
    spelling: str = "en-US"
    logo: str = ""

    @staticmethod
    def tel(number: str) -> str:
        """A number as a tel: address (digits and a leading +)."""
        return "tel:" + re.sub(r"[^0-9+]", "", number)


def load(path: Path) -> Clinic:
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ClinicFileError(f"{where}: cannot be read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ClinicFileError(f"{where}: is not valid TOML ({exc})") from exc
    problems = [f"{where}: {key}: unknown key (expected one of {', '.join(sorted(KEYS))})"
                for key in sorted(set(data) - KEYS)]  # fmt: skip

    def text(node: dict[str, Any], key: str, entry: str, *, required: bool = False) -> str:
        value = node.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            problems.append(f"{where}: {entry}: must be {'a non-empty' if required else 'a'} string")
            return ""
        if len(value) > 200:
            problems.append(f"{where}: {entry}: longer than 200 characters")
        return value.strip()

    def phone(node: dict[str, Any], key: str, entry: str) -> str:
        value = text(node, key, entry)
        if value and not PHONE.match(value):
            problems.append(f"{where}: {entry}: {value!r} is not a phone number (digits, spaces, + - . ( ))")
        return value

    def url(node: dict[str, Any], key: str, entry: str) -> str:
        value = text(node, key, entry)
        if value and (urlsplit(value).scheme != "https" or not urlsplit(value).netloc):
            problems.append(f"{where}: {entry}: {value!r} must be an https:// address")
        return value

    urgent = None
    raw_urgent = data.get("urgent_advice")
    if raw_urgent is not None:
        if not isinstance(raw_urgent, dict):
            problems.append(f"{where}: urgent_advice: must be a table with name, number and url")
        else:
            extra = sorted(set(raw_urgent) - URGENT_KEYS)
            problems += [f"{where}: urgent_advice.{k}: unknown key" for k in extra]
            urgent = UrgentAdvice(
                name=text(raw_urgent, "name", "urgent_advice.name", required=True),
                number=phone(raw_urgent, "number", "urgent_advice.number"),
                url=url(raw_urgent, "url", "urgent_advice.url"),
            )
    spelling = text(data, "spelling", "spelling") or "en-US"
    if spelling not in SPELLINGS:
        problems.append(f"{where}: spelling: {spelling!r} is not one of {', '.join(SPELLINGS)}")
    logo = text(data, "logo", "logo")
    if logo and not (path.parent / logo).is_file():
        problems.append(f"{where}: logo: no file {logo!r} beside the clinic file")
    clinic = Clinic(
        name=text(data, "name", "name", required=True),
        phone=phone(data, "phone", "phone"),
        booking_url=url(data, "booking_url", "booking_url"),
        address=text(data, "address", "address"),
        hours=text(data, "hours", "hours"),
        emergency_number=phone(data, "emergency_number", "emergency_number"),
        urgent_advice=urgent,
        country=text(data, "country", "country"),
        spelling=spelling,
        logo=logo,
    )
    if problems:
        raise ClinicFileError("\n".join(problems))
    return clinic
