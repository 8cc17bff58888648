"""Lines saved blank (Alt+X) that a roll change or `validate_signatures --all` re-validated into
"incomplete" become blank again.

Such a line holds exactly what a blank line stores (no name, address, city or ZIP, unsigned: what
LineInput.fields() keeps of one): nothing else is stored that way (a typed line needs a name or an
address). Reviewers' decisions are left alone. The tally triggers follow the UPDATE.
"""

from django.db import migrations

REPAIR = """
    UPDATE petitions_line
    SET status = 'blank', counted = false, voter_registrant_id = '', namesakes = '{}',
        score = NULL, validated_at = NULL, validated_roll_id = NULL,
        reason = '{"rule": "blank", "summary": "blank or crossed out on the paper"}'::jsonb,
        updated_at = now()
    WHERE status <> 'blank' AND printed_name = '' AND residence_address = '' AND city = ''
      AND zip = '' AND NOT signed AND NOT counted
      AND coalesce(reason->>'rule', '') <> 'manual'
"""


class Migration(migrations.Migration):
    dependencies = [("petitions", "0007_line_options_and_name_key")]

    operations = [migrations.RunSQL(REPAIR, migrations.RunSQL.noop)]
