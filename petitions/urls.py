from django.urls import path

from petitions import views
from petitions.views import registrar as registrar_views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list_view, name="list"),
    path("new", views.petition_new, name="new"),
    path("<slug:slug>/export.csv", views.export, name="export"),
    path("<slug:slug>/lists/<slug:status>.csv", views.signer_list, name="signer_list"),
    path("<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("<slug:slug>/progress.json", views.progress_json, name="progress"),
    path("<slug:slug>/calibration/", views.calibration, name="calibration"),
    path("<slug:slug>/reports/", views.thirty_day_reports, name="reports"),
    path("<slug:slug>/reports.csv", views.thirty_day_reports_csv, name="reports_csv"),
    path("<slug:slug>/double-entry", views.petition_double_entry, name="double_entry"),
    path("<slug:slug>/county-votes", views.petition_county_votes, name="county_votes"),
    path("<slug:slug>/suspects/", views.suspects_view, name="suspects"),
    path("<slug:slug>/suspects.csv", views.suspects_csv, name="suspects_csv"),
    path("<slug:slug>/suspects/hold", views.section_hold_view, name="section_hold"),
    path("<slug:slug>/suspects/release", views.section_release_view, name="section_release"),
    path("<slug:slug>/suspects/file", views.sections_file_view, name="sections_file"),
    path("<slug:slug>/sections/", views.section_list_view, name="sections"),
    path("<slug:slug>/sections/new", views.section_new, name="section_new"),
    path("<slug:slug>/sections/next", views.section_next_view, name="section_next"),
    path("<slug:slug>/sections/second-next", views.second_next_view, name="second_next"),
    path(
        "<slug:slug>/sections/<int:serial>/assign", views.section_assign_view, name="section_assign"
    ),
    path("<slug:slug>/sections/<int:serial>/", views.section_detail, name="section"),
    path("<slug:slug>/sections/<int:serial>/lines", views.line_add, name="line_add"),
    path(
        "<slug:slug>/sections/<int:serial>/lines/<int:number>/", views.line_edit, name="line_edit"
    ),
    path("<slug:slug>/sections/<int:serial>/hint", views.line_hint_view, name="hint"),
    path(
        "<slug:slug>/sections/<int:serial>/second/start",
        views.second_entry_begin,
        name="second_start",
    ),
    path("<slug:slug>/sections/<int:serial>/second/", views.second_detail, name="second"),
    path(
        "<slug:slug>/sections/<int:serial>/second/lines",
        views.second_line_add,
        name="second_line_add",
    ),
    path("<slug:slug>/review/", views.review_queue_view, name="review"),
    path("<slug:slug>/review/mine/", views.review_decisions_view, name="review_decisions"),
    path("<slug:slug>/review/lines/<int:line_id>/", views.review_line, name="review_line"),
    path("<slug:slug>/review/lines/<int:line_id>/skip", views.review_skip, name="review_skip"),
    path(
        "<slug:slug>/review/transcriptions/<int:second_id>/",
        views.transcription_settle,
        name="transcription",
    ),
    path("<slug:slug>/review/events/<int:event_id>/undo", views.event_undo_view, name="undo"),
    # After filing: the registrar's results beside ours, and the lines worth challenging.
    path("<slug:slug>/registrar/", registrar_views.registrar_view, name="registrar"),
    path(
        "<slug:slug>/registrar/import",
        registrar_views.registrar_import_view,
        name="registrar_import",
    ),
    path(
        "<slug:slug>/registrar/<int:result_id>/withdraw",
        registrar_views.registrar_withdraw_view,
        name="registrar_withdraw",
    ),
    path(
        "<slug:slug>/registrar/challenges/",
        registrar_views.registrar_challenges,
        name="registrar_challenges",
    ),
    path(
        "<slug:slug>/registrar/challenges.csv",
        registrar_views.registrar_challenges_csv,
        name="registrar_challenges_csv",
    ),
]
