"""The planner's idea of a line's voter column: about one line per voter, however the lines are.

Autovacuum does not keep the lines' statistics (it may be off: it is on the benchmark server), and
an ANALYZE taken just after an import sees every line pending with no voter: one distinct value.
The planner then believes each voter has every line of the petition and reads the whole petition
for each of a batch's voters (petitions.validation.counting._lines_of_voters) instead of probing
the (petition, voter) index. n_distinct = -0.5 (half as many voters as lines) is what a validated
petition's column holds, and what ANALYZE keeps from now on instead of its own count.
"""

from django.db import migrations

FORWARDS = [
    "ALTER TABLE petitions_line ALTER COLUMN voter_registrant_id SET (n_distinct = -0.5)",
    "ANALYZE petitions_line",
]
BACKWARDS = [
    "ALTER TABLE petitions_line ALTER COLUMN voter_registrant_id RESET (n_distinct)",
    "ANALYZE petitions_line",
]


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0011_line_event_withdrawn"),
    ]

    operations = [migrations.RunSQL(sql=FORWARDS, reverse_sql=BACKWARDS)]
