from django.urls import path

from scans import organizer_views, upload_views, views

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
    path("<slug:slug>/", organizer_views.petition_scans, name="petition"),
    path("<slug:slug>/layout", organizer_views.layout, name="layout"),
    path(
        "<slug:slug>/layout/reference.jpg",
        organizer_views.layout_reference,
        name="layout_reference",
    ),
    path(
        "<slug:slug>/layout/pages/<int:pk>.jpg", organizer_views.layout_sample, name="layout_sample"
    ),
    path("<slug:slug>/pages/<int:pk>/", organizer_views.scan_page, name="page"),
    path("<slug:slug>/pages/<int:pk>/remove", organizer_views.scan_page_remove, name="page_remove"),
]
