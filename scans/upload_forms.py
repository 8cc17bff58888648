"""The scan upload form: several files at once (a section's PDF or phone photos, or a bulk ZIP),
each checked for its size and its first bytes before anything is kept."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from scans.ingest import ScanFileError, not_a_scan, sniff
from scans.uploads import check_upload_size

# Phones offer their camera for image/*; the extensions help desktop file pickers.
ACCEPT = "image/*,application/pdf,.pdf,.jpg,.jpeg,.png,.zip,application/zip"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's documented pattern for one field holding several files."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data] if data else [single(None, initial)]
        return [single(data, initial)]


class ScanUploadForm(forms.Form):
    scans = MultipleFileField(
        label=_("Scans"),
        help_text=_("PDFs, JPEG or PNG photos (several at once), or a ZIP of them."),
        error_messages={"required": _("Choose at least one file.")},
    )

    def clean_scans(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["scans"]
        errors = []
        for upload in files:
            name = upload.name or "?"
            try:
                check_upload_size(name, upload.size or 0)
            except ScanFileError as exc:
                errors.append(str(exc))
                continue
            upload.seek(0)
            head = upload.read(1024)
            upload.seek(0)
            if sniff(head) is None:
                errors.append(not_a_scan(name))
        if errors:
            raise forms.ValidationError(errors)
        return files
