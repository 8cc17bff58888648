"""Petitions: the list, a new one, its settings, exports and signer lists."""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from petitions.county_votes import votes_text
from petitions.electorate import Electorate
from petitions.forms import CountyVotesForm, PetitionForm
from petitions.selectors import (
    SIGNER_LISTS,
    petition_export_rows,
    petition_list,
    signer_list_rows,
)
from petitions.services import (
    petition_county_votes_set,
    petition_create,
    petition_set_double_entry,
)
from petitions.views.common import form_errors, petition_or_404
from recall.http import AuthenticatedHttpRequest
from recall.lib.csvsafe import csv_lines
from recall.models import audit
from voters.selectors import active_roll


@login_required
@permission_required("petitions.view_petition", raise_exception=True)
@require_GET
def petition_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "petitions/petition_list.html", {"petitions": petition_list(request.user)}
    )


@login_required
@permission_required("petitions.add_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def petition_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An organizer starts a petition."""
    roll = active_roll()
    form = PetitionForm(request.POST or None, roll_id=roll.pk if roll else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        required = data.pop("required_signatures")
        try:
            petition = petition_create(**data, required=required, created_by=request.user)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("%(title)s: %(required)s valid signatures required.") % {
                "title": petition.title,
                "required": number_format(petition.required_signatures, force_grouping=True),
            })  # fmt: skip
            electorate = Electorate.of(petition)
            if not electorate.whole_roll:
                messages.info(request, _("Only voters registered in %(electorate)s count.") % {
                    "electorate": electorate.label(petition)
                })  # fmt: skip
            return redirect("petitions:list")
    context = {"form": form, "roll_voters": roll.rows_imported if roll else None}
    return render(request, "petitions/petition_new.html", context,
                  status=400 if form.errors else 200)  # fmt: skip


def _csv_download(rows: Iterable[Iterable[Any]], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required("petitions.export_signatures", raise_exception=True)
@require_GET
def export(request: AuthenticatedHttpRequest, slug: str) -> StreamingHttpResponse:
    petition = petition_or_404(request, slug)
    # Signers' names and voter ids leave the system here: keep a record of who took them.
    audit(user=request.user, action="export", target=f"petition {petition.slug}: all lines")
    return _csv_download(petition_export_rows(petition), f"{petition.slug}-signatures.csv")


@login_required
@permission_required("petitions.export_signatures", raise_exception=True)
@require_GET
def signer_list(request: AuthenticatedHttpRequest, slug: str, status: str) -> StreamingHttpResponse:
    """Not-registered or different-address signers, as written: for a registration drive."""
    petition = petition_or_404(request, slug)
    if status not in SIGNER_LISTS:
        raise Http404("No such list.")
    audit(user=request.user, action="download", target=f"petition {petition.slug}: {status}")
    return _csv_download(signer_list_rows(petition, status), f"{petition.slug}-{status}.csv")


@login_required
@permission_required("petitions.change_petition", raise_exception=True)
@require_POST
def petition_double_entry(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """An organizer requires blind double entry for the petition (or stops requiring it)."""
    petition = petition_or_404(request, slug)
    required = request.POST.get("required") == "on"
    petition_set_double_entry(petition=petition, required=required, by=request.user)
    message = (_("%(title)s: blind double entry required.") if required
               else _("%(title)s: blind double entry no longer required."))  # fmt: skip
    messages.success(request, message % {"title": petition.title})
    return redirect("petitions:list")


@login_required
@permission_required("petitions.change_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def petition_county_votes(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """An organizer stores the office's last vote by county (the five-county rule)."""
    petition = petition_or_404(request, slug)
    initial = {"votes": votes_text(petition.county_votes or {})}
    form = CountyVotesForm(request.POST or None, initial=initial, petition=petition)
    if request.method == "POST" and form.is_valid():
        try:
            petition_county_votes_set(
                petition=petition, votes=form.cleaned_data["votes"], by=request.user
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("%(title)s: the last vote stored for %(n)s counties.") % {
                "title": petition.title, "n": len(petition.county_votes),
            })  # fmt: skip
            return redirect("petitions:dashboard", slug=petition.slug)
    return render(request, "petitions/county_votes.html", {"petition": petition, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip
