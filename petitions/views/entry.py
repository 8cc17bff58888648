"""Keying a section's lines: first entry, edits, live hints and the blind second entry."""

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from petitions.entry import (
    LINE_FIELDS,
    LineInput,
    LineNumberGap,
    line_numbers_text,
    line_save,
    line_update,
    missing_numbers,
    second_entry_sections,
    second_entry_start,
    second_line_save,
    sections_for,
)
from petitions.forms import LineEditForm, LineForm
from petitions.hints import LookupsPaused, line_hint, lookup_refused
from petitions.models import Line, SecondEntry, Section
from petitions.selectors import line_history
from petitions.views.common import form_errors, petition_or_404
from petitions.views.review import line_scan
from recall.db_router import on_replica
from recall.http import AuthenticatedHttpRequest
from scans.models import LineImage
from voters.selectors import active_roll_id_subquery


def _section(
    request: AuthenticatedHttpRequest, slug: str, serial: int, *, roll: bool = False
) -> Section:
    # One query, with its petition: every keystroke's hint and every poll comes through here.
    # roll: with the active roll's id too (`active_roll_id`), for the hint.
    sections = sections_for(request.user, slug).select_related("petition")
    if roll:
        sections = sections.annotate(active_roll_id=active_roll_id_subquery())
    return get_object_or_404(sections, serial=serial)


def _new_line_form() -> LineForm:
    return LineForm(initial={"client_token": uuid.uuid4(), "signed": True})


def _section_totals(section: Section, *, second: bool = False) -> dict[str, Any]:
    """The section's totals by status (for the blind second keyer, keyed and blank), the line
    numbers skipped so far, and what a row needs to link to: the poller's answer carries no
    more."""
    entries = section.second_lines if second else section.lines
    rows = (entries.values_list("status" if not second else "blank")
            .annotate(n=Count("pk"), top=Max("number")).order_by())  # fmt: skip
    counts = {key: n for key, n, _ in rows}
    if second:
        counts = {"blank" if blank else "keyed": n for blank, n in counts.items()}
    lines_count = sum(counts.values())
    # Numbers are unique in a section: fewer lines than the highest number means a gap, and
    # only then are the numbers read.
    top = max((top for *_, top in rows), default=0)
    gaps = missing_numbers(entries.values_list("number", flat=True)) if top > lines_count else []
    return {
        "section": section,
        "petition": section.petition,
        "second": second,
        "lines_count": lines_count,
        "totals": [(Line.Status(s).label, counts[s]) for s in Line.Status.values if counts.get(s)],
        "pending": counts.get(Line.Status.PENDING, 0),
        "gaps": line_numbers_text(gaps),
        "next_number": top + 1,  # the line the entry row saves when "Line" is left empty
        "section_url": reverse(
            "petitions:second" if second else "petitions:section",
            args=[section.petition.slug, section.serial],
        ),
    }


def _section_context(
    section: Section, form: LineForm | None = None, *, second: bool = False, lines: bool = True
) -> dict[str, Any]:
    """The section page's lines (or, for the blind second keyer, their own), totals and entry
    row; lines=False: no lines (a save's answer carries just the line it saved)."""
    context: dict[str, Any] = {
        **_section_totals(section, second=second),
        "form": form or _new_line_form(),
        "save_url": reverse(
            "petitions:second_line_add" if second else "petitions:line_add",
            args=[section.petition.slug, section.serial],
        ),
    }
    # A scanned section: the row's key help names the image's zoom key.
    context["scanned"] = LineImage.objects.filter(section=section).exists()
    if lines:
        entries = section.second_lines if second else section.lines
        context["lines"] = list(entries.order_by("number"))
    return context


def line_images(section: Section) -> list[dict[str, Any]]:
    """The section's line images, in line order, for the entry page to show the line being
    keyed and load the next ones ahead: number, page, the URL of the checked view, alt text.
    The page itself is permission-checked (sections_for), and so is every image URL."""
    rows = (LineImage.objects.filter(section=section).order_by("number")
            .values_list("pk", "number", "page__page_number"))  # fmt: skip
    return [
        {"number": number, "page": page, "url": reverse("scans:line_image", args=[pk]),
         "alt": _("Line %(number)s as written on page %(page)s") % {"number": number, "page": page}}
        for pk, number, page in rows
    ]  # fmt: skip


def _part(request: AuthenticatedHttpRequest) -> str | None:
    return request.GET.get("part") if request.headers.get("HX-Request") else None


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_GET
def section_detail(request: AuthenticatedHttpRequest, slug: str, serial: int) -> HttpResponse:
    """The section's lines with their statuses, and the entry row for the next line."""
    section = _section(request, slug, serial)
    part = _part(request)
    if part == "decided":  # the poller
        return _decided_rows(request, section)
    if part == "form":  # a fresh entry row (Esc leaves a fix)
        return render(request, "petitions/_line_form.html", _section_context(section, lines=False))
    context = {**_section_context(section), "line_images": line_images(section)}
    return render(request, "petitions/section_detail.html", context)


def _line_number(text: str) -> int | None:
    """A line number from a query string (lines are numbered 1 to 1000); None if it is not one."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


def _decided_rows(request: AuthenticatedHttpRequest, section: Section) -> HttpResponse:
    """Of the lines the page shows pending (`pending=3,4`), those decided since, with the
    totals; 204 when none is. Only the changed rows are rendered, not the whole section."""
    numbers = {_line_number(n) for n in request.GET.get("pending", "").split(",")[:1000]} - {None}
    lines = list(
        section.lines.filter(number__in=numbers).exclude(status=Line.Status.PENDING)
        .order_by("number")
    )  # fmt: skip
    if not lines:
        return HttpResponse(status=204)
    context = {**_section_totals(section), "lines": lines}
    return render(request, "petitions/_lines_decided.html", context)


def _gap_ok(data: dict[str, Any]) -> bool:
    """The volunteer saves again the number whose gap they were shown."""
    return data["number"] is not None and data["confirm_gap"] == data["number"]


def _line_input(data: dict[str, Any], number: int | None = None) -> LineInput:
    return LineInput(
        printed_name=data["printed_name"], residence_address=data["residence_address"],
        city=data["city"], zip=data["zip"], signed=data["signed"], blank=data["blank"],
        number=data.get("number", number),
    )  # fmt: skip


def _saved_or_errors(
    request: AuthenticatedHttpRequest,
    section: Section,
    form: LineForm | None,
    saved: Line | SecondEntry | None = None,
    *,
    second: bool = False,
    appended: bool = True,
    editing: Line | None = None,
    gap: LineNumberGap | None = None,
) -> HttpResponse:
    """After a save (htmx): a fresh entry row with the saved line and totals out of band, or
    the row again with its errors or the gap to confirm (422). Without htmx: back to the page,
    or the page with the errors."""
    htmx = bool(request.headers.get("HX-Request"))
    context = _section_context(section, form, second=second, lines=not htmx)
    if form is not None:
        context["editing"], context["gap"] = editing, gap
        if htmx:
            return render(request, "petitions/_line_form.html", context, status=422)
        context["line_images"] = line_images(section)
        return render(request, "petitions/section_detail.html", context, status=422)
    if not htmx:
        return redirect(context["section_url"])
    if second and isinstance(saved, SecondEntry):  # (a second keyer's save is a SecondEntry)
        saved.status = "blank" if saved.blank else "keyed"
    return render(request, "petitions/_line_saved.html",
                  {**context, "line": saved, "appended": appended})  # fmt: skip


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_POST
def line_add(request: AuthenticatedHttpRequest, slug: str, serial: int) -> HttpResponse:
    """Save one line (idempotent by its client token); answers with the refreshed section."""
    section = _section(request, slug, serial)
    form: LineForm | None  # None once saved (declared apart, so the assignment narrows it)
    form = LineForm(request.POST)
    line: Line | None = None
    gap: LineNumberGap | None = None
    if form.is_valid():
        try:
            line = line_save(section=section, client_token=form.cleaned_data["client_token"],
                             entered_by=request.user, gap_ok=_gap_ok(form.cleaned_data),
                             data=_line_input(form.cleaned_data))  # fmt: skip
        except LineNumberGap as exc:
            gap = exc  # nothing stored: the row comes back asking to confirm the number
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            form = None  # saved: a fresh entry row with a new token
    return _saved_or_errors(request, section, form, line, gap=gap)


@login_required
@permission_required("petitions.change_line", raise_exception=True)
@require_http_methods(["GET", "POST"])
def line_edit(
    request: AuthenticatedHttpRequest, slug: str, serial: int, number: int
) -> HttpResponse:
    """Fix a saved line (it is validated again; the change joins its history)."""
    section = _section(request, slug, serial)
    line = get_object_or_404(section.lines, number=number)
    if request.method == "GET":
        form: LineEditForm | None = LineEditForm(
            initial={name: getattr(line, name) for name in LINE_FIELDS}
        )
        context = {**_section_context(section, form), "editing": line}
        if _part(request) == "form":
            return render(request, "petitions/_line_form.html", context)
        return render(request, "petitions/line_detail.html",
                      {**context, "events": line_history(line),
                       "line_scan": line_scan(request.user, line)})  # fmt: skip
    form = LineEditForm(request.POST)
    if form.is_valid():
        try:
            line = line_update(line_id=line.pk, data=_line_input(form.cleaned_data, line.number),
                               edited_by=request.user)  # fmt: skip
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            form = None
    return _saved_or_errors(request, section, form, line, appended=False, editing=line)


@login_required
@permission_required("voters.lookup_voter", raise_exception=True)
@require_GET
def line_hint_view(request: AuthenticatedHttpRequest, slug: str, serial: int) -> HttpResponse:
    """The live hint for the line being typed (rate-limited per user)."""
    section = _section(request, slug, serial, roll=True)
    form = LineEditForm(request.GET)
    if not form.is_valid():
        return render(request, "petitions/_hint.html", {"hint": None})
    data = _line_input(form.cleaned_data, 1)
    if not (data.printed_name.strip() and data.residence_address.strip()):
        return render(request, "petitions/_hint.html", {"hint": None})  # nothing to look up
    try:
        refused = lookup_refused(user=request.user)
    except LookupsPaused:
        return render(request, "petitions/_hint.html", {"paused": True})
    if refused is not None:
        context = {"limited": refused, "per_minute": settings.VOTER_LOOKUPS_PER_MINUTE,
                   "per_day": settings.VOTER_LOOKUPS_MAX_PER_DAY}  # fmt: skip
        return render(request, "petitions/_hint.html", context, status=429)
    # The line being fixed, if any (its own signature is no duplicate of itself).
    number = _line_number(request.GET.get("line", ""))
    editing = section.lines.filter(number=number).first() if number else None
    # _section(roll=True) annotated the active roll's id, which its return type cannot say.
    roll_id = section.active_roll_id  # type: ignore[attr-defined]
    # The roll's voters and the signatures counted, as of a few seconds ago, will do for a
    # hint: read on the replica, if there is one (recall/db_router.py).
    hint, _ = on_replica(lambda: line_hint(
        petition=section.petition, data=data, roll_id=roll_id,
        line_id=editing.pk if editing else None, section=section,
    ))  # fmt: skip
    return render(request, "petitions/_hint.html", {"hint": hint})


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_POST
def second_entry_begin(request: AuthenticatedHttpRequest, slug: str, serial: int) -> HttpResponse:
    """Take another volunteer's section to key it a second time, blind."""
    petition = petition_or_404(request, slug)
    section = get_object_or_404(Section, petition=petition, serial=serial)
    try:
        second_entry_start(section=section, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("petitions:section_new", slug=slug)
    return redirect("petitions:second", slug=slug, serial=serial)


def _second_section(request: AuthenticatedHttpRequest, slug: str, serial: int) -> Section:
    petition = petition_or_404(request, slug)
    return get_object_or_404(
        second_entry_sections(request.user, petition).select_related("petition"), serial=serial
    )


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_GET
def second_detail(request: AuthenticatedHttpRequest, slug: str, serial: int) -> HttpResponse:
    """The blind second keying of a section: only this volunteer's own transcription."""
    section = _second_section(request, slug, serial)
    if _part(request) == "form":
        context = _section_context(section, second=True, lines=False)
        return render(request, "petitions/_line_form.html", context)
    # The second keyer keys from the same images, never seeing the first entry's text.
    context = {**_section_context(section, second=True), "line_images": line_images(section)}
    return render(request, "petitions/section_detail.html", context)


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_POST
def second_line_add(request: AuthenticatedHttpRequest, slug: str, serial: int) -> HttpResponse:
    section = _second_section(request, slug, serial)
    form: LineForm | None  # None once saved (declared apart, so the assignment narrows it)
    form = LineForm(request.POST)
    entry: SecondEntry | None = None
    gap: LineNumberGap | None = None
    if form.is_valid():
        try:
            entry = second_line_save(section=section, entered_by=request.user,
                                     client_token=form.cleaned_data["client_token"],
                                     gap_ok=_gap_ok(form.cleaned_data),
                                     data=_line_input(form.cleaned_data))  # fmt: skip
        except LineNumberGap as exc:
            gap = exc
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            form = None
    return _saved_or_errors(request, section, form, entry, second=True, gap=gap)
