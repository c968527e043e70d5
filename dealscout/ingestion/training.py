"""``dealscout train classify``: fit the signal model on the labeled corpus in the repository.

Deterministic end to end — rows sorted by id, fixed folds, full-batch Adam from zero
weights with a fixed number of steps, float sums in a fixed order — so the same corpus
gives a byte-identical model file. The temperature (calibration) and the threshold below
which the answer is ``other`` are chosen on out-of-fold predictions of the training rows;
the dev set and the never-tuned test set are never read here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dealscout.core.errors import BadInput
from dealscout.ingestion.classify import DENSE_FEATURES, SIGNAL_TYPES, dense_features
from dealscout.ingestion.signal_model import (
    HASHED,
    MODEL_PATH,
    FloatArray,
    IntArray,
    SignalModel,
    lexical_features,
)

CORPUS_DIR = Path(__file__).resolve().parents[2] / "data" / "signals"
TRAIN_GLOB = "train*.jsonl"
CONFIG = {"l2": 3e-5, "steps": 250, "learning_rate": 0.08, "folds": 4, "class_power": 0.5}
TEMPERATURES = tuple(round(0.5 + 0.1 * i, 2) for i in range(26))
THRESHOLDS = tuple(round(0.15 + 0.05 * i, 2) for i in range(10))


@dataclass(frozen=True)
class Matrix:
    """Rows of hashed features (CSR-like) plus their dense cue features."""

    indices: IntArray
    values: FloatArray
    rows: IntArray  # row number of each stored value
    dense: FloatArray  # shape (rows, dense + 1): the last column is the bias

    @property
    def count(self) -> int:
        return int(self.dense.shape[0])

    def take(self, keep: IntArray) -> Matrix:
        mask = np.isin(self.rows, keep)
        renumber = np.full(self.count, -1, dtype=np.int64)
        renumber[keep] = np.arange(len(keep))
        return Matrix(
            indices=self.indices[mask],
            values=self.values[mask],
            rows=renumber[self.rows[mask]],
            dense=self.dense[keep],
        )


@dataclass(frozen=True)
class TrainReport:
    version: str
    path: Path
    items: int
    per_label: dict[str, int]
    cv_accuracy: float
    temperature: float
    threshold: float
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "model": self.version,
            "path": str(self.path),
            "items": self.items,
            "per_label": self.per_label,
            "cv_accuracy": round(self.cv_accuracy, 4),
            "temperature": self.temperature,
            "threshold": self.threshold,
            "sha256": self.sha256,
        }


def load_corpus(folder: Path) -> list[dict[str, Any]]:
    """Labeled rows of every ``train*.jsonl`` in ``folder``, sorted by id."""
    files = sorted(folder.glob(TRAIN_GLOB))
    if not files:
        raise BadInput(f"{folder}: no {TRAIN_GLOB} files")
    rows: list[dict[str, Any]] = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            label = row.get("label", row.get("type"))
            if label not in SIGNAL_TYPES or not isinstance(row.get("text"), str):
                raise BadInput(f"{path}:{number}: needs 'text' and a CONTRACT §1 'label'")
            rows.append(
                {
                    "id": str(row["id"]),
                    "title": row.get("title") or "",
                    "text": row["text"],
                    "label": label,
                }
            )
    rows.sort(key=lambda r: r["id"])
    return rows


def featurize(rows: Sequence[dict[str, Any]]) -> Matrix:
    indices: list[int] = []
    values: list[float] = []
    owners: list[int] = []
    dense = np.zeros((len(rows), len(DENSE_FEATURES) + 1))
    for number, row in enumerate(rows):
        found, weights = lexical_features(row["title"], row["text"])
        for index, value in sorted(zip(found, weights, strict=True)):
            indices.append(index)
            values.append(value)
            owners.append(number)
        dense[number, :-1] = dense_features(row["title"], row["text"])
        dense[number, -1] = 1.0
    return Matrix(
        indices=np.asarray(indices, dtype=np.int64),
        values=np.asarray(values, dtype=np.float64),
        rows=np.asarray(owners, dtype=np.int64),
        dense=dense,
    )


def _scatter(keys: IntArray, values: FloatArray, size: int) -> FloatArray:
    """Sums of the (n, labels) ``values`` per key: one ``bincount`` over all labels, adding
    in input order (deterministic)."""
    labels = values.shape[1]
    flat = (keys[:, None] * labels + np.arange(labels)).ravel()
    sums = np.bincount(flat, weights=values.ravel(), minlength=size * labels)
    result: FloatArray = sums.astype(np.float64).reshape(size, labels)
    return result


def _logits(x: Matrix, hashed: FloatArray, dense: FloatArray) -> FloatArray:
    result: FloatArray = x.dense @ dense + _scatter(
        x.rows, hashed[x.indices] * x.values[:, None], x.count
    )
    return result


def _softmax(logits: FloatArray) -> FloatArray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    result: FloatArray = exp / exp.sum(axis=1, keepdims=True)
    return result


def fit(x: Matrix, labels: IntArray, classes: int) -> tuple[FloatArray, FloatArray]:
    """Weighted softmax regression with L2, full-batch Adam from zeros (deterministic).

    Only the hashed features the rows use are fitted (the others would stay zero), which
    keeps each step small; the result is spread back over the whole hashed range."""
    used, local = np.unique(x.indices, return_inverse=True)
    compact = Matrix(indices=local.astype(np.int64), values=x.values, rows=x.rows, dense=x.dense)
    fitted, dense = _fit_compact(compact, len(used), labels, classes)
    hashed = np.zeros((HASHED, classes))
    hashed[used] = fitted
    return hashed, dense


def _fit_compact(
    x: Matrix, width: int, labels: IntArray, classes: int
) -> tuple[FloatArray, FloatArray]:
    counts = np.bincount(labels, minlength=classes).astype(np.float64)
    class_weight = (counts.sum() / (classes * np.maximum(counts, 1.0))) ** CONFIG["class_power"]
    sample = class_weight[labels] / class_weight[labels].sum()
    target = np.eye(classes)[labels]
    params = [np.zeros((width, classes)), np.zeros((x.dense.shape[1], classes))]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    beta1, beta2, rate, l2 = 0.9, 0.999, CONFIG["learning_rate"], CONFIG["l2"]
    for step in range(1, int(CONFIG["steps"]) + 1):
        delta = (_softmax(_logits(x, params[0], params[1])) - target) * sample[:, None]
        grad_hashed = _scatter(x.indices, delta[x.rows] * x.values[:, None], width)
        grads = [grad_hashed + l2 * params[0], x.dense.T @ delta + l2 * params[1]]
        grads[1][-1] -= l2 * params[1][-1]  # the bias is not shrunk
        for param, grad, (m, v) in zip(params, grads, moments, strict=True):
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            param -= rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + 1e-8)
    return params[0], params[1]


def _folds(rows: Sequence[dict[str, Any]], folds: int) -> IntArray:
    """A fixed fold per row from a hash of its id (stable when rows are added)."""
    return np.asarray(
        [int(hashlib.sha256(r["id"].encode()).hexdigest()[:8], 16) % folds for r in rows],
        dtype=np.int64,
    )


def _decide(probabilities: FloatArray, other: int, threshold: float) -> IntArray:
    best = probabilities.argmax(axis=1)
    low = probabilities.max(axis=1) < threshold
    result: IntArray = np.where(low, other, best)
    return result


def _macro_f1(gold: IntArray, predicted: IntArray, classes: int) -> float:
    scores = []
    for label in range(classes):
        tp = np.sum((gold == label) & (predicted == label))
        fp = np.sum((gold != label) & (predicted == label))
        fn = np.sum((gold == label) & (predicted != label))
        if tp + fn:
            scores.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores))


def _calibrate(
    logits: FloatArray, labels: IntArray, other: int, classes: int
) -> tuple[float, float]:
    """Temperature with the least out-of-fold log loss, then the threshold with the best
    out-of-fold macro-F1 (ties: the lower threshold)."""

    def loss(t: float) -> float:
        p = _softmax(logits / t)
        return float(-np.mean(np.log(p[np.arange(len(labels)), labels] + 1e-12)))

    temperature = min(TEMPERATURES, key=loss)
    probabilities = _softmax(logits / temperature)
    threshold = max(
        THRESHOLDS,
        key=lambda t: (_macro_f1(labels, _decide(probabilities, other, t), classes), -t),
    )
    return temperature, threshold


def corpus_version(rows: Sequence[dict[str, Any]]) -> str:
    digest = hashlib.sha256(json.dumps([rows, CONFIG], sort_keys=True).encode()).hexdigest()
    return f"lr-{digest[:10]}"


def train(folder: Path = CORPUS_DIR, out: Path = MODEL_PATH) -> TrainReport:
    rows = load_corpus(folder)
    labels = np.asarray([SIGNAL_TYPES.index(r["label"]) for r in rows], dtype=np.int64)
    classes, other = len(SIGNAL_TYPES), SIGNAL_TYPES.index("other")
    x = featurize(rows)
    folds = _folds(rows, int(CONFIG["folds"]))
    out_of_fold = np.zeros((len(rows), classes))
    for fold in range(int(CONFIG["folds"])):
        trained = np.flatnonzero(folds != fold)
        held = np.flatnonzero(folds == fold)
        hashed, dense = fit(x.take(trained), labels[trained], classes)
        out_of_fold[held] = _logits(x.take(held), hashed, dense)
    temperature, threshold = _calibrate(out_of_fold, labels, other, classes)
    cv = _decide(_softmax(out_of_fold / temperature), other, threshold)
    hashed, dense = fit(x, labels, classes)
    model = SignalModel(
        version=corpus_version(rows),
        labels=SIGNAL_TYPES,
        dense=DENSE_FEATURES,
        weights=np.vstack([hashed, dense]),
        temperature=temperature,
        threshold=threshold,
    )
    data = model.to_bytes()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return TrainReport(
        version=model.version,
        path=out,
        items=len(rows),
        per_label={label: int(np.sum(labels == i)) for i, label in enumerate(SIGNAL_TYPES)},
        cv_accuracy=float(np.mean(cv == labels)),
        temperature=temperature,
        threshold=threshold,
        sha256=hashlib.sha256(data).hexdigest(),
    )
