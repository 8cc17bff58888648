"""Template source checks that rendering alone would not catch."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
RUNS_ON = re.compile(r"\{#(?!.*#\})")  # a {# with no #} after it on the line


def test_every_short_comment_closes_on_its_line():
    """Django's {# #} spans one line only: one that runs on is printed on the page, as text."""
    unclosed = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if RUNS_ON.search(line)
    ]
    assert unclosed == []


def test_the_check_finds_a_comment_that_runs_on():
    assert RUNS_ON.search("<p>{# a comment that goes on")
    assert not RUNS_ON.search("<p>{# closed #} text {# and another #}")
