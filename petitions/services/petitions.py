"""Writes to petitions: create one (its rules and plausible dates), require double entry."""

import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import cast

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from petitions import rules
from petitions.counties import COUNTY_NAMES, county_name
from petitions.electorate import Electorate, electorate_problems, registered_voters
from petitions.models import Petition
from recall.lib.text import invisible_problem
from recall.models import AuditEvent, audit
from voters.selectors import active_roll

# Plausible dates. A date outside these windows is a typo (a year 0226, 9999-12-31), refused on
# its field: stored, it would stretch every day-by-day series of the dashboard over centuries.
DATES_BACK = timedelta(days=3653)  # ten years: a campaign recorded after the fact, but not decades
APPROVAL_AHEAD = timedelta(days=366)  # a form approved up to a year from now
# The longest circulation: EC 11220's 160 days, with room for a court's extension.
LONGEST_CIRCULATION = timedelta(days=366)


def date_window_problem(label: str, value: date | None, earliest: date, latest: date) -> str:
    """Why a date falls outside [earliest, latest] (with what to check), or ""."""
    if value is None or earliest <= value <= latest:
        return ""
    return _(
        "%(label)s %(value)s is not plausible: give a day from %(earliest)s to %(latest)s "
        "(check the year)"
    ) % {"label": label, "value": value.isoformat(), "earliest": earliest.isoformat(),
         "latest": latest.isoformat()}  # fmt: skip


def petition_date_problems(
    approved_on: date | None, deadline: date | None, *, today: date | None = None
) -> dict[str, str]:
    """{field: why} for an approval day or deadline outside the plausible windows."""
    today = today or timezone.localdate()
    problems = {}
    if message := date_window_problem(
        _("the approval day"), approved_on, today - DATES_BACK, today + APPROVAL_AHEAD
    ):
        problems["approved_on"] = message
    if approved_on is not None and "approved_on" not in problems:
        earliest, latest = approved_on, approved_on + LONGEST_CIRCULATION
    else:
        earliest, latest = today - DATES_BACK, today + APPROVAL_AHEAD + LONGEST_CIRCULATION
    if deadline is not None and approved_on is not None and deadline < approved_on:
        problems["deadline"] = _(
            "deadline %(deadline)s is before the approval day %(approved)s"
        ) % {"deadline": deadline, "approved": approved_on}
    elif message := date_window_problem(_("the deadline"), deadline, earliest, latest):
        problems["deadline"] = message
    return problems


SLUG_LENGTH = 80  # Petition.slug's max_length


def petition_slug_for(title: str) -> str:
    """A slug made from the title that no petition uses yet: "recall-of-the-da", then
    "recall-of-the-da-2", "-3"... ("petition" for a title without a letter or digit)."""
    base = slugify(title)[:SLUG_LENGTH].strip("-") or "petition"
    taken = set(
        Petition.objects.filter(slug__startswith=base[: SLUG_LENGTH - 4]).values_list(
            "slug", flat=True
        )
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[: SLUG_LENGTH - len(suffix)].rstrip("-") + suffix
    return slug


# Petition settings a caller may pass to petition_create beyond the named arguments.
RULE_FIELDS = frozenset(
    {"duplicate_rule", "registration_rule", "sampling_rule", "double_entry", "county_code"}
)


def petition_create(
    *,
    title: str,
    slug: str = "",
    required: int | None = None,
    registration_base: int | None = None,
    approved_on: date | None = None,
    deadline: date | None = None,
    officer: str = "",
    jurisdiction: str = "",
    created_by: User | None = None,
    electorate_counties: Sequence[str] = (),
    electorate_city: str = "",
    electorate_districts: Mapping[str, Sequence[str]] | None = None,
    **rules_: object,
) -> Petition:
    """Create a petition, computing what the Elections Code fixes when it is not given.

    1. Check the inputs; a ValidationError maps each bad field to messages naming it (dates
       outside plausible windows too: see petition_date_problems). No slug: one derived from
       the title, unique (petition_slug_for).
    2. required_signatures: `required` if given (the base is then only kept for the record),
       else EC 11221 applied to the registration base.
    3. deadline: if not given and the approval day is known, the approval day plus the EC 11220
       window for the base (160 days, the longest, when only the required number is known).

    The electorate (counties by SoS code, a city, districts {roll column: values}) is checked
    against the active roll; with neither the required number nor the base given, the base is
    the number of the active roll's voters inside it (petitions.electorate).
    """
    unknown = set(rules_) - RULE_FIELDS
    if unknown:
        raise TypeError(f"petition_create() got unknown settings: {', '.join(sorted(unknown))}")
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    title, slug = (title or "").strip(), (slug or "").strip()
    if not title:
        fail("title", _("title is required"))
    # Composed for the system, not copied from paper: a hidden character is refused, not stripped.
    for name, label, value in (("title", "the title", title), ("officer", "the officer", officer),
                               ("jurisdiction", "the jurisdiction", jurisdiction)):  # fmt: skip
        if message := invisible_problem(label, value or ""):
            fail(name, message)
    derived = not slug
    if derived and title:
        slug = petition_slug_for(title)
    if not slug:
        pass  # no title either: that is the error to fix
    elif len(slug) > SLUG_LENGTH or not re.fullmatch(r"[-a-zA-Z0-9_]+", slug):
        fail(
            "slug",
            _("slug %(slug)r must be up to 80 letters, digits, hyphens or underscores")
            % {"slug": slug},
        )
    elif Petition.objects.filter(slug=slug).exists():
        fail("slug", _("slug %(slug)r is already used by another petition") % {"slug": slug})
    if registration_base is not None and registration_base < 1:
        fail(
            "registration_base",
            _("registration base must be 1 or more, got %(base)s") % {"base": registration_base},
        )
    if required is not None and required <= 0:
        fail(
            "required_signatures",
            _("required signatures must be 1 or more, got %(required)s") % {"required": required},
        )
    counties = sorted({c.strip() for c in electorate_counties if c.strip()})
    districts = {
        column.strip(): sorted({str(v).strip() for v in values if str(v).strip()})
        for column, values in (electorate_districts or {}).items()
    }
    roll = active_roll()
    for name, messages in electorate_problems(
        counties=counties, city=electorate_city.strip(), districts=districts,
        roll_id=roll.pk if roll else None,
    ).items():  # fmt: skip
        for message in messages:
            fail(name, message)
    electorate = Petition(
        electorate_counties=counties, electorate_city=electorate_city.strip(),
        electorate_districts=districts,
    )  # fmt: skip
    # Not given: named after the electorate ("State of California", "City of Pasadena").
    jurisdiction = (jurisdiction or "").strip() or _jurisdiction_name(electorate)
    if required is None and registration_base is None and not errors:
        if roll is None:
            fail("required_signatures", _("give the required signatures or the registration base"))
        else:
            registration_base = registered_voters(electorate, roll.pk) or None
            if registration_base is None:
                fail("registration_base", _("no voter of the active roll is inside the electorate"))
    for name, message in petition_date_problems(approved_on, deadline).items():
        fail(name, message)
    if errors:
        raise ValidationError(errors)

    if required is None:
        # The base is given: both missing was refused above.
        required = rules.required_signatures(cast(int, registration_base))
    if deadline is None and approved_on is not None:
        if registration_base is not None:
            deadline = rules.default_deadline(approved_on, registration_base)
        else:
            deadline = approved_on + timedelta(days=rules.MAX_CIRCULATION_DAYS)

    petition = Petition(
        title=title, slug=slug, officer=(officer or "").strip(), jurisdiction=jurisdiction,
        approved_on=approved_on, deadline=deadline, registration_base=registration_base,
        required_signatures=required, created_by=created_by,
        electorate_counties=counties, electorate_city=electorate.electorate_city,
        electorate_districts=districts, **rules_,
    )  # fmt: skip
    # Choices and lengths; uniqueness and constraints were checked above and Postgres enforces them.
    petition.full_clean(validate_unique=False, validate_constraints=False)
    while True:
        try:
            with transaction.atomic():
                petition.save()
                audit(user=created_by, action=AuditEvent.Action.PETITION_CREATED,
                      target=f"petition {petition.slug}", required=required,
                      registration_base=registration_base,
                      deadline=deadline.isoformat() if deadline else None,
                      double_entry=petition.double_entry,
                      **_electorate_detail(petition))  # fmt: skip
        except IntegrityError:
            # Another request took the slug between the check and the insert: one made from
            # the title is made again (the next free one); one given is refused on its field.
            if not Petition.objects.filter(slug=petition.slug).exists():
                raise
            if not derived:
                raise ValidationError(
                    {
                        "slug": [
                            _("slug %(slug)r is already used by another petition") % {"slug": slug}
                        ]
                    }
                ) from None
            petition.slug = petition_slug_for(title)
        else:
            return petition


def _jurisdiction_name(electorate: Petition) -> str:
    """A petition's jurisdiction named after its electorate (the county's name by default)."""
    counties = electorate.electorate_counties
    if len(counties) == len(COUNTY_NAMES):
        return "State of California"
    if electorate.electorate_city:
        return f"City of {electorate.electorate_city.strip().title()}"
    if counties:
        return ", ".join(county_name(c) for c in counties)[:100]
    return county_name(electorate.county_code)


def _electorate_detail(petition: Petition) -> dict[str, str]:
    """The audit's words for an electorate narrower than the roll (none for the whole roll)."""
    electorate = Electorate.of(petition)
    return {} if electorate.whole_roll else {"electorate": electorate.label(petition)}


@transaction.atomic
def petition_set_double_entry(
    *, petition: Petition, required: bool, by: User | None = None
) -> Petition:
    """Require (or stop requiring) blind double entry; sections keyed so far keep their state."""
    before = petition.double_entry
    petition.double_entry = required
    petition.save(update_fields=["double_entry"])
    if before != required:
        audit(user=by, action=AuditEvent.Action.PETITION_CHANGED,
              target=f"petition {petition.slug}", before={"double_entry": before},
              after={"double_entry": required})  # fmt: skip
    return petition


def petition_county_votes_set(
    *, petition: Petition, votes: Mapping[str, int], by: User | None = None
) -> Petition:
    """Store the last vote for the office by county (the five-county rule's 1%), replacing any
    stored before; each county one of the petition's, each vote a positive whole number."""
    problems = []
    for code, count in votes.items():
        if code not in COUNTY_NAMES:
            problems.append(_("%(code)s is not a California county code") % {"code": code})
        elif petition.electorate_counties and code not in petition.electorate_counties:
            problems.append(_("%(county)s is not one of the petition's counties")
                            % {"county": county_name(code)})  # fmt: skip
        elif isinstance(count, bool) or not isinstance(count, int) or count <= 0:
            problems.append(
                _("%(county)s: the vote must be a positive whole number, not %(votes)s")
                % {"county": county_name(code), "votes": count}
            )
    if problems:
        raise ValidationError({"county_votes": problems})
    before = petition.county_votes
    petition.county_votes = {code: votes[code] for code in sorted(votes)}
    petition.save(update_fields=["county_votes"])
    audit(user=by, action=AuditEvent.Action.PETITION_CHANGED,
          target=f"petition {petition.slug}", before={"county_votes": before},
          after={"county_votes": petition.county_votes})  # fmt: skip
    return petition
