"""Petitions, their circulated sections and the signature lines keyed from them.

A line's decision mirrors the registrar's categories (Line.Status). The voter a line matched is
kept by RegistrantID, the state's stable voter identifier, plus the roll it was validated
against: rolls are replaced over a campaign, a registrant's id is not.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The most lines a section holds: the same limit for a typed, an automatic or an imported number.
MAX_LINE_NUMBER = 1000


class DuplicateRule(models.TextChoices):
    COUNT_ONE = "count_one", _("Count one line per voter, reject the others")
    REJECT_ALL = "reject_all", _("Reject every line of a voter who signed more than once")


class RegistrationRule(models.TextChoices):
    BEFORE_FILING = "before_filing", _("Registered before the petition is filed")
    AT_SIGNING = "at_signing", _("Registered when signing")


class SamplingRule(models.TextChoices):
    COUNTY = "county", _("County recall: 500 or 5%, full count at 90-110%")
    STATEWIDE = "statewide", _("Statewide: 500 or 3%, full count at 95-110%")


class Petition(models.Model):
    DuplicateRule = DuplicateRule
    RegistrationRule = RegistrationRule
    SamplingRule = SamplingRule

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    officer = models.CharField(max_length=200, blank=True, help_text="The officer to be recalled.")
    jurisdiction = models.CharField(max_length=100, default="Los Angeles County")
    county_code = models.CharField(max_length=2, default="19", help_text="SoS county code.")
    # The electorate: who may sign (petitions.electorate). Each part narrows the roll; none given,
    # every voter of the roll. Counties by SoS code (several, or all 58 for a statewide office);
    # a city as the roll writes it; districts as {roll column: [values]} (any value of a column,
    # every column given).
    electorate_counties = ArrayField(
        models.CharField(max_length=2), default=list, blank=True,
        help_text="SoS county codes of the electorate; none: every county of the roll.",
    )  # fmt: skip
    electorate_city = models.CharField(
        max_length=100, blank=True, help_text="A city of the roll: only its voters may sign."
    )
    electorate_districts = models.JSONField(
        default=dict, blank=True,
        help_text='District columns of the roll and their values, e.g. {"SupDist": ["3"]}.',
    )  # fmt: skip
    # A statewide officer's recall needs signatures equal to 1% of the last vote for the office
    # in each of at least 5 counties (Const. art. II section 14(b)): that vote, by county code
    # ({"19": 2910000, ...}; set_county_votes). Empty: the rule is not followed for this petition.
    county_votes = models.JSONField(
        default=dict, blank=True,
        help_text="The last vote for the office in each county, by SoS county code.",
    )  # fmt: skip
    approved_on = models.DateField(null=True, blank=True, help_text="Petition form approved.")
    deadline = models.DateField(null=True, blank=True)
    filed_on = models.DateField(null=True, blank=True)
    registration_base = models.PositiveIntegerField(null=True, blank=True)
    required_signatures = models.PositiveIntegerField()
    duplicate_rule = models.CharField(
        max_length=16, choices=DuplicateRule.choices, default=DuplicateRule.COUNT_ONE
    )
    registration_rule = models.CharField(
        max_length=16, choices=RegistrationRule.choices, default=RegistrationRule.BEFORE_FILING
    )
    sampling_rule = models.CharField(
        max_length=16, choices=SamplingRule.choices, default=SamplingRule.COUNTY
    )
    double_entry = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Not fields: set by petitions.selectors.petition_list for the petition list page.
    invalid_counts: list[tuple[str, int]]
    lines_invalid: int
    lines_total: int

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("view_dashboard", "Can view the organizer dashboard"),
            ("export_signatures", "Can export signers and download lists"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=True)
                | Q(approved_on__isnull=True)
                | Q(deadline__gte=F("approved_on")),
                name="petitions_deadline_after_approval",
            ),
            models.CheckConstraint(
                condition=Q(required_signatures__gt=0), name="petitions_required_positive"
            ),
            # The rules are enums: a raw UPDATE cannot store a value the code does not know.
            models.CheckConstraint(
                condition=Q(duplicate_rule__in=DuplicateRule.values),
                name="petitions_duplicate_rule_known",
            ),
            models.CheckConstraint(
                condition=Q(registration_rule__in=RegistrationRule.values),
                name="petitions_registration_rule_known",
            ),
            models.CheckConstraint(
                condition=Q(sampling_rule__in=SamplingRule.values),
                name="petitions_sampling_rule_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def electorate_label(self) -> str:
        """Who may sign, in words: the jurisdiction's name, or the district, city or counties."""
        from petitions.electorate import Electorate  # it reads these models

        electorate = Electorate.of(self)
        if electorate.whole_roll:
            return self.jurisdiction
        return f"{self.jurisdiction} · {electorate.label(self)}"


class CirculatorKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer")
    PAID = "paid", _("Paid")


class PayBasis(models.TextChoices):
    PER_RAW_LINE = "per_raw_line", _("Per line gathered")
    PER_VALID_LINE = "per_valid_line", _("Per valid line")
    HOURLY = "hourly", _("Hourly")


class Circulator(models.Model):
    """A person who circulates sections, campaign-wide (any petition): contact and pay terms.

    Sections keep the name and address typed off the paper; `Section.circulator` links the
    record whose name key (matching.text.fold of the name) is the typed name's, or one merged
    into it (CirculatorAlias)."""

    Kind = CirculatorKind
    PayBasis = PayBasis

    name = models.CharField(max_length=200)
    # fold(name): "J. O'Neil" -> "J ONEIL". One record per key: the matching's guarantee.
    name_key = models.CharField(max_length=200, unique=True)
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.VOLUNTEER)
    pay_basis = models.CharField(
        max_length=16, choices=PayBasis.choices, default=PayBasis.PER_VALID_LINE
    )
    # Dollars per line or per hour, to the cent.
    rate = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_key", "id"]
        permissions = [("manage_pay", "Can close pay periods and download payroll")]
        constraints = [
            models.CheckConstraint(condition=~Q(name_key=""), name="petitions_circulator_key"),
            models.CheckConstraint(condition=Q(rate__gte=0), name="petitions_circulator_rate"),
            models.CheckConstraint(
                condition=Q(kind__in=CirculatorKind.values), name="petitions_circulator_kind"
            ),
            models.CheckConstraint(
                condition=Q(pay_basis__in=PayBasis.values), name="petitions_circulator_basis"
            ),
        ]
        indexes = [
            # Merge proposals: trigram-near names (pg_trgm's % operator).
            GinIndex(fields=["name_key"], opclasses=["gin_trgm_ops"],
                     name="petitions_circulator_trgm"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class CirculatorAlias(models.Model):
    """The name key of a circulator merged into another: a section typed with it links there."""

    name_key = models.CharField(max_length=200, unique=True)
    circulator = models.ForeignKey(Circulator, on_delete=models.CASCADE, related_name="aliases")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name_key} -> {self.circulator_id}"


class CirculatorMergeDismissal(models.Model):
    """Two circulators an organizer said are different people: never proposed for merging again."""

    first = models.ForeignKey(Circulator, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Circulator, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="petitions_dismissal_pair"),
            # One row per pair, whichever way round it was dismissed.
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="petitions_dismissal_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} != {self.second_id}"


class CirculatorShift(models.Model):
    """Hours a circulator paid by the hour worked on a day."""

    circulator = models.ForeignKey(Circulator, on_delete=models.PROTECT, related_name="shifts")
    day = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["circulator", "-day", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="petitions_shift_hours"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.circulator_id} {self.day}: {self.hours} h"


class Section(models.Model):
    """One circulated copy of the petition with its circulator's declaration (EC 104)."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="sections")
    serial = models.PositiveIntegerField(help_text="The section's serial number.")
    # The county it was circulated in (EC 11047), by SoS code: its lines count only for that
    # county's voters. Blank in a one-county petition (the petition's county).
    county_code = models.CharField(max_length=2, blank=True)
    circulator_name = models.CharField(max_length=200, blank=True)
    circulator_address = models.CharField(max_length=300, blank=True)
    # The record the typed circulator is matched to (petitions.circulators.circulators_link).
    circulator = models.ForeignKey(
        Circulator, null=True, blank=True, on_delete=models.PROTECT, related_name="sections"
    )
    circulated_from = models.DateField(null=True, blank=True)
    circulated_to = models.DateField(null=True, blank=True)
    declaration_signed = models.BooleanField(default=True)
    received_on = models.DateField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Blind double entry (a petition option): the volunteer keying the section a second time.
    second_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="second_entries",
    )  # fmt: skip
    # Sections scanned can be keyed anywhere: an organizer hands a section to a volunteer (or a
    # volunteer asks for the next one), for its first entry and, with double entry, its second.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_sections",
    )  # fmt: skip
    second_assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="second_assigned_sections",
    )  # fmt: skip
    assigned_at = models.DateTimeField(null=True, blank=True)
    # Held by an organizer (petitions.suspects): its lines count nowhere (the dashboard, the
    # registrar's verdict) and it is not filed, until released. The reason is required.
    held_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    hold_reason = models.CharField(max_length=500, blank=True)
    # Filed with the registrar on that day (EC 11222: all sections at once, as a rule).
    filed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["petition", "serial"]
        indexes = [
            # The dashboard subtracts the held sections' lines on every read (few rows).
            models.Index(
                fields=["petition"], condition=Q(held_at__isnull=False), name="petitions_held"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["petition", "serial"], name="petitions_section_serial"),
            # A hold says why; a held section is never filed.
            models.CheckConstraint(
                condition=Q(held_at__isnull=True) | ~Q(hold_reason=""),
                name="petitions_hold_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(held_at__isnull=True) | Q(filed_on__isnull=True),
                name="petitions_held_not_filed",
            ),
            models.CheckConstraint(
                condition=Q(circulated_to__isnull=True)
                | Q(circulated_from__isnull=True)
                | Q(circulated_to__gte=F("circulated_from")),
                name="petitions_circulation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Section {self.serial}"


class LineStatus(models.TextChoices):
    """A line's decision: the registrar's categories, plus pending, needs review and blank."""

    PENDING = "pending", pgettext_lazy("line status", "Pending")
    VALID = "valid", pgettext_lazy("line status", "Valid")
    NOT_REGISTERED = "not_registered", pgettext_lazy("line status", "Not registered")
    ADDRESS_MISMATCH = "address_mismatch", pgettext_lazy("line status", "Different address")
    DUPLICATE = "duplicate", pgettext_lazy("line status", "Duplicate")
    CANCELED = "canceled", pgettext_lazy("line status", "Cancelled registration")
    OUT_OF_JURISDICTION = "out_of_jurisdiction", pgettext_lazy("line status", "Out of jurisdiction")
    INCOMPLETE = "incomplete", pgettext_lazy("line status", "Incomplete")
    WITHDRAWN = "withdrawn", pgettext_lazy("line status", "Withdrawn")
    REGISTERED_LATE = "registered_late", pgettext_lazy("line status", "Registered late")
    NEEDS_REVIEW = "needs_review", pgettext_lazy("line status", "Needs review")
    # A line left blank or crossed out on the paper: keyed so the numbering stays whole,
    # never validated, not a signature.
    BLANK = "blank", pgettext_lazy("line status", "Blank / crossed out")


class Line(models.Model):
    Status = LineStatus

    # Denormalised from the section so the one-counted-line-per-voter constraint can name it.
    # Every index costs each validation's UPDATE (status and voter change, so no HOT update):
    # the foreign keys below go without one of their own where another index leads with them
    # (petition, section) or nothing looks lines up by them in bulk (entered_by).
    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    number = models.PositiveIntegerField()
    printed_name = models.CharField(max_length=200, blank=True)
    residence_address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    zip = models.CharField(max_length=10, blank=True)
    signed = models.BooleanField(default=True)
    # Petitions carry no signing date; some campaigns note one (used by the "at signing" rule).
    date_signed = models.DateField(null=True, blank=True)
    withdrawn = models.BooleanField(default=False)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PENDING)
    voter_registrant_id = models.CharField(max_length=32, blank=True)
    counted = models.BooleanField(
        default=False, help_text="This line is the one that counts for its voter."
    )
    # A counted line that fits several voters of one household equally (JR/SR unwritten, a
    # shared initial): all of them. If one of the others signs by name later, this line is
    # taken to be that voter again (a duplicate), never a second count.
    namesakes = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    # A household-tie line's voters (best first) as the roll decided them, kept whatever became
    # of the line (counted, taken to be one of them, a duplicate): counting redoes a voter's
    # lines from these, so the outcome does not depend on which lines were decided first.
    options = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    score = models.FloatField(null=True, blank=True)
    reason = models.JSONField(default=dict, blank=True)
    # No database constraint: its check would run for each of a batch's thousand rows. Rolls
    # are never deleted while lines point at them (PROTECT, enforced by Django).
    validated_roll = models.ForeignKey(
        "voters.VoterRoll", null=True, blank=True, on_delete=models.PROTECT,
        db_index=False, db_constraint=False,
    )  # fmt: skip
    validated_at = models.DateTimeField(null=True, blank=True)
    # The client's id for this save, so a retried request never creates a second line.
    client_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        db_index=False,
    )  # fmt: skip
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["section", "number"]
        permissions = [("review_line", "Can review and decide lines by hand")]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="petitions_line_number"),
            # The registrar counts a voter once: concurrent workers can never count a voter twice.
            models.UniqueConstraint(
                fields=["petition", "voter_registrant_id"],
                condition=Q(counted=True),
                name="petitions_one_counted_line_per_voter",
            ),
            models.CheckConstraint(
                condition=Q(counted=False) | Q(status=LineStatus.VALID),
                name="petitions_counted_is_valid",
            ),
            # Validation writes statuses with raw UPDATEs, past the field's choices.
            models.CheckConstraint(
                condition=Q(status__in=LineStatus.values), name="petitions_line_status_known"
            ),
        ]
        indexes = [
            # The sweep and the workers look for lines still waiting for a decision.
            models.Index(
                fields=["petition", "id"],
                condition=Q(status=LineStatus.PENDING),
                name="petitions_line_pending",
            ),
            models.Index(fields=["petition", "status"], name="petitions_line_status"),
            models.Index(fields=["petition", "voter_registrant_id"], name="petitions_line_voter"),
            GinIndex(
                fields=["namesakes"],
                condition=Q(counted=True) & ~Q(namesakes=[]),
                name="petitions_line_namesakes",
                # Few rows, read by every batch: no pending list that each read would scan.
                fastupdate=False,
            ),
            # Counting finds every tie line that may be a voter of its batch (few rows).
            GinIndex(
                fields=["options"],
                condition=~Q(options=[]),
                name="petitions_line_options",
                fastupdate=False,
            ),
            # Lines not found at their address, found again when a voter of their name counts
            # (petitions.validation._lines_of_names_reopen).
            models.Index(
                F("petition"),
                KT("reason__name_key"),
                condition=Q(reason__has_key="name_key"),
                name="petitions_line_name_key",
            ),
            # Lines not registered at a written address, and lines found moved from it, found
            # again by the batches deciding another line written there
            # (petitions.validation: _signed_again, _lines_at_addresses_reopen).
            models.Index(
                F("petition"),
                KT("reason__address_key"),
                condition=Q(reason__has_key="address_key"),
                name="petitions_line_address_key",
            ),
        ]

    def __str__(self) -> str:
        return f"Section {self.section_id} line {self.number}"


class LineEventKind(models.TextChoices):
    EDITED = "edited", _("Edited")
    REVIEWED = "reviewed", _("Reviewed")
    TRANSCRIPTION = "transcription", _("Transcription chosen")
    UNDONE = "undone", _("Undone")
    # The signer's written withdrawal, filed before the petition (EC 11303).
    WITHDRAWN = "withdrawn", _("Signature withdrawn")


class LineEvent(models.Model):
    """A line's history, append-only: each edit, review decision, undo and withdrawal, with the
    line's state before and after (nothing in the app changes or deletes an event)."""

    Kind = LineEventKind

    line = models.ForeignKey(Line, on_delete=models.PROTECT, related_name="events")
    # Denormalised so a petition's review pace is one index range scan.
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, db_index=False)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(default=timezone.now)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    note = models.CharField(max_length=300, blank=True)
    undoes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="undone_by"
    )

    # Not a field: set by petitions.selectors.line_history for the history partial.
    undoable: bool

    class Meta:
        ordering = ["line", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LineEventKind.values), name="petitions_event_kind_known"
            ),
        ]
        indexes = [
            # The review page's decisions per hour.
            models.Index(fields=["petition", "kind", "at"], name="petitions_event_pace"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} line {self.line_id} at {self.at:%Y-%m-%d %H:%M}"


class SecondEntry(models.Model):
    """A line as keyed blind by a second volunteer (double entry), compared with the first."""

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="second_lines")
    number = models.PositiveIntegerField()
    printed_name = models.CharField(max_length=200, blank=True)
    residence_address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    zip = models.CharField(max_length=10, blank=True)
    signed = models.BooleanField(default=True)
    blank = models.BooleanField(default=False)
    client_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    # None until both transcriptions exist; False puts the line in the review queue.
    agrees = models.BooleanField(null=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    # Not a field: set by petitions.views.entry on a saved row ("keyed" or "blank").
    status: str

    class Meta:
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="petitions_second_number"),
        ]
        indexes = [
            # The review queue reads the open disagreements.
            models.Index(
                fields=["entered_at"],
                condition=Q(agrees=False, resolved_at__isnull=True),
                name="petitions_second_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Second entry of section {self.section_id} line {self.number}"


class LineTally(models.Model):
    """How many lines of a petition there are by day entered and status.

    Kept exact by statement-level triggers on petitions_line (migration 0005: one upsert per
    statement, from its transition tables), so the dashboard reads a few hundred rows instead of
    counting a million lines; a periodic task checks them against a full count (tallies_reconcile).
    """

    pk = models.CompositePrimaryKey("petition_id", "day", "status")
    petition = models.ForeignKey(Petition, on_delete=models.DO_NOTHING, db_constraint=False)
    day = models.DateField(help_text="The day the line was keyed or imported (campaign time).")
    status = models.CharField(max_length=24, choices=LineStatus.choices)
    lines = models.BigIntegerField(default=0)

    class Meta:
        db_table = "petitions_linetally"
        constraints = [
            # Written by triggers from the lines' statuses (the lines' own CHECK guards them too).
            models.CheckConstraint(
                condition=Q(status__in=LineStatus.values), name="petitions_tally_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.day} {self.status}: {self.lines}"


class PayEntryKind(models.TextChoices):
    EARN = "earn", _("Earned")
    HOLD = "hold", _("Held back")
    RELEASE = "release", _("Released")
    CLAWBACK = "clawback", _("Clawed back")
    PAYMENT = "payment", _("Paid")


class PayEntry(models.Model):
    """One entry of a circulator's pay ledger for a pay period, append-only, explained by the
    lines (or shifts) behind it (PayEntryLine). Amounts are positive; the kind says which way
    they go: payable = earned - held + released - clawed back; paid is what was paid of it."""

    Kind = PayEntryKind

    circulator = models.ForeignKey(Circulator, on_delete=models.PROTECT, related_name="pay")
    period_start = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period_start", "circulator", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PayEntryKind.values), name="petitions_payentry_kind"
            ),
            # The kind carries the sign; an entry of nothing is never written.
            models.CheckConstraint(condition=Q(amount__gt=0), name="petitions_payentry_amount"),
        ]
        indexes = [models.Index(fields=["period_start", "kind"], name="petitions_payentry_period")]

    def __str__(self) -> str:
        return f"{self.circulator_id} {self.period_start} {self.kind} {self.amount}"


class PayEntryLine(models.Model):
    """What one line (or, for hourly pay, one shift) adds to a pay entry. The unique indexes
    make each line earned, held, released and clawed back at most once per pay basis: nothing
    can be paid twice, whatever closes run."""

    entry = models.ForeignKey(PayEntry, on_delete=models.PROTECT, related_name="lines")
    # Denormalised from the entry so the unique indexes below can name them.
    kind = models.CharField(max_length=16, choices=PayEntryKind.choices)
    basis = models.CharField(max_length=16, choices=PayBasis.choices)
    line = models.ForeignKey(
        Line, null=True, blank=True, on_delete=models.PROTECT, related_name="pay_lines"
    )
    shift = models.ForeignKey(
        CirculatorShift, null=True, blank=True, on_delete=models.PROTECT, related_name="pay_lines"
    )
    # Signed: a payment's share of a line clawed back before it was paid out is negative.
    amount = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(line__isnull=False, shift__isnull=True)
                | Q(line__isnull=True, shift__isnull=False),
                name="petitions_payline_line_or_shift",
            ),
            models.UniqueConstraint(
                fields=["line", "basis", "kind"],
                condition=Q(line__isnull=False) & ~Q(kind=PayEntryKind.PAYMENT),
                name="petitions_payline_once",
            ),
            models.UniqueConstraint(
                fields=["shift", "kind"],
                condition=Q(shift__isnull=False) & ~Q(kind=PayEntryKind.PAYMENT),
                name="petitions_payline_shift_once",
            ),
            models.CheckConstraint(
                condition=Q(kind=PayEntryKind.PAYMENT) | Q(amount__gt=0),
                name="petitions_payline_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.line_id or self.shift_id}: {self.amount}"


class RegistrarCategory(models.TextChoices):
    """The registrar's categories for a line, as our codes (petitions/data/registrar_categories.csv
    maps the names in its files to them): LineStatus's decided values, plus signature_mismatch
    and other, which we never decide (a campaign has no signature images)."""

    VALID = "valid", pgettext_lazy("registrar category", "Valid")
    NOT_REGISTERED = "not_registered", pgettext_lazy("registrar category", "Not registered")
    DUPLICATE = "duplicate", pgettext_lazy("registrar category", "Duplicate")
    ADDRESS_MISMATCH = "address_mismatch", pgettext_lazy("registrar category", "Different address")
    SIGNATURE_MISMATCH = (
        "signature_mismatch",
        pgettext_lazy("registrar category", "Signature mismatch"),
    )
    CANCELED = "canceled", pgettext_lazy("registrar category", "Cancelled registration")
    OUT_OF_JURISDICTION = (
        "out_of_jurisdiction",
        pgettext_lazy("registrar category", "Out of jurisdiction"),
    )
    INCOMPLETE = "incomplete", pgettext_lazy("registrar category", "Incomplete")
    WITHDRAWN = "withdrawn", pgettext_lazy("registrar category", "Withdrawn")
    REGISTERED_LATE = "registered_late", pgettext_lazy("registrar category", "Registered late")
    OTHER = "other", pgettext_lazy("registrar category", "Other")


class RegistrarResultKind(models.TextChoices):
    RAW = "raw", _("Raw count")
    SAMPLE = "sample", _("Random sample")
    FULL = "full", _("Full count")
    LINES = "lines", _("Line by line")


class RegistrarResult(models.Model):
    """One import of the registrar's results for a petition; kept, never overwritten."""

    Kind = RegistrarResultKind

    petition = models.ForeignKey(
        Petition, on_delete=models.PROTECT, related_name="registrar_results"
    )
    kind = models.CharField(max_length=8, choices=RegistrarResultKind.choices)
    as_of = models.DateField(help_text="The date of the registrar's result.")
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    source_name = models.CharField(max_length=255, blank=True)
    raw_count = models.PositiveIntegerField(null=True, blank=True)  # kind raw
    # kinds sample and full: {category code: count}; the sample's size is their sum
    counts = models.JSONField(default=dict, blank=True)
    # The registrar's certificate (of the result's insufficiency): the examination of the
    # rejected lines (Gov. Code 7924.110(b)(2)) runs from it. Set by the organizer on import.
    certified_on = models.DateField(
        null=True, blank=True,
        help_text="The registrar's certificate date: the examination period starts on it.",
    )  # fmt: skip
    lines = models.PositiveIntegerField(default=0, help_text="Lines in a line-by-line result.")

    class Meta:
        ordering = ["petition", "-as_of", "-imported_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RegistrarResultKind.values),
                name="petitions_registrar_kind_known",
            ),
            models.CheckConstraint(
                condition=~Q(kind=RegistrarResultKind.RAW) | Q(raw_count__isnull=False),
                name="petitions_registrar_raw_has_count",
            ),
        ]
        indexes = [
            # latest_registrar_result: a petition's latest result of a kind.
            models.Index(
                fields=["petition", "kind", "-as_of", "-imported_at"],
                name="petitions_registrar_latest",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.as_of} ({self.source_name})"

    @property
    def sample_size(self) -> int:
        """A sample's size (the sum of its counts); a full count's total."""
        return sum(int(n) for n in (self.counts or {}).values())


class RegistrarLine(models.Model):
    """The registrar's decision for one line (kind lines)."""

    # No database constraints on the two keys: their checks would run for each of a result's
    # 700,000 rows at commit (FOR KEY SHARE on every line: 36 s against 14 s without them). The
    # rows are written only by the import's INSERT ... SELECT, which joins each to its line and
    # to the result made in the same transaction; Django enforces CASCADE and PROTECT. The
    # result's own index would repeat the unique one below, which leads with it.
    result = models.ForeignKey(
        RegistrarResult, on_delete=models.CASCADE, related_name="line_results",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    line = models.ForeignKey(
        Line, on_delete=models.PROTECT, related_name="registrar_results", db_constraint=False
    )
    category = models.CharField(max_length=24, choices=RegistrarCategory.choices)
    written = models.CharField(max_length=100, blank=True)  # the registrar's name as in the file

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["result", "line"], name="petitions_registrar_line_once"
            ),
            # Written by INSERT ... SELECT from a temporary table, past the field's choices.
            models.CheckConstraint(
                condition=Q(category__in=RegistrarCategory.values),
                name="petitions_registrar_category_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Line {self.line_id}: {self.category}"
