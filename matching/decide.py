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
  that person and borne at one other address, or when a middle initial, the line's ZIP or small
  town, or co-signers registered with them (a household that moved) single one namesake out;
  with a common name, or with the line's household registered at its address (a relative not
  registered), it is none (at this address).
- A given name misspelt beyond a typo counts at the voter's own address when no one else
  registered there is as close; a reading the engine cannot settle is grey, for a reviewer, with
  the candidates side by side, not "not registered".
"""

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter
from typing import Any

import jellyfish

from matching import handwriting, nicknames, spelling
from matching import household as readings
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
    SPELLING,
    Agreement,
    Candidate,
    Level,
    LineKeys,
    given_level,
)
from matching.names import first_key
from matching.places import county_zip, place_slip
from matching.text import fold

__all__ = [
    "NAME_CHANCE", "RARE_NAME", "TIE", "WEAK", "Couple", "InPlace", "Kind", "Outcome", "decide",
    "evidence", "relatives_here",
]  # fmt: skip

WEAK = 0.6  # an initial or a sound-alike: a match only if nothing else at the address is close
TIE = 0.08  # two candidates this close are a tie: review
RARE_NAME = 2  # at most this many voters of one name county-wide: a sighting elsewhere is them
# Up to this many voters of one name (all of them among the candidates), a middle initial that
# only the namesakes at one address share singles them out.
MIDDLE_SINGLES_OUT = 5
# A town this small (in ZIPs on the roll: Los Angeles has about 100, Long Beach 11, most cities
# one to eight) is a neighbourhood a mover often stays in and an unregistered namesake seldom
# happens to share.
SMALL_PLACE_ZIPS = 12
# A name found at one other address, in another place than the line's, is the mover's when
# fewer voters of it than this are expected by chance (name_chance: a name rarer than its parts);
# one as common as its parts is often an unregistered namesake's.
NAME_CHANCE = 0.1
# A pair of names registered together at one address, the whole county searched, is a couple
# that moved when fewer than this many such pairs are expected by chance (Couple.chance).
COUPLE_CHANCE = 1.0


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
    tie_at_address, grey_zone, grey_misspelt, grey_moved_together, grey_other_unit, moved,
    out_of_county,
    common_name_elsewhere, not_found, incomplete); summary: a readable account, with nothing a
    keyer may not see; refs: facts of the roll behind it that not every role may see (where a
    voter is registered).
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


@dataclass(frozen=True)
class Couple:
    """The one address in the county where a voter of the line's name and a voter of a
    co-signer's name (the same section, the same written address, neither found there) are
    registered together, the whole roll searched (voters.matching.couples_pass): a household
    that moved together, unless the names are so common that such a pair lives together by
    chance.

    voter: the registrant id of the line's namesake there; chance: how many addresses holding
    both names are expected by chance, the voters of one name times those of the other over the
    voters of their surname when they share it (households gather a surname), else over the
    roll's voters."""

    voter: str
    chance: float


@dataclass(frozen=True)
class InPlace:
    """The one voter of the line's name (surname and given name, nicknames folded, or surname and
    initial; registration not cancelled) registered in the place the line gives, the whole roll
    searched (voters.matching.place_pass), with how many chance alone would put there: the
    name's voters times the place's share of the roll's. Most people who move stay near; an
    unregistered namesake happens to share the place of a registered one only as often as that
    chance."""

    voter: str
    chance: float


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
            # Of a building's residents, which flat is theirs (a reviewer weighs the unit written).
            "unit": a.candidate.unit_number,
            "city": a.candidate.city,
            "registration": a.candidate.status,  # A active, I inactive, C cancelled
            "score": a.person,
            "fields": {
                "surname": a.surname,
                "first": a.given,
                "middle": a.middle,
                "suffix": a.suffix,
                "number": "agree" if a.number else "one digit off" if a.misread else "differs",
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
    moved_with: Collection[Candidate] = (),
    signed_again: Collection[str] = (),
    couple: Couple | None = None,
    housemates: Collection[Candidate] = (),
    name_chance: float | None = None,
    in_place: InPlace | None = None,
) -> Outcome:
    """What the roll says about one line, with the evidence.

    agreements: the candidates graded against the line, best person match first;
    name_count: how many voters in the county bear the line's surname and given name (capped);
    places: every place name of the roll -> its ZIPs (matching.places.place_zips);
    moved_with: the voters registered elsewhere whose names the line's co-signers wrote (the
    same section, the same written address): its household, if it moved;
    signed_again: the voters other lines of the petition at the same written address were found
    registered elsewhere (moved): the line's signer may be one of them writing again;
    couple: the one address where the line's name and a co-signer's are registered together;
    housemates: the voters the line's co-signers were found to be, registered elsewhere (moved);
    name_chance: how many voters of the line's name chance alone would give (the voters of its
    given name times those of its surname over the roll's), when its namesake elsewhere is in
    another place;
    in_place: the one voter of the line's common name registered in its place (InPlace).
    """
    if not signed or not line.has_name or not line.has_address:
        missing = [w for w, ok in (("signature", signed), ("name", line.has_name),
                                   ("address", line.has_address)) if not ok]  # fmt: skip
        summary = f"no {' or '.join(missing)}"
        partly = None
        if signed and line.has_name:
            partly = _partly_at_address(line, agreements) or _named_in_place(
                line, agreements, name_count
            )
        if partly is None:
            return Outcome(Kind.INCOMPLETE, "incomplete", summary)
        # Still incomplete, but whose line it is is known: a repeat signer is caught by it.
        return Outcome(
            Kind.INCOMPLETE, "incomplete_linked",
            f"{summary} (house number or street missing; {partly.describe()})",
            voter=partly.candidate, score=partly.person, candidates=evidence(agreements),
            agreement=partly,
        )  # fmt: skip
    shown = evidence(agreements)
    one = _one_name_at_address(line, agreements)
    if one is not None:
        # A name incomplete, never valid; but whose line it is is known (a repeat signer).
        here = "at this address" if one.at_address else "of it"
        return Outcome(
            Kind.INCOMPLETE, "incomplete_linked",
            f"one name only (the one voter {here} it may be: {one.describe()})",
            voter=one.candidate, score=one.person, candidates=shown, agreement=one,
            # Where a voter found on the line's street lives is the roll's, not the keyer's.
            refs={} if one.at_address else {
                "registered_at": f"{one.candidate.street_line}, {one.candidate.city}"
            },
        )  # fmt: skip
    at_address = [a for a in agreements if a.at_address]
    best = at_address[0] if at_address else None
    if best is not None and best.person >= WEAK:
        return _at_address(best, at_address, shown, line=line)
    lacking = _record_lacks_name(line, at_address)
    if lacking is not None:
        return _registered(lacking, shown, "no one else registered here fits")
    slip = _surname_slip(line, at_address) or _given_slip(line, at_address)
    if slip is not None:
        note = (
            "the surname written two letters off theirs, no one else here of this first name"
            if slip.given in (EXACT, NICKNAME)
            else "the first name written a letter off theirs, no name of its own, no one else "
            "here of a first name this close"
        )
        return _registered(slip, shown, note)
    initial = _initial_surname_slip(line, at_address)
    if initial is not None:
        return _registered(initial, shown, f"surname {line.last_key} read as "
                           f"{initial.candidate.last_key}, a letter off; no one else here of "
                           "this initial or of the surname written")  # fmt: skip
    misread = _misread_number(agreements, at_address)
    if len(misread) == 1:
        return _registered(misread[0], shown)
    if misread and len({_address(a) for a in misread}) == 1:
        # Several voters of the name at the one number a digit off: read there as at the
        # address written (namesakes, one marked out by what is written, or a tie to review).
        return _at_address(misread[0], misread, shown, line)
    elsewhere = [a for a in agreements if not a.at_address and a.person >= 0.9]
    household = [a for a in at_address if a.surname in (EXACT, COMPOUND)]
    # An address outside the county cannot count, whoever signed: before any namesake elsewhere.
    if not _in_county(line, places):
        where = " ".join(p for p in (line.city_key.title(), line.zip5) if p)
        return Outcome(Kind.OUTSIDE, "out_of_county",
                       f"{where} is not in the county's voter roll", candidates=shown)  # fmt: skip
    # A household of the line's surname registered at its address: the line is one of them not
    # registered (a relative), far more often than a namesake registered elsewhere who moved in
    # with them (bench 50k/10k: 82 such lines not registered, none moved).
    again = None if household else _signed_again(agreements, signed_again)
    if again is not None:
        return _moved(again, agreements, "another line at this address is theirs too")
    beside = None if household else _moved_beside(agreements, housemates)
    if beside is not None:
        return _moved(beside, agreements, "registered with a co-signer found moved")
    pair = None if household else _couple(agreements, couple)
    if pair is not None:
        return _moved(
            pair, agreements, "a co-signer's namesake is registered with them: no other pair of "
            "these names in the county",
        )  # fmt: skip
    together = None if household else _moved_together(agreements, moved_with)
    if (
        together is not None
        and name_count > MIDDLE_SINGLES_OUT
        and not _two_vouch(together, moved_with)
    ):
        # So common a name that not all its bearers were fetched: another couple of these names
        # may live elsewhere. Plausible, not settled.
        return Outcome(
            Kind.GREY, "grey_moved_together",
            "a household of these names may have moved here together; the name is common "
            f"({together.describe()})", score=together.person,
            candidates=evidence([together, *(a for a in agreements if a is not together)]),
        )  # fmt: skip
    person = together or (
        None if household else _mover(line, elsewhere, name_count, places, name_chance)
    )
    if person is not None:
        return Outcome(
            Kind.ELSEWHERE, "moved", f"registered at another address ({person.describe()})",
            voter=person.candidate, score=person.person, candidates=shown, agreement=person,
            # Where they are registered is the roll's, not the keyer's: a volunteer saving a
            # made-up address for a name would otherwise learn where that voter lives.
            refs={"registered_at": f"{person.candidate.street_line}, {person.candidate.city}"},
        )  # fmt: skip
    street = None if household else _on_their_street(line, agreements)
    where = "another house number of this street"
    if street is None and not household:
        street = _at_their_number(line, agreements)
        where = "this house number of another street in this place"
    if street is not None:
        return Outcome(
            Kind.ELSEWHERE, "moved", f"registered at another address ({street.describe()})",
            voter=street.candidate, score=street.person, candidates=shown, agreement=street,
            # As for a mover: where, and how near the line's address, is the roll's, not the
            # keyer's.
            refs={"registered_at": f"{street.candidate.street_line}, {street.candidate.city}",
                  "found_at": where},
        )  # fmt: skip
    # After the street's and the number's: a namesake on the line's own street (a compound or
    # misspelt surname the place pass does not count) says more than the place.
    placed = None if household else _one_in_place(line, agreements, in_place)
    if placed is not None:
        return _moved(
            placed, agreements, "the one voter of this name registered in the place written, "
            "where chance alone would put fewer than 0.1",
        )  # fmt: skip
    ending = _last_letter_flip(line, at_address)
    if ending is not None:
        return Outcome(
            Kind.GREY, "grey_zone",
            "a voter at this address partly matches (the first name differs only in its last "
            f"letter, O or A; {ending.describe()})", score=ending.person, candidates=shown,
        )  # fmt: skip
    if elsewhere and household:
        # At the household's home, a reading of a member's name ("Bill Nelson" where ROBERT
        # NELSON is registered) is more likely the signer than one of several namesakes
        # elsewhere, which cannot be told apart: counted when strong, else for a reviewer.
        # (bench 1M/100k: 14 lines right that were not, 1 wrong, 38 to review from "not
        # registered", all but one truly valid.)
        read = _household_reading(line, at_address, shown)
        if read is not None:
            return read
    if elsewhere:
        return Outcome(
            Kind.NONE, "common_name_elsewhere",
            f"no voter of this name at this address; {name_count}+ voters of this name "
            "elsewhere in the county"
            + (" (others of the household are registered here)" if household else ""),
            candidates=shown,
        )  # fmt: skip
    read = _household_reading(line, at_address, shown) or _short_surname(line, at_address, shown)
    if read is not None:
        return read
    renamed = None if household else _name_changed(line, at_address)
    if renamed is not None:
        return _registered(renamed, shown, NAME_CHANGED)
    near = [a for a in household if spelling.near(line.first, a.candidate.first_key)]
    if len(near) == 1 and near[0].surname == EXACT and near[0].middle != DIFFERENT:
        # No name of its own, a couple of letters off one of the household's: for a reviewer.
        others = [a for a in agreements if a is not near[0]]
        return Outcome(
            Kind.GREY, "grey_misspelt", "a voter at this address may be the signer, the first "
            f"name written two letters off ({near[0].describe()})", score=near[0].person,
            candidates=evidence([near[0], *others]),
        )  # fmt: skip
    return Outcome(
        Kind.NONE, "not_found", "no registered voter of this name"
        + (" (others of the household are registered here)" if household else ""),
        candidates=shown,
    )  # fmt: skip


def _household_reading(
    line: LineKeys, at_address: list[Agreement], shown: tuple[dict[str, Any], ...]
) -> Outcome | None:
    """The written given name read as one household member's (matching.household: a published
    nickname that is a name too, a nickname misspelt, letters dropped, the English form): theirs
    when the surname agrees (exact, compound or a typo), the middle initial and suffix do not
    disagree, no one else registered there has a reading of it or a given name that agrees at
    all, and the reading is strong; a reading of two members' names (not namesakes), or a weak
    one, is for a reviewer. None when no one at the address has a reading."""
    members = [
        a for a in at_address
        if a.surname in (EXACT, COMPOUND, CLOSE) and a.middle != DIFFERENT
        and a.suffix != DIFFERENT
    ]  # fmt: skip
    found = [
        (a, r) for a in members
        # "Lombardi Mitzi": compare read the surname first; the given name is the last word.
        if (r := readings.reading(first_key(line.written[2]) if a.swapped else line.first,
                                  a.candidate.first_key, a.candidate.first_canon))
    ]  # fmt: skip
    if not found:
        return None
    best, how = found[0]
    level = Level.LOOSE_NICKNAME if "published" in how.how else SPELLING
    agreement = best._replace(given=level)
    others = [
        a for a in members
        if a.candidate.first_key != best.candidate.first_key
        and (a.given != DIFFERENT or any(f is a for f, _ in found))
    ]  # fmt: skip
    if how.strong and not others and all(r.strong for _, r in found):
        return _registered(agreement, shown, f"{how.how}, and no one else registered here fits it")
    return Outcome(
        Kind.GREY, "grey_household_reading",
        f"a voter at this address may be the signer ({how.how}; {agreement.describe()})"
        + ("; another voter here fits it too" if others else ""),
        score=best.person, candidates=evidence([agreement, *(a for a in at_address
                                                             if a is not best)]),
    )  # fmt: skip


def _short_surname(
    line: LineKeys, at_address: list[Agreement], shown: tuple[dict[str, Any], ...]
) -> Outcome | None:
    """The one voter at the address whose given name agrees (exact, a nickname, a typo) and
    whose short surname the written one is a letter off (NAA for NAVA, COI for CHOI: too short
    for compare to call close), the middle initial and suffix not against it: theirs."""
    fits = [
        (a, key) for a in at_address
        if a.surname == DIFFERENT and a.given in (EXACT, NICKNAME, CLOSE)
        and a.middle != DIFFERENT and a.suffix != DIFFERENT
        and (key := readings.surname_reading(line.last_keys, a.candidate.last_key))
    ]  # fmt: skip
    if len({a.candidate.registrant_id for a, _ in fits}) != 1:
        return None
    best, key = fits[0]
    return _registered(best._replace(surname=CLOSE), shown,
                       f"surname {key} read as {best.candidate.last_key}, a letter off, and no "
                       "one else registered here has this first name")  # fmt: skip


def _partly_at_address(line: LineKeys, agreements: list[Agreement]) -> Agreement | None:
    """A line missing its house number or its street: the one voter whose name matches it and
    who agrees with every part of the address it gives (the house number or the street, and
    the place). None when no voter, or more than one, does."""
    if not line.house_number and not line.street_key:
        return None
    fits = [
        a for a in agreements
        if (a.person >= MATCH or _name_slip(line, a) or _one_name_fits(line, a))
        and a.place != DIFFERENT
        and (a.number or not line.house_number)
        and (a.street in (EXACT, CLOSE) or not line.street_key)
    ]  # fmt: skip
    return fits[0] if len(fits) == 1 else None


def _name_slip(line: LineKeys, a: Agreement) -> bool:
    """One name exact (or a nickname), the other a slip a registrar reads past: the surname a
    letter or two off, first letter kept ("Vianca Rya" for VIANCA RYAN), or the given name a
    letter off, first letter kept, and no given name of its own ("Taiz Garven" for TAI)."""
    voter = a.candidate
    if a.middle == DIFFERENT or a.suffix in (DIFFERENT, Level.LINE_ONLY) or a.swapped:
        return False
    written_last, written_first = line.last_key, line.first
    if a.given in (EXACT, NICKNAME) and len(written_last) >= 3:
        return voter.last_key[:1] == written_last[:1] and (
            jellyfish.damerau_levenshtein_distance(written_last, voter.last_key) <= 2
        )
    if a.surname == EXACT and len(written_first) >= 2:
        return (
            voter.first_key[:1] == written_first[:1]
            and not spelling.known_given_name(written_first)
            and jellyfish.damerau_levenshtein_distance(written_first, voter.first_key) == 1
        )
    return False


def _whole_name(line: LineKeys, a: Agreement) -> bool:
    """A line of one name only that is the whole of the voter's registered name (a voter on the
    roll with a surname and no given name): the same person, never a valid line by itself
    (what it means at the voter's own address is matching.decide's one-name rule)."""
    return (
        not line.first and not line.middle and not a.candidate.first_key
        and a.surname == EXACT
    )  # fmt: skip


def _on_their_street(line: LineKeys, agreements: list[Agreement]) -> Agreement | None:
    """The one voter registered on the line's street, in its place, at another house number,
    whose name is the line's (a person match, or a slip of one name): the number written is
    not theirs (a slip, or they moved along the street), the person is. Not a cancelled
    registration; None when two voters on the street fit."""
    fits = [
        a for a in agreements
        if not a.number and a.street in (EXACT, CLOSE) and a.place != DIFFERENT
        and (a.person >= MATCH or _name_slip(line, a) or _whole_name(line, a)
             or (a.given == SPELLING and a.surname == EXACT and a.middle != DIFFERENT))
    ]  # fmt: skip
    if len(fits) != 1 or fits[0].candidate.status == "C":
        return None
    return fits[0]


def _at_their_number(line: LineKeys, agreements: list[Agreement]) -> Agreement | None:
    """The one voter of the line's name (a person match, namesakes counted) registered at its
    house number in its place (ZIP or city agreeing) on another street: the street written is
    not theirs, the rest is. None when another voter of the name is also there, or none."""
    named = [
        a for a in agreements
        if (a.person >= MATCH or _whole_name(line, a)) and not a.at_address
    ]  # fmt: skip
    fits = [
        a for a in named
        if a.number and a.street == DIFFERENT and a.place in (EXACT, Level.ZIP)
    ]  # fmt: skip
    if len(fits) != 1 or fits[0].candidate.status == "C":
        return None
    return fits[0]


def _one_name_at_address(line: LineKeys, agreements: list[Agreement]) -> Agreement | None:
    """A line of one name only ("Araujo", "Elijah") at an address: the one voter registered
    there whose surname it is (exact, a typo, part of a compound) or whose given name it is (or a
    typo or nickname of it); with no one of it there, the one voter on its street. None when the
    line has two names, or no voter or several fit (a household of ARAUJOs: any of them)."""
    if line.first or line.middle or not line.has_name:
        return None
    if any(a.reading for a in agreements):
        return None  # one word that reads as a whole name ("FelixRosales", "JGREEN")
    fits = [a for a in agreements if a.at_address and _one_name_fits(line, a)]
    if not fits:
        # No one of the name at the address: the one voter on its street, in its place, at
        # another house number (as for a line of two names: the number is a slip).
        fits = [
            a for a in agreements
            if not a.number and a.street in (EXACT, CLOSE) and a.place != DIFFERENT
            and _one_name_fits(line, a)
        ]  # fmt: skip
    return fits[0] if len(fits) == 1 else None


def _one_name_fits(line: LineKeys, a: Agreement) -> bool:
    """A line of one name only that is the voter's surname (exact, a typo, part of a compound)
    or given name (or a typo or nickname of it)."""
    if line.first or line.middle or not line.has_name:
        return False
    word = line.last_key
    return a.surname in (EXACT, CLOSE, COMPOUND) or given_level(
        word, nicknames.nickname_canon(word), a.candidate.first_key, a.candidate.first_canon
    ) in (EXACT, NICKNAME, CLOSE)


def _named_in_place(
    line: LineKeys, agreements: list[Agreement], name_count: int
) -> Agreement | None:
    """A line missing its house number or street whose name (two names, a person match) is
    borne by one voter only among those found (of a rare name, the one in the line's place),
    registered in the line's place (ZIP or city, or the city misspelt), and what the line gives
    of the address contradicts nothing of theirs: the house number theirs or, three digits or
    more, a digit off (1304 for 1340; 14 for 12 is another house), the street theirs; a part
    the roll lacks contradicts nothing. With a name rare county-wide (RARE_NAME bearers at
    most), a number or street against theirs is a slip too: the name and the place single them
    out. The line stays incomplete (it never counts, nor makes their line a duplicate); the
    link only says whose it is."""
    if not line.first or not (line.house_number or line.street_key):
        return None
    named = [a for a in agreements if a.person >= MATCH]
    if len(named) > 1:
        # Namesakes in other places: the one in the line's place, a rare name only.
        named = [a for a in named if a.place in (EXACT, Level.ZIP)]
        if name_count > RARE_NAME:
            return None
    if len(named) != 1 or named[0].place not in (EXACT, Level.ZIP, CLOSE):
        return None
    voter, written = named[0].candidate, line.house_number
    number_ok = (
        not written or not voter.house_number or written == voter.house_number
        or (len(written) >= 3 and handwriting.digit_misread(written, voter.house_number))
    )  # fmt: skip
    street_ok = not line.street_key or not voter.street_key or named[0].street in (EXACT, CLOSE)
    if number_ok and street_ok and named[0].place != CLOSE:
        return named[0]
    return named[0] if name_count <= RARE_NAME and voter.status != "C" else None


def relatives_here(agreements: Iterable[Agreement]) -> bool:
    """Voters of the line's surname registered at its address: a household the line's signer may
    belong to without being registered."""
    return any(a.at_address and a.surname in (EXACT, COMPOUND) for a in agreements)


def _address(agreement: Agreement) -> tuple[str, str, str]:
    voter = agreement.candidate
    return voter.house_number, voter.street_key, voter.city_key


def _mover(
    line: LineKeys,
    elsewhere: list[Agreement],
    name_count: int,
    places: dict[str, set[str]],
    name_chance: float | None = None,
) -> Agreement | None:
    """The voter registered elsewhere in the county that the line's signer must be, if any: the
    name rare county-wide and borne at one other address only (two namesakes there are one
    household's: JR and SR), a middle initial only the namesakes at one address share, or, of a
    few namesakes (all of them fetched), the one registered in the line's own ZIP or small town:
    most people who move stay near, and an unregistered namesake in a town of a few ZIPs is
    rare (bench 50k/10k seed 3: 31 movers found so outside Los Angeles, none wrongly; inside
    it, by ZIP only). A rare name registered in another place than the line's is the mover's
    only when it is rarer than its parts (name_chance under NAME_CHANCE): a namesake by chance
    is then unlikely; a name as common as its parts, borne by one voter across the county, is
    more often an unregistered person's (bench 1M/100k seed 7: of 219 such lines found moved,
    184 were not registered, 35 the mover; at 50k, seeds 7, 3 and 11: 122 against 38)."""
    if line.middle:
        # A middle name written where the voter has none on record: for a name found only at
        # another address, more often an unregistered namesake's than theirs (bench 50k/10k
        # seeds 3, 7 and 11: of 60 such lines found moved, 42 were not registered).
        elsewhere = [a for a in elsewhere if a.candidate.middle_name.strip()]
    registered = [a for a in elsewhere if a.candidate.status != "C"]
    if not registered:
        return None  # a cancelled registration elsewhere: not registered
    one_address = len({_address(a) for a in elsewhere}) == 1
    far = registered[0].place == DIFFERENT
    as_common_as_its_parts = far and name_chance is not None and name_chance > NAME_CHANCE
    if one_address and name_count <= RARE_NAME and not as_common_as_its_parts:
        return registered[0]
    # Namesakes whose middle initial differs are not among `elsewhere` (they score lower); the
    # written middle initial singles out those whose recorded middle agrees, at one address,
    # over namesakes with none recorded (bench 50k/10k seed 3: 7 movers found so, 1 wrongly).
    agree = [a for a in elsewhere if a.middle == EXACT] if line.middle else []
    if (
        agree and len({_address(a) for a in agree}) == 1 and name_count <= MIDDLE_SINGLES_OUT
    ):  # fmt: skip
        return next((a for a in agree if a.candidate.status != "C"), None)
    near = [a for a in elsewhere if _nearby(line, a.candidate, places)]
    if name_count <= MIDDLE_SINGLES_OUT and len({_address(a) for a in near}) == 1:
        return next((a for a in near if a.candidate.status != "C"), None)
    return None


def _one_in_place(
    line: LineKeys, agreements: list[Agreement], in_place: InPlace | None
) -> Agreement | None:
    """Of a common name, or an initial and a surname, the one bearer registered in the line's
    place, when fewer than NAME_CHANCE would be there by chance (bench 1M/100k seed 7, whole
    names: 178 lines right that were not registered, 30 not registered now called moved).
    Not a cancelled registration, nor a middle name written where theirs is none on record or
    another (as for any mover)."""
    if in_place is None or in_place.chance >= NAME_CHANCE:
        return None
    return next(
        (a for a in agreements
         if a.candidate.registrant_id == in_place.voter and not a.at_address
         and a.candidate.status != "C" and a.surname in (EXACT, COMPOUND)
         and a.given != DIFFERENT and a.middle != DIFFERENT and a.suffix != DIFFERENT
         and (not line.middle or a.candidate.middle_name.strip())),
        None,
    )  # fmt: skip


def _nearby(line: LineKeys, voter: Candidate, places: dict[str, set[str]]) -> bool:
    """The voter is registered in the line's ZIP, or in its town when that is a small one."""
    if line.zip5 and line.zip5 == voter.zip5:
        return True
    return bool(line.city_key) and line.city_key == voter.city_key and (
        len(places.get(line.city_key, ())) <= SMALL_PLACE_ZIPS
    )  # fmt: skip


def _moved_together(
    agreements: list[Agreement], moved_with: Collection[Candidate]
) -> Agreement | None:
    """The line's namesake registered at the one address where a voter another line of its
    household names is registered too (LINDA JONES and MICHAEL JONES sign one after the other
    at one new address; of the county's LINDA JONESes and MICHAEL JONESes, one of each lives at
    3518 LAURA ST): the household moved together. A registrar reading the lines side by side
    takes them for that household; two unregistered people of one surname whose names a couple
    registered together elsewhere also bear are far rarer. Two namesakes at that address (JR
    and SR): the first, as for any household of namesakes. The household vouches for a name
    written less fully too (an initial, a typo: "A Medina" beside ROSA MEDINA, ALMA MEDINA
    registered with her), when only one voter there fits it."""
    if not moved_with:
        return None
    registered = [
        a for a in agreements
        if not a.at_address and a.candidate.status != "C" and a.person >= WEAK
        and a.surname in (EXACT, COMPOUND) and a.given != DIFFERENT
        and a.middle != DIFFERENT and a.suffix != DIFFERENT
    ]  # fmt: skip
    homes: dict[tuple[str, str, str], set[str]] = {}
    for c in moved_with:
        homes.setdefault((c.house_number, c.street_key, c.city_key), set()).add(c.registrant_id)
    fits = [
        a for a in registered
        if homes.get(_address(a), set()) - {a.candidate.registrant_id}
    ]  # fmt: skip
    if len({_address(a) for a in fits}) != 1 or len({a.candidate.first_key for a in fits}) != 1:
        return None  # two homes, or two of the household the line may be (ANA, ALEX for "A")
    return fits[0]


def _moved(found: Agreement, agreements: list[Agreement], why: str) -> Outcome:
    """Registered at another address, found by what the line's co-signers, its other lines or
    its place say (why), the voter first among the candidates shown."""
    return Outcome(
        Kind.ELSEWHERE, "moved",
        f"registered at another address; {why} ({found.describe()})",
        voter=found.candidate, score=found.person,
        candidates=evidence([found, *(a for a in agreements if a is not found)]),
        agreement=found,
        # Where they are registered is the roll's, not the keyer's (see the mover's below).
        refs={"registered_at": f"{found.candidate.street_line}, {found.candidate.city}"},
    )  # fmt: skip


def _moved_beside(
    agreements: list[Agreement], housemates: Collection[Candidate]
) -> Agreement | None:
    """The one voter registered with a co-signer found moved (the same section, the same written
    address) whom the line's name fits: the household moved together, and the co-signer's
    voter, settled, narrows the county to their few housemates (JENNY CARUSO found moved,
    "MICHAEL CARUSO" beside her is the MICHAEL CARUSO registered with her, however common the
    name). A surname that agrees (exact, part of a compound, a typo or sounding alike), a given
    name that does not differ (an initial too, when only one there fits it), no middle initial
    or suffix against it, not a cancelled registration (bench 1M/100k seed 7: 121 lines, 116 of
    them that mover)."""
    if not housemates:
        return None
    homes = {(*_address_of(c), c.unit_number) for c in housemates}
    movers = {c.registrant_id for c in housemates}
    fits = [
        a for a in agreements
        if not a.at_address and (*_address(a), a.candidate.unit_number) in homes
        and a.candidate.registrant_id not in movers and a.candidate.status != "C"
        and a.surname in (EXACT, COMPOUND, CLOSE, PHONETIC) and a.given != DIFFERENT
        and a.middle != DIFFERENT and a.suffix != DIFFERENT
    ]  # fmt: skip
    return fits[0] if len({a.candidate.registrant_id for a in fits}) == 1 else None


def _couple(agreements: list[Agreement], couple: Couple | None) -> Agreement | None:
    """The line's namesake registered with a co-signer's at the one address in the county
    holding both names, when so few such pairs are expected by chance (Couple.chance) that the
    household moved together (bench 1M/100k seed 7: 665 lines, 627 of them that mover, 35 not
    registered, all of one surname: a registered couple of two surnames never happened to bear
    an unregistered pair's names).
    Not a cancelled registration (that is its own status), nor a middle name or suffix against
    the line."""
    if couple is None or couple.chance >= COUPLE_CHANCE:
        return None
    return next(
        (a for a in agreements
         if a.candidate.registrant_id == couple.voter and not a.at_address
         and a.candidate.status != "C" and a.middle != DIFFERENT and a.suffix != DIFFERENT),
        None,
    )  # fmt: skip


def _signed_again(agreements: list[Agreement], voters: Collection[str]) -> Agreement | None:
    """The one voter another line at this written address was found to be (registered
    elsewhere: moved) whose name this line bears too, written less fully or a slip off ("A
    Medina" or "a medina" beside "A MEDINA", "E Acosta" beside "EVELYN ACOSTA", "Hamazasp1an"):
    the same mover writing their new address twice, as a registrar reading the two lines side by
    side takes them. A surname that agrees (exact, part of a compound, a typo or sounding
    alike), a given name that does not differ (the same, a nickname, an initial, misspelt), no
    middle initial or suffix against it. Not when another voter registered at that mover's
    address fits the line too (JOSE RAGASA beside JOSEPH, FERDIE beside FERDINAND JR, J KRAUSE
    beside JUSTIN: the household that moved together, _moved_together's), nor when two such
    movers do (a couple of one initial)."""
    if not voters:
        return None
    homes = {_address(a) for a in agreements if a.candidate.registrant_id in voters}
    fits = [
        a for a in agreements
        if not a.at_address and _address(a) in homes
        and a.surname in (EXACT, COMPOUND, CLOSE, PHONETIC) and a.given != DIFFERENT
        and a.middle != DIFFERENT and a.suffix != DIFFERENT
    ]  # fmt: skip
    if len({a.candidate.registrant_id for a in fits}) != 1:
        return None
    again = fits[0]
    mover = again.candidate.registrant_id in voters and again.candidate.status != "C"
    return again if mover else None


def _two_vouch(together: Agreement, moved_with: Collection[Candidate]) -> bool:
    """Two other voters registered at the mover's address, of two given names, were named by
    the line's co-signers: three of one household moved together, however common the line's
    name is."""
    home, voter = _address(together), together.candidate
    others = {
        c.first_key for c in moved_with
        if _address_of(c) == home and c.registrant_id != voter.registrant_id
    }  # fmt: skip
    return len(others - {voter.first_key}) >= 2


def _address_of(voter: Candidate) -> tuple[str, str, str]:
    return voter.house_number, voter.street_key, voter.city_key


def _at_address(
    best: Agreement,
    at_address: list[Agreement],
    shown: tuple[dict[str, Any], ...],
    line: LineKeys,
) -> Outcome:
    """A voter at the address matches at least weakly: matched, a tie, or grey."""
    rivals = [
        a for a in at_address[1:]
        if a.person >= best.person - TIE and a.person >= WEAK and _as_good(a, best)
    ]  # fmt: skip
    singled = _singled_out(line, [best, *rivals]) if rivals else None
    if rivals and _namesakes(best, rivals):
        if singled is not None:
            one, what = singled
            here = f"{len(rivals) + 1} voters of this name live here, {what}"
            return _registered(one, shown, here)
        # Two registered voters of this name live here (JR/SR unwritten, a parent and child):
        # the line is one of them, whichever (the caller decides which, if it must).
        best, *rivals = sorted([best, *rivals], key=lambda a: tie_order(a.candidate))
        matched = _registered(best, shown)
        return Outcome(
            Kind.MATCHED,
            # An initial shared by household members is weaker evidence than a whole name.
            "household_initial" if best.given == INITIAL else "namesakes_at_address",
            f"{matched.summary}; {len(rivals) + 1} voters of this name live here",
            voter=best.candidate, score=best.person, candidates=shown,
            alternatives=tuple(a.candidate for a in rivals), agreement=best,
        )  # fmt: skip
    household = _household_in_unit(best, at_address)
    if household is not None:
        return Outcome(
            Kind.GREY, "grey_other_unit",
            f"a voter of this name lives in another unit ({best.describe()}); the unit written "
            f"is another household's of this surname ({household.candidate.first_name.title()} "
            f"{household.candidate.last_name.title()}): a relative there?", score=best.person,
            candidates=shown,
        )  # fmt: skip
    if singled is not None and singled[0].candidate.status != "C":
        # Two voters here the line fits about equally well by name ("L James" for LATOYA and
        # LAKISHA, "Lynn Jennifer Martin" for two LINDAs), one marked out by what is written.
        # Not a cancelled registration over an active one: in one building that is often one
        # person registered anew at another unit, whom a registrar counts (a tie, for review).
        one, what = singled
        return _registered(one, shown, f"{len(rivals) + 1} voters here fit the name, {what}")
    if rivals:
        return Outcome(
            Kind.TIE, "tie_at_address",
            f"{len(rivals) + 1} voters at this address match about equally well"
            + (" (JR/SR?)" if best.suffix != MISSING or rivals[0].suffix != MISSING else ""),
            score=best.person, candidates=shown,
        )  # fmt: skip
    if best.given == SPELLING:
        return _misspelt(best, at_address, shown)
    if best.person >= MATCH or best.given in (INITIAL, NICK_INITIAL) or best.surname == PHONETIC:
        return _registered(best, shown)
    if _read_with_typos(best, at_address):
        return _registered(best, shown, "no one else registered here has a name this close")
    return Outcome(
        Kind.GREY, "grey_zone", f"a voter at this address partly matches ({best.describe()})",
        score=best.person, candidates=shown,
    )  # fmt: skip


def _surname_slip(line: LineKeys, at_address: list[Agreement]) -> Agreement | None:
    """The one voter at the line's house number and street with its given name (exact or a
    nickname) whose surname is the written one a letter or two off, first letter kept ("Riley
    Ree" for RILEY REES, "Cassidy Campbldl"): too short or too far for a typo of the surname
    alone, but with the given name and the address theirs, and no one else there of that given
    name, a registrar reads the line as theirs."""
    written = line.last_key
    if len(written) < 3 or not line.first:
        return None
    # With a typo in the given name too ("Briannna Lockb"), the surname a letter off only.
    fits = [
        a for a in at_address
        if a.given in (EXACT, NICKNAME, CLOSE) and a.middle != DIFFERENT
        and a.suffix not in (DIFFERENT, Level.LINE_ONLY)
        and a.candidate.last_key[:1] == written[:1]
        and jellyfish.damerau_levenshtein_distance(written, a.candidate.last_key)
        <= (1 if a.given == CLOSE else 2)
    ]  # fmt: skip
    named = [a for a in at_address if a.given in (EXACT, NICKNAME, CLOSE, SPELLING)]
    return fits[0] if len(fits) == 1 and named == fits else None


def _initial_surname_slip(line: LineKeys, at_address: list[Agreement]) -> Agreement | None:
    """An initial and a surname a letter off, first letter kept ("M WLF" for MICHAEL WOLF,
    "r cuz" for ROSA CRUZ, "W Cen" for WEN-LI CHEN: a letter dropped, changed, added or two
    swapped, too short for compare to call close): the one voter at the line's house number and
    street of that initial whose surname it is, theirs (graded close). Not when someone else
    registered there has that initial (whose line?) or bears the surname as written (the line a
    relative's of theirs), nor with a middle initial or suffix against it."""
    written = line.last_key
    if len(line.first) != 1 or len(written) < 3:
        return None
    fits = [
        a for a in at_address
        if a.given == INITIAL and a.surname == DIFFERENT and a.middle != DIFFERENT
        and a.suffix not in (DIFFERENT, Level.LINE_ONLY)
        and a.candidate.last_key[:1] == written[:1]
        and jellyfish.damerau_levenshtein_distance(written, a.candidate.last_key) == 1
    ]  # fmt: skip
    of_initial = [a for a in at_address if a.given in (INITIAL, NICK_INITIAL)]
    bearers = [a for a in at_address if a.surname in (EXACT, COMPOUND)]
    if len(fits) != 1 or of_initial != fits or bearers:
        return None
    return fits[0]._replace(surname=CLOSE)


def _record_lacks_name(line: LineKeys, at_address: list[Agreement]) -> Agreement | None:
    """The one voter at the line's address whose record has one name only, the line's other name
    agreeing with it: " KLEMM" for "Tyron Klemm" (the surname exact, a compound part or a typo),
    "CHARLOTTE" with no surname for "Charlotte Fingas" (the given name exact, a nickname or a
    typo). A registrar finds the voter by that name and the address and reads the line as
    theirs, unless someone else registered there fits it as well: another of that surname (the
    line a relative's) or of that given name. The missing name is graded NOT_ON_RECORD."""
    if not line.first:
        return None  # a line of one name only: decide's one-name rule
    no_given = [
        a._replace(given=Level.NOT_ON_RECORD) for a in at_address
        if not a.candidate.first_key and a.candidate.last_key and not a.swapped
        and a.surname in (EXACT, COMPOUND, CLOSE)
    ]  # fmt: skip
    no_surname = [
        a._replace(surname=Level.NOT_ON_RECORD) for a in at_address
        if not a.candidate.last_key and a.candidate.first_key and not a.swapped
        and a.given in (EXACT, NICKNAME, CLOSE)
    ]  # fmt: skip
    fits = [
        a for a in (*no_given, *no_surname)
        if a.middle != DIFFERENT and a.suffix not in (DIFFERENT, Level.LINE_ONLY)
        and a.unit != DIFFERENT  # another unit of a building: another household
    ]  # fmt: skip
    return _alone(fits, at_address, lambda a: (
        a.surname in (EXACT, COMPOUND, CLOSE) or a.given in (EXACT, NICKNAME, CLOSE)
    ))  # fmt: skip


NAME_CHANGED = (
    "the surname written is not theirs (a changed name?); no one else registered here has "
    "either name"
)


def _name_changed(line: LineKeys, at_address: list[Agreement]) -> Agreement | None:
    """The one voter at the line's house number and street (in a building, the unit written
    theirs) whose given name is the line's exactly and whose surname is another, when no one
    else registered there bears either name (even in part: an initial, a typo) and the line's
    name is registered nowhere else in the county (decide has looked): a voter signing under a
    changed surname (marriage, divorce) at the address of their registration, as a registrar
    who finds the record by the address reads the line. A relative of theirs would bear their
    surname; the household of the written surname registered there makes the line one of
    theirs (decide does not ask then)."""
    if not line.first:
        return None
    fits = [
        a for a in at_address
        if a.given == EXACT and a.surname == DIFFERENT and not a.swapped and not a.reading
        and a.candidate.last_key and a.middle != DIFFERENT
        and a.suffix not in (DIFFERENT, Level.LINE_ONLY)
        # Their own home: a house, or the unit written being theirs. In a building, a neighbour
        # of the same given name in another unit is as likely as a changed surname.
        and (a.unit == EXACT or not a.candidate.unit_number.strip())
    ]  # fmt: skip
    return _alone(fits, at_address, lambda a: a.given != DIFFERENT or a.surname != DIFFERENT)


def _alone(
    fits: list[Agreement], at_address: list[Agreement], rival: Callable[[Agreement], bool]
) -> Agreement | None:
    """The one voter that fits, when no one else registered at the address is a rival."""
    if len(fits) != 1:
        return None
    one = fits[0].candidate.registrant_id
    others = (a for a in at_address if a.candidate.registrant_id != one)
    return None if any(rival(a) for a in others) else fits[0]


def _given_slip(line: LineKeys, at_address: list[Agreement]) -> Agreement | None:
    """The one household member at the line's house number and street (surname exact) whose
    given name is the written one a letter off, first letter kept, when what was written is no
    given name of its own ("Riy Howie" for ROY HOWIE, "Sma Blake", "Gs White"; ADA is a name,
    not ADAM's slip) and no one else there has a given name within two letters of it."""
    written = line.first
    if len(written) < 2 or spelling.known_given_name(written):
        return None
    fits = [
        a for a in at_address
        if a.surname == EXACT and a.middle != DIFFERENT
        and a.suffix not in (DIFFERENT, Level.LINE_ONLY)
        and a.candidate.first_key[:1] == written[:1]
        and jellyfish.damerau_levenshtein_distance(written, a.candidate.first_key) == 1
    ]  # fmt: skip
    near = [
        a for a in at_address
        if jellyfish.damerau_levenshtein_distance(written, a.candidate.first_key) <= 2
    ]  # fmt: skip
    return fits[0] if len(fits) == 1 and near == fits else None


def _read_with_typos(best: Agreement, at_address: list[Agreement]) -> bool:
    """The name read another way with a typo in it, at the voter's exact house number and
    street: the surname written first, with a typo in it or in the given name ("Newpirt
    Catherone" for CATHERINE NEWPORT, "Lavety Jamds"), or its spaces moved with a typo in the
    given name or the surname ("KimerlyMurphy" for KIMBERLY MURPHY, "AMRIOO CHOA" for MARIO
    OCHOA, "KevinC ehn" for KEVIN CHEN: bench 1M/100k seed 7, 33 such lines with the typo in
    the given name, every one the voter's). Theirs when no one else registered there matches
    even weakly (a sibling of a close given name)."""
    swapped = best.swapped and best.surname in (EXACT, CLOSE)
    misspaced = bool(best.reading) and (
        best.surname in (EXACT, COMPOUND) or (best.surname == CLOSE and best.given == EXACT)
    )
    read = (swapped or misspaced) and best.given in (EXACT, NICKNAME, CLOSE)
    # A published nickname with the surname written in part or a typo off ("Monna Lopez" for
    # MONICA LOPEZ GARCIA): just under a match, as the surname exact would not be (bench
    # 1M/100k seed 7: 33 such lines alone at the address, every one the voter's).
    loose = best.given == Level.LOOSE_NICKNAME and best.surname in (COMPOUND, CLOSE)
    return (
        (read or loose) and best.number and best.street == EXACT
        and best.middle != DIFFERENT and best.suffix not in (DIFFERENT, Level.LINE_ONLY)
        and not any(a is not best and a.person >= WEAK for a in at_address)
    )  # fmt: skip


_RANK: dict[Level, int] = {EXACT: 0, NICKNAME: 1, COMPOUND: 1, CLOSE: 2, PHONETIC: 3, INITIAL: 3,
                           NICK_INITIAL: 4, MISSING: 5, DIFFERENT: 6,
                           Level.LOOSE_NICKNAME: 3}  # fmt: skip
_RANK[SPELLING] = 3


def _misspelt(
    best: Agreement, at_address: list[Agreement], shown: tuple[dict[str, Any], ...]
) -> Outcome:
    """The written given name is a misspelling of the best voter's ("Stephine" for STEPHANIE):
    theirs, at their own address with the surname exact, written as part of their compound
    surname or a typo off ("Marcu Campbel": bench 50k/10k seed 3, 7 more valid lines counted,
    none wrongly), when no one else registered there is as close to what was written (an
    unregistered relative writes a name of their own, which is no misspelling:
    matching.spelling); otherwise a reading for a reviewer to settle."""
    close = [a for a in at_address if _RANK[a.given] <= _RANK[SPELLING] and a.person >= WEAK]
    if (
        best.surname in (EXACT, COMPOUND, CLOSE) and close == [best] and best.middle != DIFFERENT
        and best.suffix != DIFFERENT
    ):  # fmt: skip
        return _registered(best, shown, "no one else registered here has a first name this close")
    return Outcome(
        Kind.GREY, "grey_misspelt",
        f"a voter at this address may be the signer, the first name misspelt ({best.describe()})",
        score=best.person, candidates=shown,
    )  # fmt: skip


def _as_good(rival: Agreement, best: Agreement) -> bool:
    """A rival ties only if its reading of the name is as good, field by field: an exact name is
    not tied by a compound-surname or one-letter-off reading of another voter."""
    return _RANK[rival.surname] <= _RANK[best.surname] and _RANK[rival.given] <= _RANK[best.given]


def _namesakes(best: Agreement, rivals: list[Agreement]) -> bool:
    """Rivals the line fits exactly as well as the best, all registered, of one household name:
    the same name twice (JR/SR unwritten), or one initial shared ("J Orozco" for JUANA or
    JOSHUA). Whichever of them signed, the line counts."""
    group = [best, *rivals]
    # A typo'd surname is fine when every one of them is registered under that same surname,
    # a given name a typo off or misspelt when they all bear that same name ("Jmes" for JAMES
    # LEE SR and JR, "Lerox" for two LEROYs).
    one_surname = len({a.candidate.last_key for a in group}) == 1
    one_given = len({a.candidate.first_key for a in group}) == 1
    return all(
        a.surname == best.surname and a.given == best.given
        and (a.surname in (EXACT, COMPOUND) or (a.surname == CLOSE and one_surname))
        and (a.given in (EXACT, NICKNAME, INITIAL) or (a.given in (CLOSE, SPELLING) and one_given))
        and a.candidate.status in ("A", "I")
        for a in group
    )  # fmt: skip


def _household_in_unit(best: Agreement, at_address: list[Agreement]) -> Agreement | None:
    """A voter of the line's surname registered in the unit written, whose given name the line's
    is not, when the voter the name fits lives in another unit of the building: "David Liu, #77"
    where DAVID LIU is registered in #51 and the LIUs of #77 are ROBERT and ELIZABETH. A
    different unit alone does not invalidate a line (CCR 20931), but here the unit names another
    household of that surname, where a relative of that name may live unregistered (bench
    50k/10k seed 3: 3 such lines, all of a relative; no voter wrote another household's unit)."""
    if best.unit != DIFFERENT:
        return None
    return next(
        (
            a for a in at_address
            if a is not best and a.unit == EXACT and a.surname in (EXACT, COMPOUND)
            and a.given == DIFFERENT
        ),
        None,
    )  # fmt: skip


def tie_order(voter: Candidate) -> tuple[bool, str]:
    """The order of a tie's voters, the likeliest signer first: those with no middle name on
    record, who never write one, before those who only sometimes do (a tie's line has no middle
    initial that one of them alone bears: see _marked_out); then by registrant id, so the order
    does not depend on the roll's. Bench 50k/10k seed 3: of 82 ties between a voter with a middle
    name on record and one without, the signer was the one without in 64."""
    return bool(voter.middle_name.strip()), voter.registrant_id


def _marked_out(line: LineKeys, group: list[Agreement]) -> tuple[Agreement, str] | None:
    """Of namesakes at one address (or voters the line fits as well), the one something written
    marks out from the others, which lack it on the roll: the middle initial written and
    recorded for them alone ("William B Murphy" for WILLIAM B MURPHY JR beside WILLIAM MURPHY
    SR, who has none on record), the suffix written recorded for them alone, or every word of
    the surname written being theirs ("Mary Moore-Allen" for MARY MOORE-ALLEN beside MARY ALLEN,
    whose surname is only its last part). A namesake with another middle initial never ties
    (compare marks it different), so none is marked out over one."""
    # (how the field agrees, what the others' must be: none on record, what it marks out). A
    # suffix too: "Adderridge Jr, J" for JAMES ADDERRIDGE JR beside JESSICA ADDERRIDGE (bench
    # 50k/10k seed 7: the tie had taken it for JESSICA, who also signed by name).
    middle = (attrgetter("middle"), MISSING, "the middle initial written is theirs alone")
    suffix = (attrgetter("suffix"), Level.LINE_ONLY, "the suffix written is theirs alone")
    marks = [middle, suffix] if line.middle else [suffix]
    for field_of, none, what in marks:
        ones = [a for a in group if field_of(a) == EXACT]
        if len(ones) == 1 and all(field_of(a) == none for a in group if a is not ones[0]):
            return ones[0], what
    written = max(line.option_words, key=len, default=frozenset()) - {"Y"}
    if len(written) > 1:
        whole = [a for a in group if _surname_words(a.candidate) == written]
        if len(whole) == 1:
            return whole[0], "the whole surname written is theirs alone"
    return None


def _surname_words(voter: Candidate) -> frozenset[str]:
    return frozenset(fold(voter.last_name).split()) - {"Y"}


def _singled_out(line: LineKeys, group: list[Agreement]) -> tuple[Agreement, str] | None:
    """Of voters at one address the line fits about equally well, the one the unit written
    (_their_unit) or a middle initial, suffix or whole surname written (_marked_out) marks out,
    with what marks them."""
    unit = _their_unit(group)
    if unit is not None:
        return unit, "the unit written is theirs"
    return _marked_out(line, group)


def _their_unit(group: list[Agreement]) -> Agreement | None:
    """Of namesakes at one address (or voters the line fits as well), the one whose recorded
    unit is the one written, when every other one is registered at another unit (BRIANA
    DOMINGUEZ in APT 2102, another in APT 704: "Briana Dominguez, 1009 Pine Ave #2102")."""
    exact = [a for a in group if a.unit == EXACT]
    if len(exact) == 1 and all(a.unit == DIFFERENT for a in group if a is not exact[0]):
        return exact[0]
    return None


def _registered(best: Agreement, shown: tuple[dict[str, Any], ...], note: str = "") -> Outcome:
    """Matched to the best voter at the address (its registration possibly cancelled); `note`,
    why the reading holds, follows the agreement in the summary."""
    voter = best.candidate
    also = f"; {note}" if note else ""
    if voter.status == "C":
        return Outcome(
            Kind.MATCHED, "cancelled", f"registration cancelled ({best.describe()}){also}",
            voter=voter, score=best.person, candidates=shown, agreement=best,
        )  # fmt: skip
    return Outcome(Kind.MATCHED, "match", f"{best.describe()}{also}", voter=voter,
                   score=best.person, candidates=shown, agreement=best)  # fmt: skip


def _misread_number(agreements: list[Agreement], at_address: list[Agreement]) -> list[Agreement]:
    """The voters of this name (surname exact or compound; given name exact, a nickname or a
    typo; middle initial and suffix not against it) registered on the line's street at a house
    number one digit off the written one (1274 read as 1247), best first: a registrar with the
    record beside the line counts the one such voter, and decide reads two or more of one
    address there as at the address written (namesakes, JR and SR). Empty when the written
    number holds a household of the name (the line is one of theirs). With only an initial for
    the given name too, as at the exact address (bench 1M/100k seed 7: 51 such lines right, 3 a
    relative's initial), a looser reading of the given name (a published nickname, a
    misspelling) or a typo in the surname: the voter found there would otherwise be taken to
    have moved down their own street (bench 1M/100k seed 7: 9 valid lines called
    address_mismatch)."""
    if any(a.surname in (EXACT, COMPOUND) for a in at_address):
        return []
    fits = [
        a for a in agreements
        if a.misread and a.place != DIFFERENT and a.person >= WEAK
        and (
            (a.surname in (EXACT, COMPOUND)
             and a.given in (EXACT, NICKNAME, CLOSE, INITIAL, NICK_INITIAL, SPELLING,
                             Level.LOOSE_NICKNAME))
            # A typo in the surname beside the misread number, the given name theirs.
            or (a.surname == CLOSE and a.given in (EXACT, NICKNAME))
        )
        and a.middle != DIFFERENT and a.suffix != DIFFERENT
    ]  # fmt: skip
    return sorted(fits, key=lambda a: -a.person)


def _last_letter_flip(line: LineKeys, at_address: list[Agreement]) -> Agreement | None:
    """The one household member at the address whose given name is the line's with its last
    letter O for A or A for O (MARIO written, MARIA registered): a hand confuses the two, and
    they are also a brother's name and a sister's. Neither counting nor refusing the line is
    settled: review."""
    first = line.first
    if len(first) < 4 or first[-1] not in "AO":
        return None
    fits = [
        a for a in at_address
        if a.surname in (EXACT, COMPOUND) and a.given == DIFFERENT and a.middle != DIFFERENT
        and a.candidate.first_key[:-1] == first[:-1] and a.candidate.first_key[-1:] in ("A", "O")
    ]  # fmt: skip
    return fits[0] if len(fits) == 1 else None


def _in_county(line: LineKeys, places: dict[str, set[str]]) -> bool:
    """Whether the line's place may be the county's: its ZIP or its city one of the roll's
    (a ZIP written a digit off beside a city of the county, BRIGHTON 03728 for 03782, is the
    county's), or its city a letter off one (EAST PRSETON), whatever the ZIP."""
    if line.zip5 and county_zip(line.zip5, places):
        return True
    if line.city_key:
        return line.city_key in places or place_slip(line.city_key, places)
    return not line.zip5
