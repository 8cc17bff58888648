"""A petition's sections: the list and a new one."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from petitions.entry import (
    second_entry_sections,
    section_create,
    sections_for,
)
from petitions.forms import SectionForm
from petitions.selectors import (
    section_list,
    sections_awaiting_second_entry,
)
from petitions.selectors.sections import sections_of_others
from petitions.views.common import form_errors, petition_or_404
from recall.http import AuthenticatedHttpRequest


@login_required
@permission_required("petitions.add_section", raise_exception=True)
def section_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Start a section: its serial number, circulator and declaration."""
    petition = petition_or_404(request, slug)
    form = SectionForm(request.POST or None)
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
    """The user's sections (an organizer's: all), and those waiting for a second keyer."""
    petition = petition_or_404(request, slug)
    sections = section_list(sections_for(request.user, petition))
    # An empty list of one's own sections says how many are other people's.
    others = (0 if sections or request.user.has_perm("petitions.view_section")
              else sections_of_others(request.user, petition))  # fmt: skip
    return render(request, "petitions/section_list.html", {
        "petition": petition,
        "sections": sections,
        "others_sections": others,
        "second_sections": section_list(second_entry_sections(request.user, petition)),
        "awaiting": sections_awaiting_second_entry(request.user, petition)[:200],
    })  # fmt: skip
