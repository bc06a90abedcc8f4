"""Reading age of public wording."""

from cypp.voice.readability import CHILD_GRADE, assess

CHILD_TEXT = (
    "We want you to be safe. We want you to be well. "
    "Fewer children needed help from a doctor this year. "
    "You told us that bullying is the biggest worry. We are doing more to stop it."
)
OFFICER_TEXT = (
    "The partnership will continue to commission evidence-based interventions to reduce "
    "the prevalence of excess weight among reception and year six pupils, with particular "
    "attention to the differential between the most and least deprived quintiles."
)


def test_child_friendly_wording_passes() -> None:
    reading = assess(CHILD_TEXT)
    assert reading.grade <= CHILD_GRADE
    assert reading.child_friendly


def test_officer_wording_fails_and_names_the_long_sentence() -> None:
    reading = assess(OFFICER_TEXT)
    assert reading.grade > CHILD_GRADE + 5
    assert not reading.child_friendly
    assert reading.long_sentences == (OFFICER_TEXT,)
    assert reading.reading_age > 15


def test_syllables_come_from_the_dictionary_and_hyphenation() -> None:
    from cypp.voice.readability import syllables

    assert [syllables(w) for w in ("children", "safe", "partnership", "Worcestershire")] == [
        2,
        1,
        3,
        3,
    ]
    # A word the dictionary lacks still gets a count from hyphenation rules.
    assert syllables("safeguardingly") >= 3


def test_empty_text_is_refused() -> None:
    import pytest

    from cypp.voice.readability import assess as check

    with pytest.raises(ValueError, match="no text"):
        check(" \n ")
