"""Stand-ins for h3's registrar selectors (SPEC22), same signatures: dropped at merge, when
petitions.selectors.calibration imports the real ones instead (its one import of these)."""

from collections.abc import Iterable, Iterator

from django.db.models import F, OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform

from petitions.models import Petition, RegistrarLine, RegistrarResult


def latest_registrar_result(petition: Petition, kind: str) -> RegistrarResult | None:
    """The result of this kind that counts: the latest by its date, then by its import."""
    return (
        RegistrarResult.objects.filter(petition=petition, kind=kind)
        .order_by("-as_of", "-imported_at", "-id")
        .first()
    )


def registrar_line_pairs(petitions: Iterable[Petition]) -> Iterator[tuple[int, str, str, str]]:
    """(line id, our status, our reason rule or "", the registrar's category) over the latest
    `lines` result of each petition given."""
    latest = (
        RegistrarResult.objects.filter(petition=OuterRef("petition"), kind="lines")
        .order_by("-as_of", "-imported_at", "-id")
        .values("id")[:1]
    )
    results = (
        RegistrarResult.objects.filter(petition__in=list(petitions), kind="lines")
        .annotate(latest=Subquery(latest))
        .filter(id=F("latest"))
        .values_list("id", flat=True)
    )
    rows = (
        RegistrarLine.objects.filter(result_id__in=list(results))
        .annotate(rule=KeyTextTransform("rule", "line__reason"))
        .values_list("line_id", "line__status", "rule", "category")
    )
    for line_id, status, rule, category in rows.iterator(chunk_size=5000):
        yield line_id, status, rule or "", category
