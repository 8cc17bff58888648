"""Rolls partitioned by county (a statewide roll, each county's file replaceable alone).

PostgreSQL requires a unique constraint of a partitioned table to include the partition key at
every level, so voters_voter's primary key (roll_id, registrant_id) forbids a roll partition that
is itself partitioned by county_code. The key moves down to each partition (each keeps the primary
key it was attached with; a county's table has its own): partitions are detached, the parent's
key dropped and the partitions attached again. Each partition carries CHECK (roll_id = N), so the
attach scans nothing: all of it is catalog work, instant whatever the rolls' sizes. Uniqueness of
a voter across a statewide roll's counties is checked by the import (voters.services).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FORWARDS = """
DO $$
DECLARE
    part record;
BEGIN
    CREATE TEMP TABLE voters_parts ON COMMIT DROP AS
        SELECT c.oid::regclass AS rel, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
        WHERE h.inhparent = 'voters_voter'::regclass;
    FOR part IN SELECT * FROM voters_parts LOOP
        EXECUTE format('ALTER TABLE voters_voter DETACH PARTITION %s', part.rel);
    END LOOP;
    ALTER TABLE voters_voter DROP CONSTRAINT IF EXISTS voters_voter_pkey;
    FOR part IN SELECT * FROM voters_parts LOOP
        EXECUTE format('ALTER TABLE voters_voter ATTACH PARTITION %s %s', part.rel, part.bound);
    END LOOP;
END
$$;
"""

# Back only while no roll is partitioned by county (those cannot sit under the key).
BACKWARDS = FORWARDS.replace(
    "ALTER TABLE voters_voter DROP CONSTRAINT IF EXISTS voters_voter_pkey;",
    "ALTER TABLE voters_voter ADD PRIMARY KEY (roll_id, registrant_id);",
)


class Migration(migrations.Migration):
    dependencies = [
        ("voters", "0009_voter_county_code"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="voterroll",
            name="by_county",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="voterroll",
            name="county_code",
            field=models.CharField(blank=True, max_length=2),
        ),
        migrations.CreateModel(
            name="VoterRollCounty",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("county_code", models.CharField(max_length=2)),
                ("table_name", models.CharField(max_length=63)),
                ("voters", models.PositiveBigIntegerField(default=0)),
                ("source_name", models.CharField(max_length=255)),
                ("imported_at", models.DateTimeField()),
                ("replaced_at", models.DateTimeField(blank=True, null=True)),
                ("rows_rejected", models.PositiveBigIntegerField(default=0)),
                ("lines_reopened", models.PositiveBigIntegerField(default=0)),
                (
                    "replaced_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "roll",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="counties",
                        to="voters.voterroll",
                    ),
                ),
            ],
            options={
                "ordering": ["roll", "county_code"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("roll", "county_code"), name="voters_roll_county"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("county_code__regex", "^(0[1-9]|[1-4][0-9]|5[0-8])$")),
                        name="voters_roll_county_code",
                    ),
                ],
            },
        ),
        migrations.RunSQL(FORWARDS, BACKWARDS),
    ]
