"""A petition's lines leaving the app: the full export and the signer lists, streamed."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.utils.translation import gettext_lazy

from petitions.models import Line, LineStatus, Petition

# The first seven columns are the original export's, in its order (scripts read them by
# position); what the line says as keyed and its section's circulator follow.
EXPORT_HEADER = ("section", "line", "printed_name", "status", "voter_id", "score", "reason",
                 "residence_address", "city", "zip", "signed", "circulator",
                 "date_signed")  # fmt: skip
EXPORT_CHUNK = 5_000


def _streamed(lines: QuerySet[Line], *fields: str) -> Iterator[tuple[Any, ...]]:
    """(section serial, line number, *fields, the matcher's summary) per line, in section and
    line order, streamed from the database in chunks."""
    return (
        lines.order_by("section__serial", "number")
        # Only the matcher's one-sentence summary: the rest of `reason` can be large.
        .annotate(summary=KT("reason__summary"))
        .values_list("section__serial", "number", *fields, "summary")
        .iterator(chunk_size=EXPORT_CHUNK)
    )


def petition_export_rows(petition: Petition) -> Iterator[tuple[Any, ...]]:
    """The header, then one row per line in section and line order, streamed from the database.
    The signed flag reads yes/no and the signing date YYYY-MM-DD, as import_signatures takes
    them, so an export can be read back."""
    yield EXPORT_HEADER
    for (serial, number, name, status, voter_id, score, refs, address, city, zip_code, signed,
         circulator, date_signed, summary) in _streamed(
        Line.objects.filter(petition=petition), "printed_name", "status", "voter_registrant_id",
        "score", "reason__refs", "residence_address", "city", "zip", "signed",
        "section__circulator_name", "date_signed",
    ):  # fmt: skip
        yield (
            serial, number, name, status, voter_id, "" if score is None else f"{score:.2f}",
            reason_with_refs(summary or "", refs), address, city, zip_code,
            "yes" if signed else "no", circulator, date_signed.isoformat() if date_signed else "",
        )  # fmt: skip


def reason_with_refs(summary: str, refs: dict[str, object] | None) -> str:
    """A decision's summary with the facts of the roll behind it (registrant ids, registration
    dates), for the roles that may see them: "...; registered after filing ... [registered_on
    2026-09-01]"."""
    if not refs:
        return summary
    return f"{summary} [{'; '.join(f'{key} {value}' for key, value in refs.items())}]"


SIGNER_LIST_HEADER = ("section", "line", "printed_name", "residence_address", "city", "zip",
                      "status", "reason")  # fmt: skip
SIGNER_LISTS = {
    LineStatus.NOT_REGISTERED: gettext_lazy("not registered"),
    LineStatus.ADDRESS_MISMATCH: gettext_lazy("different address"),
}


def signer_list_rows(petition: Petition, status: str) -> Iterator[tuple[Any, ...]]:
    """Signers of one status with their name and address as written (for registration drives)."""
    yield SIGNER_LIST_HEADER
    lines = Line.objects.filter(petition=petition, status=status)
    for serial, number, *texts, summary in _streamed(
        lines, "printed_name", "residence_address", "city", "zip", "status"
    ):
        yield (serial, number, *texts, summary or "")
