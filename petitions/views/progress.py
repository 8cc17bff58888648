"""The organizer's dashboard and its progress.json."""

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from petitions.models import Petition
from petitions.progress import breakdowns, pace, petition_progress, reasons
from petitions.selectors import SIGNER_LISTS
from petitions.views.common import petition_or_404
from recall.db_router import on_replica, replica_configured
from recall.http import AuthenticatedHttpRequest


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
    context["charts"] = {
        "pace": context["pace"],
        "reasons": context["reasons"],
        "circulators": context["breakdowns"]["circulators"][:40],
    }
    return context
