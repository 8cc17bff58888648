"""CSV for spreadsheets: no cell a spreadsheet would run as a formula (CSV injection).

Every CSV the app hands out goes through `csv_lines` or `writer`, which neutralise each text cell,
so no export can forget one."""

import csv
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from recall.lib.text import is_invisible

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """Text as a spreadsheet shows it, never as a formula it would run, without invisible format
    or control characters (the last line of defence: text is cleaned when it comes in); other
    values as they are."""
    if not isinstance(value, str):
        return value
    if not (value.isascii() and value.isprintable()):
        # Tabs and line breaks stay (csv quotes them; a leading one is a formula start below).
        value = "".join(c for c in value if c in "\t\n\r" or not is_invisible(c))
    if value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class _SafeWriter:
    def __init__(self, out: _Writable) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[Any]) -> Any:  # what out.write returned
        return self._writer.writerow([cell(value) for value in row])


def writer(out: _Writable) -> _SafeWriter:
    """csv.writer whose every text cell is neutralised."""
    return _SafeWriter(out)


class _Echo:
    """A file-like object whose write returns the text: the writer then yields lines."""

    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Rows as CSV text, one line at a time (for streaming responses and commands)."""
    out = writer(_Echo())
    for row in rows:
        yield out.writerow(row)
