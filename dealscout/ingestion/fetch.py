"""Safe HTTP fetching: pinned, checked connections, bounded size and time, robots.txt."""

from __future__ import annotations

import functools
import mimetypes
import random
import ssl
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from dealscout.core.config import Settings, get_settings
from dealscout.core.errors import BadInput, Refused, Transient
from dealscout.ingestion.urlsafety import (
    AddressPolicy,
    GuardedBackend,
    Resolver,
    checked_url_host,
    normalize_url,
    system_resolver,
)

USER_AGENT = "dealscout/0.1 (+https://github.com/dealscout)"
ROBOTS_AGENT = "dealscout"
MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512 * 1024
ROBOTS_TTL_S = 24 * 3600.0
_REDIRECTS = {301, 302, 303, 307, 308}
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9,"
    " text/html;q=0.9, application/xml;q=0.8, text/*;q=0.5"
)
_TEXTUAL_TYPES = {
    "application/json", "application/xml", "application/xhtml+xml", "application/rss+xml",
    "application/atom+xml", "application/rdf+xml", "application/feed+json", "application/ld+json",
}  # fmt: skip
_LOCAL_TYPES = {".xml": "application/xml", ".rss": "application/rss+xml",
                ".atom": "application/atom+xml", ".json": "application/json",
                ".html": "text/html", ".htm": "text/html", ".txt": "text/plain"}  # fmt: skip


@dataclass(frozen=True)
class FetchResult:
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    content_type: str | None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None


class RetryLater(Transient):
    """HTTP 429/5xx: try again later, not before ``retry_after`` seconds when it is known."""

    def __init__(self, message: str, *, status: int, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass
class _Deadline:
    seconds: float
    ends: float = field(init=False)

    def __post_init__(self) -> None:
        self.ends = time.monotonic() + self.seconds

    def remaining(self) -> float:
        left = self.ends - time.monotonic()
        if left <= 0:
            raise Refused(f"fetch exceeded its {self.seconds:g} s deadline (slow or endless body)")
        return left


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """The verifying TLS context (certifi's CAs), built once per process: loading the CA
    bundle takes ~15 ms and a fetcher is made per source fetch. Contexts are shareable."""
    return httpx.create_ssl_context(trust_env=False)


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool whose sockets only reach checked addresses.

    httpx has no public hook for the network backend, so the pool is replaced after init.
    """

    def __init__(self, backend: httpcore.NetworkBackend) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            network_backend=backend,
            max_connections=20,
            max_keepalive_connections=10,
            keepalive_expiry=5.0,
        )


class _Decoder:
    """gzip/deflate decoding that never produces more than ``limit`` bytes (gzip bombs)."""

    def __init__(self, encoding: str, limit: int) -> None:
        encoding = encoding.strip().lower()
        wbits = {
            "gzip": 16 + zlib.MAX_WBITS,
            "x-gzip": 16 + zlib.MAX_WBITS,
            "deflate": zlib.MAX_WBITS,
        }
        if encoding not in wbits and encoding not in ("", "identity"):
            raise Refused(f"unsupported content encoding {encoding!r}")
        self._zlib = zlib.decompressobj(wbits[encoding]) if encoding in wbits else None
        self.limit = limit
        self.size = 0

    def feed(self, chunk: bytes) -> bytes:
        try:
            data = self._zlib.decompress(chunk, self.limit - self.size + 1) if self._zlib else chunk
        except zlib.error as exc:
            raise Refused(f"corrupt compressed body: {exc}") from exc
        self.size += len(data)
        if self.size > self.limit:
            raise Refused(f"body exceeds the {self.limit} byte limit")
        return data


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(
    failures: int, retry_after: float | None = None, *, base: float = 60.0, cap: float = 6 * 3600.0
) -> float:
    """Seconds to wait after ``failures`` consecutive failures: exponential with equal jitter,
    never sooner than the server's Retry-After (itself capped at ``cap``)."""
    exponential = min(cap, base * 2 ** max(failures - 1, 0))
    delay = exponential / 2 + random.uniform(0, exponential / 2)
    if retry_after is not None:
        delay = max(delay, min(retry_after, cap))
    return delay


def _media_type(content_type: str | None) -> str | None:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media or None


def _check_content_type(content_type: str | None, url: str) -> None:
    media = _media_type(content_type)
    if media is None or media.startswith("text/") or media in _TEXTUAL_TYPES:
        return
    if media.endswith(("+xml", "+json")):
        return
    raise Refused(f"refused {url}: unsupported content type {media}")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class SafeFetcher:
    """Fetches http(s) URLs for ingestion. Not thread-safe; use one per worker thread.

    ``resolver`` replaces DNS (tests); ``allow_networks`` are reachable even when private
    addresses are refused; ``deadline_s`` bounds a whole ``get`` including redirects and
    robots.txt (default: twice ``settings.fetch_timeout_s``).
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        resolver: Resolver = system_resolver,
        allow_networks: Iterable[str] = (),
        deadline_s: float | None = None,
        obey_robots: bool = True,
    ) -> None:
        settings = settings or get_settings()
        self.policy = AddressPolicy.build(
            allow_private=settings.allow_private_urls, allowed=allow_networks
        )
        self.max_bytes = settings.fetch_max_bytes
        self.timeout_s = settings.fetch_timeout_s
        self.deadline_s = deadline_s or 2 * settings.fetch_timeout_s
        self.obey_robots = obey_robots
        self._robots: dict[str, tuple[float, RobotFileParser | None]] = {}
        self._client = httpx.Client(
            transport=_PinnedTransport(GuardedBackend(self.policy, resolver)),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            follow_redirects=False,
            trust_env=False,
        )

    def __enter__(self) -> SafeFetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url``; raises ``Refused`` (unsafe, disallowed, too big, 4xx), ``RetryLater``
        (429/5xx) or ``Transient`` (network)."""
        headers = {"Accept": _ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = _Deadline(self.deadline_s)
        return self._follow(url, headers, deadline, self.max_bytes, robots=self.obey_robots)

    def _follow(
        self, url: str, headers: dict[str, str], deadline: _Deadline, limit: int, *, robots: bool
    ) -> FetchResult:
        for _ in range(MAX_REDIRECTS + 1):
            url = normalize_url(url)
            checked_url_host(url, self.policy)
            if robots and not self._robots_allow(url, deadline):
                raise Refused(f"refused {url}: robots.txt disallows {ROBOTS_AGENT}")
            with self._stream(url, headers, deadline) as response:
                location = response.headers.get("location")
                if response.status_code in _REDIRECTS and location:
                    url = urljoin(url, location.strip())
                    continue
                return self._finish(url, response, deadline, limit)
        raise Refused(f"refused {url}: more than {MAX_REDIRECTS} redirects")

    @contextmanager
    def _stream(
        self, url: str, headers: dict[str, str], deadline: _Deadline
    ) -> Iterator[httpx.Response]:
        timeout = min(self.timeout_s, deadline.remaining())
        request = self._client.build_request(
            "GET", url, headers=headers, timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0))
        )
        try:
            response = self._client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise Transient(f"timed out fetching {url}") from exc
        except httpx.InvalidURL as exc:
            raise BadInput(f"invalid URL {url!r}: {exc}") from exc
        except httpx.TransportError as exc:
            raise Transient(f"network error fetching {url}: {exc}") from exc
        try:
            yield response
        finally:
            response.close()

    def _finish(
        self, url: str, response: httpx.Response, deadline: _Deadline, limit: int
    ) -> FetchResult:
        status = response.status_code
        if status in (429, 503) or status >= 500:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            raise RetryLater(f"HTTP {status} from {url}", status=status, retry_after=retry_after)
        if status != 304 and not 200 <= status < 300:
            raise Refused(f"refused {url}: HTTP {status}")
        content_type = response.headers.get("content-type")
        body = b""
        if status != 304:
            _check_content_type(content_type, url)
            body = self._read_body(url, response, deadline, limit)
        return FetchResult(
            final_url=url,
            status=status,
            headers=dict(response.headers),
            body=body,
            content_type=content_type,
            not_modified=status == 304,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )

    def _read_body(
        self, url: str, response: httpx.Response, deadline: _Deadline, limit: int
    ) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise Refused(f"refused {url}: body of {declared} bytes exceeds the {limit} byte limit")
        decoder = _Decoder(response.headers.get("content-encoding", ""), limit)
        parts: list[bytes] = []
        try:
            for chunk in response.iter_raw():
                deadline.remaining()
                parts.append(decoder.feed(chunk))
        except httpx.TimeoutException as exc:
            raise Transient(f"timed out reading {url}") from exc
        except httpx.TransportError as exc:
            raise Transient(f"network error reading {url}: {exc}") from exc
        return b"".join(parts)

    def _robots_allow(self, url: str, deadline: _Deadline) -> bool:
        origin = _origin(url)
        expires, parser = self._robots.get(origin, (0.0, None))
        if expires < time.monotonic():
            parser = self._load_robots(origin, deadline)
            self._robots[origin] = (time.monotonic() + ROBOTS_TTL_S, parser)
        return parser is None or parser.can_fetch(ROBOTS_AGENT, url)

    def _load_robots(self, origin: str, deadline: _Deadline) -> RobotFileParser | None:
        """robots.txt rules, or None (allow all) when it is missing or refused (RFC 9309 4xx);
        5xx and network errors propagate as transient, so the source is retried later."""
        try:
            result = self._follow(
                origin + "/robots.txt", {}, deadline, ROBOTS_MAX_BYTES, robots=False
            )
        except Refused:
            return None
        parser = RobotFileParser()
        parser.parse(result.body.decode("utf-8", errors="replace").splitlines())
        return parser


def load_local(path: str | Path, *, max_bytes: int | None = None) -> tuple[bytes, str | None]:
    """Read a local file given on the command line, size-limited like a fetch."""
    limit = max_bytes or get_settings().fetch_max_bytes
    file = Path(path)
    if not file.is_file():
        raise BadInput(f"{path}: not a readable file")
    with file.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"{path}: larger than the {limit} byte limit")
    suffix = file.suffix.lower()
    return data, _LOCAL_TYPES.get(suffix) or mimetypes.guess_type(file.name)[0]
