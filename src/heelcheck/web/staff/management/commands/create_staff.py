"""``python -m heelcheck.web create_staff USERNAME [--password-stdin]``: a staff account for
the dashboard and exports (not a superuser: the site has no admin)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Create a staff account. The password is asked for twice, or read from stdin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--password-stdin", action="store_true",
            help="read the password from the first line of standard input (for scripts)",
        )  # fmt: skip

    def read_password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\r\n")
        if not sys.stdin.isatty():
            raise CommandError("No terminal to ask for the password: use --password-stdin.")
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != first:
            raise CommandError("The two passwords differ. Nothing was created.")
        return first

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        username = str(options["username"]).strip()
        user = User(username=username, is_staff=True, is_active=True)
        try:
            user.clean_fields(exclude=["password"])
        except ValidationError as exc:
            messages = [m for msgs in exc.message_dict.values() for m in msgs]
            raise CommandError("\n".join(["This username cannot be used:", *messages])) from None
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists. Nothing was changed.")
        password = self.read_password(bool(options["password_stdin"]))
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(
                "\n".join(["This password is too weak; nothing was created:", *exc.messages])
            ) from None
        user.set_password(password)
        user.save()
        self.stdout.write(f"Created staff account {username!r}. Log in at /staff/login/.")
