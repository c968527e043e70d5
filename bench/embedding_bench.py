"""Embedding throughput and vector-store speed (embedded Chroma folder in a temp dir)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from dealscout.core.config import Settings
from dealscout.core.embeddings import Embedder, get_embedder
from dealscout.core.vectorstore import VectorItem, VectorStore

SHORT = "Acme {i} raises a Series B round to hire more sales engineers"
PASSAGE = "The company announced a broad restructuring of its go-to-market team {i}. " * 12


class _RandomEmbedder(Embedder):
    """Random unit vectors: times Chroma alone, and builds large indexes quickly."""

    def __init__(self) -> None:
        super().__init__()
        self._rng = np.random.default_rng(0)

    def embed_array(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        vectors = self._rng.standard_normal((len(texts), self.dim))
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def _row(metric: str, value: float, unit: str, target: str) -> dict[str, object]:
    return {
        "benchmark": "embedding",
        "metric": metric,
        "value": round(value, 1),
        "unit": unit,
        "target": target,
    }


def _texts_per_second(embedder: Embedder, texts: list[str]) -> float:
    embedder.embed(texts[:4])  # load the model outside the timing
    started = time.perf_counter()
    embedder.embed_array(texts)
    return len(texts) / (time.perf_counter() - started)


def _store_rows(n: int, queries: int) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(DEALSCOUT_HOME=home, CHROMA_HOST=None)
        loader = VectorStore(settings, _RandomEmbedder())
        items = [
            VectorItem(f"s{i}", "", {"account_id": i % 100, "published_at": 1_700_000_000 + i})
            for i in range(n)
        ]
        started = time.perf_counter()
        loader.upsert("bench", items)
        rate = n / (time.perf_counter() - started)
        store = VectorStore(settings)  # queries pay for real query embedding
        plain = _latencies(lambda i: store.query("bench", SHORT.format(i=i), k=10), queries)
        scoped = _latencies(
            lambda i: store.query("bench", SHORT.format(i=i), k=10, account_id=i % 100), queries
        )
    return [
        _row(f"chroma upsert ({n} vectors)", rate, "vectors/s", ">= 700"),
        _row(f"query p50 ({n} vectors)", float(np.percentile(plain, 50)), "ms", "<= 20"),
        _row(f"query p95 ({n} vectors)", float(np.percentile(plain, 95)), "ms", "<= 50"),
        _row(f"query+account p95 ({n} vectors)", float(np.percentile(scoped, 95)), "ms", "<= 50"),
    ]


def _latencies(call: Callable[[int], object], count: int) -> list[float]:
    call(-1)  # warm-up
    times = []
    for i in range(count):
        started = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(quick: bool) -> list[dict[str, object]]:
    embedder = get_embedder()
    short = [SHORT.format(i=i) for i in range(128 if quick else 1024)]
    passages = [PASSAGE.format(i=i) for i in range(32 if quick else 256)]
    return [
        _row(
            "texts/s, short (~15 tokens)", _texts_per_second(embedder, short), "texts/s", ">= 180"
        ),
        _row(
            "texts/s, 128-token passages", _texts_per_second(embedder, passages), "texts/s", ">= 30"
        ),
        *_store_rows(n=2_000 if quick else 20_000, queries=50 if quick else 300),
    ]
