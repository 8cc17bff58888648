"""The voter roll: one VoterRoll per import, its voters in a Postgres partition of their own.

Why partitions: a county roll is ~6 million rows. Each import loads into a fresh, unindexed
table, builds its indexes once after the load, and is then attached to `voters_voter` as the
partition for its roll in one short transaction. Matching filters on `roll_id`, so Postgres prunes
to the active roll's partition; a failed import never touches the active one.

A statewide roll (imported with --by-county) goes one level further: its partition is itself
LIST-partitioned by county_code, one table per county (VoterRollCounty names it), so one county's
new file is loaded, indexed and swapped in alone (voters.services.voter_roll_county_replace)
without copying or locking the other 57 for more than the swap.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from voters.reasons import reasons_counted


class RollFormat(models.TextChoices):
    CANONICAL = "canonical", _("Canonical CSV")
    CA_SOS = "ca-sos", _("California SoS extract")


class RollState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    IMPORTING = "importing", _("Importing")
    FAILED = "failed", _("Failed")
    READY = "ready", _("Ready (not active)")
    ACTIVE = "active", _("Active")
    SUPERSEDED = "superseded", _("Superseded")


class VoterRoll(models.Model):
    Format = RollFormat
    State = RollState

    source_name = models.CharField(max_length=255)
    source_path = models.CharField(max_length=1024, help_text="The file on the server's disk.")
    requested_format = models.CharField(max_length=16, default="auto")
    format = models.CharField(max_length=16, choices=Format.choices, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    max_reject_rate = models.FloatField(default=0.01)
    activate_on_success = models.BooleanField(default=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    # When another roll replaced it: prune_rolls erases it ROLL_KEEP_DAYS later.
    superseded_at = models.DateTimeField(null=True, blank=True)
    rows_read = models.PositiveBigIntegerField(default=0)
    rows_imported = models.PositiveBigIntegerField(default=0)
    rows_rejected = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True, help_text="One-line reason when the import failed.")
    # The first rejected rows, [{"line": 12, "reason": "..."}], and a count per kind of reason.
    rejects = models.JSONField(default=list, blank=True)
    reject_counts = models.JSONField(default=dict, blank=True)
    # Rows imported with a part missing (given name, house number, street), the first of their
    # warnings [{"line": 12, "reason": "..."}] and a count per kind.
    rows_warned = models.PositiveBigIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    warning_counts = models.JSONField(default=dict, blank=True)
    # Extra columns of the file kept per voter in Voter.attributes (district columns).
    attribute_columns = models.JSONField(default=list, blank=True)
    # Its partition is partitioned by county (a statewide roll): each county's voters a table of
    # their own (VoterRollCounty), replaceable alone.
    by_county = models.BooleanField(default=False)
    # A roll by county begun with one county's own file (its rows carry no county code): that
    # county ("19"), stamped on each of its rows.
    county_code = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("import_voterroll", "Can import voter rolls")]
        constraints = [
            # One roll is the reference at a time; activation swaps states in one transaction.
            models.UniqueConstraint(
                fields=["state"], condition=Q(state=RollState.ACTIVE), name="voters_one_active_roll"
            ),
            models.CheckConstraint(
                condition=Q(max_reject_rate__gte=0) & Q(max_reject_rate__lte=1),
                name="voters_reject_rate_is_a_share",
            ),
            models.CheckConstraint(
                condition=Q(state__in=RollState.values), name="voters_roll_state_known"
            ),
            # Blank until the import has read the file's header.
            models.CheckConstraint(
                condition=Q(format__in=["", *RollFormat.values]), name="voters_roll_format_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.get_state_display()})"

    @property
    def partition_name(self) -> str:
        return f"voters_voter_roll_{self.pk}"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def is_finished(self) -> bool:
        return self.state not in (self.State.QUEUED, self.State.IMPORTING)

    @property
    def rejects_by_reason(self) -> list[tuple[str, int, str]]:
        """(reason in words, rows, code), the commonest first."""
        return reasons_counted(self.reject_counts)

    @property
    def warnings_by_reason(self) -> list[tuple[str, int, str]]:
        return reasons_counted(self.warning_counts)


class VoterRollCounty(models.Model):
    """One county's share of a roll imported by county: its table (the roll partition's
    partition), how many voters it holds and when its file was last replaced alone."""

    roll = models.ForeignKey(VoterRoll, on_delete=models.CASCADE, related_name="counties")
    county_code = models.CharField(max_length=2)
    table_name = models.CharField(max_length=63)
    voters = models.PositiveBigIntegerField(default=0)
    source_name = models.CharField(max_length=255)
    imported_at = models.DateTimeField()
    # Set when the county's file replaced its voters alone (import_voters --replace-county).
    replaced_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    rows_rejected = models.PositiveBigIntegerField(default=0)
    # Petition lines put back to pending by the last replacement (decided again by the workers).
    lines_reopened = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["roll", "county_code"]
        constraints = [
            models.UniqueConstraint(fields=["roll", "county_code"], name="voters_roll_county"),
            # The SoS codes, two digits: 01 Alameda to 58 Yuba.
            models.CheckConstraint(
                condition=Q(county_code__regex=r"^(0[1-9]|[1-4][0-9]|5[0-8])$"),
                name="voters_roll_county_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.roll_id}/{self.county_code}"


class VoterStatus(models.TextChoices):
    ACTIVE = "A", _("Active")
    INACTIVE = "I", _("Inactive")
    CANCELLED = "C", _("Cancelled")


class Voter(models.Model):
    """One registration in one roll; migration 0002 creates the table, partitioned by roll."""

    Status = VoterStatus

    pk = models.CompositePrimaryKey("roll_id", "registrant_id")
    # No database FK: a foreign key from a partition would be re-validated row by row on attach.
    roll = models.ForeignKey(VoterRoll, on_delete=models.DO_NOTHING, db_constraint=False)
    registrant_id = models.TextField()
    source_line = models.IntegerField()
    first_name = models.TextField()
    middle_name = models.TextField()
    last_name = models.TextField()
    name_suffix = models.TextField()
    house_number = models.TextField()
    house_fraction = models.TextField()
    number_suffix = models.TextField()
    street_predir = models.TextField()
    street_name = models.TextField()
    street_type = models.TextField()
    street_postdir = models.TextField()
    unit_type = models.TextField()
    unit_number = models.TextField()
    city = models.TextField()
    state = models.TextField()
    zip5 = models.TextField()
    zip4 = models.TextField()
    birth_date = models.DateField(null=True)
    registration_date = models.DateField(null=True)
    status = models.CharField(max_length=1, choices=Status.choices)
    party = models.TextField()
    precinct = models.TextField()
    # The SoS county code ("19"), blank when the file gives none (a county's own file).
    county_code = models.TextField()
    # The roll's district columns, as one of its VoterAttributeSet numbers (combinations repeat).
    attribute_set = models.IntegerField(null=True)
    # Matching keys, computed at import by matching/ (the code that normalises signatures).
    last_key = models.TextField()
    first_key = models.TextField()
    first_canon = models.TextField()
    street_key = models.TextField()
    city_key = models.TextField()

    class Meta:
        managed = False
        db_table = "voters_voter"
        permissions = [("lookup_voter", "Can look up voters for live hints")]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.registrant_id})"

    @property
    def street_line(self) -> str:
        parts = [
            self.house_number + (f" {self.house_fraction}" if self.house_fraction else ""),
            self.street_predir,
            self.street_name,
            self.street_type,
            self.street_postdir,
        ]
        return " ".join(p for p in parts if p)


class VoterSurname(models.Model):
    """Each distinct surname key of a roll, with its first part, its sound and how many bear it.

    The matcher reaches voters through (last_key, first_canon); sound-alike and compound surnames
    are first resolved here, on a table of distinct names rather than millions of voters. The
    count weighs rare names above common ones.
    """

    roll = models.ForeignKey(VoterRoll, on_delete=models.CASCADE, related_name="surnames")
    last_key = models.TextField(db_collation="C")
    last_head = models.TextField(db_collation="C")
    last_phon = models.TextField(db_collation="C")
    voters = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["roll", "last_key"], name="voters_surname_key"),
        ]
        indexes = [
            # Matcher: compound surnames written in part ("GARCIA" for GARCIA LOPEZ).
            models.Index(fields=["roll", "last_head"], name="voters_surname_head"),
            # Matcher: misspelt surnames, by sound.
            models.Index(fields=["roll", "last_phon"], name="voters_surname_phon"),
            # Matcher's last pass: surnames spelt too differently for the others (pg_trgm). GIN,
            # not GiST: the few matches above the similarity threshold are found 5-15 times
            # faster over a county's 170,000 surnames, and sorted by distance afterwards.
            GinIndex(
                fields=["last_key"], name="voters_surname_trgm_gin", opclasses=["gin_trgm_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.last_key


class VoterAttributeSet(models.Model):
    """A combination of district values (supervisorial district, city council...) of a roll."""

    roll = models.ForeignKey(VoterRoll, on_delete=models.CASCADE, related_name="attribute_sets")
    number = models.IntegerField()
    attributes = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["roll", "number"], name="voters_attributeset_number"),
        ]

    def __str__(self) -> str:
        return f"{self.roll_id}/{self.number}"


class VoterPlace(models.Model):
    """The roll's own (city, ZIP) pairs with their voter counts: what "in the county" means.

    A line whose city and ZIP appear nowhere here is out of the jurisdiction; a neighbourhood name
    a signer writes instead of the city resolves through the ZIP it shares with the roll.
    """

    roll = models.ForeignKey(VoterRoll, on_delete=models.CASCADE, related_name="places")
    city_key = models.TextField(db_collation="C")
    zip5 = models.TextField(db_collation="C")
    voters = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["roll", "city_key", "zip5"], name="voters_place_key"),
        ]
        indexes = [models.Index(fields=["roll", "zip5"], name="voters_place_zip")]

    def __str__(self) -> str:
        return f"{self.city_key} {self.zip5}"
