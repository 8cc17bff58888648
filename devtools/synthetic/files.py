"""Files the generators read and write: gzip when the name ends in .gz, reproducible bytes."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, TextIO


@contextmanager
def text_file(path: str | Path, mode: str) -> Iterator[TextIO]:
    """Open text for reading ("r") or writing ("w"); gzip when the name ends in .gz."""
    with ExitStack() as stack:
        raw: IO[bytes] | gzip.GzipFile = stack.enter_context(open(path, mode + "b"))
        if str(path).endswith(".gz"):
            # mtime=0 and no file name in the header: the same content gives the same bytes.
            raw = stack.enter_context(
                gzip.GzipFile(filename="", mode=mode + "b", fileobj=raw, mtime=0)
            )
        yield stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
