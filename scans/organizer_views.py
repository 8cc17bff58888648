"""The organizer's pages on scans: the petition's scans overview, marking the layout on a sample
page, and a page that needs a person (its lines marked by hand, or the page removed).

All for organizers and admins (petitions.change_petition); images of pages are served after the
same check, and viewing one is audited as every scan view by someone outside its keyers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from petitions.models import Petition
from petitions.views.common import form_errors, petition_or_404
from recall.http import AuthenticatedHttpRequest
from scans import imaging
from scans.layout import Box
from scans.layout_forms import BoxesForm, LayoutForm, boxes_initial
from scans.layout_service import layout_save, page_mark_by_hand, page_remove, sample_straightened
from scans.models import ScanPage
from scans.overview import (
    default_sample,
    flagged_pages,
    petition_layout,
    sample_choices,
    scan_counts,
    scanned_sections,
)
from scans.views import _checked, _serve

ORGANIZER = "petitions.change_petition"
# Where a first layout's boxes start (fractions of the page), to be dragged onto the lines.
DEFAULT_FIRST = Box(0.05, 0.2, 0.9, 0.06)
DEFAULT_LAST = Box(0.05, 0.8, 0.9, 0.06)


def _page_or_404(petition: Petition, pk: int | str | None) -> ScanPage:
    return get_object_or_404(ScanPage.objects.select_related("section"), petition=petition, pk=pk)


def _target(page: ScanPage) -> str:
    return (f"petition {page.petition.slug}: section {page.section.serial} "
            f"page {page.page_number}")  # fmt: skip


@login_required
@permission_required(ORGANIZER, raise_exception=True)
@require_GET
def petition_scans(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Every scanned section's pages and what became of them; pages needing a person first."""
    petition = petition_or_404(request, slug)
    shown, sections = scanned_sections(petition, request.GET.get("page"))
    context = {
        "petition": petition,
        "counts": scan_counts(petition),
        "layout": petition_layout(petition),
        "flagged": flagged_pages(petition),
        "shown": shown,
        "sections": sections,
    }
    return render(request, "scans/overview.html", context)


def _sample_from(petition: Petition, value: str | int | None) -> ScanPage | None:
    if value in (None, ""):
        return None
    try:
        return ScanPage.objects.select_related("section").get(petition=petition, pk=int(str(value)))
    except (ValueError, TypeError, ScanPage.DoesNotExist):
        return None


@login_required
@permission_required(ORGANIZER, raise_exception=True)
@require_http_methods(["GET", "POST"])
def layout(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Mark the petition's layout on a sample page: the first and last line's box and how many
    lines a page holds. Saving queues every page of the petition to be cut with it."""
    petition = petition_or_404(request, slug)
    current = petition_layout(petition)
    sample = _sample_from(petition, request.POST.get("sample") or request.GET.get("sample"))
    if sample is None:
        sample = default_sample(petition)
    if current is not None:
        first, last = Box.from_json(current.first_box), Box.from_json(current.last_box)
        lines = current.lines_per_page
    else:
        first, last, lines = DEFAULT_FIRST, DEFAULT_LAST, 10
    initial = {**boxes_initial(first, last), "lines_per_page": lines,
               "sample": sample.pk if sample else None}  # fmt: skip
    form = LayoutForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = layout_save(
                petition=petition, sample_page=sample, first=form.box("first"),
                last=form.box("last"), lines_per_page=form.cleaned_data["lines_per_page"],
                by=request.user,
            )  # fmt: skip
        except (ValidationError, imaging.ImageError) as exc:
            form_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(
                _("The sample page could not be read (%(error)s): choose another.")
                % {"error": exc}))  # fmt: skip
        else:
            pages = saved.petition.scan_pages.count()
            messages.success(request, _(
                "Layout saved: %(lines)s lines a page; the petition's %(pages)s pages are cut "
                "with it."
            ) % {"lines": saved.lines_per_page, "pages": pages})  # fmt: skip
            return redirect("scans:petition", slug=petition.slug)
    context = {
        "petition": petition,
        "layout": current,
        "sample": sample,
        "choices": sample_choices(petition, sample),
        "form": form,
        "pages_total": petition.scan_pages.count(),
    }
    return render(request, "scans/layout.html", context, status=400 if form.errors else 200)


@login_required
@permission_required(ORGANIZER, raise_exception=True)
@require_GET
def layout_sample(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """A page of the petition straightened, as the layout is marked on it (the saved reference
    itself when the page is the layout's sample)."""
    petition = petition_or_404(request, slug)
    page = _page_or_404(petition, pk)
    _checked(request, page.section, "page", page.pk, _target(page), page.page_number)
    current = petition_layout(petition)
    if current is not None and current.sample_page_id == page.pk and current.reference:
        return _serve(current.reference.name)
    try:
        data = sample_straightened(page)
    except (imaging.ImageError, OSError):
        return HttpResponse(status=404)
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=600"
    return response


@login_required
@permission_required(ORGANIZER, raise_exception=True)
@require_GET
def layout_reference(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseBase:
    """The saved layout's reference (its sample page straightened)."""
    petition = petition_or_404(request, slug)
    current = petition_layout(petition)
    if current is None or not current.reference:
        return HttpResponse(status=404)
    return _serve(current.reference.name)


@login_required
@permission_required(ORGANIZER, raise_exception=True)
@require_http_methods(["GET", "POST"])
def scan_page(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """One page: why it needs a person, and its first and last line boxes marked by hand on the
    page as received, which cuts it without aligning."""
    petition = petition_or_404(request, slug)
    page = _page_or_404(petition, pk)
    current = petition_layout(petition)
    manual = (page.alignment or {}).get("manual")
    if manual:
        first, last = Box.from_json(manual["first_box"]), Box.from_json(manual["last_box"])
    elif current is not None:
        first, last = Box.from_json(current.first_box), Box.from_json(current.last_box)
    else:
        first, last = DEFAULT_FIRST, DEFAULT_LAST
    lines = current.lines_per_page if current else 10
    form = BoxesForm(request.POST or None, initial=boxes_initial(first, last),
                     lines_per_page=lines)  # fmt: skip
    if request.method == "POST" and current is not None and form.is_valid():
        try:
            page = page_mark_by_hand(page=page, first=form.box("first"), last=form.box("last"),
                                     by=request.user)  # fmt: skip
        except (ValidationError, imaging.ImageError) as exc:
            form_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(
                _("The page could not be read (%(error)s).") % {"error": exc}))  # fmt: skip
        else:
            messages.success(request, _(
                "Section %(serial)s page %(page)s cut into %(lines)s lines with your boxes."
            ) % {"serial": page.section.serial, "page": page.page_number,
                 "lines": page.line_images.count()})  # fmt: skip
            return redirect("scans:petition", slug=petition.slug)
    context = {"petition": petition, "page": page, "layout": current, "form": form,
               "lines": lines, "line_images": page.line_images.order_by("number")}  # fmt: skip
    return render(request, "scans/page.html", context, status=400 if form.errors else 200)


@login_required
@permission_required(ORGANIZER, raise_exception=True)
@require_POST
def scan_page_remove(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a page that was uploaded by mistake, with its line images."""
    petition = petition_or_404(request, slug)
    page = _page_or_404(petition, pk)
    serial, number = page.section.serial, page.page_number
    page_remove(page=page, by=request.user)
    messages.success(request, _("Section %(serial)s page %(page)s removed.")
                     % {"serial": serial, "page": number})  # fmt: skip
    return redirect("scans:petition", slug=petition.slug)
