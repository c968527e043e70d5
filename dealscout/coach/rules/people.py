"""Buyer-side people: names tied to titles, titles on their own, and first-name follow-ups.

A person counts when the note ties a capitalised name to a job title ("Sofia Marchetti
(Dir. Talent Ops)", "CFO Daniel Ruiz", "the plant GM, Rosa Delgado"), names someone who
speaks or acts ("Wes thinks…"), or titles a role on its own ("the Provost"). Vendor-side
people ("Ours: me, Dev (SE)"), bodies (board, committee) and vacant seats do not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dealscout.coach.rules.text import Doc

_ACRONYM_TITLE = (
    r"(?:CEO|CFO|COO|CIO|CTO|CISO|CRO|CMO|CPO|CHRO|CDO|CSO|CCO|GC|GM|S?VP|EVP|AVP|PM|TPM)"
)
_SENIOR_TITLE = (
    r"vice president|president|director|head of [A-Za-z&]+(?: [A-Z][A-Za-z&]+)*|general counsel"
    r"|counsel|provost|dean|treasurer|controller|comptroller|superintendent|chief [a-z]+ officer"
    r"|executive director|general manager|managing partner|owner|founder|co-founder|principal"
)
_WORD_TITLE = (
    rf"{_SENIOR_TITLE}|dir\.?|manager|mgr\.?|supervisor|engineer|analyst|architect|buyer"
    r"|administrator|coordinator|specialist|officer|chair(?:man|person)?|accountant|lead"
    r"|recruiter|strategist|scientist|planner|associate|consultant|advisor|auditor|BP|supt\.?"
    r"|procurement|legal|paralegal|broker|agent"
)
TITLE = rf"(?:\b{_ACRONYM_TITLE}\b|(?i:\b(?:{_WORD_TITLE})\b))"
_TITLE_RE = re.compile(TITLE)
_ACRONYM_RE = re.compile(rf"\b{_ACRONYM_TITLE}\b")
# Roles that stand for one person without a name; a generic "lead" needs a qualifier.
_ROLE_TITLE = (
    rf"(?:\b{_ACRONYM_TITLE}\b|(?i:\b(?:{_SENIOR_TITLE})\b)"
    r"|(?:[A-Z][\w&]*|[a-z]+ ops|office|plant|practice|billing|it|data|security) "
    r"(?i:lead|manager|mgr|engineer|architect|supervisor|analyst)\b)"
)

_NON_NAME_WORDS = (
    r"Finance|Operations|Ops|People|Sales|Marketing|Engineering|Product|Security|Procurement"
    r"|Legal|Revenue|Customer|Member|Experience|Supply|Chain|Development|Support|Talent"
    r"|Maintenance|Quality|Compliance|Technology|Data|Analytics|Strategy|Growth|Digital"
    r"|Ecommerce|Ecom|Mfg|Manufacturing|Plant|Clinical|Medical|Care|Services|Success|Platform"
    r"|Payments|Billing|Claims|Risk|Treasury|Accounting|Facilities|Logistics|Fleet|Learning"
    r"|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun|Monday|Tuesday|Wednesday|Thursday|Friday"
    r"|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June"
    r"|July|August|September|October|November|December|Next|The|Our|Their|Met|Called|Spoke"
    r"|Reached|Emailed|Email|Reply|Call|Per|From|With|Fwd|Intro|Demo|Discovery|Attendees"
    r"|Present|Who|Also|Told|Sent|Asked|Update|Pain|Budget|Timeline|Process|Champion|Comp"
)
_TOKEN = rf"(?!(?:{_NON_NAME_WORDS})\b)(?:Mc|Mac|O')?[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)?"
NAME = rf"{_TOKEN}(?: {_TOKEN}){{0,2}}"
_FULL_NAME = rf"{_TOKEN} {_TOKEN}"
_HONORIFIC = r"(?:(?:Dr|Prof|Mr|Ms|Mrs)\.? )?"

# Name, then a title in parentheses or after a comma: "Ana Sousa (Billing Ops Lead)".
_NAME_THEN_TITLE = re.compile(
    rf"{_HONORIFIC}(?P<name>{NAME})(?:'s)? ?(?:\((?:our |their |the )?(?P<t1>[^()\n]{{0,40}}?"
    rf"{TITLE})[^()\n]*\)?|(?:,| -| –) (?:our |their |the |his |her )?(?P<t2>(?:[A-Z][\w&.]* )"
    rf"{{0,3}}{TITLE}))",
)
# Title, then a name: "CFO Daniel Ruiz", "VP Finance, Marcus Ybarra", "the CEO (Martin…".
_TITLE_THEN_NAME = re.compile(
    rf"(?P<title>{TITLE}(?: (?:of )?[A-Z][\w&]*){{0,2}}?),? \(?{_HONORIFIC}(?P<name>{NAME})\b"
)
# A standalone role: "the Provost", "their IT lead", "the GM of the flagship property".
_ROLE = re.compile(
    r"\b(?i:the|their|our|his|her|its) (?:(?i:new|acting|interim|flagship) )?"
    rf"(?P<title>(?:[A-Z][\w&]* )?{_ROLE_TITLE})"
)
# Someone with a full name who speaks or acts: "Otto Brandt signs…".
_ACTOR = re.compile(
    rf"\b(?P<name>{_FULL_NAME})(?: (?:said|says|told|asked|wants|confirmed|agreed|thinks"
    r"|mentioned|flagged|estimates|signs|approves|emailed|called|replied|prefers|declined"
    r"|is the|has final)\b|'s (?:team|group|office|org)\b)"
)
# An attendee list: every full name on a "Joined: …" / "Attendees: …" line is a person.
_ATTENDEE_LINE = re.compile(
    r"(?:^\s*[-*•]?\s*(?:theirs|their side|buyer side|who)|\b(?:attendees|present|joined"
    r"|participants|on the call))\b[^:\n]{0,20}:(?P<names>[^\n]*)",
    re.IGNORECASE | re.MULTILINE,
)
# A joined list of people: "w/ Aaron Feld + Simone Grady + Kim Lee".
_JOINED_LIST = re.compile(r"(?:\bw/|\bwith\b)\s(?P<names>[^\n;:]*?\+[^\n;:]*)", re.IGNORECASE)
_NOT_A_NAME = {
    "the",
    "our",
    "their",
    "his",
    "her",
    "its",
    "this",
    "that",
    "next",
    "pain",
    "budget",
    "timeline",
    "timing",
    "process",
    "champion",
    "comp",
    "must",
    "email",
    "reply",
    "call",
    "qual",
    "intro",
    "demo",
    "they",
    "she",
    "he",
    "we",
    "it",
    "i",
    "everything",
    "nothing",
    "finance",
    "procurement",
    "legal",
    "security",
    "leadership",
    "board",
    "committee",
    "council",
    "management",
    "team",
    "success",
    "update",
    "who",
    "what",
    "why",
    "attendees",
    "present",
    "theirs",
    "ours",
    "thanks",
    "good",
    "less",
    "quick",
    "also",
    "and",
    "but",
    "rep",
    "per",
    "trial",
    "need",
    "needs",
    "one",
    "both",
    "someone",
    "nobody",
    "anyone",
    "proposal",
    "paper",
    "redlines",
    "contract",
    "neg",
    "close",
    "disc",
    "ops",
    "operations",
    "people",
    "sales",
    "marketing",
    "engineering",
    "product",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "q1",
    "q2",
    "q3",
    "q4",
    "fy",
}
# A capitalised name ending like this is an organisation, not a person ("Joint Commission").
_ORG_WORD = re.compile(
    r"Commission|Committee|Board|Council|Group|Bank|Partners|Foundation|University|College"
    r"|Department|Agency|Authority|Institute|Association|Systems|Labs?|Health|Capital|Inc|Corp"
)
_BODY = re.compile(r"\b(?:board|committee|council|team|department|leadership|group)\b", re.I)
_VACANT = re.compile(r"\b(?:vacant|seat|open role|unfilled|hiring (?:a|an|for))\b", re.I)
_VENDOR_ROLE = re.compile(r"\((?:SE|AE|CSM|SDR|BDR|our [A-Z]{2,3})\)|\bour (?:SE|AE|CSM)\b")


@dataclass(frozen=True)
class Person:
    key: str  # first name or title, lowercased: how repeated mentions merge
    quote: str  # verbatim mention
    start: int
    title: str | None = None


def buyer_people(doc: Doc) -> list[Person]:
    """Distinct buyer-side people in order of first mention (one quote each)."""
    if "people" not in doc.cache:
        doc.cache["people"] = _distinct(_mentions(doc))
    people: list[Person] = doc.cache["people"]
    return people


def _distinct(mentions: list[Person]) -> list[Person]:
    named_titles = {_title_key(p.title) for p in mentions if p.title and not _role_only(p)}
    people: list[Person] = []
    seen: set[str] = set()
    for person in sorted(mentions, key=lambda p: p.start):
        if person.key in seen or (_role_only(person) and person.key in named_titles):
            continue
        people.append(person)
        seen.add(person.key)
    return people


def _mentions(doc: Doc) -> list[Person]:
    if "mentions" not in doc.cache:
        doc.cache["mentions"] = _find_mentions(doc)
    mentions: list[Person] = doc.cache["mentions"]
    return mentions


def _find_mentions(doc: Doc) -> list[Person]:
    """Every person mention; text inside a named person's title/org aside is claimed."""
    out: list[Person] = []
    claimed: list[tuple[int, int]] = []
    for pattern in (_NAME_THEN_TITLE, _TITLE_THEN_NAME, _ACTOR):
        for m in pattern.finditer(doc.text):
            if _inside(m.start("name"), claimed) or not _keep(doc, m, m.group("name")):
                continue
            claimed.append((m.end("name"), m.end()) if pattern is _NAME_THEN_TITLE else m.span())
            title = m.groupdict().get("t1") or m.groupdict().get("t2") or m.groupdict().get("title")
            key = m.group("name").split()[0].lower()
            out.append(Person(key, m.group(0).strip(" ,("), m.start(), title))
    out += _attendees(doc, claimed)
    for m in _ROLE.finditer(doc.text):
        title = m.group("title")
        if _overlaps(m.span("title"), claimed) or not _keep_role(doc, m):
            continue
        out.append(Person(_title_key(title), m.group(0), m.start(), title))
    return out


def _attendees(doc: Doc, claimed: list[tuple[int, int]]) -> list[Person]:
    out: list[Person] = []
    lists = [*_ATTENDEE_LINE.finditer(doc.text), *_JOINED_LIST.finditer(doc.text)]
    for line in lists:
        for m in re.finditer(rf"\b{_FULL_NAME}\b", line.group("names")):
            start = line.start("names") + m.start()
            if _inside(start, claimed) or not _keep(doc, m, m.group(0), start):
                continue
            claimed.append((start, start + len(m.group(0))))
            out.append(Person(m.group(0).split()[0].lower(), m.group(0), start))
    return out


def _keep(doc: Doc, m: re.Match[str], name: str, start: int | None = None) -> bool:
    tokens = name.split()
    if any(t.lower() in _NOT_A_NAME or _TITLE_RE.fullmatch(t) for t in tokens):
        return False
    if _ORG_WORD.fullmatch(tokens[-1]):
        return False
    begin = m.start() if start is None else start
    return not _excluded(doc, begin, begin + len(m.group(0)))


def _keep_role(doc: Doc, m: re.Match[str]) -> bool:
    tail = doc.text[m.end() : m.end() + 25]
    if _VACANT.search(tail) or _BODY.search(m.group("title")):
        return False
    return not _excluded(doc, m.start(), m.end())


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def _role_only(person: Person) -> bool:
    return person.title is not None and person.key == _title_key(person.title)


def _title_key(title: str) -> str:
    acronym = _ACRONYM_RE.search(title)
    return (acronym.group(0) if acronym else title).lower().strip()


def _excluded(doc: Doc, start: int, end: int) -> bool:
    """Hedged guesses and our own people are not buyer-side stakeholders."""
    unit = doc.unit_at(start)
    if unit.hedged(start):
        return True
    line = doc.line_at(start)
    if re.match(r"\s*(?:ours|our side|us)\s*:", line.text, re.I):
        return True
    return bool(_VENDOR_ROLE.search(doc.text[start : min(end + 12, unit.end)]))


def mentions_person(doc: Doc, start: int, end: int) -> bool:
    """True when a buyer-side person (named or titled) is mentioned inside [start, end)."""
    text = doc.text[start:end]
    if _ACRONYM_RE.search(text) or re.search(_ROLE_TITLE, text):
        return True
    return any(start <= p.start < end for p in _mentions(doc))
