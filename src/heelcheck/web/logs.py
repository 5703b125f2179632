"""What may reach a log: nothing that opens an assessment or points at a person.

:class:`RedactFilter` sits on every handler the site and gunicorn log through. It rewrites
each record's message (and its traceback text) so that private tokens in paths
(``/r/<token>/``, ``/embed/a/<token>/``), assessment ids and IP addresses never reach the
output, whichever library logged them: Django's "Forbidden (CSRF cookie not set.): /r/…",
gunicorn's "Invalid request from ip=…", an exception message that quotes a path.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger as GunicornBaseLogger

REDACTED = "[redacted]"
_PATTERNS = [
    # The path segment after these prefixes is a private token (see assessments/urls.py).
    (re.compile(r"(/r/|/embed/a/)[^/\s?#\"'<>]+"), r"\1" + REDACTED),
    (
        re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"),
        REDACTED,
    ),
    (re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])"), REDACTED),
    # IPv6: a run of hex groups with "::", or the full eight groups (not clock times).
    (
        re.compile(r"(?<![\w:])(?=[0-9A-Fa-f:.]*::|(?:[0-9A-Fa-f]{1,4}:){7})[0-9A-Fa-f:.]{2,45}(?![\w:])"),
        REDACTED,
    ),
    (re.compile(r"\bip=\S+"), "ip=" + REDACTED),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the record, nor leak its args
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class GunicornLogger(GunicornBaseLogger):  # type: ignore[misc]
    """Gunicorn's logger with the filter on its error log, and never an access log (request
    lines hold private tokens, and the site keeps no addresses)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.addFilter(RedactFilter())
        self.access_log.handlers.clear()
        self.access_log.disabled = True

    def access(self, *args: Any, **kwargs: Any) -> None:
        return None
