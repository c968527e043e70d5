"""Offline coach speed on ~300-word deal notes built from the labeled fixture notes.

Rows: p50 and p95 latency of ``check_notes`` per note, rules plus the semantic layer
including embedding every unit (target p95 <= 40 ms on 2 cores), and batch throughput in
notes per second (target >= 20).
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from dealscout.coach.evaluate import check_notes
from dealscout.coach.process import load_process
from dealscout.coach.vocab import STAGES

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "coach" / "coach_extra.jsonl"
WORDS = 300


def _row(metric: str, value: float, unit: str, target: str = "") -> dict[str, object]:
    return {"benchmark": "coach", "metric": metric, "value": value, "unit": unit, "target": target}


def make_notes(count: int) -> list[str]:
    """``count`` notes of about 300 words, each a different rotation of the fixture notes."""
    sources = [json.loads(line)["notes"] for line in FIXTURE.read_text("utf-8").splitlines()]
    notes: list[str] = []
    for i in range(count):
        parts: list[str] = []
        j = i
        while sum(len(p.split()) for p in parts) < WORDS:
            parts.append(sources[j % len(sources)])
            j += 7
        notes.append(" ".join("\n".join(parts).split(" ")[:WORDS]))
    return notes


def run(quick: bool) -> list[dict[str, object]]:
    process = load_process(None)
    notes = make_notes(60 if quick else 400)
    check_notes(notes[0], process, "qualify")  # warm regex caches and load the model
    latencies: list[float] = []
    for i, note in enumerate(notes):
        start = time.perf_counter()
        check_notes(note, process, STAGES[i % len(STAGES)])
        latencies.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    for note in notes:
        check_notes(note, process, "discover")
    per_second = len(notes) / (time.perf_counter() - start)
    p95 = statistics.quantiles(latencies, n=20)[-1]
    return [
        _row("rules+semantic p50 per 300-word note", statistics.median(latencies), "ms"),
        _row("rules+semantic p95 per 300-word note", p95, "ms", "<= 40 ms"),
        _row("rules+semantic batch throughput", per_second, "notes/s", ">= 20"),
    ]


if __name__ == "__main__":
    for row in run(quick=False):
        print(row)
