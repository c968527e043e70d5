"""SafeFetcher against real loopback HTTP servers; a tripwire records every socket connect."""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dealscout.core.config import Settings
from dealscout.core.errors import BadInput, Refused, Transient
from dealscout.ingestion.fetch import (
    USER_AGENT,
    RetryLater,
    SafeFetcher,
    backoff_delay,
    load_local,
    parse_retry_after,
)
from tests.support.httpserver import LoopbackServer, Reply

FIXTURES = Path(__file__).parents[1] / "fixtures"
FEED = (FIXTURES / "feeds" / "news" / "bbc_rss.xml").read_bytes()
RSS = "application/rss+xml"


def make_settings(*, allow_private: bool = True, **overrides: object) -> Settings:
    values: dict[str, object] = {"allow_private_urls": allow_private, "fetch_timeout_s": 2.0}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as srv:
        yield srv


@pytest.fixture
def fetcher() -> Iterator[SafeFetcher]:
    with SafeFetcher(make_settings()) as f:
        yield f


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address any socket in this process tries to connect to during the test."""
    seen: list[str] = []
    original = socket.socket.connect

    def spy(sock: socket.socket, address: object) -> None:
        seen.append(str(address[0]) if isinstance(address, tuple) else str(address))
        original(sock, address)

    monkeypatch.setattr(socket.socket, "connect", spy)
    return seen


# --- ordinary fetching -------------------------------------------------------------------


def test_get_returns_body_headers_and_sends_user_agent(server, fetcher):
    server.text("/feed.xml", FEED, content_type=RSS, headers={"ETag": '"v1"'})
    result = fetcher.get(server.url("/feed.xml"))
    assert (result.status, result.body, result.content_type) == (200, FEED, RSS)
    assert result.etag == '"v1"' and not result.not_modified
    request = server.requests[-1]
    assert request.headers["user-agent"] == USER_AGENT
    assert "gzip" in request.headers["accept-encoding"]


def test_conditional_get_gives_not_modified(server, fetcher):
    def reply(request):
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304, content_type=None)
        return Reply(body=FEED, content_type=RSS, headers={"ETag": '"v1"'})

    server.add("/feed.xml", reply)
    first = fetcher.get(server.url("/feed.xml"))
    second = fetcher.get(server.url("/feed.xml"), etag=first.etag, last_modified="Mon, 01 Jan 2024")
    assert second.not_modified and second.status == 304 and second.body == b""
    assert server.requests[-1].headers["if-modified-since"] == "Mon, 01 Jan 2024"


def test_gzip_body_is_decoded(server, fetcher):
    server.text(
        "/feed.xml", gzip.compress(FEED), content_type=RSS, headers={"Content-Encoding": "gzip"}
    )
    assert fetcher.get(server.url("/feed.xml")).body == FEED


def test_redirects_are_followed(server, fetcher):
    server.text("/feed.xml", FEED, content_type=RSS)
    server.redirect("/old", "/feed.xml", status=301)
    result = fetcher.get(server.url("/old"))
    assert result.final_url == server.url("/feed.xml") and result.body == FEED


def test_robots_txt_is_honoured_and_cached(server, fetcher):
    server.text("/robots.txt", "User-agent: *\nDisallow: /private\n")
    server.text("/public", "ok")
    server.text("/private/page", "secret")
    assert fetcher.get(server.url("/public")).body == b"ok"
    with pytest.raises(Refused, match="robots.txt"):
        fetcher.get(server.url("/private/page"))
    assert server.hits("/robots.txt") == 1 and server.hits("/private/page") == 0
    with SafeFetcher(make_settings(), obey_robots=False) as unrestricted:
        assert unrestricted.get(server.url("/private/page")).body == b"secret"


def test_missing_robots_txt_allows_everything(server, fetcher):
    server.text("/page", "ok")
    assert fetcher.get(server.url("/page")).body == b"ok"
    assert server.hits("/robots.txt") == 1


# --- HTTP failures -----------------------------------------------------------------------


def test_429_carries_retry_after_seconds(server, fetcher):
    server.add("/feed", Reply(429, headers={"Retry-After": "120"}))
    with pytest.raises(RetryLater) as caught:
        fetcher.get(server.url("/feed"))
    assert caught.value.status == 429 and caught.value.retry_after == 120.0
    assert isinstance(caught.value, Transient)


def test_503_retry_after_http_date(server, fetcher):
    server.add("/feed", Reply(503, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}))
    with pytest.raises(RetryLater) as caught:
        fetcher.get(server.url("/feed"))
    assert caught.value.retry_after is not None and caught.value.retry_after > 86400


def test_500_is_transient_and_404_is_refused(server, fetcher):
    server.add("/broken", Reply(500))
    with pytest.raises(RetryLater, match="HTTP 500"):
        fetcher.get(server.url("/broken"))
    with pytest.raises(Refused, match="HTTP 404"):
        fetcher.get(server.url("/missing"))


def test_connection_refused_is_transient(fetcher):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(Transient, match="network error"):
        fetcher.get(f"http://127.0.0.1:{port}/feed")


def test_slow_headers_time_out_as_transient(server):
    server.add("/slow", Reply(body=b"late", delay_s=3))
    with SafeFetcher(make_settings(fetch_timeout_s=0.5)) as fetcher, pytest.raises(Transient):
        fetcher.get(server.url("/slow"))


# --- hostile responses: refused in bounded time ---------------------------------------------


def _refused_within(fetcher: SafeFetcher, url: str, match: str, seconds: float) -> None:
    started = time.monotonic()
    with pytest.raises(Refused, match=match):
        fetcher.get(url)
    assert time.monotonic() - started < seconds


def test_redirect_loop_is_refused(server, fetcher):
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    _refused_within(fetcher, server.url("/a"), "more than 5 redirects", 5)
    assert server.hits("/a") + server.hits("/b") == 6


def test_declared_oversized_body_is_refused_before_reading(server):
    server.text("/big", b"x" * 2048, content_type=RSS)
    with SafeFetcher(make_settings(fetch_max_bytes=1024)) as fetcher:
        _refused_within(fetcher, server.url("/big"), "exceeds the 1024 byte limit", 2)


def test_undeclared_endless_body_is_cut_at_the_limit(server):
    server.add("/endless", Reply(body=b"<rss>" * 4096, endless=True, content_type=RSS))
    with SafeFetcher(make_settings(fetch_max_bytes=100_000)) as fetcher:
        _refused_within(fetcher, server.url("/endless"), "exceeds the 100000 byte limit", 3)


def test_gzip_bomb_is_refused_on_decompressed_size(server, fetcher):
    bomb = (FIXTURES / "hostile" / "gzip_bomb.xml.gz").read_bytes()
    server.text("/bomb.xml", bomb, content_type=RSS, headers={"Content-Encoding": "gzip"})
    assert len(bomb) < 100_000  # the default 5 MB limit applies to what it inflates to
    _refused_within(fetcher, server.url("/bomb.xml"), "byte limit", 3)


def test_slow_drip_body_hits_the_overall_deadline(server):
    server.add("/drip", Reply(body=b"<", chunk_size=1, chunk_delay_s=0.05, endless=True))
    with SafeFetcher(make_settings(), deadline_s=1.0) as fetcher:
        _refused_within(fetcher, server.url("/drip"), "deadline", 2.5)


def test_wrong_content_type_is_refused(server, fetcher):
    server.file("/feed.png", FIXTURES / "hostile" / "pixel.png")
    _refused_within(fetcher, server.url("/feed.png"), "content type image/png", 2)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/feed", "gopher://x/", "javascript:alert(1)"]
)
def test_only_http_and_https(fetcher, connects, url):
    with pytest.raises(Refused, match="only http and https"):
        fetcher.get(url)
    assert connects == []


# --- address safety: no connection is ever opened --------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1/feed",
        "http://[::1]/feed",
        "http://10.0.0.1/feed",
        "http://100.64.0.1/feed",
        "http://[::ffff:127.0.0.1]/feed",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[64:ff9b::a00:1]/",
        "http://[2002:7f00:1::]/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://2130706433/",
        "http://0x7f.0.0.1/",
        "http://0177.0.0.1/",
        "http://127.1/",
    ],
)
def test_unsafe_literal_addresses_are_refused_without_connecting(connects, url):
    with SafeFetcher(make_settings(allow_private=False)) as fetcher, pytest.raises(Refused):
        fetcher.get(url)
    assert connects == []


def test_loopback_servers_see_no_connection(connects):
    with LoopbackServer("127.0.0.1") as v4, LoopbackServer("::1") as v6:
        with SafeFetcher(make_settings(allow_private=False)) as fetcher:
            for server in (v4, v6):
                with pytest.raises(Refused, match="loopback"):
                    fetcher.get(server.url("/feed"))
        assert (v4.connections, v6.connections, connects) == (0, 0, [])


def test_metadata_address_stays_refused_when_private_is_allowed(connects):
    with SafeFetcher(make_settings(allow_private=True)) as fetcher:
        with pytest.raises(Refused, match="metadata"):
            fetcher.get("http://169.254.169.254/latest/meta-data/")
        with pytest.raises(Refused, match="non-canonical"):
            fetcher.get("http://2130706433/")
    assert connects == []


NAMES = {
    "private.test": ["10.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "loopback.test": ["127.0.0.1"],
    "loopback6.test": ["::1"],
    "mapped.test": ["::ffff:10.0.0.1"],
    "nat64.test": ["64:ff9b::a9fe:a9fe"],
    "cgnat.test": ["100.100.0.1"],
    "mixed.test": ["93.184.216.34", "127.0.0.1"],  # every address must be safe
}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_names_resolving_to_unsafe_addresses_are_refused(connects, name):
    settings = make_settings(allow_private=False)
    with SafeFetcher(settings, resolver=lambda h, p: NAMES[h]) as f, pytest.raises(Refused):
        f.get(f"http://{name}/feed")
    assert connects == []


@pytest.fixture
def public_and_private() -> Iterator[tuple[LoopbackServer, LoopbackServer]]:
    """127.0.0.1 stands in for the public internet (allowed by ``allow_networks``); a second
    server on 127.0.0.2 stands in for a private host, refused like any other."""
    with (
        LoopbackServer("127.0.0.1") as public,
        LoopbackServer("127.0.0.2", port=public.port) as private,
    ):
        private.text("/admin", "internal")
        yield public, private


def _pinned_fetcher(resolver=lambda host, port: NAMES[host]) -> SafeFetcher:
    return SafeFetcher(
        make_settings(allow_private=False), resolver=resolver, allow_networks=["127.0.0.1/32"]
    )


def test_allowed_first_hop_works_and_keeps_host_header(public_and_private):
    public, _ = public_and_private
    public.text("/feed", "ok")
    with _pinned_fetcher(resolver=lambda host, port: ["127.0.0.1"]) as fetcher:
        assert fetcher.get(public.url("/feed", host="news.test")).body == b"ok"
    assert public.requests[-1].headers["host"] == f"news.test:{public.port}"


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/admin",
        "http://private.test:{port}/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/admin",
        "http://2130706433:{port}/admin",
        "file:///etc/passwd",
    ],
)
def test_redirect_to_unsafe_target_is_refused(public_and_private, connects, target):
    public, private = public_and_private
    public.redirect("/go", target.format(port=public.port))
    with _pinned_fetcher() as fetcher, pytest.raises(Refused):
        fetcher.get(public.url("/go"))
    assert public.hits("/go") == 1 and private.connections == 0
    assert set(connects) == {"127.0.0.1"}


def test_dns_rebinding_cannot_reach_the_second_address(public_and_private):
    """The name resolves to the allowed address first (robots.txt), then to the private one:
    each connection is checked at connect time and goes to the address that was checked."""
    public, private = public_and_private
    answers = iter([["127.0.0.1"], ["127.0.0.2"], ["127.0.0.2"]])
    fetcher = _pinned_fetcher(resolver=lambda host, port: next(answers))
    with fetcher, pytest.raises(Refused, match="127.0.0.2"):
        fetcher.get(public.url("/admin", host="rebind.test"))
    assert public.hits("/robots.txt") == 1 and private.connections == 0


# --- helpers ------------------------------------------------------------------------------


def test_backoff_grows_is_capped_and_honours_retry_after():
    first = [backoff_delay(1) for _ in range(50)]
    assert all(30 <= d <= 60 for d in first)
    assert all(240 <= backoff_delay(4) <= 480 for _ in range(50))
    assert all(backoff_delay(30) <= 6 * 3600 for _ in range(50))
    assert backoff_delay(1, retry_after=900) >= 900
    assert backoff_delay(1, retry_after=10**9) == 6 * 3600


def test_parse_retry_after():
    assert parse_retry_after("30") == 30.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_load_local_reads_and_limits(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_bytes(FEED)
    assert load_local(feed) == (FEED, "application/xml")
    with pytest.raises(Refused, match="limit"):
        load_local(feed, max_bytes=100)
    with pytest.raises(BadInput):
        load_local(tmp_path / "missing.xml")
    with pytest.raises(BadInput):
        load_local(tmp_path)
