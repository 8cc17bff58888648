"""Registrant ids, registration dates and where a voter is registered move out of decisions' summaries (which the line's keyer
reads) into the decision's `refs`, which only the roles that decide lines see (issue 15, item 3).
Reviewers' history notes drop the id too (the event's `after` state keeps the voter)."""

import re

from django.db import migrations

# (pattern in a summary, its replacement, the refs key that keeps what it took out)
SUMMARY_RULES = [
    (re.compile(r"a voter of this name \(([^)]*)\) already signed"),
     "a voter of this name already signed", "signed_as"),
    (re.compile(r"; taken to be voter (\S+), who also signed by name"),
     "; taken to be the voter of this name who also signed by name", "taken_as"),
    (re.compile(r"registered on (\d{4}-\d{2}-\d{2}), after "), "registered after ",
     "registered_on"),
    (re.compile(r" picked voter (\S+): "), " picked a candidate: ", "picked"),
    # Where a voter found elsewhere is registered: a keyer saving a made-up address for a name
    # would learn it.
    (re.compile(r"registered at another address: ([^(;]*?)(?= \(|;|$)"),
     "registered at another address", "registered_at"),
]  # fmt: skip
NOTE = re.compile(r" picked voter \S+: ")
NOTE_ADDRESS = re.compile(r"registered at another address: ([^(;]*?)(?= \(|;|$)")


def scrub(summary: str, refs: dict) -> str:
    for pattern, replacement, key in SUMMARY_RULES:
        match = pattern.search(summary)
        if match:
            refs.setdefault(key, match.group(1))
            summary = pattern.sub(replacement, summary, count=1)
    return summary


def forwards(apps, schema_editor):
    Line = apps.get_model("petitions", "Line")
    LineEvent = apps.get_model("petitions", "LineEvent")
    changed = Line.objects.filter(
        reason__summary__regex=(
            r"(of this name \(|taken to be voter |registered on |picked voter "
            r"|registered at another address: )"
        )
    )
    for line in changed.only("id", "reason").iterator(chunk_size=2000):
        refs = dict(line.reason.get("refs") or {})
        summary = scrub(line.reason.get("summary", ""), refs)
        Line.objects.filter(pk=line.pk).update(reason={**line.reason, "summary": summary,
                                                       "refs": refs})  # fmt: skip
    notes = LineEvent.objects.filter(
        note__regex=r"( picked voter |registered at another address: )"
    )
    for event in notes.only("id", "note"):
        note = NOTE.sub(" picked a candidate: ", event.note, count=1)
        note = NOTE_ADDRESS.sub("registered at another address", note, count=1)
        LineEvent.objects.filter(pk=event.pk).update(note=note)


class Migration(migrations.Migration):
    dependencies = [("petitions", "0005_line_tally")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
