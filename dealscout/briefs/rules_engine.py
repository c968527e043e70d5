"""The offline brief: deterministic, extractive sections built from stored evidence.

Every item that states something from a document cites the signal it comes from; record
fields and deal state come from the CRM side and cite nothing. A section without enough
evidence says so in one plain item instead of filling space.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import timedelta

from dealscout.briefs.evidence import BriefInput
from dealscout.briefs.rank import SignalView, age_text, ranked
from dealscout.briefs.schemas import SECTION_TITLES, BriefItem, BriefSection, Persona, SectionId
from dealscout.ingestion.facts import department_of
from dealscout.ingestion.jobs import seniority
from dealscout.ingestion.labels import type_label

WINDOW_DAYS = 90
PEOPLE_WINDOW_DAYS = 365
MAX_WHY_NOW = 3
MAX_TALKING_POINTS = 3
MAX_QUESTIONS = 5
MAX_DEAL_QUESTIONS = 2
MAX_PER_TIMELINE_GROUP = 4
MAX_PEOPLE = 8

ANGLES = {
    "funding": "fresh capital funds growth plans, and the processes that have to scale with them",
    "executive_hire": "a new leader sets priorities in the first months and often revisits tools",
    "executive_departure": "a leadership change reopens decisions and ownership",
    "layoffs": "cost pressure makes efficiency gains a priority",
    "acquisition": "integrating a deal means consolidating processes and systems",
    "partnership": "a new partnership changes how work flows between the companies",
    "product_launch": "a launch adds volume and new workflows for the teams behind it",
    "expansion": "new sites and markets add volume and complexity",
    "hiring": "where they hire shows where they invest",
    "earnings": "published results put targets and costs under scrutiny",
    "strategic_initiative": "an announced programme has owners, budget and goals to tie into",
    "risk_event": "an incident puts controls and vendor risk on the agenda",
    "other": "recent news gives a reason to reach out",
}
QUESTIONS: dict[str, str] = {
    "funding": "What will the new funding{round} change first for your team?",
    "executive_hire": "What is {who}'s agenda for the first 90 days?",
    "executive_departure": "Who picks up {who}'s responsibilities, and does that change open "
    "decisions?",
    "layoffs": "Where is the restructuring asking teams to do more with less?",
    "acquisition": "How will you combine processes and systems after the {counterpart} deal?",
    "partnership": "What changes day to day with the {counterpart} partnership?",
    "product_launch": "What does the launch mean for the teams that support it?",
    "expansion": "What has to be in place before the expansion is up and running?",
    "hiring": "What are the new {department} hires expected to fix or build?",
    "earnings": "Which targets from the latest results matter most to your team?",
    "strategic_initiative": "Who owns the programme, and how will its success be measured?",
    "risk_event": "What is changing in your controls after the incident?",
    "other": "What is behind the news that {title}?",
}
FLAG = "[flagged: the document contains instructions aimed at AI tools] "
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def gap(subject: str) -> BriefItem:
    return BriefItem(text=f"Not enough evidence: {subject}.")


def section(section_id: SectionId, items: list[BriefItem], missing: str) -> BriefSection:
    """The section, or one plain "Not enough evidence" item when there is nothing to say."""
    if items:
        return BriefSection(id=section_id, title=SECTION_TITLES[section_id], items=items)
    return BriefSection(
        id=section_id, title=SECTION_TITLES[section_id], items=[gap(missing)], insufficient=True
    )


def recent(data: BriefInput, days: int = WINDOW_DAYS) -> list[SignalView]:
    since = data.as_of - timedelta(days=days)
    return [s for s in data.signals if s.published_at >= since]


def trusted_top(data: BriefInput) -> list[SignalView]:
    """Recent signals best first, without flagged documents (they never drive advice)."""
    return ranked([s for s in recent(data) if not s.suspicious], data.as_of, data.terms)


def lead(text: str, limit: int = 280) -> str:
    """The first one or two sentences of ``text``, at most ``limit`` characters."""
    sentences = _SENTENCE_END.split(" ".join(text.split()))
    out = ""
    for sentence in sentences[:2]:
        if out and len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    return out if len(out) <= limit else out[: limit - 1].rstrip() + "…"


def cite(signal: SignalView, data: BriefInput) -> str:
    return f"{signal.source or 'unknown source'}, {age_text(signal.published_at, data.as_of)}"


# --- sections ------------------------------------------------------------------------------


def snapshot(data: BriefInput) -> BriefSection:
    account = data.account
    facts = [account.industry, _employees(account.employee_count), account.region]
    facts += [f"tier {account.tier}" if account.tier else None, account.domain]
    known = [f for f in facts if f]
    items = [BriefItem(text=f"{account.name}: {', '.join(known)}.")] if known else []
    if account.description:
        items.append(BriefItem(text=lead(account.description)))
    fit = icp_fit(data)
    if fit:
        items.append(BriefItem(text=fit))
    described = [s for s in trusted_top(data) if s.summary]
    if described:
        best = max(described[:10], key=lambda s: len(s.summary))
        text = f"Latest picture: {lead(best.summary)} ({cite(best, data)})"
        items.append(BriefItem(text=text, citations=[best.id]))
    return section(
        "snapshot", items, f"no record fields and no signals in the last {WINDOW_DAYS} days"
    )


def _employees(count: int | None) -> str | None:
    return f"{count:,} employees" if count is not None else None


def icp_fit(data: BriefInput) -> str | None:
    icp, account = data.profile.ideal_customer_profile, data.account
    checks: list[str] = []
    if icp.industries and account.industry:
        inside = account.industry.lower() in {i.lower() for i in icp.industries}
        checks.append(
            f"industry {account.industry} {'matches' if inside else 'is outside the ICP'}"
        )
    count = account.employee_count
    if (icp.employees_min is not None or icp.employees_max is not None) and count is not None:
        low, high = icp.employees_min or 0, icp.employees_max
        inside = count >= low and (high is None or count <= high)
        span = f"{low:,}–{high:,}" if high is not None else f"{low:,}+"
        checks.append(f"{count:,} employees {'within' if inside else 'outside'} {span}")
    if icp.regions and account.region:
        inside = account.region.upper() in {r.upper() for r in icp.regions}
        checks.append(f"region {account.region} {'matches' if inside else 'is outside the ICP'}")
    return f"ICP fit: {'; '.join(checks)}." if checks else None


def why_now(data: BriefInput) -> BriefSection:
    items = [
        BriefItem(
            text=f"{type_label(s.type)}: {s.title} ({cite(s, data)})",
            citations=[s.id],
        )
        for s in trusted_top(data)[:MAX_WHY_NOW]
    ]
    return section("why_now", items, f"no signals in the last {WINDOW_DAYS} days")


def timeline(data: BriefInput) -> BriefSection:
    groups: dict[str, list[SignalView]] = defaultdict(list)
    for signal in recent(data):  # newest first, so groups are ordered by their latest signal
        groups[signal.type].append(signal)
    items = []
    for type_, signals in groups.items():
        shown = signals[:MAX_PER_TIMELINE_GROUP]
        entries = "; ".join(
            f"{FLAG if s.suspicious else ''}{s.title} ({s.published_at.date().isoformat()}, "
            f"{age_text(s.published_at, data.as_of)})"
            for s in shown
        )
        more = f"; and {len(signals) - len(shown)} more" if len(signals) > len(shown) else ""
        label = f"{type_label(type_)} ({len(signals)})"
        items.append(BriefItem(text=f"{label}: {entries}{more}", citations=[s.id for s in shown]))
    return section("timeline", items, f"no signals in the last {WINDOW_DAYS} days")


def people(data: BriefInput) -> BriefSection:
    seen: set[str] = set()
    items: list[BriefItem] = []
    for signal in recent(data, PEOPLE_WINDOW_DAYS):
        person = str(signal.facts.get("person") or "").strip()
        if not person or person.lower() in seen or signal.suspicious:
            continue
        seen.add(person.lower())
        title = str(signal.facts.get("title") or "title not stated")
        event = {"executive_hire": "appointed", "executive_departure": "leaving"}.get(
            signal.type, "named"
        )
        text = f"{person}, {title} ({event}: {signal.title}; {cite(signal, data)})"
        items.append(BriefItem(text=text, citations=[signal.id]))
    return section(
        "people",
        items[:MAX_PEOPLE],
        f"no executives or stakeholders named in signals of the last {PEOPLE_WINDOW_DAYS} days",
    )


def _role_of(signal: SignalView) -> str:
    return str(signal.facts.get("role") or signal.title)


def hiring(data: BriefInput) -> BriefSection:
    current: list[SignalView] = []
    previous: list[SignalView] = []
    for signal in recent(data, 2 * WINDOW_DAYS):
        if signal.type == "hiring":
            in_window = signal.published_at >= data.as_of - timedelta(days=WINDOW_DAYS)
            (current if in_window else previous).append(signal)
    if not current:
        return section("hiring", [], f"no job posts or hiring news in the last {WINDOW_DAYS} days")
    by_department: dict[str, list[SignalView]] = defaultdict(list)
    for signal in current:
        department = signal.facts.get("department") or department_of(_role_of(signal))
        by_department[str(department)].append(signal)
    items = [_department_item(dept, signals) for dept, signals in _by_size(by_department)]
    items.append(_trend_item(current, previous))
    return section("hiring", items, "")


def _by_size(groups: dict[str, list[SignalView]]) -> list[tuple[str, list[SignalView]]]:
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def _department_item(department: str, signals: list[SignalView]) -> BriefItem:
    levels = Counter(
        str(s.facts.get("seniority") or seniority(_role_of(s)) or "unspecified") for s in signals
    )
    mix = ", ".join(f"{n} {level}" for level, n in levels.most_common())
    roles = list(dict.fromkeys(_role_of(s) for s in signals))
    shown = "; ".join(roles[:MAX_PER_TIMELINE_GROUP])
    more = (
        f"; and {len(roles) - MAX_PER_TIMELINE_GROUP} more"
        if len(roles) > MAX_PER_TIMELINE_GROUP
        else ""
    )
    planned = sum(int(s.facts.get("count") or 0) for s in signals)
    volume = f"; announced plans to hire {planned:,}" if planned else ""
    noun = "open role or post" if len(signals) == 1 else "open roles or posts"
    head = f"{department.capitalize()}: {len(signals)} {noun} ({mix})"
    text = f"{head} — {shown}{more}{volume}"
    return BriefItem(text=text, citations=[s.id for s in signals[:MAX_PER_TIMELINE_GROUP]])


def _trend_item(current: list[SignalView], previous: list[SignalView]) -> BriefItem:
    now, before = len(current), len(previous)
    if before == 0:
        trend = "new activity (none in the previous period)"
    elif now > before * 1.2:
        trend = f"up {round(100 * (now - before) / before)}%"
    elif now < before * 0.8:
        trend = f"down {round(100 * (before - now) / before)}%"
    else:
        trend = "about level"
    text = (
        f"Trend: {now} hiring signals in the last {WINDOW_DAYS} days vs {before} in the "
        f"{WINDOW_DAYS} days before: {trend}."
    )
    return BriefItem(text=text, citations=[s.id for s in current[:MAX_PER_TIMELINE_GROUP]])


def talking_points(data: BriefInput) -> BriefSection:
    profile = data.profile
    if not profile.value_proposition:
        return section("talking_points", [], "the workspace profile has no value proposition")
    pitch = lead(profile.value_proposition, 220)
    items = []
    for signal in _distinct_types(trusted_top(data), MAX_TALKING_POINTS):
        persona = _persona_for(data, signal)
        cares = f" {persona.title} cares about {persona.cares_about}." if persona else ""
        rivals = _competitors_in(data, signal)
        rival = f" Mentions competitor {', '.join(rivals)}." if rivals else ""
        text = (
            f"{signal.title} ({cite(signal, data)}): {ANGLES.get(signal.type, ANGLES['other'])}. "
            f"{pitch}{cares}{rival}"
        )
        items.append(BriefItem(text=text, citations=[signal.id]))
    return section(
        "talking_points", items, f"no signals in the last {WINDOW_DAYS} days to tie it to"
    )


def _competitors_in(data: BriefInput, signal: SignalView) -> list[str]:
    text = f"{signal.title} {signal.summary}".lower()
    return [c for c in data.profile.competitors if c.lower() in text]


def _distinct_types(signals: list[SignalView], limit: int) -> list[SignalView]:
    """The best signal of each type first (variety), then the next best of any type."""
    picked: list[SignalView] = []
    types: set[str] = set()
    for signal in signals:
        if signal.type not in types and len(picked) < limit:
            picked.append(signal)
            types.add(signal.type)
    ids = {s.id for s in picked}
    picked += [s for s in signals if s.id not in ids][: limit - len(picked)]
    return picked


def _persona_for(data: BriefInput, signal: SignalView) -> Persona | None:
    title = str(signal.facts.get("title") or signal.title).lower()
    for persona in data.profile.personas:
        if any(part.strip().lower() in title for part in persona.title.split("/")):
            return persona
    return None


def signal_question(signal: SignalView) -> str:
    facts = signal.facts
    round_ = f" ({facts['round']})" if facts.get("round") else ""
    who = facts.get("person") or f"the new {facts.get('title') or 'leader'}"
    fields = {
        "round": round_,
        "who": who,
        "counterpart": facts.get("counterpart") or "announced",
        "department": "" if facts.get("department") in (None, "other") else facts["department"],
        "title": signal.title.rstrip("."),
    }
    return " ".join(QUESTIONS.get(signal.type, QUESTIONS["other"]).format(**fields).split())


def questions(data: BriefInput) -> BriefSection:
    deal_items = deal_questions(data)[:MAX_DEAL_QUESTIONS]
    asked: dict[str, BriefItem] = {}
    for signal in _distinct_types(trusted_top(data), MAX_QUESTIONS):
        text = signal_question(signal)
        asked.setdefault(text, BriefItem(text=text, citations=[signal.id]))
    signal_items = list(asked.values())[: MAX_QUESTIONS - len(deal_items)]
    return section(
        "questions",
        signal_items + deal_items,
        f"no signals in the last {WINDOW_DAYS} days and no open deal",
    )


def deal_questions(data: BriefInput) -> list[BriefItem]:
    """One question per missing exit criterion of the open deal, from its coach report."""
    deal = data.deal
    if deal is None:
        return []
    items = []
    for criterion in deal.missing:
        asked = deal.questions.get(criterion) or []
        text = asked[0] if asked else f"What would confirm {criterion.replace('_', ' ')}?"
        items.append(BriefItem(text=f"{text} (open deal: {criterion} is missing)"))
    return items


def open_deal(data: BriefInput) -> BriefSection:
    deal = data.deal
    if deal is None:
        return section("deal", [], "no open deal for this account")
    amount = f", {deal.amount:,.0f} {deal.currency}" if deal.amount is not None else ""
    close = f", close date {deal.close_date.isoformat()}" if deal.close_date else ""
    items = [BriefItem(text=f"{deal.name}: stage {deal.stage}{amount}{close}.")]
    if deal.verdict is None:
        items.append(BriefItem(text="Not coached yet: no note with a coach report."))
        return section("deal", items, "")
    missing = ", ".join(deal.missing) if deal.missing else "none"
    items.append(BriefItem(text=f"Missing exit criteria ({deal.stage}): {missing}."))
    risks = "; ".join(r.rstrip(". ") for r in deal.risks) if deal.risks else "none flagged"
    items.append(BriefItem(text=f"Risks: {risks}."))
    when = deal.coached_at.date().isoformat() if deal.coached_at else "unknown date"
    items.append(BriefItem(text=f"Last coach verdict: {deal.verdict} (note of {when})."))
    return section("deal", items, "")


SECTIONS: list[Callable[[BriefInput], BriefSection]] = [
    snapshot, why_now, timeline, people, hiring, talking_points, questions, open_deal
]  # fmt: skip


def rules_sections(data: BriefInput) -> list[BriefSection]:
    return [build(data) for build in SECTIONS]
