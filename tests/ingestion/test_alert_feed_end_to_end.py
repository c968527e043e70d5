"""A Google Alerts feed for one company, fetched over loopback HTTP and read as a rep
reads the brief: publishers' links and names, no junk under "Why now", people named."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from dealscout.cli.main import app
from dealscout.core.config import get_settings
from dealscout.ingestion.models import Signal, SignalAccount
from tests.support.factories import open_session
from tests.support.feeds import recent_copy
from tests.support.httpserver import LoopbackServer

ALERT = Path(__file__).resolve().parents[1] / "fixtures" / "alerts" / "google_alert_caliper.xml"
runner = CliRunner()


def _cli(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def brief(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    monkeypatch.setenv("DEALSCOUT_ALLOW_PRIVATE_URLS", "1")
    get_settings.cache_clear()
    feed = recent_copy(ALERT.read_text(encoding="utf-8"), datetime.now(UTC) - timedelta(days=1))
    local = tmp_path / "alerts" / "caliper.xml"
    local.parent.mkdir()
    local.write_text(feed, encoding="utf-8")
    with LoopbackServer() as server:
        server.text("/alerts/feeds/0684/1071", feed, content_type="application/atom+xml")
        fetched = _cli("ingest", server.url("/alerts/feeds/0684/1071"), "--account", "Caliper")
    assert (fetched["fetched"], fetched["new"]) == (10, 10)
    again = _cli("ingest", str(local), "--account", "Caliper")  # the same alert, saved
    assert (again["new"], again["duplicates"]) == (0, 10)
    return {"brief": _cli("brief", "Caliper"), "queue": _cli("queue"), "paths": [str(local)]}


def _signals() -> dict[str, tuple[Signal, SignalAccount]]:
    session = open_session(get_settings())
    try:
        rows = session.execute(
            select(Signal, SignalAccount).join(SignalAccount, SignalAccount.signal_id == Signal.id)
        )
        return {signal.title: (signal, link) for signal, link in rows}
    finally:
        session.close()


def _section(brief: dict[str, Any], section_id: str) -> list[dict[str, Any]]:
    return next(s["items"] for s in brief["sections"] if s["id"] == section_id)


def test_the_brief_names_publishers_and_links_to_them(brief: dict[str, Any]) -> None:
    text = json.dumps(brief["brief"]) + json.dumps(brief["queue"])
    assert "google.com/url" not in text and "google.com" not in text
    for path in brief["paths"]:
        assert path not in text and Path(path).name not in text
    assert "127.0.0.1" not in text  # the alert feed's own address is no publisher
    sources = {s["source"] for s in brief["brief"]["signals"]}
    assert sources <= {"techcrunch.com", "businesswire.com", "fool.com", "marketbeat.com",
                       "venturebeat.com", "prnewswire.com"}  # fmt: skip
    for signal in brief["brief"]["signals"]:
        assert signal["url"].startswith("https://") and signal["source"] in signal["url"]


def test_spam_and_the_word_in_another_sense_stay_out(brief: dict[str, Any]) -> None:
    stored = _signals()
    junk = {t: s for t, (s, link) in stored.items() if link.status == "off_topic"}
    assert sorted(junk) == sorted(
        t for t in stored if "Market" in t or "Brake Caliper" in t or "Six-Piston" in t
    )
    assert len(junk) == 4
    for title, (signal, link) in stored.items():
        if "Market 2019" in title:
            assert signal.junk_reason and link.reason.startswith("market-research spam")
        elif title in junk:
            assert "ordinary word" in link.reason and link.aboutness is not None
    junk_ids = {s.id for s in junk.values()}
    items = [i for section in brief["brief"]["sections"] for i in section["items"]]
    cited = {c for item in items for c in item["citations"]}
    assert not cited & junk_ids
    assert not {s["id"] for s in brief["brief"]["signals"]} & junk_ids
    why_now = " ".join(i["text"] for i in _section(brief["brief"], "why_now"))
    assert "Market" not in why_now and "Brake" not in why_now
    assert "Caliper raises $42M Series B" in why_now
    queue_cited = {
        c.get("signal_id") for item in brief["queue"]["items"] for c in item["contributions"]
    }
    assert not queue_cited & junk_ids


def test_executives_named_in_headlines_are_people_with_citations(brief: dict[str, Any]) -> None:
    stored = _signals()
    people = _section(brief["brief"], "people")
    for name, role in (("Dana Whitfield", "CFO"), ("Priya Raman", "CTO"), ("Tom Becker", "Chief")):
        item = next(i for i in people if i["text"].startswith(f"{name}, {role}"))
        [cited] = item["citations"]
        assert name in next(s.title for s, _ in stored.values() if s.id == cited)


def test_an_old_alert_still_names_its_people_but_nothing_is_why_now(tmp_path: Path) -> None:
    """Read years later: nothing is news any more, yet the executives it named are still
    the account's people, each with its age."""
    feed = recent_copy(ALERT.read_text(encoding="utf-8"), datetime(2019, 6, 12, tzinfo=UTC))
    local = tmp_path / "old_alert.xml"
    local.write_text(feed, encoding="utf-8")
    assert _cli("ingest", str(local), "--account", "Caliper")["new"] == 10
    brief = _cli("brief", "Caliper")
    assert [i["text"] for i in _section(brief, "why_now")] == [
        "Not enough evidence: no signals in the last 90 days."
    ]
    people = [i["text"] for i in _section(brief, "people")]
    assert [p.split(",")[0] for p in people] == ["Dana Whitfield", "Priya Raman", "Tom Becker"]
    assert all("days ago)" in p for p in people)
