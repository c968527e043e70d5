"""Training the signal model: reproducible to the byte, loadable, and in step with data/."""

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import dealscout.cli.classify  # noqa: F401  (registers the commands)
from dealscout.cli.app import app
from dealscout.ingestion.classify import SIGNAL_TYPES
from dealscout.ingestion.signal_model import SignalModel, shipped_model
from dealscout.ingestion.training import (
    CORPUS_DIR,
    TrainReport,
    corpus_version,
    load_corpus,
    train,
)

runner = CliRunner()
PER_LABEL = 8  # a small, fast subset of the real corpus: every type, fixed rows


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TrainReport]:
    """The subset trained in-process (no store involved), and the same rows reversed."""
    root = tmp_path_factory.mktemp("train")
    rows = load_corpus(CORPUS_DIR)
    kept = [
        r for label in SIGNAL_TYPES for r in [x for x in rows if x["label"] == label][:PER_LABEL]
    ]
    first, second = root / "first", root / "second"
    first.mkdir()
    second.mkdir()
    (first / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in kept))
    (second / "train_b.jsonl").write_text("".join(json.dumps(r) + "\n" for r in reversed(kept)))
    return root, train(first, root / "a.bin")


def test_same_data_gives_a_byte_identical_model(trained: tuple[Path, TrainReport]) -> None:
    """Trained again through the CLI from the same rows in another order and file name."""
    root, report = trained
    out = root / "b.bin"
    result = runner.invoke(
        app, ["train", "classify", "--data", str(root / "second"), "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    first, second = (root / "a.bin").read_bytes(), out.read_bytes()
    assert first == second
    assert report.sha256 == json.loads(result.stdout)["sha256"] == hashlib.sha256(first).hexdigest()


def test_trained_model_loads_and_answers(trained: tuple[Path, TrainReport]) -> None:
    root, report = trained
    model = SignalModel.from_bytes((root / "a.bin").read_bytes())
    assert model.version == report.version and model.labels == SIGNAL_TYPES
    assert 0.0 < model.threshold < 1.0 and model.temperature > 0
    assert report.per_label["funding"] == PER_LABEL


def test_a_file_that_is_no_model_is_refused() -> None:
    with pytest.raises(ValueError):
        SignalModel.from_bytes(b"PK\x03\x04 not a model")


def test_train_without_data_is_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "x.bin"
    result = runner.invoke(app, ["train", "classify", "--data", str(tmp_path), "--out", str(out)])
    assert result.exit_code == 2 and "train" in result.stderr and not out.exists()


def test_shipped_model_was_trained_on_the_corpus_in_the_repo() -> None:
    """Editing data/signals/ without `dealscout train classify` fails here."""
    assert shipped_model().version == corpus_version(load_corpus(CORPUS_DIR))
