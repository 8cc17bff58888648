"""Login required, told apart for htmx: a page's partial request gets 401, not the login page;
sessions that end after an idle quarter of an hour; each user's language."""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's LoginRequiredMiddleware, except for htmx requests from a browser whose session
    has ended (idle for SESSION_IDLE_MINUTES, the 8 hours of a shift, or a log-out in another
    tab). Sent to the login page,
    htmx would follow the redirect and swap the login form into the page, over the line a
    volunteer just typed. A 401 instead leaves the page as it is: static/js/session.js asks to
    log in again in another tab, and the entry row keeps the line and saves it afterwards."""

    # The stub's return type is Django's (a redirect); an override may answer any response.
    def handle_no_permission(  # type: ignore[override]
        self, request: HttpRequest, view_func: Callable[..., HttpResponseBase]
    ) -> HttpResponse:
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(
                translation.gettext("Your session has ended: log in again."),
                status=401,
                content_type="text/plain",
            )
        return super().handle_no_permission(request, view_func)


class SessionActivityMiddleware:
    """Ends a session after SESSION_IDLE_MINUTES without a request (2 CCR 19012: accounts
    logged off after at most 15 minutes of inactivity), and SESSION_COOKIE_AGE after its login
    in any case. Every request of the signed-in user is activity: keying (the hint), saving,
    reviewing, and the page's own polls (they stop by themselves: the entry page's once its
    lines are decided, an import's once it ends).

    The time of the last activity is written to the session at most once a minute, not at
    every request: a write to the session is a database write (cached_db). So a session ends
    between SESSION_IDLE_MINUTES - 1 and SESSION_IDLE_MINUTES after its last request, never
    later. A session that ends here is logged out, and the request goes on as an anonymous
    one: a page goes to the login page, an htmx request gets a 401 (LoginRequiredMiddleware)
    and the entry row keeps its line until the volunteer has logged in again in another tab."""

    ACTIVITY = "recall_activity_at"
    LOGIN = "recall_login_at"
    STAMP_EVERY = 60  # seconds

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = time.time()
        session = request.session
        last = session.get(self.ACTIVITY)
        login = session.get(self.LOGIN)
        if last is None or login is None:  # a session from before this middleware
            self.start(session, now)
            return
        idle = now - last > settings.SESSION_IDLE_MINUTES * 60
        if idle or now - login > settings.SESSION_COOKIE_AGE:
            logout(request)  # a new, empty session; request.user is anonymous from here
            return
        if now - last >= self.STAMP_EVERY:
            session[self.ACTIVITY] = now

    @classmethod
    def start(cls, session: SessionBase, now: float) -> None:
        session[cls.ACTIVITY] = session[cls.LOGIN] = now


def session_activity_start(
    sender: object, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    """At login (user_logged_in): the session is being saved anyway, so stamping it here saves
    the first request after the login a session write."""
    if request is not None and hasattr(request, "session"):
        SessionActivityMiddleware.start(request.session, time.time())


LANGUAGE_SESSION_KEY = "recall_language"


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's (the language cookie set by the switcher, else the browser's Accept-Language),
    except that a signed-in user's own choice comes first: kept in their profile and copied into
    the session at login (language_at_login), so no request but the login reads it."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.session.get(LANGUAGE_SESSION_KEY) if hasattr(request, "session") else None
        if chosen and translation.check_for_language(chosen):
            translation.activate(chosen)
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)


def language_at_login(
    sender: object, request: HttpRequest | None, user: AbstractBaseUser, **kwargs: Any
) -> None:
    """At login (user_logged_in): the user's chosen language, if any, for the whole session."""
    from recall.models import Profile

    if request is None or not hasattr(request, "session"):
        return
    language = Profile.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    if language:
        request.session[LANGUAGE_SESSION_KEY] = language
        translation.activate(language)
