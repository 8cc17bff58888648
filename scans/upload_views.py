"""Uploading scans: on a section's page (its keyers and organizers), in bulk for a petition
(organizers), and an upload's progress and problems."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from petitions.models import Section
from petitions.views.common import petition_or_404
from recall.http import AuthenticatedHttpRequest
from scans.access import can_view_scans
from scans.ingest import ScanFileError
from scans.models import ScanUpload
from scans.upload_forms import ScanUploadForm
from scans.uploads import (
    scan_upload_create,
    section_scan_panel,
    sections_for_upload,
    upload_summary,
)


@login_required
@permission_required("petitions.add_line", raise_exception=True)
@require_POST
def section_upload(request: AuthenticatedHttpRequest, slug: str, serial: int) -> HttpResponse:
    """A section's scans from its page: kept, then read and cut in the background."""
    petition = petition_or_404(request, slug)
    section = get_object_or_404(sections_for_upload(request.user, petition), serial=serial)
    form = ScanUploadForm(request.POST, request.FILES)
    if form.is_valid():
        files = form.cleaned_data["scans"]
        try:
            scan_upload_create(
                petition=petition, section=section, by=request.user,
                files=[(upload.name or "?", upload) for upload in files],
            )  # fmt: skip
        except ScanFileError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, ngettext(
                "%(count)s file received: its pages appear in the Scans panel as they are read.",
                "%(count)s files received: their pages appear in the Scans panel as they are read.",
                len(files),
            ) % {"count": len(files)})  # fmt: skip
    else:
        for error in form.errors.get("scans", []):
            messages.error(request, str(error))
    return redirect("petitions:section", slug=petition.slug, serial=section.serial)


@login_required
@require_GET
def section_scans(request: AuthenticatedHttpRequest, slug: str, serial: int) -> HttpResponse:
    """The section's pages and their statuses (the panel polls it while pages are read)."""
    section = get_object_or_404(
        Section.objects.select_related("petition"), petition__slug=slug, serial=serial
    )
    if not can_view_scans(request.user, section):
        raise Http404("no such section")
    context = section_scan_panel(request.user, section)
    return render(request, "scans/_section_scan_pages.html", context)


@login_required
@permission_required("petitions.change_petition", raise_exception=True)
@require_http_methods(["GET", "POST"])
def bulk_upload(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Many sections at once: files (or a ZIP) named by section serial."""
    petition = petition_or_404(request, slug)
    posted = request.method == "POST"
    form = ScanUploadForm(request.POST, request.FILES) if posted else ScanUploadForm()
    if posted and form.is_valid():
        files = form.cleaned_data["scans"]
        try:
            upload = scan_upload_create(
                petition=petition, by=request.user,
                files=[(item.name or "?", item) for item in files],
            )  # fmt: skip
        except ScanFileError as exc:
            form.add_error("scans", str(exc))
        else:
            return redirect("scans:upload_detail", pk=upload.pk)
    uploads = ScanUpload.objects.filter(petition=petition).select_related("section", "uploaded_by")
    context = {
        "petition": petition, "form": form, "uploads": uploads[:20], "slug": petition.slug,
        "max_mb": settings.SCANS_UPLOAD_MAX_BYTES // 2**20,
    }  # fmt: skip
    return render(
        request, "scans/upload.html", context, status=400 if request.method == "POST" else 200
    )


def _upload_or_404(request: AuthenticatedHttpRequest, pk: int) -> ScanUpload:
    upload = get_object_or_404(
        ScanUpload.objects.select_related("petition", "section", "uploaded_by"), pk=pk
    )
    # The uploader, or an organizer of a petition they may see; anyone else: no such upload.
    petition_or_404(request, upload.petition.slug)
    if upload.uploaded_by_id != request.user.pk and not request.user.has_perm(
        "petitions.change_petition"
    ):
        raise Http404("no such upload")
    return upload


@login_required
@require_GET
def upload_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    upload = _upload_or_404(request, pk)
    return render(request, "scans/upload_detail.html", upload_summary(upload))


@login_required
@require_GET
def upload_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    upload = _upload_or_404(request, pk)
    response = render(request, "scans/_upload_progress.html", upload_summary(upload))
    if upload.status in (ScanUpload.Status.DONE, ScanUpload.Status.FAILED):
        response["HX-Refresh"] = "true"  # the full report once it has ended
    return response
