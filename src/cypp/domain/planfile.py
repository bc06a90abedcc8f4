"""The plan file: a whole plan as YAML or JSON, validated, with errors that say where.

The format is described in ``docs/plan-file.md`` and by the JSON Schema in
``schema/plan.schema.json``. Loading checks everything before building
anything: the schema (keys, types, enumerations) and the meaning (periods,
target details that fit the kind, duplicate ids, references), and reports every
problem at once with its path and line, so a person fixing a file by hand sees
the whole list in one go. Figures keep the digits they were written with (ints
stay ints, decimals become :class:`~decimal.Decimal`), so load -> dump -> load
is exact.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

import jsonschema
import yaml

from cypp.domain.periods import Period, PeriodError, PeriodKind, parse_period
from cypp.domain.plan import (
    Action,
    ActionStatus,
    Area,
    Baseline,
    Board,
    Breakdown,
    ComparatorValue,
    Frequency,
    Measure,
    NationalIndicator,
    Outcome,
    Plan,
    PlanStatus,
    SourceDocument,
    SourceLocation,
    Theme,
)
from cypp.domain.targets import (
    Bound,
    Comparator,
    ComparatorRelation,
    GapDirection,
    Number,
    QuartileSide,
    Target,
    TargetKind,
    TargetScope,
    TrendDirection,
    target_problems,
)
from cypp.domain.units import Polarity, Unit

__all__ = [
    "FORMAT_KEY",
    "FORMAT_VERSION",
    "PlanFileError",
    "dump_plan",
    "load_plan",
    "plan_from_data",
    "plan_schema",
    "plan_to_data",
    "read_plan_data",
    "validate_plan_data",
]

FORMAT_KEY = "cypp_plan"
FORMAT_VERSION = 1

type Format = Literal["yaml", "json"]
type PathKey = tuple[str | int, ...]
type Positions = Mapping[PathKey, int]

_E = TypeVar("_E", bound=StrEnum)


class PlanFileError(ValueError):
    """One or more problems in a plan file.

    A single problem has a ``path`` (``themes[2].measures[4].target.period``), a
    ``message`` and, when read from text, the 1-based ``line``. The error raised
    by :func:`load_plan` lists every problem found in ``errors``.
    """

    def __init__(
        self,
        message: str,
        path: str = "",
        line: int | None = None,
        errors: Iterable[PlanFileError] = (),
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.errors: tuple[PlanFileError, ...] = tuple(errors) or (self,)
        super().__init__(self._text())

    @classmethod
    def collect(cls, errors: list[PlanFileError], origin: str = "plan file") -> PlanFileError:
        count = len(errors)
        heading = f"{origin}: {count} problem{'s' if count != 1 else ''}"
        return cls(heading, errors=errors)

    def _text(self) -> str:
        if self.errors != (self,):
            return "\n".join([self.message, *(f"  {error}" for error in self.errors)])
        where = f"{self.path}: " if self.path else ""
        line = f" (line {self.line})" if self.line is not None else ""
        return f"{where}{self.message}{line}"

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "message": self.message}


# --- reading text --------------------------------------------------------------------------------


def read_plan_data(text: str, format: Format | None = None) -> tuple[Any, dict[PathKey, int]]:
    """Parse plan-file text into plain data and the line of every key and list item.

    Raises :class:`PlanFileError` when the text is not well-formed YAML or JSON.
    """
    chosen = format or ("json" if text.lstrip().startswith("{") else "yaml")
    if chosen == "json":
        return _JsonReader(text).read()
    if chosen == "yaml":
        return _read_yaml(text)
    raise PlanFileError(f"unknown plan file format {format!r} (use 'yaml' or 'json')")


def _read_yaml(text: str) -> tuple[Any, dict[PathKey, int]]:
    positions: dict[PathKey, int] = {(): 1}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise PlanFileError(f"not valid YAML: {error.problem or error}", line=line) from None
    except yaml.YAMLError as error:
        raise PlanFileError(f"not valid YAML: {error}") from None
    if root is None:
        return None, positions
    return _yaml_value(root, (), positions), positions


_YAML_BOOL = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def _yaml_value(node: yaml.Node, path: PathKey, positions: dict[PathKey, int]) -> Any:
    if isinstance(node, yaml.MappingNode):
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _yaml_value(key_node, path, positions)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                key = str(key)
            if key in mapping:
                raise PlanFileError(f"key {key!r} appears twice", _format_path(path), line)
            positions[(*path, key)] = line
            mapping[key] = _yaml_value(value_node, (*path, key), positions)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            positions[(*path, index)] = item.start_mark.line + 1
            items.append(_yaml_value(item, (*path, index), positions))
        return items
    value = cast(str, node.value)
    tag = node.tag.rsplit(":", 1)[-1]
    line = node.start_mark.line + 1
    if tag == "null":
        return None
    if tag == "bool":
        return _YAML_BOOL[value.lower()]
    if tag == "int":
        try:
            return (
                int(value.replace("_", ""), 0)
                if value[:2] in ("0x", "0o")
                else int(value.replace("_", ""))
            )
        except ValueError:
            raise PlanFileError(f"{value!r} is not a number", _format_path(path), line) from None
    if tag == "float":
        try:
            number = Decimal(value.replace("_", ""))
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise PlanFileError(f"{value!r} is not a finite number", _format_path(path), line)
        return number
    # Strings, and dates or times left as written: periods and dates are parsed later.
    return value


class _JsonReader:
    """A small JSON parser that records the line of every key and item, and keeps decimals."""

    _NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
    _SPACE = re.compile(r"[ \t\n\r]*")

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.positions: dict[PathKey, int] = {(): 1}

    def read(self) -> tuple[Any, dict[PathKey, int]]:
        index = self._skip(0)
        value, index = self._value(index, ())
        index = self._skip(index)
        if index != len(self.text):
            self._fail("unexpected text after the end of the document", index)
        return value, self.positions

    def _line(self, index: int) -> int:
        return bisect.bisect_right(self.line_starts, index)

    def _fail(self, message: str, index: int) -> None:
        raise PlanFileError(f"not valid JSON: {message}", line=self._line(index))

    def _skip(self, index: int) -> int:
        match = self._SPACE.match(self.text, index)
        return match.end() if match else index

    def _value(self, index: int, path: PathKey) -> tuple[Any, int]:
        text = self.text
        if index >= len(text):
            self._fail("the document ends too early", index)
        char = text[index]
        if char == "{":
            return self._object(index + 1, path)
        if char == "[":
            return self._array(index + 1, path)
        if char == '"':
            return self._string(index)
        for word, value in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, index):
                return value, index + len(word)
        match = self._NUMBER.match(text, index)
        if not match:
            self._fail(f"unexpected {char!r}", index)
            raise AssertionError  # unreachable: _fail raises
        number: Number = (
            Decimal(match.group()) if match.group(1) or match.group(2) else int(match.group())
        )
        return number, match.end()

    def _string(self, index: int) -> tuple[str, int]:
        try:
            return cast(tuple[str, int], json.decoder.scanstring(self.text, index + 1))  # type: ignore[attr-defined]
        except json.JSONDecodeError as error:
            self._fail(error.msg, error.pos)
            raise AssertionError from None  # unreachable: _fail raises

    def _object(self, index: int, path: PathKey) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        index = self._skip(index)
        if self.text.startswith("}", index):
            return result, index + 1
        while True:
            if not self.text.startswith('"', index):
                self._fail("expected a key in double quotes", index)
            key_line = self._line(index)
            key, index = self._string(index)
            if key in result:
                raise PlanFileError(f"key {key!r} appears twice", _format_path(path), key_line)
            self.positions[(*path, key)] = key_line
            index = self._skip(index)
            if not self.text.startswith(":", index):
                self._fail("expected ':' after a key", index)
            index = self._skip(index + 1)
            result[key], index = self._value(index, (*path, key))
            index = self._skip(index)
            if self.text.startswith("}", index):
                return result, index + 1
            if not self.text.startswith(",", index):
                self._fail("expected ',' or '}'", index)
            index = self._skip(index + 1)

    def _array(self, index: int, path: PathKey) -> tuple[list[Any], int]:
        result: list[Any] = []
        index = self._skip(index)
        if self.text.startswith("]", index):
            return result, index + 1
        while True:
            self.positions[(*path, len(result))] = self._line(index)
            item, index = self._value(index, (*path, len(result)))
            result.append(item)
            index = self._skip(index)
            if self.text.startswith("]", index):
                return result, index + 1
            if not self.text.startswith(",", index):
                self._fail("expected ',' or ']'", index)
            index = self._skip(index + 1)


# --- paths and lines -----------------------------------------------------------------------------


def _format_path(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _line_for(path: PathKey, positions: Positions | None) -> int | None:
    if not positions:
        return None
    for end in range(len(path), -1, -1):
        line = positions.get(path[:end])
        if line is not None:
            return line
    return None


# --- schema --------------------------------------------------------------------------------------


@cache
def plan_schema() -> dict[str, Any]:
    """The published JSON Schema (draft 2020-12) of the plan file."""
    text = resources.files("cypp.domain").joinpath("schema/plan.schema.json").read_text("utf-8")
    return cast(dict[str, Any], json.loads(text))


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = plan_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _schema_errors(data: Any, positions: Positions | None) -> list[PlanFileError]:
    errors: list[PlanFileError] = []
    for error in _validator().iter_errors(data):
        path: PathKey = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            schema = error.schema if isinstance(error.schema, Mapping) else {}
            allowed = set(schema.get("properties", {}))
            for key in sorted(set(error.instance) - allowed):
                key_path = (*path, key)
                errors.append(
                    PlanFileError(
                        f"unknown key {key!r}",
                        _format_path(key_path),
                        _line_for(key_path, positions),
                    )
                )
            continue
        message = _schema_message(error, path)
        errors.append(PlanFileError(message, _format_path(path), _line_for(path, positions)))
    return errors


_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "array": "a list",
    "object": "a mapping of keys",
    "boolean": "true or false",
    "null": "nothing",
}


def _found(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true or false)"
    return repr(value) if isinstance(value, str) else str(value)


def _schema_message(error: jsonschema.ValidationError, path: PathKey) -> str:
    """A schema error in plain words: what was expected and what was found."""
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing")
    if error.validator == "const" and path == (FORMAT_KEY,):
        return (
            f"unsupported plan file version {error.instance!r} "
            f"(this version of cypp reads {FORMAT_VERSION})"
        )
    if error.validator == "type":
        wanted = cast(str | list[str], error.validator_value)
        names = [wanted] if isinstance(wanted, str) else wanted
        expected = " or ".join(_TYPE_WORDS.get(name, name) for name in names)
        if not path and error.instance is None:
            return f"the file is empty: a plan file is a mapping of keys, starting {FORMAT_KEY}: 1"
        if not path:
            found = _found(error.instance)
            return f"a plan file is a mapping of keys starting {FORMAT_KEY}: 1, not {found}"
        return f"expected {expected}, found {_found(error.instance)}"
    if error.validator == "enum":
        choices = ", ".join(str(choice) for choice in cast(list[Any], error.validator_value))
        return f"{_found(error.instance)} is not one of: {choices}"
    return error.message


# --- building the plan ---------------------------------------------------------------------------


@dataclass
class _Builder:
    """Turns checked data into a :class:`Plan`, collecting every problem of meaning on the way.

    It tolerates data that the schema has already rejected (it skips what it cannot read), so one
    pass reports schema and meaning problems together.
    """

    positions: Positions | None
    errors: list[PlanFileError] = field(default_factory=list)

    def error(self, path: PathKey, message: str) -> None:
        self.errors.append(
            PlanFileError(message, _format_path(path), _line_for(path, self.positions))
        )

    # small readers -----------------------------------------------------------------------------

    def text(self, data: Mapping[str, Any], key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    def texts(self, data: Mapping[str, Any], key: str) -> tuple[str, ...]:
        value = data.get(key)
        if not isinstance(value, list):
            return ()
        return tuple(item for item in value if isinstance(item, str))

    def integer(self, data: Mapping[str, Any], key: str) -> int | None:
        value = data.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def number(self, data: Mapping[str, Any], key: str) -> Number | None:
        value = data.get(key)
        if isinstance(value, bool):
            return None
        if isinstance(value, int | Decimal):
            return value
        if isinstance(value, float):
            # Data from json.load: repr gives the shortest text that reads back as the same float.
            return Decimal(repr(value))
        return None

    def enum(self, data: Mapping[str, Any], key: str, kind: type[_E]) -> _E | None:
        value = data.get(key)
        if not isinstance(value, str):
            return None
        try:
            return kind(value)
        except ValueError:
            return None  # the schema reports values outside the enumeration

    def period(self, data: Mapping[str, Any], key: str, path: PathKey) -> Period | None:
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return None
        try:
            return parse_period(value)
        except PeriodError as error:
            self.error((*path, key), str(error))
            return None

    def mapping(self, data: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
        value = data.get(key)
        return value if isinstance(value, dict) else None

    def items(self, data: Mapping[str, Any], key: str) -> list[tuple[int, Any]]:
        value = data.get(key)
        return list(enumerate(value)) if isinstance(value, list) else []

    # the plan ----------------------------------------------------------------------------------

    def plan(self, data: Any) -> Plan | None:
        if not isinstance(data, dict):
            return None
        area_data = self.mapping(data, "area") or {}
        plan = Plan(
            id=self.text(data, "id") or "",
            area=Area(
                name=self.text(area_data, "name") or "", ons_code=self.text(area_data, "ons_code")
            ),
            title=self.text(data, "title"),
            period=self.period(data, "period", ()),
            status=self.enum(data, "status", PlanStatus),
            vision=self.text(data, "vision"),
            values=self.texts(data, "values"),
            approach=self.texts(data, "approach"),
            themes=tuple(self.theme(item, ("themes", i)) for i, item in self.items(data, "themes")),
            cross_cutting=tuple(
                self.theme(item, ("cross_cutting", i))
                for i, item in self.items(data, "cross_cutting")
            ),
            boards=tuple(self.board(item) for _, item in self.items(data, "boards")),
            source=self.source(self.mapping(data, "source")),
            note=self.text(data, "note"),
        )
        self.check_ids(plan)
        return plan

    def source(self, data: Mapping[str, Any] | None) -> SourceDocument | None:
        if data is None:
            return None
        published = None
        raw = data.get("published")
        if isinstance(raw, str):
            try:
                published = date.fromisoformat(raw)
            except ValueError:
                self.error(("source", "published"), f"{raw!r} is not a date (write YYYY-MM-DD)")
        return SourceDocument(
            title=self.text(data, "title"),
            file=self.text(data, "file"),
            url=self.text(data, "url"),
            published=published,
        )

    def board(self, data: Any) -> Board:
        data = data if isinstance(data, dict) else {}
        return Board(
            name=self.text(data, "name") or "",
            priorities=self.texts(data, "priorities"),
            note=self.text(data, "note"),
        )

    def theme(self, data: Any, path: PathKey) -> Theme:
        data = data if isinstance(data, dict) else {}
        return Theme(
            id=self.text(data, "id") or "",
            title=self.text(data, "title") or "",
            aims=self.texts(data, "aims"),
            outcomes=tuple(self.outcome(item) for _, item in self.items(data, "outcomes")),
            actions=tuple(
                self.action(item, (*path, "actions", i)) for i, item in self.items(data, "actions")
            ),
            measures=tuple(
                self.measure(item, (*path, "measures", i))
                for i, item in self.items(data, "measures")
            ),
            note=self.text(data, "note"),
        )

    def outcome(self, data: Any) -> Outcome:
        if isinstance(data, str):
            return Outcome(title=data)
        data = data if isinstance(data, dict) else {}
        return Outcome(
            title=self.text(data, "title") or "",
            id=self.text(data, "id"),
            quote=self.text(data, "quote"),
            note=self.text(data, "note"),
        )

    def action(self, data: Any, path: PathKey) -> Action:
        if isinstance(data, str):
            return Action(title=data)
        data = data if isinstance(data, dict) else {}
        return Action(
            title=self.text(data, "title") or "",
            id=self.text(data, "id"),
            owner=self.text(data, "owner"),
            partners=self.texts(data, "partners"),
            due=self.period(data, "due", path),
            status=self.enum(data, "status", ActionStatus),
            quote=self.text(data, "quote"),
            note=self.text(data, "note"),
        )

    def measure(self, data: Any, path: PathKey) -> Measure:
        data = data if isinstance(data, dict) else {}
        location = self.mapping(data, "location")
        indicator = self.mapping(data, "national_indicator")
        confidence = self.number(data, "confidence")
        return Measure(
            id=self.text(data, "id") or "",
            name=self.text(data, "name") or "",
            definition=self.text(data, "definition"),
            unit=self.enum(data, "unit", Unit),
            polarity=self.enum(data, "polarity", Polarity),
            frequency=self.enum(data, "frequency", Frequency),
            period_type=self.enum(data, "period_type", PeriodKind),
            data_source=self.text(data, "data_source"),
            owner=self.text(data, "owner"),
            baseline=self.baseline(self.mapping(data, "baseline"), (*path, "baseline")),
            target=self.target(self.mapping(data, "target"), (*path, "target")),
            further_targets=tuple(
                target
                for i, item in self.items(data, "further_targets")
                if (target := self.target(item, (*path, "further_targets", i))) is not None
            ),
            breakdowns=tuple(self.breakdowns(data, path)),
            comparators=tuple(
                ComparatorValue(
                    comparator=self.text(item, "comparator") or "",
                    value=self.number(item, "value"),
                    period=self.period(item, "period", (*path, "comparators", i)),
                )
                for i, item in self.items(data, "comparators")
                if isinstance(item, dict)
            ),
            national_indicator=None
            if indicator is None
            else NationalIndicator(
                fingertips_indicator_id=self.integer(indicator, "fingertips_indicator_id"),
                lait_measure=self.text(indicator, "lait_measure"),
                ees=self.text(indicator, "ees"),
            ),
            outcome=self.text(data, "outcome"),
            quote=self.text(data, "quote"),
            location=None
            if location is None
            else SourceLocation(
                line=self.integer(location, "line"), page=self.integer(location, "page")
            ),
            confidence=Decimal(confidence) if confidence is not None else None,
            note=self.text(data, "note"),
        )

    def breakdowns(self, data: Mapping[str, Any], path: PathKey) -> Iterable[Breakdown]:
        seen: dict[str, int] = {}
        for i, item in self.items(data, "breakdowns"):
            if not isinstance(item, dict):
                continue
            here = (*path, "breakdowns", i)
            label = self.text(item, "label") or ""
            if label in seen:
                self.error(
                    (*here, "label"), f"breakdown {label!r} repeats breakdowns[{seen[label]}]"
                )
            seen.setdefault(label, i)
            yield Breakdown(
                label=label,
                baseline=self.baseline(self.mapping(item, "baseline"), (*here, "baseline")),
                target=self.target(self.mapping(item, "target"), (*here, "target")),
            )

    def baseline(self, data: Mapping[str, Any] | None, path: PathKey) -> Baseline | None:
        if data is None:
            return None
        return Baseline(
            value=self.number(data, "value"),
            period=self.period(data, "period", path),
            text=self.text(data, "text"),
        )

    def target(self, data: Any, path: PathKey) -> Target | None:
        if not isinstance(data, dict):
            return None
        kind = self.enum(data, "kind", TargetKind)
        if kind is None:
            return None  # the schema reports a missing or unknown kind
        between = data.get("between")
        target = Target(
            kind=kind,
            value=self.number(data, "value"),
            period=self.period(data, "period", path),
            text=self.text(data, "text"),
            bound=self.enum(data, "bound", Bound),
            out_of=self.integer(data, "out_of"),
            quartile=self.integer(data, "quartile"),
            side=self.enum(data, "side", QuartileSide),
            share=self.number(data, "share"),
            comparator=self.enum(data, "comparator", Comparator),
            relation=self.enum(data, "relation", ComparatorRelation),
            between=tuple(x for x in between if isinstance(x, str))
            if isinstance(between, list)
            else (),
            gap_direction=self.enum(data, "gap_direction", GapDirection),
            direction=self.enum(data, "direction", TrendDirection),
            from_value=self.number(data, "from_value"),
            scope=self.enum(data, "scope", TargetScope),
        )
        for name, message in target_problems(target):
            self.error((*path, name), message)
        return target

    # cross-checks ------------------------------------------------------------------------------

    def check_ids(self, plan: Plan) -> None:
        theme_ids: dict[str, str] = {}
        measure_ids: dict[str, str] = {}
        outcome_ids: dict[str, str] = {}
        action_ids: dict[str, str] = {}

        def claim(seen: dict[str, str], value: str | None, path: PathKey, what: str) -> None:
            if not value:
                return
            here = _format_path(path)
            if value in seen:
                self.error((*path, "id"), f"{what} id {value!r} is already used by {seen[value]}")
            else:
                seen[value] = here

        for key, index, theme in plan.all_themes():
            claim(theme_ids, theme.id, (key, index), "theme")
            for position, outcome in enumerate(theme.outcomes):
                claim(outcome_ids, outcome.id, (key, index, "outcomes", position), "outcome")
            for position, action in enumerate(theme.actions):
                claim(action_ids, action.id, (key, index, "actions", position), "action")
            for position, measure in enumerate(theme.measures):
                claim(measure_ids, measure.id, (key, index, "measures", position), "measure")
        for key, index, theme in plan.all_themes():
            for position, measure in enumerate(theme.measures):
                if measure.outcome is not None and measure.outcome not in outcome_ids:
                    self.error(
                        (key, index, "measures", position, "outcome"),
                        f"no outcome has id {measure.outcome!r}",
                    )


def _check(data: Any, positions: Positions | None) -> tuple[Plan | None, list[PlanFileError]]:
    errors = _schema_errors(data, positions)
    builder = _Builder(positions)
    plan = builder.plan(data)
    reported = {error.path for error in errors}
    errors += [error for error in builder.errors if error.path not in reported]
    errors.sort(key=lambda error: (error.line or 0, error.path))
    return plan, errors


def validate_plan_data(data: Any, positions: Positions | None = None) -> list[PlanFileError]:
    """Every problem in plan data (as read from YAML or JSON); an empty list means it is valid."""
    return _check(data, positions)[1]


def plan_from_data(data: Any, positions: Positions | None = None, origin: str = "plan") -> Plan:
    """Build a :class:`Plan` from plan data, or raise one :class:`PlanFileError` listing all."""
    plan, errors = _check(data, positions)
    if errors or plan is None:
        raise PlanFileError.collect(
            errors or [PlanFileError("a plan is a mapping of keys")], origin
        )
    return plan


def load_plan(source: str | Path, format: Format | None = None) -> Plan:
    """Load a plan from a file path or from YAML/JSON text.

    A :class:`~pathlib.Path`, or a one-line string ending in ``.yaml``, ``.yml`` or ``.json``
    that names an existing file, is read as a file; any other string is the text itself.
    The format follows the file suffix, else the text (JSON starts with ``{``).
    """
    origin = "plan file"
    if isinstance(source, Path) or (
        "\n" not in source
        and source.endswith((".yaml", ".yml", ".json"))
        and Path(source).is_file()
    ):
        path = Path(source)
        origin = str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise PlanFileError(f"cannot read {path}: {error}") from None
        if format is None:
            format = "json" if path.suffix.lower() == ".json" else "yaml"
    else:
        text = source
    try:
        data, positions = read_plan_data(text, format)
    except PlanFileError as error:
        raise PlanFileError.collect([error], origin) from None
    return plan_from_data(data, positions, origin)


# --- dumping -------------------------------------------------------------------------------------


def _drop_empty(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    return {key: value for key, value in pairs if value is not None and value != [] and value != {}}


def _period(period: Period | None) -> str | None:
    return None if period is None else str(period)


def _enum(value: StrEnum | None) -> str | None:
    return None if value is None else value.value


def _target_data(target: Target) -> dict[str, Any]:
    return _drop_empty(
        [
            ("kind", target.kind.value),
            ("value", target.value),
            ("period", _period(target.period)),
            ("text", target.text),
            ("bound", _enum(target.bound)),
            ("out_of", target.out_of),
            ("quartile", target.quartile),
            ("side", _enum(target.side)),
            ("share", target.share),
            ("comparator", _enum(target.comparator)),
            ("relation", _enum(target.relation)),
            ("between", list(target.between)),
            ("gap_direction", _enum(target.gap_direction)),
            ("direction", _enum(target.direction)),
            ("from_value", target.from_value),
            ("scope", _enum(target.scope)),
        ]
    )


def _baseline_data(baseline: Baseline | None) -> dict[str, Any] | None:
    if baseline is None:
        return None
    # An empty baseline still says "a baseline was stated", so keep it as an empty mapping.
    return {
        key: value
        for key, value in (
            ("value", baseline.value),
            ("period", _period(baseline.period)),
            ("text", baseline.text),
        )
        if value is not None
    }


def _measure_data(measure: Measure) -> dict[str, Any]:
    location = measure.location
    indicator = measure.national_indicator
    return _drop_empty(
        [
            ("id", measure.id),
            ("name", measure.name),
            ("definition", measure.definition),
            ("unit", _enum(measure.unit)),
            ("polarity", _enum(measure.polarity)),
            ("frequency", _enum(measure.frequency)),
            ("period_type", _enum(measure.period_type)),
            ("data_source", measure.data_source),
            ("owner", measure.owner),
            ("outcome", measure.outcome),
            ("baseline", _baseline_data(measure.baseline)),
            ("target", None if measure.target is None else _target_data(measure.target)),
            ("further_targets", [_target_data(t) for t in measure.further_targets]),
            (
                "breakdowns",
                [
                    _drop_empty(
                        [
                            ("label", b.label),
                            ("baseline", _baseline_data(b.baseline)),
                            ("target", None if b.target is None else _target_data(b.target)),
                        ]
                    )
                    for b in measure.breakdowns
                ],
            ),
            (
                "comparators",
                [
                    _drop_empty(
                        [
                            ("comparator", c.comparator),
                            ("value", c.value),
                            ("period", _period(c.period)),
                        ]
                    )
                    for c in measure.comparators
                ],
            ),
            (
                "national_indicator",
                None
                if indicator is None
                else {
                    key: value
                    for key, value in (
                        ("fingertips_indicator_id", indicator.fingertips_indicator_id),
                        ("lait_measure", indicator.lait_measure),
                        ("ees", indicator.ees),
                    )
                    if value is not None
                },
            ),
            ("quote", measure.quote),
            (
                "location",
                None
                if location is None
                else {
                    k: v
                    for k, v in (("line", location.line), ("page", location.page))
                    if v is not None
                },
            ),
            ("confidence", measure.confidence),
            ("note", measure.note),
        ]
    )


def _outcome_data(outcome: Outcome) -> str | dict[str, Any]:
    if (outcome.id, outcome.quote, outcome.note) == (None, None, None):
        return outcome.title
    return _drop_empty(
        [
            ("id", outcome.id),
            ("title", outcome.title),
            ("quote", outcome.quote),
            ("note", outcome.note),
        ]
    )


def _action_data(action: Action) -> str | dict[str, Any]:
    if action == Action(title=action.title):
        return action.title
    return _drop_empty(
        [
            ("id", action.id),
            ("title", action.title),
            ("owner", action.owner),
            ("partners", list(action.partners)),
            ("due", _period(action.due)),
            ("status", _enum(action.status)),
            ("quote", action.quote),
            ("note", action.note),
        ]
    )


def _theme_data(theme: Theme) -> dict[str, Any]:
    return _drop_empty(
        [
            ("id", theme.id),
            ("title", theme.title),
            ("note", theme.note),
            ("aims", list(theme.aims)),
            ("outcomes", [_outcome_data(o) for o in theme.outcomes]),
            ("actions", [_action_data(a) for a in theme.actions]),
            ("measures", [_measure_data(m) for m in theme.measures]),
        ]
    )


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """The plan as plain data in plan-file layout (empty fields left out)."""
    source = plan.source
    return _drop_empty(
        [
            (FORMAT_KEY, FORMAT_VERSION),
            ("id", plan.id),
            ("title", plan.title),
            ("area", _drop_empty([("name", plan.area.name), ("ons_code", plan.area.ons_code)])),
            ("period", _period(plan.period)),
            ("status", _enum(plan.status)),
            (
                "source",
                None
                if source is None
                else _drop_empty(
                    [
                        ("title", source.title),
                        ("file", source.file),
                        ("url", source.url),
                        (
                            "published",
                            None if source.published is None else source.published.isoformat(),
                        ),
                    ]
                ),
            ),
            ("note", plan.note),
            ("vision", plan.vision),
            ("values", list(plan.values)),
            ("approach", list(plan.approach)),
            ("themes", [_theme_data(t) for t in plan.themes]),
            ("cross_cutting", [_theme_data(t) for t in plan.cross_cutting]),
            (
                "boards",
                [
                    _drop_empty(
                        [("name", b.name), ("priorities", list(b.priorities)), ("note", b.note)]
                    )
                    for b in plan.boards
                ],
            ),
        ]
    )


class _Dumper(yaml.SafeDumper):
    """Writes decimals as YAML numbers with their digits, and indents lists under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:float", str(value))


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.endswith((" ", "\t")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_str)


def _json_text(value: Any, indent: int = 0) -> str:
    pad = "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = ",\n".join(
            f"{pad}{json.dumps(key, ensure_ascii=False)}: {_json_text(item, indent + 1)}"
            for key, item in value.items()
        )
        return "{\n" + inner + "\n" + "  " * indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = ",\n".join(f"{pad}{_json_text(item, indent + 1)}" for item in value)
        return "[\n" + inner + "\n" + "  " * indent + "]"
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def dump_plan(plan: Plan, format: Format = "yaml") -> str:
    """Write the plan as plan-file text; :func:`load_plan` reads it back to an equal plan."""
    data = plan_to_data(plan)
    if format == "json":
        return _json_text(data) + "\n"
    if format == "yaml":
        return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    raise ValueError(f"unknown plan file format {format!r} (use 'yaml' or 'json')")
