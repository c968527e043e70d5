"""Evaluation on labeled notes: P/R/F1 of `met`, of `contradicted`, per objection category,
and a check that every evidence quote is a verbatim substring of its note."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
        }

    def text(self) -> str:
        parts = [
            format_table("criteria: met", self.met.rows() + [self.met.micro()]),
            format_table(
                "criteria: contradicted", self.contradicted.rows() + [self.contradicted.micro()]
            ),
            format_table("objections", self.objections.rows() + [self.objections.micro()]),
            f"rows: {self.rows}; evidence verbatim: {'yes' if self.evidence_ok else 'NO'}",
        ]
        parts += [f"  not verbatim: {item}" for item in self.bad_evidence]
        return "\n\n".join(parts)


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
