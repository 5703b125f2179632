"""Checking the web origins a setting lists (such as the sites allowed to embed the widget).

Imported by the settings module, so it must not import anything that reads settings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# A host name (letters, digits, hyphens, dots), an IPv4 address, or an IPv6 address in
# brackets. No wildcards: every site that may frame the widget is named in full.
_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
                   r"|\[[0-9a-f:.]+\])$")  # fmt: skip
_EXAMPLE = "for example https://clinic.example.org or http://localhost:8080"


def parse_origin(name: str, raw: str) -> str:
    """``raw`` as a normalised origin ``scheme://host[:port]``, or ImproperlyConfigured saying
    what is wrong with it. A single trailing slash is forgiven."""
    value = raw.strip()
    if value.endswith("/") and value.count("/") == 3:
        value = value[:-1]

    def bad(why: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(
            f"{name}: {raw!r} is not a web origin ({why}). Give the scheme and host only, "
            f"{_EXAMPLE}; separate several with commas."
        )

    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise bad("it cannot be read as an address") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise bad("it must start with https:// or http://")
    if parts.username is not None or parts.password is not None:
        raise bad("it must not hold a user name or password")
    if parts.path or parts.query or parts.fragment or "?" in value or "#" in value:
        raise bad("it must not have a path, query or fragment")
    if "*" in value:
        raise bad("wildcards are not allowed: name each site in full")
    host = (parts.hostname or "").lower()
    if not host:
        raise bad("it has no host name")
    shown = f"[{host}]" if ":" in host else host
    if not _HOST.match(shown):
        raise bad("the host name has characters a host name cannot have")
    scheme = parts.scheme.lower()
    # Written as browsers write an origin (event.origin, ancestorOrigins): no default port.
    default = port is None or (scheme, port) in (("http", 80), ("https", 443))
    return f"{scheme}://{shown}" + ("" if default else f":{port}")


def parse_origins(name: str, values: Iterable[str]) -> list[str]:
    """Every value checked with :func:`parse_origin`, duplicates dropped, order kept."""
    seen: dict[str, None] = {}
    for raw in values:
        seen.setdefault(parse_origin(name, raw), None)
    return list(seen)
