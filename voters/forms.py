from pathlib import Path
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from voters.selectors import active_roll
from voters.voterfile import FileError, inspect_voter_file

VOTER_FILE_SUFFIXES = (".csv", ".txt", ".tsv", ".tab", ".gz")


GZIP_MAGIC = b"\x1f\x8b"
# Signatures of files people upload by mistake (spreadsheets, archives, PDFs, images).
_NOT_TEXT = {b"PK\x03\x04": _("a zip archive or an Excel workbook"), b"%PDF": _("a PDF"),
             b"\xd0\xcf\x11\xe0": _("an old Excel or Word file"), b"\x89PNG": _("an image"),
             b"\xff\xd8\xff": _("an image")}  # fmt: skip


def server_files() -> list[Path]:
    """Voter files an admin may import from the server's import directory: not its subfolders,
    and not a link to a file elsewhere (symbolic: it resolves outside; hard: the file has other
    names, which may be anywhere on the same disk, so it is refused whatever they are)."""
    folder = Path(settings.IMPORT_DIR).resolve()
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.resolve().parent == folder
        and p.stat().st_nlink == 1
        and p.name.lower().endswith(VOTER_FILE_SUFFIXES)
    )


def upload_type_error(name: str, head: bytes) -> str | None:
    """Why an upload is not a voter file, from its name and first bytes; None if it may be."""
    if not name.lower().endswith(VOTER_FILE_SUFFIXES):
        return _("“%(name)s” is not a voter file: expected %(suffixes)s.") % {
            "name": name, "suffixes": ", ".join(VOTER_FILE_SUFFIXES),
        }  # fmt: skip
    if name.lower().endswith(".gz"):
        if head.startswith(GZIP_MAGIC):
            return None
        return _("“%(name)s” is not gzip-compressed.") % {"name": name}
    for magic, kind in _NOT_TEXT.items():
        if head.startswith(magic):
            return _("“%(name)s” is %(kind)s, not a text file: export it as CSV.") % {
                "name": name, "kind": kind,
            }  # fmt: skip
    if b"\x00" in head:
        return _("“%(name)s” is not a text file (it holds binary data).") % {"name": name}
    return None


class VoterRollImportForm(forms.Form):
    upload = forms.FileField(required=False, label=_("Upload a voter file"))
    server_file = forms.ChoiceField(
        required=False, label=_("…or choose a file in the server's import directory"),
        help_text=_("How to copy a file there: see “The server's import folder” on this page."),
    )  # fmt: skip
    format = forms.ChoiceField(
        choices=[("auto", _("Detect from the header")), ("canonical", _("Canonical CSV")),
                 ("ca-sos", _("California SoS extract (tab-delimited, latin-1)"))],
        initial="auto", label=_("Format"),
    )  # fmt: skip
    max_reject_rate = forms.FloatField(
        min_value=0, max_value=1, initial=0.01, label=_("Max reject rate"),
        help_text=_("Fail the import if more than this share of rows is rejected (0.01 = 1%)."),
    )  # fmt: skip
    activate = forms.BooleanField(
        required=False, initial=False, label=_("Make it the active roll when the import succeeds"),
        help_text=_("Not for a roll much smaller than the active one: that one waits for you to "
                    "check what would change and confirm, on its page."),
    )  # fmt: skip
    by_county = forms.BooleanField(
        required=False, initial=False, label=_("A statewide roll, by county"),
        help_text=_("Each county's voters in a table of their own (the file's CountyCode or "
                    "county_code column), so that a county's new file can later replace them "
                    "alone: import_voters FILE --replace-county CODE. Checking lines is slower "
                    "over many county tables: only for a statewide roll whose counties' files "
                    "arrive apart."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["server_file"]).choices = [("", "—")] + [
            (p.name, p.name) for p in server_files()
        ]
        # The first roll replaces nothing: ticked. Once one is active, replacing it is a choice.
        self.fields["activate"].initial = active_roll() is None

    def clean_upload(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("upload")
        if not upload:
            return upload
        if upload.size > settings.VOTER_UPLOAD_MAX_BYTES:
            limit = settings.VOTER_UPLOAD_MAX_BYTES // 2**20
            raise forms.ValidationError(
                _("The file is larger than the %(limit)s MB limit.")
                % {"limit": number_format(limit, force_grouping=True)}
            )
        upload.seek(0)
        head = upload.read(4096)
        upload.seek(0)
        if error := upload_type_error(upload.name, head):
            raise forms.ValidationError(error)
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns
        upload, server_file = data.get("upload"), data.get("server_file")
        if self.errors:
            return data
        if bool(upload) == bool(server_file):
            raise forms.ValidationError(
                _("Upload a file or choose one on the server (one of them).")
            )
        return data

    def check_header(self, path: Path) -> bool:
        """Refuse a file whose header is unusable before anything is written; False if refused."""
        try:
            self.info = inspect_voter_file(path, self.cleaned_data["format"])
        except FileError as exc:
            self.add_error(None, str(exc))
            return False
        return True
