"""Which URLs and addresses the fetcher may connect to, checked where the socket connects.

``ipaddress`` flags alone miss NAT64/6to4/IPv4-compatible spellings of private addresses and
numeric IPv4 spellings that resolvers still accept, so embedded IPv4 addresses are unwrapped
and every non-canonical numeric host is refused outright.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import httpcore

from dealscout.core.errors import BadInput, Refused, Transient

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

ALLOWED_SCHEMES = ("http", "https")
# Cloud metadata endpoints stay refused even when private addresses are allowed.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)
_DOTTED_QUAD = re.compile(
    r"^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$"
)


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the OS resolver)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Transient(f"cannot resolve {host}: {exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside IPv4-mapped/-compatible, 6to4 and NAT64 IPv6 addresses."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in net for net in _NAT64) or 1 < int(ip) < 2**32:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _private_kind(ip: IPAddress) -> str | None:
    checks = (
        (ip.is_loopback, "loopback"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.version == 4 and ip in _CGNAT, "carrier-grade NAT 100.64.0.0/10"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
        (not ip.is_global, "non-public"),
    )
    return next((kind for flagged, kind in checks if flagged), None)


@dataclass(frozen=True)
class AddressPolicy:
    """``allow_private`` lifts the private-address refusal (tests, demos); ``allowed`` lists
    extra networks that are reachable even when private addresses are not."""

    allow_private: bool = False
    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def build(cls, *, allow_private: bool, allowed: Iterable[str] = ()) -> AddressPolicy:
        return cls(allow_private, tuple(ipaddress.ip_network(n) for n in allowed))

    def problem(self, address: str) -> str | None:
        """Why connecting to ``address`` is refused, or None when it is fine."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if ip in METADATA_ADDRESSES:
            return f"{ip} is a cloud metadata address"
        if isinstance(ip, ipaddress.IPv6Address):
            inner = embedded_ipv4(ip)
            if inner is not None:
                reason = self.problem(str(inner))
                return f"{reason} (embedded in {ip})" if reason else None
        if self.allow_private or any(ip in net for net in self.allowed):
            return None
        kind = _private_kind(ip)
        return f"{ip} is not a public address ({kind})" if kind else None

    def check(self, address: str, host: str) -> None:
        reason = self.problem(address)
        if reason:
            raise Refused(f"refused {host}: {reason}")


def literal_ip(host: str) -> str | None:
    """``host`` as an IP literal, None for a name; numeric IPv4 spellings other than a dotted
    quad (``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``) are refused."""
    host = host.strip("[]")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    last_label = host.rstrip(".").rsplit(".", 1)[-1]
    if _NUMERIC_LABEL.match(last_label) and not _DOTTED_QUAD.match(host.rstrip(".")):
        raise Refused(f"refused {host}: non-canonical numeric IPv4 spelling")
    return None


def normalize_host(host: str) -> str:
    """The ASCII spelling a resolver would use: NFKC (fullwidth digits and dots become
    ASCII), lower case, IDNA for international names. Safety checks run on this spelling, so
    ``１２７．０．０．１`` is checked as the loopback address it resolves to."""
    folded = unicodedata.normalize("NFKC", host).lower().replace("\u3002", ".")
    if folded.isascii():
        return folded
    try:
        return folded.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise Refused(f"refused {host!r}: not a valid international host name") from exc


def normalize_url(url: str) -> str:
    """``url`` with its host in the spelling ``normalize_host`` gives (port and rest kept)."""
    try:
        parts = urlsplit(url.strip())
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise Refused(f"refused {url!r}: invalid URL: {exc}") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return url  # refused by the scheme check, with that reason
    if not host:
        raise Refused(f"refused {url!r}: no host")
    ascii_host = normalize_host(host)
    if ":" in ascii_host:
        ascii_host = f"[{ascii_host}]"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = (userinfo + "@" if userinfo else "") + ascii_host + (f":{port}" if port else "")
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))


def check_url(url: str, policy: AddressPolicy, resolver: Resolver = system_resolver) -> str:
    """The normalized ``url`` if every address its host resolves to is safe (source
    creation); the fetcher checks again at each connection. A name that does not resolve
    now is accepted: it may later, and is then checked."""
    url = normalize_url(url)
    host = checked_url_host(url, policy)
    if literal_ip(host) is None:
        try:
            addresses = resolver(host, 443)
        except Transient:
            return url
        for address in addresses:
            policy.check(address, host)
    return url


def checked_url_host(url: str, policy: AddressPolicy) -> str:
    """Validate scheme and host spelling of ``url``; literal IPs are checked at once."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise BadInput(f"invalid URL {url!r}: {exc}") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise Refused(f"refused {url!r}: only http and https URLs are fetched")
    if not host:
        raise BadInput(f"invalid URL {url!r}: no host")
    ip = literal_ip(host)
    if ip is not None:
        policy.check(ip, host)
    return host


class GuardedBackend(httpcore.SyncBackend):
    """Resolves once per connection, refuses if any address is unsafe, then connects to the
    checked address itself (TLS SNI and Host still use the name) and re-checks the peer."""

    def __init__(self, policy: AddressPolicy, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.resolver = resolver

    def resolve(self, host: str, port: int) -> list[str]:
        ip = literal_ip(host)
        addresses = [ip] if ip else self.resolver(host, port)
        if not addresses:
            raise Transient(f"{host} resolves to no address")
        for address in addresses:
            self.policy.check(address, host)
        return addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        error: Exception = httpcore.ConnectError(f"cannot connect to {host}")
        for address in self.resolve(host, port):
            try:
                stream = super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            peer = stream.get_extra_info("socket").getpeername()[0]
            if self.policy.problem(peer):
                stream.close()
                self.policy.check(peer, host)
            return stream
        raise error
