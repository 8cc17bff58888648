"""One unique index on (roll_id, registrant_id) per roll partition, not two.

The import built a plain unique index, then ATTACH PARTITION built a second, identical one for the
parent's primary key (a plain unique index cannot stand for a constraint): the same 6M-key sort
twice, and twice the writes. The import now makes its index the partition's primary key before
attaching (voters.services._build_indexes); this drops the plain copy from partitions imported
before. Nothing names it: lookups read whichever index the planner picks.
"""

from django.db import migrations

FORWARDS = """
DO $$
DECLARE
    plain regclass;
BEGIN
    FOR plain IN
        SELECT i.indexrelid::regclass
        FROM pg_inherits h
        JOIN pg_index i ON i.indrelid = h.inhrelid
        WHERE h.inhparent = 'voters_voter'::regclass
          AND i.indisunique AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
          AND EXISTS (  -- the partition's primary key on the same columns stays
              SELECT 1 FROM pg_index p
              WHERE p.indrelid = i.indrelid AND p.indisprimary AND p.indkey = i.indkey
          )
    LOOP
        EXECUTE format('DROP INDEX %s', plain);
    END LOOP;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("voters", "0007_roll_warnings"),
    ]

    # Not reversed: the dropped copy served nothing the primary key does not.
    operations = [migrations.RunSQL(sql=FORWARDS, reverse_sql=migrations.RunSQL.noop)]
