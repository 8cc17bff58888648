from django.urls import path

from voters import views

app_name = "voters"

urlpatterns = [
    path("rolls/", views.roll_list, name="roll-list"),
]
