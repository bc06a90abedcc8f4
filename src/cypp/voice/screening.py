"""Screen free text for what must never be published about a child.

Stories and survey comments are written by children, parents and staff; they
often name people. Nothing is published until a moderator has seen every flag,
and the public text is the redacted one. Patterns err on the side of flagging:
a false alarm costs a moderator a glance, a miss can identify a child.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    EMAIL = "e-mail address"
    PHONE = "phone number"
    POSTCODE = "postcode"
    NAME = "possible name"
    HANDLE = "social media handle"
    ADDRESS = "street address"


@dataclass(frozen=True)
class Flag:
    kind: Kind
    start: int
    end: int
    text: str

    def describe(self) -> str:
        return f"{self.kind} “{self.text}” at character {self.start + 1}"


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PHONE = re.compile(r"(?<![\w])(?:\+44\s?\(?0?\)?|0)(?:[\s-]?\d){9,10}(?!\d)")
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{2,30}\b")
_ADDRESS = re.compile(
    r"\b\d{1,4}[a-z]?\s+(?:[A-Z][a-z]+\s){1,3}"
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Court|Grove|Place)\b"
)
# "my name is Sam", "I'm Priya", "called Jo", "son Alfie", "Mrs Patel"
_INTRODUCED = re.compile(
    r"\b(?:my name is|i am called|i'm called|called|named|name's|"
    r"my (?:son|daughter|brother|sister|friend|child|mum|dad|carer|social worker|teacher)|"
    r"(?:Mr|Mrs|Ms|Miss|Dr)\.?)\s+([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)"
)
# A capitalised word inside a sentence that is not a known common word.
_CAPITALISED = re.compile(r"(?<=[a-z,;:]\s)([A-Z][a-z'’-]{1,20})\b")
# An attribution such as "- Sam, 14" or "(Jo, aged 9)".
_SIGNED = re.compile(r"(?:^|[-–—(]\s*)([A-Z][a-z'’-]{1,20}),\s*(?:aged\s*)?\d{1,2}\b")

#: Capitalised words that are not names: days, months, services and common places.
_NOT_NAMES_TEXT = """
    I Mr Mrs Ms Miss Dr
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
    April May June July August September October November December England English Britain
    British UK NHS CAMHS School College Academy Council Children Young People Plan Trust
    Board Youth Cabinet Christmas Easter Covid God Maths Science PE Year Key Stage GCSE
    GCSEs SEN SEND Centre Centres Club Health Visitor Police Social Care Early Help Hub
    Worcestershire Buckinghamshire Leicestershire Bedfordshire Central Make Your Mark View
    Point Survey Facebook Instagram TikTok YouTube Snapchat WhatsApp Internet"""
NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


def find_flags(text: str, known_words: frozenset[str] = frozenset()) -> list[Flag]:
    """Every span that may identify someone, in reading order, without overlaps."""
    allowed = NOT_NAMES | known_words
    found: list[Flag] = []
    for kind, pattern in (
        (Kind.EMAIL, _EMAIL),
        (Kind.PHONE, _PHONE),
        (Kind.POSTCODE, _POSTCODE),
        (Kind.ADDRESS, _ADDRESS),
    ):
        found += [Flag(kind, m.start(), m.end(), m.group(0)) for m in pattern.finditer(text)]
    found += [
        Flag(Kind.HANDLE, m.start(), m.end(), m.group(0))
        for m in _HANDLE.finditer(text)
        if not _inside(m.start(), found)
    ]
    for pattern in (_INTRODUCED, _SIGNED, _CAPITALISED):
        for m in pattern.finditer(text):
            words = m.group(1).split()
            if all(word in allowed for word in words):
                continue
            found.append(Flag(Kind.NAME, m.start(1), m.end(1), m.group(1)))
    return _without_overlaps(found)


def _inside(position: int, flags: list[Flag]) -> bool:
    return any(flag.start <= position < flag.end for flag in flags)


def _without_overlaps(flags: list[Flag]) -> list[Flag]:
    kept: list[Flag] = []
    for flag in sorted(flags, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and flag.start < kept[-1].end:
            continue
        kept.append(flag)
    return kept


def redact(text: str, flags: list[Flag]) -> str:
    """The text with every flagged span replaced by a bracketed description."""
    out, last = [], 0
    for flag in sorted(flags, key=lambda f: f.start):
        out.append(text[last : flag.start])
        out.append(f"[{'name' if flag.kind is Kind.NAME else str(flag.kind)} removed]")
        last = flag.end
    out.append(text[last:])
    return "".join(out)
