"""Shared helpers for the coach tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dealscout.coach.process import SalesProcess, load_process

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "coach"
SHARED_EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"


@pytest.fixture(scope="session")
def default_process() -> SalesProcess:
    return load_process(None)
