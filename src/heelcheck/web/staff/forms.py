"""The staff login form: username, password and, by default, the current code of the
account's authenticator app (TOTP, through django-otp)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_totp.models import TOTPDevice


class LoginForm(OTPAuthenticationFormMixin, AuthenticationForm):  # type: ignore[misc]
    """Django's login form, with the username's length really checked: Django only sets the
    field's max_length after building it, so the limit reached the browser but was never
    enforced, and an overlong name went on to django-axes, whose column is 255 characters.

    The password is checked first (django-axes counts its failures); then the code, against
    the account's one TOTP device (django-otp throttles wrong codes per device)."""

    otp_token = forms.CharField(required=False, max_length=16, label="Code from your authenticator app")
    otp_error_messages: ClassVar[dict[str, Any]] = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": "Please type the 6-digit code from your authenticator app.",
        "invalid_token": "That code is not right (or has expired). Type the current one.",
        "device_required": "This account has no authenticator app set up. Ask whoever runs the "
        "site to set one up with create_staff --totp.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        if settings.HEELCHECK_STAFF_OTP:
            self.clean_otp(self.get_user())
        return cleaned

    def _chosen_device(self, user: Any) -> TOTPDevice | None:
        return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
