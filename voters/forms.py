from pathlib import Path

from django import forms
from django.conf import settings

from voters.voterfile import FileError, inspect_voter_file

VOTER_FILE_SUFFIXES = (".csv", ".txt", ".tsv", ".tab", ".gz")


def server_files() -> list[Path]:
    """Voter files an admin may import from the server's import directory (not its subfolders)."""
    folder = Path(settings.IMPORT_DIR)
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(VOTER_FILE_SUFFIXES)
    )


class VoterRollImportForm(forms.Form):
    upload = forms.FileField(required=False, label="Upload a voter file")
    server_file = forms.ChoiceField(
        required=False, label="…or choose a file in the server's import directory"
    )
    format = forms.ChoiceField(
        choices=[("auto", "Detect from the header"), ("canonical", "Canonical CSV"),
                 ("ca-sos", "California SoS extract (tab-delimited, latin-1)")],
        initial="auto",
    )  # fmt: skip
    max_reject_rate = forms.FloatField(
        min_value=0, max_value=1, initial=0.01,
        help_text="Fail the import if more than this share of rows is rejected (0.01 = 1%).",
    )  # fmt: skip
    activate = forms.BooleanField(
        required=False, initial=True, label="Make it the active roll when the import succeeds"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["server_file"].choices = [("", "—")] + [
            (p.name, p.name) for p in server_files()
        ]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload and upload.size > settings.VOTER_UPLOAD_MAX_BYTES:
            limit = settings.VOTER_UPLOAD_MAX_BYTES // 2**20
            raise forms.ValidationError(f"The file is larger than the {limit:,} MB limit.")
        return upload

    def clean(self):
        data = super().clean()
        upload, server_file = data.get("upload"), data.get("server_file")
        if self.errors:
            return data
        if bool(upload) == bool(server_file):
            raise forms.ValidationError("Upload a file or choose one on the server (one of them).")
        return data

    def check_header(self, path: Path) -> bool:
        """Refuse a file whose header is unusable before anything is written; False if refused."""
        try:
            self.info = inspect_voter_file(path, self.cleaned_data["format"])
        except FileError as exc:
            self.add_error(None, str(exc))
            return False
        return True
