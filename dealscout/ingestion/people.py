"""Executives named with a role in a headline or summary, for a brief's People section.

Any signal type can name one: "Insider Jane Roe sells shares", "Jane Roe, CTO of Acme,
says…", "Acme appoints Jane Roe as chief revenue officer", "CFO Jane Roe sold 12,000
shares". A person needs a role next to the name; a name alone is never taken.
"""

from __future__ import annotations

import re

from dealscout.ingestion.signal_rules import EXEC_TITLE

MAX_PEOPLE = 5
_VERB = (
    r"(?:Sells|Sold|Buys|Bought|Says|Said|Joins|Named|Appointed|Introducing|Meet|Welcome"
    r"|Welcomes|Congratulations|To|As|Of|At|And|Inc|Corp|Ltd)\b"
)
_PERSON = (
    rf"(?-i:(?:Dr\.\s)?(?!{_VERB})[A-Z][a-z]+(?:\s(?:[A-Z]\.\s)?(?!{_VERB})[A-Z][a-zA-Z'’-]+)"
    r"{1,2})"
)
_ROLE = rf"(?:{EXEC_TITLE}|(?:independent |non-executive )?director|insider|treasurer)"
# Titles that stand before a name without a comma: acronyms and "Chief … Officer" only, so
# "President Joe Biden" in a politics paragraph names nobody at the account.
_ROLE_BEFORE = (
    r"(?-i:C[A-Z]O|EVP|SVP|VP|(?:Senior |Executive )?Vice President|Director|Chairman|Chairwoman"
    r"|Co-[Ff]ounder|Founder|General Counsel|Chief [A-Z][a-z]+(?: [A-Z][a-z]+)? Officer"
    r"|(?i:chief (?:executive|financial|operating|technology|marketing|revenue|commercial"
    r"|people|product|information|legal|strategy)(?: officer)?))"
)
_ORG = r"(?-i:[A-Z][\w&.'-]*(?:\s(?:of\s|&\s)?[A-Z][\w&.'-]*){0,3})"
_TRADE = r"(?:sells|sold|buys|bought|acquires|acquired|purchases|purchased|disposes|dumps)"
_APPOINT = (
    r"(?:appoints|appointed|names|named|hires|hired|taps|tapped|promotes|promoted|elects|elected"
    r"|welcomes|adds)"
)
_PATTERNS = [
    re.compile(rf"\bInsider\s+(?P<person>{_PERSON})\s+{_TRADE}\b", re.I),
    re.compile(rf"\b(?P<title>{_ROLE_BEFORE})\s+(?P<person>{_PERSON})\b"),
    re.compile(
        rf"(?P<person>{_PERSON}),\s+(?:the\s+|its\s+|a\s+)?(?:company['’]s\s+)?"
        r"(?:new\s+|former\s+|interim\s+)?"
        rf"(?P<title>{_ROLE})\b(?:\s+(?:of|at)\s+(?P<org>{_ORG}))?",
        re.I,
    ),
    re.compile(
        rf"\b{_APPOINT}\s+(?P<person>{_PERSON})\s+(?:(?:as|to)\s+)?(?:its\s+|the\s+|our\s+)?"
        rf"(?:new\s+|next\s+|first\s+|interim\s+)?(?P<title>{_ROLE})\b",
        re.I,
    ),
]
# Words each pattern needs, checked before it runs (lower case; a substring is enough).
_ROLE_WORDS = (
    "chief", "officer", "ceo", "cfo", "cto", "coo", "cmo", "cro", "cio", "ciso", "cpo", "cso",
    "cdo", "cco", "cao", "cxo", "cho", "vp", "president", "director", "chair", "founder",
    "counsel", "head of", "insider", "treasurer", "board",
)  # fmt: skip
_TRADE_WORDS = ("sell", "sold", "buy", "bought", "acquir", "purchas", "dispos", "dump")
_APPOINT_WORDS = ("appoint", "name", "hire", "tap", "promot", "elect", "welcome", "add")
_NOT_A_PERSON = re.compile(
    r"^(?:The|A|An|This|New|Insider|Shares|Stock)\b|\b(?:Inc|Corp|Co|Ltd|LLC|Plc|Group|Holdings"
    r"|Company|Technologies|Selling|Buying|Sells|Buys)\b"
)
_SENTENCES = 4
_SENTENCE = re.compile(r"(?<=[a-z0-9)][a-z0-9)][.!?])\s+(?=[A-Z])")  # not after "Q."


def _pieces(title: str, summary: str) -> list[str]:
    sentences = _SENTENCE.split(" ".join(summary.split()))
    return [title, *sentences[:_SENTENCES]]


def _patterns_for(piece: str) -> list[re.Pattern[str]]:
    """The patterns whose required words the piece holds (a cheap literal check first:
    most sentences name no executive, and the patterns scan every capital letter)."""
    low = piece.lower()
    role = any(word in low for word in _ROLE_WORDS)
    wanted = [
        "insider" in low and any(word in low for word in _TRADE_WORDS),
        role,
        role and "," in low,
        role and any(word in low for word in _APPOINT_WORDS),
    ]
    return [pattern for pattern, needed in zip(_PATTERNS, wanted, strict=True) if needed]


def named_people(title: str, summary: str) -> list[dict[str, str]]:
    """``[{"person", "title", "org"?}]`` for executives named with a role, in text order;
    a person named twice keeps the most specific role ("insider" gives way to "CFO")."""
    found: dict[str, dict[str, str]] = {}
    for piece in _pieces(title, summary):
        for pattern in _patterns_for(piece):
            for m in pattern.finditer(piece):
                person = " ".join(m.group("person").split())
                if _NOT_A_PERSON.search(person):
                    continue
                groups = m.groupdict()
                role = " ".join((groups.get("title") or "insider").split())
                entry = {"person": person, "title": role}
                if groups.get("org"):
                    entry["org"] = groups["org"].strip()
                known = found.get(person.lower())
                if known is None or (known["title"].lower() == "insider" and role != "insider"):
                    found[person.lower()] = {**(known or {}), **entry}
    return list(found.values())[:MAX_PEOPLE]
