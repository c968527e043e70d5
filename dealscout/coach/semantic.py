"""The semantic layer: a note's units scored against every criterion and objection category.

A note is split into units (sentences, transcript turns, bullets, email lines); each unit is
embedded with the shipped MiniLM and scored by a small one-vs-rest logistic model trained
from ``data/coach/`` (``dealscout train coach``). The layer only *proposes*: the rules
(``coach/blend.py``) keep polarity, dates and people and may veto or flip a proposal.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from dealscout.coach.vocab import CRITERIA, OBJECTIONS
from dealscout.core.embeddings import MODEL_ID, get_embedder

MODEL_PATH = Path(__file__).parent / "semantic_model.json"
MODEL_NAME = "coach-semantic"

# Criteria the layer proposes `met` for; `stakeholders` is counted by the rules alone.
MET_CRITERIA: tuple[str, ...] = tuple(c for c in CRITERIA if c != "stakeholders")
CONTRADICTED_CRITERIA: tuple[str, ...] = (
    "budget",
    "economic_buyer",
    "pain",
    "champion",
    "stakeholders",
)
LABELS: tuple[str, ...] = (
    tuple(f"{c}:met" for c in MET_CRITERIA)
    + tuple(f"{c}:contradicted" for c in CONTRADICTED_CRITERIA)
    + tuple(f"obj:{c}" for c in OBJECTIONS)
)

Vector = npt.NDArray[np.float32]

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“'(\[]?[A-Z0-9])|;\s+")
_WORD = re.compile(r"[A-Za-z]{2,}")
# Cheap surface features appended to the embedding: the model cannot read digits, dates or
# question marks reliably from a 384-d sentence vector.
_FEATURES = (
    re.compile(r"\d"),
    re.compile(r"[$€£¥]|\b\d+(?:[.,]\d+)?\s?(?:k|m|bn|lakhs?|eur|usd|gbp)\b", re.I),
    re.compile(r"\?"),
    re.compile(r"\b(?:i|i'm|i'd|i'll|we|we're|we'd|our|my|us)\b", re.I),
    re.compile(r"\b(?:not|no|never|don'?t|doesn'?t|won'?t|can'?t|isn'?t|nothing)\b|n't\b", re.I),
    re.compile(
        r"\b(?:q[1-4]|quarter|jan\w*|feb\w*|mar(?:ch)?|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*"
        r"|oct\w*|nov\w*|dec\w*|mon\w*|tue\w*|wed\w*|thu\w*|fri\w*|week|month|year|fy\d*"
        r"|\d{1,2}/\d{1,2})\b",
        re.I,
    ),
)
FEATURE_SCALE = 0.25


@dataclass(frozen=True)
class TextUnit:
    """A unit of the note: ``text`` is exactly ``notes[start:end]``."""

    start: int
    end: int
    text: str


def split_units(notes: str) -> list[TextUnit]:
    """Lines, then sentences (and ``;`` clauses) inside a line; every unit is verbatim."""
    units: list[TextUnit] = []
    offset = 0
    for raw in notes.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        start = 0
        for m in list(_SENTENCE_END.finditer(line)) + [None]:
            end = m.start() if m else len(line)
            _add_unit(units, notes, offset + start, offset + end)
            start = m.end() if m else len(line)
        offset += len(raw)
    return units


def _add_unit(units: list[TextUnit], notes: str, start: int, end: int) -> None:
    chunk = notes[start:end]
    stripped = chunk.strip()
    if len(_WORD.findall(stripped)) < 2:
        return
    s = start + chunk.index(stripped)
    units.append(TextUnit(s, s + len(stripped), stripped))


def surface_features(texts: list[str]) -> Vector:
    out = np.zeros((len(texts), len(_FEATURES)), dtype=np.float32)
    for row, text in enumerate(texts):
        for col, pattern in enumerate(_FEATURES):
            if pattern.search(text):
                out[row, col] = FEATURE_SCALE
    return out


def featurize(texts: list[str]) -> Vector:
    """MiniLM vectors with the surface features appended: the model's input rows."""
    vectors = get_embedder().embed_array(texts)
    return np.hstack([vectors, surface_features(texts)]).astype(np.float32)


NEIGHBOURS = 10


def knn_scores(rows: Vector, exemplars: Vector, exemplar_targets: Vector) -> Vector:
    """Each label's share among the ``NEIGHBOURS`` most similar training units (cosine on
    the MiniLM part), weighted by similarity: paraphrase close to a few labeled examples."""
    sims = rows[:, : exemplars.shape[1]] @ exemplars.T.astype(np.float32)
    k = min(NEIGHBOURS, sims.shape[1])
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    weights = np.clip(np.take_along_axis(sims, top, axis=1), 0.0, None) ** 3
    votes = np.einsum("uk,ukl->ul", weights, exemplar_targets[top])
    return (votes / np.maximum(weights.sum(axis=1, keepdims=True), 1e-6)).astype(np.float32)


@dataclass(frozen=True)
class SemanticModel:
    """Logistic regression and nearest exemplars; a label's score is the higher of the two."""

    name: str
    version: str
    labels: tuple[str, ...]
    weights: Vector  # (features, labels)
    bias: Vector  # (labels,)
    thresholds: Vector  # (labels,)
    exemplars: Vector  # (units, 384) float16 MiniLM vectors of the training units
    exemplar_targets: Vector  # (units, labels) 0/1
    # per label: [true positives, false positives, false negatives] on 4-fold CV
    cv_counts: tuple[tuple[int, int, int], ...] = ()

    def probabilities(self, rows: Vector) -> Vector:
        logits = rows @ self.weights + self.bias
        linear = (1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))).astype(np.float32)
        return np.maximum(linear, knn_scores(rows, self.exemplars, self.exemplar_targets))

    def column(self, label: str) -> int:
        return self.labels.index(label)

    def to_json(self) -> str:
        """Stable text: the same model always serialises to the same bytes."""
        doc = {
            "name": self.name,
            "version": self.version,
            "embedding_model": MODEL_ID,
            "labels": list(self.labels),
            "shape": list(self.weights.shape),
            "weights": _b64(self.weights),
            "bias": _b64(self.bias),
            "thresholds": [round(float(t), 4) for t in self.thresholds],
            "exemplars": base64.b64encode(
                np.ascontiguousarray(self.exemplars, dtype="<f2").tobytes()
            ).decode("ascii"),
            "cv_counts": [list(c) for c in self.cv_counts],
            "exemplar_labels": [
                [int(j) for j in np.flatnonzero(row)] for row in self.exemplar_targets
            ],
        }
        return json.dumps(doc, indent=1, sort_keys=True) + "\n"


def model_from_json(text: str) -> SemanticModel:
    doc: dict[str, Any] = json.loads(text)
    shape = tuple(doc["shape"])
    return SemanticModel(
        name=doc["name"],
        version=doc["version"],
        labels=tuple(doc["labels"]),
        weights=_unb64(doc["weights"]).reshape(shape),
        bias=_unb64(doc["bias"]),
        thresholds=np.array(doc["thresholds"], dtype=np.float32),
        exemplars=np.frombuffer(base64.b64decode(doc["exemplars"]), dtype="<f2")
        .astype(np.float32)
        .reshape(len(doc["exemplar_labels"]), -1),
        exemplar_targets=_targets(doc["exemplar_labels"], len(doc["labels"])),
        cv_counts=tuple((int(a), int(b), int(c)) for a, b, c in doc.get("cv_counts", [])),
    )


def _targets(indices: list[list[int]], width: int) -> Vector:
    out = np.zeros((len(indices), width), dtype=np.float32)
    for row, cols in enumerate(indices):
        out[row, cols] = 1.0
    return out


def _b64(array: Vector) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def _unb64(text: str) -> Vector:
    return np.frombuffer(base64.b64decode(text), dtype="<f4").astype(np.float32)


@lru_cache(maxsize=1)
def load_model() -> SemanticModel:
    return model_from_json(MODEL_PATH.read_text("utf-8"))


@dataclass(frozen=True)
class UnitScores:
    """Units of one note and each unit's probability per label (rows follow ``units``)."""

    units: list[TextUnit]
    probs: Vector
    model: SemanticModel

    def prob(self, row: int, label: str) -> float:
        return float(self.probs[row, self.model.column(label)])

    def proposals(self, label: str) -> list[tuple[int, float]]:
        """(unit row, probability) above the label's threshold, in note order."""
        col = self.model.column(label)
        threshold = float(self.model.thresholds[col])
        return [(i, float(p)) for i, p in enumerate(self.probs[:, col]) if p >= threshold]

    def ranked(self, label: str, limit: int) -> list[int]:
        """The ``limit`` unit rows most likely to carry ``label``, best first."""
        col = self.model.column(label)
        order = np.argsort(-self.probs[:, col], kind="stable")
        return [int(i) for i in order[:limit]]


def score_note(notes: str, model: SemanticModel | None = None) -> UnitScores:
    model = model or load_model()
    units = split_units(notes)
    if not units:
        return UnitScores([], np.zeros((0, len(model.labels)), dtype=np.float32), model)
    rows = featurize([u.text for u in units])
    return UnitScores(units, model.probabilities(rows), model)


def predict_labels(texts: Sequence[str], model: SemanticModel | None = None) -> list[set[str]]:
    """Each text's labels above their thresholds (unit-level evaluation)."""
    model = model or load_model()
    if not texts:
        return []
    probs = model.probabilities(featurize(list(texts)))
    return [
        {lab for lab, p, t in zip(model.labels, row, model.thresholds, strict=True) if p >= t}
        for row in probs
    ]
