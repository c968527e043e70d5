"""Facts pulled from a classified signal: amounts, rounds, people, counterparts, roles.

Every extractor is a plain regex pass over ``title + text``; a fact that is not stated is
simply absent from the returned dict (never guessed).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from dealscout.ingestion.signal_rules import EXEC_TITLE

Facts = dict[str, object]

_CURRENCY = {"$": "USD", "us$": "USD", "c$": "CAD", "a$": "AUD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_CURRENCY_WORDS = {"dollars": "USD", "usd": "USD", "euros": "EUR", "eur": "EUR", "pounds": "GBP"}
_SCALE = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mm": 1e6, "million": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9, "t": 1e12, "trillion": 1e12,
}  # fmt: skip
_AMOUNT = re.compile(
    r"(?P<cur>us\$|c\$|a\$|[$€£¥])\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s*"
    r"(?P<unit>thousand|million|billion|trillion|mn|mm|bn|[kmbt])?\b"
    r"|(?P<num2>\d[\d,]*(?:\.\d+)?)\s*(?P<unit2>thousand|million|billion|mn|bn)?\s*"
    r"(?P<cur2>dollars|usd|euros|eur|pounds)\b",
    re.IGNORECASE,
)
_ROUNDS = [
    (r"\bpre-seed\b", "pre-seed"),
    (r"\bseed\b", "seed"),
    (r"\bseries ([a-h])\b", "Series {0}"),
    (r"\b(?:ipo|initial public offering|go(?:es|ing)? public|listing)\b", "IPO"),
    (r"\bprivate placement\b", "private placement"),
    (r"\b(?:venture debt|debt financing|credit facility|term loan|convertible notes?)\b", "debt"),
    (r"\bgrant\b", "grant"),
]
_NAME = r"(?-i:(?:Dr\.\s)?[A-Z][a-z]+(?:[ -](?:[A-Z]\.|[A-Z][a-zA-Z'-]+)){1,2})"
_ORG = r"(?-i:[A-Z][\w&.'-]*(?: (?:of |& )?[A-Z][\w&.'-]*){0,4})"
_INVESTOR_WORDS = re.compile(
    r"(?:Ventures|Capital|Partners|VC|Fund|Investments|Equity|Growth|Bank|Lending|Management)$"
)
_ORG_STOP = re.compile(r"\s(?:Inc|Corp|Ltd|LLC|Co)\.?$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def _amount_value(num: str, unit: str | None) -> float:
    value = float(num.replace(",", ""))
    return value * _SCALE.get((unit or "").lower(), 1.0)


def find_amount(text: str) -> dict[str, object] | None:
    """The first money amount: ``{"value", "currency", "raw"}``."""
    m = _AMOUNT.search(text)
    if not m:
        return None
    if m.group("num"):
        value = _amount_value(m.group("num"), m.group("unit"))
        currency = _CURRENCY[m.group("cur").lower()]
    else:
        value = _amount_value(m.group("num2"), m.group("unit2"))
        currency = _CURRENCY_WORDS[m.group("cur2").lower()]
    return {"value": value, "currency": currency, "raw": m.group(0).strip()}


def _first(patterns: list[tuple[str, str]], text: str) -> str | None:
    for pattern, label in patterns:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            return label.format(*(g.upper() for g in m.groups()))
    return None


def _org_list(fragment: str) -> list[str]:
    names = re.findall(_ORG, fragment)
    names = [_ORG_STOP.sub("", n).strip() for n in names]
    return [n for n in names if n not in {"The", "Existing"} and not n.startswith("Series ")]


def _funding(title: str, text: str) -> Facts:
    body = f"{title}. {text}"
    facts: Facts = {}
    amount = find_amount(body)
    if amount:
        facts["amount"] = amount
    round_ = _first(_ROUNDS, body)
    if round_:
        facts["round"] = round_
    investors: list[str] = []
    for m in re.finditer(
        r"\b(led by|participation from|backed by|including|from) ([^.;]{3,160})", body
    ):
        named = _org_list(m.group(2))
        if m.group(1) in ("from", "including"):  # only names that look like investors
            named = [n for n in named if _INVESTOR_WORDS.search(n)]
        investors += named
    if investors:
        facts["investors"] = list(dict.fromkeys(investors))
    return facts


_PERSON_PATTERNS = [
    rf"(?P<person>{_NAME}),? (?:as |its |the |our )+(?:new |interim |first )?"
    rf"(?P<title>{EXEC_TITLE})",
    rf"(?P<title>{EXEC_TITLE}),? (?P<person>{_NAME})",
    rf"(?P<person>{_NAME}),? (?:the |its |our )?(?:company's )?(?P<title>{EXEC_TITLE})",
    rf"(?P<person>{_NAME})[^.]{{0,60}}\bto (?:the role of )?(?P<title>{EXEC_TITLE})",
]


_HEADLINE_VERB = re.compile(
    r"^(?:Appoints|Names|Hires|Taps|Promotes|Welcomes|Elects|Announces|Adds|Says|Introducing)\s+"
)


def _executive(title: str, text: str) -> Facts:
    for part in (title, *_SENTENCE.split(text)[:4]):
        for pattern in _PERSON_PATTERNS:
            m = re.search(pattern, part, re.IGNORECASE)
            if m:
                person = _HEADLINE_VERB.sub("", m.group("person"))
                return {"person": person, "title": m.group("title")}
    m = re.search(EXEC_TITLE, f"{title}. {text}", re.IGNORECASE)
    return {"title": m.group(0)} if m else {}


_COUNTERPART = re.compile(
    r"\b(?:acquires?|acquired|acquire|acquisition of|to buy|buys|bought|merger with|merge with"
    r"|takeover of|stake in|partnership with|partners with|partnered with|teams? up with"
    r"|alliance with|agreement with|integration with|integrates with|sale to|acquired by"
    r"|takeover by)\s+(?:the\s+|a\s+|an\s+)?(?:[a-z-]+\s+){0,3}?(" + _ORG + ")",
    re.IGNORECASE,
)


def _counterpart(title: str, text: str) -> Facts:
    for part in (title, text):
        m = _COUNTERPART.search(part)
        if m:
            facts: Facts = {"counterpart": _ORG_STOP.sub("", m.group(1)).strip()}
            amount = find_amount(part)
            if amount:
                facts["amount"] = amount
            return facts
    return {}


_DEPARTMENTS = [
    ("legal", r"legal|counsel|attorney|paralegal|lawyer|compliance"),
    ("hr", r"recruit\w*|talent|people (?:ops|operations|partner)|human resources|\bhr\b|payroll"),
    (
        "finance",
        r"financ\w*|accountant|accounting|accounts (?:payable|receivable)|payroll|billing"
        r"|controller|fp&a|treasury|\baudit\w*|tax\b|cfo",
    ),
    ("marketing", r"marketing|brand|content|seo|growth|communications|\bpr\b|cmo"),
    ("data", r"\bdata\b|analytics|machine learning|\bml\b|\bai\b|\bbi\b|statistic\w*"),
    ("support", r"support|customer success|customer service|help ?desk|customer experience"),
    (
        "sales",
        r"sales|account (?:executive|manager)|\bsdr\b|\bbdr\b|business development|solutions? "
        r"(?:engineer|consultant)|revenue|partnerships?|cro\b",
    ),
    ("product", r"product|\bux\b|\bui\b|designer|design\b|user research"),
    (
        "engineering",
        r"engineer\w*|developer|software|devops|\bsre\b|architect|programmer|\bqa\b|security"
        r"|infrastructure|platform|backend|frontend|full[- ]?stack|cto|technical",
    ),
    (
        "operations",
        r"operations|logistics|supply chain|procurement|facilities|warehouse|office manager"
        r"|coo\b|nurse|technician|driver|manufacturing",
    ),
]
_DEPARTMENT_RES = [(dept, re.compile(p, re.IGNORECASE)) for dept, p in _DEPARTMENTS]


def department_of(job_title: str) -> str:
    """The department a job title belongs to (engineering, sales, …), or ``"other"``."""
    for dept, pattern in _DEPARTMENT_RES:
        if pattern.search(job_title):
            return dept
    return "other"


_SENIORITY = [
    ("intern", r"\bintern(?:ship)?\b"),
    ("c-level", r"\bchief\b|\bc[efto]o\b"),
    ("vp", r"\bvp\b|vice president"),
    ("director", r"\bdirector\b|\bhead of\b"),
    ("manager", r"\bmanager\b"),
    ("lead", r"\blead\b|\bstaff\b|\bprincipal\b"),
    ("senior", r"\bsenior\b|\bsr\.?\b"),
    ("junior", r"\bjunior\b|\bjr\.?\b|\bentry[- ]level\b|\bgraduate\b"),
]
_ROLE = re.compile(
    r"(?:hiring|looking for|seeking|join \w+(?: \w+)? as)\s+(?:an?\s+|our\s+)?"
    r"(?-i:((?:[A-Z][\w&/+-]*\s){0,5}[A-Z][\w&/+-]*))",
    re.IGNORECASE,
)
_ROLE_TITLE = re.compile(r"^(?:[\w\s'’]+?:\s*)?(?P<role>[^(,|–—:]+?)\s*(?:[(,|–—:-]|$)")
_LOCATION = re.compile(
    r"\blocation:\s*(?P<loc>[^.;\n]+)|[–—-]\s*(?P<loc2>(?-i:[A-Z][\w .]+?))(?:\s*\(|$)"
    r"|\b(?P<remote>remote)\b|\bbased in (?P<loc3>(?-i:[A-Z][\w]+(?: [A-Z][\w]+)?))"
    r"|\bin (?P<loc4>(?-i:[A-Z][a-z]+(?: [A-Z][a-z]+)?))\b",
    re.IGNORECASE,
)


def _role(title: str, text: str) -> str | None:
    m = _ROLE.search(f"{title}. {text}")
    if m:
        return m.group(1).strip()
    m = _ROLE_TITLE.match(title)
    if m and department_of(m.group("role")) != "other":
        return m.group("role").strip()
    return None


def _hiring(title: str, text: str) -> Facts:
    facts: Facts = {}
    role = _role(title, text)
    if role:
        facts["role"] = role
    department = department_of(role or f"{title} {text[:300]}")
    if department != "other":
        facts["department"] = department
    for source in (title, text):
        loc = _LOCATION.search(source)
        if loc:
            found = next(g for g in loc.groups() if g)
            facts["location"] = "Remote" if found.lower() == "remote" else found.strip()
            break
    seniority = _first([(p, s) for s, p in _SENIORITY], role or title)
    if seniority:
        facts["seniority"] = seniority
    count = re.search(r"\b(?:hire|add|fill|recruit)\w* (?:about |up to |some )?([\d,]+)\b", text)
    if count:
        facts["count"] = int(count.group(1).replace(",", ""))
    return facts


_FRACTIONS = {"a quarter": 25.0, "a third": 33.0, "half": 50.0, "a fifth": 20.0, "a tenth": 10.0}
_STAFF = r"(?:employees|jobs|workers|staff|people|positions|roles|pilots|developers)"


def _layoffs(title: str, text: str) -> Facts:
    body = f"{title}. {text}"
    facts: Facts = {}
    count = re.search(rf"\b(\d[\d,]*)\s+(?:\w+\s+)?{_STAFF}\b|\blays? off (\d[\d,]*)\b", body)
    if count:
        facts["count"] = int((count.group(1) or count.group(2)).replace(",", ""))
    pct = re.search(r"(\d+(?:\.\d+)?)\s?(?:%|percent)", body)
    frac = re.search(r"\b(a quarter|a third|half|a fifth|a tenth) of\b", body, re.IGNORECASE)
    if pct:
        facts["percent"] = float(pct.group(1))
    elif frac:
        facts["percent"] = _FRACTIONS[frac.group(1).lower()]
    return facts


_PERIOD = re.compile(
    r"\b(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter\b|\b(?P<qq>q[1-4])\b"
    r"|\b(?P<fy>full[- ]year|fiscal(?: year)?(?: \d{4})?|fy ?\d{2,4})\b",
    re.IGNORECASE,
)
_QUARTERS = {"first": "Q1", "second": "Q2", "third": "Q3", "fourth": "Q4"}
_QUARTERS |= {"1st": "Q1", "2nd": "Q2", "3rd": "Q3", "4th": "Q4"}


def _earnings(title: str, text: str) -> Facts:
    body = f"{title}. {text}"
    facts: Facts = {}
    m = _PERIOD.search(body)
    if m:
        if m.group("q"):
            facts["period"] = _QUARTERS[m.group("q").lower()]
        else:
            facts["period"] = (m.group("qq") or m.group("fy")).upper().replace("-", " ")
    rev = re.search(r"\brevenue\b[^.$€£]{0,30}?((?:us\$|[$€£])\s?\d[\d,.]*\s*\w*)", body, re.I)
    if rev:
        facts["revenue"] = find_amount(rev.group(1))
    return facts


_EXTRACTORS: dict[str, Callable[[str, str], Facts]] = {
    "funding": _funding,
    "executive_hire": _executive,
    "executive_departure": _executive,
    "acquisition": _counterpart,
    "partnership": _counterpart,
    "hiring": _hiring,
    "layoffs": _layoffs,
    "earnings": _earnings,
}


def extract_facts(type: str, title: str, text: str) -> Facts:
    """Facts for a signal of ``type`` (an empty dict for types without extractors)."""
    extractor = _EXTRACTORS.get(type)
    return extractor(title, text) if extractor else {}
