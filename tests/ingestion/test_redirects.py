"""Alert and aggregator links are unwrapped to the publisher before dedupe, and the
publisher (never a path or a source id) is what a signal names as its source."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from dealscout.ingestion.dedupe import canonical_url
from dealscout.ingestion.parse import parse_document
from dealscout.ingestion.redirects import publisher, unwrap

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "alerts"
FETCHED = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("link", "target"),
    [
        (
            "https://www.google.com/url?rct=j&sa=t&url=https://www.reuters.com/a/b%3Fid%3D7"
            "&ct=ga&cd=CAIy&usg=AOvVaw1",
            "https://www.reuters.com/a/b?id=7",
        ),
        (
            "https://l.facebook.com/l.php?u=https%3A%2F%2Fexample.com%2Fx&h=AT0",
            "https://example.com/x",
        ),
        (
            "https://click.news.example/click?url=https://pub.example/story",
            "https://pub.example/story",
        ),
        (  # a redirect to a redirect
            "https://www.google.com/url?q=https://l.facebook.com/l.php%3Fu%3Dhttps://pub.example/a",
            "https://pub.example/a",
        ),
    ],
)
def test_redirect_links_are_unwrapped(link: str, target: str) -> None:
    assert unwrap(link) == target


@pytest.mark.parametrize(
    "link",
    [
        "https://example.com/share?url=https://other.example/a",  # not a redirect endpoint
        "https://www.google.com/search?q=caliper",  # a search term, not a link
        "https://news.example/url?url=https://news.example/self",  # same host
        "https://pub.example/2026/11/story",
    ],
)
def test_ordinary_links_stay(link: str) -> None:
    assert unwrap(link) == link


def test_canonical_url_is_the_publishers() -> None:
    wrapped = "https://www.google.com/url?rct=j&url=https://www.pub.example/a/?utm_source=x&ct=ga"
    assert canonical_url(wrapped) == "https://pub.example/a"


def test_feed_entries_carry_the_publishers_link_and_name() -> None:
    data = (FIXTURES / "feedburner_halvard.xml").read_bytes()
    feed = parse_document(
        data, content_type="application/rss+xml", url="https://feeds.example/fw", fetched_at=FETCHED
    )
    hub, procurement, trucks = feed.items
    assert trucks.url == "https://freightweekly.example/2026/11/26/halvard-electric-trucks/"
    assert hub.url is not None and hub.url.startswith("https://freightweekly.example/2026/11/30/")
    assert hub.canonical_url == "https://freightweekly.example/2026/11/30/halvard-rotterdam-hub"
    assert procurement.url == "https://www.logisticsdaily.example/halvard-procurement"
    assert procurement.site_name == "Logistics Daily"
    assert publisher(hub.url) == "freightweekly.example"


def test_google_alert_entries_link_to_the_publisher() -> None:
    data = (FIXTURES / "google_alert_caliper.xml").read_bytes()
    feed = parse_document(data, content_type="application/atom+xml", url=None, fetched_at=FETCHED)
    assert len(feed.items) == 10
    for item in feed.items:
        assert item.url is not None and "google.com" not in item.url
        assert "<b>" not in item.title and "Caliper" in item.title
    assert feed.items[0].url == "https://techcrunch.com/2026/11/30/caliper-series-b/"
