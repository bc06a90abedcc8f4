"""Import a plan document: read it, extract a draft, and turn the draft into plan file data.

The result keeps both views: ``draft`` (what was read, item by item, with the
quote, location and confidence a reviewer checks) and ``plan`` (plan file
data, valid against the plan file format, ready to dump or to review). Every
judgement the importer could not make with confidence is listed in
``warnings`` so the review step can show it beside the quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cypp.domain.planfile import validate_plan_data
from cypp.importer.blocks import Block
from cypp.importer.errors import DocumentError
from cypp.importer.extract import extract
from cypp.importer.readers import read_document
from cypp.importer.to_plan import plan_data

__all__ = ["LOW_CONFIDENCE", "ImportResult", "import_blocks", "import_document"]

#: Items below this confidence are listed as warnings for the reviewer.
LOW_CONFIDENCE = 0.7


@dataclass
class ImportResult:
    """What one import produced.

    ``plan`` is plan file data (pass it to :func:`cypp.domain.planfile.plan_from_data`);
    ``draft`` carries every extracted item with ``quote``, ``location`` and
    ``confidence``; ``warnings`` are ``{"path", "message", "quote"?, "location"?}``
    entries for the reviewer.
    """

    document: str
    plan: dict[str, Any]
    draft: dict[str, Any]
    warnings: list[dict[str, Any]] = field(default_factory=list)
    blocks: int = 0

    @property
    def measures(self) -> list[dict[str, Any]]:
        return list(self.draft.get("measures", []))

    def low_confidence(self) -> list[dict[str, Any]]:
        return [m for m in self.measures if (m.get("confidence") or 0) < LOW_CONFIDENCE]


def import_document(path: str | Path, data: bytes | None = None) -> ImportResult:
    """Import one plan document; raises :class:`DocumentError` when it cannot be read."""
    path = Path(path)
    blocks = read_document(path, data)
    return import_blocks(blocks, path.name)


def import_blocks(blocks: list[Block], document: str) -> ImportResult:
    """Extraction and conversion for blocks already read (by any reader)."""
    try:
        draft = extract(blocks, document)
    except RecursionError:
        raise DocumentError(document, "the document is nested too deeply to read") from None
    warnings: list[dict[str, Any]] = []
    data = plan_data(draft, warnings)
    _repair(data, warnings)
    for measure in draft.get("measures", []):
        confidence = measure.get("confidence") or 0
        if confidence < LOW_CONFIDENCE:
            warnings.append(
                {
                    "path": f"measure {measure.get('name')!r}",
                    "message": f"low confidence ({confidence}); check it against the quote",
                    "quote": measure.get("quote"),
                    "location": measure.get("location"),
                }
            )
    if not draft.get("measures"):
        warnings.append({"path": "measures", "message": "no measures were found"})
    if not draft.get("themes"):
        warnings.append({"path": "themes", "message": "no themes or priorities were found"})
    return ImportResult(document, data, draft, warnings, len(blocks))


def _repair(data: dict[str, Any], warnings: list[dict[str, Any]]) -> None:
    """Remove any field the plan file format rejects, saying so, so the output always loads.

    Conversion is written to produce valid data; this is the safety net that
    keeps a surprising document from yielding a file that cannot be opened.
    """
    for _ in range(5):
        errors = validate_plan_data(data)
        if not errors:
            return
        for error in errors:
            if _drop(data, error.path):
                warnings.append({"path": error.path, "message": f"left out: {error.message}"})
            else:
                raise DocumentError(str(data.get("source", {}).get("file", "plan")), str(error))
    errors = validate_plan_data(data)
    if errors:
        raise DocumentError(str(data.get("source", {}).get("file", "plan")), str(errors[0]))


def _drop(data: dict[str, Any], path: str) -> bool:
    """Delete the field at a plan-file path such as ``themes[2].measures[4].target.period``."""
    parts: list[str | int] = []
    for token in path.replace("]", "").replace("[", ".").split("."):
        if token:
            parts.append(int(token) if token.isdigit() else token)
    if len(parts) < 2:
        return False
    node: Any = data
    for part in parts[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    last = parts[-1]
    if isinstance(node, dict) and last in node and last not in ("id", "name", "title", "kind"):
        del node[last]
        return True
    return False
