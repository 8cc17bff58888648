from django.urls import path

from scans import views

app_name = "scans"

urlpatterns = [
    path("lines/<int:pk>.jpg", views.line_image, name="line_image"),
    path("pages/<int:pk>.jpg", views.page_image, name="page_image"),
]
