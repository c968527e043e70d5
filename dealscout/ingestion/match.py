"""Which accounts a document concerns: domain first, then names and aliases on word boundaries.

Names that are also ordinary words ("Slack", "Apple", "Square") count only when written
with a capital and seen in company context (Inc, CEO, announced, shares, its…) or next to
the account's domain; a capitalised mention without that context is returned as
``ambiguous`` for a person to confirm, never silently matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field

# Ordinary English words that companies use as names; a name used in lower case in the
# document itself is treated the same way (see ``_is_common_word``).
_COMMON_WORDS = """
    apple slack square box zoom notion target shell gap visa block ramp oracle gong outreach
    front loom mercury delta united general pilot segment intercom stripe signal snap ring
    nest alphabet meta match wish chime plaid affirm toast compass mirror tile rover gusto
    remote lattice culture glean clay apollo seismic drift qualified common crowd guild
    corner bench pipe mosaic arc bolt coda craft spring summer autumn winter frost storm
    cloud elastic harvest lever greenhouse sage circle coin ledger anchor mint cash public
    current level pillar cover root lemonade hippo next oscar clover ample arm unity epic
    valve riot medium ghost bird lime spin jump progress sprout hub buffer later pulse
    amazon shopify monday asana canva miro linear render fly bright one via ford
"""
COMMON_WORDS = frozenset(_COMMON_WORDS.split())
SUFFIX = r"(?:inc|corp|corporation|co|ltd|llc|plc|ag|gmbh|sa|nv|group|holdings|technologies|labs)\b"
CONTEXT = re.compile(
    r"\b(?:inc|corp|corporation|ltd|llc|plc|ceo|cfo|cto|founder|announced|announces"
    r"|shares|stock|nasdaq|nyse|company|startup|acquires|acquired|raises|raised|launches"
    r"|launched|customers|employees|headquartered|spokesperson|revenue|earnings|its)\b",
    re.IGNORECASE,
)
CONTEXT_WINDOW = 60


class AccountRef(BaseModel):
    id: int
    name: str
    domain: str | None = None
    aliases: list[str] = Field(default_factory=list)
    industry: str | None = None


class MatchInput(BaseModel):
    title: str = ""
    text: str = ""
    url: str | None = None
    source_account_id: int | None = None


Status = Literal["matched", "ambiguous", "off_topic"]


class AccountMatch(BaseModel):
    account_id: int
    status: Status
    confidence: float
    reason: str
    aboutness: float | None = None  # set by ``aboutness.apply``


def _rank(match: AccountMatch) -> tuple[bool, float]:
    return (match.status == "matched", match.confidence)


@dataclass(frozen=True)
class AccountIndex:
    """Accounts compiled for matching (``index_accounts``): build it once for many documents."""

    pattern: re.Pattern[str] | None
    by_surface: dict[str, tuple[int, ...]]
    domains: dict[str, tuple[int, ...]]
    domain_pattern: re.Pattern[str] | None
    ids: frozenset[int]


def _norm_domain(domain: str) -> str:
    domain = domain.strip().lower()
    if "//" in domain:
        domain = urlsplit(domain).hostname or ""
    return domain.removeprefix("www.").rstrip(".")


def _trie_regex(words: Iterable[str]) -> str:
    """One alternation shaped like a trie, so 1,000 names cost one pass over the text."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else f"(?:{'|'.join(branches)})"
        return f"{body}?" if ends and branches else body

    return build(trie)


@lru_cache(maxsize=16)
def _build_index(key: tuple[tuple[int, str, str, tuple[str, ...]], ...]) -> AccountIndex:
    by_surface: dict[str, list[int]] = {}
    domains: dict[str, list[int]] = {}
    for account_id, name, domain, aliases in key:
        for surface in {name, *aliases}:
            cleaned = " ".join(surface.split()).lower()
            if len(cleaned) >= 2:
                by_surface.setdefault(cleaned, []).append(account_id)
        if domain:
            domains.setdefault(domain, []).append(account_id)
    pattern = domain_pattern = None
    if by_surface:
        names = _trie_regex(sorted(by_surface))
        pattern = re.compile(rf"(?<![\w@.-])(?:{names})(?![\w-]|\.\w)", re.IGNORECASE)
    if domains:
        alts = _trie_regex(sorted(domains))
        domain_pattern = re.compile(rf"(?<![\w.-])(?:www\.)?({alts})(?![\w-])", re.IGNORECASE)
    return AccountIndex(
        pattern=pattern,
        by_surface={k: tuple(dict.fromkeys(v)) for k, v in by_surface.items()},
        domains={k: tuple(dict.fromkeys(v)) for k, v in domains.items()},
        domain_pattern=domain_pattern,
        ids=frozenset(account_id for account_id, *_ in key),
    )


def index_accounts(accounts: Sequence[AccountRef]) -> AccountIndex:
    """The compiled index of these accounts (cached by their content)."""
    key = tuple(
        (a.id, a.name, _norm_domain(a.domain) if a.domain else "", tuple(a.aliases))
        for a in accounts
    )
    return _build_index(key)


def _host_accounts(url: str | None, index: AccountIndex) -> tuple[int, ...]:
    host = _norm_domain(urlsplit(url).hostname or "") if url else ""
    while host:
        if host in index.domains:
            return index.domains[host]
        host = host.partition(".")[2] if "." in host else ""
    return ()


def _used_as_word(surface: str, doc: str) -> bool:
    return re.search(rf"\b{re.escape(surface.lower())}\b", doc) is not None


def _is_common_word(surface: str, doc: str) -> bool:
    """A one-word name that is a dictionary word, or used in lower case in this very text."""
    if " " in surface or not surface.isalpha():
        return False
    return surface.lower() in COMMON_WORDS or _used_as_word(surface, doc)


def _in_company_context(doc: str, start: int, end: int) -> bool:
    """A company suffix right after the name, or (unless the text also uses the name as an
    ordinary word) company vocabulary nearby."""
    after = doc[end : end + CONTEXT_WINDOW]
    if re.match(r"\s*,?\s*" + SUFFIX, after, re.IGNORECASE):
        return True
    if _used_as_word(doc[start:end], doc):
        return False
    window = doc[max(0, start - CONTEXT_WINDOW) : end + CONTEXT_WINDOW]
    return CONTEXT.search(window) is not None


def _name_hits(doc: str, index: AccountIndex) -> dict[str, str]:
    """Surface (lower case) → "strong" | "weak" evidence level over all its mentions."""
    hits: dict[str, str] = {}
    if index.pattern is None:
        return hits
    for m in index.pattern.finditer(doc):
        text = m.group(0)
        surface = " ".join(text.split()).lower()
        if not _is_common_word(text, doc):
            hits[surface] = "strong"
            continue
        if not text[0].isupper():
            continue  # "slack season": the word, not the company
        level = "strong" if _in_company_context(doc, m.start(), m.end()) else "weak"
        if hits.get(surface) != "strong":
            hits[surface] = level
    return hits


def match_accounts(
    doc: MatchInput, accounts: Sequence[AccountRef] | AccountIndex
) -> list[AccountMatch]:
    """Accounts the document concerns, strongest evidence first; ties between accounts
    that share a name are returned as ``ambiguous`` unless the domain settles them."""
    index = accounts if isinstance(accounts, AccountIndex) else index_accounts(accounts)
    body = f"{doc.title}\n{doc.text}"
    found: dict[int, AccountMatch] = {}

    def add(account_id: int, status: Status, conf: float, why: str) -> None:
        current = found.get(account_id)
        if current is None or _rank(current) < (status == "matched", conf):
            found[account_id] = AccountMatch(
                account_id=account_id, status=status, confidence=conf, reason=why
            )

    if doc.source_account_id is not None and doc.source_account_id in index.ids:
        add(doc.source_account_id, "matched", 1.0, "from the account's own source")
    domain_ids = set(_host_accounts(doc.url, index))
    for account_id in domain_ids:
        add(account_id, "matched", 0.95, "document URL is on the account's domain")
    if index.domain_pattern is not None:
        for m in index.domain_pattern.finditer(body):
            for account_id in index.domains.get(m.group(1).lower(), ()):
                domain_ids.add(account_id)
                add(account_id, "matched", 0.9, f"mentions the domain {m.group(1).lower()}")
    for surface, level in _name_hits(body, index).items():
        ids = index.by_surface[surface]
        anchored = [i for i in ids if i in domain_ids]
        if anchored:
            continue  # the domain already settled which account this name means
        if len(ids) > 1:
            for account_id in ids:
                add(account_id, "ambiguous", 0.4, f"name '{surface}' fits several accounts")
        elif level == "strong":
            add(ids[0], "matched", 0.8, f"names '{surface}'")
        else:
            add(ids[0], "ambiguous", 0.45, f"'{surface}' without company context")
    return sorted(found.values(), key=_rank, reverse=True)
