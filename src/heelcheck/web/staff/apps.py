from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "heelcheck.web.staff"
    label = "staff"
    verbose_name = "Clinic staff"
