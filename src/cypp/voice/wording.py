"""A wording file: each priority of a plan in words a 10-year-old can read.

YAML, one file per plan (``<plan id>.wording.yaml``)::

    plan: buckinghamshire-2011-14
    priorities:                       # by the plan's theme id
      closing-the-gap:
        title: Helping every child do well
        words: >-
          Some children do less well at school than others. We will give them extra
          help, so they can do as well as everyone else.
        what_changed: ""              # optional, once something has changed

The words are what officers would otherwise type into the wording editor; the reading
age is checked where they are stored or shown. Every problem is reported with the file
and the priority, and nothing is half-read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cypp.voice.files import VoiceFileError, read_sections

__all__ = ["MAX_TITLE", "PriorityWording", "WordingFile", "read_wording_file"]

#: Longest short title: it is the priority's heading on the children's page.
MAX_TITLE = 120
#: Same limits as the wording editor.
MAX_WORDS = 600
MAX_WHAT_CHANGED = 1200
_FIELDS = {"title": MAX_TITLE, "words": MAX_WORDS, "what_changed": MAX_WHAT_CHANGED}


@dataclass(frozen=True)
class PriorityWording:
    priority: str
    title: str
    words: str
    what_changed: str = ""


@dataclass(frozen=True)
class WordingFile:
    plan: str
    priorities: tuple[PriorityWording, ...]


def _text(entry: Mapping[Any, Any], name: str, where: str, problems: list[str]) -> str:
    value = entry.get(name)
    if value is None or value == "":
        if name != "what_changed":
            problems.append(f"{where}.{name}: required")
        return ""
    if not isinstance(value, str):
        problems.append(f"{where}.{name}: must be text")
        return ""
    text = " ".join(value.split())
    if len(text) > _FIELDS[name]:
        problems.append(f"{where}.{name}: {len(text)} characters; at most {_FIELDS[name]}")
    return text


def read_wording_file(path: str | Path, plan: str, priorities: Sequence[str]) -> WordingFile:
    """Read and check a wording file against the plan's id and priority (theme) ids."""
    file = str(path)
    data, problems = read_sections(path, ("plan", "priorities"))
    if data.get("plan") != plan:
        problems.append(f"{file}: plan: {data.get('plan')!r} is not {plan!r}")
    entries = data.get("priorities")
    if not isinstance(entries, Mapping) or not entries:
        raise VoiceFileError([*problems, f"{file}: priorities: give each priority by theme id"])
    wordings = []
    for key, entry in entries.items():
        where = f"{file}: priorities.{key}"
        if key not in priorities:
            problems.append(f"{where}: not a priority (theme id) of {plan}")
            continue
        if not isinstance(entry, Mapping):
            problems.append(f"{where}: give 'title' and 'words'")
            continue
        unknown = sorted(set(map(str, entry)) - set(_FIELDS))
        problems += [f"{where}.{name}: unknown; use title, words, what_changed" for name in unknown]
        title = _text(entry, "title", where, problems)
        words = _text(entry, "words", where, problems)
        wordings.append(
            PriorityWording(str(key), title, words, _text(entry, "what_changed", where, problems))
        )
    if problems:
        raise VoiceFileError(problems)
    return WordingFile(plan, tuple(wordings))
