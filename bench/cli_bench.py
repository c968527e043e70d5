"""CLI start-up: ``dealscout --help`` against importing typer and rich alone, and
``dealscout coach`` on one note (a fresh home, so no store is created or migrated).

Each command runs in a fresh interpreter, as a user starts it; the median of a few runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOTE = (
    "Call with Dana Ruiz (VP Finance). Budget approved for Q3, about EUR 120k. "
    "They lose two days a month reconciling invoices. Demo on Tuesday 14th at 10am."
)


def _row(metric: str, value: float, unit: str, target: str = "") -> dict[str, object]:
    return {"benchmark": "cli", "metric": metric, "value": value, "unit": unit, "target": target}


def _median_seconds(argv: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, capture_output=True, check=True, timeout=120)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(quick: bool) -> list[dict[str, object]]:
    runs = 3 if quick else 7
    cli = [sys.executable, "-c", "from dealscout.cli.main import run; run()"]
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "DEALSCOUT_HOME": home}
        note = Path(home) / "note.txt"
        note.write_text(NOTE, encoding="utf-8")
        baseline = _median_seconds([sys.executable, "-c", "import typer, rich"], env, runs)
        help_s = _median_seconds([*cli, "--help"], env, runs)
        coach_args = ["coach", "--stage", "qualify", "--notes-file", str(note), "--json"]
        coach_s = _median_seconds([*cli, *coach_args], env, runs)
        created = sorted(p.name for p in Path(home).iterdir() if p != note)
    return [
        _row("import typer + rich (reference)", baseline, "s"),
        _row("dealscout --help", help_s, "s", f"<= {3 * baseline:.2f} (3x reference)"),
        _row("dealscout --help / reference", help_s / baseline, "x", "<= 3"),
        _row("dealscout coach, one note", coach_s, "s", "<= 2"),
        _row("files coach created in a fresh home", len(created), "files", "0"),
    ]
