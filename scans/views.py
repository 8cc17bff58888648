"""Scan images, each served after a permission check: in production by the web server (an
internal redirect, settings.SCANS_ACCEL_REDIRECT) or the object store (a short-lived signed URL),
in development by Django. A view by someone outside the section's keyers is audited.

Every refusal is a 404, as for a section the user may not see: a 403 would tell a stranger that
the image exists."""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from petitions.models import Section
from recall.models import AuditAction, audit
from scans.access import can_view_scans, is_keyer
from scans.models import LineImage, ScanPage, scans_storage

# One audit event per user and image within this many seconds (the pages load images ahead,
# and a reviewer going back and forth over a line is one look, not ten).
AUDIT_REPEAT_SECONDS = 600
# The browser keeps an image for the session's work; a shared cache (a proxy, a CDN) never does.
CACHE_CONTROL = "private, max-age=3600"
# A redirect to a signed URL is good for minutes only (STORAGES["scans"] querystring_expire):
# it is not kept at all, or a later view would follow an expired signature.
REDIRECT_CACHE_CONTROL = "private, no-store"


def content_type(name: str) -> str:
    """The image's type by its stored name (the files are stored under names the app chose:
    .jpg for line images, the page's own format for pages)."""
    guessed = mimetypes.guess_type(name)[0]
    return guessed if guessed and guessed.startswith("image/") else "image/jpeg"


def _audit_view(request: HttpRequest, kind: str, pk: int, section: Section, target: str,
                number: int) -> None:  # fmt: skip
    # cache.add is atomic in Redis: two requests at once record one event.
    key = f"scans:viewed:{request.user.pk}:{kind}:{pk}"
    if cache.add(key, 1, AUDIT_REPEAT_SECONDS):
        audit(
            user=request.user, action=AuditAction.SCAN_VIEWED, target=target,
            image=kind, petition=section.petition.slug, section=section.serial, number=number,
        )  # fmt: skip


def _serve(name: str) -> HttpResponse | FileResponse:
    """The stored file `name` as the response: a signed URL (S3), an internal redirect (nginx)
    or the bytes. The storage is looked up now, not the one the model field was built with at
    import, so a setting (or a test's override) is honoured."""
    if not name:  # a row without its file: nothing to show
        raise Http404("the image is no longer stored")
    storage = scans_storage()
    kind = content_type(name)
    response: HttpResponse | FileResponse
    if settings.SCANS_S3_BUCKET:
        # The store sends the bytes: tell it the type and caching the app would have sent.
        url = storage.url(  # type: ignore[call-arg]
            name,
            parameters={"ResponseContentType": kind, "ResponseCacheControl": CACHE_CONTROL},
        )  # fmt: skip
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = REDIRECT_CACHE_CONTROL
        return response
    if settings.SCANS_ACCEL_REDIRECT:
        # nginx sends the file from its internal location (docs/nginx-scans.conf) and keeps this
        # response's Content-Type and Cache-Control.
        response = HttpResponse(content_type=kind)
        response["X-Accel-Redirect"] = settings.SCANS_ACCEL_REDIRECT.rstrip("/") + "/" + quote(name)
    else:
        try:
            response = FileResponse(storage.open(name, "rb"), content_type=kind)
        except FileNotFoundError:
            raise Http404("the image is no longer stored") from None
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _checked(request: HttpRequest, section: Section, kind: str, pk: int, target: str,
             number: int) -> None:  # fmt: skip
    if not can_view_scans(request.user, section):
        raise Http404("no such image")
    if not is_keyer(request.user, section):
        _audit_view(request, kind, pk, section, target, number)


@require_GET
def line_image(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    image = get_object_or_404(LineImage.objects.select_related("section__petition"), pk=pk)
    section = image.section
    _checked(
        request, section, "line", pk,
        f"petition {section.petition.slug}: section {section.serial} line {image.number}",
        image.number,
    )  # fmt: skip
    return _serve(image.image.name)


@require_GET
def page_image(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    page = get_object_or_404(ScanPage.objects.select_related("section__petition"), pk=pk)
    section = page.section
    _checked(
        request, section, "page", pk,
        f"petition {section.petition.slug}: section {section.serial} page {page.page_number}",
        page.page_number,
    )  # fmt: skip
    return _serve(page.image.name)
