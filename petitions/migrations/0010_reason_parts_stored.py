"""Reasons stored before a decision's parts were kept beside its summary (issue 16) get them:
the counting's leading note ("signed more than once: also on ...") as `notes`, and `settled`
when a tie line was taken to be the voter who also signed by name. Lines' reasons and the states
their history events keep. Afterwards every stored reason says its parts, and no code reads them
back out of the wording."""

from django.db import migrations

ALSO_ON = r"signed more than once: also on (?:section [0-9]+ line [0-9]+|another line)"
SETTLED = "; taken to be the voter of this name who also signed by name"


def with_parts(column: str) -> str:
    """SQL: the reason `column` with the parts its wording says."""
    summary = f"({column} ->> 'summary')"
    return f"""
        {column}
        || CASE WHEN {summary} ~ '^{ALSO_ON}; '
                THEN jsonb_build_object('notes', jsonb_build_array(
                    substring({summary} from '^({ALSO_ON}); ')))
                ELSE '{{}}'::jsonb END
        || CASE WHEN {summary} ~ '{SETTLED}$' THEN '{{"settled": true}}'::jsonb
                ELSE '{{}}'::jsonb END
    """


def without_parts(column: str) -> str:
    """SQL: `column` is a reason stored without its parts whose wording holds some."""
    summary = f"({column} ->> 'summary')"
    return f"""
        jsonb_typeof({column}) = 'object' AND NOT ({column} ? 'notes' OR {column} ? 'settled')
        AND ({summary} ~ '^{ALSO_ON}; ' OR {summary} ~ '{SETTLED}$')
    """


# Fixed SQL: the only values spliced in are this module's constants and column names.
FORWARDS = [
    f"UPDATE petitions_line SET reason = {with_parts('reason')} WHERE {without_parts('reason')}",  # noqa: S608
    *(
        f"""UPDATE petitions_lineevent
            SET {state} = jsonb_set({state}, '{{reason}}', {with_parts(f"({state} -> 'reason')")})
            WHERE {without_parts(f"({state} -> 'reason')")}"""  # noqa: S608
        for state in ("before", "after")
    ),
]


class Migration(migrations.Migration):
    dependencies = [("petitions", "0009_status_kind_rule_checks")]

    operations = [
        migrations.RunSQL(FORWARDS, migrations.RunSQL.noop, elidable=True),
    ]
