"""Handing scanned sections out: an organizer assigns a section to a volunteer, or a volunteer
asks for the next one. A scanned section needs no paper, so it can be keyed from anywhere; the
assignment says whose it is (first entry: assigned_to; with double entry, the blind second:
second_assigned_to), and sections_for / second_entry_sections let the assignee open it.

"Next" takes the oldest scanned section nobody holds, under FOR UPDATE SKIP LOCKED: two
volunteers asking at the same moment lock different rows, so they never get the same section. A
volunteer who still holds an unfinished section gets that one back instead of a new one (no
hoarding: one section at a time, unless an organizer hands out more).
"""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from petitions.models import Line, Petition, SecondEntry, Section
from recall.models import AuditAction, audit
from recall.roles import VOLUNTEER
from scans.models import LineImage

FIRST, SECOND = "first", "second"


def assignable_volunteers() -> QuerySet[User]:
    """The people an organizer can hand a section to: active volunteers, by username."""
    return User.objects.filter(is_active=True, groups__name=VOLUNTEER).order_by("username")


def _imaged() -> Exists:
    return Exists(LineImage.objects.filter(section=OuterRef("pk")))


def _unkeyed_images(model: type[Line] | type[SecondEntry]) -> Exists:
    """The section has a line image whose line is not keyed yet (in this entry)."""
    keyed = model.objects.filter(section=OuterRef("section"), number=OuterRef("number"))
    return Exists(LineImage.objects.filter(section=OuterRef("pk")).exclude(Exists(keyed)))


def scanned_sections_waiting(petition: Petition) -> QuerySet[Section]:
    """Scanned sections nobody holds and nobody has started keying: what "next" hands out."""
    return (
        Section.objects.filter(petition=petition, assigned_to__isnull=True)
        .filter(_imaged())
        .exclude(Exists(Line.objects.filter(section=OuterRef("pk"))))
    )


def second_sections_waiting(petition: Petition, user: User) -> QuerySet[Section]:
    """Double entry: scanned sections whose first entry is done (every imaged line keyed),
    nobody holds for the second, and this user did not key first."""
    if not petition.double_entry:
        return Section.objects.none()
    return (
        Section.objects.filter(
            petition=petition, second_assigned_to__isnull=True, second_entered_by__isnull=True
        )
        .filter(_imaged(), Exists(Line.objects.filter(section=OuterRef("pk"))))
        .exclude(_unkeyed_images(Line))
        .exclude(Q(entered_by=user) | Q(assigned_to=user))
    )


def assigned_sections(user: User, petition: Petition) -> list[tuple[Section, str]]:
    """The sections handed to this user (first or second entry), oldest assignment first."""
    sections = Section.objects.filter(petition=petition).filter(
        Q(assigned_to=user) | Q(second_assigned_to=user)
    )
    return [
        (section, FIRST if section.assigned_to_id == user.pk else SECOND)
        for section in sections.order_by("assigned_at", "serial")
    ]


def _target(section: Section) -> str:
    return f"petition {section.petition.slug}: section {section.serial}"


@transaction.atomic
def section_assign(
    *, section_id: int, entry: str, volunteer: User | None, assigned_by: User
) -> Section:
    """Hand a section's first (or second) entry to a volunteer, or take it back (volunteer
    None); audited. The second keyer is never the first one: blind means two people."""
    section = (
        Section.objects.select_for_update(of=("self",))
        .select_related("petition", "assigned_to", "second_assigned_to")
        .get(pk=section_id)
    )
    if entry not in (FIRST, SECOND):
        raise ValidationError(_("Choose the first or the second entry."))
    if entry == SECOND and not section.petition.double_entry:
        raise ValidationError(
            _("This petition is keyed once: there is no second entry to hand out.")
        )
    if volunteer is not None and not assignable_volunteers().filter(pk=volunteer.pk).exists():
        raise ValidationError(
            _("%(name)s is not an active volunteer.") % {"name": volunteer.get_username()}
        )
    if volunteer is not None:
        firsts = {section.entered_by_id, section.assigned_to_id}
        seconds = {section.second_entered_by_id, section.second_assigned_to_id}
        if volunteer.pk in (firsts if entry == SECOND else seconds):
            raise ValidationError(
                _(
                    "%(name)s keys the other entry of section %(serial)s: the two entries are "
                    "keyed by two people."
                )
                % {"name": volunteer.get_username(), "serial": section.serial}
            )
    field = "assigned_to" if entry == FIRST else "second_assigned_to"
    before = getattr(section, field)
    setattr(section, field, volunteer)
    if volunteer is not None:
        section.assigned_at = timezone.now()
    section.save(update_fields=[field, "assigned_at"])
    audit(
        user=assigned_by, action=AuditAction.SECTION_ASSIGNED, target=_target(section),
        entry=entry, to=volunteer.get_username() if volunteer else None,
        before=before.get_username() if before else None,
    )  # fmt: skip
    return section


def _take(candidates: QuerySet[Section], field: str, user: User) -> Section | None:
    """Lock the oldest candidate no other transaction holds, and give it to the user."""
    section = (
        candidates.select_for_update(skip_locked=True, of=("self",))
        .select_related("petition")
        .order_by("created_at", "pk")
        .first()
    )
    if section is None:
        return None
    setattr(section, field, user)
    section.assigned_at = timezone.now()
    fields = [field, "assigned_at"]
    if field == "second_assigned_to" and section.second_entered_by_id is None:
        section.second_entered_by = user
        fields.append("second_entered_by")
    section.save(update_fields=fields)
    audit(user=user, action=AuditAction.SECTION_ASSIGNED, target=_target(section),
          entry=FIRST if field == "assigned_to" else SECOND, to=user.get_username(),
          before=None, asked=True)  # fmt: skip
    return section


@transaction.atomic
def section_take_next(*, user: User, petition: Petition) -> Section | None:
    """The section this volunteer keys next: an unfinished one they hold, else the oldest
    scanned section nobody holds or has started, now theirs; None when none is left."""
    held = (
        Section.objects.filter(petition=petition, assigned_to=user)
        .filter(_unkeyed_images(Line))
        .select_related("petition")
        .order_by("assigned_at", "pk")
        .first()
    )
    if held is not None:
        return held
    waiting = scanned_sections_waiting(petition).exclude(
        Q(second_entered_by=user) | Q(second_assigned_to=user)
    )
    return _take(waiting, "assigned_to", user)


@transaction.atomic
def second_take_next(*, user: User, petition: Petition) -> Section | None:
    """Double entry: the same for the blind second entry (a section whose first entry is
    done, keyed by someone else)."""
    if not petition.double_entry:
        return None
    held = (
        Section.objects.filter(petition=petition, second_assigned_to=user)
        .filter(_unkeyed_images(SecondEntry))
        .select_related("petition")
        .order_by("assigned_at", "pk")
        .first()
    )
    if held is not None:
        return held
    return _take(second_sections_waiting(petition, user), "second_assigned_to", user)
