"""Reading county and state voter files: format detection, header checks, one row -> one voter.

Pure Python (no Django): the importer streams a file through `VoterFileReader` and COPYs what it
yields. Two formats, detected from the header: our canonical CSV and the California Secretary of
State extract (tab-delimited, latin-1). Files may be gzip-compressed.
"""

import codecs
import csv
import datetime as dt
import gzip
import io
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from matching import addresses, names, nicknames, text

CANONICAL = "canonical"
COUNTIES = 58  # California's counties, numbered 01-58 by the Secretary of State
CA_SOS = "ca-sos"
FORMATS = (CANONICAL, CA_SOS)

CANONICAL_COLUMNS = (
    "voter_id", "first_name", "middle_name", "last_name", "name_suffix", "house_number",
    "house_fraction", "street_predir", "street_name", "street_type", "street_postdir",
    "unit_type", "unit_number", "city", "state", "zip", "birth_date", "registration_date",
    "status", "party", "precinct", "county_code",
)  # fmt: skip
# A file gives either the parsed address parts or one line the importer parses.
ADDRESS_PARTS = ("house_number", "street_name")
ADDRESS_LINE = "residence_address"

# The documented columns of the SoS extract, in order (DOMAIN.md). Columns after these are
# district columns, kept as attributes. Phones, e-mail and mailing addresses are confidential and
# not needed for the petition: they are never read into the database.
CA_SOS_COLUMNS = (
    "CountyCode", "RegistrantID", "ExtractDate", "LastName", "FirstName", "MiddleName", "Suffix",
    "AddressNumber", "HouseFractionNumber", "AddressNumberSuffix", "StreetDirPrefix", "StreetName",
    "StreetType", "StreetDirSuffix", "UnitType", "UnitNumber", "City", "State", "Zip",
    "Phone1Area", "Phone1Exchange", "Phone1NumberPart", "Phone2Area", "Phone2Exchange",
    "Phone2NumberPart", "Phone3Area", "Phone3Exchange", "Phone3NumberPart", "Phone4Area",
    "Phone4Exchange", "Phone4NumberPart", "Email", "MailingAddressLine1", "MailingAddressLine2",
    "MailingAddressLine3", "MailingCity", "MailingState", "MailingZip5", "MailingCountry",
    "Language", "DOB", "Gender", "PartyCode", "Status", "RegistrationDate", "Precinct",
    "PrecinctNumber", "RegistrationMethodCode", "PlaceOfBirth", "NamePrefix",
    "NonStandardAddress", "VoterStatusReasonCodeDesc", "AssistanceRequestFlag", "VbmVoterType",
    "EmsVoterId", "PrecinctId",
)  # fmt: skip
CA_SOS_TO_CANONICAL = {
    "CountyCode": "county_code", "RegistrantID": "voter_id", "LastName": "last_name",
    "FirstName": "first_name", "MiddleName": "middle_name", "Suffix": "name_suffix",
    "AddressNumber": "house_number",
    "HouseFractionNumber": "house_fraction", "AddressNumberSuffix": "number_suffix",
    "StreetDirPrefix": "street_predir", "StreetName": "street_name", "StreetType": "street_type",
    "StreetDirSuffix": "street_postdir", "UnitType": "unit_type", "UnitNumber": "unit_number",
    "City": "city", "State": "state", "Zip": "zip", "DOB": "birth_date",
    "RegistrationDate": "registration_date", "Status": "status", "PartyCode": "party",
    "Precinct": "precinct",
}  # fmt: skip

# What the importer writes, in the order of the COPY column list; NULL only where allowed.
OUTPUT_COLUMNS = (
    "registrant_id", "source_line", "first_name", "middle_name", "last_name", "name_suffix",
    "house_number", "house_fraction", "number_suffix", "street_predir", "street_name",
    "street_type", "street_postdir", "unit_type", "unit_number", "city", "state", "zip5", "zip4",
    "birth_date", "registration_date", "status", "party", "precinct", "attribute_set",
    "last_key", "first_key", "first_canon", "street_key", "city_key", "county_code",
)  # fmt: skip

NULLABLE_OUTPUT = ("birth_date", "registration_date", "attribute_set")

STATUS_WORDS = {
    "A": "A", "ACTIVE": "A", "I": "I", "INACTIVE": "I", "C": "C", "CANCELLED": "C",
    "CANCELED": "C", "": "A",
}  # fmt: skip
MAX_FIELD = 200  # longer values are not names or addresses
# One record: 21 canonical fields of at most MAX_FIELD characters and district columns come to a
# few KiB; anything far longer is a damaged file or a bomb, refused before it fills memory.
MAX_RECORD_BYTES = 64 << 10
# The header line: MAX_COLUMNS names of a few dozen bytes at most.
MAX_HEADER_BYTES = 1 << 20
# A county file has some 40 columns (the SoS extract 56 plus districts); the header check and
# Arrow's per-column work must not meet 300,000 of them.
MAX_COLUMNS = 500
# Inflated size of a gzip file when the caller gives none (recall.settings has the setting).
MAX_INFLATED_BYTES = 20 << 30
BATCH_BYTES = 8 << 20  # about 70,000 rows of a county file a batch


class FileError(Exception):
    """The file as a whole cannot be imported; nothing was written."""


@dataclass(frozen=True)
class FileInfo:
    format: str
    columns: tuple[str, ...]
    attribute_columns: tuple[str, ...]
    compressed: bool
    size: int


@dataclass
class Reject:
    line: int
    reason: str
    kind: str


@dataclass
class ReadStats:
    rows_read: int = 0
    rows_rejected: int = 0
    reject_counts: dict[str, int] = field(default_factory=dict)
    first_rejects: list[dict[str, int | str]] = field(default_factory=list)
    keep_rejects: int = 100
    # Rows imported with a part missing (a given name, a house number, a street): kept, since a
    # registrar still finds the voter by the rest, and reported like the rejects.
    rows_warned: int = 0
    warning_counts: dict[str, int] = field(default_factory=dict)
    first_warnings: list[dict[str, int | str]] = field(default_factory=list)

    def reject(self, line: int, kind: str, reason: str) -> None:
        self.rows_rejected += 1
        self.reject_counts[kind] = self.reject_counts.get(kind, 0) + 1
        if len(self.first_rejects) < self.keep_rejects:
            self.first_rejects.append({"line": line, "reason": reason})

    def warn(self, line: int, kind: str, reason: str) -> None:
        """Count one warning of an imported row (a row may have several)."""
        self.warning_counts[kind] = self.warning_counts.get(kind, 0) + 1
        if len(self.first_warnings) < self.keep_rejects:
            self.first_warnings.append({"line": line, "reason": reason})


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as raw:
        return raw.read(2) == b"\x1f\x8b"


def _open_binary(path: Path) -> tuple[io.BufferedReader, io.BufferedIOBase]:
    raw = path.open("rb")
    if _is_gzip(path):
        return raw, gzip.GzipFile(fileobj=raw, mode="rb")
    return raw, raw


def _sniff_header(path: Path) -> tuple[str, list[str]]:
    """The header's delimiter and column names, read from the first line only."""
    raw, binary = _open_binary(path)
    try:
        first = binary.readline(MAX_HEADER_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise FileError(f"cannot read the file: {exc}") from None
    finally:
        raw.close()
    if not first.strip():
        raise FileError("the file is empty (no header line)")
    if len(first) > MAX_HEADER_BYTES:
        raise FileError(
            f"the first line is longer than {MAX_HEADER_BYTES >> 20} MiB: it is not a header "
            "of column names (or the file has no line breaks)"
        )
    # The first line however it ends (a lone CR too: such a file is refused by its header).
    text = (first.removeprefix(codecs.BOM_UTF8).decode("latin-1").splitlines() or [""])[0]
    if not text.strip():
        raise FileError("the first line is blank: the header (column names) must come first")
    delimiter = "\t" if text.count("\t") > text.count(",") else ","
    try:
        names = next(csv.reader([text], delimiter=delimiter))
    except csv.Error as exc:
        raise FileError(f"the header line is not readable as CSV: {exc}") from None
    if len(names) > MAX_COLUMNS:
        raise FileError(
            f"the header has {len(names):,} columns, more than the {MAX_COLUMNS} a voter file "
            "may have: is the delimiter right?"
        )
    return delimiter, [n.strip() for n in names]


def inspect_voter_file(path: Path | str, requested: str = "auto") -> FileInfo:
    """Check a voter file's header before anything is written; FileError says what is wrong."""
    path = Path(path)
    if requested not in ("auto", *FORMATS):
        raise FileError(f"unknown format {requested!r}: use auto, canonical or ca-sos")
    if not path.is_file():
        raise FileError(f"no such file: {path}")
    delimiter, names = _sniff_header(path)
    lowered = {n.lower() for n in names}
    looks_sos = "RegistrantID" in names or (delimiter == "\t" and "registrantid" in lowered)
    detected = CA_SOS if looks_sos else CANONICAL
    if requested != "auto" and requested != detected:
        wanted = "RegistrantID" if requested == CA_SOS else "voter_id"
        raise FileError(
            f"the header does not look like the {requested} format (no {wanted} column); "
            f"it looks like {detected}: use --format {detected} or auto"
        )
    if detected == CA_SOS:
        return _inspect_sos(path, names, delimiter)
    return _inspect_canonical(path, names, delimiter)


def _inspect_canonical(path: Path, names: list[str], delimiter: str) -> FileInfo:
    if delimiter != ",":
        raise FileError("a canonical voter file is comma-separated; this header is not")
    lowered = [n.lower() for n in names]
    duplicated = sorted(n for n, count in Counter(lowered).items() if count > 1)
    if duplicated:
        raise FileError(f"the header repeats columns: {', '.join(duplicated)}")
    present = set(lowered)
    missing = [c for c in ("voter_id", "last_name", "first_name") if c not in present]
    if not (set(ADDRESS_PARTS) <= present or ADDRESS_LINE in present):
        missing.append("a residence address (house_number and street_name, or residence_address)")
    if not ({"city", "zip"} & present):
        missing.append("city or zip")
    if missing:
        raise FileError(f"the header lacks required columns: {'; '.join(missing)}")
    known = set(CANONICAL_COLUMNS) | {ADDRESS_LINE}
    return FileInfo(
        format=CANONICAL,
        columns=tuple(lowered),
        attribute_columns=tuple(n for n in lowered if n not in known and n),
        compressed=_is_gzip(path),
        size=path.stat().st_size,
    )


def _inspect_sos(path: Path, names: list[str], delimiter: str) -> FileInfo:
    if delimiter != "\t":
        raise FileError("a California SoS extract is tab-delimited; this header is not")
    required = ("RegistrantID", "LastName", "FirstName", "AddressNumber", "StreetName")
    present = set(names)
    missing = [c for c in required if c not in present]
    if not ({"City", "Zip"} & present):
        missing.append("City or Zip")
    if missing:
        raise FileError(f"the header lacks required columns: {', '.join(missing)}")
    documented = set(CA_SOS_COLUMNS)
    return FileInfo(
        format=CA_SOS,
        columns=tuple(names),
        attribute_columns=tuple(n for n in names if n not in documented and n),
        compressed=_is_gzip(path),
        size=path.stat().st_size,
    )


# Normalisation is pure and values repeat a great deal across millions of voters (surnames, first
# names, streets, cities, dates): a bounded cache makes each distinct value cost once.
_cache = lru_cache(maxsize=1 << 18)
street_key = _cache(addresses.street_key)
city_key = _cache(addresses.city_key)
direction = _cache(addresses.normalize_direction)
street_type = _cache(addresses.normalize_street_type)


@_cache
def surname_keys(last: str) -> tuple[str, str, str]:
    """The matcher's keys of a surname: whole, head (first part), and its sound."""
    return text.name_key(last), names.surname_head(last), names.phonetic(last)


@_cache
def given_name_keys(first: str) -> tuple[str, str]:
    """The matcher's keys of a given name: its first word and that word's canonical form."""
    key = names.first_key(first)
    return key, nicknames.nickname_canon(key)


@_cache
def parse_date(text: str) -> str | None:
    """ISO, YYYYMMDD or MM/DD/YYYY (a trailing time is ignored) -> ISO; '' -> None."""
    value = text.strip().split(" ", 1)[0]
    if not value:
        return None
    try:
        if "/" in value:
            month, day, year = value.split("/")
            parsed = dt.date(int(year), int(month), int(day))
        elif "-" in value:
            parsed = dt.date.fromisoformat(value)
        elif len(value) == 8 and value.isdigit():
            parsed = dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        else:
            raise ValueError
    except ValueError:
        raise ValueError(f"date {text!r} is not YYYY-MM-DD, YYYYMMDD or MM/DD/YYYY") from None
    if parsed.year < 1850:
        raise ValueError(f"date {text!r} is before 1850")
    return parsed.isoformat()


@_cache
def _county_code(text: str) -> tuple[str, str | None]:
    """A county code as stored ("19"; "" when not given) and the error of one out of range."""
    value = text.strip()
    if not value:
        return "", None
    if value.isascii() and value.isdigit() and 1 <= int(value) <= COUNTIES:
        return f"{int(value):02d}", None
    return "", "bad"


@_cache
def split_house_number(text: str) -> tuple[str, str]:
    """'123' -> ('123', ''); '123B' -> ('123', 'B'); anything else -> ('', '')."""
    value = text.strip().upper()
    digits = value.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ").strip()
    if not digits.isdigit():
        return "", ""
    return digits.lstrip("0") or "0", value[len(digits) :].strip()


# The fields a row is read into; a column the file lacks reads as empty strings.
FIELDS = (
    "voter_id", "first_name", "middle_name", "last_name", "name_suffix", "house_number",
    "number_suffix", "house_fraction", "street_predir", "street_name", "street_type",
    "street_postdir", "unit_type", "unit_number", "city", "state", "zip", "birth_date",
    "registration_date", "status", "party", "precinct", "county_code", ADDRESS_LINE,
)  # fmt: skip


@dataclass
class ChunkResult:
    """One parsed batch: COPY (CSV) bytes of its good rows, rows read, and its rejected rows."""

    copy_bytes: bytes
    rows_read: int
    rejects: list[tuple[int, str, str]]
    bytes_done: int = 0  # position in the file once this batch was parsed, for progress
    # (line, kind, reason) of the imported rows with a part missing; rows_warned counts rows.
    warnings: list[tuple[int, str, str]] = field(default_factory=list)
    rows_warned: int = 0


def _status(text: str) -> str | None:
    return STATUS_WORDS.get(text.upper())


def _date_or_error(text: str) -> tuple[str | None, str | None]:
    """(ISO date or None, error or None): mapped once per distinct value of a batch."""
    if not text:
        return None, None
    try:
        return parse_date(text), None
    except ValueError as exc:
        return None, str(exc)


class AttributeSets:
    """Numbers the distinct combinations of district values met in the file (1, 2, ...)."""

    def __init__(
        self, names: tuple[str, ...], known: list[tuple[int, dict[str, str]]] | None = None
    ) -> None:
        self.names = names
        self.numbers: dict[str, int | None] = {}
        # Only the sets new to the roll: a county's file adds to its roll's known ones (their
        # numbers are kept, so the other counties' voters keep theirs).
        self.sets: list[tuple[int, dict[str, str]]] = []
        self._first = 1
        for number, values in known or ():
            if set(values) <= set(names):
                self.numbers["\x1f".join(values.get(n, "") for n in names)] = number
            self._first = max(self._first, number + 1)

    def number(self, joined: str) -> int | None:
        number = self.numbers.get(joined, 0)
        if number != 0:
            return number
        values = joined.split("\x1f") if len(self.names) > 1 else [joined]
        found = {n: v.strip() for n, v in zip(self.names, values, strict=True) if v.strip()}
        number = self._first + len(self.sets) if found else None
        if number is not None:
            self.sets.append((number, found))
        self.numbers[joined] = number
        return number


class VoterFileReader:
    """Streams a voter file in batches of tens of thousands of rows, vectorised with Arrow.

    Arrow's C++ reader parses the CSV; each check and normal form is computed on whole columns, and
    the shared normalisation code (matching/) runs once per distinct value of a batch:
    names, streets, cities and dates repeat a great deal in a county roll. A row's line number is
    its record number plus one (the header), which is the physical line unless a quoted value
    spans several lines.
    """

    def __init__(
        self,
        path: Path | str,
        info: FileInfo,
        keep_rejects: int = 100,
        max_inflated_bytes: int = MAX_INFLATED_BYTES,
        county: str = "",
        county_required: bool = False,
        known_sets: list[tuple[int, dict[str, str]]] | None = None,
    ) -> None:
        self.path = Path(path)
        # One county's file ("19"): a row of another county stops the read (a wrong file); a
        # row without a county code is that county's. county_required: a roll by county refuses
        # rows without one.
        self.county = county
        self.county_required = county_required
        self.max_inflated_bytes = max_inflated_bytes
        self.info = info
        self.stats = ReadStats(keep_rejects=keep_rejects)
        self._raw: io.BufferedReader | None = None
        quote: str | bool  # Arrow's quote_char: a character, or False for none
        if info.format == CA_SOS:
            self.encoding, delimiter, quote = "latin-1", "\t", False
            self.names = [CA_SOS_TO_CANONICAL.get(c, c) for c in info.columns]
        else:
            self.encoding, delimiter, quote = "utf8", ",", '"'
            self.names = list(info.columns)
        self._skipped: list[tuple[int, str]] = []
        self._parse = pacsv.ParseOptions(
            delimiter=delimiter, quote_char=quote, newlines_in_values=bool(quote),
            invalid_row_handler=self._invalid_row,
        )  # fmt: skip
        kept = set(FIELDS) | set(info.attribute_columns)
        wanted = [n for n in self.names if n in kept]
        self._convert = pacsv.ConvertOptions(
            column_types=dict.fromkeys(wanted, pa.string()), include_columns=wanted,
            strings_can_be_null=False, quoted_strings_can_be_null=False,
        )  # fmt: skip
        self.attribute_sets = AttributeSets(tuple(info.attribute_columns), known_sets)
        # Every distinct surname key of the accepted rows: [first part, sound, voters].
        self.surnames: dict[str, list[str | int]] = {}
        # Voters per "city_key|zip5" of the accepted rows.
        self.places: dict[str, int] = {}
        self._quoted = bool(quote)

    def add(self, result: ChunkResult) -> None:
        """Count a parsed batch into the file's statistics (in file order)."""
        self.stats.rows_read += result.rows_read
        for line, kind, reason in result.rejects:
            self.stats.reject(line, kind, reason)
        self.stats.rows_warned += result.rows_warned
        for line, kind, reason in result.warnings:
            self.stats.warn(line, kind, reason)

    def _invalid_row(self, row: pacsv.InvalidRow) -> str:
        # Called by Arrow for a row with the wrong number of fields: report it, carry on.
        self._skipped.append(
            (row.number, f"expected {row.expected_columns} fields, found {row.actual_columns}")
        )
        return "skip"

    def bytes_read(self) -> int:
        """How far into the file (compressed bytes for gzip): for progress bars."""
        try:
            return self._raw.tell() if self._raw else 0
        except (OSError, ValueError):
            return 0

    def pieces(self) -> Iterator[tuple[int, bytes]]:
        """(first line number, bytes) of consecutive ~BATCH_BYTES pieces of whole records.

        Arrow's own streaming reader reads a whole Python file ahead into memory; cutting the
        pieces here keeps memory flat. A cut is made at a line break outside any quoted value;
        each piece starts outside one. Quickly: an even number of quote characters in the piece
        before the break (CSV doubles quotes within values). An odd number means a value quoted
        across a line break, or a stray quote inside a field (a nickname `PHILIP "PHIL`, which
        Arrow reads as a plain character): then the piece is scanned the way Arrow reads it
        (`_last_record_end`). Counting again from byte 0 at every line break instead, one stray
        quote cost quadratic time and held the whole file in memory.

        Memory stays flat whatever the file: a record longer than MAX_RECORD_BYTES, or a file
        that inflates past max_inflated_bytes, stops the read with a FileError.
        """
        raw, binary = _open_binary(self.path)
        self._raw = raw
        try:
            header = binary.readline(MAX_HEADER_BYTES + 1)  # checked by inspect_voter_file
            inflated = len(header)
            line, rest = 2, b""
            while True:
                block = binary.read(BATCH_BYTES)
                inflated += len(block)
                if inflated > self.max_inflated_bytes:
                    raise FileError(
                        f"the file inflates to more than {self.max_inflated_bytes:,} bytes "
                        "(VOTER_FILE_MAX_INFLATED_BYTES): not a voter file, or a damaged one"
                    )
                if not block:
                    if len(rest) > MAX_RECORD_BYTES:
                        raise FileError(_long_record(line))
                    if rest.strip():
                        yield line, rest
                    return
                data = rest + block
                cut = data.rfind(b"\n") + 1
                if self._quoted and cut and data.count(b'"', 0, cut) % 2:
                    cut = _last_record_end(data, cut)
                if cut <= 0:
                    if len(data) > MAX_RECORD_BYTES:
                        raise FileError(_long_record(line))
                    rest = data  # a record longer than the block read: read on
                    continue
                piece, rest = data[:cut], data[cut:]
                if len(rest) > MAX_RECORD_BYTES:
                    raise FileError(_long_record(line + piece.count(b"\n")))
                yield line, piece
                line += piece.count(b"\n")
        except (OSError, EOFError, zlib.error) as exc:
            raise FileError(f"cannot read the file: {exc}") from None
        finally:
            raw.close()
            self._raw = None

    def batches(self) -> Iterator[ChunkResult]:
        read = pacsv.ReadOptions(
            use_threads=False,  # one thread keeps Arrow's line numbers for bad rows
            block_size=2 * BATCH_BYTES, column_names=self.names, encoding=self.encoding,
        )  # fmt: skip
        for first_line, piece in self.pieces():
            try:
                table = pacsv.read_csv(
                    pa.py_buffer(piece), read_options=read, parse_options=self._parse,
                    convert_options=self._convert,
                ).combine_chunks()  # fmt: skip
            except pa.ArrowInvalid as exc:
                raise FileError(self._arrow_message(str(exc), first_line)) from None
            batches = table.to_batches()
            result = self._batch(batches[0] if batches else None, first_line)
            result.bytes_done = self.bytes_read()
            yield result

    def _arrow_message(self, text: str, first_line: int) -> str:
        where = f"in lines {first_line:,} onwards"
        if "UTF8" in text or "UTF-8" in text:
            return (
                f"the file is not valid UTF-8 ({where}); save it as UTF-8, or import an SoS "
                "extract as ca-sos (latin-1)"
            )
        return f"unreadable CSV {where}: {text.splitlines()[0]}"

    def _column(self, batch: pa.RecordBatch, name: str, n: int) -> pa.Array:
        if name in batch.schema.names:
            return pc.utf8_trim_whitespace(batch.column(name))
        return pa.repeat("", n).cast(pa.string())

    def _batch(self, batch: pa.RecordBatch | None, first_line: int) -> ChunkResult:
        """Check and normalise one piece; return COPY bytes of its good rows and the rejects."""
        # Arrow numbers a bad row by its line within the piece.
        skipped = [(first_line + number - 1, reason) for number, reason in self._skipped]
        self._skipped = []
        n = batch.num_rows if batch is not None else 0
        rejects = [(line, "field_count", reason) for line, reason in skipped]
        if n == 0:
            return ChunkResult(b"", len(skipped), rejects)
        col = {name: self._column(batch, name, n) for name in FIELDS}
        lines = _line_numbers(first_line, n, {line for line, _ in skipped})
        out, checks, warns = _normalise(col, n, self.attribute_sets, batch)
        if self.county:
            out["county_code"] = self._of_county(out["county_code"], lines)
        elif self.county_required:
            no_county = "no county code (a roll by county needs one on every row)"
            checks.append(("no_county", pc.equal(out["county_code"], ""), lambda i: no_county))
        rejected = None
        for kind, mask, message in checks:
            mask = pc.fill_null(mask, False)
            if rejected is not None:
                mask = pc.and_(mask, pc.invert(rejected))
            if pc.any(mask).as_py():
                for i in pc.indices_nonzero(mask).to_pylist():
                    rejects.append((lines[i], kind, message(i)))
                rejected = mask if rejected is None else pc.or_(rejected, mask)
        rejects.sort()
        warnings: list[tuple[int, str, str]] = []
        warned: set[int] = set()
        for kind, mask, message in warns:  # only of rows that are imported
            mask = pc.fill_null(mask, False)
            if rejected is not None:
                mask = pc.and_(mask, pc.invert(rejected))
            for i in pc.indices_nonzero(mask).to_pylist():
                warnings.append((lines[i], kind, message(i)))
                warned.add(i)
        warnings.sort()
        out["source_line"] = pa.array(lines, pa.int32())
        table = pa.table([out[c] for c in OUTPUT_COLUMNS], names=list(OUTPUT_COLUMNS))
        if rejected is not None:
            table = table.filter(pc.invert(rejected))
        self._count_surnames(table.column("last_key"), out["surname_parts"])
        self._count_places(table.column("city_key"), table.column("zip5"))
        return ChunkResult(
            _csv_bytes(table), n + len(skipped), rejects, warnings=warnings,
            rows_warned=len(warned),
        )  # fmt: skip

    def _of_county(self, codes: pa.Array, lines: list[int]) -> pa.Array:
        """The batch's county codes, each the file's county (a blank one stamped with it); a
        FileError naming the first row of another county."""
        other = pc.and_(pc.not_equal(codes, ""), pc.not_equal(codes, self.county))
        if pc.any(other).as_py():
            i = pc.index(other, True).as_py()
            raise FileError(
                f"line {lines[i]:,}: county code {codes[i].as_py()}, not {self.county}: this is "
                f"not county {self.county}'s file; nothing was changed"
            )
        return pc.if_else(pc.equal(codes, ""), self.county, codes)

    def _count_places(self, city_keys: pa.ChunkedArray, zips: pa.ChunkedArray) -> None:
        counts = pc.value_counts(pc.binary_join_element_wise(city_keys, zips, "|"))
        places = self.places
        for key, count in zip(
            counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True
        ):
            places[key] = places.get(key, 0) + count

    def _count_surnames(self, keys: pa.ChunkedArray, parts: dict[str, tuple[str, str]]) -> None:
        counts = pc.value_counts(keys)
        for key, count in zip(
            counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True
        ):
            if not key:
                continue  # a voter with a given name only: no surname to look up
            entry = self.surnames.get(key)
            if entry is None:
                self.surnames[key] = [*parts[key], count]
            else:
                entry[2] += count


_QUOTE_OR_BREAK = re.compile(b'["\n]')


def _last_record_end(data: bytes, end: int) -> int:
    """Just past the last line break before `end` that is outside a quoted value (0 if none).

    `data` starts outside a quoted value. Arrow's rules: a quote opens a quoted value only at the
    start of a field; inside one, a doubled quote is a quote and a single one closes it. Only
    quotes and line breaks are looked at, each once.
    """
    inside, cut, skip = False, 0, -1
    for match in _QUOTE_OR_BREAK.finditer(data, 0, end):
        i = match.start()
        if i == skip:
            continue
        if data[i] == 0x0A:
            if not inside:
                cut = i + 1
        elif inside:
            if data[i + 1 : i + 2] == b'"':
                skip = i + 1
            else:
                inside = False
        elif i == 0 or data[i - 1] in b",\r\n":
            inside = True
    return cut


def _long_record(line: int) -> str:
    return (
        f"line {line:,}: a record longer than {MAX_RECORD_BYTES // 1024} KiB (no line break, or "
        "a quote that is never closed): this is not a voter file, or it is damaged"
    )


def _line_numbers(first_line: int, n: int, skipped: set[int]) -> list[int]:
    """The line of each of a piece's n records: one a line, past the lines of skipped rows."""
    if not skipped:
        return list(range(first_line, first_line + n))
    lines: list[int] = []
    line = first_line
    while len(lines) < n:
        if line not in skipped:
            lines.append(line)
        line += 1
    return lines


_CSV_PLAIN = pacsv.WriteOptions(include_header=False, quoting_style="none")
_CSV_QUOTED = pacsv.WriteOptions(include_header=False, quoting_style="needed")


def _csv_bytes(table: pa.Table) -> bytes:
    """CSV for COPY: unquoted (smaller, quicker for Postgres) unless a value needs quotes."""
    sink = pa.BufferOutputStream()
    try:
        pacsv.write_csv(table, sink, write_options=_CSV_PLAIN)
    except pa.ArrowInvalid:  # a comma, quote or line break in some value of this batch
        sink = pa.BufferOutputStream()
        pacsv.write_csv(table, sink, write_options=_CSV_QUOTED)
    return sink.getvalue().to_pybytes()


def _mapped(
    array: pa.Array,
    func: Callable[[Any], Any],
    outputs: int = 1,
    types: list[pa.DataType] | None = None,
) -> Any:  # an Arrow array, or a list of `outputs` arrays
    """Apply a Python function once per distinct value of an Arrow column; spread the results."""
    encoded = array.dictionary_encode()
    results = [func(v) for v in encoded.dictionary.to_pylist()]
    indices = encoded.indices
    if outputs == 1:
        return pa.array(results, (types or [pa.string()])[0]).take(indices)
    columns = list(zip(*results, strict=True)) if results else [()] * outputs
    kinds = types or [pa.string()] * outputs
    return [pa.array(c, t).take(indices) for c, t in zip(columns, kinds, strict=True)]


# A check of a batch: (reject kind, Arrow boolean mask of the rows it rejects, message for row i);
# a warning is the same for rows imported all the same.
Check = tuple[str, pa.Array, Callable[[int], str]]


def _normalise(
    col: dict[str, pa.Array], n: int, attribute_sets: AttributeSets, batch: pa.RecordBatch
) -> tuple[dict[str, Any], list[Check], list[Check]]:
    """The output columns of a batch, its checks and its warnings: (kind, mask, message for row i).

    A row is refused without an id, any name (neither given name nor surname), or any residence
    (neither house number nor street); one missing only its surname, its given name, its house
    number or its street is imported with a warning, as a registrar still finds such a voter by
    the rest of the record.
    """
    out: dict[str, Any] = {}
    checks: list[Check] = []
    warnings: list[Check] = []

    def value(name: str) -> Callable[[int], Any]:
        column = col[name]
        return lambda i: column[i].as_py()

    # Too long or containing NUL (Postgres text cannot hold it): one check over all fields.
    too_long = pc.or_(*[pc.greater(pc.utf8_length(col[f]), MAX_FIELD) for f in FIELDS[:2]])
    for f in FIELDS[2:]:
        too_long = pc.or_(too_long, pc.greater(pc.utf8_length(col[f]), MAX_FIELD))
    has_nul = pc.match_substring(col["last_name"], "\x00")
    for f in FIELDS:
        if f != "last_name":
            has_nul = pc.or_(has_nul, pc.match_substring(col[f], "\x00"))
    checks.append(("nul", has_nul, lambda i: "the row contains a NUL character"))
    checks.append(
        ("too_long", too_long, lambda i: f"a field is longer than {MAX_FIELD} characters")
    )
    checks.append(("no_id", pc.equal(col["voter_id"], ""), lambda i: "no voter id"))
    no_surname, no_given_name = pc.equal(col["last_name"], ""), pc.equal(col["first_name"], "")
    checks.append(
        ("no_name", pc.and_(no_surname, no_given_name),
         lambda i: "no name (first_name and last_name are empty)")
    )  # fmt: skip
    # One name only: a registrar still finds the voter by it and the address (FEBRL4's originals
    # lack a surname or a given name this way), and a line of that name links to them.
    warnings.append(
        ("no_surname", no_surname,
         lambda i: "no surname (last_name is empty): imported with its given name only")
    )  # fmt: skip
    warnings.append(
        ("no_given_name", no_given_name,
         lambda i: "no given name (first_name is empty): imported without one")
    )  # fmt: skip

    # The address: parsed parts, or one line parsed by matching.addresses where parts are absent.
    number, split_suffix = _mapped(col["house_number"], split_house_number, 2)
    street = pc.utf8_upper(col["street_name"])
    parts = {
        "house_number": number,
        "number_suffix": pc.if_else(pc.equal(col["number_suffix"], ""), split_suffix,
                                    pc.utf8_upper(col["number_suffix"])),
        "house_fraction": col["house_fraction"],
        "street_predir": _mapped(col["street_predir"], direction),
        "street_name": street,
        "street_type": _mapped(col["street_type"], street_type),
        "street_postdir": _mapped(col["street_postdir"], direction),
        "unit_type": pc.utf8_upper(col["unit_type"]),
        "unit_number": col["unit_number"],
    }  # fmt: skip
    address_line = "residence_address" in batch.schema.names
    if address_line:
        use_line = pc.equal(col["street_name"], "")
        parsed = _mapped(
            col["residence_address"], _parsed_address, 10, [pa.string()] * 9 + [pa.bool_()]
        )
        for j, name in enumerate(ADDRESS_OUTPUT):
            parts[name] = pc.if_else(use_line, parsed[j], parts[name])
        line_bad = pc.and_(use_line, pc.invert(parsed[9]))
        address = col["residence_address"]
        checks.append(
            (
                "bad_address",
                line_bad,
                lambda i: f"cannot read residence_address {address[i].as_py()!r}",
            )
        )
    no_number = pc.equal(parts["house_number"], "")
    no_street = pc.equal(parts["street_name"], "")
    raw_number = value("house_number")
    checks.append(
        (
            "bad_address",
            pc.and_(no_number, no_street),
            lambda i: "no usable residence address (neither house number nor street name)",
        )
    )
    warnings.append(
        (
            "no_house_number",
            no_number,
            lambda i: (
                f"house_number {raw_number(i)!r} is not a house number: imported without one"
                if raw_number(i)
                else "no house number (house_number is empty): imported without one"
            ),
        )
    )
    warnings.append(
        (
            "no_street",
            no_street,
            lambda i: "no street name (street_name is empty): imported without one",
        )
    )
    out.update(parts)

    zip_text = pc.replace_substring(col["zip"], "-", "")
    zip_ok = pc.match_substring_regex(zip_text, r"^(\d{5}(\d{4})?)?$")
    raw_zip = value("zip")
    checks.append(("bad_zip", pc.invert(zip_ok), lambda i: f"{raw_zip(i)!r} is not a ZIP code"))
    out["zip5"] = pc.utf8_slice_codeunits(zip_text, 0, 5)
    out["zip4"] = pc.utf8_slice_codeunits(zip_text, 5, 9)
    out["city"] = pc.utf8_upper(col["city"])
    no_city = pc.and_(pc.equal(out["city"], ""), pc.equal(out["zip5"], ""))
    checks.append(("no_city", no_city, lambda i: "neither city nor zip given"))

    for name in ("birth_date", "registration_date"):
        parsed_date, error = _mapped(col[name], _date_or_error, 2)
        out[name] = parsed_date.cast(pa.date32())

        def date_error(i: int, e: pa.Array = error) -> str:  # this column's error of row i
            return e[i].as_py()

        checks.append(("bad_date", pc.is_valid(error), date_error))
    out["status"] = _mapped(col["status"], _status)
    status_text = value("status")
    checks.append(("bad_status", pc.is_null(out["status"]),
                   lambda i: f"status {status_text(i)!r} is not A, I or C"))  # fmt: skip

    names = attribute_sets.names
    if names:
        joined = (
            pc.binary_join_element_wise(
                *[pc.utf8_trim_whitespace(batch.column(a)) for a in names], "\x1f"
            )
            if len(names) > 1
            else pc.utf8_trim_whitespace(batch.column(names[0]))
        )
        out["attribute_set"] = _mapped(joined, attribute_sets.number, types=[pa.int32()])
    else:
        out["attribute_set"] = pa.nulls(n, pa.int32())

    encoded = col["last_name"].dictionary_encode()
    keys = [surname_keys(v) for v in encoded.dictionary.to_pylist()]
    out["last_key"] = pa.array([k[0] for k in keys], pa.string()).take(encoded.indices)
    out["surname_parts"] = {k[0]: (k[1], k[2]) for k in keys}
    out["first_key"], out["first_canon"] = _mapped(col["first_name"], given_name_keys, 2)
    out["street_key"] = _mapped(out["street_name"], street_key)
    out["city_key"] = _mapped(out["city"], city_key)
    out["registrant_id"] = col["voter_id"]
    for name in ("first_name", "middle_name", "last_name", "precinct"):
        out[name] = col[name]
    out["name_suffix"] = pc.utf8_upper(col["name_suffix"])
    out["party"] = pc.utf8_upper(col["party"])
    out["state"] = pc.if_else(pc.equal(col["state"], ""), "CA", pc.utf8_upper(col["state"]))
    # The SoS county code (01 Alameda ... 58 Yuba) of a statewide file: two digits ("1" reads
    # as "01"); blank in a county's own file, whose voters are all the roll's county.
    out["county_code"], bad_county = _mapped(col["county_code"], _county_code, 2)
    county_text = value("county_code")
    checks.append(("bad_county", pc.is_valid(bad_county),
                   lambda i: f"county code {county_text(i)!r} is not 1 to 58"))  # fmt: skip
    return out, checks, warnings


ADDRESS_OUTPUT = (
    "house_number", "house_fraction", "number_suffix", "street_predir", "street_name",
    "street_type", "street_postdir", "unit_type", "unit_number",
)  # fmt: skip


def _parsed_address(text: str) -> tuple[str | bool, ...]:  # 9 fields, then ok
    parsed = addresses.parse_address(text)
    return (*(getattr(parsed, f) for f in _PARSED_FIELDS), parsed.ok)


_PARSED_FIELDS = (
    "house_number", "house_fraction", "number_suffix", "predir", "street_name", "street_type",
    "postdir", "unit_type", "unit_number",
)  # fmt: skip
