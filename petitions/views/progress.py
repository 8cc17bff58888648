"""The organizer's dashboard, its progress.json, and the 30-day reports by county."""

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from petitions.models import Petition
from petitions.progress import breakdowns, filing, pace, petition_progress, reasons
from petitions.selectors import SIGNER_LISTS
from petitions.selectors.calibration import CurvePage, calibration_curve
from petitions.statewide import counties_verdict, is_multi_county
from petitions.thirty_day import PERIOD_DAYS, report_csv_rows, thirty_day_report
from petitions.views.common import petition_or_404
from recall.db_router import on_replica, replica_configured
from recall.http import AuthenticatedHttpRequest
from recall.lib.csvsafe import csv_lines


@login_required
@permission_required("petitions.view_dashboard", raise_exception=True)
@require_GET
def dashboard(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Will the petition qualify, and where to act."""
    petition = petition_or_404(request, slug)
    # Figures a few seconds old will do: read on the replica, if there is one.
    context, source = on_replica(lambda: _dashboard_context(petition))
    context["read_source"] = source if replica_configured() else None
    return render(request, "petitions/dashboard.html", context)


@login_required
@permission_required("petitions.view_dashboard", raise_exception=True)
@require_GET
def progress_json(request: AuthenticatedHttpRequest, slug: str) -> JsonResponse:
    petition = petition_or_404(request, slug)
    progress, _ = on_replica(lambda: petition_progress(petition))
    return JsonResponse(progress)


def _dashboard_context(petition: Petition) -> dict[str, Any]:
    progress = petition_progress(petition)
    rate = progress["validity_rate"]
    context: dict[str, Any] = {
        "petition": petition,
        "progress": progress,
        "pace": pace(petition, progress),
        "filing": filing(petition, progress),
        "reasons": reasons(progress),
        "breakdowns": breakdowns(petition),
        "lists": SIGNER_LISTS,
        "rate_percent": None if rate is None else rate * 100,
    }
    # Each kind of area beside its lines not attributed (a cache from before they were counted
    # apart has none).
    shown = context["breakdowns"]
    context["areas"] = [
        (dimension, rows, shown.get("areas_unattributed", {}).get(dimension))
        for dimension, rows in shown["areas"].items()
    ]
    # A petition of several counties: each county's own verification and their sum.
    context["counties"] = counties_verdict(petition) if is_multi_county(petition) else None
    context["charts"] = {
        "pace": context["pace"],
        "reasons": context["reasons"],
        "circulators": context["breakdowns"]["circulators"][:40],
    }
    return context


@login_required
@permission_required("petitions.view_dashboard", raise_exception=True)
@require_GET
def thirty_day_reports(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """EC 11104: by county and by 30 days from the approval, signatures submitted and valid."""
    petition = petition_or_404(request, slug)
    context = {"petition": petition, "report": thirty_day_report(petition), "days": PERIOD_DAYS}
    return render(request, "petitions/reports.html", context)


@login_required
@permission_required("petitions.view_dashboard", raise_exception=True)
@require_GET
def thirty_day_reports_csv(request: AuthenticatedHttpRequest, slug: str) -> StreamingHttpResponse:
    """The 30-day reports as CSV: counts by county, no signer in them (no download record)."""
    petition = petition_or_404(request, slug)
    rows = report_csv_rows(thirty_day_report(petition))
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{petition.slug}-30-day-reports.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required("petitions.view_dashboard", raise_exception=True)
@require_GET
def calibration(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The calibration curve: our predicted chance of valid against the registrar's share."""
    petition = petition_or_404(request, slug)
    page = calibration_curve(petition)
    progress = petition_progress(petition)
    context = {"petition": petition, "page": page, "progress": progress, "svg": _curve_svg(page)}
    return render(request, "petitions/calibration.html", context)


# The curve's plot: a square of SIDE pixels inside a margin, predicted across, observed up.
SIDE, MARGIN = 300, 48


def _curve_svg(page: CurvePage) -> dict[str, Any]:
    """Coordinates for the inline SVG (no script): each point's centre and a radius growing
    with the square root of its lines; the axes' ticks."""
    most = max((p.lines for p in page.points), default=1)

    def x(v: float) -> float:
        return round(MARGIN + v * SIDE, 1)

    def y(v: float) -> float:
        return round(MARGIN + (1 - v) * SIDE, 1)

    return {
        "width": SIDE + 2 * MARGIN,
        "height": SIDE + 2 * MARGIN,
        "x0": x(0), "x1": x(1), "y0": y(0), "y1": y(1),
        "axis_x": {"x": x(0.5), "y": y(0) + 34}, "axis_y": {"x": MARGIN - 36, "y": y(0.5)},
        "ticks": [{"v": t / 10, "label": f"{t * 10}%", "x": x(t / 10), "y": y(t / 10)}
                  for t in range(0, 11, 2)],
        "points": [
            {"x": x(p.predicted), "y": y(p.observed),
             "r": round(3 + 9 * (p.lines / most) ** 0.5, 1), "point": p}
            for p in page.points
        ],
        "path": " ".join(
            f"{'M' if i == 0 else 'L'}{x(p.predicted)},{y(p.observed)}"
            for i, p in enumerate(page.points)
        ),
    }  # fmt: skip
