"""Main-text extraction on real pages: token F1 against the expected text, and pages/s.

Pages and expected text come from ../shared/data/article_html (readability's test pages and
the article-extraction-benchmark subset). Run: ``.venv/bin/python -m bench.extraction_bench``.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import trafilatura
from bs4 import BeautifulSoup
from readability import Document

from dealscout.ingestion.extract import extract_article

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "article_html"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    name: str
    html: str
    expected: str
    url: str | None = None
    subset: str = "readability"  # whose ground truth: Readability.js output or human labels


def _html_text(markup: str) -> str:
    return lxml.html.fromstring(markup).text_content() if markup.strip() else ""


def load_pages(root: Path = DATA) -> list[Page]:
    pages = []
    for folder in sorted((root / "readability").iterdir()):
        html = (folder / "source.html").read_text(encoding="utf-8", errors="replace")
        expected = _html_text((folder / "expected.html").read_text(encoding="utf-8"))
        pages.append(Page(folder.name, html, expected))
    bench = root / "article_extraction_benchmark"
    truth = json.loads((bench / "ground_truth_subset.json").read_text(encoding="utf-8"))
    for key, entry in sorted(truth.items()):
        source = bench / f"{key}.html"
        if source.exists():
            html = source.read_text(encoding="utf-8", errors="replace")
            expected = entry["expected_articleBody"]
            pages.append(Page(key, html, expected, entry.get("url"), "benchmark"))
    return pages


def token_f1(predicted: str, expected: str) -> float:
    """Bag-of-words F1 over lower-cased word tokens."""
    got, want = Counter(_WORD.findall(predicted.lower())), Counter(_WORD.findall(expected.lower()))
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _trafilatura(page: Page) -> str:
    return trafilatura.extract(page.html, url=page.url, include_comments=False) or ""


def _readability(page: Page) -> str:
    return _html_text(Document(page.html).summary(html_partial=True))


def _soup(page: Page) -> str:
    soup = BeautifulSoup(page.html, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    return soup.get_text(" ")


def _dealscout(page: Page) -> str:
    return extract_article(page.html, page.url).text


EXTRACTORS: dict[str, Callable[[Page], str]] = {
    "trafilatura": _trafilatura,
    "readability-lxml": _readability,
    "bs4-lxml-get_text": _soup,
    "dealscout.extract_article": _dealscout,
}


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def measure(
    extractor: Callable[[Page], str], pages: list[Page], repeat: int
) -> tuple[dict[str, float], float]:
    """(mean F1 per subset and over all pages, pages per second) of one extractor; timed
    after a first pass so one-time initialisation is not counted."""
    scores = {page.name: token_f1(extractor(page), page.expected) for page in pages}
    f1 = {"all": _mean(list(scores.values()))}
    for subset in sorted({page.subset for page in pages}):
        f1[subset] = _mean([scores[p.name] for p in pages if p.subset == subset])
    started = time.perf_counter()
    for _ in range(repeat):
        for page in pages:
            extractor(page)
    return f1, repeat * len(pages) / (time.perf_counter() - started)


def _row(bench: str, metric: str, value: float, unit: str, target: str) -> dict:
    return {
        "benchmark": bench,
        "metric": metric,
        "value": round(value, 3),
        "unit": unit,
        "target": target,
    }


def run(quick: bool) -> list[dict]:
    pages = load_pages()
    rows = []
    for name, extractor in EXTRACTORS.items():
        ours = name.startswith("dealscout")
        f1, speed = measure(extractor, pages, repeat=1 if quick else 3)
        bench = f"extraction[{name}]"
        for subset, value in f1.items():
            count = sum(1 for p in pages if subset in ("all", p.subset))
            target = ">= 0.90" if ours and subset == "all" else ""
            rows.append(_row(bench, f"token F1 {subset} ({count} pages)", value, "", target))
        rows.append(_row(bench, "speed", speed, "pages/s", ">= 20" if ours else ""))
    return rows


if __name__ == "__main__":
    for row in run(quick=False):
        print(f"{row['benchmark']:<38} {row['metric']:<30} {row['value']:>8} {row['unit']}")
