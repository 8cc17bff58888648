import uuid
from pathlib import Path
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recall.http import AuthenticatedHttpRequest
from recall.lib import csvsafe
from voters.forms import VOTER_FILE_SUFFIXES, VoterRollImportForm, server_files
from voters.models import VoterRoll
from voters.progress import Progress, describe
from voters.selectors import (
    active_roll,
    roll_counties,
    roll_shrink_reason,
    roll_voters_by_city,
    voter_roll_list,
)
from voters.services import (
    ImportFailed,
    progress_key,
    voter_roll_activate,
    voter_roll_cancel,
    voter_roll_create,
    voter_roll_report_download_record,
)
from voters.signals import roll_activation_preview
from voters.voterfile import FileError

can_view = permission_required("voters.view_voterroll", raise_exception=True)
can_import = permission_required("voters.import_voterroll", raise_exception=True)


@login_required
@can_view
@require_GET
def roll_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = VoterRollImportForm() if request.user.has_perm("voters.import_voterroll") else None
    return render(request, "voters/roll_list.html", {"rolls": voter_roll_list(), "form": form})


def _store_upload(upload: UploadedFile) -> Path:
    """Move the uploaded file (already streamed to a temporary file) into the upload directory."""
    folder = Path(settings.UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    name = cast(str, upload.name)  # a submitted file has one (FileField refuses it otherwise)
    suffix = ".gz" if name.lower().endswith(".gz") else ".csv"
    target = folder / f"{uuid.uuid4().hex}{suffix}"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return target


@login_required
@can_import
@require_http_methods(["GET", "POST"])
def roll_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = VoterRollImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        if upload:
            path, name = _store_upload(upload), upload.name
        else:
            path = Path(settings.IMPORT_DIR) / form.cleaned_data["server_file"]
            name = path.name
        if form.check_header(path):
            try:
                roll = voter_roll_create(
                    path=path, source_name=name, requested_format=form.cleaned_data["format"],
                    imported_by=request.user, max_reject_rate=form.cleaned_data["max_reject_rate"],
                    activate=form.cleaned_data["activate"],
                    by_county=form.cleaned_data["by_county"],
                )  # fmt: skip
            except FileError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("voters:roll-detail", pk=roll.pk)
        if upload:
            path.unlink(missing_ok=True)  # refused: keep no copy of a voter file we won't use
    status = 400 if request.method == "POST" else 200
    context = {"form": form, **_import_folder(request)}
    return render(request, "voters/roll_import.html", context, status=status)


def _import_folder(request: AuthenticatedHttpRequest) -> dict[str, object]:
    """Where the server's import folder is and how to put a file there (the list of its files
    is empty until someone copies one in)."""
    folder = Path(settings.IMPORT_DIR)
    return {
        "import_dir": folder,
        "import_dir_exists": folder.is_dir(),
        "server_files": server_files(),
        "suffixes": VOTER_FILE_SUFFIXES,
        "host": request.get_host().rsplit(":", 1)[0],
    }


@login_required
@can_view
@require_GET
def roll_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    roll = get_object_or_404(VoterRoll, pk=pk)
    held_back = ""
    if roll.state == VoterRoll.State.READY and roll.activate_on_success:
        held_back = roll_shrink_reason(candidate=roll, active=active_roll())
    counties = list(roll_counties(roll)) if roll.by_county else []
    context = {"roll": roll, "held_back": held_back, "counties": counties, **_progress(roll)}
    return render(request, "voters/roll_detail.html", context)


def _progress(roll: VoterRoll) -> dict[str, object]:
    return {"progress": describe(Progress.read(progress_key(roll.pk)))}


@login_required
@can_view
@require_GET
def roll_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    roll = get_object_or_404(VoterRoll, pk=pk)
    response = render(request, "voters/_roll_progress.html", {"roll": roll, **_progress(roll)})
    if roll.is_finished:
        response["HX-Refresh"] = "true"  # show the full report once the import has ended
    return response


@login_required
@can_view
@require_GET
def roll_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    roll = get_object_or_404(VoterRoll, pk=pk)
    voter_roll_report_download_record(roll=roll, by=request.user)
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="voter-roll-{roll.pk}-report.csv"'
    writer = csvsafe.writer(response)  # the reasons quote the file's own text
    writer.writerow(["item", "value"])
    for item, value in (
        ("source", roll.source_name), ("format", roll.format), ("state", roll.state),
        ("rows_read", roll.rows_read), ("rows_imported", roll.rows_imported),
        ("rows_rejected", roll.rows_rejected), ("rows_warned", roll.rows_warned),
        ("error", roll.error),
    ):  # fmt: skip
        writer.writerow([item, value])
    # Reasons in words, each code in a column of its own for tools.
    if roll.reject_counts:
        writer.writerow([])
        writer.writerow(["rejected rows by reason", "rows", "code"])
        for row in roll.rejects_by_reason:
            writer.writerow(row)
    if roll.warning_counts:
        writer.writerow([])
        writer.writerow(["rows imported with a warning", "rows", "code"])
        for row in roll.warnings_by_reason:
            writer.writerow(row)
    writer.writerow([])
    writer.writerow(["line", "reason"])
    for reject in roll.rejects:
        writer.writerow([reject["line"], reject["reason"]])
    if roll.warnings:
        writer.writerow([])
        writer.writerow(["line", "warning (imported)"])
        for warning in roll.warnings:
            writer.writerow([warning["line"], warning["reason"]])
    return response


@login_required
@can_import
@require_POST
def roll_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    roll = get_object_or_404(VoterRoll, pk=pk)
    if voter_roll_cancel(roll=roll, by=request.user):
        messages.info(request, gettext("Cancelled: nothing of this import will be used."))
    else:
        messages.error(request, gettext("This import has already ended."))
    return redirect("voters:roll-detail", pk=pk)


CITIES_SHOWN = 30


@login_required
@can_import
@require_GET
def roll_activate_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What making this roll active would change, and the button that does it."""
    roll = get_object_or_404(VoterRoll, pk=pk)
    if roll.state not in (VoterRoll.State.READY, VoterRoll.State.SUPERSEDED):
        messages.error(
            request,
            gettext("Only a ready or superseded roll can be activated, not %(state)s.")
            % {"state": roll.get_state_display().lower()},
        )
        return redirect("voters:roll-detail", pk=pk)
    active = active_roll()
    cities = roll_voters_by_city(candidate=roll, active=active)
    petitions = [
        row
        for _, rows in roll_activation_preview.send(sender=VoterRoll, candidate=roll, active=active)
        for row in rows or []
    ]
    context = {
        "roll": roll, "active": active, "cities": cities[:CITIES_SHOWN],
        "cities_hidden": max(len(cities) - CITIES_SHOWN, 0), "petitions": petitions,
        "shrink": roll_shrink_reason(candidate=roll, active=active),
        "difference": roll.rows_imported - (active.rows_imported if active else 0),
    }  # fmt: skip
    return render(request, "voters/roll_activate_confirm.html", context)


@login_required
@can_import
@require_POST
def roll_activate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    roll = get_object_or_404(VoterRoll, pk=pk)
    if request.POST.get("confirm") != "yes":  # only from the page that shows what changes
        return redirect("voters:roll-activate-confirm", pk=pk)
    try:
        voter_roll_activate(roll=roll, by=request.user)
    except ImportFailed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, gettext("%(name)s is now the active voter roll.") % {"name": roll.source_name}
        )
    return redirect("voters:roll-detail", pk=pk)
