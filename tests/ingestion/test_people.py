"""Executives named with a role in headlines and summaries."""

from __future__ import annotations

import pytest

from dealscout.ingestion.people import named_people


@pytest.mark.parametrize(
    ("title", "summary", "expected"),
    [
        (
            "Caliper Inc (NASDAQ:CLPR) Insider Dana Whitfield Sells 12,000 Shares",
            "Caliper Inc (NASDAQ:CLPR) CFO Dana Whitfield sold 12,000 shares on Friday.",
            [{"person": "Dana Whitfield", "title": "CFO"}],
        ),
        (
            "Insider Marcus Lee sells shares of Caliper",
            "",
            [{"person": "Marcus Lee", "title": "insider"}],
        ),
        (
            "Priya Raman, CTO of Caliper, on forecasting",
            "",
            [{"person": "Priya Raman", "title": "CTO", "org": "Caliper"}],
        ),
        (
            "Caliper appoints Tom Becker as chief revenue officer",
            "He joins from Northbeam.",
            [{"person": "Tom Becker", "title": "chief revenue officer"}],
        ),
        (
            "Acme names John Q. Smith CEO",
            "Marcus Lee, the company's chief operating officer, will stay.",
            [
                {"person": "John Q. Smith", "title": "CEO"},
                {"person": "Marcus Lee", "title": "chief operating officer"},
            ],
        ),
        (
            "Insider Selling: Caliper Inc (NASDAQ:CLPR) SVP Sells 2,000 Shares of Stock",
            "Caliper Inc (NASDAQ:CLPR) SVP Christopher A. Coughlin sold 2,000 shares. "
            "Chairman Ward J. Hale also sold stock.",
            [
                {"person": "Christopher A. Coughlin", "title": "SVP"},
                {"person": "Ward J. Hale", "title": "Chairman"},
            ],
        ),
        (
            "Introducing Junior Gaspard, New CEO at Caliper",
            "",
            [{"person": "Junior Gaspard", "title": "CEO", "org": "Caliper"}],
        ),
        (
            "Caliper shares slide",
            "Chief Executive Richard Kyle said demand held up, chief financial officer "
            "Ana Ruiz added.",
            [
                {"person": "Richard Kyle", "title": "Chief Executive"},
                {"person": "Ana Ruiz", "title": "chief financial officer"},
            ],
        ),
    ],
)
def test_executives_with_a_role_are_named(
    title: str, summary: str, expected: list[dict[str, str]]
) -> None:
    assert named_people(title, summary) == expected


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        ("Caliper raises $42M Series B", "Dana Whitfield attended the event."),  # no role
        ("Markets rally", "President Joe Biden said the economy is strong."),  # no exec title
        ("Insider Selling: Caliper Inc Sells Stock", ""),  # a company, not a person
        ("Introducing Junior Gaspard", ""),  # no role
    ],
)
def test_names_without_an_executive_role_are_not_people(title: str, summary: str) -> None:
    assert named_people(title, summary) == []
