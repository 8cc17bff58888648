import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from petitions.entry import (
    LINE_FIELDS,
    LineInput,
    line_save,
    line_update,
    second_entry_sections,
    second_entry_start,
    second_line_save,
    section_create,
    sections_for,
    transcription_choose,
)
from petitions.forms import LineEditForm, LineForm, PetitionForm, ReviewForm, SectionForm
from petitions.hints import LookupsPaused, line_hint, lookup_refused
from petitions.models import Line, LineEvent, LineStatus, Petition, SecondEntry, Section
from petitions.progress import breakdowns, pace, petition_progress, reasons
from petitions.review import agreement_marks, event_undo, line_decide
from petitions.selectors import (
    SIGNER_LISTS,
    line_history,
    petition_export_rows,
    petition_list,
    petitions_for,
    review_next,
    review_pace,
    review_queue_size,
    section_list,
    sections_awaiting_second_entry,
    signer_list_rows,
)
from petitions.services import petition_create, petition_set_double_entry
from recall.lib.csvsafe import csv_lines
from recall.models import audit
from voters.selectors import active_roll, active_roll_id_subquery


@login_required
@permission_required("petitions.view_petition", raise_exception=True)
@require_GET
def petition_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "petitions/petition_list.html", {"petitions": petition_list(request.user)}
    )


@login_required
@permission_required("petitions.add_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def petition_new(request: HttpRequest) -> HttpResponse:
    """An organizer starts a petition."""
    form = PetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        required = data.pop("required_signatures")
        try:
            petition = petition_create(**data, required=required, created_by=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"{petition.title}: {petition.required_signatures:,} "
                                      "valid signatures required.")  # fmt: skip
            return redirect("petitions:list")
    roll = active_roll()
    context = {"form": form, "roll_voters": roll.rows_imported if roll else None}
    return render(request, "petitions/petition_new.html", context,
                  status=400 if form.errors else 200)  # fmt: skip


def _petition(request: HttpRequest, slug: str) -> Petition:
    return get_object_or_404(petitions_for(request.user), slug=slug)


def _csv_download(rows, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required("petitions.export_signatures", raise_exception=True)
@require_GET
def export(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    petition = _petition(request, slug)
    # Signers' names and voter ids leave the system here: keep a record of who took them.
    audit(user=request.user, action="export", target=f"petition {petition.slug}: all lines")
    return _csv_download(petition_export_rows(petition), f"{petition.slug}-signatures.csv")


@login_required
@permission_required("petitions.export_signatures", raise_exception=True)
@require_GET
def signer_list(request: HttpRequest, slug: str, status: str) -> StreamingHttpResponse:
    """Not-registered or different-address signers, as written: for a registration drive."""
    petition = _petition(request, slug)
    if status not in SIGNER_LISTS:
        raise Http404("No such list.")
    audit(user=request.user, action="download", target=f"petition {petition.slug}: {status}")
    return _csv_download(signer_list_rows(petition, status), f"{petition.slug}-{status}.csv")


@login_required
@permission_required("petitions.view_dashboard", raise_exception=True)
@require_GET
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """Will the petition qualify, and where to act."""
    petition = _petition(request, slug)
    progress = petition_progress(petition)
    rate = progress["validity_rate"]
    context = {
        "petition": petition,
        "progress": progress,
        "pace": pace(petition, progress),
        "reasons": reasons(progress),
        "breakdowns": breakdowns(petition),
        "lists": SIGNER_LISTS,
        "rate_percent": None if rate is None else rate * 100,
    }
    context["charts"] = {
        "pace": context["pace"],
        "reasons": context["reasons"],
        "circulators": context["breakdowns"]["circulators"][:40],
    }
    return render(request, "petitions/dashboard.html", context)


@login_required
@permission_required("petitions.view_dashboard", raise_exception=True)
@require_GET
def progress_json(request: HttpRequest, slug: str) -> JsonResponse:
    petition = _petition(request, slug)
    return JsonResponse(petition_progress(petition))


@login_required
@permission_required("petitions.add_section", raise_exception=True)
def section_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a section: its serial number, circulator and declaration."""
    petition = _petition(request, slug)
    form = SectionForm(request.POST or None)
    existing = second = None
    if request.method == "POST" and form.is_valid():
        serial = form.cleaned_data["serial"]
        try:
            section = section_create(
                petition=petition, entered_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
            existing = sections_for(request.user, petition).filter(serial=serial).first()
            if existing is None and petition.double_entry:
                second = serial  # someone else's section: offer to key it a second time
        else:
            return redirect("petitions:section", slug=petition.slug, serial=section.serial)
    return render(request, "petitions/section_new.html",
                  {"petition": petition, "form": form, "existing": existing,
                   "second": second})  # fmt: skip


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_GET
def section_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The user's sections (an organizer's: all), and those waiting for a second keyer."""
    petition = _petition(request, slug)
    return render(request, "petitions/section_list.html", {
        "petition": petition,
        "sections": section_list(sections_for(request.user, petition)),
        "second_sections": section_list(second_entry_sections(request.user, petition)),
        "awaiting": sections_awaiting_second_entry(request.user, petition)[:200],
    })  # fmt: skip


@login_required
@permission_required("petitions.change_petition", raise_exception=True)
@require_POST
def petition_double_entry(request: HttpRequest, slug: str) -> HttpResponse:
    """An organizer requires blind double entry for the petition (or stops requiring it)."""
    petition = _petition(request, slug)
    required = request.POST.get("required") == "on"
    petition_set_double_entry(petition=petition, required=required, by=request.user)
    messages.success(request, f"{petition.title}: blind double entry "
                              f"{'required' if required else 'no longer required'}.")  # fmt: skip
    return redirect("petitions:list")


def _section(request: HttpRequest, slug: str, serial: int, *, roll: bool = False) -> Section:
    # One query, with its petition: every keystroke's hint and every poll comes through here.
    # roll: with the active roll's id too (`active_roll_id`), for the hint.
    sections = sections_for(request.user, slug).select_related("petition")
    if roll:
        sections = sections.annotate(active_roll_id=active_roll_id_subquery())
    return get_object_or_404(sections, serial=serial)


def _new_line_form() -> LineForm:
    return LineForm(initial={"client_token": uuid.uuid4(), "signed": True})


def _section_totals(section: Section, *, second: bool = False) -> dict:
    """The section's totals by status (for the blind second keyer, keyed and blank) and what a
    row needs to link to: the poller's answer carries no more."""
    entries = section.second_lines if second else section.lines
    counts = dict(entries.values_list("status" if not second else "blank")
                  .annotate(n=Count("pk")).order_by())  # fmt: skip
    if second:
        counts = {"blank" if blank else "keyed": n for blank, n in counts.items()}
    return {
        "section": section,
        "petition": section.petition,
        "second": second,
        "lines_count": sum(counts.values()),
        "totals": [(Line.Status(s).label, counts[s]) for s in Line.Status.values if counts.get(s)],
        "pending": counts.get(Line.Status.PENDING, 0),
        "section_url": reverse(
            "petitions:second" if second else "petitions:section",
            args=[section.petition.slug, section.serial],
        ),
    }


def _section_context(section: Section, form=None, *, second: bool = False, lines=True) -> dict:
    """The section page's lines (or, for the blind second keyer, their own), totals and entry
    row; lines=False: no lines (a save's answer carries just the line it saved)."""
    context = {
        **_section_totals(section, second=second),
        "form": form or _new_line_form(),
        "save_url": reverse(
            "petitions:second_line_add" if second else "petitions:line_add",
            args=[section.petition.slug, section.serial],
        ),
    }
    if lines:
        entries = section.second_lines if second else section.lines
        context["lines"] = list(entries.order_by("number"))
    return context


def _part(request: HttpRequest) -> str | None:
    return request.GET.get("part") if request.headers.get("HX-Request") else None


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_GET
def section_detail(request: HttpRequest, slug: str, serial: int) -> HttpResponse:
    """The section's lines with their statuses, and the entry row for the next line."""
    section = _section(request, slug, serial)
    part = _part(request)
    if part == "decided":  # the poller
        return _decided_rows(request, section)
    if part == "form":  # a fresh entry row (Esc leaves a fix)
        return render(request, "petitions/_line_form.html", _section_context(section, lines=False))
    return render(request, "petitions/section_detail.html", _section_context(section))


def _line_number(text: str) -> int | None:
    """A line number from a query string (lines are numbered 1 to 1000); None if it is not one."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


def _decided_rows(request: HttpRequest, section: Section) -> HttpResponse:
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


def _line_input(data: dict, number: int | None = None) -> LineInput:
    return LineInput(
        printed_name=data["printed_name"], residence_address=data["residence_address"],
        city=data["city"], zip=data["zip"], signed=data["signed"], blank=data["blank"],
        number=data.get("number", number),
    )  # fmt: skip


def _form_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: each field's messages on that field, the rest
    (an error naming no field, or a field the form lacks) above the row."""
    if not hasattr(exc, "error_dict"):  # raised with a message, not a dict: message_dict fails
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _saved_or_errors(request, section: Section, form, saved=None, *, second=False,
                     appended=True, editing=None) -> HttpResponse:  # fmt: skip
    """After a save (htmx): a fresh entry row with the saved line and totals out of band, or
    the row again with its errors (422). Without htmx: back to the page, or the page with the
    errors."""
    htmx = bool(request.headers.get("HX-Request"))
    context = _section_context(section, form, second=second, lines=not htmx)
    if form is not None:
        context["editing"] = editing
        template = "petitions/_line_form.html" if htmx else "petitions/section_detail.html"
        return render(request, template, context, status=422)
    if not htmx:
        return redirect(context["section_url"])
    if second:
        saved.status = "blank" if saved.blank else "keyed"
    return render(request, "petitions/_line_saved.html",
                  {**context, "line": saved, "appended": appended})  # fmt: skip


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_POST
def line_add(request: HttpRequest, slug: str, serial: int) -> HttpResponse:
    """Save one line (idempotent by its client token); answers with the refreshed section."""
    section = _section(request, slug, serial)
    form, line = LineForm(request.POST), None
    if form.is_valid():
        try:
            line = line_save(section=section, client_token=form.cleaned_data["client_token"],
                             entered_by=request.user,
                             data=_line_input(form.cleaned_data))  # fmt: skip
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            form = None  # saved: a fresh entry row with a new token
    return _saved_or_errors(request, section, form, line)


@login_required
@permission_required("petitions.change_line", raise_exception=True)
@require_http_methods(["GET", "POST"])
def line_edit(request: HttpRequest, slug: str, serial: int, number: int) -> HttpResponse:
    """Fix a saved line (it is validated again; the change joins its history)."""
    section = _section(request, slug, serial)
    line = get_object_or_404(section.lines, number=number)
    if request.method == "GET":
        form = LineEditForm(initial={name: getattr(line, name) for name in LINE_FIELDS})
        context = {**_section_context(section, form), "editing": line}
        if _part(request) == "form":
            return render(request, "petitions/_line_form.html", context)
        return render(request, "petitions/line_detail.html",
                      {**context, "events": line_history(line)})  # fmt: skip
    form = LineEditForm(request.POST)
    if form.is_valid():
        try:
            line = line_update(line_id=line.pk, data=_line_input(form.cleaned_data, line.number),
                               edited_by=request.user)  # fmt: skip
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            form = None
    return _saved_or_errors(request, section, form, line, appended=False, editing=line)


@login_required
@permission_required("voters.lookup_voter", raise_exception=True)
@require_GET
def line_hint_view(request: HttpRequest, slug: str, serial: int) -> HttpResponse:
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
    hint = line_hint(petition=section.petition, data=data, roll_id=section.active_roll_id,
                     line_id=editing and editing.pk)  # fmt: skip
    return render(request, "petitions/_hint.html", {"hint": hint})


# Blind double entry --------------------------------------------------------------------------


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_POST
def second_entry_begin(request: HttpRequest, slug: str, serial: int) -> HttpResponse:
    """Take another volunteer's section to key it a second time, blind."""
    petition = _petition(request, slug)
    section = get_object_or_404(Section, petition=petition, serial=serial)
    try:
        second_entry_start(section=section, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("petitions:section_new", slug=slug)
    return redirect("petitions:second", slug=slug, serial=serial)


def _second_section(request: HttpRequest, slug: str, serial: int) -> Section:
    petition = _petition(request, slug)
    return get_object_or_404(
        second_entry_sections(request.user, petition).select_related("petition"), serial=serial
    )


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_GET
def second_detail(request: HttpRequest, slug: str, serial: int) -> HttpResponse:
    """The blind second keying of a section: only this volunteer's own transcription."""
    section = _second_section(request, slug, serial)
    if _part(request) == "form":
        context = _section_context(section, second=True, lines=False)
        return render(request, "petitions/_line_form.html", context)
    return render(request, "petitions/section_detail.html", _section_context(section, second=True))


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_POST
def second_line_add(request: HttpRequest, slug: str, serial: int) -> HttpResponse:
    section = _second_section(request, slug, serial)
    form, entry = LineForm(request.POST), None
    if form.is_valid():
        try:
            entry = second_line_save(section=section, entered_by=request.user,
                                     client_token=form.cleaned_data["client_token"],
                                     data=_line_input(form.cleaned_data))  # fmt: skip
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            form = None
    return _saved_or_errors(request, section, form, entry, second=True)


# Review --------------------------------------------------------------------------------------

_SKIPPED = "review_skipped_{}"
# The review page's keys for the statuses set by hand (keys.js clicks the button).
HAND_KEYS = {
    LineStatus.NOT_REGISTERED: "n", LineStatus.OUT_OF_JURISDICTION: "o", LineStatus.INCOMPLETE: "i"
}  # fmt: skip


def _shown(entry, name: str) -> str:
    if getattr(entry, "blank", False) or getattr(entry, "status", "") == Line.Status.BLANK:
        return "(blank / crossed out)"
    value = getattr(entry, name)
    return ("yes" if value else "no") if isinstance(value, bool) else value


def _review_context(request: HttpRequest, petition: Petition, line: Line | None,
                    second: SecondEntry | None = None) -> dict:  # fmt: skip
    context = {
        "petition": petition,
        "line": line,
        "second": second,
        "queue_size": review_queue_size(petition),
        "pace": review_pace(petition),
        "hand_statuses": [(s, key, Line.Status(s).label) for s, key in HAND_KEYS.items()],
    }
    if second is not None:
        context["transcription_rows"] = [
            (label, _shown(line, name), _shown(second, name))
            for name, label in (("printed_name", "Printed name"),
                                ("residence_address", "Residence address"), ("city", "City"),
                                ("zip", "ZIP"), ("signed", "Signed"))
        ]  # fmt: skip
        context["transcription_choices"] = [
            ("first", "1", "Keep the first"),
            ("second", "2", "Take the second"),
        ]
    if line is not None:
        context["candidates"] = [
            {**c, "marks": agreement_marks(c.get("fields", {}))}
            for c in line.reason.get("candidates", [])[:5]
        ]
        context["events"] = line_history(line)
        context["first_entered_by"] = line.section.entered_by
    return context


@login_required
@permission_required("petitions.review_line", raise_exception=True)
@require_GET
def review_queue_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The oldest line waiting for a reviewer (lines this reviewer skipped come last)."""
    petition = _petition(request, slug)
    skipped = request.session.get(_SKIPPED.format(petition.pk), [])
    item = review_next(petition, skipped)
    if item is None and skipped:  # only skipped lines left: go round again
        request.session[_SKIPPED.format(petition.pk)] = []
        item = review_next(petition)
    context = _review_context(request, petition, item and item.line, item and item.second)
    return render(request, "petitions/review.html", {**context, "from_queue": True})


@login_required
@permission_required("petitions.review_line", raise_exception=True)
@require_http_methods(["GET", "POST"])
def review_line(request: HttpRequest, slug: str, line_id: int) -> HttpResponse:
    """Decide one line by hand: from the queue, or reopening any decided line."""
    petition = _petition(request, slug)
    line = get_object_or_404(Line.objects.select_related("section__entered_by"),
                             petition=petition, pk=line_id)  # fmt: skip
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            line = line_decide(line_id=line.pk, choice=form.cleaned_data["choice"],
                               reviewer=request.user)  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Section {line.section.serial} line {line.number}: "
                                      f"{line.get_status_display().lower()}.")  # fmt: skip
            if form.cleaned_data["next"] == "queue":
                return redirect("petitions:review", slug=slug)
        return redirect("petitions:review_line", slug=slug, line_id=line.pk)
    if request.method == "POST":
        messages.error(request, "Pick a candidate (1-5) or a status.")
    return render(request, "petitions/review.html", _review_context(request, petition, line))


@login_required
@permission_required("petitions.review_line", raise_exception=True)
@require_POST
def review_skip(request: HttpRequest, slug: str, line_id: int) -> HttpResponse:
    petition = _petition(request, slug)
    key = _SKIPPED.format(petition.pk)
    request.session[key] = [*request.session.get(key, []), line_id][-500:]
    return redirect("petitions:review", slug=slug)


@login_required
@permission_required("petitions.review_line", raise_exception=True)
@require_POST
def transcription_settle(request: HttpRequest, slug: str, second_id: int) -> HttpResponse:
    """Keep the first transcription of a double-entered line, or take the second."""
    petition = _petition(request, slug)
    second = get_object_or_404(SecondEntry, section__petition=petition, pk=second_id)
    try:
        transcription_choose(second_id=second.pk, choice=request.POST.get("choice", ""),
                             reviewer=request.user)  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("petitions:review", slug=slug)


@login_required
@permission_required("petitions.review_line", raise_exception=True)
@require_POST
def event_undo_view(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    """Undo a line's latest change from its history."""
    petition = _petition(request, slug)
    event = get_object_or_404(LineEvent, petition=petition, pk=event_id)
    try:
        line = event_undo(event_id=event.pk, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Undone: section {line.section.serial} line {line.number} "
                                  f"is {line.get_status_display().lower()} again.")  # fmt: skip
    return redirect("petitions:review_line", slug=slug, line_id=event.line_id)
