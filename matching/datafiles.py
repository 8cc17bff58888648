"""The package's data files (matching/data/*.csv): read once, each on first use.

A file starts with comment lines ("# ...") naming its source and columns, then a CSV header.
Only the leading lines are comments: a data row may start with '#' (the unit designator #).
"""

import csv
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path


class DataFileError(ValueError):
    """A data file is missing or malformed; the message names the file and the line."""


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of matching/data/<name> as dicts keyed by the header, in file order."""
    text = resources.files("matching").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    return tuple(csv.DictReader(lines[start:]))


def checked_rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """The rows of a data file given by path (a deployment's own, or the package's), each with
    the line it is on, keyed by `columns`: the file must exist, its header must name exactly
    these columns, and every row must fill each of them."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: cannot be read: not UTF-8 (byte {exc.start})") from None
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    reader = csv.reader(lines[start:])
    header = [name.strip() for name in next(reader, [])]
    if header != list(columns):
        raise DataFileError(
            f"{path}, line {start + 1}: the header must be {','.join(columns)}, "
            f"got {','.join(header) or 'nothing'}"
        )
    found = []
    for record in reader:
        line = start + reader.line_num
        if not record:
            continue
        if len(record) != len(columns) or not all(value.strip() for value in record):
            raise DataFileError(
                f"{path}, line {line}: expected {len(columns)} non-empty fields "
                f"({', '.join(columns)}), got {record}"
            )
        found.append((line, dict(zip(columns, (value.strip() for value in record), strict=True))))
    return found
