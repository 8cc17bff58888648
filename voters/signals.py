"""What the voters app asks of the apps that use it, without importing them (they depend on it)."""

from django.dispatch import Signal

# Sent before a roll is made active, to show what would change. Receivers (petitions) return a
# list of dicts for the confirmation page; kwargs: candidate (the roll), active (or None).
roll_activation_preview = Signal()

# Sent once a roll has become the active one, after the activation's transaction commits (a
# receiver may enqueue work that reads the new roll). kwargs: roll (the now active VoterRoll).
roll_activated = Signal()

# Sent inside the transaction that swaps one county's voters of a roll by county, before the swap
# (voters.services.voter_roll_county_replace): receivers put back to pending what the county's
# new voters may decide otherwise, atomically with the swap. kwargs: roll, county_code,
# old_table (the county's current table, "" if the roll had none), since (the swap's start).
# Receivers return how many lines they reopened.
roll_county_replacing = Signal()
