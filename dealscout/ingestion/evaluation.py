"""Evaluation of the signal classifier on labeled rows shaped like shared/eval/signals_dev."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dealscout.core.errors import BadInput
from dealscout.core.evaluation import Scoreboard, format_table, read_labeled_jsonl
from dealscout.ingestion.classify import SIGNAL_TYPES, classify

MIN_SUPPORT = 5


@dataclass
class ClassifierEval:
    board: Scoreboard
    total: int
    correct: int
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
            "errors": self.errors,
        }

    def as_text(self) -> str:
        table = format_table("signal type (primary)", self.board.rows())
        summary = (
            f"items {self.total}  accuracy {self.accuracy:.3f}  "
            f"macro-F1 (types with >= {MIN_SUPPORT} items) {self.macro_f1:.3f}"
        )
        return f"{table}\n{summary}"


def evaluate_classifier(rows: Iterable[Mapping[str, Any]]) -> ClassifierEval:
    """Classify each labeled row and score the primary type against its gold ``type``."""
    board = Scoreboard()
    total = correct = 0
    errors: list[dict[str, str]] = []
    for row in rows:
        gold = str(row.get("type", ""))
        if gold not in SIGNAL_TYPES:
            raise BadInput(f"row {row.get('id')!r}: unknown type {gold!r}")
        predicted = classify(str(row.get("title") or ""), str(row.get("text") or "")).type
        board.add([gold], [predicted])
        total += 1
        if predicted == gold:
            correct += 1
        else:
            errors.append({"id": str(row.get("id")), "gold": gold, "predicted": predicted})
    return ClassifierEval(board=board, total=total, correct=correct, errors=errors)


def load_labeled(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a labeled JSONL file; a malformed line is a ``BadInput`` naming the line."""
    file = Path(path)
    if not file.is_file():
        raise BadInput(f"{path}: not a readable file")
    return read_labeled_jsonl(file, ("type",), "expected an object with a 'type'")
