"""Forms for the data pages, with GOV.UK error wording.

The pages render GOV.UK components themselves; :func:`error_list` turns a form's errors
into the error summary's list, each linking to the field it is about.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
UPLOAD_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".ods", ".parquet")


def error_list(errors: dict[str, Any], ids: dict[str, str] | None = None) -> list[dict[str, str]]:
    """``[{"text": …, "href": "#field-id"}]`` for govukErrorSummary."""
    ids = ids or {}
    found = []
    for name, messages in errors.items():
        for message in messages if isinstance(messages, list) else [messages]:
            anchor = ids.get(name, name)
            found.append(
                {"text": str(message), "href": f"#{anchor}"}
                if name != "__all__"
                else {"text": str(message)}
            )
    return found


def field_error(errors: dict[str, Any], name: str) -> dict[str, str] | None:
    """``{"text": …}`` for a component's errorMessage, or None."""
    messages = errors.get(name)
    if not messages:
        return None
    text = messages[0] if isinstance(messages, list) else messages
    return {"text": str(text)}


class UploadForm(forms.Form):
    file = forms.FileField(
        error_messages={
            "required": "Select a file to upload",
            "empty": "The selected file is empty",
        }
    )
    measure = forms.ChoiceField(required=False)
    reason = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: Any, measures: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "Each row names its measure"), *measures]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 50 MB")
        if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(
                "The selected file must be a CSV, Excel (.xlsx), OpenDocument (.ods) "
                "or Parquet file"
            )
        return upload


class OpenCollectionForm(forms.Form):
    period = forms.CharField(
        max_length=100, error_messages={"required": "Enter the reporting period, like Q1 2025/26"}
    )
    due_day = forms.IntegerField(required=False, min_value=1, max_value=31)
    due_month = forms.IntegerField(required=False, min_value=1, max_value=12)
    due_year = forms.IntegerField(required=False, min_value=2000, max_value=2100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = (data.get("due_year"), data.get("due_month"), data.get("due_day"))
        if None in parts:
            self.add_error(
                "due_day", "Enter the date returns are due, including day, month and year"
            )
            return data
        try:
            data["due"] = date(*parts)  # type: ignore[arg-type]
        except ValueError:
            self.add_error("due_day", "The due date must be a real date")
        return data


class CommentForm(forms.Form):
    comment = forms.CharField(
        max_length=5000,
        error_messages={"required": "Say what the organisation needs to change"},
    )


class LinkForm(forms.Form):
    sent_to = forms.EmailField(
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.org"
        },
    )


class CorrectionForm(forms.Form):
    value = forms.CharField(
        max_length=50, error_messages={"required": "Enter the corrected figure"}
    )
    reason = forms.CharField(
        max_length=2000, error_messages={"required": "Say why the figure is being corrected"}
    )


class OwnerForm(forms.Form):
    """Make an organisation (existing, or new by name) report one of the plan's measures."""

    measure = forms.ChoiceField(error_messages={"required": "Select a measure"})
    organisation = forms.ChoiceField(required=False)
    new_organisation = forms.CharField(required=False, max_length=200)
    kind = forms.ChoiceField(required=False)

    def __init__(
        self,
        *args: Any,
        measures: list[tuple[str, str]],
        organisations: list[tuple[str, str]],
        kinds: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "Select a measure"), *measures]
        self.fields["organisation"].choices = [("", "A new organisation"), *organisations]
        self.fields["kind"].choices = [("", ""), *kinds]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("organisation") and not (data.get("new_organisation") or "").strip():
            self.add_error("organisation", "Select an organisation, or enter the name of a new one")
        return data
