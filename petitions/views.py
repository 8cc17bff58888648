import logging
import uuid
from collections import Counter

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from petitions.entry import LineInput, line_save, section_create, sections_for
from petitions.forms import LineForm, SectionForm
from petitions.models import Line, Petition, Section
from petitions.selectors import csv_lines, petition_export_rows, petition_list, petitions_for

log = logging.getLogger(__name__)


@login_required
@permission_required("petitions.view_petition", raise_exception=True)
@require_GET
def petition_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "petitions/petition_list.html", {"petitions": petition_list(request.user)}
    )


@login_required
@permission_required("petitions.export_signatures", raise_exception=True)
@require_GET
def export(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    petition = get_object_or_404(petitions_for(request.user), slug=slug)
    # Signers' names and voter ids leave the system here: keep a record of who took them.
    log.info("user %s exported the signatures of petition %s", request.user.pk, petition.slug)
    response = StreamingHttpResponse(
        csv_lines(petition_export_rows(petition)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{petition.slug}-signatures.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _petition(request: HttpRequest, slug: str) -> Petition:
    return get_object_or_404(petitions_for(request.user), slug=slug)


@login_required
@permission_required("petitions.add_section", raise_exception=True)
def section_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a section: its serial number, circulator and declaration."""
    petition = _petition(request, slug)
    form = SectionForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_valid():
        serial = form.cleaned_data["serial"]
        try:
            section = section_create(
                petition=petition, entered_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
            existing = sections_for(request.user, petition).filter(serial=serial).first()
        else:
            return redirect("petitions:section", slug=petition.slug, serial=section.serial)
    return render(request, "petitions/section_new.html",
                  {"petition": petition, "form": form, "existing": existing})  # fmt: skip


def _section(request: HttpRequest, slug: str, serial: int) -> Section:
    petition = _petition(request, slug)
    return get_object_or_404(
        sections_for(request.user, petition).select_related("petition"), serial=serial
    )


def _section_context(section: Section, form: LineForm | None = None) -> dict:
    lines = list(section.lines.order_by("number"))
    totals = Counter(line.status for line in lines)
    return {
        "section": section,
        "petition": section.petition,
        "lines": lines,
        "totals": [(Line.Status(s).label, totals[s]) for s in Line.Status.values if totals[s]],
        "pending": totals[Line.Status.PENDING],
        "form": form or LineForm(initial={"client_token": uuid.uuid4(), "signed": True}),
    }


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_GET
def section_detail(request: HttpRequest, slug: str, serial: int) -> HttpResponse:
    """The section's lines with their statuses, and the entry row for the next line."""
    section = _section(request, slug, serial)
    template = (
        "petitions/_section_lines.html"
        if request.headers.get("HX-Request") and request.GET.get("part") == "lines"
        else "petitions/section_detail.html"
    )
    return render(request, template, _section_context(section))


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_POST
def line_add(request: HttpRequest, slug: str, serial: int) -> HttpResponse:
    """Save one line (idempotent by its client token); answers with the refreshed section."""
    section = _section(request, slug, serial)
    form = LineForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            line_save(
                section=section, client_token=data["client_token"], entered_by=request.user,
                data=LineInput(
                    printed_name=data["printed_name"], residence_address=data["residence_address"],
                    city=data["city"], zip=data["zip"], signed=data["signed"],
                    number=data["number"],
                ),
            )  # fmt: skip
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form = None  # saved: a fresh entry row with a new token
    context = _section_context(section, form)
    status = 200 if form is None else 422
    if request.headers.get("HX-Request"):
        return render(request, "petitions/_section_body.html", context, status=status)
    if form is None:
        return redirect("petitions:section", slug=slug, serial=serial)
    return render(request, "petitions/section_detail.html", context, status=status)
