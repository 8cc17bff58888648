from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "voters"

    def ready(self) -> None:
        from voters import checks  # noqa: F401  (registers the system checks)
