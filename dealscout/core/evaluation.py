"""Precision / recall / F1 tables shared by the evaluation commands."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dealscout.core.errors import BadInput


@dataclass
class LabelScore:
    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class Scoreboard:
    """Counts true/false positives per label; ``add`` takes gold and predicted label sets."""

    def __init__(self) -> None:
        self.labels: dict[str, LabelScore] = {}

    def _get(self, label: str) -> LabelScore:
        return self.labels.setdefault(label, LabelScore(label))

    def add(self, gold: Iterable[str], predicted: Iterable[str]) -> None:
        gold_set, pred_set = set(gold), set(predicted)
        for label in gold_set & pred_set:
            self._get(label).tp += 1
        for label in pred_set - gold_set:
            self._get(label).fp += 1
        for label in gold_set - pred_set:
            self._get(label).fn += 1

    def micro(self) -> LabelScore:
        total = LabelScore("micro")
        for score in self.labels.values():
            total.tp += score.tp
            total.fp += score.fp
            total.fn += score.fn
        return total

    def macro_f1(self, min_support: int = 1) -> float:
        scores = [s.f1 for s in self.labels.values() if s.support >= min_support]
        return sum(scores) / len(scores) if scores else 0.0

    def rows(self) -> list[LabelScore]:
        return [self.labels[k] for k in sorted(self.labels)]


def format_table(title: str, scores: list[LabelScore]) -> str:
    lines = [title, f"{'label':<28}{'prec':>7}{'recall':>8}{'f1':>7}{'support':>9}"]
    for s in scores:
        lines.append(f"{s.label:<28}{s.precision:>7.3f}{s.recall:>8.3f}{s.f1:>7.3f}{s.support:>9d}")
    return "\n".join(lines)


def read_labeled_jsonl(
    path: str | Path, required: Iterable[str], problem: str
) -> list[dict[str, Any]]:
    """Rows of a labeled JSONL file; blank lines are skipped, and a line that is not JSON or
    lacks a ``required`` key is a ``BadInput`` naming the file, the line and ``problem``."""
    needed = set(required)
    rows: list[dict[str, Any]] = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BadInput(f"{path}:{number}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict) or not needed <= row.keys():
                raise BadInput(f"{path}:{number}: {problem}")
            rows.append(row)
    return rows
