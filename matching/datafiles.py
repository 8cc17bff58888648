"""The package's data files (matching/data/*.csv): read once, each on first use.

A file starts with comment lines ("# ...") naming its source and columns, then a CSV header.
Only the leading lines are comments: a data row may start with '#' (the unit designator #).
"""

import csv
from functools import cache
from importlib import resources


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of matching/data/<name> as dicts keyed by the header, in file order."""
    text = resources.files("matching").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    return tuple(csv.DictReader(lines[start:]))
