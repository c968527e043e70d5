"""Is a document about the account as an organisation, or junk that only names it?

Matching finds the account's name; this judges the use. Evidence for the organisation:
the account's domain, a legal suffix or a stock ticker after the name, company vocabulary
next to it, the name in the headline, words of the account's industry. Evidence against:
the name written as an ordinary noun ("a brake caliper", "calipers"), or the name only as
one entry in a list of "key players". Market-research and press-release-farm pages
("Global … Market 2019 … Forecast … key players A, B, C") are junk whatever they name.

Each link gets a score in [0, 1]: from ``ABOUT`` up it stays ``matched``; between
``DOUBTFUL`` and ``ABOUT`` a matched link becomes ``ambiguous`` (the review list); below
``DOUBTFUL``, or for junk, it becomes ``off_topic``: kept with its reason, left out of
briefs and the queue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from dealscout.ingestion.match import CONTEXT, SUFFIX, AccountMatch, AccountRef, MatchInput
from dealscout.ingestion.redirects import publisher

ABOUT = 0.5
DOUBTFUL = 0.3
_WINDOW = 60
_MAX_MENTIONS = 12

_EXCHANGE = (
    r"(?:nasdaq|nyse(?: american| arca)?|amex|lse|tsxv?|asx|otc(?:qx|qb)?|sgx|hkex|xetra"
    r"|euronext|six|bse|nse)"
)
# The patterns below run on lower-cased text: without IGNORECASE, re scans literals fast.
# Nouns that make the name an organisation's: "a Caliper spokesperson", "Caliper shares".
_ORG_NOUN_AFTER = re.compile(
    r"(?:'s)? +(?:spokes(?:person|woman|man)|representatives?|executives?|employees?|staff"
    r"|team|board|ceo|cfo|cto|coo|founders?|investors?|shareholders?|shares|stock|customers?"
    r"|users?|engineers?|officials?|filings?|statements?|press release|subsidiary|unit"
    r"|division|headquarters|offices?|ipo)\b"
)
_ORG_AFTER = re.compile(rf"\s*,?\s*(?:{SUFFIX}|\(\s*{_EXCHANGE}\s*:\s*[a-z0-9.]+\s*\))")
_SHARES_OF = re.compile(r"\bshares of\s+(?:the\s+)?$")
_DETERMINER = re.compile(  # "a brake caliper", "two worn calipers"; not "a spokesperson for"
    r"\b(?:a|an|each|every|one|two|this|that|these|your|my|new|used|old|broken|worn) +"
    r"(?:(?!(?:for|of|at|with|from|by|to|in|on|and|or|but|said|says|than|about|as|like"
    r"|including|versus|vs)\b)[a-z][\w-]* +){0,2}$"
)
_CONTEXT = re.compile(CONTEXT.pattern)
_LIST_CUE = re.compile(
    r"\b(?:(?:key|major|leading|top|prominent|main|notable|dominant) (?:market )?"
    r"(?:players|vendors|manufacturers|companies|competitors|participants)"
    r"|players (?:such as|like|including)|companies profiled|profiled in|market players"
    r"|vendors (?:such as|like|including)|competitors (?:such as|like|include))\b"
)
_LIST_WORDS = ("players", "vendors", "manufacturers", "companies", "competitors", "participants",
               "profiled")  # fmt: skip
_LIST_ITEM = r"[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3}"
_NAME_LIST = re.compile(rf"(?:{_LIST_ITEM}\s*[,;/]\s*){{2,}}(?:and\s+)?{_LIST_ITEM}")

# Market-research / press-release-farm spam.
_SPAM_TITLE = re.compile(
    r"\bmarket\b.{0,80}\b(?:19|20)\d\d\b|\b(?:19|20)\d\d\b.{0,80}\bmarket\b"
    r"|\b(?:global|worldwide)\b.{0,80}\bmarket\b"
)
_SPAM_MARKERS = {
    "key players": r"\b(?:key|major|leading|top|prominent) (?:market )?"
    r"(?:players|vendors|manufacturers)\b",
    "CAGR": r"\bcagr\b",
    "forecast period": r"\bforecast(?:ed)? (?:period|to (?:19|20)\d\d|till (?:19|20)\d\d)\b",
    "year range": r"\b(?:19|20)\d\d\s*(?:-|–|—|to)\s*(?:19|20)\d\d\b",
    "market research": r"\bmarket research\b|\bresearch report\b"
    r"|\bindustry (?:analysis|research|report)\b",
    "market size": r"\bmarket (?:size|share|trends?|growth|outlook|status|insights|segmentation"
    r"|report|analysis|forecast|overview|study|scenario|demand|revenue|dynamics|estimates?"
    r"|valuation|opportunit\w*)\b",
    "market projection": r"\bmarket (?:is )?(?:expected |projected |poised |set |anticipated )?"
    r"(?:to|will) (?:witness|reach|grow|surpass|hit|expand|register|exhibit|touch|boom|see)\b",
    "segmentation": r"\bby (?:type|application|end[- ]user|region|product type)\b|\bswot\b",
    "competitive landscape": r"\bcompetitive landscape\b|\bgrowth opportunities\b",
}  # fmt: skip
# Every spam pattern runs on lower-cased text: without IGNORECASE, re scans literals fast.
_SPAM_RES = {label: re.compile(pattern) for label, pattern in _SPAM_MARKERS.items()}
_SPAM_TEXT_CHARS = 3000
# The noun heap of a report title: "… Market 2019 Global Industry Size, Share, Growth,
# Trends, Demand and Forecast 2025".
_REPORT_WORDS = re.compile(
    r"\b(?:size|share|growth|trends?|demand|forecast|analysis|outlook|report|research|insights"
    r"|opportunit(?:y|ies)|cagr|players|industry|status|segmentation|scope|applications|types"
    r"|manufacturers|vendors|regions|competitive|landscape|booming|swot|emerging|revenue)\b"
)
# Verbs of a news headline: a company does something ("gains market share, raises forecast").
_NEWS_VERB = re.compile(
    r"\b(?:raises|gains|opens|launches|announces|reports|posts|names|appoints|acquires|buys"
    r"|cuts|beats|misses|expands|signs|wins|hires|lays|files|says|said|unveils|partners)\b"
)


def market_research_spam(title: str, text: str) -> str | None:
    """The stated reason when the item is a market-research / press-release-farm page:
    a report title (a market, a year or "global", a heap of report words, no news verb)
    backed by report vocabulary, or report vocabulary throughout the text."""
    body = f"{title}\n{text[:_SPAM_TEXT_CHARS]}".lower()
    if "market" not in body:
        return None
    title = title.lower()
    found = [label for label, pattern in _SPAM_RES.items() if pattern.search(body)]
    report_title = _SPAM_TITLE.search(title) is not None and not _NEWS_VERB.search(title)
    heap = {w.rstrip("s") for w in _REPORT_WORDS.findall(title)}
    weight = len(heap) + len(found) + (2 if "market projection" in found else 0)
    if (report_title and weight >= 3) or len(found) >= 4:
        cues = [*found, *(f"'{w}'" for w in sorted(heap))][:4]
        return f"market-research spam ({', '.join(cues)})"
    return None


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    plural: bool


@lru_cache(maxsize=4096)
def _surface_pattern(surface: str) -> re.Pattern[str]:
    """The name (lower case) as a word, plural allowed; not inside a domain or a handle."""
    return re.compile(rf"{re.escape(surface.lower())}(?:e?s)?(?![\w-]|\.\w)")


def _mentions(body: str, low: str, surfaces: Sequence[str]) -> list[Mention]:
    """The first uses of the surfaces, the longest at each place; ``low`` is
    ``body.lower()`` with the same length. (The pattern starts with its literal, so the
    character before is checked here.)"""
    found: dict[int, Mention] = {}
    for surface in surfaces:
        for m in _surface_pattern(surface).finditer(low):
            start, end = m.span()
            if start and (low[start - 1].isalnum() or low[start - 1] in "_@#.-"):
                continue
            if start not in found or found[start].end < end:
                found[start] = Mention(start, end, body[start:end], end - start > len(surface))
    return [found[start] for start in sorted(found)][:_MAX_MENTIONS]


def _list_spans(body: str, low: str) -> list[tuple[int, int]]:
    """Spans of comma lists of capitalised names that follow a "key players"-like cue."""
    if not any(word in low for word in _LIST_WORDS):
        return []
    spans = []
    for cue in _LIST_CUE.finditer(low):
        window = body[cue.end() : cue.end() + 600]
        names = _NAME_LIST.search(window)
        if names and names.start() < 40:
            spans.append((cue.end() + names.start(), cue.end() + names.end()))
    return spans


def _ordinary_noun(low: str, mention: Mention) -> bool:
    """Written in lower case, as a plural, or after an article or a count: a word, not a name."""
    if mention.text[0].islower() or mention.plural:
        return True
    if _ORG_NOUN_AFTER.match(low, mention.end) is not None:  # "a Caliper spokesperson"
        return False
    return _DETERMINER.search(low, max(0, mention.start - 40), mention.start) is not None


def _organisation_form(low: str, mention: Mention, shares_of: bool) -> bool:
    """A legal suffix, an exchange ticker or an organisation's noun ("spokesperson",
    "shares") right after the name, or "shares of" before it."""
    if _ORG_AFTER.match(low, mention.end) or _ORG_NOUN_AFTER.match(low, mention.end):
        return True
    return (
        shares_of and _SHARES_OF.search(low, max(0, mention.start - 20), mention.start) is not None
    )


@dataclass(frozen=True)
class Judgement:
    score: float
    reason: str


def _on_domain(doc: MatchInput, low: str, account: AccountRef) -> bool:
    domain = (account.domain or "").lower().removeprefix("www.")
    if not domain:
        return False
    host = publisher(doc.url)
    return host == domain or host.endswith("." + domain) or domain in low


def _lower_aligned(text: str) -> str:
    """``text.lower()`` with every offset kept (the rare character that lower-cases to two,
    such as "İ", stays as it is)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def judge(doc: MatchInput, account: AccountRef, from_own_source: bool) -> Judgement:
    """How surely the document is about the account as an organisation, and why."""
    body = doc.text if doc.text.startswith(doc.title) else f"{doc.title}\n{doc.text}"
    low = _lower_aligned(body)
    if _on_domain(doc, low, account):
        return Judgement(0.95, "on or naming the account's domain")
    surfaces = [s for s in dict.fromkeys([account.name, *account.aliases]) if len(s.strip()) >= 2]
    mentions = _mentions(body, low, surfaces)
    if not mentions:
        if from_own_source:
            return Judgement(0.55, "from the account's own source; the name is not used")
        return Judgement(0.4, "the name is not used")
    spans = _list_spans(body, low)
    outside = [m for m in mentions if not any(a <= m.start < b for a, b in spans)]
    if not outside:
        return Judgement(0.15, "named only in a list of key players")
    plain = [m for m in outside if _ordinary_noun(low, m)]
    if plain and len(plain) == len(outside):
        return Judgement(0.1, f"'{plain[0].text}' used as an ordinary word, not the company")
    score, why = ABOUT, ["named"]
    shares_of = "shares of" in low
    if any(_organisation_form(low, m, shares_of) for m in outside):
        score, why = score + 0.35, [*why, "as a company (suffix or ticker)"]
    if not plain and any(_near_context(low, m) for m in outside):
        score, why = score + 0.2, [*why, "with company vocabulary"]
    if any(m.start < len(doc.title) for m in outside):
        score, why = score + 0.1, [*why, "in the headline"]
    if _industry_words(account, low):
        score, why = score + 0.1, [*why, "with industry words"]
    if plain:
        score, why = score - 0.3, [*why, f"but also '{plain[0].text}' as an ordinary word"]
    return Judgement(round(min(max(score, 0.0), 1.0), 3), ", ".join(why))


def _near_context(low: str, mention: Mention) -> bool:
    window = low[max(0, mention.start - _WINDOW) : mention.end + _WINDOW]
    return _CONTEXT.search(window) is not None


def _industry_words(account: AccountRef, low: str) -> bool:
    words = set(re.findall(r"[a-z]{4,}", (account.industry or "").lower()))
    return any(re.search(rf"\b{w}", low) for w in words)


def apply(
    doc: MatchInput,
    matches: Sequence[AccountMatch],
    accounts: dict[int, AccountRef],
    spam: str | None,
) -> list[AccountMatch]:
    """The matches with their aboutness: junk and off-topic links become ``off_topic``,
    doubtful matched links ``ambiguous``; the reason says why."""
    judged = []
    for match in matches:
        account = accounts.get(match.account_id)
        if account is None:
            judged.append(match)
            continue
        verdict = judge(doc, account, doc.source_account_id == match.account_id)
        status, reason = match.status, match.reason
        if spam is not None:
            status, reason = "off_topic", spam
        elif verdict.score < DOUBTFUL:
            status, reason = "off_topic", f"off-topic: {verdict.reason}"
        elif verdict.score < ABOUT and status == "matched":
            status, reason = "ambiguous", f"doubtful: {verdict.reason}"
        judged.append(
            match.model_copy(
                update={"status": status, "reason": reason, "aboutness": verdict.score}
            )
        )
    return judged
