from django.apps import AppConfig


class VotersConfig(AppConfig):
    name = "voters"
