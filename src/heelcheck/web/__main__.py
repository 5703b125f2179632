"""``python -m heelcheck.web <command>``: Django's manage.py for this project."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heelcheck.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([f"{sys.executable} -m heelcheck.web", *sys.argv[1:]])


if __name__ == "__main__":
    main()
