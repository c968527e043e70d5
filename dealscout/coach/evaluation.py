"""Evaluation on labeled notes: P/R/F1 of `met`, of `contradicted`, per objection category,
a check that every evidence quote is a verbatim substring of its note, which criteria are
confused with which, and the semantic layer's unit-level precision/recall."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dealscout.coach.schemas import CoachReport
from dealscout.core.evaluation import LabelScore, Scoreboard, format_table, read_labeled_jsonl

Row = dict[str, Any]


@dataclass
class CoachScore:
    met: Scoreboard = field(default_factory=Scoreboard)
    contradicted: Scoreboard = field(default_factory=Scoreboard)
    objections: Scoreboard = field(default_factory=Scoreboard)
    rows: int = 0
    bad_evidence: list[str] = field(default_factory=list)  # "<id>: <criterion or category>"
    # (criterion, gold status, predicted status) for every wrong criterion
    status_errors: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    # (criterion whose `met` was missed, criterion wrongly `met` in the same note)
    confused: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def evidence_ok(self) -> bool:
        return not self.bad_evidence

    def summary(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "met": _score_dict(self.met.micro()),
            "contradicted": _score_dict(self.contradicted.micro()),
            "objections": _score_dict(self.objections.micro()),
            "evidence_verbatim": self.evidence_ok,
            "bad_evidence": self.bad_evidence,
            "per_criterion_met": [_score_dict(s) for s in self.met.rows()],
            "per_criterion_contradicted": [_score_dict(s) for s in self.contradicted.rows()],
            "per_objection": [_score_dict(s) for s in self.objections.rows()],
            "status_errors": [
                {"criterion": c, "gold": g, "predicted": p, "count": n}
                for (c, g, p), n in self.status_errors.most_common()
            ],
            "confused": [
                {"missed": a, "reported_instead": b, "count": n}
                for (a, b), n in self.confused.most_common()
            ],
        }

    def text(self) -> str:
        parts = [
            format_table("criteria: met", self.met.rows() + [self.met.micro()]),
            format_table(
                "criteria: contradicted", self.contradicted.rows() + [self.contradicted.micro()]
            ),
            format_table("objections", self.objections.rows() + [self.objections.micro()]),
            self.confusion_text(),
            f"rows: {self.rows}; evidence verbatim: {'yes' if self.evidence_ok else 'NO'}",
        ]
        parts += [f"  not verbatim: {item}" for item in self.bad_evidence]
        return "\n\n".join(parts)

    def confusion_text(self) -> str:
        lines = ["criteria confusion (gold -> predicted)"]
        lines += [
            f"  {c:<22}{g:>13} -> {p:<13}{n:>4}"
            for (c, g, p), n in sorted(self.status_errors.items(), key=lambda kv: -kv[1])
        ]
        lines.append("missed `met` while another criterion was wrongly `met` in the same note")
        lines += [f"  {a:<22} -> {b:<22}{n:>4}" for (a, b), n in self.confused.most_common(15)]
        return "\n".join(lines)


def load_rows(path: str | Path) -> list[Row]:
    return read_labeled_jsonl(
        path, ("notes", "stage", "criteria"), "needs notes, stage and criteria"
    )


def score_rows(rows: Iterable[Row], predict: Callable[[Row], CoachReport]) -> CoachScore:
    score = CoachScore()
    for row in rows:
        report = predict(row)
        score_one(score, row, report)
    return score


def score_one(score: CoachScore, row: Row, report: CoachReport) -> None:
    gold: dict[str, str] = row["criteria"]
    predicted = {c.id: c.status for c in report.criteria if c.id in gold}
    score.rows += 1
    for status, board in (("met", score.met), ("contradicted", score.contradicted)):
        board.add(
            [cid for cid, s in gold.items() if s == status],
            [cid for cid, s in predicted.items() if s == status],
        )
    score.objections.add(row.get("objections", []), [o.category for o in report.objections])
    wrong = {cid: (g, predicted[cid]) for cid, g in gold.items() if predicted.get(cid, g) != g}
    score.status_errors.update((cid, g, p) for cid, (g, p) in wrong.items())
    missed = [cid for cid, (g, _) in wrong.items() if g == "met"]
    extra = [cid for cid, (g, p) in wrong.items() if p == "met" and g != "met"]
    score.confused.update((a, b) for a in missed for b in extra)
    score.bad_evidence += _unquoted(str(row.get("id", score.rows)), row["notes"], report)


def _unquoted(row_id: str, notes: str, report: CoachReport) -> list[str]:
    bad: list[str] = []
    for c in report.criteria:
        if c.status == "missing":
            continue
        quotes = c.evidence if isinstance(c.evidence, list) else [c.evidence]
        if not quotes or any(not q or q not in notes for q in quotes):
            bad.append(f"{row_id}: {c.id}")
    bad += [f"{row_id}: {o.category}" for o in report.objections if o.evidence not in notes]
    return bad


def _score_dict(s: LabelScore) -> dict[str, Any]:
    return {
        "label": s.label,
        "precision": round(s.precision, 4),
        "recall": round(s.recall, 4),
        "f1": round(s.f1, 4),
        "support": s.support,
    }


@dataclass
class UnitScore:
    """The semantic layer on labeled units: precision/recall per label."""

    board: Scoreboard = field(default_factory=Scoreboard)
    units: int = 0
    source: str = "this file"

    def text(self) -> str:
        title = f"semantic layer, unit level ({self.source})"
        return format_table(title, self.board.rows() + [self.board.micro()])

    def summary(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "source": self.source,
            "micro": _score_dict(self.board.micro()),
            "per_label": [_score_dict(s) for s in self.board.rows()],
        }


def cross_validated(labels: Sequence[str], counts: Sequence[tuple[int, int, int]]) -> UnitScore:
    """The unit-level scores the model measured on 4-fold cross-validation when trained."""
    score = UnitScore(source="4-fold cross-validation on data/coach when the model was trained")
    for label, (tp, fp, fn) in zip(labels, counts, strict=True):
        score.board.labels[label] = LabelScore(label, tp, fp, fn)
    return score


def score_units(
    texts: Sequence[str],
    gold: Sequence[Iterable[str]],
    predict: Callable[[Sequence[str]], list[set[str]]],
) -> UnitScore:
    score = UnitScore(units=len(texts), source=f"{len(texts)} labeled units")
    for labels, predicted in zip(gold, predict(texts), strict=True):
        score.board.add(labels, predicted)
    return score
