"""Per-criterion judges: (status, evidence) for the twelve CONTRACT §2 ids and stage ids."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dealscout.coach.rules import lexicon as lx
from dealscout.coach.rules.cues import CONTRADICTED, MET, RESET, Cue, Hit, cue, find_hits, latest
from dealscout.coach.rules.dates import specific_days
from dealscout.coach.rules.metrics import METRIC_CUES
from dealscout.coach.rules.people import buyer_people, mentions_person
from dealscout.coach.rules.text import Doc, paper_step_near

Evidence = str | list[str] | None


@dataclass(frozen=True)
class Verdict:
    status: str  # met | contradicted | missing
    evidence: Evidence = None


MISSING = Verdict("missing")


def cues_of(
    met: Sequence[str] = (),
    neg: Sequence[str] = (),
    reset: Sequence[str] = (),
    check: Callable[[Doc, int, int], bool] | None = None,
) -> tuple[Cue, ...]:
    """One cue per polarity: the patterns joined in one alternation (one scan of the note)."""
    groups = ((met, MET, check), (neg, CONTRADICTED, None), (reset, RESET, None))
    return tuple(cue(_either(ps), pol, chk) for ps, pol, chk in groups if ps)


def _either(patterns: Sequence[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def verdict_from(doc: Doc, hits: Sequence[Hit]) -> Verdict:
    """Latest word wins; a reset (e.g. "no date yet") sends the criterion back to missing."""
    last = latest(hits)
    if last is None or last.polarity == RESET:
        return MISSING
    status = "met" if last.polarity == MET else "contradicted"
    return Verdict(status, doc.span(last.start, last.end))


def judge_cues(doc: Doc, cues: Sequence[Cue]) -> Verdict:
    return verdict_from(doc, find_hits(doc, cues))


def _person_in_unit(doc: Doc, start: int, end: int) -> bool:
    """A buyer-side person is named in the units the match spans (or, for "he"/"she", the
    unit before it on the same line)."""
    first, last = doc.unit_at(start).start, doc.unit_at(max(start, end - 1)).end
    if re.match(r"(?:he|she)\b", doc.text[first:last], re.I) and first > 0:
        before = doc.unit_at(first - 1)
        if doc.line_at(before.start) is doc.line_at(first):
            first = before.start
    if mentions_person(doc, first, last):
        return True
    first_names = {p.key for p in buyer_people(doc) if p.title is None or p.key != p.title}
    words = {w.lower().strip(",.:'()") for w in doc.text[first:last].split()}
    return bool(first_names & words)


def _buyer_voice(doc: Doc, start: int, end: int) -> bool:
    """Inside quoted buyer speech or on a buyer speaker's transcript line."""
    unit = doc.unit_at(start)
    return unit.speaker_line or any(a <= start < b for a, b in unit.quotes)


def _not_about_price(doc: Doc, start: int, end: int) -> bool:
    unit = doc.unit_at(start)
    return not re.search(lx.PRICE_WORDS, doc.text[unit.start : unit.end], re.I)


def _not_paper_step(doc: Doc, start: int, end: int) -> bool:
    """What legal or procurement requires, or how long it takes, is their process."""
    return not paper_step_near(doc, start)


def _not_requirement_line(doc: Doc, start: int, end: int) -> bool:
    """E-signature in a list of must-haves is a product feature, not a paper step."""
    return not re.search(lx.REQUIREMENT_LINE, doc.line_at(start).text, re.I)


def _other_step(doc: Doc, start: int, end: int) -> bool:
    return bool(re.search(lx.OTHER_STEP, doc.text[:start] + doc.text[end:], re.I))


def _not_conditional(doc: Doc, start: int, end: int) -> bool:
    unit = doc.unit_at(start)
    return not re.search(lx.CHAMPION_CONDITIONAL, doc.text[unit.start : start], re.I)


BUDGET = cues_of(lx.BUDGET_POS, lx.BUDGET_NEG)
ECONOMIC_BUYER = (
    cues_of(lx.EB_POS_PERSON, check=_person_in_unit)
    + cues_of(lx.EB_FIRST_PERSON, check=_buyer_voice)
    + cues_of(lx.EB_POS, lx.EB_NEG)
)
PAIN = cues_of(lx.PAIN_POS, lx.PAIN_NEG, lx.PAIN_RESET) + cues_of(
    lx.PAIN_DURATION, check=_not_paper_step
)
TIMELINE = cues_of(lx.TIMELINE_POS, reset=lx.TIMELINE_RESET)
DECISION_CRITERIA = (
    cues_of(lx.DECISION_CRITERIA_POS)
    + cues_of(lx.NON_STARTER, check=_not_about_price)
    + cues_of(lx.REQUIRED, check=_not_paper_step)
)
DECISION_PROCESS = cues_of(lx.DECISION_PROCESS_POS) + cues_of(lx.FINAL_SAY, check=_other_step)
PAPER_PROCESS = cues_of(lx.PAPER_POS) + cues_of(lx.PAPER_SIGN, check=_not_requirement_line)
CHAMPION = cues_of(lx.CHAMPION_POS, check=_not_conditional) + cues_of(neg=lx.CHAMPION_NEG)
COMPETITION = cues_of(lx.VENDOR_EVAL + lx.STATUS_QUO_ALT)
MEETING_ACCEPTED = cues_of(lx.MEETING_ACCEPTED_POS, lx.MEETING_ACCEPTED_NEG)
PROPOSAL_REQUESTED = cues_of(lx.PROPOSAL_REQUESTED_POS)
CONTRACT_SIGNED = cues_of(lx.CONTRACT_SIGNED_POS)
HANDOFF = cues_of(lx.HANDOFF_POS)


def dated_hits(doc: Doc, required: str | None = None) -> list[Hit]:
    """Units with a specific future day and a forward-looking cue (optionally a topic word)."""
    hits: list[Hit] = []
    for unit in doc.units():
        text = doc.text[unit.start : unit.end]
        booked = re.search(lx.BOOKED, text, re.I)
        if (unit.rep_line and not booked) or text.endswith("?"):
            continue
        if required and not re.search(required, text, re.I):
            continue
        if re.search(lx.GOVERNANCE_MEETING, text, re.I) or re.search(lx.DEPARTURE, text, re.I):
            continue
        after = _after_reschedule(text)
        for m in specific_days(text):
            if m.start() < after:
                continue
            pos = unit.start + m.start()
            if unit.hedged(pos) or _past_reference(text, m.start()) or _header_date(text, m.end()):
                continue
            if re.search(lx.NEXT_STEP_CUE, text, re.I):
                hits.append(Hit(unit.start, unit.end, MET))
                break
    return hits


def _after_reschedule(text: str) -> int:
    """Where dates may count in a unit: none of a cancelled meeting's, only a new one's."""
    if not re.search(lx.CANCELLED, text, re.I):
        return 0
    moved = list(re.finditer(lx.RESCHEDULED, text, re.I))
    return moved[-1].end() if moved else len(text) + 1


def future_day(text: str) -> bool:
    """A specific day in ``text`` that is not a past meeting or a log header's date."""
    return any(
        not _past_reference(text, m.start()) and not _header_date(text, m.end())
        for m in specific_days(text)
    )


def _header_date(text: str, date_end: int) -> bool:
    """A dated log header ("call w/ Jade 7/2: ...") records a meeting that already happened."""
    return bool(re.match(r"\s*:\s", text[date_end:]))


def _past_reference(text: str, date_pos: int) -> bool:
    if re.search(lx.PAST_BEFORE_DATE, text[:date_pos], re.I):
        return True
    return bool(re.search(lx.PAST, text, re.I)) and not re.search(lx.NEXT_STEP_STRONG, text, re.I)


def judge_next_step(doc: Doc) -> Verdict:
    negatives = find_hits(doc, cues_of(neg=lx.NEXT_STEP_NEG, reset=lx.NEXT_STEP_RESET))
    return verdict_from(doc, dated_hits(doc) + negatives)


def judge_proposal_review(doc: Doc) -> Verdict:
    words, review = lx.PROPOSAL_WORDS, lx.REVIEW_WORDS
    required = rf"{words}[^\n]*{review}|{review}[^\n]*{words}"
    negatives = find_hits(doc, cues_of(neg=lx.NEXT_STEP_NEG))
    return verdict_from(doc, dated_hits(doc, required) + negatives)


def judge_champion(doc: Doc) -> Verdict:
    """Cues, plus a departure that follows an advocate's line or names the advocate."""
    hits = find_hits(doc, CHAMPION)
    advocates = [h for h in hits if h.polarity == MET]
    names = {n for h in advocates if (n := _subject(doc, h.start))}
    for m in re.finditer(lx.DEPARTURE, doc.text, re.I):
        same_line = any(
            h.end <= m.start() and doc.line_at(h.start) is doc.line_at(m.start()) for h in advocates
        )
        own = _first_person(doc, m.start()) and any(_first_person(doc, h.start) for h in advocates)
        if same_line or own or _subject(doc, m.start()) in names:
            hits.append(Hit(m.start(), m.end(), CONTRADICTED))
    return verdict_from(doc, hits)


def _first_person(doc: Doc, pos: int) -> bool:
    """The buyer speaking of themself ("I've accepted a role…"), in their own quoted words."""
    unit = doc.unit_at(pos)
    return _buyer_voice(doc, pos, pos) and bool(
        re.search(r"\b(?:I|I'?ve|I'?m|my)\b", doc.text[unit.start : pos], re.I)
    )


def judge_economic_buyer(doc: Doc) -> Verdict:
    """Cues, plus a later departure of the person named as the signer ("Paula resigned")."""
    hits = find_hits(doc, ECONOMIC_BUYER)
    departures = list(re.finditer(lx.DEPARTURE, doc.text, re.I))
    if departures:
        keys = {p.key for p in buyer_people(doc)}
        signers = (doc.unit_at(h.start) for h in hits if h.polarity == MET)
        names = {
            word
            for unit in signers
            for w in doc.text[unit.start : unit.end].split()
            if (word := w.lower().strip(",.:'()")) in keys
        }
        hits += [
            Hit(m.start(), m.end(), CONTRADICTED)
            for m in departures
            if _subject(doc, m.start()) in names
        ]
    return verdict_from(doc, hits)


def _subject(doc: Doc, pos: int) -> str | None:
    """The first buyer-side person's first name in the unit before ``pos``."""
    keys = {p.key for p in buyer_people(doc)}
    unit = doc.unit_at(pos)
    words = (w.lower().strip(",.:'()") for w in doc.text[unit.start : pos].split())
    return next((w for w in words if w in keys), None)


def judge_stakeholders(doc: Doc) -> Verdict:
    single = judge_cues(doc, cues_of(neg=lx.STAKEHOLDERS_NEG))
    if single.status == "contradicted":
        return single
    people = buyer_people(doc)
    if len(people) >= 3:
        return Verdict("met", [p.quote for p in people])
    return MISSING


def judge_meeting_accepted(doc: Doc) -> Verdict:
    return judge_cues(doc, MEETING_ACCEPTED)


JUDGES: dict[str, Callable[[Doc], Verdict]] = {
    "budget": lambda d: judge_cues(d, BUDGET),
    "economic_buyer": judge_economic_buyer,
    "pain": lambda d: judge_cues(d, PAIN),
    "timeline": lambda d: judge_cues(d, TIMELINE),
    "metrics": lambda d: judge_cues(d, METRIC_CUES),
    "decision_criteria": lambda d: judge_cues(d, DECISION_CRITERIA),
    "decision_process": lambda d: judge_cues(d, DECISION_PROCESS),
    "paper_process": lambda d: judge_cues(d, PAPER_PROCESS),
    "champion": judge_champion,
    "competition": lambda d: judge_cues(d, COMPETITION),
    "next_step": judge_next_step,
    "stakeholders": judge_stakeholders,
    "meeting_accepted": judge_meeting_accepted,
    "proposal_requested": lambda d: judge_cues(d, PROPOSAL_REQUESTED),
    "proposal_review_date": judge_proposal_review,
    "contract_signed": lambda d: judge_cues(d, CONTRACT_SIGNED),
    "handoff_complete": lambda d: judge_cues(d, HANDOFF),
}


def judge_phrases(doc: Doc, cues: Sequence[str], negative: Sequence[str] = ()) -> Verdict:
    """A process file's own criterion, judged from its plain cue phrases."""
    pos = [rf"\b{re.escape(p)}\b" for p in cues]
    neg = [rf"\b{re.escape(p)}\b" for p in negative]
    return judge_cues(doc, cues_of(pos, neg))
