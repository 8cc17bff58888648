"""Keying in paper sections: starting a section, saving and fixing its lines, double entry.

Each save is idempotent: the entry page gives every line form a client token (a UUID), and a save
sent again with the same token (a retry after a network hiccup, a double press) returns the line
already stored instead of a second one. A saved line is validated by the workers after commit; a
fixed line is validated again, and the change is kept in its history (LineEvent).

Blind double entry (a petition option): a second volunteer keys the same section without seeing
the first entry (SecondEntry); each line whose two transcriptions disagree goes to review.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypedDict

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from petitions.counties import COUNTY_NAMES, county_name
from petitions.models import (
    MAX_LINE_NUMBER,
    Line,
    LineEvent,
    LineEventKind,
    Petition,
    SecondEntry,
    Section,
)
from petitions.services import DATES_BACK, date_window_problem, zip_normalized
from petitions.services.circulators import circulators_link
from recall.lib.text import visible_text
from recall.models import AuditEvent, audit


def sections_for(user: User, petition: Petition | str) -> QuerySet[Section]:
    """The sections a user may open: a volunteer those they started and those handed to them
    (assigned_to, a scanned section), an organizer every one (of a petition, or of the
    petition with that slug)."""
    if not user.has_perm("petitions.view_petition"):
        return Section.objects.none()
    if isinstance(petition, str):
        sections = Section.objects.filter(petition__slug=petition)
    else:
        sections = Section.objects.filter(petition=petition)
    if user.has_perm("petitions.view_section"):
        return sections
    return sections.filter(Q(entered_by=user) | Q(assigned_to=user))


@transaction.atomic
def section_create(
    *,
    petition: Petition,
    serial: int,
    entered_by: User | None,
    circulator_name: str = "",
    circulator_address: str = "",
    circulated_from: date | None = None,
    circulated_to: date | None = None,
    declaration_signed: bool = True,
    received_on: date | None = None,
    county_code: str = "",
) -> Section:
    """A new section of the petition; a serial number already entered is refused, and so are
    dates before the petition's approval or in the future (a typo in the year). A petition of
    several counties needs each section's county (EC 11047), one of its own."""
    today = timezone.localdate()
    earliest = max(petition.approved_on or date.min, today - DATES_BACK)
    problems = {
        name: message
        for name, label, value in (
            ("circulated_from", _("the circulation start"), circulated_from),
            ("circulated_to", _("the circulation end"), circulated_to),
            ("received_on", _("the day received"), received_on),
        )
        # A day ahead: the campaign's evening is already tomorrow somewhere.
        if (message := date_window_problem(label, value, earliest, today + timedelta(days=1)))
    }
    if county_problem := section_county_problem(petition, county_code):
        problems["county_code"] = county_problem
    if problems:
        raise ValidationError(problems)
    if circulated_from and circulated_to and circulated_to < circulated_from:
        raise ValidationError({"circulated_to": _("The circulation cannot end before it starts.")})
    if Section.objects.filter(petition=petition, serial=serial).exists():
        raise ValidationError({"serial": _already_entered(serial)})
    try:
        with transaction.atomic():
            section = Section.objects.create(
                petition=petition, serial=serial, entered_by=entered_by,
                circulator_name=visible_text(circulator_name).strip(),
                circulator_address=visible_text(circulator_address).strip(),
                circulated_from=circulated_from, circulated_to=circulated_to,
                declaration_signed=declaration_signed, received_on=received_on,
                county_code=county_code,
            )  # fmt: skip
    except IntegrityError as exc:  # entered by someone else at the same moment
        raise ValidationError({"serial": _already_entered(serial)}) from exc
    # The typed circulator's record (made if the name is new).
    circulators_link(section_ids=[section.pk])
    section.refresh_from_db(fields=["circulator"])
    return section


def section_county_problem(petition: Petition, county_code: str) -> str | None:
    """Why a section cannot be of this county (a code; blank: none given), or None."""
    counties = petition.electorate_counties or []
    if county_code and county_code not in (counties or COUNTY_NAMES):
        if not counties:
            return _("%(code)s is not a California county code") % {"code": county_code}
        return _("%(county)s is not one of the petition's counties") % {
            "county": county_name(county_code)
        }
    if not county_code and len(counties) > 1:
        return _("Give the county the section was circulated in: each counts its own (EC 11047).")
    return None


def _already_entered(serial: int) -> str:
    return _("Section %(serial)s has already been entered.") % {"serial": serial}


class LineFields(TypedDict):
    """A line's fields as keyed (LINE_FIELDS)."""

    printed_name: str
    residence_address: str
    city: str
    zip: str
    signed: bool


@dataclass(frozen=True)
class LineInput:
    printed_name: str = ""
    residence_address: str = ""
    city: str = ""
    zip: str = ""
    signed: bool = True
    number: int | None = None  # the next free number when not given
    blank: bool = False  # the paper line is blank or crossed out

    def __post_init__(self) -> None:
        # Copied from paper: invisible format and control characters (a bidi override, a
        # zero-width space from a paste) are noise, stripped before anything reads the text.
        for name in ("printed_name", "residence_address", "city", "zip"):
            object.__setattr__(self, name, visible_text(getattr(self, name)))

    def fields(self) -> LineFields:
        """The line's stored fields, trimmed and normalised (a blank line keeps none)."""
        if self.blank:
            return {"printed_name": "", "residence_address": "", "city": "", "zip": "",
                    "signed": False}  # fmt: skip
        return {
            "printed_name": self.printed_name.strip(),
            "residence_address": self.residence_address.strip(),
            "city": self.city.strip(),
            "zip": zip_normalized(self.zip.strip()) or "",
            "signed": self.signed,
        }


NUMBER_RANGE = gettext_lazy("Line numbers run from 1 to %(max)s.")
LINE_FIELDS = ("printed_name", "residence_address", "city", "zip", "signed")
DECISION_FIELDS = ("status", "voter_registrant_id", "counted", "namesakes", "score", "reason")
BLANK_REASON = {"rule": "blank", "summary": "blank or crossed out on the paper"}


def line_state(line: Line) -> dict[str, Any]:
    """What a history event keeps of a line: its fields as keyed and its decision."""
    return {name: getattr(line, name) for name in (*LINE_FIELDS, *DECISION_FIELDS)}


def line_save(
    *,
    section: Section,
    data: LineInput,
    client_token: uuid.UUID,
    entered_by: User | None,
    gap_ok: bool = False,
) -> Line:
    """Store one keyed line (or return the one this token already stored) and queue its check.

    A line with neither a name nor an address is refused unless marked blank (crossed out); an
    unsigned or half-filled line is stored and decided `incomplete`, as the registrar would. A
    typed number past the next one (15 after 10) raises LineNumberGap unless gap_ok: the
    volunteer was shown the lines it skips and saves it anyway.
    """
    existing = Line.objects.filter(client_token=client_token).first()
    if existing is not None:
        if existing.section_id != section.pk:
            # A row's token saved a line in another section (a page restored from history, a
            # copied form): never move that line; nothing is stored here either.
            raise ValidationError(
                _(
                    "This entry row already saved line %(number)s of section %(serial)s; "
                    "nothing was saved here: reload the page to key this line."
                )
                % {"number": existing.number, "serial": existing.section.serial}
            )
        return existing
    _check(data)
    try:
        with transaction.atomic():
            # One volunteer per section at a time is the rule; the lock makes "next number"
            # safe when two tabs save at once anyway.
            Section.objects.select_for_update().get(pk=section.pk)
            number = data.number or _next_number(Line, section)  # free under the lock
            _check_number(number)
            if data.number and Line.objects.filter(section=section, number=number).exists():
                raise ValidationError({"number": _line_entered(number)})
            if data.number and not gap_ok:
                _check_gap(Line, section, number)
            line = Line.objects.create(
                petition_id=section.petition_id, section=section, number=number,
                client_token=client_token, entered_by=entered_by, **data.fields(),
                **_blank_decision(data),
            )  # fmt: skip
            _compare_transcriptions(section, number)
            if not data.blank:
                _enqueue_on_commit(section.petition_id)
    except IntegrityError:
        # The same token saved by a concurrent retry: that save won; return its line.
        existing = Line.objects.filter(client_token=client_token).first()
        if existing is None:
            raise
        return existing
    return line


@transaction.atomic
def line_update(
    *,
    line_id: int,
    data: LineInput,
    edited_by: User | None,
    note: str = "",
    undoes: LineEvent | None = None,
    by_review: bool = False,
) -> Line:
    """Fix a saved line: keep the change in its history and validate the line again.

    1. Lock the line; if nothing changed, stop. Outside review (by_review: a transcription
       chosen, an undo), a line whose two transcriptions a reviewer settled is refused: it
       changes only through review.
    2. Store the new fields; the line is pending again (or blank) and no longer counts. A line
       a reviewer decided by hand goes back to the review queue instead, with the reviewer's
       decision in its reason: a fix never undoes a reviewer's decision by itself.
    3. If it counted for a voter, that voter's next line counts in its place until the
       re-validation decides (the count never holds a voter twice, nor drops one meanwhile).
    4. Record the event (before and after); compare with a second entry; queue validation.
    """
    line = (
        Line.objects.select_for_update(of=("self",))
        .select_related("section__petition")
        .get(pk=line_id)
    )
    _check(data, partial_number=False)
    fields = data.fields()
    if (
        undoes is None
        and all(getattr(line, n) == v for n, v in fields.items())
        and (data.blank == (line.status == Line.Status.BLANK))
    ):
        return line
    if not by_review and _settled(line):
        raise ValidationError(
            _(
                "A reviewer settled the two transcriptions of line %(number)s: it changes only "
                "through review (a reviewer can reopen it from the line's history)."
            )
            % {"number": line.number}
        )
    before = line_state(line)
    was_counted, voter = line.counted, line.voter_registrant_id
    decision = _blank_decision(data, reset=True)
    if not data.blank and _reviewed(line):
        decision = _review_again(line, before, fields)
    for name, value in {**fields, **decision}.items():
        setattr(line, name, value)
    line.save(update_fields=[*fields, *DECISION_FIELDS, "validated_at", "updated_at"])
    line_event_record(line=line, user=edited_by, before=before, note=note, undoes=undoes,
                      kind=LineEvent.Kind.UNDONE if undoes else LineEvent.Kind.EDITED)  # fmt: skip
    if was_counted and voter:
        from petitions.validation import line_promote_replacement

        line_promote_replacement(petition_id=line.petition_id, registrant_id=voter)
    _compare_transcriptions(line.section, line.number)
    if line.status == Line.Status.PENDING:
        _enqueue_on_commit(line.petition_id)
    return line


# The reason rule of a line a reviewer decided by hand and a keyer fixed since: it waits for a
# reviewer (re-validation leaves it alone, as it does a reviewer's decision).
REVIEW_AGAIN = "fixed_after_review"


def _reviewed(line: Line) -> bool:
    """Decided by hand (or waiting for a reviewer after such a decision was fixed)."""
    from petitions.validation import MANUAL

    return line.reason.get("rule") in (MANUAL, REVIEW_AGAIN)


def _settled(line: Line) -> bool:
    """A reviewer settled a disagreement between the line's two transcriptions."""
    return SecondEntry.objects.filter(
        section_id=line.section_id, number=line.number, resolved_at__isnull=False
    ).exists()


def _review_again(line: Line, before: dict[str, Any], fields: LineFields) -> dict[str, Any]:
    """The decision fields of a hand-decided line that was fixed: needs review, with the
    candidates for the new text (the reviewer picks again) and the reviewer's decision kept."""
    from matching.compare import line_keys
    from matching.decide import decide
    from petitions.decisions import decision_for
    from voters.matching import find_candidates
    from voters.selectors import active_roll

    candidates: list[dict[str, Any]] = []
    roll = active_roll()
    if roll is not None:
        keys = line_keys(fields["printed_name"], fields["residence_address"], fields["city"],
                         fields["zip"])  # fmt: skip
        found = find_candidates(roll.id, {line.pk: keys})
        outcome = decide(
            keys, found.ranked(line.pk), signed=fields["signed"], **found.facts(line.pk)
        )
        candidates = list(decision_for(outcome, withdrawn=line.withdrawn).candidates)
    hand = before["reason"].get("hand_decision") or {
        "status": before["status"], "summary": before["reason"].get("summary", "")
    }  # fmt: skip
    with translation.override("en"):  # stored: the reasons the workers write are English
        label = Line.Status(hand["status"]).label.lower()
    return {
        "status": Line.Status.NEEDS_REVIEW, "voter_registrant_id": "", "counted": False,
        "namesakes": [], "score": None, "validated_at": None,
        "reason": {"rule": REVIEW_AGAIN, "candidates": candidates, "hand_decision": hand,
                   "summary": f"fixed after a reviewer decided it ({label}): decide again"},
    }  # fmt: skip


def _blank_decision(data: LineInput, *, reset: bool = False) -> dict[str, Any]:
    """The decision fields of a new (or fixed) line: blank is final, anything else pending."""
    decided: dict[str, Any] = (
        {"status": Line.Status.BLANK, "reason": BLANK_REASON} if data.blank else {}
    )
    if not reset:
        return decided
    return {"status": Line.Status.PENDING, "voter_registrant_id": "", "counted": False,
            "namesakes": [], "score": None, "reason": {}, "validated_at": None,
            **decided}  # fmt: skip


def _enqueue_on_commit(petition_id: int) -> None:
    """After commit, a worker for the saved line (unless one is queued and not started yet: it
    will claim this line with the rest)."""
    from petitions.validation import validation_request

    transaction.on_commit(lambda: validation_request(petition_id=petition_id))


def _next_number(model: type[Line] | type[SecondEntry], section: Section) -> int:
    top = model.objects.filter(section=section).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


class LineNumberGap(ValidationError):
    """A typed line number past the next one (15 after 10): the lines between are not keyed.
    Most often a slip of the finger (51 for 15), and a saved line keeps its number, so the
    volunteer confirms it before it is stored."""

    def __init__(self, number: int, missing: range) -> None:
        self.number, self.missing = number, missing
        self.warning = ngettext(
            "Line %(number)s leaves a gap: %(lines)s is not keyed yet. Check the number on the "
            "paper: correct it, or save again to keep line %(number)s and key the others later.",
            "Line %(number)s leaves a gap: %(lines)s are not keyed yet. Check the number on the "
            "paper: correct it, or save again to keep line %(number)s and key the others later.",
            len(missing),
        ) % {"number": number, "lines": line_numbers_text(missing)}
        super().__init__({"number": self.warning})


def _check_gap(model: type[Line] | type[SecondEntry], section: Section, number: int) -> None:
    following = _next_number(model, section)
    if number > following:
        raise LineNumberGap(number, range(following, number))


def missing_numbers(numbers: Iterable[int]) -> list[int]:
    """The line numbers below the highest one that are not in `numbers`."""
    present = set(numbers)
    return [n for n in range(1, max(present, default=0)) if n not in present]


def line_numbers_text(numbers: Iterable[int], *, most: int = 8) -> str:
    """'line 4', 'lines 4 and 5', 'lines 2, 11 to 14 and 20': runs of three or more as a
    range; past `most` items, how many more."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    items: list[str] = []
    for first, last in runs:
        if last - first >= 2:
            items.append(_("%(first)s to %(last)s") % {"first": first, "last": last})
        else:
            items += map(str, range(first, last + 1))
    if len(items) > most:
        items = [*items[: most - 1], _("%(count)s more") % {"count": len(items) - most + 1}]
    if not items:
        return ""
    plural = len(items) > 1 or runs[0][1] > runs[0][0]
    if len(items) == 1:
        listed = items[0]
    else:
        listed = _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
    if plural:
        return _("lines %(numbers)s") % {"numbers": listed}
    return _("line %(numbers)s") % {"numbers": listed}


def _check_number(number: int) -> None:
    """The number a line gets, typed or the next free one, within the section's limit."""
    if not 1 <= number <= MAX_LINE_NUMBER:
        range_ = NUMBER_RANGE % {"max": MAX_LINE_NUMBER}
        start = _("The next line would be %(number)s: start a new section.") % {"number": number}
        raise ValidationError({"number": f"{range_} {start}"})


def _line_entered(number: int) -> str:
    return _("Line %(number)s of this section is already entered.") % {"number": number}


def _check(data: LineInput, *, partial_number: bool = True) -> None:
    problems: dict[str, str] = {}
    if not data.blank and not data.printed_name.strip() and not data.residence_address.strip():
        problems["printed_name"] = _(
            "Type the printed name or the address, or save the line as Blank / crossed out."
        )
    if not data.blank and zip_normalized(data.zip.strip()) is None:  # the CSV import's rule
        problems["zip"] = _("'%(zip)s' is not a ZIP code (5 digits, or ZIP+4).") % {
            "zip": data.zip.strip()
        }
    if partial_number and data.number is not None and not 1 <= data.number <= MAX_LINE_NUMBER:
        problems["number"] = NUMBER_RANGE % {"max": MAX_LINE_NUMBER}
    for name, limit in (("printed_name", 200), ("residence_address", 300), ("city", 100)):
        if len(getattr(data, name)) > limit:
            problems[name] = _("At most %(limit)s characters.") % {"limit": limit}
    if problems:
        raise ValidationError(problems)


# Blind double entry -------------------------------------------------------------------------


def second_entry_sections(user: User, petition: Petition) -> QuerySet[Section]:
    """The sections this user keys as the second, blind transcriber (taken, or handed to them
    by an organizer: second_assigned_to)."""
    return Section.objects.filter(petition=petition).filter(
        Q(second_entered_by=user) | Q(second_assigned_to=user)
    )


@transaction.atomic
def second_entry_start(*, section: Section, user: User) -> Section:
    """Take a section to key a second time, blind (a petition with double entry only)."""
    section = (
        Section.objects.select_for_update(of=("self",))
        .select_related("petition")
        .get(pk=section.pk)
    )
    if not section.petition.double_entry:
        raise ValidationError({"serial": _already_entered(section.serial)})
    if user.pk in (section.entered_by_id, section.assigned_to_id):
        raise ValidationError({"serial": _(
            "You keyed section %(serial)s: another volunteer keys it again."
        ) % {"serial": section.serial}})  # fmt: skip
    if section.second_entered_by_id not in (None, user.pk) or (
        section.second_assigned_to_id not in (None, user.pk)
    ):
        raise ValidationError({"serial": _(
            "Section %(serial)s is already being keyed a second time."
        ) % {"serial": section.serial}})  # fmt: skip
    if section.second_entered_by_id is None:
        section.second_entered_by = user
        section.save(update_fields=["second_entered_by"])
    return section


def second_line_save(
    *,
    section: Section,
    data: LineInput,
    client_token: uuid.UUID,
    entered_by: User | None,
    gap_ok: bool = False,
) -> SecondEntry:
    """Store one line of the blind second transcription (idempotent by token), then compare;
    a gap in its numbers as in line_save."""
    existing = SecondEntry.objects.filter(client_token=client_token).first()
    if existing is not None:
        return existing
    _check(data)
    try:
        with transaction.atomic():
            Section.objects.select_for_update().get(pk=section.pk)
            number = data.number or _next_number(SecondEntry, section)
            _check_number(number)
            if SecondEntry.objects.filter(section=section, number=number).exists():
                raise ValidationError({"number": _line_entered(number)})
            if data.number and not gap_ok:
                _check_gap(SecondEntry, section, number)
            second = SecondEntry.objects.create(
                section=section, number=number, client_token=client_token,
                entered_by=entered_by, blank=data.blank, **data.fields(),
            )  # fmt: skip
            _compare_transcriptions(section, number)
    except IntegrityError:
        existing = SecondEntry.objects.filter(client_token=client_token).first()
        if existing is None:
            raise
        return existing
    second.refresh_from_db(fields=["agrees"])
    return second


def transcription_key(values: dict[str, Any], blank: bool) -> tuple[str | bool, ...]:
    """What two transcriptions must agree on: case, spacing and punctuation aside."""
    if blank:
        return ("blank",)

    def text(name: str) -> str:
        return " ".join(values[name].upper().replace(".", " ").replace(",", " ").split())

    return (text("printed_name"), text("residence_address"), text("city"),
            values["zip"][:5], bool(values["signed"]))  # fmt: skip


def _compare_transcriptions(section: Section, number: int) -> None:
    """Both transcriptions of a line keyed: note whether they agree (disagreements go to
    review); one settled by a reviewer stays settled. Nothing to do without double entry."""
    if not section.petition.double_entry:
        return
    second = (
        SecondEntry.objects.select_for_update()
        .filter(section=section, number=number, resolved_at__isnull=True)
        .first()
    )
    line = Line.objects.filter(section=section, number=number).first()
    if second is None or line is None:
        return
    agrees = transcription_key(
        {n: getattr(line, n) for n in LINE_FIELDS}, line.status == Line.Status.BLANK
    ) == transcription_key({n: getattr(second, n) for n in LINE_FIELDS}, second.blank)
    if second.agrees != agrees:
        second.agrees = agrees
        second.save(update_fields=["agrees"])


@transaction.atomic
def transcription_choose(*, second_id: int, choice: str, reviewer: User | None) -> Line:
    """Settle a double-entry disagreement: keep the first transcription or take the second."""
    second = SecondEntry.objects.select_for_update().get(pk=second_id)
    if second.resolved_at is not None or second.agrees is not False:
        raise ValidationError(_("This disagreement has been settled already."))
    line = Line.objects.select_related("section__petition").get(
        section_id=second.section_id, number=second.number
    )
    if choice == "second":
        data = LineInput(
            printed_name=second.printed_name, residence_address=second.residence_address,
            city=second.city, zip=second.zip, signed=second.signed, blank=second.blank,
        )  # fmt: skip
        line = line_update(line_id=line.pk, data=data, edited_by=reviewer, by_review=True,
                           note="second transcription taken")  # fmt: skip
    elif choice != "first":
        raise ValidationError(_("Choose the first or the second transcription."))
    second.resolved_at, second.resolved_by = timezone.now(), reviewer
    second.save(update_fields=["resolved_at", "resolved_by"])
    return line_event_record(line=line, kind=LineEvent.Kind.TRANSCRIPTION, user=reviewer,
                             before={"second_entry": second.pk},
                             note=f"{choice} transcription kept")  # fmt: skip


_AUDIT_ACTIONS = {
    LineEvent.Kind.EDITED: AuditEvent.Action.LINE_EDITED,
    LineEvent.Kind.REVIEWED: AuditEvent.Action.LINE_REVIEWED,
    LineEvent.Kind.UNDONE: AuditEvent.Action.LINE_UNDONE,
    LineEvent.Kind.TRANSCRIPTION: AuditEvent.Action.LINE_TRANSCRIPTION,
    LineEvent.Kind.WITHDRAWN: AuditEvent.Action.LINE_WITHDRAWN,
}


def line_event_record(
    *,
    line: Line,
    kind: LineEventKind,
    user: User | None,
    before: dict[str, Any],
    note: str = "",
    undoes: LineEvent | None = None,
) -> Line:
    """Keep a change of a line in its history and in the audit log (both append-only)."""
    after = line_state(line)
    LineEvent.objects.create(
        line=line, petition_id=line.petition_id, kind=kind, user=user, before=before,
        after=after, note=note[:300], undoes=undoes,
    )  # fmt: skip
    section = line.section
    audit(user=user, action=_AUDIT_ACTIONS[kind],
          target=f"petition {section.petition.slug}: section {section.serial} line {line.number}",
          line=line.pk, before=before, after=after, note=note[:300])  # fmt: skip
    return line
