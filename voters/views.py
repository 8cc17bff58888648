from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from voters.models import VoterRoll


@login_required
@permission_required("voters.view_voterroll", raise_exception=True)
@require_GET
def roll_list(request: HttpRequest) -> HttpResponse:
    rolls = VoterRoll.objects.select_related("imported_by")[:50]
    return render(request, "voters/roll_list.html", {"rolls": rolls})
