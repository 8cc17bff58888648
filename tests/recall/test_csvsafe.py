"""Every CSV the app hands out goes through recall.lib.csvsafe: no cell runs as a formula."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recall.lib.csvsafe import FORMULA_START, cell, csv_lines
from recall.lib.text import is_invisible


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx"])
def test_a_formula_is_shown_as_text(dangerous):
    assert cell(dangerous) == "'" + dangerous


def test_numbers_and_ordinary_text_are_left_alone():
    assert [cell(v) for v in (-3, 0.5, None, "O'Neil-Smith", "a = b", "")] == [
        -3, 0.5, None, "O'Neil-Smith", "a = b", "",
    ]  # fmt: skip


@given(st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=5), max_size=10))
def test_no_cell_of_any_csv_starts_a_formula_and_the_visible_text_survives(rows):
    text = "".join(csv_lines(rows))
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert len(read) == len(rows)
    for written, back in zip(rows, read, strict=True):
        for original, value in zip(written, back, strict=True):
            assert not value.startswith(FORMULA_START)
            visible = "".join(c for c in original if c in "\t\n\r" or not is_invisible(c))
            assert value in (visible, "'" + visible)
            assert not any(is_invisible(c) for c in value if c not in "\t\n\r")


@pytest.mark.parametrize(
    ("written", "exported"),
    [
        ("\u202eANA GOMEZ", "ANA GOMEZ"),  # shown reversed, "ZEMOG ANA", with the override
        ("ANA\u200b GO\u200e\u200fMEZ\ufeff", "ANA GOMEZ"),
        ("\u2066ANA\u2069 \u2067GOMEZ\u2068", "ANA GOMEZ"),
        ("\u200b=HYPERLINK(1)", "'=HYPERLINK(1)"),  # hidden before a formula: still neutralised
        ("\x1b[31mANA\x7f", "[31mANA"),
    ],
)
def test_the_export_drops_invisible_format_and_control_characters(written, exported):
    assert cell(written) == exported
