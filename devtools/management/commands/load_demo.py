"""The demo set-up `make run` performs: demo users (passwords printed once), a voter roll and a
petition six weeks into its circulation, its lines keyed at a rising pace."""

import csv
import datetime as dt
import math
import random
import secrets
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from devtools.demo_passwords import demo_passwords_save, passwords_path
from devtools.synthetic import write_roll, write_signatures
from devtools.synthetic.circulators import HONEST, write_circulator_petition
from petitions.models import Circulator, PayEntry, Petition
from petitions.services import petition_create, signatures_import
from petitions.services.circulators import circulator_shift_add, circulator_update
from petitions.services.pay import pay_period_close, period_end, period_problem, period_start_of
from petitions.validation import petition_validate_pending
from recall.models import command_actor
from recall.roles import ADMIN, ORGANIZER, REVIEWER, VOLUNTEER
from recall.services import user_create_with_role
from voters.models import VoterRoll
from voters.selectors import active_roll
from voters.services import voter_roll_create, voter_roll_import

DEMO_VOTERS = 200_000
DEMO_LINES = 5_000
DEMO_PETITION = "demo-recall"
# A district recall on the same roll: lines gathered across the county, only the district's count.
DEMO_DISTRICT_PETITION = "demo-supervisor-3"
DEMO_DISTRICT = ("supervisorial_district", "3")
DEMO_DISTRICT_LINES = 1_000
DEMO_SEED = 2022
# The lines of the demo's suspect circulators (one of each pattern: devtools.synthetic.circulators)
DEMO_SUSPECT_LINES = 450
# The story: the petition was approved six weeks ago; sections come back and are keyed at a
# pace that rises week by week (as a campaign's does once it has found its circulators), so
# that at today's pace it would qualify by its deadline with some room.
DEMO_WEEKS_IN = 6

DEMO_USERS = (
    ("volunteer", VOLUNTEER),
    ("reviewer", REVIEWER),
    ("organizer", ORGANIZER),
    ("admin", ADMIN),
)


class Command(BaseCommand):
    help = "Create the demo users (and, once present, the demo data set). Harmless to run twice."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--voters", type=int, default=DEMO_VOTERS, help="demo roll size")
        parser.add_argument("--lines", type=int, default=DEMO_LINES, help="demo petition lines")

    @command_actor("load_demo")  # the audit log names who loaded the demo
    def handle(self, *args: Any, **options: Any) -> None:
        self._users()
        self._roll(options["voters"])
        self._petition(options["lines"])
        self._district_petition()
        self._pay()

    def _petition(self, lines: int) -> None:
        """A petition with lines of realistic quality drawn from the demo roll, validated."""
        petition = Petition.objects.filter(slug=DEMO_PETITION).first()
        if petition is not None:
            self.stdout.write(f"demo: petition {petition.slug} exists")
            return
        folder = Path(settings.BASE_DIR) / "var" / "demo"
        roll = active_roll()
        if roll is None:  # _roll made one active
            raise CommandError("no active voter roll for the demo petition")
        lines_path = folder / f"demo-lines-{lines}.csv"
        # Lines of write_signatures, then one circulator committing each pattern the suspect
        # list looks for (issue 21), about DEMO_SUSPECT_LINES lines: as many lines in all.
        honest = max(lines // 2, lines - DEMO_SUSPECT_LINES)
        write_circulator_petition(
            Path(roll.source_path), lines_path, honest, DEMO_SEED,
            truth_path=folder / f"demo-truth-{lines}.csv", sections_path=suspects_path(lines),
        )  # fmt: skip
        today = timezone.localdate()
        with transaction.atomic():
            # The demo county's own registered voters are the registration base (EC 11221).
            petition = petition_create(
                title="Recall of the District Attorney (demo)", slug=DEMO_PETITION,
                officer="District Attorney", registration_base=roll.rows_imported,
                approved_on=today - dt.timedelta(weeks=DEMO_WEEKS_IN),
            )  # fmt: skip
            report = signatures_import(petition=petition, path=lines_path)
            _spread_over_weeks(petition, today)
            _suspect_dates(petition, demo_suspect_patterns(lines))
        self.stdout.write(f"demo: petition {petition.slug} with {report.lines_created:,} lines; "
                          "validating them")  # fmt: skip
        while petition_validate_pending(petition_id=petition.pk):
            pass
        counts = dict(petition.lines.values_list("status").annotate(n=Count("id")).order_by())
        self.stdout.write("demo: " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))

    def _district_petition(self) -> None:
        """A supervisor's recall: signatures gathered anywhere in the county, of which only the
        3rd district's voters count (the others: out of jurisdiction, saying where)."""
        if Petition.objects.filter(slug=DEMO_DISTRICT_PETITION).exists():
            return
        roll = cast(VoterRoll, active_roll())
        lines_path = Path(settings.BASE_DIR) / "var" / "demo" / "demo-district-lines.csv"
        write_signatures(Path(roll.source_path), lines_path, DEMO_DISTRICT_LINES, DEMO_SEED + 3)
        column, value = DEMO_DISTRICT
        with transaction.atomic():
            # No base given: the roll's voters of the district are counted (EC 11221).
            petition = petition_create(
                title="Recall of Supervisor Jane Doe, 3rd District (demo)",
                slug=DEMO_DISTRICT_PETITION, officer="Supervisor, 3rd District",
                approved_on=timezone.localdate() - dt.timedelta(weeks=2),
                electorate_districts={column: [value]},
            )  # fmt: skip
            signatures_import(petition=petition, path=lines_path)
        while petition_validate_pending(petition_id=petition.pk):
            pass
        counts = dict(petition.lines.values_list("status").annotate(n=Count("id")).order_by())
        self.stdout.write(
            f"demo: petition {petition.slug} ({column} {value}: "
            f"{petition.registration_base:,} voters, {petition.required_signatures:,} required): "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items()))
        )

    def _pay(self) -> None:
        """A few paid circulators and the pay periods closed, so the pay pages show a ledger."""
        petition = Petition.objects.filter(slug=DEMO_PETITION).first()
        if petition is None or petition.approved_on is None or PayEntry.objects.exists():
            return
        paid, closed = _pay_demo(petition)
        self.stdout.write(f"demo: {paid} circulators paid, {closed} pay periods closed")

    def _roll(self, voters: int) -> None:
        roll = active_roll()
        if roll is not None:
            self.stdout.write(
                f"demo: voter roll {roll.source_name} is active ({roll.rows_imported:,} voters)"
            )
            return
        path = Path(settings.BASE_DIR) / "var" / "demo" / f"demo-roll-{voters}.csv"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            self.stdout.write(f"demo: generating a synthetic county roll of {voters:,} voters")
            write_roll(path, voters, DEMO_SEED)
        self.stdout.write(f"demo: importing {path.name}")
        roll = voter_roll_create(path=path, source_name=path.name, enqueue=False)
        roll = voter_roll_import(roll_id=roll.pk)
        if roll.state != VoterRoll.State.ACTIVE:
            raise CommandError(f"demo roll import failed: {roll.error}")
        self.stdout.write(f"demo: voter roll active with {roll.rows_imported:,} voters")

    def _users(self) -> None:
        users = get_user_model().objects
        created = []
        for username, role in DEMO_USERS:
            if users.filter(username=username).exists():
                continue
            password = f"{username}-{secrets.token_urlsafe(6)}"
            user_create_with_role(username=username, password=password, role=role)
            created.append((username, role, password))
        if not created:
            self.stdout.write(
                "demo: users volunteer, reviewer, organizer, admin exist (`make run` shows their "
                "passwords once it is up; `manage.py changepassword NAME` sets a new one)"
            )
            return
        demo_passwords_save([(username, password) for username, _, password in created])
        self.stdout.write(self.style.SUCCESS(
            f"demo: created these users (passwords kept in {passwords_path()}):"
        ))  # fmt: skip
        for username, role, password in created:
            self.stdout.write(f"    {role:<10} login: {username:<10} password: {password}")


# The demo's paid circulators: the first few of the county petition by name, per valid line but
# the first (by the hour, with a few shifts); the rest stay volunteers.
DEMO_PAID = 5
DEMO_RATE = Decimal("2.50")
DEMO_HOURLY_RATE = Decimal("18.00")


def _pay_demo(petition: Petition) -> tuple[int, int]:
    """Pay a few of the petition's circulators, then close every pay period over since its
    approval, oldest first (as the weeks would have gone). Returns (paid, periods closed)."""
    records = list(
        Circulator.objects.filter(sections__petition=petition).distinct().order_by("name_key")
    )[:DEMO_PAID]
    for number, record in enumerate(records):
        hourly = number == 0
        circulator_update(
            circulator=record, user=None, address=record.address, phone="", email="",
            kind=Circulator.Kind.PAID,
            pay_basis=Circulator.PayBasis.HOURLY if hourly else Circulator.PayBasis.PER_VALID_LINE,
            rate=DEMO_HOURLY_RATE if hourly else DEMO_RATE,
        )  # fmt: skip
        if hourly:
            days = record.sections.filter(circulated_to__isnull=False).values_list(
                "circulated_to", flat=True
            )
            for day in sorted({d for d in days if d is not None}):
                circulator_shift_add(circulator=record, day=day, hours=Decimal(4), user=None)
    start = period_start_of(cast(dt.date, petition.approved_on))
    closed = 0
    while period_problem(start) is None:
        pay_period_close(period_start=start, user=None)
        start, closed = period_end(start) + dt.timedelta(days=1), closed + 1
    return len(records), closed


def suspects_path(lines: int) -> Path:
    return Path(settings.BASE_DIR) / "var" / "demo" / f"demo-sections-{lines}.csv"


def demo_suspect_patterns(lines: int) -> dict[int, str]:
    """{serial: pattern} of the demo petition's fraudulent sections (its sections file)."""
    with suspects_path(lines).open(newline="") as f:
        return {int(r["section"]): r["pattern"] for r in csv.DictReader(f)
                if r["pattern"] != HONEST}  # fmt: skip


def _suspect_dates(petition: Petition, patterns: dict[int, str]) -> None:
    """The fraudulent sections' dates, on top of the campaign's (_spread_over_weeks): one day
    for every line of a section declared over several, half a section's lines dated before its
    circulation, and the two same-signer sections on one day."""
    serials = {pattern: sorted(s for s, p in patterns.items() if p == pattern)
               for pattern in set(patterns.values())}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE petitions_section SET circulated_from = least(circulated_from,
                circulated_to - 4) WHERE petition_id = %s AND serial = ANY(%s)
            """,
            [petition.pk, serials.get("same_day", [])],
        )
        cursor.execute(
            """
            UPDATE petitions_line l SET date_signed = s.circulated_from
            FROM petitions_section s WHERE s.id = l.section_id AND s.petition_id = %s
              AND s.serial = ANY(%s)
            """,
            [petition.pk, serials.get("same_day", [])],
        )
        cursor.execute(
            """
            UPDATE petitions_line l
            SET date_signed = s.circulated_from - (3 + l.number %% 10)
            FROM petitions_section s WHERE s.id = l.section_id AND s.petition_id = %s
              AND s.serial = ANY(%s) AND l.number %% 2 = 1
            """,
            [petition.pk, serials.get("backdated", [])],
        )
        pairs = serials.get("same_signer", [])
        for first, second in zip(pairs[::2], pairs[1::2], strict=False):
            cursor.execute(
                """
                UPDATE petitions_section b
                SET circulated_from = a.circulated_from,
                    circulated_to = greatest(a.circulated_from, least(a.circulated_to,
                                                                      b.received_on))
                FROM petitions_section a
                WHERE a.petition_id = %s AND a.serial = %s AND b.petition_id = a.petition_id
                  AND b.serial = %s
                """,
                [petition.pk, first, second],
            )
            cursor.execute(
                """
                UPDATE petitions_line l SET date_signed = a.circulated_from
                FROM petitions_section a, petitions_section s
                WHERE a.petition_id = %s AND a.serial = %s AND s.id = l.section_id
                  AND s.petition_id = a.petition_id AND s.serial IN (%s, %s)
                """,
                [petition.pk, first, first, second],
            )


def _spread_over_weeks(petition: Petition, today: dt.date) -> None:
    """Give the imported sections and lines the dates of a campaign since approval: each
    section circulated for a few days to two weeks, received and keyed soon after, its lines
    signed while it circulated. Sections are keyed in serial order at a daily pace rising
    linearly (the share keyed by day d of D is (d/D)^2), so the pace chart climbs. Two UPDATEs;
    the tally triggers move the lines' counts to the days they are now entered on."""
    approved = cast(dt.date, petition.approved_on)
    days = (today - approved).days
    rng = random.Random(DEMO_SEED)  # noqa: S311 (demo data, not a secret)
    sizes = list(
        petition.sections.order_by("serial").annotate(n=Count("lines")).values_list("pk", "n")
    )
    total = sum(n for _, n in sizes) or 1
    columns: list[list[Any]] = [[], [], [], [], []]  # id, keyed at, from, to, received
    done = 0
    for pk, n in sizes:
        # The first sections come back on day 3; the last ones yesterday.
        keyed_on = approved + dt.timedelta(days=3 + int((days - 3) * math.sqrt(done / total)))
        received = keyed_on - dt.timedelta(days=rng.choice((0, 0, 1, 2)))
        circulated_to = max(approved, received - dt.timedelta(days=rng.randint(0, 2)))
        circulated_from = max(approved, circulated_to - dt.timedelta(days=rng.randint(3, 14)))
        keyed_at = timezone.make_aware(
            dt.datetime.combine(keyed_on, dt.time(rng.randint(9, 19), rng.randint(0, 59)))
        )
        for column, value in zip(
            columns, (pk, keyed_at, circulated_from, circulated_to, received), strict=True
        ):
            column.append(value)
        done += n
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE petitions_section AS s
            SET circulated_from = v.f, circulated_to = v.t, received_on = v.r
            FROM unnest(%s::bigint[], %s::date[], %s::date[], %s::date[]) AS v(id, f, t, r)
            WHERE s.id = v.id
            """,
            [columns[0], columns[2], columns[3], columns[4]],
        )
        # A volunteer keys a line every half minute or so; each line signed on a day of its
        # section's circulation (spread by its number: the same demo every time; 17, prime to
        # every span, so that no honest section has all its lines on one day).
        cursor.execute(
            """
            UPDATE petitions_line AS l
            SET entered_at = v.at + l.number * interval '31 seconds',
                date_signed = v.f + ((l.number * 17 + l.section_id) %% (v.t - v.f + 1))::int
            FROM unnest(%s::bigint[], %s::timestamptz[], %s::date[], %s::date[])
                AS v(id, at, f, t)
            WHERE l.section_id = v.id
            """,
            columns[:4],
        )
