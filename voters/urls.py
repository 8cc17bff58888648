from django.urls import path

from voters import views

app_name = "voters"

urlpatterns = [
    path("rolls/", views.roll_list, name="roll-list"),
    path("rolls/import/", views.roll_import, name="roll-import"),
    path("rolls/<int:pk>/", views.roll_detail, name="roll-detail"),
    path("rolls/<int:pk>/progress/", views.roll_progress, name="roll-progress"),
    path("rolls/<int:pk>/report.csv", views.roll_report, name="roll-report"),
    path("rolls/<int:pk>/cancel/", views.roll_cancel, name="roll-cancel"),
    path("rolls/<int:pk>/activate/", views.roll_activate, name="roll-activate"),
    path(
        "rolls/<int:pk>/activate/confirm/",
        views.roll_activate_confirm,
        name="roll-activate-confirm",
    ),
]
