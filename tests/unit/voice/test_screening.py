"""Free text is screened for what could identify a child before anything is published."""

import pytest

from cypp.voice.screening import Kind, find_flags, redact


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("Email me at sam.jones+cyp@example.org please", Kind.EMAIL, "sam.jones+cyp@example.org"),
        ("Ring 07700 900123 after school", Kind.PHONE, "07700 900123"),
        ("call +44 7700 900123", Kind.PHONE, "+44 7700 900123"),
        ("landline 01905 765432.", Kind.PHONE, "01905 765432"),
        ("we live near WR5 2NP now", Kind.POSTCODE, "WR5 2NP"),
        ("follow @jojo_2012 for updates", Kind.HANDLE, "@jojo_2012"),
        ("my name is Priya and I feel safer", Kind.NAME, "Priya"),
        ("my son Alfie Smith can read now", Kind.NAME, "Alfie Smith"),
        ("the support from Mrs Patel helped", Kind.NAME, "Patel"),
        ("- Kai, 14", Kind.NAME, "Kai"),
        ("I went with Jayden to the club", Kind.NAME, "Jayden"),
        ("we moved to 14 Elm Tree Road last year", Kind.ADDRESS, "14 Elm Tree Road"),
    ],
)
def test_identifying_details_are_flagged(text: str, kind: Kind, found: str) -> None:
    flags = find_flags(text)
    assert [(f.kind, f.text) for f in flags] == [(kind, found)]
    assert found not in redact(text, flags)


def test_ordinary_words_and_known_terms_are_not_flagged() -> None:
    text = (
        "After the Early Help Hub visit in March, school felt safer and the NHS nurse "
        "explained my GCSE options. The Youth Cabinet listened."
    )
    assert find_flags(text) == []
    assert find_flags("we met at Redditch library", known_words=frozenset({"Redditch"})) == []


def test_redaction_keeps_the_rest_of_the_story() -> None:
    text = "My daughter Ella got help. Call 07700 900123."
    public = redact(text, find_flags(text))
    assert public == "My daughter [name removed] got help. Call [phone number removed]."
