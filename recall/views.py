from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from recall.health import health_report
from recall.roles import role_of


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "recall/home.html", {"role": role_of(request.user)})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    ok, report = health_report()
    return JsonResponse(report, status=200 if ok else 503)
