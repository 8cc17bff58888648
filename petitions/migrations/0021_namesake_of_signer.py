"""Lines decided by the retired rule "signed before, elsewhere" (a duplicate) go back to
pending: the sweep (petitions.tasks.sweep_pending_lines) decides them again, as the namesake of
a voter who signed at home (not registered) or as whatever the roll now says. None of them
counted, so no count changes until then."""

from django.db import migrations

REOPEN = """
UPDATE petitions_line SET status = 'pending', counted = false, updated_at = now()
WHERE status = 'duplicate' AND reason ->> 'rule' = 'signed_before_elsewhere'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0020_line_address_key"),
    ]

    operations = [migrations.RunSQL(REOPEN, reverse_sql=migrations.RunSQL.noop)]
