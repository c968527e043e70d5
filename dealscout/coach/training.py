"""Train the semantic layer's model from the labeled units in ``data/coach/``.

One-vs-rest logistic regression on MiniLM vectors (plus a few surface features), fitted by
full-batch gradient descent from zeros: no randomness, so the same units give the same
weights and the same file bytes. Each label's threshold is the one that maximised F1 on
4-fold cross-validation (folds fixed by unit id).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dealscout.coach.semantic import (
    LABELS,
    MODEL_NAME,
    SemanticModel,
    Vector,
    featurize,
    knn_scores,
)
from dealscout.core.embeddings import DIM
from dealscout.core.errors import BadInput

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "data" / "coach"
STEPS = 400
LEARNING_RATE = 4.0
MOMENTUM = 0.9
L2 = 1e-4
BETA = 0.5  # thresholds favour precision: a note has many units, each a chance to be wrong
MAX_POSITIVE_WEIGHT = 8.0
FOLDS = 4
GRID = np.round(np.arange(0.30, 0.91, 0.05), 2)
HYPERPARAMETERS = (
    f"knn=10 steps={STEPS} lr={LEARNING_RATE} m={MOMENTUM} l2={L2} "
    f"maxw={MAX_POSITIVE_WEIGHT} b={BETA}"
)


@dataclass(frozen=True)
class Unit:
    id: str
    text: str
    labels: frozenset[str]


def load_units(data_dir: Path = DEFAULT_DATA) -> list[Unit]:
    path = data_dir / "units.jsonl"
    if not path.is_file():
        raise BadInput(f"no units.jsonl in {data_dir}")
    return load_units_file(path)


def load_units_file(path: Path) -> list[Unit]:
    """Labeled units, one JSON object per line: ``{id, text, labels, ...}``."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror}") from None
    units = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            units.append(Unit(str(row["id"]), str(row["text"]), frozenset(row["labels"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise BadInput(f"{path.name} line {number}: {exc}") from exc
    if not units:
        raise BadInput(f"{path} has no units")
    return units


def train(units: Sequence[Unit], labels: Sequence[str] = LABELS) -> SemanticModel:
    rows = featurize([u.text for u in units])
    targets = np.array([[lab in u.labels for lab in labels] for u in units], dtype=np.float32)
    folds = np.array([int(u.id[:8], 16) % FOLDS if _hex(u.id) else 0 for u in units])
    held_out = np.zeros_like(targets)
    for fold in range(FOLDS):
        mask = folds == fold
        if mask.all() or not mask.any():
            continue
        w, b = fit(rows[~mask], targets[~mask])
        linear = _sigmoid(rows[mask] @ w + b)
        near = knn_scores(rows[mask], _exemplars(rows[~mask]), targets[~mask])
        held_out[mask] = np.maximum(linear, near)
    weights, bias = fit(rows, targets)
    thresholds = np.array(
        [best_threshold(held_out[:, j], targets[:, j]) for j in range(len(labels))],
        dtype=np.float32,
    )
    return SemanticModel(
        name=MODEL_NAME,
        version=model_version(units),
        labels=tuple(labels),
        weights=weights.astype(np.float32),
        bias=bias.astype(np.float32),
        thresholds=thresholds,
        exemplars=_exemplars(rows),
        exemplar_targets=targets,
        cv_counts=tuple(
            _counts(held_out[:, j] >= thresholds[j], targets[:, j] > 0) for j in range(len(labels))
        ),
    )


def _counts(predicted: np.ndarray, truth: np.ndarray) -> tuple[int, int, int]:
    return (
        int((predicted & truth).sum()),
        int((predicted & ~truth).sum()),
        int((~predicted & truth).sum()),
    )


def _exemplars(rows: Vector) -> Vector:
    """The MiniLM part of the rows at float16 precision (as the model file stores them)."""
    return rows[:, :DIM].astype(np.float16).astype(np.float32)


def _hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text[:8]) and len(text) >= 8


def fit(rows: Vector, targets: Vector) -> tuple[Vector, Vector]:
    """Weighted logistic regression for every label at once (columns of ``targets``).

    Gradient descent with heavy-ball momentum from zeros, in float32: deterministic.
    """
    n, d = rows.shape
    positives = targets.sum(axis=0)
    pos_weight = np.clip((n - positives) / np.maximum(positives, 1.0), 1.0, MAX_POSITIVE_WEIGHT)
    sample_w = np.where(targets > 0, pos_weight, 1.0).astype(np.float32)
    sample_w /= sample_w.sum(axis=0)
    x = rows.astype(np.float32)
    xt = np.ascontiguousarray(x.T)
    w = np.zeros((d, targets.shape[1]), dtype=np.float32)
    b = np.zeros(targets.shape[1], dtype=np.float32)
    vw, vb = np.zeros_like(w), np.zeros_like(b)
    lr, l2 = np.float32(LEARNING_RATE), np.float32(L2)
    for _ in range(STEPS):
        error = (_sigmoid(x @ w + b) - targets) * sample_w
        vw = np.float32(MOMENTUM) * vw + xt @ error + l2 * w
        vb = np.float32(MOMENTUM) * vb + error.sum(axis=0)
        w -= lr * vw
        b -= lr * vb
    return w, b


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)


def best_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    """The grid threshold with the best F-beta on held-out scores (ties: the higher one)."""
    best, best_f = 0.5, -1.0
    b2 = BETA * BETA
    for t in GRID:
        predicted = scores >= t
        tp = float((predicted & (truth > 0)).sum())
        f = (1 + b2) * tp / max(float(predicted.sum() + b2 * (truth > 0).sum()), 1.0)
        if f >= best_f:
            best, best_f = float(t), f
    return best


def model_version(units: Sequence[Unit]) -> str:
    """``1.<hash>``: the hash of the training units and settings, so data changes show."""
    digest = hashlib.sha256(HYPERPARAMETERS.encode())
    for u in units:
        digest.update(f"{u.id}\t{u.text}\t{','.join(sorted(u.labels))}\n".encode())
    return f"1.{digest.hexdigest()[:10]}"


def write_model(model: SemanticModel, path: Path) -> bytes:
    data = model.to_json().encode("utf-8")
    path.write_bytes(data)
    return data
