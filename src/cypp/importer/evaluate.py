"""Score the importer against hand-labelled plans.

``python -m cypp.importer.evaluate --docs DIR --gold DIR [--suffix .pdf] [--details]``

Each gold file ``NAME.json`` is paired with the document ``NAME<suffix>`` in
the documents folder. Extracted measures are matched one-to-one to gold
measures by the similarity of their quotes and names (an optimal assignment,
so several measures quoted from one table row pair up by name). Detection is
scored by precision, recall and F1; each field by the share of matched pairs
where it agrees (a null agrees with a null).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from cypp.importer.errors import DocumentError
from cypp.importer.pipeline import import_document

__all__ = ["FIELDS", "DocumentScore", "Report", "evaluate", "match_measures", "score_document"]

#: Pairs scoring below this are not the same measure.
MATCH_THRESHOLD = 0.55
_TEXT_SUFFIXES = (".txt", ".md", ".markdown")

Measure = dict[str, Any]


def _same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) < 1e-6
    except (TypeError, ValueError):
        return False


def _baseline_value(m: Measure) -> Any:
    return (m.get("baseline") or {}).get("value")


def _target_kind(m: Measure) -> Any:
    return (m.get("target") or {}).get("kind")


def _target_value(m: Measure) -> Any:
    return (m.get("target") or {}).get("value")


#: Field name → (reader, comparison).
FIELDS: dict[str, tuple[Callable[[Measure], Any], Callable[[Any, Any], bool]]] = {
    "unit": (lambda m: m.get("unit"), lambda a, b: a == b),
    "polarity": (lambda m: m.get("polarity"), lambda a, b: a == b),
    "baseline_value": (_baseline_value, _same_number),
    "target_kind": (_target_kind, lambda a, b: a == b),
    "target_value": (_target_value, _same_number),
}


def _norm(text: str | None) -> str:
    text = (text or "").lower()
    text = re.sub(r"^[\s\-•●▪◦·*]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+(?:[.,][0-9]+)?", text))


def _overlap(a: str, b: str) -> float:
    """Word-set overlap: fast on long table rows and indifferent to how a reader spaced them."""
    if a == b:
        return 1.0 if a else 0.0
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def pair_score(extracted: Measure, gold: Measure) -> float:
    """How likely two measures are the same: mostly the quote, the name to split a shared row."""
    quote = _overlap(_norm(extracted.get("quote")), _norm(gold.get("quote")))
    a, b = _norm(extracted.get("name")), _norm(gold.get("name"))
    name = _overlap(a, b)
    if quote > 0.9 and name < 1.0:
        # Several measures quoted from one row: the finer character match tells them apart.
        name = max(name, _similarity(a, b))
    return 0.65 * quote + 0.35 * name


def match_measures(extracted: list[Measure], gold: list[Measure]) -> list[tuple[int, int, float]]:
    """One-to-one pairs (extracted index, gold index, score) maximising the total score."""
    if not extracted or not gold:
        return []
    scores = np.array([[pair_score(e, g) for g in gold] for e in extracted])
    rows, cols = linear_sum_assignment(-scores)
    return [
        (int(r), int(c), float(scores[r, c]))
        for r, c in zip(rows, cols, strict=True)
        if scores[r, c] >= MATCH_THRESHOLD
    ]


@dataclass
class DocumentScore:
    name: str
    gold: int
    extracted: int
    matched: int
    correct: dict[str, int] = field(default_factory=dict)
    mismatches: list[dict[str, Any]] = field(default_factory=list)
    missed: list[Measure] = field(default_factory=list)
    spurious: list[Measure] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        return self.correct.get(name, 0) / self.matched if self.matched else 0.0


@dataclass
class Report:
    documents: list[DocumentScore]

    @property
    def overall(self) -> DocumentScore:
        total = DocumentScore(
            "overall",
            sum(d.gold for d in self.documents),
            sum(d.extracted for d in self.documents),
            sum(d.matched for d in self.documents),
        )
        for name in FIELDS:
            total.correct[name] = sum(d.correct.get(name, 0) for d in self.documents)
        return total

    def table(self) -> str:
        head = ["document", "gold", "found", "match", "P", "R", "F1", *FIELDS]
        rows = [head]
        for d in [*self.documents, self.overall]:
            rows.append(
                [
                    d.name + (" (error)" if d.error else ""),
                    str(d.gold),
                    str(d.extracted),
                    str(d.matched),
                    f"{d.precision:.3f}",
                    f"{d.recall:.3f}",
                    f"{d.f1:.3f}",
                    *(f"{d.accuracy(n):.3f}" for n in FIELDS),
                ]
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.insert(len(lines) - 1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def details(self) -> str:
        out: list[str] = []
        for d in self.documents:
            if d.error:
                out.append(f"## {d.name}: {d.error}")
                continue
            out.append(f"## {d.name}")
            for g in d.missed:
                out.append(f"  MISSED    {g.get('quote')!r}")
            for e in d.spurious:
                out.append(f"  SPURIOUS  {e.get('quote')!r} -> {e.get('name')!r}")
            for m in d.mismatches:
                out.append(f"  WRONG {m['field']}: got {m['got']!r}, gold {m['gold']!r}")
                out.append(f"        {m['quote']!r}")
        return "\n".join(out)

    def as_dict(self) -> dict[str, Any]:
        def one(d: DocumentScore) -> dict[str, Any]:
            return {
                "document": d.name,
                "gold": d.gold,
                "extracted": d.extracted,
                "matched": d.matched,
                "precision": round(d.precision, 4),
                "recall": round(d.recall, 4),
                "f1": round(d.f1, 4),
                **{n: round(d.accuracy(n), 4) for n in FIELDS},
                "error": d.error,
            }

        return {"documents": [one(d) for d in self.documents], "overall": one(self.overall)}


def score_document(name: str, extracted: list[Measure], gold: list[Measure]) -> DocumentScore:
    pairs = match_measures(extracted, gold)
    score = DocumentScore(name, len(gold), len(extracted), len(pairs))
    for field_name, (read, same) in FIELDS.items():
        score.correct[field_name] = 0
        for e, g, _ in pairs:
            got, want = read(extracted[e]), read(gold[g])
            if same(got, want):
                score.correct[field_name] += 1
            else:
                score.mismatches.append(
                    {"field": field_name, "got": got, "gold": want, "quote": gold[g].get("quote")}
                )
    matched_e = {e for e, _, _ in pairs}
    matched_g = {g for _, g, _ in pairs}
    score.missed = [g for i, g in enumerate(gold) if i not in matched_g]
    score.spurious = [e for i, e in enumerate(extracted) if i not in matched_e]
    return score


def _document_for(docs_dir: Path, stem: str, suffix: str | None) -> Path | None:
    if suffix:
        candidate = docs_dir / f"{stem}{suffix if suffix.startswith('.') else '.' + suffix}"
        return candidate if candidate.exists() else None
    for ext in _TEXT_SUFFIXES:
        candidate = docs_dir / f"{stem}{ext}"
        if candidate.exists():
            return candidate
    return None


def evaluate(docs_dir: str | Path, gold_dir: str | Path, suffix: str | None = None) -> Report:
    """Import every document that has a gold file and score its measures."""
    import time

    docs_dir, gold_dir = Path(docs_dir), Path(gold_dir)
    scores: list[DocumentScore] = []
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        gold_measures = gold.get("measures", [])
        document = _document_for(docs_dir, gold_path.stem, suffix)
        if document is None:
            missing = DocumentScore(gold_path.stem, len(gold_measures), 0, 0)
            missing.error = f"no document {gold_path.stem}{suffix or '.txt'} in {docs_dir}"
            scores.append(missing)
            continue
        started = time.perf_counter()
        try:
            result = import_document(document)
        except DocumentError as error:
            failed = DocumentScore(gold_path.stem, len(gold_measures), 0, 0)
            failed.error = str(error)
            scores.append(failed)
            continue
        score = score_document(gold_path.stem, result.measures, gold_measures)
        score.seconds = time.perf_counter() - started
        scores.append(score)
    return Report(scores)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cypp.importer.evaluate",
        description="Score plan-document import against gold files.",
    )
    parser.add_argument("--docs", required=True, type=Path, help="folder of plan documents")
    parser.add_argument("--gold", required=True, type=Path, help="folder of gold JSON files")
    parser.add_argument("--suffix", help="document suffix to read, e.g. .pdf (default: text)")
    parser.add_argument("--details", action="store_true", help="list misses and wrong fields")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    for folder in (args.docs, args.gold):
        if not folder.is_dir():
            print(f"error: {folder} is not a folder", file=sys.stderr)
            return 2
    report = evaluate(args.docs, args.gold, args.suffix)
    if not report.documents:
        print(f"error: no gold files (*.json) in {args.gold}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(report.table())
        if args.details:
            print()
            print(report.details())
    return 0


if __name__ == "__main__":
    sys.exit(main())
