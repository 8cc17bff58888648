"""Hostile or odd voter files: a stray quote, a gzip bomb, a header of 300,000 columns."""

import gzip
import time
import tracemalloc
import zlib

import pytest

from tests.voters.factories import many, write_canonical
from voters import voterfile
from voters.voterfile import (
    CANONICAL_COLUMNS,
    FileError,
    VoterFileReader,
    inspect_voter_file,
)


def plain_rows(path, rows: int, nickname_row: int | None = None, gz: bool = False):
    """A canonical file written by hand (no csv module, so a stray quote stays unquoted)."""
    opener = gzip.open if gz else open
    with opener(path, "wt", encoding="utf-8", newline="") as out:
        out.write(",".join(CANONICAL_COLUMNS) + "\n")
        for i in range(rows):
            first = 'PHILIP "PHIL' if i == nickname_row else "PHILIP"
            out.write(
                f"{1000 + i},{first},,SURNAME{i % 97},,{100 + i},,N,MAIN,ST,,,,LOS ANGELES,CA,"
                "90012,1980-05-17,2004-09-01,A,DEM,9001234\n"
            )
    return path


def pieces(path, **kwargs) -> list[tuple[int, bytes]]:
    return list(VoterFileReader(path, inspect_voter_file(path), **kwargs).pieces())


def test_a_stray_quote_splits_in_linear_time(tmp_path):
    path = plain_rows(tmp_path / "quote.csv", 20_000, nickname_row=5)
    started = time.perf_counter()
    cut = pieces(path)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"{elapsed:.2f} s to split 20,000 rows"  # 9 s counting from byte 0
    assert b"".join(p for _, p in cut) == path.read_bytes().split(b"\n", 1)[1]


def test_a_stray_quote_keeps_pieces_small_and_lines_right(tmp_path, monkeypatch):
    monkeypatch.setattr(voterfile, "BATCH_BYTES", 16 << 10)
    path = plain_rows(tmp_path / "quote.csv", 5_000, nickname_row=3)
    cut = pieces(path)
    # Memory stays flat: no piece holds the rest of the file from the quote on.
    assert max(len(p) for _, p in cut) < 3 * voterfile.BATCH_BYTES
    assert len(cut) > 20
    line = 2
    for first_line, piece in cut:
        assert first_line == line
        line += piece.count(b"\n")
    assert line == 5_002


def test_quoted_line_breaks_across_pieces_still_cut_between_records(tmp_path, monkeypatch):
    monkeypatch.setattr(voterfile, "BATCH_BYTES", 4 << 10)
    rows = many(400)
    for i in range(0, 400, 7):
        rows[i]["street_name"] = 'MAIN\nSTREET "NORTH"'
    path = write_canonical(tmp_path / "r.csv", rows)
    reader = VoterFileReader(path, inspect_voter_file(path))
    read = []
    for batch in reader.batches():
        reader.add(batch)
        read.append(batch.rows_read)
    assert reader.stats.rows_rejected == 0, reader.stats.first_rejects
    assert sum(read) == 400
    assert len(read) > 10


def gzip_bomb(path, header: bytes, inflated: int) -> None:
    """A few hundred KB of gzip that inflates to `inflated` bytes without a line break."""
    block = b"A" * (1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    with path.open("wb") as out:
        out.write(packer.compress(header))
        for _ in range(inflated >> 20):
            out.write(packer.compress(block))
        out.write(packer.flush())


def test_a_gzip_bomb_fails_fast_with_a_plain_message_and_flat_memory(tmp_path):
    path = tmp_path / "bomb.csv.gz"
    gzip_bomb(path, (",".join(CANONICAL_COLUMNS) + "\n").encode(), 200 << 20)
    assert path.stat().st_size < 1 << 20
    tracemalloc.start()
    try:
        started = time.perf_counter()
        with pytest.raises(FileError, match=r"line 2: a record longer than 64 KiB"):
            pieces(path)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 << 20, f"peak {peak >> 20} MiB"
    assert elapsed < 5


def test_a_gzip_bomb_without_any_line_break_is_refused_by_its_header(tmp_path):
    path = tmp_path / "bomb.csv.gz"
    gzip_bomb(path, b"", 200 << 20)
    with pytest.raises(FileError, match="the first line is longer than 1 MiB"):
        inspect_voter_file(path)


def test_a_file_inflating_past_the_limit_is_refused(tmp_path):
    path = plain_rows(tmp_path / "big.csv.gz", 20_000, gz=True)
    with pytest.raises(FileError, match=r"inflates to more than 1,048,576 bytes"):
        pieces(path, max_inflated_bytes=1 << 20)
    assert len(pieces(path)) == 1  # within the default limit


def test_a_header_of_300000_columns_is_refused_at_once(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["x"] * 300_000) + "\n1\n")  # 600 KB
    started = time.perf_counter()
    with pytest.raises(FileError, match="the header has 300,000 columns, more than the 500"):
        inspect_voter_file(path)
    assert time.perf_counter() - started < 1


def test_the_header_check_is_linear_in_its_columns(tmp_path):
    path = tmp_path / "wide.csv"
    extra = 500 - len(CANONICAL_COLUMNS)  # up to the most columns a voter file may have
    names = [*CANONICAL_COLUMNS, *(f"district_{i}" for i in range(extra))]
    path.write_text(",".join(names) + "\n")
    started = time.perf_counter()
    info = inspect_voter_file(path)
    assert time.perf_counter() - started < 0.2
    assert len(info.attribute_columns) == extra
