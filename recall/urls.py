from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from recall import views, views_admin

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/setlang/", views.language, name="set_language"),
    # The translated messages of static/js (gettext() in entry.js and dashboard.js), loaded by the
    # pages that use them; public, as every message in it is.
    path("i18n/js/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/set-password/<str:uidb64>/<str:token>/",
        views_admin.set_password,
        name="set-password",
    ),
    path("users/", views_admin.user_list, name="users"),
    path("users/new/", views_admin.user_new, name="user-new"),
    path("users/<int:user_id>/", views_admin.user_detail, name="user-detail"),
    path("users/<int:user_id>/role/", views_admin.user_role, name="user-role"),
    path("users/<int:user_id>/active/", views_admin.user_active, name="user-active"),
    path("users/<int:user_id>/unlock/", views_admin.user_unlock_view, name="user-unlock"),
    path("users/<int:user_id>/link/", views_admin.user_link, name="user-link"),
    path("audit/", views_admin.audit_log, name="audit-log"),
    path("audit/events.csv", views_admin.audit_log_csv, name="audit-log-csv"),
    path("voters/", include("voters.urls")),
    path("petitions/", include("petitions.urls")),
    path("circulators/", include("petitions.urls_circulators")),
    path("scans/", include("scans.urls")),
    path("admin/", admin.site.urls),
]
