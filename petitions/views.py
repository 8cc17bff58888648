import logging

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

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
