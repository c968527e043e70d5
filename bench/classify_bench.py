"""Throughput of the signal classifier, its cue scoring, and account matching vs 1,000 accounts.

The classifier reads no embedding (its features are words and cue scores), so an item that
ingestion has already embedded costs exactly this.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from dealscout.ingestion.classify import classify, score_types
from dealscout.ingestion.match import AccountRef, MatchInput, match_accounts

EXTRA = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "eval" / "signals_extra.jsonl"


def _items() -> list[tuple[str, str]]:
    with EXTRA.open(encoding="utf-8") as handle:
        return [(row["title"], row["text"]) for row in map(json.loads, handle)]


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds else float("inf")


def _items_rate(
    function: Callable[[str, str], object], items: list[tuple[str, str]], rounds: int
) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for title, text in items:
            function(title, text)
    return _rate(rounds * len(items), time.perf_counter() - start)


def _match_rate(items: list[tuple[str, str]], rounds: int) -> float:
    accounts = [
        AccountRef(id=i, name=f"Company{i} Systems", domain=f"company{i}.com", aliases=[f"Cx{i}"])
        for i in range(1000)
    ] + [
        AccountRef(id=1000 + i, name=title.split()[0], domain=None)
        for i, (title, _) in enumerate(items)
    ]
    docs = [MatchInput(title=t, text=x, url="https://news.example.com/a") for t, x in items]
    match_accounts(docs[0], accounts)  # the index is built once per account list
    start = time.perf_counter()
    for _ in range(rounds):
        for doc in docs:
            match_accounts(doc, accounts)
    return _rate(rounds * len(docs), time.perf_counter() - start)


def run(quick: bool) -> list[dict]:
    items = _items()
    rounds = 2 if quick else 20
    return [
        {
            "benchmark": "classify",
            "metric": "learned model + cue features + facts, title + text",
            "value": _items_rate(classify, items, rounds),
            "unit": "items/s",
            "target": ">= 2,000",
        },
        {
            "benchmark": "score_types",
            "metric": "cue scoring only (regex cues, 3 zones)",
            "value": _items_rate(score_types, items, rounds),
            "unit": "items/s",
            "target": ">= 2,000",
        },
        {
            "benchmark": "match_accounts",
            "metric": "documents matched vs 1,000 accounts",
            "value": _match_rate(items, rounds),
            "unit": "docs/s",
            "target": ">= 200",
        },
    ]


if __name__ == "__main__":
    for row in run(quick=False):
        print(row)
