"""Aboutness: the account's name used for the organisation, in another sense, or as one
name in a list of key players; market-research spam is junk whatever it names."""

from __future__ import annotations

import pytest

from dealscout.ingestion.aboutness import ABOUT, DOUBTFUL, apply, judge, market_research_spam
from dealscout.ingestion.match import AccountRef, MatchInput, match_accounts

CALIPER = AccountRef(id=1, name="Caliper", domain="caliper.example", industry="software")
NO_DOMAIN = AccountRef(id=1, name="Caliper")


def _doc(title: str, text: str = "", url: str | None = None, own: bool = False) -> MatchInput:
    return MatchInput(title=title, text=text, url=url, source_account_id=1 if own else None)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Caliper Inc. (NASDAQ: CLPR) shares rise after earnings", ""),
        ("Caliper raises $42M Series B", "Caliper, the startup, said its revenue doubled."),
        ("Priya Raman, CTO of Caliper, on forecasting", "The company sells software."),
        ("Caliper opens Leeds hub", "A spokesperson for Caliper declined to comment."),
        ("Caliper unveils Fjord 4, its new platform", "Caliper on Monday launched Fjord 4."),
        ("Caliper raises $42M", "The round closed on Monday, a Caliper spokesperson said."),
        ("Caliper cuts 40 jobs", "An email seen by every Caliper employee gave the news."),
    ],
)
def test_the_organisation_is_about(title: str, text: str) -> None:
    assert judge(_doc(title, text), NO_DOMAIN, from_own_source=False).score >= ABOUT


def test_the_accounts_domain_settles_it() -> None:
    found = judge(_doc("A brake caliper", url="https://blog.caliper.example/x"), CALIPER, False)
    assert found.score >= 0.9


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("How to Replace a Brake Caliper", "A sticking brake caliper pulls the car to one side."),
        ("Brembo's New Six-Piston Caliper for SUVs", "The new caliper is 20 percent lighter."),
        ("Worn calipers: what to check", "Check the calipers and the pads every year."),
    ],
)
def test_the_word_in_another_sense_is_off_topic(title: str, text: str) -> None:
    found = judge(_doc(title, text, own=True), NO_DOMAIN, from_own_source=True)
    assert found.score < DOUBTFUL and "ordinary word" in found.reason


def test_one_name_in_a_list_of_key_players_is_off_topic() -> None:
    text = "Key players in the space include Gong, Clari, Caliper, Chorus and People.ai."
    found = judge(_doc("The state of sales tools", text), NO_DOMAIN, from_own_source=False)
    assert found.score < DOUBTFUL and "list of key players" in found.reason


def test_mixed_use_is_doubtful_and_goes_to_review() -> None:
    text = "A brake caliper recall weighed on Caliper, analysts said."
    doc = _doc("Caliper in focus", text, own=True)  # the account's source: matched
    matches = match_accounts(doc, [NO_DOMAIN])
    assert [m.status for m in matches] == ["matched"]
    judged = apply(doc, matches, {1: NO_DOMAIN}, spam=None)
    assert [m.status for m in judged] == ["ambiguous"]
    assert judged[0].reason.startswith("doubtful: ") and judged[0].aboutness is not None


def test_spam_and_off_topic_links_are_kept_with_their_reason() -> None:
    spam_doc = _doc("Global Caliper Market 2019", "Key players: A, B, Caliper. CAGR 4%.", own=True)
    matches = match_accounts(spam_doc, [NO_DOMAIN])
    [junk] = apply(spam_doc, matches, {1: NO_DOMAIN}, spam="market-research spam (CAGR)")
    assert (junk.status, junk.reason) == ("off_topic", "market-research spam (CAGR)")
    other = _doc("How to Replace a Brake Caliper", "the caliper bolts", own=True)
    [off] = apply(other, match_accounts(other, [NO_DOMAIN]), {1: NO_DOMAIN}, spam=None)
    assert off.status == "off_topic" and off.reason.startswith("off-topic: ")


@pytest.mark.parametrize(
    "title",
    [
        "Global Brake Caliper Market 2019 Industry Analysis by Key Players – Brembo, Akebono, "
        "Continental and Forecast to 2025",
        "Revenue Intelligence Software Market 2019 Global Share, Growth, Size, Trends and "
        "Forecast to 2024 | Key Players: Gong, Clari, Caliper",
        "Worldwide Sales Forecasting Software Market Size, Share | CAGR of 11.2% (2020-2027)",
        "Brake Caliper Market 2019 Global Industry Size, Share, Growth, Trends, Demand and "
        "Forecast 2025",
        "Global Brake Caliper Market Report 2019 - Market Size, Share, Price, Trend and Forecast",
        "Brake Caliper Market Insights 2019, Global and Chinese Scenario is Booming",
        "Brake Caliper Market to Witness Massive Growth by 2025 | Brembo, Akebono",
    ],
)
@pytest.mark.parametrize("text", ["", "The report covers segmentation by type and application."])
def test_market_research_pages_are_spam(title: str, text: str) -> None:
    reason = market_research_spam(title, text)
    assert reason is not None and reason.startswith("market-research spam (")


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Caliper gains market share, raises forecast for 2024", "Revenue grew 30% in Q3."),
        ("Caliper opens Dublin office as European market grows", "It will hire 120 people."),
        ("Stock market today: Dow rises", "Shares of Caliper rose 4% in 2026 trading."),
        ("Caliper gains market share, raises revenue forecast on industry growth in 2024", ""),
        ("Global markets slide in 2026 as tech stocks fall", "Caliper shares fell 3%."),
        ("Global market outlook 2026: stocks rise", "Caliper was among the gainers."),
    ],
)
def test_news_about_markets_is_not_spam(title: str, text: str) -> None:
    assert market_research_spam(title, text) is None
