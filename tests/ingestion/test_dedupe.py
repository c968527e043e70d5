"""Canonical URLs, exact hashes and MinHash near-duplicates on real article text."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from datasketch import MinHashLSH

from dealscout.ingestion.dedupe import (
    NUM_PERM,
    THRESHOLD,
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


def _nearest_key(index: NearDuplicateIndex, text: str) -> str | None:
    found = index.nearest(minhash(text))
    return found[0] if found else None


@pytest.fixture
def index() -> NearDuplicateIndex:
    built = NearDuplicateIndex()
    for key, text in STORIES.items():
        built.add(key, minhash(text))
    return built


def test_syndicated_copies_are_found(index):
    for key, text in STORIES.items():
        assert _nearest_key(index, _syndicated(text, "Daily Wire Service")) == key


def test_distinct_stories_are_not_matched():
    # Two WeWork stories on the same day, written by different outlets, are different stories.
    for key, text in STORIES.items():
        others = NearDuplicateIndex()
        for other_key, other in STORIES.items():
            if other_key != key:
                others.add(other_key, minhash(other))
        assert _nearest_key(others, text) is None


def test_signatures_round_trip_and_rebuild_the_index(index):
    stored = [(key, signature_bytes(minhash(text))) for key, text in STORIES.items()]
    assert all(len(data) == 512 for _, data in stored)
    rebuilt = NearDuplicateIndex.from_signatures(stored)
    key, text = next(iter(STORIES.items()))
    assert from_bytes(signature_bytes(minhash(text))).jaccard(minhash(text)) == 1.0
    assert _nearest_key(rebuilt, _syndicated(text, "Wire")) == key and len(rebuilt) == len(STORIES)
    with pytest.raises(ValueError):
        from_bytes(b"short")


def test_short_and_empty_texts():
    tiny = NearDuplicateIndex()
    tiny.add("a", minhash("Acme raises money"))
    assert _nearest_key(tiny, "acme RAISES money") == "a"
    assert _nearest_key(tiny, "Globex cuts jobs") is None
    tiny.remove("a")
    assert "a" not in tiny and _nearest_key(tiny, "Acme raises money") is None


def test_index_finds_what_datasketch_lsh_finds():
    """The index keeps datasketch's banding: the same candidates, so the same answers."""
    rng = random.Random(7)
    words = [f"w{i}" for i in range(200)]
    stories = [[rng.choice(words) for _ in range(50)] for _ in range(20)]
    lsh, ours = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM), NearDuplicateIndex()
    signatures = {}
    for number in range(400):
        story = list(rng.choice(stories))
        for _ in range(rng.randint(0, 20)):
            story[rng.randrange(len(story))] = rng.choice(words)
        signature = minhash(" ".join(story))
        expected = max(
            ((signature.jaccard(signatures[k]), k) for k in lsh.query(signature)), default=None
        )
        found = ours.nearest(signature)
        if expected is None or expected[0] < THRESHOLD:
            assert found is None
        else:
            assert found is not None and found[1] == expected[0]
        key = str(number)
        signatures[key] = signature
        lsh.insert(key, signature)
        ours.add(key, signature)
        if number % 5 == 4:
            gone = str(rng.randrange(number))
            if gone in ours:
                ours.remove(gone)
                lsh.remove(gone)
    assert len(ours) == len(lsh.keys)
