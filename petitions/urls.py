from django.urls import path

from petitions import views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list_view, name="list"),
    path("<slug:slug>/export.csv", views.export, name="export"),
    path("<slug:slug>/sections/new", views.section_new, name="section_new"),
    path("<slug:slug>/sections/<int:serial>/", views.section_detail, name="section"),
    path("<slug:slug>/sections/<int:serial>/lines", views.line_add, name="line_add"),
]
