"""What the voters app asks of the apps that use it, without importing them (they depend on it)."""

from django.dispatch import Signal

# Sent before a roll is made active, to show what would change. Receivers (petitions) return a
# list of dicts for the confirmation page; kwargs: candidate (the roll), active (or None).
roll_activation_preview = Signal()

# Sent once a roll has become the active one, after the activation's transaction commits (a
# receiver may enqueue work that reads the new roll). kwargs: roll (the now active VoterRoll).
roll_activated = Signal()
