"""Circulators as records: matching the names typed on sections, merging, contact and pay terms.

A section keeps its circulator's name and address as the paper gives them; `Section.circulator`
is the record whose name key (matching.text.fold of the name: case, accents, punctuation and
spacing aside) is the typed name's, or that a record of that key was merged into
(CirculatorAlias). A typed name no record has yet makes one.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.text import fold
from petitions.models import (
    Circulator,
    CirculatorAlias,
    CirculatorMergeDismissal,
    CirculatorShift,
    PayEntry,
    Petition,
    Section,
)
from recall.lib.text import visible_text
from recall.models import AuditAction, audit

# The record a typed name makes: the first section's spelling and address, unpaid.
_CREATE_SQL = """
    INSERT INTO petitions_circulator
        (name, name_key, address, phone, email, kind, pay_basis, rate, created_at)
    SELECT DISTINCT ON (v.key) left(s.circulator_name, 200), v.key, s.circulator_address, '', '',
           %s, %s, 0, now()
    FROM unnest(%s::text[], %s::text[]) AS v(name, key)
    JOIN petitions_section s ON s.circulator_name = v.name AND s.id = ANY(%s)
    WHERE NOT EXISTS (SELECT 1 FROM petitions_circulatoralias a WHERE a.name_key = v.key)
    ORDER BY v.key, s.id
    ON CONFLICT (name_key) DO NOTHING
"""
_LINK_SQL = """
    UPDATE petitions_section s
    SET circulator_id = coalesce(a.circulator_id, c.id)
    FROM unnest(%s::text[], %s::text[]) AS v(name, key)
    LEFT JOIN petitions_circulatoralias a ON a.name_key = v.key
    LEFT JOIN petitions_circulator c ON c.name_key = v.key
    WHERE s.id = ANY(%s) AND s.circulator_name = v.name
      AND s.circulator_id IS DISTINCT FROM coalesce(a.circulator_id, c.id)
"""


def circulators_link(*, section_ids: Sequence[int]) -> int:
    """Link sections to the records their typed circulator names match, making the records no
    name has yet; a section with no name keeps none. Set-based: the distinct names are folded
    here (matching.text.fold), the rest is two statements. Returns the sections changed."""
    ids = list(section_ids)
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT circulator_name FROM petitions_section WHERE id = ANY(%s)", [ids]
        )
        named = [(name, fold(name)[:200]) for (name,) in cursor.fetchall()]
        names = [name for name, key in named if key]
        keys = [key for _, key in named if key]
        changed = 0
        if names:
            unpaid = [Circulator.Kind.VOLUNTEER, Circulator.PayBasis.PER_VALID_LINE]
            cursor.execute(_CREATE_SQL, [*unpaid, names, keys, ids])
            cursor.execute(_LINK_SQL, [names, keys, ids])
            changed = cursor.rowcount
        blank = [name for name, key in named if not key]
        if blank:
            cursor.execute(
                "UPDATE petitions_section SET circulator_id = NULL WHERE id = ANY(%s) "
                "AND circulator_name = ANY(%s) AND circulator_id IS NOT NULL",
                [ids, blank],
            )
            changed += cursor.rowcount
    return changed


CONTACT_FIELDS = ("address", "phone", "email")
PAY_FIELDS = ("kind", "pay_basis", "rate")


def _state(circulator: Circulator) -> dict[str, str]:
    return {field: str(getattr(circulator, field)) for field in (*CONTACT_FIELDS, *PAY_FIELDS)}


@transaction.atomic
def circulator_update(
    *,
    circulator: Circulator,
    user: User | None,
    address: str,
    phone: str,
    email: str,
    kind: str,
    pay_basis: str,
    rate: Decimal,
) -> Circulator:
    """Change a circulator's contact and pay terms (the audit log keeps before and after). A new
    rate applies to lines earned from the next pay-period close on; what was earned stays."""
    if rate < 0:
        raise ValidationError({"rate": _("The rate cannot be negative.")})
    if kind not in Circulator.Kind.values:
        raise ValidationError({"kind": _("Choose volunteer or paid.")})
    if pay_basis not in Circulator.PayBasis.values:
        raise ValidationError({"pay_basis": _("Choose how the circulator is paid.")})
    locked = Circulator.objects.select_for_update().get(pk=circulator.pk)
    before = _state(locked)
    locked.address = visible_text(address).strip()
    locked.phone = visible_text(phone).strip()
    locked.email = email.strip()
    locked.kind, locked.pay_basis = kind, pay_basis
    locked.rate = rate.quantize(Decimal("0.01"))
    after = _state(locked)
    if after != before:
        locked.save(update_fields=[*CONTACT_FIELDS, *PAY_FIELDS])
        changed = {k: v for k, v in after.items() if before[k] != v}
        audit(user=user, action=AuditAction.CIRCULATOR_CHANGED, target=_target(locked),
              before={k: before[k] for k in changed}, after=changed)  # fmt: skip
    return locked


@transaction.atomic
def circulator_shift_add(
    *, circulator: Circulator, day: date, hours: Decimal, user: User | None
) -> CirculatorShift:
    """Hours an hourly circulator worked on a day (paid at the next close of its period)."""
    if not Decimal(0) < hours <= Decimal(24):
        raise ValidationError({"hours": _("Hours must be more than 0 and at most 24.")})
    if day > timezone.localdate():
        raise ValidationError({"day": _("%(day)s is in the future.") % {"day": day.isoformat()}})
    # Not before the campaign began: the first petition's approval (or its creation, if none is
    # approved yet). A shift dated years back would be paid at the next close.
    first = Petition.objects.aggregate(approved=Min("approved_on"), created=Min("created_at"))
    began = first["approved"] or (first["created"] and timezone.localdate(first["created"]))
    if began and day < began:
        raise ValidationError({"day": _(
            "%(day)s is before the campaign began (%(began)s)."
        ) % {"day": day.isoformat(), "began": began.isoformat()}})  # fmt: skip
    shift = CirculatorShift.objects.create(
        circulator=circulator, day=day, hours=hours.quantize(Decimal("0.01")), entered_by=user
    )
    audit(user=user, action=AuditAction.CIRCULATOR_CHANGED, target=_target(circulator),
          shift={"day": day.isoformat(), "hours": str(shift.hours)})  # fmt: skip
    return shift


def _target(circulator: Circulator) -> str:
    return f"circulator {circulator.name} (#{circulator.pk})"


def _pair(first_id: int, second_id: int) -> tuple[int, int]:
    return (first_id, second_id) if first_id < second_id else (second_id, first_id)


@transaction.atomic
def circulator_merge(*, keep_id: int, drop_id: int, user: User | None) -> Circulator:
    """Merge one circulator record into another (the same person typed two ways).

    1. Lock both; refuse the same record twice, and a record already in the pay ledger as the
       one to drop (its ledger would change hands: keep it instead), or two paid records.
    2. Move the dropped record's sections, shifts and aliases to the kept one; its name key
       becomes an alias, so sections typed that way keep linking here.
    3. Fill the kept record's blank contact fields from the dropped one; delete the dropped one
       (and any dismissal naming it). The audit log records both names and what moved.
    """
    if keep_id == drop_id:
        raise ValidationError(_("A circulator cannot be merged into itself."))
    found = {c.pk: c for c in Circulator.objects.select_for_update().filter(
        pk__in=_pair(keep_id, drop_id)).order_by("pk")}  # fmt: skip
    if keep_id not in found or drop_id not in found:
        raise ValidationError(_("That circulator no longer exists (merged already?)."))
    keep, drop = found[keep_id], found[drop_id]
    if PayEntry.objects.filter(circulator=drop).exists():
        if PayEntry.objects.filter(circulator=keep).exists():
            raise ValidationError(
                _("%(a)s and %(b)s both have pay in the ledger: they cannot be merged.")
                % {"a": keep.name, "b": drop.name}
            )
        raise ValidationError(
            _("%(name)s has pay in the ledger: merge the other record into it instead.")
            % {"name": drop.name}
        )
    sections = Section.objects.filter(circulator=drop).update(circulator=keep)
    shifts = CirculatorShift.objects.filter(circulator=drop).update(circulator=keep)
    CirculatorAlias.objects.filter(circulator=drop).update(circulator=keep)
    filled = [field for field in CONTACT_FIELDS
              if not getattr(keep, field) and getattr(drop, field)]  # fmt: skip
    for field in filled:
        setattr(keep, field, getattr(drop, field))
    if filled:
        keep.save(update_fields=filled)
    drop_key, drop_name = drop.name_key, drop.name
    drop.delete()  # its dismissals go with it (CASCADE)
    CirculatorAlias.objects.create(name_key=drop_key, circulator=keep)
    audit(user=user, action=AuditAction.CIRCULATORS_MERGED, target=_target(keep),
          merged={"id": drop_id, "name": drop_name, "name_key": drop_key},
          sections=sections, shifts=shifts, filled=filled)  # fmt: skip
    return keep


@transaction.atomic
def circulator_merge_dismiss(*, first_id: int, second_id: int, user: User | None) -> None:
    """Two records an organizer says are different people: not proposed again."""
    if first_id == second_id:
        raise ValidationError(_("Choose two different circulators."))
    first, second = _pair(first_id, second_id)
    names = dict(Circulator.objects.filter(pk__in=(first, second)).values_list("pk", "name"))
    if len(names) != 2:
        raise ValidationError(_("That circulator no longer exists (merged already?)."))
    _dismissal, created = CirculatorMergeDismissal.objects.get_or_create(
        first_id=first, second_id=second, defaults={"dismissed_by": user}
    )
    if created:
        target = f"circulators {names[first]} (#{first}) and {names[second]} (#{second})"
        audit(user=user, action=AuditAction.CIRCULATOR_MERGE_DISMISSED, target=target)
