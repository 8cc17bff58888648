"""Each voter's county (the SoS CountyCode, "19" for Los Angeles; blank in a county's own file).

A statewide extract covers the 58 counties in one roll: a section is circulated in one county
(EC 11047) and its lines count only for that county's voters. ADD COLUMN with a constant default
changes no row on disk (PostgreSQL 11+), so it is instant on a roll of millions; the parent's
column reaches every partition.
"""

from django.db import migrations

FORWARDS = "ALTER TABLE voters_voter ADD COLUMN county_code text NOT NULL DEFAULT ''"
BACKWARDS = "ALTER TABLE voters_voter DROP COLUMN county_code"


class Migration(migrations.Migration):
    dependencies = [
        ("voters", "0008_partition_single_primary_key"),
    ]

    operations = [
        migrations.RunSQL(FORWARDS, BACKWARDS),
    ]
