"""Scan images, each served after a permission check: in production by the web server (an
internal redirect, settings.SCANS_ACCEL_REDIRECT) or the object store (a short-lived signed URL),
in development by Django. A view by someone outside the section's keyers is audited."""

import mimetypes

from django.conf import settings
from django.core.cache import cache
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from petitions.models import Section
from recall.models import AuditAction, audit
from scans.access import can_view_scans, is_keyer
from scans.models import LineImage, ScanPage

# One audit event per user and image within this many seconds (the entry page loads ahead).
AUDIT_REPEAT_SECONDS = 600


def _audit_view(request: HttpRequest, kind: str, pk: int, section_id: int, target: str) -> None:
    key = f"scans:viewed:{request.user.pk}:{kind}:{pk}"
    if cache.add(key, 1, AUDIT_REPEAT_SECONDS):
        audit(
            user=request.user, action=AuditAction.SCAN_VIEWED, target=target,
            kind=kind, id=pk, section=section_id,
        )  # fmt: skip


def _serve(field_file: FieldFile, name: str) -> HttpResponse | FileResponse:
    storage = field_file.storage
    if settings.SCANS_S3_BUCKET:
        return HttpResponseRedirect(storage.url(name))
    if settings.SCANS_ACCEL_REDIRECT:
        response: HttpResponse | FileResponse = HttpResponse(
            content_type=mimetypes.guess_type(name)[0] or "image/jpeg"
        )
        response["X-Accel-Redirect"] = settings.SCANS_ACCEL_REDIRECT.rstrip("/") + "/" + name
    else:
        try:
            response = FileResponse(field_file.open("rb"), content_type="image/jpeg")
        except FileNotFoundError:
            raise Http404("the image is no longer stored") from None
    # The browser keeps it for the session's work, never a shared cache.
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _checked(request: HttpRequest, section: Section, kind: str, pk: int, target: str) -> None:
    if not can_view_scans(request.user, section):
        raise Http404("no such image")
    if not is_keyer(request.user, section):
        _audit_view(request, kind, pk, section.pk, target)


@require_GET
def line_image(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    image = get_object_or_404(LineImage.objects.select_related("section__petition"), pk=pk)
    section = image.section
    _checked(
        request, section, "line", pk,
        f"petition {section.petition.slug}: section {section.serial} line {image.number}",
    )  # fmt: skip
    return _serve(image.image, image.image.name)


@require_GET
def page_image(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    page = get_object_or_404(ScanPage.objects.select_related("section__petition"), pk=pk)
    section = page.section
    _checked(
        request, section, "page", pk,
        f"petition {section.petition.slug}: section {section.serial} page {page.page_number}",
    )  # fmt: skip
    return _serve(page.image, page.image.name)
