"""Rules and the semantic layer together: the layer proposes, the polarity rules decide.

The rules engine answers first. Where it found nothing, a unit the semantic model scores
above a label's threshold may fill the gap, unless a rule vetoes it: the rep's hedged
belief, a question, a negation (which may flip the proposal to ``contradicted``), a
next step without a specific day, a timeline without a timeframe, a "metric" that is only a
budget amount, an economic buyer who is not a person. A later contradicting unit overturns
an earlier rules ``met`` (the latest word wins). Every item records the layer that decided
it; a vetoed proposal is recorded on the criterion as ``overruled``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dealscout.coach.rules.criteria import future_day
from dealscout.coach.rules.dates import timeframes
from dealscout.coach.rules.objections import buyer_raised
from dealscout.coach.rules.people import mentions_person
from dealscout.coach.rules.text import Doc, Unit
from dealscout.coach.schemas import CriterionResult, ObjectionResult
from dealscout.coach.semantic import CONTRADICTED_CRITERIA, MET_CRITERIA, TextUnit, UnitScores
from dealscout.coach.vocab import OBJECTIONS

_NEGATOR = re.compile(
    r"\b(?:not|no|never|nothing|none|nobody|zero|without|cannot|can'?t|won'?t|don'?t"
    r"|doesn'?t|didn'?t|isn'?t|aren'?t|wasn'?t|haven'?t|hasn'?t)\b|n't\b",
    re.I,
)
_NEGATABLE = frozenset(
    {"budget", "economic_buyer", "pain", "champion", "timeline", "next_step", "competition"}
)
_TITLE = re.compile(
    r"\b(?:C[EFOTIR]O|CISO|CRO|VP|SVP|EVP|MD|GM|director|head of|owner|founder|president"
    r"|controller|managing partner|partner|chief|treasurer|principal|superintendent|dean)\b",
    re.I,
)
_BODY_ONLY = re.compile(r"\b(?:board|committee|council)\b", re.I)
_MONEY_ONLY = re.compile(r"\b(?:budget|price|pricing|discount|quote|cost|approv\w*|spend)\b", re.I)
_TIMING = re.compile(
    r"\b(?:before|by|until|end of|start of|this|next|within|in) (?:the )?\w+|\b(?:Q[1-4]|H[12]"
    r"|EOQ|EOY|EOM)\b|\b(?:weeks?|months?|quarters?|years?)\b",
    re.I,
)
_BUDGET_WORDS = re.compile(r"\bbudget\b|\bfr[oe]ze\w*|\bcut\b|\bline item\b|\bmoney\b", re.I)
_NOT_DISCUSSED = re.compile(
    r"\b(?:didn'?t|did not|never|hasn'?t|not) (?:come up|came up|discuss\w*|ask\w*|cover\w*"
    r"|talk\w* about|get to)\b|\bnot (?:yet )?(?:discussed|asked|covered)\b|\bno answer\b",
    re.I,
)
_THRESHOLD = re.compile(
    r"\b(?:over|above|more than|exceed\w*|anything over|up to)\s+[$€£]?\s?\d", re.I
)
_VAGUE = re.compile(
    r"\b(?:maybe|sometime|some time|at some point|eventually|tbd|soon|someday|tentative\w*)\b",
    re.I,
)
_NONE = re.compile(r"[:=-]\s*(?:none|n/a)\b|\bnone (?:mentioned|raised|yet|so far)\b", re.I)
_AUTHORITY = re.compile(
    r"\b(?:sign\w*|approv\w*|budget|final|decid\w*|decision|owns?|EB|DM|economic buyer"
    r"|authority|P&L|purse|holds?|controls?|say|buyer|pays?|funds?|spend)\b",
    re.I,
)
_ALTERNATIVE = re.compile(
    r"\b(?:use[sd]?|using|already|evaluat\w*|talking to|looking at|compar\w*|incumbent|build"
    r"|built|in-?house|homegrown|home-grown|spreadsheets?|excel|sheets?|manual\w*|quot\w*|vs\.?"
    r"|versus|switch\w*|contract with|signed|tried|shortlist\w*|RFP|bake-?off|alternative"
    r"|current\w*|today|competitors?|instead|other vendors?|licen[cs]e|pay(?:ing)?|happy with"
    r"|runs? on|on (?:a|an|the|their|our) \w+|stick\w*|keep\w*|status quo|by hand)\b",
    re.I,
)
_ACTION = re.compile(
    r"\b(?:call|meet\w*|demo|session|workshop|review|send\w*|sends|kick-?off|follow[- ]?up|visit"
    r"|onsite|on-site|invite\w*|booked|scheduled|agreed|next|present\w*|walk\w*|sync|chat|talk"
    r"|intro\w*|reference|confirm\w*|reply|respond|share|deliver|trial|pilot|start\w*)\b",
    re.I,
)
_CONCERN = re.compile(
    r"\?|\b(?:concern\w*|worr\w*|nervous|won'?t|can'?t|cannot|blocker|block\w*|not|no|must|only"
    r" if|unless|fail\w*|wary|risk\w*|policy)\b",
    re.I,
)


OFF_QUOTE = 0.3  # below this the model does not read the rules' quote as its category


@dataclass(frozen=True)
class Proposal:
    row: int
    unit: TextUnit
    prob: float


def blend_criteria(
    doc: Doc,
    results: dict[str, CriterionResult],
    scores: UnitScores,
    competitors: Sequence[str] = (),
) -> dict[str, CriterionResult]:
    """The rules' criteria with the semantic layer's vetted proposals merged in."""
    merged = dict(results)
    for cid in MET_CRITERIA:
        if cid in merged:
            merged[cid] = _criterion(doc, cid, merged[cid], scores)
    for cid in set(CONTRADICTED_CRITERIA) - set(MET_CRITERIA):
        if cid in merged and merged[cid].status != "contradicted":
            merged[cid] = _contradiction(doc, cid, merged[cid], scores) or merged[cid]
    if competitors and merged["competition"].status == "missing":
        named = _names_competitor(doc, scores.units, competitors)
        if named is not None:
            merged["competition"] = CriterionResult(
                id="competition", status="met", evidence=named.text, engine="rules"
            )
    return merged


def _criterion(doc: Doc, cid: str, current: CriterionResult, scores: UnitScores) -> CriterionResult:
    if cid in CONTRADICTED_CRITERIA:
        flipped = _contradiction(doc, cid, current, scores)
        if flipped is not None:
            return flipped
    if current.status != "missing":
        return current
    overruled: str | None = None
    for p in _proposals(scores, f"{cid}:met"):
        reason = _met_veto(doc, cid, p)
        if reason is None:
            return CriterionResult(id=cid, status="met", evidence=p.unit.text, engine="semantic")
        note = f"semantic proposed met ({p.prob:.2f}) from {p.unit.text!r}; rules: {reason}"
        if reason == "negated" and cid in CONTRADICTED_CRITERIA:
            return CriterionResult(
                id=cid, status="contradicted", evidence=p.unit.text, engine="rules", overruled=note
            )
        overruled = overruled or note
    return current.model_copy(update={"overruled": overruled}) if overruled else current


def _contradiction(
    doc: Doc, cid: str, current: CriterionResult, scores: UnitScores
) -> CriterionResult | None:
    """A contradicting unit after the rules' last word (or where they found nothing)."""
    if current.status == "contradicted":
        return None
    after = _evidence_end(doc.text, current) if current.status == "met" else -1
    for p in reversed(_proposals(scores, f"{cid}:contradicted")):
        if p.unit.start < after:
            break
        if _met_veto(doc, "", p) not in (None, "negated"):
            continue
        if cid in MET_CRITERIA and p.prob < scores.prob(p.row, f"{cid}:met"):
            continue
        return CriterionResult(
            id=cid, status="contradicted", evidence=p.unit.text, engine="semantic"
        )
    return None


def _evidence_end(notes: str, result: CriterionResult) -> int:
    quotes = result.evidence if isinstance(result.evidence, list) else [result.evidence]
    ends = [notes.find(q) + len(q) for q in quotes if q and q in notes]
    return max(ends, default=len(notes))


def _proposals(scores: UnitScores, label: str) -> list[Proposal]:
    return [Proposal(row, scores.units[row], prob) for row, prob in scores.proposals(label)]


def _met_veto(doc: Doc, cid: str, p: Proposal) -> str | None:
    """Why the rules refuse this unit as `met` evidence for ``cid`` (None: accepted)."""
    text = p.unit.text
    if _belief(doc, p.unit):
        return "the rep's belief, not the buyer's word"
    if not all(buyer_raised(doc, c) for c in _clauses(doc, p.unit)):
        return "the rep's own action"
    if text.rstrip().endswith("?"):
        return "a question is not evidence"
    if _NOT_DISCUSSED.search(text):
        return "not discussed"
    if cid in _NEGATABLE and _NEGATOR.search(text):
        return "negated"
    check = _CHECKS.get(cid)
    return check(doc, p.unit) if check else None


def _belief(doc: Doc, unit: TextUnit) -> bool:
    """Any clause of the unit is the rep's line or the rep's hedged belief."""
    for clause in _clauses(doc, unit):
        if clause.rep_line:
            return True
        if clause.hedge_at is not None and clause.rep_belief(clause.hedge_at):
            return True
    return False


def _clauses(doc: Doc, unit: TextUnit) -> list[Unit]:
    return [u for u in doc.units() if u.start < unit.end and u.end > unit.start]


def _next_step(doc: Doc, unit: TextUnit) -> str | None:
    if not future_day(unit.text):
        return "no specific future day"
    return None if _ACTION.search(unit.text) else "no agreed action on that day"


def _timeline(doc: Doc, unit: TextUnit) -> str | None:
    if _VAGUE.search(unit.text):
        return "a vague timeframe"
    return None if timeframes(unit.text) or _TIMING.search(unit.text) else "no timeframe"


def _budget(doc: Doc, unit: TextUnit) -> str | None:
    if _THRESHOLD.search(unit.text) and re.search(r"\bapprov|\bsign", unit.text, re.I):
        return "an approval threshold is not a budget"
    return None


def _competition(doc: Doc, unit: TextUnit) -> str | None:
    return None if _ALTERNATIVE.search(unit.text) else "no alternative in use or evaluated"


def _metrics(doc: Doc, unit: TextUnit) -> str | None:
    text = unit.text
    if not re.search(r"\d|\b(?:half|double|twice|triple|dozen|hundreds?|thousands?)\b", text):
        return "no number"
    measures = re.sub(r"[$€£]\s?\d[\d,.]*\s?[kKmM]?|\d[\d,.]*\s?(?:k|K|EUR|USD|lakhs?)\b", "", text)
    if _MONEY_ONLY.search(text) and not re.search(r"\d", measures):
        return "a budget or price amount is not a metric"
    return None


def _economic_buyer(doc: Doc, unit: TextUnit) -> str | None:
    person = _TITLE.search(unit.text) or mentions_person(doc, unit.start, unit.end)
    if not person:
        return "no person named or titled"
    if not _AUTHORITY.search(unit.text):
        return "no budget authority stated"
    if _BODY_ONLY.search(unit.text) and not _TITLE.search(unit.text):
        return "a board or committee is not a person"
    return None


_CHECKS: dict[str, Callable[[Doc, TextUnit], str | None]] = {
    "next_step": _next_step,
    "timeline": _timeline,
    "metrics": _metrics,
    "economic_buyer": _economic_buyer,
    "budget": _budget,
    "competition": _competition,
}


def _names_competitor(
    doc: Doc, units: Sequence[TextUnit], competitors: Sequence[str]
) -> TextUnit | None:
    """The first buyer-side unit naming one of the workspace's known competitors."""
    names = [
        re.compile(rf"(?<!\w){re.escape(n.strip())}(?!\w)", re.I) for n in competitors if n.strip()
    ]
    for unit in units:
        if any(n.search(unit.text) for n in names) and not _belief(doc, unit):
            return unit
    return None


def blend_objections(
    doc: Doc,
    found: list[ObjectionResult],
    scores: UnitScores,
    *,
    budget_cut: bool,
) -> list[ObjectionResult]:
    """The rules' objections plus vetted semantic ones, in CONTRACT §3 order."""
    by_category = {o.category: o for o in found}
    for category in OBJECTIONS:
        label = f"obj:{category}"
        proposals = [
            p for p in _proposals(scores, label) if _raised(doc, category, p, scores, budget_cut)
        ]
        if not proposals:
            continue
        best = max(proposals, key=lambda p: p.prob)
        current = by_category.get(category)
        if current is None or _off_quote(current, scores, label):
            by_category[category] = ObjectionResult(
                category=category, evidence=best.unit.text, engine="semantic"
            )
    return [by_category[c] for c in OBJECTIONS if c in by_category]


def _raised(doc: Doc, category: str, p: Proposal, scores: UnitScores, budget_cut: bool) -> bool:
    """A buyer raised it: not the rep's line, belief or action; budget cuts only while cut."""
    if _belief(doc, p.unit) or not all(buyer_raised(doc, c) for c in _clauses(doc, p.unit)[:1]):
        return False
    if _NOT_DISCUSSED.search(p.unit.text) or _NONE.search(p.unit.text):
        return False
    if category == "price":
        if scores.prob(p.row, "budget:met") >= p.prob:
            return False  # a budget confirmed is not a price objection
        cut = scores.prob(p.row, "budget:contradicted")
        if not budget_cut and cut > p.prob and _BUDGET_WORDS.search(p.unit.text):
            return False
    if category == "security_compliance":
        step = scores.prob(p.row, "paper_process:met")
        return step < p.prob or bool(_CONCERN.search(p.unit.text))
    return True


def _off_quote(current: ObjectionResult, scores: UnitScores, label: str) -> bool:
    """The rules' quote is a unit the model finds unrelated to its category."""
    rows = [i for i, u in enumerate(scores.units) if current.evidence in u.text]
    return bool(rows) and max(scores.prob(i, label) for i in rows) < OFF_QUOTE


def candidate_units(scores: UnitScores, labels: Sequence[str], per_label: int) -> list[TextUnit]:
    """The units most likely to matter for ``labels``, in note order (for the LLM prompt)."""
    rows = {row for label in labels for row in scores.ranked(label, per_label)}
    return [scores.units[r] for r in sorted(rows)]
