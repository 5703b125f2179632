"""``python -m heelcheck.web create_staff USERNAME [--password-stdin]``: a staff account for
the dashboard and exports (not a superuser: the site has no admin), with its second factor: a
TOTP secret for an authenticator app, printed once as an ``otpauth://`` URI and as text.
``create_staff USERNAME --totp`` gives an existing account a new secret (the old one stops
working), for a lost phone."""

from __future__ import annotations

import base64
import getpass
import sys
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Create a staff account. The password is asked for twice, or read from stdin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--totp", action="store_true",
            help="give an existing account a new authenticator secret (the old one stops working)",
        )  # fmt: skip
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
        if options["totp"]:
            existing = User.objects.filter(username=username, is_staff=True).first()
            if existing is None:
                raise CommandError(f"There is no staff account named {username!r}. Nothing was changed.")
            self.new_device(existing)
            return
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
        with transaction.atomic():
            user.set_password(password)
            user.save()
            self.stdout.write(f"Created staff account {username!r}.")
            self.new_device(user)

    def new_device(self, user: Any) -> None:
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
        secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
        self.stdout.write(
            "Add this account to an authenticator app (it asks for a code at every log in):\n"
            f"  URI (paste, or make a QR code of it offline): {device.config_url}\n"
            f"  or type the secret key: {secret}  (time-based, 6 digits, every 30 s)\n"
            "Keep it secret: it is shown only now. Log in at /staff/login/."
        )
