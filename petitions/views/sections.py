"""A petition's sections: the list and a new one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from petitions.assignment import (
    FIRST,
    SECOND,
    assignable_volunteers,
    scanned_sections_waiting,
    second_sections_waiting,
    second_take_next,
    section_assign,
    section_take_next,
)
from petitions.entry import (
    second_entry_sections,
    section_create,
    sections_for,
)
from petitions.forms import SectionForm
from petitions.models import Section
from petitions.selectors import (
    section_list,
    sections_awaiting_second_entry,
)
from petitions.selectors.sections import sections_of_others
from petitions.views.common import form_errors, petition_or_404
from recall.http import AuthenticatedHttpRequest
from scans.models import LineImage


@login_required
@permission_required("petitions.add_section", raise_exception=True)
def section_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Start a section: its serial number, circulator and declaration."""
    petition = petition_or_404(request, slug)
    form = SectionForm(request.POST or None, petition=petition)
    existing = second = None
    if request.method == "POST" and form.is_valid():
        serial = form.cleaned_data["serial"]
        try:
            section = section_create(
                petition=petition, entered_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors(form, exc)
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
def section_list_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The user's sections (an organizer's: all, each with whom it is handed to), those waiting
    for a second keyer, and the scanned ones waiting for anyone ("Key the next")."""
    petition = petition_or_404(request, slug)
    sections = section_list(sections_for(request.user, petition))
    organizer = request.user.has_perm("petitions.view_section")
    if organizer:
        for section in sections:
            section.assignment_rows = _assignment_rows(section)  # type: ignore[attr-defined]
    # An empty list of one's own sections says how many are other people's.
    others = (0 if sections or request.user.has_perm("petitions.view_section")
              else sections_of_others(request.user, petition))  # fmt: skip
    return render(request, "petitions/section_list.html", {
        "petition": petition,
        "sections": sections,
        "others_sections": others,
        "second_sections": section_list(second_entry_sections(request.user, petition)),
        "awaiting": sections_awaiting_second_entry(request.user, petition)[:200],
        "volunteers": list(assignable_volunteers()) if organizer else [],
        "has_scans": LineImage.objects.filter(section__petition=petition).exists(),
        "scanned_waiting": scanned_sections_waiting(petition).count(),
        "second_scanned_waiting": second_sections_waiting(petition, request.user).count(),
    })  # fmt: skip


def _assignment_rows(section: Section) -> list[tuple[str, int | None, str]]:
    """The section list's assignment forms: per entry, who holds it and the select's label."""
    values = {"serial": section.serial}
    rows = [(FIRST, section.assigned_to_id, _("Who keys section %(serial)s") % values)]
    if section.petition.double_entry:
        label = _("Who keys section %(serial)s a second time") % values
        rows.append((SECOND, section.second_assigned_to_id, label))
    return rows


@login_required
@permission_required("petitions.view_section", raise_exception=True)
@require_POST
def section_assign_view(request: AuthenticatedHttpRequest, slug: str, serial: int) -> HttpResponse:
    """An organizer hands a section's first (or second) entry to a volunteer, or takes it back
    (no volunteer chosen); back to the sections list, saying what was done."""
    petition = petition_or_404(request, slug)
    section = get_object_or_404(Section, petition=petition, serial=serial)
    entry = request.POST.get("entry", FIRST)
    chosen = request.POST.get("volunteer", "")
    volunteer = None
    if chosen:
        pk = int(chosen) if chosen.isascii() and chosen.isdigit() else 0  # not "²"
        volunteer = assignable_volunteers().filter(pk=pk).first()
        if volunteer is None:
            messages.error(request, _("Section %(serial)s: that person is not an active volunteer "
                                      "(the list may be out of date: reload it).")
                           % {"serial": serial})  # fmt: skip
            return redirect("petitions:sections", slug=slug)
    try:
        section_assign(section_id=section.pk, entry=entry, volunteer=volunteer,
                       assigned_by=request.user)  # fmt: skip
    except ValidationError as exc:
        messages.error(request, _("Section %(serial)s: %(problem)s")
                       % {"serial": serial, "problem": " ".join(exc.messages)})  # fmt: skip
    else:
        values = {"serial": serial, "name": volunteer.get_username() if volunteer else ""}
        if volunteer is None:
            message = (_("Section %(serial)s's second entry is no longer assigned.")
                       if entry == SECOND else
                       _("Section %(serial)s is no longer assigned."))  # fmt: skip
        elif entry == SECOND:
            message = _("Section %(serial)s's second entry is assigned to %(name)s.")
        else:
            message = _("Section %(serial)s is assigned to %(name)s.")
        messages.success(request, message % values)
    return redirect(f"{reverse('petitions:sections', args=[slug])}#section-{serial}")


def _back(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Where "Key the next" was pressed: the home page or the sections list."""
    if request.POST.get("from") == "home":
        return redirect("home")
    return redirect("petitions:sections", slug=slug)


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_POST
def section_next_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Key the next scanned section: the one this volunteer holds unfinished, else the oldest
    nobody holds (now theirs); when none is left, back where they asked, saying so."""
    petition = petition_or_404(request, slug)
    section = section_take_next(user=request.user, petition=petition)
    if section is None:
        messages.info(request, _(
            "No scanned section is waiting for a keyer right now: every one is taken or keyed. "
            "Ask your organizer, or try again later."
        ))  # fmt: skip
        return _back(request, slug)
    return redirect("petitions:section", slug=slug, serial=section.serial)


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_POST
def second_next_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Double entry: key the next scanned section a second time, blind."""
    petition = petition_or_404(request, slug)
    section = second_take_next(user=request.user, petition=petition)
    if section is None:
        messages.info(request, _(
            "No scanned section is waiting for a second keyer right now (nobody keys their own "
            "section twice). Try again later."
        ))  # fmt: skip
        return _back(request, slug)
    return redirect("petitions:second", slug=slug, serial=section.serial)
