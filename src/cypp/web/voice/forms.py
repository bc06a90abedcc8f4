"""Forms for consultations, stories, moderation and child-friendly wording.

Django forms do the checking; templates render them with GOV.UK components so
every error is in the error summary and beside its field.
"""

from __future__ import annotations

from django import forms

from cypp.voice.consultations import Method
from cypp.voice.stories import MAX_TEXT, Moderation, Teller

AGE_GROUPS = ["Under 11", "11 to 15", "16 to 18", "19 to 25"]


class StoryForm(forms.Form):
    teller = forms.ChoiceField(
        choices=[(t.value, t.value.capitalize()) for t in Teller],
        error_messages={"required": "Choose who is telling the story"},
    )
    theme = forms.ChoiceField(error_messages={"required": "Choose which priority it is about"})
    what_changed = forms.CharField(
        max_length=MAX_TEXT,
        error_messages={
            "required": "Tell us what changed",
            "max_length": f"What changed must be {MAX_TEXT:,} characters or fewer",
        },
    )
    for_whom = forms.CharField(
        max_length=300, error_messages={"required": "Tell us who it changed things for"}
    )
    age_group = forms.ChoiceField(
        required=False, choices=[("", "Prefer not to say"), *[(a, a) for a in AGE_GROUPS]]
    )
    consent = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        error_messages={"required": "Tell us if we may share your story"},
    )
    #: Left empty by people; filled by robots that complete every field.
    website = forms.CharField(required=False)

    def __init__(self, *args, themes: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = themes


class ConsultationForm(forms.Form):
    title = forms.CharField(max_length=300, error_messages={"required": "Enter the title"})
    run_by = forms.CharField(
        max_length=300, error_messages={"required": "Enter who ran the consultation"}
    )
    held_from = forms.DateField(
        error_messages={
            "required": "Enter the date it started",
            "invalid": "Date it started must be a real date, like 2014-09-01",
        }
    )
    held_to = forms.DateField(
        error_messages={
            "required": "Enter the date it ended",
            "invalid": "Date it ended must be a real date, like 2014-10-31",
        }
    )
    method = forms.ChoiceField(
        choices=[(m.value, m.value.replace("_", " ").capitalize()) for m in Method]
    )
    themes = forms.CharField(required=False, widget=forms.Textarea)
    issues = forms.CharField(required=False, widget=forms.Textarea)

    def __init__(self, *args, theme_keys: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for index, _ in enumerate(AGE_GROUPS):
            self.fields[f"age_{index}"] = forms.IntegerField(
                required=False,
                min_value=0,
                error_messages={
                    "invalid": f"Number aged {AGE_GROUPS[index]} must be a whole number",
                    "min_value": f"Number aged {AGE_GROUPS[index]} cannot be negative",
                },
            )
        for key in theme_keys:
            for part in ("agreed", "asked"):
                self.fields[f"{part}_{key}"] = forms.IntegerField(
                    required=False,
                    min_value=0,
                    error_messages={
                        "invalid": "Enter a whole number",
                        "min_value": "Enter 0 or more",
                    },
                )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (m.value, m.value.capitalize()) for m in Moderation if m is not Moderation.PENDING
        ],
        error_messages={"required": "Choose what to do with the story"},
    )
    cleared_flags = forms.BooleanField(required=False)
    note = forms.CharField(required=False, max_length=1000)


class WordingForm(forms.Form):
    title = forms.CharField(
        required=False,
        max_length=120,
        error_messages={"max_length": "Short title must be 120 characters or fewer"},
    )
    plain_words = forms.CharField(
        max_length=600, error_messages={"required": "Enter the priority in plain words"}
    )
    what_changed = forms.CharField(required=False, max_length=1200)
    accept_reading_age = forms.BooleanField(required=False)
