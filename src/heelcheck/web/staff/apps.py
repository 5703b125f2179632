from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "heelcheck.web.staff"
    label = "staff"
    verbose_name = "Clinic staff"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from . import sessions

        user_logged_in.connect(sessions.on_login, dispatch_uid="heelcheck-staff-login")
        user_logged_out.connect(sessions.on_logout, dispatch_uid="heelcheck-staff-logout")
