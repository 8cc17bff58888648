from django.urls import path

from scans import upload_views, views

app_name = "scans"

urlpatterns = [
    path("lines/<int:pk>.jpg", views.line_image, name="line_image"),
    path("pages/<int:pk>.jpg", views.page_image, name="page_image"),
    path("uploads/<int:pk>/", upload_views.upload_detail, name="upload_detail"),
    path("uploads/<int:pk>/progress", upload_views.upload_progress, name="upload_progress"),
    path("<slug:slug>/upload", upload_views.bulk_upload, name="upload"),
    path(
        "<slug:slug>/sections/<int:serial>/upload",
        upload_views.section_upload,
        name="section_upload",
    ),
    path(
        "<slug:slug>/sections/<int:serial>/scans",
        upload_views.section_scans,
        name="section_scans",
    ),
]
