"""Every template's words go through the translation catalogue: no English text is left in one
outside {% translate %} and {% blocktranslate %} (read as written, with Django's template syntax,
tags and scripts taken out), so a page in Spanish cannot show a forgotten English sentence."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Text a person reads in attributes: tooltips, labels for screen readers, placeholders, alt text.
READ_ATTRIBUTE = re.compile(r"""\b(?:title|aria-label|placeholder|alt)="([^"]*)\"""")
REMOVED = [
    re.compile(r"{% comment %}.*?{% endcomment %}", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{% blocktranslate.*?{% endblocktranslate %}", re.S),
    re.compile(r"<script.*?</script>", re.S),
    re.compile(r"<code>.*?</code>", re.S),  # commands to type, not prose
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
]
# Words that are the same in every language the app speaks (names of keys, file types, the
# statutes' abbreviations) or that are not words (a file name).
SAME_IN_EVERY_LANGUAGE = {"progress.json", "CSV", "Alt", "Tab", "Enter", "Esc"}


def _untranslated(source: str) -> list[str]:
    for pattern in REMOVED[:5]:
        source = pattern.sub(" ", source)
    attributes = READ_ATTRIBUTE.findall(source)
    text = re.sub(r"<[^>]*>", " ", source, flags=re.S)
    found = []
    for chunk in [text, *attributes]:
        for pattern in REMOVED[5:]:
            chunk = pattern.sub(" ", chunk)
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z.]*[A-Za-z]", chunk)
                 if w not in SAME_IN_EVERY_LANGUAGE]  # fmt: skip
        if words:
            found.append(" ".join(words))
    return found


@pytest.mark.parametrize(
    "template", sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html"))
)
def test_a_template_has_no_english_outside_the_catalogue(template):
    assert _untranslated((TEMPLATES / template).read_text()) == []


def test_the_check_finds_english_left_in_a_template():
    assert _untranslated('<p title="Undo it">Saved {{ n }} lines.</p>') == [
        "Saved lines", "Undo it",
    ]  # fmt: skip
    assert _untranslated('<p>{% translate "Saved." %} <span title="{% translate \'x\' %}">') == []
