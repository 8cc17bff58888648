"""Circulators' pages (organizers): the list, a circulator's figures, trend, sections, contact and
pay terms and ledger, merge proposals, and pay periods with their payroll CSV."""

import re
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from petitions.forms import CirculatorForm, PayCloseForm, ShiftForm
from petitions.models import Circulator, PayEntryKind
from petitions.selectors.circulators import (
    PAYROLL_HEADER,
    circulator_figures,
    circulator_ledger,
    circulator_list,
    circulator_sections,
    circulator_trend,
    ledger_lines,
    merge_proposals,
    pay_periods,
    payroll_rows,
    period_closed,
)
from petitions.services.circulators import (
    circulator_merge,
    circulator_merge_dismiss,
    circulator_shift_add,
    circulator_update,
)
from petitions.services.pay import pay_period_close, period_end, period_start_of
from petitions.views.common import form_errors
from recall.http import AuthenticatedHttpRequest
from recall.lib.csvsafe import csv_lines
from recall.models import AuditAction, audit


@login_required
@permission_required("petitions.view_circulator", raise_exception=True)
@require_GET
def circulator_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every circulator: sections, lines, validity, this year's pay against the 1099 threshold."""
    year = timezone.localdate().year
    return render(request, "petitions/circulator_list.html", {
        "rows": circulator_list(year), "year": year, "proposals": len(merge_proposals()),
    })  # fmt: skip


def _detail(
    request: AuthenticatedHttpRequest,
    circulator: Circulator,
    form: CirculatorForm | None = None,
    shift_form: ShiftForm | None = None,
) -> HttpResponse:
    initial = {field: getattr(circulator, field)
               for field in ("address", "phone", "email", "kind", "pay_basis", "rate")}  # fmt: skip
    context: dict[str, Any] = {
        "circulator": circulator,
        "figures": circulator_figures(circulator),
        "trend": circulator_trend(circulator),
        "sections": circulator_sections(circulator),
        "ledger": circulator_ledger(circulator),
        "shifts": circulator.shifts.all()[:50],
        "form": form or CirculatorForm(initial=initial),
        "shift_form": shift_form or ShiftForm(initial={"day": timezone.localdate()}),
    }
    status = 400 if (form and form.errors) or (shift_form and shift_form.errors) else 200
    return render(request, "petitions/circulator_detail.html", context, status=status)


@login_required
@permission_required("petitions.view_circulator", raise_exception=True)
@require_GET
def circulator_detail(request: AuthenticatedHttpRequest, circulator_id: int) -> HttpResponse:
    return _detail(request, get_object_or_404(Circulator, pk=circulator_id))


@login_required
@permission_required("petitions.change_circulator", raise_exception=True)
@require_POST
def circulator_edit(request: AuthenticatedHttpRequest, circulator_id: int) -> HttpResponse:
    """Change a circulator's contact and pay terms."""
    circulator = get_object_or_404(Circulator, pk=circulator_id)
    form = CirculatorForm(request.POST)
    if form.is_valid():
        try:
            circulator_update(circulator=circulator, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": circulator.name})
            return redirect("circulators:detail", circulator_id=circulator.pk)
    return _detail(request, circulator, form=form)


@login_required
@permission_required("petitions.change_circulator", raise_exception=True)
@require_POST
def circulator_shift(request: AuthenticatedHttpRequest, circulator_id: int) -> HttpResponse:
    """Record the hours an hourly circulator worked on a day."""
    circulator = get_object_or_404(Circulator, pk=circulator_id)
    form = ShiftForm(request.POST)
    if form.is_valid():
        try:
            circulator_shift_add(circulator=circulator, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The shift is recorded."))
            return redirect("circulators:detail", circulator_id=circulator.pk)
    return _detail(request, circulator, shift_form=form)


def _period_or_404(period: str) -> date:
    try:
        start = date.fromisoformat(period)
    except ValueError:
        raise Http404(_("%(period)s is not a date (YYYY-MM-DD).") % {"period": period}) from None
    if period_start_of(start) != start or not period_closed(start):
        raise Http404(_("No pay period starting on %(day)s has been closed.")
                      % {"day": start.isoformat()})  # fmt: skip
    return start


@login_required
@permission_required("petitions.manage_pay", raise_exception=True)
@require_GET
def circulator_pay(
    request: AuthenticatedHttpRequest, circulator_id: int, period: str
) -> HttpResponse:
    """The lines and shifts behind a circulator's ledger entries for one pay period."""
    circulator = get_object_or_404(Circulator, pk=circulator_id)
    start = _period_or_404(period)
    rows = ledger_lines(circulator, start)
    totals = {kind: sum((r.amount for r in rows if r.kind == kind), start=0)
              for kind in PayEntryKind.values}  # fmt: skip
    return render(request, "petitions/circulator_pay.html", {
        "circulator": circulator, "start": start, "end": period_end(start), "rows": rows,
        "totals": totals, "kinds": PayEntryKind,
    })  # fmt: skip


@login_required
@permission_required("petitions.change_circulator", raise_exception=True)
@require_GET
def merge_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Records whose names are nearly the same: merge them, or say they are different people."""
    return render(request, "petitions/circulator_merge.html", {"proposals": merge_proposals()})


_ID = re.compile(r"[0-9]{1,18}")


def _ids(request: AuthenticatedHttpRequest, *names: str) -> list[int] | None:
    # ASCII digits only: str.isdigit() takes "²", which int() refuses.
    values = [request.POST.get(name, "") for name in names]
    return [int(v) for v in values] if all(_ID.fullmatch(v) for v in values) else None


@login_required
@permission_required("petitions.change_circulator", raise_exception=True)
@require_POST
def merge_do(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Merge one record into another (keep, drop)."""
    ids = _ids(request, "keep", "drop")
    if ids is None:
        messages.error(request, _("Choose which record to keep."))
        return redirect("circulators:merge")
    try:
        kept = circulator_merge(keep_id=ids[0], drop_id=ids[1], user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Merged into %(name)s.") % {"name": kept.name})
    return redirect("circulators:merge")


@login_required
@permission_required("petitions.change_circulator", raise_exception=True)
@require_POST
def merge_dismiss(request: AuthenticatedHttpRequest) -> HttpResponse:
    ids = _ids(request, "first", "second")
    if ids is None:
        messages.error(request, _("Choose two different circulators."))
        return redirect("circulators:merge")
    try:
        circulator_merge_dismiss(first_id=ids[0], second_id=ids[1], user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("They will not be proposed again."))
    return redirect("circulators:merge")


def _pay_page(
    request: AuthenticatedHttpRequest, form: PayCloseForm, status: int = 200
) -> HttpResponse:
    return render(request, "petitions/pay_periods.html",
                  {"form": form, "periods": pay_periods()}, status=status)  # fmt: skip


@login_required
@permission_required("petitions.manage_pay", raise_exception=True)
@require_GET
def pay_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The pay periods closed, their totals and payroll CSVs, and the button to close one."""
    today = timezone.localdate()
    last = period_start_of(period_start_of(today) - timedelta(days=1))
    return _pay_page(request, PayCloseForm(initial={"period": last}))


@login_required
@permission_required("petitions.manage_pay", raise_exception=True)
@require_POST
def pay_close(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Close a pay period: earn, hold, release, claw back and pay from the lines as they are."""
    form = PayCloseForm(request.POST)
    if form.is_valid():
        try:
            report = pay_period_close(period_start=form.cleaned_data["period"], user=request.user)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            values = {"start": report.period_start.isoformat(),
                      "end": report.period_end.isoformat(), "n": report.circulators,
                      "paid": report.totals.get(PayEntryKind.PAYMENT, 0)}  # fmt: skip
            messages.success(request, ngettext(
                "Pay period %(start)s to %(end)s closed: %(n)s circulator with new entries, "
                "%(paid)s paid.",
                "Pay period %(start)s to %(end)s closed: %(n)s circulators with new entries, "
                "%(paid)s paid.", report.circulators) % values)  # fmt: skip
            return redirect("circulators:pay")
    return _pay_page(request, form, status=400)


@login_required
@permission_required("petitions.manage_pay", raise_exception=True)
@require_GET
def pay_csv(request: AuthenticatedHttpRequest, period: str) -> StreamingHttpResponse:
    """A closed period's payroll as CSV (payees' addresses: each download recorded)."""
    start = _period_or_404(period)
    rows = payroll_rows(start)
    audit(user=request.user, action=AuditAction.DOWNLOAD,
          target=f"payroll of pay period {start.isoformat()}", rows=len(rows))  # fmt: skip
    response = StreamingHttpResponse(csv_lines([PAYROLL_HEADER, *rows]),
                                     content_type="text/csv; charset=utf-8")  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="payroll-{start.isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    return response
