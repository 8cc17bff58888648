from django.urls import path

from petitions import views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list_view, name="list"),
    path("<slug:slug>/export.csv", views.export, name="export"),
]
