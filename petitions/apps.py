from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "petitions"

    def ready(self) -> None:
        # The voters app asks what a roll change would do to petitions without importing them.
        from petitions.roll_change import roll_activation_preview
        from voters.signals import roll_activation_preview as preview_signal

        preview_signal.connect(roll_activation_preview, dispatch_uid="petitions-roll-preview")
