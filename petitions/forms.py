from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from petitions.counties import COUNTY_NAMES, county_name
from petitions.electorate import district_words, roll_choices, roll_cities
from petitions.models import MAX_LINE_NUMBER, CirculatorKind, PayBasis, Petition

if TYPE_CHECKING:  # django-stubs' type of a label, lazy or not (a dev dependency)
    from django_stubs_ext import StrOrPromise

# PositiveIntegerField's ceiling: a larger number is refused on its field, not by Postgres.
MAX_INT = 2_147_483_647


def typed_date(label: "StrOrPromise", help_text: "StrOrPromise" = "") -> forms.DateField:
    """A date typed from the paper: a text box, so Tab leaves it at once (a browser's date
    control spends Tab on its month, day and year parts, and typing 2026-03-01 into its month
    part scrambles it). It takes what the language's formats allow: for English 03/01/2026,
    3/1/26 and 2026-03-01."""
    attrs = {"placeholder": _("mm/dd/yyyy"), "autocomplete": "off"}
    widget = forms.DateInput(attrs=attrs)
    return forms.DateField(required=False, label=label, help_text=help_text, widget=widget)


class SectionForm(forms.Form):
    serial = forms.IntegerField(min_value=1, max_value=MAX_INT, label=_("Section serial number"))
    circulator_name = forms.CharField(max_length=200, required=False, label=_("Circulator's name"))
    circulator_address = forms.CharField(
        max_length=300, required=False, label=_("Circulator's address")
    )
    circulated_from = typed_date(_("Circulated from"))
    circulated_to = typed_date(_("Circulated to"))
    # Read off the paper, never assumed: ticked only when the volunteer sees the signature.
    declaration_signed = forms.BooleanField(
        required=False, initial=False, label=_("The circulator signed the declaration")
    )
    received_on = typed_date(_("Received on"))

    def __init__(self, *args: Any, petition: Petition | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["serial"].widget.attrs["autofocus"] = True
        counties = petition.electorate_counties if petition is not None else []
        if len(counties) > 1:  # each county counts its own sections (EC 11047)
            self.fields["county_code"] = forms.ChoiceField(
                label=_("County circulated in"),
                choices=[("", _("Choose the county")), *((c, county_name(c)) for c in counties)],
                help_text=_("A signer counts only in the county they are registered in."),
            )  # fmt: skip


class LineForm(forms.Form):
    """One keyed line; the field order is the Tab order of the entry row."""

    number = forms.IntegerField(
        min_value=1, max_value=MAX_LINE_NUMBER, required=False, label=_("Line")
    )
    printed_name = forms.CharField(max_length=200, required=False, label=_("Printed name"))
    residence_address = forms.CharField(
        max_length=300, required=False, label=_("Residence address")
    )
    city = forms.CharField(max_length=100, required=False, label=_("City"))
    zip = forms.CharField(max_length=10, required=False, label=_("ZIP"))
    signed = forms.BooleanField(required=False, initial=True, label=_("Signed"))
    # Set by the "blank / crossed out" button (Alt+X): the paper line holds no signature.
    blank = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # The line number whose gap the volunteer was shown and saves anyway (line_save's gap_ok).
    confirm_gap = forms.IntegerField(required=False, widget=forms.HiddenInput)
    client_token = forms.UUIDField(widget=forms.HiddenInput)


class LineEditForm(LineForm):
    """A saved line fixed: its number and token stay."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["number"], self.fields["client_token"], self.fields["confirm_gap"]


class ReviewForm(forms.Form):
    choice = forms.CharField(max_length=64)
    next = forms.ChoiceField(choices=[("queue", "queue"), ("line", "line")], required=False)


class PetitionForm(forms.Form):
    """A new petition; the service computes what the Elections Code fixes when left blank."""

    title = forms.CharField(
        max_length=200, label=_("Title"), help_text=_("e.g. Recall of the District Attorney")
    )
    slug = forms.SlugField(
        max_length=80, required=False, label=_("Short name in links"),
        help_text=_("Filled in from the title as you type (letters, digits and hyphens, as in "
                    "/petitions/recall-of-the-da/); change it if you like. Left empty, it is made "
                    "from the title."),
    )  # fmt: skip
    # Set by petition_new.js while the short name follows the title: the server then makes it
    # from the title itself, unique (-2, -3... when another petition has it), as when empty.
    slug_from_title = forms.BooleanField(required=False, widget=forms.HiddenInput)
    officer = forms.CharField(max_length=200, required=False, label=_("Officer to be recalled"))
    jurisdiction = forms.CharField(
        max_length=100, required=False, label=_("Jurisdiction"),
        help_text=_("Its name, as on the petition. Left empty, it is named after who may sign "
                    "(below): the county, a city, the state."),
    )  # fmt: skip
    registration_base = forms.IntegerField(
        min_value=1, max_value=MAX_INT, required=False, label=_("Registered voters"),
        help_text=_("At the last report of registration: the required signatures follow from it "
                    "(EC 11221) unless you give them."),
    )  # fmt: skip
    required_signatures = forms.IntegerField(
        min_value=1, max_value=MAX_INT, required=False, label=_("Required signatures")
    )
    approved_on = typed_date(
        _("Petition approved on"), help_text=_("The deadline follows from it (EC 11220).")
    )
    deadline = typed_date(_("Deadline"))
    double_entry = forms.BooleanField(required=False, label=_("Require blind double entry"))
    # Who may sign: each narrows the roll; none chosen, every voter of the roll.
    electorate_districts = forms.MultipleChoiceField(
        required=False, label=_("District"),
        help_text=_("For a district officer (supervisor, council member, trustee): only voters "
                    "registered in the district chosen may sign. Several values of one column "
                    "are any of them."),
    )  # fmt: skip
    electorate_city = forms.ChoiceField(
        required=False, label=_("City"),
        help_text=_("For a city officer: only voters registered in this city may sign."),
    )  # fmt: skip
    electorate_counties = forms.MultipleChoiceField(
        required=False, label=_("Counties"),
        choices=[(code, county_name(code)) for code in COUNTY_NAMES],
        help_text=_("For an office of several counties or the state: each section then belongs "
                    "to one of them. Leave empty for one county's roll."),
    )  # fmt: skip
    statewide = forms.BooleanField(
        required=False, label=_("Statewide office (all 58 counties)"),
    )  # fmt: skip

    def __init__(self, *args: Any, roll_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = self.fields["electorate_districts"]
        cities = self.fields["electorate_city"]
        if roll_id is None:
            districts.disabled = cities.disabled = True
            districts.help_text = cities.help_text = _("No voter roll is active yet.")
            return
        cast(forms.ChoiceField, districts).choices = [
            (
                district_words(column),
                [(f"{column}={value}", f"{district_words(column)} {value}") for value in values],
            )
            for column, values in roll_choices(roll_id).items()
        ]
        cast(forms.ChoiceField, cities).choices = [
            ("", _("Any city of the roll")),
            *((city, city.title()) for city in roll_cities(roll_id)),
        ]
        districts.widget.attrs["size"] = 6
        self.fields["electorate_counties"].widget.attrs["size"] = 6

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {} or {}
        if data.pop("slug_from_title", False):
            data["slug"] = ""
        districts: dict[str, list[str]] = {}
        for pair in data.get("electorate_districts") or []:
            column, _sep, value = pair.partition("=")
            districts.setdefault(column, []).append(value)
        data["electorate_districts"] = districts
        data["electorate_city"] = data.get("electorate_city") or ""
        if data.pop("statewide", False):
            data["electorate_counties"] = list(COUNTY_NAMES)
        return data


class CountyVotesForm(forms.Form):
    """The last vote for the office by county, pasted as CSV (petitions.county_votes)."""

    votes = forms.CharField(
        label=_("The last vote for the office, by county"),
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text=_(
            "CSV: a header row county,votes, then a row a county (its name or SoS code, e.g. "
            "Los Angeles,2910000). What is stored is replaced."
        ),
    )

    def __init__(self, *args: Any, petition: Petition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.petition = petition

    def clean_votes(self) -> dict[str, int]:
        from petitions.county_votes import votes_parse, votes_rows

        text = self.cleaned_data["votes"]
        return votes_parse(votes_rows(text), self.petition.electorate_counties or [])


class CirculatorForm(forms.Form):
    """A circulator's contact and pay terms (the name stays as the sections give it)."""

    address = forms.CharField(max_length=300, required=False, label=_("Address"))
    phone = forms.CharField(max_length=40, required=False, label=_("Phone"))
    email = forms.EmailField(required=False, label=_("E-mail"))
    kind = forms.ChoiceField(choices=CirculatorKind.choices, label=_("Volunteer or paid"))
    pay_basis = forms.ChoiceField(choices=PayBasis.choices, label=_("Pay basis"))
    rate = forms.DecimalField(
        min_value=0, max_value=Decimal("999999.99"), max_digits=8, decimal_places=2,
        label=_("Rate (dollars a line or an hour)"),
        help_text=_("A new rate applies from the next close of a pay period on."),
    )  # fmt: skip


class ShiftForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"autocomplete": "off"}))
    hours = forms.DecimalField(
        min_value=Decimal("0.25"), max_value=24, max_digits=4, decimal_places=2, label=_("Hours")
    )


class PayCloseForm(forms.Form):
    period = forms.DateField(
        label=_("Pay period starting on"),
        widget=forms.DateInput(attrs={"autocomplete": "off"}),
        help_text=_("The period's first day (mm/dd/yyyy or yyyy-mm-dd)."),
    )


class RegistrarImportForm(forms.Form):
    """One of the registrar's results, as a CSV file (petitions.services.registrar)."""

    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[
            ("raw", _("Raw count (header raw_count)")),
            ("sample", _("Random sample, by category (header category,count)")),
            ("full", _("Full count, by category (header category,count)")),
            ("lines", _("Line by line (header section,line,status)")),
        ],
    )
    as_of = forms.DateField(
        label=_("Date of the registrar's result"),
        widget=forms.DateInput(attrs={"placeholder": _("mm/dd/yyyy"), "autocomplete": "off"}),
    )
    certified_on = typed_date(
        _("Registrar's certificate date (optional)"),
        _("The examination of the rejected lines (60 days at most) starts on it; the dashboard "
          "counts its days."),
    )  # fmt: skip
    file = forms.FileField(
        label=_("CSV file (UTF-8, a header row)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_REGISTRAR_UPLOAD:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB: not one of the registrar's results.")
                % {"mb": MAX_REGISTRAR_UPLOAD >> 20}
            )
        return upload


# 700,000 lines of "section,line,status" is about 15 MB; a statewide result a few times that.
MAX_REGISTRAR_UPLOAD = 200 << 20


class HoldForm(forms.Form):
    """Hold a section (its id: the list posts it), saying why."""

    section = forms.IntegerField(min_value=1, max_value=MAX_INT, widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=500, label=_("Why hold it"),
        error_messages={"required": _("Say why the section is held.")},
    )  # fmt: skip


class ReleaseForm(forms.Form):
    section = forms.IntegerField(min_value=1, max_value=MAX_INT, widget=forms.HiddenInput)
    note = forms.CharField(max_length=500, required=False, label=_("Note (optional)"))


MAX_SERIALS = 100_000  # a range typed as 1-999999999 is refused, not expanded


def serial_ranges(text: str) -> list[int]:
    """ "1-20, 25 30" as [1, ..., 20, 25, 30]; ValueError on anything else."""
    serials: set[int] = set()
    for part in text.replace(",", " ").split():
        first, _dash, last = part.partition("-")
        numbers = (first, last or first)
        if not all(n.isascii() and n.isdigit() for n in numbers):  # not "²": int() refuses it
            raise ValueError(part)
        low, high = int(first), int(last or first)
        if low < 1 or high < low:
            raise ValueError(part)
        if high - low >= MAX_SERIALS or len(serials) + high - low + 1 > MAX_SERIALS:
            raise ValueError(part, "too_many")
        serials.update(range(low, high + 1))
    return sorted(serials)


class FilingForm(forms.Form):
    """Mark sections filed: those whose serials are typed, or every one neither held nor filed."""

    filed_on = forms.DateField(
        required=False, label=_("Filed on"), widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    serials = forms.CharField(
        required=False, max_length=2000, label=_("Sections"),
        help_text=_("Serial numbers and ranges, e.g. 1-40, 52."),
    )  # fmt: skip
    all_ready = forms.BooleanField(
        required=False, label=_("Every section neither held nor filed yet (leave Sections empty)"),
    )  # fmt: skip

    def clean_serials(self) -> list[int] | None:
        text = self.cleaned_data["serials"].strip()
        if not text:
            return None
        try:
            return serial_ranges(text)
        except ValueError as exc:
            if exc.args[1:] == ("too_many",):
                raise forms.ValidationError(
                    _("%(part)s: more than %(most)s sections at once; file them in parts.")
                    % {"part": exc.args[0], "most": f"{MAX_SERIALS:,}"}
                ) from exc
            raise forms.ValidationError(
                _("Not a serial number or range: %(part)s") % {"part": exc.args[0]}
            ) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unfile = self.data.get("action") == "unfile"
        if not unfile and data.get("filed_on") is None and "filed_on" not in self.errors:
            self.add_error("filed_on", _("The day the sections were filed."))
        if data.get("serials") is None and "serials" not in self.errors:
            if unfile:
                self.add_error("serials", _("Type the sections to unmark."))
            elif not data.get("all_ready"):
                # Filing every section at once is a choice said out loud, never an empty field.
                self.add_error("serials", _(
                    "Type the sections to file, or tick \"Every section neither held nor filed "
                    "yet\"."
                ))  # fmt: skip
        return data
