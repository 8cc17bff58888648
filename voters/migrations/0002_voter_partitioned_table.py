"""The voters table, partitioned by roll: each import attaches its own fully indexed partition.

Keys and identifiers use the "C" collation: they are upper-case ASCII compared for equality, and
byte order makes index builds over millions of rows several times faster than a locale's order.
"""

from django.db import migrations

COLUMNS = """
    roll_id bigint NOT NULL,
    registrant_id text COLLATE "C" NOT NULL,
    source_line integer NOT NULL,
    first_name text NOT NULL DEFAULT '',
    middle_name text NOT NULL DEFAULT '',
    last_name text NOT NULL DEFAULT '',
    name_suffix text NOT NULL DEFAULT '',
    house_number text COLLATE "C" NOT NULL DEFAULT '',
    house_fraction text NOT NULL DEFAULT '',
    number_suffix text NOT NULL DEFAULT '',
    street_predir text NOT NULL DEFAULT '',
    street_name text NOT NULL DEFAULT '',
    street_type text NOT NULL DEFAULT '',
    street_postdir text NOT NULL DEFAULT '',
    unit_type text NOT NULL DEFAULT '',
    unit_number text NOT NULL DEFAULT '',
    city text NOT NULL DEFAULT '',
    state text NOT NULL DEFAULT '',
    zip5 text COLLATE "C" NOT NULL DEFAULT '',
    zip4 text NOT NULL DEFAULT '',
    birth_date date,
    registration_date date,
    status char(1) NOT NULL CHECK (status IN ('A', 'I', 'C')),
    party text NOT NULL DEFAULT '',
    precinct text NOT NULL DEFAULT '',
    attribute_set integer,
    last_key text COLLATE "C" NOT NULL DEFAULT '',
    first_key text COLLATE "C" NOT NULL DEFAULT '',
    first_canon text COLLATE "C" NOT NULL DEFAULT '',
    street_key text COLLATE "C" NOT NULL DEFAULT '',
    city_key text COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (roll_id, registrant_id)
"""


class Migration(migrations.Migration):
    dependencies = [("voters", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE TABLE voters_voter ({COLUMNS}) PARTITION BY LIST (roll_id);",
            reverse_sql="DROP TABLE voters_voter;",
        )
    ]
