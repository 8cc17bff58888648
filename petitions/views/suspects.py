"""Suspect sections: the list (and its CSV), holding and releasing one, filing sections."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from petitions.forms import FilingForm, HoldForm, ReleaseForm
from petitions.models import Petition, Section
from petitions.services.sections import (
    section_hold,
    section_release,
    sections_file,
    sections_unfile,
)
from petitions.suspects import reason_text, suspect_sections, suspects_csv_rows
from petitions.views.common import form_errors, petition_or_404
from recall.http import AuthenticatedHttpRequest
from recall.lib.csvsafe import csv_lines
from recall.models import audit

SORTS = {
    "score": lambda s: (-s["score"], s["serial"]),
    "serial": lambda s: s["serial"],
    "circulator": lambda s: (s["circulator"].upper(), s["serial"]),
    "lines": lambda s: (-s["lines"], s["serial"]),
}
SHOWN = 500  # rows on the page; the CSV has every one


@login_required
@permission_required("petitions.view_dashboard", raise_exception=True)
@require_GET
def suspects_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The petition's suspect sections, highest score first (or as sorted), each reason in
    words, with a hold or release form; the held sections; the filing form."""
    petition = petition_or_404(request, slug)
    return render(request, "petitions/suspects.html", _context(request, petition))


def _context(request: AuthenticatedHttpRequest, petition: Petition, **forms: Any) -> dict[str, Any]:
    found = suspect_sections(petition)
    sort = request.GET.get("sort", "score")
    rows = sorted(found["sections"], key=SORTS.get(sort, SORTS["score"]))
    for row in rows:
        row["texts"] = [reason_text(r) for r in row["reasons"]]
    held = list(
        Section.objects.filter(petition=petition, held_at__isnull=False)
        .select_related("held_by").order_by("serial")
    )  # fmt: skip
    return {
        "petition": petition,
        "suspects": rows[:SHOWN],
        "suspect_count": len(rows),
        "computed_at": found["computed_at"],
        "sort": sort if sort in SORTS else "score",
        "held_sections": held,
        "can_hold": request.user.has_perm("petitions.change_petition"),
        "filing_form": forms.get("filing_form") or FilingForm(
            initial={"filed_on": timezone.localdate()}
        ),
        "hold_errors": forms.get("hold_errors"),
    }  # fmt: skip


@login_required
@permission_required("petitions.view_dashboard", raise_exception=True)
@require_GET
def suspects_csv(request: AuthenticatedHttpRequest, slug: str) -> StreamingHttpResponse:
    """Every suspect section with its score and reasons (no signer in it)."""
    petition = petition_or_404(request, slug)
    rows = suspects_csv_rows(suspect_sections(petition)["sections"])
    audit(user=request.user, action="download", target=f"petition {petition.slug}: suspects")
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{petition.slug}-suspects.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _rerender(request: AuthenticatedHttpRequest, petition: Petition, **forms: Any) -> HttpResponse:
    context = _context(request, petition, **forms)
    return render(request, "petitions/suspects.html", context, status=400)


@login_required
@permission_required("petitions.change_petition", raise_exception=True)
@require_POST
def section_hold_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Hold a section, with the reason; back to the list."""
    petition = petition_or_404(request, slug)
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            section = section_hold(petition=petition, section_id=form.cleaned_data["section"],
                                   reason=form.cleaned_data["reason"], by=request.user)  # fmt: skip
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Section %(serial)s is held: its lines count no more.")
                             % {"serial": section.serial})  # fmt: skip
            return redirect("petitions:suspects", slug=petition.slug)
    return _rerender(request, petition, hold_errors=_errors(form))


@login_required
@permission_required("petitions.change_petition", raise_exception=True)
@require_POST
def section_release_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    petition = petition_or_404(request, slug)
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            section = section_release(petition=petition, section_id=form.cleaned_data["section"],
                                      by=request.user, note=form.cleaned_data["note"])  # fmt: skip
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Section %(serial)s is released: its lines count again.")
                             % {"serial": section.serial})  # fmt: skip
            return redirect("petitions:suspects", slug=petition.slug)
    return _rerender(request, petition, hold_errors=_errors(form))


@login_required
@permission_required("petitions.change_petition", raise_exception=True)
@require_POST
def sections_file_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Mark sections filed (those typed, or all neither held nor filed) on a day."""
    petition = petition_or_404(request, slug)
    form = FilingForm(request.POST)
    if form.is_valid():
        serials = form.cleaned_data["serials"]
        ids = None
        if serials is not None:
            found = dict(
                Section.objects.filter(petition=petition, serial__in=serials)
                .values_list("serial", "pk")
            )  # fmt: skip
            missing = [s for s in serials if s not in found]
            if missing:
                form.add_error("serials", _("No such section: %(serials)s")
                               % {"serials": ", ".join(map(str, missing[:20]))})  # fmt: skip
                return _rerender(request, petition, filing_form=form)
            ids = list(found.values())
        try:
            if request.POST.get("action") == "unfile" and ids is not None:
                n = sections_unfile(petition=petition, section_ids=ids, by=request.user)
                text = ngettext("%(n)s section is filed no more.",
                                "%(n)s sections are filed no more.", n) % {"n": n}  # fmt: skip
            else:
                n = sections_file(petition=petition, filed_on=form.cleaned_data["filed_on"],
                                  by=request.user, section_ids=ids)  # fmt: skip
                text = ngettext("%(n)s section marked filed on %(day)s.",
                                "%(n)s sections marked filed on %(day)s.", n)  # fmt: skip
                text %= {"n": n, "day": form.cleaned_data["filed_on"]}
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, text)
            return redirect("petitions:suspects", slug=petition.slug)
    return _rerender(request, petition, filing_form=form)


def _errors(form: HoldForm | ReleaseForm) -> list[str]:
    return [str(m) for messages_ in form.errors.values() for m in messages_]
