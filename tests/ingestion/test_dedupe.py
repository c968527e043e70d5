"""Canonical URLs, exact hashes and MinHash near-duplicates on real article text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dealscout.ingestion.dedupe import (
    NearDuplicateIndex,
    canonical_url,
    content_hash,
    from_bytes,
    minhash,
    signature_bytes,
)

TRUTH = (
    Path(__file__).parents[1] / "fixtures" / "articles" / "benchmark" / "ground_truth_subset.json"
)
STORIES = {k: v["expected_articleBody"] for k, v in json.loads(TRUTH.read_text()).items()}


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTPS://WWW.Example.COM/News/Story/?utm_source=feed&utm_medium=rss#comments",
            "https://example.com/News/Story",
        ),
        (
            "https://example.com/a?b=2&a=1&fbclid=x&gclid=y&mc_cid=z&ref=tw",
            "https://example.com/a?a=1&b=2",
        ),
        ("http://example.com:80/", "http://example.com"),
        ("https://example.com:8443/x/", "https://example.com:8443/x"),
        ("https://www.example.com/p?id=7&UTM_Campaign=s", "https://example.com/p?id=7"),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


def test_content_hash_ignores_case_and_whitespace():
    assert content_hash("Acme  raises\n$10M") == content_hash("acme raises $10m ")
    assert content_hash("Acme raises $10M") != content_hash("Acme raises $20M")


def _syndicated(text: str, outlet: str) -> str:
    """How a syndicated copy differs: new headline, outlet boilerplate, last paragraph cut."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    body = "\n".join(paragraphs[:-1]) if len(paragraphs) > 3 else text
    return (
        f"EXCLUSIVE: What you need to know, via {outlet}\n{body}\n"
        f"Sign up for the {outlet} newsletter to get stories like this in your inbox. "
        f"Copyright {outlet} Media. All rights reserved."
    )


@pytest.fixture
def index() -> NearDuplicateIndex:
    built = NearDuplicateIndex()
    for key, text in STORIES.items():
        built.add(key, minhash(text))
    return built


def test_syndicated_copies_are_found(index):
    for key, text in STORIES.items():
        assert index.query(minhash(_syndicated(text, "Daily Wire Service"))) == key


def test_distinct_stories_are_not_matched():
    # Two WeWork stories on the same day, written by different outlets, are different stories.
    for key, text in STORIES.items():
        others = NearDuplicateIndex()
        for other_key, other in STORIES.items():
            if other_key != key:
                others.add(other_key, minhash(other))
        assert others.query(minhash(text)) is None


def test_signatures_round_trip_and_rebuild_the_index(index):
    stored = [(key, signature_bytes(minhash(text))) for key, text in STORIES.items()]
    assert all(len(data) == 512 for _, data in stored)
    rebuilt = NearDuplicateIndex.from_signatures(stored)
    key, text = next(iter(STORIES.items()))
    assert from_bytes(signature_bytes(minhash(text))).jaccard(minhash(text)) == 1.0
    assert rebuilt.query(minhash(_syndicated(text, "Wire"))) == key and len(rebuilt) == len(STORIES)
    with pytest.raises(ValueError):
        from_bytes(b"short")


def test_short_and_empty_texts():
    tiny = NearDuplicateIndex()
    tiny.add("a", minhash("Acme raises money"))
    assert tiny.query(minhash("acme RAISES money")) == "a"
    assert tiny.query(minhash("Globex cuts jobs")) is None
    tiny.remove("a")
    assert "a" not in tiny and tiny.query(minhash("Acme raises money")) is None
