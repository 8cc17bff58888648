"""The review queue: lines decided by hand, transcriptions settled, decisions undone."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from petitions.entry import transcription_choose
from petitions.forms import ReviewForm
from petitions.models import Line, LineEvent, LineStatus, Petition, SecondEntry
from petitions.review import agreement_marks, event_undo, line_decide
from petitions.selectors import (
    line_history,
    review_decision_open,
    review_decisions,
    review_next,
    review_pace,
    review_queue_size,
    section_lines,
)
from petitions.selectors.review import review_idle
from petitions.views.common import petition_or_404
from recall.http import AuthenticatedHttpRequest
from scans.access import can_view_scans
from scans.models import LineImage

_SKIPPED = "review_skipped_{}"
# The line this reviewer decided last on a petition: the review pages offer to undo it.
_DECIDED = "review_decided_{}"
# The review page's keys for the statuses set by hand (keys.js clicks the button).
HAND_KEYS = {
    LineStatus.NOT_REGISTERED: "n", LineStatus.OUT_OF_JURISDICTION: "o", LineStatus.INCOMPLETE: "i"
}  # fmt: skip


def _shown(entry: Line | SecondEntry | None, name: str) -> str:
    if getattr(entry, "blank", False) or getattr(entry, "status", "") == Line.Status.BLANK:
        return _("(blank / crossed out)")
    value = getattr(entry, name)
    return (_("yes") if value else _("no")) if isinstance(value, bool) else value


def _undo_sentence(event: LineEvent, line: Line) -> str:
    where = f"section {line.section.serial} line {line.number}"
    if event.kind == LineEvent.Kind.TRANSCRIPTION:
        return f"Undone: the two transcriptions of {where} are back in the review queue."
    if event.kind == LineEvent.Kind.EDITED:
        return f"Undone: {where} reads as it did before the edit, and is checked again."
    if line.status == LineStatus.NEEDS_REVIEW:
        return f"Undone: {where} is back in the review queue."
    return f"Undone: {where} has its earlier status again: {line.get_status_display()}."


def line_scan(user: Any, line: Line) -> LineImage | None:
    """The line's image cut from its scanned page, if the section was scanned and the user may
    see its scans (the image view checks again: this only decides whether to show it)."""
    if not can_view_scans(user, line.section):
        return None
    return (
        LineImage.objects.filter(section_id=line.section_id, number=line.number)
        .select_related("section")
        .first()
    )


def _review_context(request: AuthenticatedHttpRequest, petition: Petition, line: Line | None,
                    second: SecondEntry | None = None, *,
                    from_queue: bool = False) -> dict[str, Any]:  # fmt: skip
    """What the review page shows. The reviewer's last decision comes with its Undo (key U) on
    the queue, and on a line's page only when it is that line's (U there undoes its latest
    change: a decision made elsewhere would take the key)."""
    decided_id: int | None = request.session.get(_DECIDED.format(petition.pk))
    decided = None
    if decided_id is not None and (from_queue or (line is not None and line.pk == decided_id)):
        decided = review_decision_open(decided_id, request.user)
    context: dict[str, Any] = {
        "petition": petition,
        "line": line,
        "second": second,
        "from_queue": from_queue,
        "decided": decided,
        "recent": review_decisions(petition, request.user, limit=5),
        "queue_size": review_queue_size(petition),
        "pace": review_pace(petition),
        "hand_statuses": [(s, key, Line.Status(s).label) for s, key in HAND_KEYS.items()],
    }
    if second is not None:
        context["transcription_rows"] = [
            (label, _shown(line, name), _shown(second, name))
            for name, label in (("printed_name", _("Printed name")),
                                ("residence_address", _("Residence address")), ("city", _("City")),
                                ("zip", _("ZIP")), ("signed", _("Signed")))
        ]  # fmt: skip
        context["transcription_choices"] = [
            ("first", "1", _("Keep the first")),
            ("second", "2", _("Take the second")),
        ]
    if line is not None:
        context["candidates"] = [
            {**c, "marks": agreement_marks(c.get("fields", {}))}
            for c in line.reason.get("candidates", [])[:5]
        ]
        context["events"] = line_history(line)
        context["line_scan"] = line_scan(request.user, line)
        context["first_entered_by"] = line.section.entered_by
        if not from_queue:
            context["section_lines"] = section_lines(line)
    return context


@login_required
@permission_required("petitions.review_line", raise_exception=True)
@require_GET
def review_queue_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The oldest line waiting for a reviewer (lines this reviewer skipped come last)."""
    petition = petition_or_404(request, slug)
    skipped = request.session.get(_SKIPPED.format(petition.pk), [])
    item = review_next(petition, skipped)
    if item is None and skipped:  # only skipped lines left: go round again
        request.session[_SKIPPED.format(petition.pk)] = []
        item = review_next(petition)
    context = _review_context(request, petition, item.line if item else None,
                              item.second if item else None, from_queue=True)  # fmt: skip
    if item is None:  # the empty queue says why
        context["idle"] = review_idle(petition)
    return render(request, "petitions/review.html", context)


@login_required
@permission_required("petitions.review_line", raise_exception=True)
@require_http_methods(["GET", "POST"])
def review_line(request: AuthenticatedHttpRequest, slug: str, line_id: int) -> HttpResponse:
    """Decide one line by hand: from the queue, or reopening any decided line."""
    petition = petition_or_404(request, slug)
    line = get_object_or_404(Line.objects.select_related("section__entered_by"),
                             petition=petition, pk=line_id)  # fmt: skip
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            line = line_decide(line_id=line.pk, choice=form.cleaned_data["choice"],
                               reviewer=request.user)  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:  # the page shows the decision with its Undo: no message of its own
            request.session[_DECIDED.format(petition.pk)] = line.pk
            if form.cleaned_data["next"] == "queue":
                return redirect("petitions:review", slug=slug)
        return redirect("petitions:review_line", slug=slug, line_id=line.pk)
    if request.method == "POST":
        messages.error(request, "Pick a candidate (1-5) or a status.")
    return render(request, "petitions/review.html", _review_context(request, petition, line))


@login_required
@permission_required("petitions.review_line", raise_exception=True)
@require_GET
def review_decisions_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The reviewer's own recent decisions, each linking to its line (where it can be undone)."""
    petition = petition_or_404(request, slug)
    return render(request, "petitions/review_decisions.html", {
        "petition": petition, "recent": review_decisions(petition, request.user, limit=100),
    })  # fmt: skip


@login_required
@permission_required("petitions.review_line", raise_exception=True)
@require_POST
def review_skip(request: AuthenticatedHttpRequest, slug: str, line_id: int) -> HttpResponse:
    petition = petition_or_404(request, slug)
    key = _SKIPPED.format(petition.pk)
    request.session[key] = [*request.session.get(key, []), line_id][-500:]
    return redirect("petitions:review", slug=slug)


@login_required
@permission_required("petitions.review_line", raise_exception=True)
@require_POST
def transcription_settle(
    request: AuthenticatedHttpRequest, slug: str, second_id: int
) -> HttpResponse:
    """Keep the first transcription of a double-entered line, or take the second."""
    petition = petition_or_404(request, slug)
    second = get_object_or_404(SecondEntry, section__petition=petition, pk=second_id)
    try:
        line = transcription_choose(second_id=second.pk, choice=request.POST.get("choice", ""),
                                    reviewer=request.user)  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        request.session[_DECIDED.format(petition.pk)] = line.pk
    return redirect("petitions:review", slug=slug)


@login_required
@permission_required("petitions.review_line", raise_exception=True)
@require_POST
def event_undo_view(request: AuthenticatedHttpRequest, slug: str, event_id: int) -> HttpResponse:
    """Undo a line's latest change (from its history, or the decision just made); back to the
    queue when asked from there, else to the line's page."""
    petition = petition_or_404(request, slug)
    event = get_object_or_404(LineEvent, petition=petition, pk=event_id)
    try:
        line = event_undo(event_id=event.pk, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _undo_sentence(event, line))
        if request.session.get(_DECIDED.format(petition.pk)) == line.pk:
            del request.session[_DECIDED.format(petition.pk)]
    if request.POST.get("next") == "queue":
        return redirect("petitions:review", slug=slug)
    return redirect("petitions:review_line", slug=slug, line_id=event.line_id)
