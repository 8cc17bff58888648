"""Deciding what the roll says about a line: one structured outcome, with its evidence.

``decide`` takes a line's keys and its candidates graded by matching.compare (best person match
first) and returns an ``Outcome``: matched (one voter at the address, or a household of
namesakes the line fits equally), tie, grey, elsewhere (a rare name registered at another
address), none, outside (not in the county's places) or incomplete. It knows nothing of
petitions: what an outcome means for one is the caller's.

Design rules, from the CCR 20931 tolerances and the cost of mistakes:
- A match needs one voter to clearly win and the address to agree: house number and street,
  city or ZIP compatible.
- Wrongly counting a line is worse than sending it to review: close calls (JR/SR at one address
  with no suffix written, two voters matching the same initial) are a tie.
- A person found only elsewhere in the county is "elsewhere" when the name is rare enough to be
  that person; with a common name it is none (at this address).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from matching.compare import (
    CLOSE,
    COMPOUND,
    DIFFERENT,
    EXACT,
    INITIAL,
    MATCH,
    MISSING,
    NICK_INITIAL,
    NICKNAME,
    PHONETIC,
    Agreement,
    Candidate,
    Level,
    LineKeys,
)

__all__ = ["RARE_NAME", "TIE", "WEAK", "Kind", "Outcome", "decide", "evidence"]

WEAK = 0.6  # an initial or a sound-alike: a match only if nothing else at the address is close
TIE = 0.08  # two candidates this close are a tie: review
RARE_NAME = 2  # at most this many voters of one name county-wide: a sighting elsewhere is them


class Kind(StrEnum):
    """What the roll says about a line."""

    MATCHED = "matched"  # a voter at the address (or one of a household's namesakes)
    TIE = "tie"  # several voters at the address match about equally well
    GREY = "grey"  # a voter at the address partly matches
    ELSEWHERE = "elsewhere"  # the (rare) name is registered at another address
    NONE = "none"  # no voter of this name here (maybe namesakes elsewhere)
    OUTSIDE = "outside"  # the place is not in the roll's places
    INCOMPLETE = "incomplete"  # no signature, name or address to look up


@dataclass(frozen=True)
class Outcome:
    """One line's outcome with its evidence.

    rule: the reason's machine name (match, cancelled, namesakes_at_address, household_initial,
    tie_at_address, grey_zone, moved, out_of_county, common_name_elsewhere, not_found,
    incomplete); summary: a readable account, with nothing a keyer may not see; refs: facts of
    the roll behind it that not every role may see (where a voter is registered).
    """

    kind: Kind
    rule: str
    summary: str
    voter: Candidate | None = None
    score: float | None = None
    # The best candidates' evidence, field by field (stored with the line's reason).
    candidates: tuple[dict[str, Any], ...] = ()
    # Equally good namesakes at the address: the line may be any of them (kind matched).
    alternatives: tuple[Candidate, ...] = ()
    refs: Mapping[str, str] = field(default_factory=dict)
    agreement: Agreement | None = None  # the voter's, field by field

    @property
    def cancelled(self) -> bool:
        """Matched to a voter whose registration is cancelled."""
        return self.voter is not None and self.voter.status == "C"


def evidence(agreements: list[Agreement], limit: int = 5) -> tuple[dict[str, Any], ...]:
    """The best candidates as the reason shows them, field by field."""
    return tuple(
        {
            "voter_id": a.candidate.registrant_id,
            "name": " ".join(
                p
                for p in (
                    a.candidate.first_name,
                    a.candidate.middle_name,
                    a.candidate.last_name,
                    a.candidate.name_suffix,
                )
                if p
            ),
            "address": a.candidate.street_line,
            "city": a.candidate.city,
            "registration": a.candidate.status,  # A active, I inactive, C cancelled
            "score": a.person,
            "fields": {
                "surname": a.surname,
                "first": a.given,
                "middle": a.middle,
                "suffix": a.suffix,
                "number": "agree" if a.number else "differs",
                "street": a.street,
                "city": a.place,
                "unit": a.unit,
            },
        }
        for a in agreements[:limit]
    )


def decide(
    line: LineKeys,
    agreements: list[Agreement],
    *,
    name_count: int,
    places: dict[str, set[str]],
    signed: bool = True,
) -> Outcome:
    """What the roll says about one line, with the evidence.

    agreements: the candidates graded against the line, best person match first;
    name_count: how many voters in the county bear the line's surname and given name (capped);
    places: every place name of the roll -> its ZIPs (matching.places.place_zips).
    """
    if not signed or not line.has_name or not line.has_address:
        missing = [w for w, ok in (("signature", signed), ("name", line.has_name),
                                   ("address", line.has_address)) if not ok]  # fmt: skip
        return Outcome(Kind.INCOMPLETE, "incomplete", f"no {' or '.join(missing)}")
    shown = evidence(agreements)
    at_address = [a for a in agreements if a.at_address]
    best = at_address[0] if at_address else None
    if best is not None and best.person >= WEAK:
        return _at_address(best, at_address, shown)
    elsewhere = [a for a in agreements if not a.at_address and a.person >= 0.9]
    if elsewhere and name_count <= RARE_NAME and len(elsewhere) == 1:
        person = elsewhere[0]
        return Outcome(
            Kind.ELSEWHERE, "moved", f"registered at another address ({person.describe()})",
            voter=person.candidate, score=person.person, candidates=shown, agreement=person,
            # Where they are registered is the roll's, not the keyer's: a volunteer saving a
            # made-up address for a name would otherwise learn where that voter lives.
            refs={"registered_at": f"{person.candidate.street_line}, {person.candidate.city}"},
        )  # fmt: skip
    if not _in_county(line, places):
        where = " ".join(p for p in (line.city_key.title(), line.zip5) if p)
        return Outcome(Kind.OUTSIDE, "out_of_county",
                       f"{where} is not in the county's voter roll", candidates=shown)  # fmt: skip
    if elsewhere:
        return Outcome(
            Kind.NONE, "common_name_elsewhere",
            f"no voter of this name at this address; {name_count}+ voters of this name "
            "elsewhere in the county", candidates=shown,
        )  # fmt: skip
    household = [a for a in at_address if a.surname in (EXACT, COMPOUND)]
    return Outcome(
        Kind.NONE, "not_found", "no registered voter of this name"
        + (" (others of the household are registered here)" if household else ""),
        candidates=shown,
    )  # fmt: skip


def _at_address(
    best: Agreement, at_address: list[Agreement], shown: tuple[dict[str, Any], ...]
) -> Outcome:
    """A voter at the address matches at least weakly: matched, a tie, or grey."""
    rivals = [
        a for a in at_address[1:]
        if a.person >= best.person - TIE and a.person >= WEAK and _as_good(a, best)
    ]  # fmt: skip
    if rivals and _namesakes(best, rivals):
        # Two registered voters of this name live here (JR/SR unwritten, a parent and child):
        # the line is one of them, whichever (the caller decides which, if it must).
        matched = _registered(best, shown)
        return Outcome(
            Kind.MATCHED,
            # An initial shared by household members is weaker evidence than a whole name.
            "household_initial" if best.given == INITIAL else "namesakes_at_address",
            f"{matched.summary}; {len(rivals) + 1} voters of this name live here",
            voter=best.candidate, score=best.person, candidates=shown,
            alternatives=tuple(a.candidate for a in rivals), agreement=best,
        )  # fmt: skip
    if rivals:
        return Outcome(
            Kind.TIE, "tie_at_address",
            f"{len(rivals) + 1} voters at this address match about equally well"
            + (" (JR/SR?)" if best.suffix != MISSING or rivals[0].suffix != MISSING else ""),
            score=best.person, candidates=shown,
        )  # fmt: skip
    if best.person >= MATCH or best.given in (INITIAL, NICK_INITIAL) or best.surname == PHONETIC:
        return _registered(best, shown)
    return Outcome(
        Kind.GREY, "grey_zone", f"a voter at this address partly matches ({best.describe()})",
        score=best.person, candidates=shown,
    )  # fmt: skip


_RANK: dict[Level, int] = {EXACT: 0, NICKNAME: 1, COMPOUND: 1, CLOSE: 2, PHONETIC: 3, INITIAL: 3,
                           NICK_INITIAL: 4, MISSING: 5, DIFFERENT: 6,
                           Level.LOOSE_NICKNAME: 3}  # fmt: skip


def _as_good(rival: Agreement, best: Agreement) -> bool:
    """A rival ties only if its reading of the name is as good, field by field: an exact name is
    not tied by a compound-surname or one-letter-off reading of another voter."""
    return _RANK[rival.surname] <= _RANK[best.surname] and _RANK[rival.given] <= _RANK[best.given]


def _namesakes(best: Agreement, rivals: list[Agreement]) -> bool:
    """Rivals the line fits exactly as well as the best, all registered, of one household name:
    the same name twice (JR/SR unwritten), or one initial shared ("J Orozco" for JUANA or
    JOSHUA). Whichever of them signed, the line counts."""
    group = [best, *rivals]
    # A typo'd surname is fine when every one of them is registered under that same surname.
    one_surname = len({a.candidate.last_key for a in group}) == 1
    return all(
        a.surname == best.surname and a.given == best.given
        and (a.surname in (EXACT, COMPOUND) or (a.surname == CLOSE and one_surname))
        and a.given in (EXACT, NICKNAME, INITIAL) and a.candidate.status in ("A", "I")
        for a in group
    )  # fmt: skip


def _registered(best: Agreement, shown: tuple[dict[str, Any], ...]) -> Outcome:
    """Matched to the best voter at the address (its registration possibly cancelled)."""
    voter = best.candidate
    if voter.status == "C":
        return Outcome(
            Kind.MATCHED, "cancelled", f"registration cancelled ({best.describe()})",
            voter=voter, score=best.person, candidates=shown, agreement=best,
        )  # fmt: skip
    return Outcome(Kind.MATCHED, "match", best.describe(), voter=voter, score=best.person,
                   candidates=shown, agreement=best)  # fmt: skip


def _in_county(line: LineKeys, places: dict[str, set[str]]) -> bool:
    if line.zip5:
        return any(line.zip5 in zips for zips in places.values())
    if line.city_key:
        return line.city_key in places
    return True
