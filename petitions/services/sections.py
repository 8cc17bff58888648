"""Holding, releasing and filing sections (issue 21): an organizer's writes, each audited."""

from collections.abc import Sequence
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from petitions.models import Petition, Section
from recall.models import AuditAction, audit

HOLD_REASON_MAX = 500


def _target(section: Section, petition: Petition) -> str:
    return f"petition {petition.slug}: section {section.serial}"


def _section_of(petition: Petition, section_id: int) -> Section:
    """The section, locked, refused unless it is this petition's."""
    section = Section.objects.select_for_update().filter(pk=section_id).first()
    if section is None or section.petition_id != petition.pk:
        raise ValidationError(
            _("There is no such section in petition %(petition)s.") % {"petition": petition.slug}
        )
    return section


def _forget(petition: Petition) -> None:
    """The cached verdict reads the lines a hold takes out: dropped after commit (its key names
    the held sections too). The suspect list is not: it reads the holds afresh on every view."""
    from petitions.progress import registrar_forget

    transaction.on_commit(lambda: registrar_forget(petition))


@transaction.atomic
def section_hold(*, petition: Petition, section_id: int, reason: str, by: User) -> Section:
    """Hold a section: its lines leave the counts and the filing until it is released.

    1. Refuse a section of another petition, no reason, a section held or filed already.
    2. Mark it held (who, when, why) and record it in the audit log.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the section is held.")})
    if len(reason) > HOLD_REASON_MAX:
        raise ValidationError(
            {"reason": _("At most %(max)s characters.") % {"max": HOLD_REASON_MAX}}
        )
    section = _section_of(petition, section_id)
    if section.held_at is not None:
        raise ValidationError(_("Section %(serial)s is held already.") % {"serial": section.serial})
    if section.filed_on is not None:
        raise ValidationError(
            _("Section %(serial)s was filed on %(day)s: a filed section cannot be held.")
            % {"serial": section.serial, "day": section.filed_on.isoformat()}
        )
    section.held_at, section.held_by, section.hold_reason = timezone.now(), by, reason
    section.save(update_fields=["held_at", "held_by", "hold_reason"])
    audit(user=by, action=AuditAction.SECTION_HELD, target=_target(section, petition),
          reason=reason, lines=section.lines.count())  # fmt: skip
    _forget(petition)
    return section


@transaction.atomic
def section_release(*, petition: Petition, section_id: int, by: User, note: str = "") -> Section:
    """Release a held section: its lines count again. The hold's reason goes to the audit log
    with the release."""
    section = _section_of(petition, section_id)
    if section.held_at is None:
        raise ValidationError(_("Section %(serial)s is not held.") % {"serial": section.serial})
    held_reason, held_at = section.hold_reason, section.held_at
    section.held_at, section.held_by, section.hold_reason = None, None, ""
    section.save(update_fields=["held_at", "held_by", "hold_reason"])
    audit(user=by, action=AuditAction.SECTION_RELEASED, target=_target(section, petition),
          held_reason=held_reason, held_at=held_at.isoformat(timespec="seconds"),
          note=" ".join(note.split())[:HOLD_REASON_MAX])  # fmt: skip
    _forget(petition)
    return section


@transaction.atomic
def sections_file(
    *, petition: Petition, filed_on: date, by: User, section_ids: Sequence[int] | None = None
) -> int:
    """Mark sections filed on a day: those chosen, or (None) every section neither held nor
    filed. Returns how many were marked.

    1. Refuse a day in the future or before the petition's approval.
    2. Refuse a chosen section of another petition, held, or filed already.
    3. Mark them in one UPDATE and record it in the audit log (the serials).
    """
    today = timezone.localdate()
    if filed_on > today:
        raise ValidationError({"filed_on": _("The filing day cannot be after today.")})
    if petition.approved_on and filed_on < petition.approved_on:
        raise ValidationError(
            {"filed_on": _("The filing day cannot be before the petition was approved (%(day)s).")
             % {"day": petition.approved_on.isoformat()}}
        )  # fmt: skip
    sections = Section.objects.select_for_update().filter(petition=petition)
    if section_ids is None:
        chosen = list(sections.filter(held_at__isnull=True, filed_on__isnull=True))
    else:
        ids = set(section_ids)
        chosen = list(sections.filter(pk__in=ids))
        if len(chosen) != len(ids):
            raise ValidationError(
                _("Some of the sections chosen are not in petition %(petition)s.")
                % {"petition": petition.slug}
            )
        refused = sorted(s.serial for s in chosen if s.held_at or s.filed_on)
        if refused:
            raise ValidationError(
                _("Held or filed already, not filed again: sections %(serials)s.")
                % {"serials": ", ".join(map(str, refused))}
            )
    if not chosen:
        raise ValidationError(_("No section to file: every one is held or filed already."))
    Section.objects.filter(pk__in=[s.pk for s in chosen]).update(filed_on=filed_on)
    serials = sorted(s.serial for s in chosen)
    audit(user=by, action=AuditAction.SECTIONS_FILED, target=f"petition {petition.slug}",
          filed_on=filed_on.isoformat(), sections=len(serials), serials=serials[:1000],
          all_ready=section_ids is None)  # fmt: skip
    _forget(petition)
    return len(chosen)


@transaction.atomic
def sections_unfile(*, petition: Petition, section_ids: Sequence[int], by: User) -> int:
    """Take back a filing marked by mistake: these sections are filed no more (each must be
    filed now). Recorded in the audit log with the days they had."""
    ids = set(section_ids)
    chosen = list(Section.objects.select_for_update().filter(petition=petition, pk__in=ids))
    if len(chosen) != len(ids):
        raise ValidationError(
            _("Some of the sections chosen are not in petition %(petition)s.")
            % {"petition": petition.slug}
        )
    unfiled = sorted(s.serial for s in chosen if s.filed_on is None)
    if unfiled:
        raise ValidationError(
            _("Not filed, nothing to take back: sections %(serials)s.")
            % {"serials": ", ".join(map(str, unfiled))}
        )
    Section.objects.filter(pk__in=ids).update(filed_on=None)
    audit(user=by, action=AuditAction.SECTIONS_UNFILED, target=f"petition {petition.slug}",
          sections=len(chosen), filed={str(s.serial): s.filed_on.isoformat()
                                       for s in sorted(chosen, key=lambda s: s.serial)[:1000]
                                       if s.filed_on})  # fmt: skip
    _forget(petition)
    return len(chosen)
