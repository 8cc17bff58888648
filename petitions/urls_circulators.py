"""Circulators' pages, campaign-wide (a circulator may carry sections of several petitions)."""

from django.urls import path

from petitions.views import circulators as views

app_name = "circulators"

urlpatterns = [
    path("", views.circulator_list_view, name="list"),
    path("merge/", views.merge_list, name="merge"),
    path("merge/do", views.merge_do, name="merge_do"),
    path("merge/dismiss", views.merge_dismiss, name="merge_dismiss"),
    path("pay/", views.pay_list, name="pay"),
    path("pay/close", views.pay_close, name="pay_close"),
    path("pay/<str:period>.csv", views.pay_csv, name="pay_csv"),
    path("<int:circulator_id>/", views.circulator_detail, name="detail"),
    path("<int:circulator_id>/edit", views.circulator_edit, name="edit"),
    path("<int:circulator_id>/shifts", views.circulator_shift, name="shift"),
    path("<int:circulator_id>/pay/<str:period>/", views.circulator_pay, name="ledger"),
]
