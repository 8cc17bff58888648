from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "petitions"

    def ready(self) -> None:
        # The voters app tells petitions about roll changes without importing them.
        from petitions import receivers
        from petitions.roll_change import roll_activation_preview
        from voters import signals

        signals.roll_activation_preview.connect(
            roll_activation_preview, dispatch_uid="petitions-roll-preview"
        )
        signals.roll_activated.connect(
            receivers.roll_activated, dispatch_uid="petitions-roll-activated"
        )
        signals.roll_county_replacing.connect(
            receivers.roll_county_replacing, dispatch_uid="petitions-roll-county-replacing"
        )
