"""Suspect sections (issue 21): each pattern flags its case and not an honest section of bad
luck; the chance arithmetic; circulators by their typed name."""

import datetime as dt
import itertools
import math
import random

import pytest
from django.core.management import call_command

from petitions.models import Line, Petition, Section
from petitions.suspect_stats import binomial_at_least, binomial_at_most, ordered_run, weight
from petitions.suspects import circulator_key, score_sections, section_figures
from tests.voters.factories import voter, write_canonical

pytestmark = pytest.mark.django_db(transaction=True)

SURNAMES = [f"{a}{b}" for a in ("AB", "CA", "DO", "FE", "GU", "HI", "LO", "MA", "PE", "RU")
            for b in ("LEY", "NEZ", "TON", "RA", "SKI", "DA")]  # fmt: skip
ZIPS = [f"9{n:04d}" for n in range(1, 41)]
VOTERS = 2000
FIRST_ID = 100_001
DAY = dt.date(2026, 3, 10)


def test_binomial_tails_and_ordered_runs():
    assert binomial_at_most(0, 20, 0.25) == pytest.approx(0.75**20)
    assert binomial_at_least(20, 20, 0.5) == pytest.approx(0.5**20)
    assert binomial_at_most(3, 10, 0.3) + binomial_at_least(4, 10, 0.3) == pytest.approx(1.0)
    # Every one of 20 distinct values in order: 2 orders of 20! (rising or falling).
    assert ordered_run(19, 19) == pytest.approx(2 / math.factorial(20))
    assert ordered_run(19, 19) == ordered_run(19, 0)
    assert ordered_run(9, 5) == 1.0  # about half rising: nothing odd
    assert ordered_run(200, 199) < 1e-30  # the normal approximation past EXACT_ORDER_UP_TO
    assert weight(1e-20) == 12.0
    assert weight(0.5) == pytest.approx(0.30103, abs=1e-4)


def test_a_circulator_is_the_record_or_else_the_typed_name_folded():
    assert circulator_key({"circulator_name": "  ana   Ruiz "}) == "ANA RUIZ"
    assert circulator_key(Section(circulator_name="Ana Ruiz")) == "ANA RUIZ"
    # Linked to a record: the record, whatever was typed (a merge made two names one).
    assert circulator_key({"circulator_name": "A. Ruiz", "circulator_id": 7}) == "c7"
    assert circulator_key(Section(circulator_name="Ana Ruiz", circulator_id=7)) == "c7"


@pytest.fixture
def county(tmp_path):
    rng = random.Random(7)
    rows = [
        voter(FIRST_ID + i, last_name=rng.choice(SURNAMES), first_name=f"P{i}",
              house_number=str(100 + i), zip=rng.choice(ZIPS),
              status="C" if i % 50 == 0 else "A",
              registration_date="2026-01-15" if i % 9 == 0 else "2010-05-01")
        for i in range(VOTERS)
    ]  # fmt: skip
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", rows)))
    return {FIRST_ID + i: row for i, row in enumerate(rows)}


class Campaign:
    """Sections keyed straight with their statuses (no matcher): an honest base of twenty
    circulators, ~25% invalid, signers in no order, dated within their declarations."""

    def __init__(self, county: dict[int, dict]) -> None:
        self.county = county
        self.rng = random.Random(11)
        self.petition = Petition.objects.create(title="T", slug="t", required_signatures=100)
        self.pool = [v for v, row in county.items() if row["status"] == "A"]
        self.rng.shuffle(self.pool)
        self.serial = 0
        for s in range(40):
            self.honest(f"Honest {s % 20}")

    def voters(self, n: int) -> list[int]:
        taken, self.pool = self.pool[:n], self.pool[n:]
        if len(taken) < n:
            raise AssertionError("the test county ran out of voters")
        return taken

    def section(self, circulator: str, voters: list[int], statuses: list[str],
                dates: list[dt.date | None] | None = None, declared: tuple[dt.date, dt.date]
                | None = None, zips: list[str] | None = None) -> Section:  # fmt: skip
        self.serial += 1
        start, end = declared or (DAY - dt.timedelta(days=6), DAY)
        section = Section.objects.create(
            petition=self.petition, serial=self.serial, circulator_name=circulator,
            circulated_from=start, circulated_to=end,
        )  # fmt: skip
        dates = dates or [start + dt.timedelta(days=self.rng.randint(0, (end - start).days))
                          for _ in voters]  # fmt: skip
        Line.objects.bulk_create(
            Line(petition=self.petition, section=section, number=n, printed_name="X",
                 residence_address="1 A St", status=status,
                 zip=(zips[n - 1] if zips else self.county[v]["zip"]) if v else "",
                 voter_registrant_id=str(v) if status != "not_registered" else "",
                 counted=status == "valid", date_signed=day)
            for n, (v, status, day) in enumerate(zip(voters, statuses, dates, strict=True), 1)
        )  # fmt: skip
        return section

    def statuses(self, n: int, invalid: float) -> list[str]:
        return [self.rng.choice(("not_registered", "address_mismatch", "not_registered"))
                if self.rng.random() < invalid else "valid" for _ in range(n)]  # fmt: skip

    def honest(self, circulator: str, n: int = 20, invalid: float = 0.25, **kw) -> Section:
        return self.section(circulator, self.voters(n), self.statuses(n, invalid), **kw)

    def flagged(self) -> dict[int, set[str]]:
        suspects = score_sections(section_figures(self.petition))
        return {s["serial"]: {r["pattern"] for r in s["reasons"]} for s in suspects}


@pytest.fixture
def campaign(county):
    return Campaign(county)


def _honest_clean(campaign: Campaign) -> None:
    """No honest base section is flagged (the patterns' false flags, on this county)."""
    flags = campaign.flagged()
    assert not [serial for serial in flags if serial <= 40], flags


def test_signers_in_the_rolls_own_order_are_flagged(campaign):
    ids = sorted(campaign.voters(20))
    copied = campaign.section("Copy Cat", ids, ["valid"] * 20)
    lucky = campaign.honest("Fair Play")  # signers in no order
    flags = campaign.flagged()
    assert "roll_order" in flags[copied.serial]
    assert lucky.serial not in flags
    _honest_clean(campaign)


def test_signers_in_zip_or_alphabetical_order_are_flagged(campaign, county):
    by_zip = sorted(campaign.voters(24), key=lambda v: (county[v]["zip"], -v))
    by_name = sorted(campaign.voters(24), key=lambda v: (county[v]["last_name"], -v))
    zipped = campaign.section("Zip Walker", by_zip, ["valid"] * 24)
    named = campaign.section("Alpha Bet", by_name, ["valid"] * 24)
    flags = campaign.flagged()
    assert "zip_order" in flags[zipped.serial]
    assert "name_order" in flags[named.serial]
    assert "roll_order" not in flags[zipped.serial]  # ids descending within a ZIP only
    _honest_clean(campaign)


def test_not_enough_mistakes_is_flagged_but_not_a_lucky_honest_section(campaign):
    tables = [campaign.section("Round Table", campaign.voters(25), ["valid"] * 25)
              for _ in range(4)]  # fmt: skip
    lucky = campaign.section("Lucky Lu", campaign.voters(20), ["valid"] * 19 + ["not_registered"])
    flags = campaign.flagged()
    for section in tables:
        assert "few_mistakes" in flags[section.serial]
    assert lucky.serial not in flags  # 1 of 20 invalid at 25%: p = 0.02, not rare enough
    _honest_clean(campaign)


def test_every_line_on_one_day_or_outside_the_declaration(campaign):
    one_day = campaign.honest("Same Day", dates=[DAY] * 20)
    declared_one_day = campaign.honest("Market Stall", dates=[DAY] * 20, declared=(DAY, DAY))
    dates = [DAY - dt.timedelta(days=2)] * 16 + [DAY + dt.timedelta(days=5)] * 4
    outside = campaign.honest("Late Dates", dates=dates)
    flags = campaign.flagged()
    assert flags[one_day.serial] == {"same_day"}
    assert declared_one_day.serial not in flags  # one day declared, one day signed
    assert flags[outside.serial] == {"outside_dates"}
    _honest_clean(campaign)


def test_signers_gone_before_they_signed_are_flagged(campaign, county):
    moved = [v for v in campaign.pool if county[v]["registration_date"] == "2026-01-15"][:8]
    campaign.pool = [v for v in campaign.pool if v not in moved]
    cancelled = [v for v, row in county.items() if row["status"] == "C"][:4]
    signers = moved + cancelled + campaign.voters(8)
    statuses = ["address_mismatch"] * 8 + ["canceled"] * 4 + ["valid"] * 8
    old_list = campaign.section("Old List", signers, statuses)
    # Two movers of 20 (registered elsewhere long before): an honest section's share.
    unlucky = campaign.section("Unlucky", campaign.voters(20),
                               ["address_mismatch"] * 2 + ["valid"] * 18)  # fmt: skip
    flags = campaign.flagged()
    assert "gone_before" in flags[old_list.serial]
    assert unlucky.serial not in flags
    _honest_clean(campaign)


def test_the_same_signers_with_two_circulators_the_same_day_elsewhere(campaign):
    shared = campaign.voters(4)
    here = campaign.section(
        "North Side",
        shared + campaign.voters(16),
        ["valid"] * 20,
        dates=[DAY] * 20,
        declared=(DAY, DAY),
        zips=["90001"] * 20,
    )
    there = campaign.section("South Side", shared + campaign.voters(16),
                             ["duplicate"] * 4 + ["valid"] * 16, dates=[DAY] * 20,
                             declared=(DAY, DAY), zips=["90039"] * 20)  # fmt: skip
    # The same voters again on another day: people who signed twice, no more.
    again = campaign.voters(3)
    campaign.section("Day One", again + campaign.voters(7), ["valid"] * 10, dates=[DAY] * 10,
                     declared=(DAY, DAY), zips=["90002"] * 10)  # fmt: skip
    other_day = DAY + dt.timedelta(days=1)
    later = campaign.section("Day Two", again + campaign.voters(7),
                             ["duplicate"] * 3 + ["valid"] * 7, dates=[other_day] * 10,
                             declared=(other_day, other_day), zips=["90038"] * 10)  # fmt: skip
    flags = campaign.flagged()
    assert "same_signer" in flags[here.serial]
    assert "same_signer" in flags[there.serial]
    assert later.serial not in flags
    _honest_clean(campaign)


def test_one_bad_night_is_flagged_but_not_a_section_of_bad_luck(campaign):
    for _ in range(4):
        campaign.honest("Night Owl", invalid=0.1)
        campaign.honest("Steady Eddie", invalid=0.2)
    night = campaign.section("Night Owl", campaign.voters(20),
                             ["not_registered"] * 15 + ["valid"] * 5)  # fmt: skip
    bad_luck = campaign.section("Steady Eddie", campaign.voters(20),
                                ["not_registered"] * 8 + ["valid"] * 12)  # fmt: skip
    flags = campaign.flagged()
    assert "bad_night" in flags[night.serial]
    assert bad_luck.serial not in flags
    _honest_clean(campaign)


def test_the_score_adds_the_reasons_and_ranks_the_worst_first(campaign):
    ids = sorted(campaign.voters(25))
    worst = campaign.section("Copy Cat", ids, ["valid"] * 25, dates=[DAY] * 25)
    suspects = score_sections(section_figures(campaign.petition))
    top = suspects[0]
    assert top["serial"] == worst.serial
    assert {r["pattern"] for r in top["reasons"]} >= {"roll_order", "same_day"}
    assert top["score"] == pytest.approx(sum(r["weight"] for r in top["reasons"]), abs=0.02)
    assert all(a["score"] >= b["score"] for a, b in itertools.pairwise(suspects))
