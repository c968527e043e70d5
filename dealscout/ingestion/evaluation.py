"""Evaluation of the signal classifier on labeled rows shaped like shared/eval/signals_dev."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dealscout.core.errors import BadInput
from dealscout.core.evaluation import Scoreboard, format_table, read_labeled_jsonl
from dealscout.ingestion.classify import SIGNAL_TYPES, classify
from dealscout.ingestion.signal_model import shipped_model

MIN_SUPPORT = 5
SHORT = {
    "funding": "fund", "executive_hire": "hire", "executive_departure": "depart",
    "layoffs": "layoff", "acquisition": "acq", "partnership": "partn",
    "product_launch": "launch", "expansion": "expand", "hiring": "hiring",
    "earnings": "earn", "strategic_initiative": "strat", "risk_event": "risk", "other": "other",
}  # fmt: skip


@dataclass
class ClassifierEval:
    board: Scoreboard
    total: int
    correct: int
    model: str
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)  # (gold, predicted)
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def macro_f1(self) -> float:
        """Macro-F1 over types with at least ``MIN_SUPPORT`` gold items."""
        return self.board.macro_f1(MIN_SUPPORT)

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "items": self.total,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "min_support": MIN_SUPPORT,
            "labels": [
                {
                    "label": s.label,
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                }
                for s in self.board.rows()
            ],
            "confusion": [
                {"gold": gold, "predicted": predicted, "count": count}
                for (gold, predicted), count in sorted(self.confusion.items())
            ],
            "errors": self.errors,
        }

    def confusion_text(self) -> str:
        """Rows: gold type; columns: predicted type (abbreviated); types seen in either."""
        seen = [t for t in SIGNAL_TYPES if any(t in pair for pair in self.confusion)]
        lines = ["gold \\ predicted".ljust(22) + " ".join(SHORT[t].rjust(6) for t in seen)]
        for gold in seen:
            counts = [self.confusion.get((gold, p), 0) for p in seen]
            lines.append(gold.ljust(22) + " ".join(str(c or ".").rjust(6) for c in counts))
        return "\n".join(lines)

    def as_text(self) -> str:
        table = format_table("signal type (primary)", self.board.rows())
        summary = (
            f"items {self.total}  accuracy {self.accuracy:.3f}  "
            f"macro-F1 (types with >= {MIN_SUPPORT} items) {self.macro_f1:.3f}"
        )
        return (
            f"model {self.model}\n{table}\n{summary}\n\nconfusion matrix\n{self.confusion_text()}"
        )


def evaluate_classifier(rows: Iterable[Mapping[str, Any]]) -> ClassifierEval:
    """Classify each labeled row and score the primary type against its gold ``type``."""
    board = Scoreboard()
    total = correct = 0
    errors: list[dict[str, str]] = []
    confusion: dict[tuple[str, str], int] = {}
    for row in rows:
        gold = str(row.get("type", row.get("label", "")))
        if gold not in SIGNAL_TYPES:
            raise BadInput(f"row {row.get('id')!r}: unknown type {gold!r}")
        predicted = classify(str(row.get("title") or ""), str(row.get("text") or "")).type
        board.add([gold], [predicted])
        confusion[(gold, predicted)] = confusion.get((gold, predicted), 0) + 1
        total += 1
        if predicted == gold:
            correct += 1
        else:
            errors.append({"id": str(row.get("id")), "gold": gold, "predicted": predicted})
    return ClassifierEval(
        board=board,
        total=total,
        correct=correct,
        model=shipped_model().version,
        confusion=confusion,
        errors=errors,
    )


def load_labeled(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a labeled JSONL file (gold in ``type``, or ``label`` as in data/signals/); a
    malformed line is a ``BadInput`` naming the line."""
    file = Path(path)
    if not file.is_file():
        raise BadInput(f"{path}: not a readable file")
    rows = read_labeled_jsonl(file, (), "expected a JSON object")
    for number, row in enumerate(rows, 1):
        if "type" not in row and "label" not in row:
            raise BadInput(f"{path}: row {number}: expected an object with a 'type' or 'label'")
    return rows
