"""The upload form: which files are accepted and the GOV.UK wording of its errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms

from cypp.importer.readers import MAX_BYTES
from cypp.web.data.forms import error_list, field_error

__all__ = ["MAX_UPLOAD_BYTES", "SUFFIXES", "UploadForm", "error_list", "field_error"]

MAX_UPLOAD_BYTES = MAX_BYTES
#: What the page offers; the importer reads a file by its content, not its name.
SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm")


class UploadForm(forms.Form):
    file = forms.FileField(
        allow_empty_file=True,
        error_messages={"required": "Select a plan document to upload"},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = Path(upload.name).name
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"{name} cannot be imported: the file must be smaller than "
                f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB"
            )
        if not name.lower().endswith(SUFFIXES):
            raise forms.ValidationError(
                f"{name} cannot be imported: the file must be a Word (.docx), PDF, text (.txt), "
                "Markdown (.md) or web page (.html) file"
            )
        return upload
