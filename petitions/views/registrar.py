"""After filing: the registrar's results imported, beside ours, and the challenge list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from petitions.forms import RegistrarImportForm
from petitions.models import RegistrarResult, RegistrarResultKind
from petitions.selectors.registrar import (
    challenge_list,
    challenge_rows,
    challenges_by_section,
    latest_registrar_result,
    registrar_comparison,
    registrar_results,
)
from petitions.services.registrar import registrar_result_import, registrar_result_withdraw
from petitions.views.common import form_errors, petition_or_404
from recall.http import AuthenticatedHttpRequest
from recall.lib.csvsafe import csv_lines
from recall.models import AuditAction, audit


@login_required
@permission_required("petitions.view_dashboard", raise_exception=True)
@require_GET
def registrar_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The registrar's latest results beside ours, and every import."""
    petition = petition_or_404(request, slug)
    context = {
        "petition": petition,
        "comparison": registrar_comparison(petition),
        "imports": registrar_results(petition),
    }
    return render(request, "petitions/registrar.html", context)


@login_required
@permission_required("petitions.change_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def registrar_import_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """An organizer imports one of the registrar's results (a file; kept beside the others)."""
    petition = petition_or_404(request, slug)
    form = RegistrarImportForm(
        request.POST or None, request.FILES or None, initial={"as_of": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = registrar_result_import(
                petition=petition, kind=data["kind"], source=data["file"],
                source_name=data["file"].name, as_of=data["as_of"],
                certified_on=data["certified_on"], by=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The registrar's %(kind)s of %(date)s imported.") % {
                "kind": result.get_kind_display().lower(), "date": result.as_of.isoformat(),
            })  # fmt: skip
            return redirect("petitions:registrar", slug=petition.slug)
    return render(request, "petitions/registrar_import.html", {"petition": petition, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
@permission_required("petitions.change_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def registrar_withdraw_view(
    request: AuthenticatedHttpRequest, slug: str, result_id: int
) -> HttpResponse:
    """Withdraw an import made by mistake: a page that says what goes, then the POST."""
    petition = petition_or_404(request, slug)
    result = get_object_or_404(RegistrarResult, pk=result_id, petition=petition)
    if request.method == "POST":
        registrar_result_withdraw(result=result, by=request.user)
        messages.success(request, _("The registrar's %(kind)s of %(date)s withdrawn.") % {
            "kind": result.get_kind_display().lower(), "date": result.as_of.isoformat(),
        })  # fmt: skip
        return redirect("petitions:registrar", slug=petition.slug)
    return render(request, "petitions/registrar_withdraw.html",
                  {"petition": petition, "result": result})  # fmt: skip


# The strongest lines the page lists (a page of 100,000 rows helps nobody); the CSV has them all.
CHALLENGES_SHOWN = 1000


@login_required
@permission_required("petitions.view_dashboard", raise_exception=True)
@require_GET
def registrar_challenges(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The lines the registrar rejected that our evidence says are valid, by section."""
    petition = petition_or_404(request, slug)
    result = latest_registrar_result(petition, RegistrarResultKind.LINES)
    challenges = challenge_list(petition, result) if result else []
    shown = challenges[:CHALLENGES_SHOWN]
    context = {
        "petition": petition,
        "result": result,
        "challenges": challenges,
        "shown": len(shown),
        "section_count": len({c.serial for c in challenges}),
        "sections": challenges_by_section(shown),
    }
    return render(request, "petitions/registrar_challenges.html", context)


@login_required
@permission_required("petitions.export_signatures", raise_exception=True)
@require_GET
def registrar_challenges_csv(request: AuthenticatedHttpRequest, slug: str) -> StreamingHttpResponse:
    """The challenge list as CSV: signers' names and voter ids leave here, so it is recorded."""
    petition = petition_or_404(request, slug)
    audit(user=request.user, action=AuditAction.DOWNLOAD,
          target=f"petition {petition.slug}: registrar challenge list")  # fmt: skip
    rows = challenge_rows(challenge_list(petition))
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{petition.slug}-challenges.csv"'
    response["Cache-Control"] = "no-store"
    return response
