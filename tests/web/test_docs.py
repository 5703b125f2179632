"""Every setting the site reads from the environment is documented where it is read."""

from __future__ import annotations

import re
from pathlib import Path

from heelcheck.web import settings


def test_every_environment_variable_is_in_the_settings_table() -> None:
    source = Path(settings.__file__).read_text(encoding="utf-8")
    read = set(re.findall(r'"((?:HEELCHECK|DATABASE)_[A-Z_]+)"', source))
    assert read, "no environment variables found"
    table = settings.__doc__ or ""
    missing = sorted(name for name in read if not re.search(rf"^{name}\s", table, re.M))
    assert missing == []
