"""Login required, told apart for htmx: a page's partial request gets 401, not the login page."""

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpResponse


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's LoginRequiredMiddleware, except for htmx requests from a browser whose session
    has ended (the 8 hours of a shift, or a log-out in another tab). Sent to the login page,
    htmx would follow the redirect and swap the login form into the page, over the line a
    volunteer just typed. A 401 instead leaves the page as it is: static/js/session.js asks to
    log in again in another tab, and the entry row keeps the line and saves it afterwards."""

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(
                "Your session has ended: log in again.", status=401, content_type="text/plain"
            )
        return super().handle_no_permission(request, view_func)
