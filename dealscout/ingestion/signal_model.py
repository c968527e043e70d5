"""The learned signal-type model: a multinomial logistic regression over hashed words of the
title and lead, character n-grams of the title, and the cue rules' scores.

The cue rules (``classify.score_types``) are features here, so their high-precision phrases
still count, while the weights learned from ``data/signals/`` cover the phrasings no cue
names (wire-service results tables, filings, other languages). The model is one small
file in the package, written by ``training.train`` and read once per process.

File format (byte-identical for the same training data): a magic line, one JSON header line
(version, labels, dimensions, temperature, threshold) and the zlib-compressed float16
weight matrix of shape (features, labels).
"""

from __future__ import annotations

import json
import math
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

MODEL_PATH = Path(__file__).parent / "models" / "classify.bin"
MAGIC = b"DEALSCOUT-SIGNAL-MODEL 1\n"
HASH_BITS = 16
HASHED = 1 << HASH_BITS
LEAD_CHARS = 600
TITLE_CHARS = 300
CHAR_N = 4
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _words(text: str) -> list[str]:
    return _WORD.findall(_DIGITS.sub("0", text.lower()))


_INDEX_CACHE: dict[str, int] = {}  # feature → hashed index; words repeat across items
_INDEX_CACHE_LIMIT = 1 << 19


def _indices(features: set[str]) -> list[int]:
    cache = _INDEX_CACHE
    if len(cache) > _INDEX_CACHE_LIMIT:
        cache.clear()
    found = []
    for feature in features:
        index = cache.get(feature)
        if index is None:
            index = cache[feature] = zlib.crc32(feature.encode("utf-8")) & (HASHED - 1)
        found.append(index)
    return found


def _grams(prefix: str, words: list[str]) -> set[str]:
    grams = {prefix + w for w in words}
    grams.update(f"{prefix}{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return grams


def _chars(title: str) -> set[str]:
    padded = f" {' '.join(_words(title))} "
    return {"c|" + padded[i : i + CHAR_N] for i in range(len(padded) - CHAR_N + 1)}


def headline_and_body(title: str, text: str) -> tuple[str, str]:
    """Whitespace-normalised headline and body: untitled text lends its first sentence as
    the headline, and a text that repeats its headline (headline-only feeds) loses it."""
    title = " ".join((title or "").split())
    text = " ".join((text or "").split())
    if not title:
        head, _, rest = text.partition(". ")
        if len(head) <= 200:
            title, text = head, rest
    if title and text.startswith(title):
        text = text[len(title) :].lstrip(" .:-")
    return title, text


def split_zones(title: str, text: str) -> tuple[str, str]:
    """The headline and the lead the model reads."""
    head, body = headline_and_body(title, text)
    return head[:TITLE_CHARS], body[:LEAD_CHARS]


Features = tuple[list[int], list[float]]  # hashed indices (may repeat) and their values


def lexical_features(title: str, text: str) -> Features:
    """Hashed words (title and lead apart, with bigrams) and title character n-grams.

    Each namespace's distinct features weigh 1/sqrt(count), so a long lead does not drown
    the headline; colliding indices simply add up."""
    head, lead = split_zones(title, text)
    indices: list[int] = []
    values: list[float] = []
    for block in (_grams("t|", _words(head)), _grams("b|", _words(lead)), _chars(head)):
        if block:
            indices += _indices(block)
            values += [1.0 / math.sqrt(len(block))] * len(block)
    return indices, values


@dataclass(frozen=True)
class SignalModel:
    """Weights (hashed + dense features, labels), their calibration and the answer threshold."""

    version: str
    labels: tuple[str, ...]
    dense: tuple[str, ...]  # names of the dense features after the hashed block
    weights: FloatArray  # shape (HASHED + len(dense) + 1 bias, len(labels))
    temperature: float
    threshold: float

    def probabilities(self, hashed: Features, dense: list[float]) -> FloatArray:
        """Calibrated class probabilities of one item."""
        indices, values = hashed
        logits = self.weights[-1] + np.asarray(dense) @ self.weights[HASHED:-1]
        if indices:
            logits += np.asarray(values) @ self.weights[indices]
        logits /= self.temperature
        logits -= logits.max()
        exp = np.exp(logits)
        result: FloatArray = exp / exp.sum()
        return result

    def to_bytes(self) -> bytes:
        header = {
            "version": self.version,
            "labels": list(self.labels),
            "dense": list(self.dense),
            "hash_bits": HASH_BITS,
            "temperature": round(self.temperature, 6),
            "threshold": round(self.threshold, 6),
        }
        matrix = np.ascontiguousarray(self.weights, dtype="<f2").tobytes()
        return (
            MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + zlib.compress(matrix, 9)
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> SignalModel:
        if not data.startswith(MAGIC):
            raise ValueError("not a dealscout signal model file")
        header_line, _, body = data[len(MAGIC) :].partition(b"\n")
        header = json.loads(header_line)
        if header["hash_bits"] != HASH_BITS:
            raise ValueError("signal model built for another feature hashing")
        labels, dense = tuple(header["labels"]), tuple(header["dense"])
        matrix = np.frombuffer(zlib.decompress(body), dtype="<f2").astype(np.float64)
        weights = matrix.reshape(HASHED + len(dense) + 1, len(labels))
        return cls(
            version=header["version"],
            labels=labels,
            dense=dense,
            weights=weights,
            temperature=float(header["temperature"]),
            threshold=float(header["threshold"]),
        )


@lru_cache(maxsize=1)
def shipped_model() -> SignalModel:
    """The model file in the package, loaded once per process."""
    return SignalModel.from_bytes(MODEL_PATH.read_bytes())
