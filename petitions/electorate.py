"""Who may sign a petition: its electorate, read from the roll (EC 11221, EC 11047).

A recall is of an officer elected by some of the roll's voters: a county's, a city's, a
district's (supervisorial, council, school, water: any district column the roll carries), or
several counties' up to the whole state. A petition names its electorate by those parts
(Petition.electorate_*); each narrows the roll, and a petition naming none takes every voter of
the roll. On top of it, a section is circulated in one county (EC 11047): a line of a section
with a county counts only for that county's voters.

A line found on the roll whose voter is registered outside is `out_of_jurisdiction`, with the
reason naming where the voter is registered (`outside`). The registration base the required
count comes from is the number of the roll's voters inside (`registered_voters`).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Max
from django.utils.translation import gettext as _

from matching.addresses import city_key
from matching.compare import Candidate
from petitions.counties import COUNTY_NAMES, county_name
from petitions.decisions import Decision, outside_electorate
from petitions.models import Petition, Section
from voters.models import VoterAttributeSet, VoterPlace, VoterStatus


@dataclass(frozen=True)
class Electorate:
    """The parts of a petition's electorate: counties (SoS codes), a city (its key), districts
    ({roll column: values}: any value of a column, every column given)."""

    counties: tuple[str, ...] = ()
    city: str = ""
    districts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, petition: Petition) -> "Electorate":
        return cls(
            counties=tuple(sorted(petition.electorate_counties or ())),
            city=city_key(petition.electorate_city or ""),
            districts={
                column: tuple(str(v) for v in values)
                for column, values in sorted((petition.electorate_districts or {}).items())
            },
        )

    @property
    def whole_roll(self) -> bool:
        return not (self.counties or self.city or self.districts)

    def label(self, petition: Petition | None = None) -> str:
        """The electorate in words: "Supervisorial district SupDist 3, Los Angeles County"."""
        parts = [
            _("%(column)s %(values)s") % {"column": district_words(column), "values": _or(values)}
            for column, values in self.districts.items()
        ]
        if self.city:
            parts.append(_("the city of %(city)s") % {"city": self.city.title()})
        if len(self.counties) == 58:
            parts.append(_("the State of California"))
        elif self.counties:
            parts.append(_or([county_name(c) for c in self.counties]))
        if not parts:
            return petition.jurisdiction if petition else _("every voter of the roll")
        return ", ".join(parts)


def district_words(column: str) -> str:
    """A roll's district column as words: supervisorial_district -> Supervisorial district
    (a name not in snake case, such as SupDist, as the roll has it)."""
    if "_" not in column and not column.islower():
        return column
    words = column.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _or(values: Iterable[str]) -> str:
    items = list(values)
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s or %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def district_sets(roll_id: int) -> dict[int, dict[str, str]]:
    """The roll's district combinations by number. A roll's sets only grow (a county's new file
    adds its new combinations: voters.services.voter_roll_county_replace), so they are cached by
    roll and highest number, which one look-up of the (roll, number) key tells."""
    last = VoterAttributeSet.objects.filter(roll_id=roll_id).aggregate(last=Max("number"))
    return _district_sets(roll_id, last["last"] or 0)


@lru_cache(maxsize=32)
def _district_sets(roll_id: int, last: int) -> dict[int, dict[str, str]]:
    return {
        number: {str(k): str(v) for k, v in attributes.items()}
        for number, attributes in VoterAttributeSet.objects.filter(roll_id=roll_id).values_list(
            "number", "attributes"
        )
    }


@dataclass(frozen=True)
class Boundary:
    """An electorate as one roll draws it: which of the roll's district sets are inside."""

    electorate: Electorate
    roll_id: int
    sets_inside: frozenset[int] | None  # None: no district is asked for
    # The roll's district sets by number, read once (empty when no district is asked for).
    sets: Mapping[int, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, petition: Petition, roll_id: int) -> "Boundary":
        electorate = Electorate.of(petition)
        if not electorate.districts:
            return cls(electorate, roll_id, None)
        sets = district_sets(roll_id)
        inside = frozenset(
            number
            for number, values in sets.items()
            if all(values.get(col, "") in wanted for col, wanted in electorate.districts.items())
        )
        return cls(electorate, roll_id, inside, sets)

    def outside(self, voter: Candidate, section: Section | None = None) -> tuple[str, str] | None:
        """(note, where) when the voter is registered outside the electorate or the section's
        county: the reason's note (English, as the engine's parts are; petitions.reasons says it
        in the reader's language) and where they are registered (for the reason's refs, which
        only the roles that decide lines see); None when inside."""
        county = section.county_code if section is not None else ""
        if voter.county_code:
            if county and voter.county_code != county:
                return OTHER_COUNTY, county_name(voter.county_code)
            if self.electorate.counties and voter.county_code not in self.electorate.counties:
                return OUTSIDE, county_name(voter.county_code)
        if self.electorate.city and voter.city_key != self.electorate.city:
            return OUTSIDE, voter.city.title() or "no city"
        if self.sets_inside is not None and voter.attribute_set not in self.sets_inside:
            values = self.sets.get(voter.attribute_set or 0, {})
            return OUTSIDE, ", ".join(
                f"{district_words(col)} {values.get(col) or '-'}"
                for col in self.electorate.districts
            )
        return None


# The notes of a line whose voter is registered outside (petitions.reasons translates them).
OUTSIDE = "registered outside the petition's electorate"
OTHER_COUNTY = "registered in another county than the section's"


def registered_voters(petition: Petition, roll_id: int) -> int:
    """The roll's voters inside the petition's electorate, cancelled registrations left out: the
    registration base EC 11221's table applies to."""
    boundary = Boundary.of(petition, roll_id)
    electorate = boundary.electorate
    where = ["roll_id = %s", "status <> %s"]
    params: list[Any] = [roll_id, VoterStatus.CANCELLED]
    if electorate.counties:
        where.append("(county_code = '' OR county_code = ANY(%s))")
        params.append(list(electorate.counties))
    if electorate.city:
        where.append("city_key = %s")
        params.append(electorate.city)
    if boundary.sets_inside is not None:
        where.append("attribute_set = ANY(%s)")
        params.append(sorted(boundary.sets_inside))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM voters_voter WHERE {' AND '.join(where)}",  # noqa: S608
            params,
        )
        return int(cursor.fetchone()[0])


def decided_inside(boundary: Boundary, section: Section | None, decision: Decision) -> Decision:
    """The validation step: a line whose voter is registered outside the electorate or the
    section's county is out of jurisdiction (petitions.decisions.outside_electorate)."""
    county = section.county_code if section is not None else ""
    if decision.voter is None or (boundary.electorate.whole_roll and not county):
        return decision
    options = (decision.voter, *decision.alternatives)
    return outside_electorate(
        decision, {c.registrant_id: boundary.outside(c, section) for c in options}
    )


def roll_choices(roll_id: int) -> dict[str, list[str]]:
    """What an electorate can be made of on this roll: its district columns with their values
    ({column: [values]}), for the New petition page and the checks below."""
    out: dict[str, set[str]] = {}
    for values in district_sets(roll_id).values():
        for column, value in values.items():
            if value:
                out.setdefault(column, set()).add(value)
    return {column: sorted(values, key=_natural) for column, values in sorted(out.items())}


def roll_cities(roll_id: int) -> list[str]:
    """The roll's cities (their keys), for the New petition page."""
    return sorted(
        VoterPlace.objects.filter(roll_id=roll_id).values_list("city_key", flat=True).distinct()
    )


def _natural(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (1 << 30, value)


def electorate_problems(
    *,
    counties: Iterable[str],
    city: str,
    districts: Mapping[str, Iterable[str]],
    roll_id: int | None,
) -> dict[str, list[str]]:
    """What is wrong with an electorate, by field (counties, city, districts): a county code
    California does not have; with a roll to check against, a district column or value or a city
    the roll does not hold (naming the ones it does)."""
    problems: dict[str, list[str]] = {}
    unknown = [c for c in counties if c not in COUNTY_NAMES]
    if unknown:
        problems["electorate_counties"] = [
            _("%(codes)s: not a California county code (01 Alameda to 58 Yuba)")
            % {"codes": ", ".join(unknown)}
        ]
    if roll_id is None:
        return problems
    choices = roll_choices(roll_id)
    for column, values in districts.items():
        if column not in choices:
            held = ", ".join(choices) or _("none")
            problems.setdefault("electorate_districts", []).append(
                _("the voter roll has no district column %(column)s (it has: %(held)s)")
                % {"column": column, "held": held}
            )
            continue
        for value in values:
            if value not in choices[column]:
                problems.setdefault("electorate_districts", []).append(
                    _("%(column)s %(value)s is not a value the voter roll holds (it has: %(held)s)")
                    % {"column": column, "value": value, "held": ", ".join(choices[column])}
                )
    if city and not VoterPlace.objects.filter(roll_id=roll_id, city_key=city_key(city)).exists():
        problems["electorate_city"] = [
            _("no voter of the roll is registered in a city called %(city)s") % {"city": city}
        ]
    return problems
