"""The offline embedder: real MiniLM vectors, no network, usable as Chroma's function."""

from __future__ import annotations

import ipaddress
import multiprocessing
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings

from dealscout.core import embeddings
from dealscout.core.embeddings import (
    DealscoutEmbeddingFunction,
    Embedder,
    get_embedder,
)

# Cosine similarities from the fp32 all-MiniLM-L6-v2 (safetensors, numpy forward pass).
FP32_REFERENCE = [
    ("Acme raised a $40 million Series B round led by Sequoia",
     "The startup closed new venture funding", 0.2372),
    ("Acme raised a $40 million Series B round led by Sequoia",
     "Acme appointed a new chief financial officer", 0.4125),
    ("We are hiring twenty account executives in London",
     "Open roles: enterprise sales reps, UK", 0.4934),
    ("The buyer confirmed budget for next quarter", "A recipe for banana bread", -0.0413),
]  # fmt: skip


def _is_loopback(host: Any) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Fail any connection or name lookup that leaves the machine; yield the attempts."""
    attempts: list[object] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            attempts.append(address)
            raise OSError("network access in a test")
        real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host):
            attempts.append(host)
            raise OSError("name lookup in a test")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    assert attempts == []


def test_vectors_are_unit_length_and_in_input_order(no_network: list[object]) -> None:
    texts = ["a much longer sentence about quarterly earnings and guidance", "hi", ""]
    together = np.array(get_embedder().embed(texts))
    alone = np.array([get_embedder().embed([t])[0] for t in texts])
    assert together.shape == (3, 384)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-4)  # padding/sorting change nothing
    assert get_embedder().embed([]) == []


def test_matches_fp32_reference(no_network: list[object]) -> None:
    embedder = get_embedder()
    for a, b, expected in FP32_REFERENCE:
        va, vb = embedder.embed_array([a, b])
        assert float(va @ vb) == pytest.approx(expected, abs=0.02)


def test_long_text_is_truncated_to_max_length() -> None:
    long_text = "pipeline " * 2000
    short = Embedder(max_length=16)
    assert short.embed_array([long_text]).shape == (1, 384)
    tail_ignored = short.embed_array(["pipeline " * 14, long_text])
    assert float(tail_ignored[0] @ tail_ignored[1]) == pytest.approx(1.0, abs=1e-5)


def test_get_embedder_is_cached() -> None:
    assert get_embedder() is get_embedder()
    assert get_embedder().model_id.startswith("all-MiniLM-L6-v2-onnx-int8+")
    assert get_embedder().dim == 384


def test_chroma_round_trip_offline(tmp_path: Path, no_network: list[object]) -> None:
    settings = ChromaSettings(anonymized_telemetry=False)
    client = chromadb.PersistentClient(path=str(tmp_path), settings=settings)
    function = DealscoutEmbeddingFunction()
    collection = client.create_collection("ws_test", embedding_function=function)  # type: ignore[arg-type]
    collection.add(
        ids=["funding", "hiring"],
        documents=[
            "Acme closes a $60M Series C round to expand in Europe",
            "Acme is hiring twenty solutions engineers in Austin",
        ],
    )
    result = collection.query(query_texts=["investors put new capital into Acme"], n_results=2)
    assert result["ids"][0] == ["funding", "hiring"]

    # A client that does not pass our function gets it back from the stored config.
    reopened = chromadb.PersistentClient(path=str(tmp_path), settings=settings)
    again = reopened.get_collection("ws_test")
    result = again.query(query_texts=["open job positions for engineers"], n_results=1)
    assert result["ids"][0] == ["hiring"]


def test_chroma_config_round_trip() -> None:
    function = DealscoutEmbeddingFunction()
    assert not function.is_legacy()
    rebuilt = DealscoutEmbeddingFunction.build_from_config(function.get_config())
    assert rebuilt.embedder is function.embedder
    with pytest.raises(ValueError):
        DealscoutEmbeddingFunction.validate_config({"model_id": "some-other-model"})


def test_concurrent_first_use_loads_once(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[int] = []
    real_model = embeddings._Model

    def counting_model(*args: Any) -> Any:
        loads.append(1)
        return real_model(*args)

    monkeypatch.setattr(embeddings, "_Model", counting_model)
    embedder = Embedder()
    with ThreadPoolExecutor(4) as pool:
        vectors = list(pool.map(lambda _: embedder.embed(["renewal at risk"]), range(8)))
    assert len(loads) == 1
    assert all(np.allclose(v, vectors[0], atol=1e-6) for v in vectors)


def _embed_in_child(embedder: Embedder, queue: Any) -> None:
    queue.put(embedder.embed(["renewal at risk", "budget approved"])[:1])  # on its own threads


def test_forked_worker_reloads_and_embeds() -> None:
    """Celery prefork: a child of a process that already embedded must not hang."""
    embedder = Embedder()
    # loaded and its threads started in the parent before the fork
    expected = embedder.embed(["renewal at risk", "budget approved"])[:1]
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_embed_in_child, args=(embedder, queue))
    child.start()
    try:
        result = queue.get(timeout=20)
    finally:
        child.join(timeout=5)
        if child.is_alive():
            child.kill()
    assert np.allclose(result, expected, atol=1e-6)
