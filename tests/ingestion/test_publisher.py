"""Publisher names: a person's name for the source, the document's title, else the site —
never a path, a URL or a ``scheme:rest`` source id."""

from __future__ import annotations

import pytest

from dealscout.ingestion.publisher import display_publisher, looks_like_locator


@pytest.mark.parametrize(
    ("name", "locator"),
    [
        ("demo:halvard-freight.xml", True),
        ("https://feeds.example.com/rss", True),
        ("/srv/feeds/news.xml", True),
        ("news.xml", True),
        ("Halvard Freight Newsroom", False),
        ("Lumenfield Health — News", False),
        ("Reuters: Business", False),  # a colon inside words is not a scheme
        ("example.com", False),
    ],
)
def test_locators_are_told_from_names(name: str, locator: bool) -> None:
    assert looks_like_locator(name) is locator


def test_signals_stored_with_a_locator_show_their_site() -> None:
    assert display_publisher("demo:halvard-freight.xml", "https://www.halvard.example/n") == (
        "halvard.example"
    )
    assert display_publisher("Halvard Freight Newsroom", None) == "Halvard Freight Newsroom"
    assert display_publisher("https://feeds.g.example/rss", None) == "feeds.g.example"
    assert display_publisher("demo:x.xml", "javascript:alert(1)") == "unknown publisher"
