"""A voice file for ``cypp report``: consultations and village figures, without the server.

YAML (or JSON)::

    consultations:
      - title: Make Your Mark 2014
        run_by: Worcestershire Youth Cabinet
        held_from: 2014-09-01
        held_to: 2014-10-31
        method: ballot                      # survey, workshop, focus_group, ...
        age_groups: {"11 to 15": 150, "16 to 18": 50}
        agreement:                          # by priority (theme id of the plan)
          children-and-young-people-have: {agreed: 180, asked: 200}
          children-and-young-people-are-2: {percent: 97.97, asked: 197}
        ranked_issues: [Bullying, Mental health]
        themes: [Safe parks]
    village:
      - {measure: m20, would: "would not be in education, employment or training"}

Stories are never read from a file: they stay with the moderated store of the web app.
Every problem is reported with the file and the place in it, and nothing is half-read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from cypp.voice.consultations import (
    AgeGroup,
    Consultation,
    ConsultationError,
    Method,
    PriorityAgreement,
    RankedIssue,
    agreement_from_percent,
)

__all__ = ["VillageChoice", "VoiceFile", "VoiceFileError", "read_voice_file"]


class VoiceFileError(ValueError):
    """Problems in a voice file, each naming the file and where in it."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class VillageChoice:
    measure: str
    would: str
    population: int | None = None


@dataclass(frozen=True)
class VoiceFile:
    consultations: tuple[Consultation, ...]
    village: tuple[VillageChoice, ...]


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _count(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConsultationError(f"{where}: {value!r} is not a whole number of children")
    return value


def _agreement(key: str, entry: Any, where: str) -> PriorityAgreement:
    if not isinstance(entry, Mapping) or "asked" not in entry:
        raise ConsultationError(f"{where}: give 'asked' and either 'agreed' or 'percent'")
    asked = _count(entry["asked"], f"{where}.asked")
    if "agreed" in entry:
        return PriorityAgreement(key, _count(entry["agreed"], f"{where}.agreed"), asked)
    if "percent" in entry:
        return agreement_from_percent(key, float(entry["percent"]), asked)
    raise ConsultationError(f"{where}: give 'agreed' or 'percent'")


def _consultation(entry: Any, where: str, priorities: set[str]) -> Consultation:
    if not isinstance(entry, Mapping):
        raise ConsultationError(f"{where}: expected title, run_by, held_from, held_to, method")
    for name in ("title", "run_by", "held_from", "held_to"):
        if not entry.get(name):
            raise ConsultationError(f"{where}.{name}: required")
    try:
        held_from, held_to = _date(entry["held_from"]), _date(entry["held_to"])
    except ValueError:
        raise ConsultationError(f"{where}: dates must be like 2014-09-01") from None
    try:
        method = Method(str(entry.get("method", "other")))
    except ValueError:
        known = ", ".join(m.value for m in Method)
        raise ConsultationError(f"{where}.method: use one of {known}") from None
    agreements = []
    for key, value in (entry.get("agreement") or {}).items():
        if key not in priorities:
            raise ConsultationError(
                f"{where}.agreement.{key}: not a priority (theme id) of the plan"
            )
        agreements.append(_agreement(str(key), value, f"{where}.agreement.{key}"))
    groups = entry.get("age_groups") or {}
    return Consultation(
        title=str(entry["title"]),
        run_by=str(entry["run_by"]),
        held_from=held_from,
        held_to=held_to,
        method=method,
        age_groups=tuple(
            AgeGroup(str(label), _count(n, f"{where}.age_groups.{label}"))
            for label, n in groups.items()
        ),
        agreements=tuple(agreements),
        ranked_issues=tuple(
            RankedIssue(rank, str(issue))
            for rank, issue in enumerate(entry.get("ranked_issues") or (), start=1)
        ),
        themes=tuple(str(theme) for theme in entry.get("themes") or ()),
    )


def read_sections(path: str | Path, sections: Sequence[str]) -> tuple[Mapping[str, Any], list[str]]:
    """A YAML file's top-level mapping, and a problem for each section not in ``sections``.

    Raises :class:`VoiceFileError` when the file cannot be read or is not a mapping.
    """
    file = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as error:
        raise VoiceFileError([f"{file}: cannot read the file: {error}"]) from None
    names = ", ".join(sections)
    if not isinstance(data, Mapping):
        raise VoiceFileError([f"{file}: expected the sections {names}"])
    unknown = sorted(set(map(str, data)) - set(sections))
    return data, [f"{file}: {name}: unknown section; use {names}" for name in unknown]


def read_voice_file(
    path: str | Path, priorities: Sequence[str], measures: Sequence[str]
) -> VoiceFile:
    """Read and check a voice file against the plan's priority and measure ids."""
    file = str(path)
    data, problems = read_sections(path, ("consultations", "village"))
    consultations = []
    for index, entry in enumerate(data.get("consultations") or ()):
        try:
            consultations.append(_consultation(entry, f"consultations[{index}]", set(priorities)))
        except ConsultationError as error:
            problems.append(f"{file}: {error}")
    village = []
    for index, entry in enumerate(data.get("village") or ()):
        where = f"{file}: village[{index}]"
        if not isinstance(entry, Mapping) or not entry.get("measure") or not entry.get("would"):
            problems.append(f"{where}: give 'measure' and 'would'")
        elif entry["measure"] not in measures:
            problems.append(f"{where}.measure: {entry['measure']!r} is not a measure of the plan")
        else:
            population = entry.get("population")
            village.append(VillageChoice(str(entry["measure"]), str(entry["would"]),
                                         int(population) if population else None))  # fmt: skip
    if problems:
        raise VoiceFileError(problems)
    return VoiceFile(tuple(consultations), tuple(village))
