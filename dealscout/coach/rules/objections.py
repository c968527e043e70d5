"""Objections by CONTRACT §3 category, raised by the buyer (rep worries do not count)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from dealscout.coach.rules import lexicon as lx
from dealscout.coach.rules.text import Doc, Unit

OBJECTION_CUES: dict[str, tuple[str, ...]] = {
    "price": (
        r"\btoo (?:expensive|pricey|costly|high)\b|\bexpensive\b|\bcosts? more than\b|\bcheaper\b",
        r"\bdiscount\w*\b|\b\d+ ?% off\b|\b(?:lower|better) (?:price|quote|offer|number)\b",
        r"\bsignificantly lower\b|\binside (?:the|our) (?:number|budget)\b|\bcloser to \$",
        r"\b(?:over|out of) (?:our |the )?budget\b|\bcan'?t afford\b|\bsticker shock\b",
        r"\bpric(?:e|ing) (?:is|was|seems) (?:too |a bit |way )?(?:high|steep|a concern"
        r"|an issue)\b",
        r"\bpric(?:e|ing) (?:needs|has) to come down\b|\bcome down (?:on price|about \d+ ?%)\b",
        r"\btoo much\b(?! (?:going on|on (?:my|our|their|his|her) plate|else))"
        r"|\bout of (?:our )?range\b|\bcost is (?:a|the|our) (?:concern|issue"
        r"|problem)\b",
        r"\bprice (?:increase|hike)\b|\bROI (?:isn'?t|doesn'?t) (?:there|justify)\b",
        r"\b(?:more than|over|above) what (?:we|they|I) (?:pay|spend)\b|\bfeels? steep\b",
        r"\bmore than (?:we|they|I)(?:'ll| will| would| can| want to"
        r"| are willing to)? (?:pay|spend)\b"
        r"|\bcloser to (?:the|our|my) (?:budget|number)\b",
        r"\b\d+ ?% (?:under|below|less than|cheaper than) (?:your|our|the) (?:quote|price|bid"
        r"|proposal)\b|\b(?:won'?t|doesn'?t) fit (?:in )?(?:our|the) budget\b",
    ),
    "timing": (
        r"\bnot (?:right )?now\b|\bnot this (?:year|quarter)\b|\btoo busy\b|\bbad time\b",
        r"\b(?:no|zero|don'?t have the|no spare) bandwidth\b|\bnot a (?:good|great) time\b",
        r"\b(?:until|wait (?:until|till|for)|not (?:before|until)|revisit (?:it |this )?after"
        r"|circle back"
        r" after) (?:the )?(?:reorg|re-org|merger|migration|holidays|freeze)\b|\bon hold\b",
        r"\bfor at least (?:\w+ )?(?:months|weeks|quarters?)\b|\bother priorities\b|\bnot ready\b",
        r"\buntil after\b|\buntil (?:the )?[\w -]{0,25}?\b(?:closes|ends|is done|finishes|wraps"
        r"|completes|lands)\b|\bcall (?:me |us )?back (?:then|in|after|next)\b",
        r"\bput (?:this|it) on (?:hold|ice|the back burner)\b|\bpostpon\w*",
        r"\bpush(?:ed|ing)? (?:this|it) (?:out|back)\b|\bnot until\b|\buntil at least\b",
        r"\bnothing (?:new )?(?:moves|can start|happens|starts|gets? (?:signed|approved|bought))\b"
        r"|\b(?:paused|frozen) until\b|\bcan'?t start (?:before"
        r"|until)\b",
        r"\bwhen things calm down\b|\b(?:reach|circle|come) back (?:out )?(?:in|after|next)\b",
        r"\brevisit (?:this |it )?(?:in|after|next)\b|\bwait (?:until|till) (?:next|after|the)\b",
        r"\bnext (?:quarter|fiscal year)\b|\b(?:defer|deferred|delay(?:ed)?) (?:this|it|until)\b",
        r"\bcan'?t (?:do|start|sign|look at|consider|commit to) (?:anything |this |it )?(?:before"
        r"|until) (?:then|that|next)\b|\buntil (?:next |the )?(?:spring|summer|fall|autumn"
        r"|winter|new year)\b|\bon the back burner\b|\b(?:not|won'?t be) (?:for|until) a while\b",
        r"\btiming (?:isn'?t|is not) right\b|\bin the queue behind\b|\buntil there'?s a new\b",
        r"\btoo much (?:going on|on (?:my|our|their|his|her) plate)\b|\bnothing new (?:until|till"
        r"|before)\b",
        r"\bnot something we can (?:look at|consider|do)\b|\bcan'?t (?:look at|consider) (?:this"
        r"|it)"
        r" (?:before|until)\b|\b(?:maybe|perhaps|try (?:us )?again|check back"
        r"|revisit)\b[^;\n]{0,20}?"
        r"\bnext (?:year|quarter)\b",
    ),
    "competitor": lx.VENDOR_EVAL,
    "status_quo": (
        r"\b(?:handles?|handled) it (?:fine|well|ok)\b|\bworks? (?:well enough|fine|ok|okay)\b",
        r"\bgood enough\b|\b(?:rather|prefers? to) (?:keep|stick|stay|build|maintain)\w*",
        r"\bbuild (?:it|this|[\w ]{0,40}?) ourselves\b|\bcan build\b|\bfavou?rs? building\b",
        r"\b(?:stick|sticking|staying) with (?:what|the|our)\b|\bno need to (?:change|switch)\b",
        r"\bhappy with (?:our|the) current\b|\bspreadsheets? (?:work|are fine|is fine)\b",
        r"\b(?:satisfied|happy) with (?:it|them|what we have)\b|\balready handles\b",
        r"\b(?:happy|satisfied) with (?:how|the way) (?:our|we|the|their)\b",
        r"\b(?:happy|satisfied|fine) with (?:our |the )?(?:current |existing )?(?:(?-i:[A-Z])\w+"
        r"|tool|system|vendor|process|setup)\b",
        *lx.STATUS_QUO_FINE,
        lx.STATUS_QUO_INHOUSE,
    ),
    "authority": (
        r"\b(?:not|isn'?t|is not) (?:really )?(?:my|his|her|their|our) (?:call|decision)\b"
        r"|\bout of my hands\b|\b(?:take|kick|bump|send|run) (?:it|this) upstairs\b",
        r"\b(?:can'?t|cannot|don'?t|doesn'?t|do not|does not) (?:actually )?(?:sign|approve"
        r"|have (?:the )?(?:sign[- ]off|authority|final say|budget authority))\b"
        r"(?! (?:a |any |anything |to )?(?:multi-?year|long(?:er)?[- ]term|\d+[- ](?:year|month)"
        r"|(?:one|two|three|five)[- ]year)\b)",
        r"\bgo(?:es)? to (?:the|my|our|his|her) (?:board|boss|CFO|CEO|owner|partners|VP\w*)\b"
        r"[^;\n]{0,20}?\bso (?:she|he|I|we|they) (?:can'?t|cannot|couldn'?t)\b",
        r"\b(?:run|check) (?:it|this|anything(?: like this)?) (?:by|past|with) (?:my|our|the)"
        r" (?:boss|manager|CFO|CEO|VP|board|director)\b|\babove my (?:pay grade|head)\b",
        r"\bneed to (?:check|talk|run it|run this) (?:with|by) (?:my|our) (?:boss|manager|CFO|CEO"
        r"|VP"
        r"|director|partners?|board)\b",
        r"\bneed(?:s)? (?:to get )?(?:approval|sign[- ]off|buy-?in) from (?:my|our) (?:boss"
        r"|manager)",
        r"\bnot sure who (?:signs|approves|decides)\b|\bnot (?:the|a) decision[- ]maker\b",
        r"\bI'?d have to (?:take|run) (?:it|this|anything(?: like this)?) (?:to|by)\b"
        r"|\b(?:has|have) no say\b",
        r"\bcan'?t (?:move|do|sign|decide|approve) (?:anything|this|it) without\b",
        r"\bnot the (?:one|person) who (?:buys|signs|decides|approves)\b|\bno (?:say"
        r"|authority) (?:over"
        r"|on|in)\b|\b(?:nobody|no one) (?:can|is able to) (?:sign|approve)\b",
    ),
    "need": (
        r"\b(?:not|isn'?t) (?:a |much of a |really a )?(?:priority|problem I'?m looking)\b",
        r"\b(?:don'?t|do not) see (?:the |any |much )?(?:value|need|point)\b"
        r"|(?<!\()\bnice[- ]to[- ]have\b(?!\))",
        r"\bnot sold (?:we|on)\b|\bno (?:real )?need\b|\blow priority\b|\bnot convinced (?:we"
        r"|it)\b",
        r"\bnot (?:looking to solve|(?:really |even )?(?:on|high on) (?:my|our) (?:list|radar"
        r"|roadmap|agenda))\b|\bbigger fish to fry\b|\bnot (?:a|our) focus\b",
        r"\bnot sure (?:\w+ ){0,4}(?:is|are) (?:really |even )?(?:the|a|an|their|our|my)"
        r" (?:problem|issue|pain|priority)\b|\b(?:don'?t|doesn'?t|do not|does not) see (?:enough"
        r"|much|any) value\b",
        r"\b(?:don'?t|do not) (?:think )?(?:we )?(?:really )?need (?:this|it|a|an|another)\b",
        r"\b(?:don'?t|do not) see (?:why|the point|the need)\b",
        lx.NOT_A_BIG_DEAL,
    ),
    "trust_risk": (
        r"\btried (?:something|this|it|one|a tool|a similar)\b[^;\n]{0,60}?\b(?:fail\w*|died"
        r"|didn'?t work|went nowhere|flopped|never (?:used|took off))",
        r"\bburn(?:ed|t)\b|\bunproven\b|\btrack record\b|\bnever heard of you\b|\bwary\b",
        r"\b(?:wants?|asked for|need|needs|requires?|requested)\b[^;\n]{0,25}?\b(?:refs|references"
        r"|case studies)\b",
        r"\btoo (?:small|new|young|early)\b|\bunknown vendor\b|\byour size\b"
        r"|\b(?:a|an) \d+-person company\b|\bstartup risk\b",
        r"\bif you (?:get acquired|fold|go under|go out of business)\b|\bescrow\b",
        r"\b(?:send|share|provide|see|show)\b[^;\n]{0,40}?\b(?:customer |client |\w+ )?"
        r"(?:references|refs)\b",
        r"\b(?:another|a|on a) start-?up\b"
        r"|\b(?:went|go|goes|gone) (?:out of business|under|bust)\b",
    ),
    "security_compliance": (
        r"\bwon'?t clear (?:you|us)\b|\bsecurity (?:concerns?|risks?|issues?|worries)\b",
        r"\bnot compliant\b|\b(?:concern(?:s|ed)?|worried|wary) about (?:\w+ )?(?:security|privacy"
        r"|data|sub-?processors?|compliance|hosting)\b",
    ),
    "integration": (
        r"\bwon'?t work with (?:our|their)\b|\b(?:doesn'?t|does not|won'?t) integrate\b",
        r"\bintegration (?:effort|concerns?|risk|work|issues?|lift)\b|\bheavy lifting\b",
        r"\bimplementation (?:effort|burden|lift|concerns?)\b|\beng(?:ineering)? (?:lift|effort)\b",
        r"\bno (?:capacity|bandwidth|time|people) to (?:build|implement|integrate|set up"
        r"|maintain)\b",
        r"\bIT (?:resources?|bandwidth|capacity)\b|\bno (?:spare )?(?:developers|engineers|devs)\b",
        r"\b(?:don'?t|do not) have (?:an? )?(?:IT|dev|engineering) (?:person|team|staff"
        r"|resources?)",
        r"\bcan'?t absorb (?:another|a) (?:migration|implementation|project)\b|\bstill beta\b",
        r"\b(?:is|in|on a) beta\b|\bfield mapping\b|\bnot compatible\b|\bincompatib\w+",
        r"\bmigrat(?:e|ion of) (?:our|the|their) (?:old |legacy |historical )?\w*\s?data\b",
        r"\bon-?prem\w*\b|\bair-?gapped\b|\bheavily customi[sz]ed\b",
        r"\b(?:(?-i:IT)|dev|engineering|eng|data|tech) (?:team|folks|group|dept|department|staff"
        r"|people)?"
        r" ?(?:is|are|'s|'re) (?:\w+ )?(?:swamped|slammed|stretched|maxed|overloaded|underwater"
        r"|buried|tapped out|at capacity)\b",
        r"\bcan'?t take on (?:another|a new|an?|the|any more) (?:\w+ )?(?:interface|integration"
        r"|setup|set-up|connector|implementation|rollout|migration|project)\b",
        r"\b(?:implementation|integration|set-?up|rollout|migration) (?:sounds|looks|seems|is|will"
        r" be|would be) (?:\w+ )?(?:heavy|hard|painful|complex|complicated|daunting|a lot)\b",
        r"\b(?:don'?t|do not) have anyone to (?:run|build|implement|manage|maintain|support)\b"
        r"|\b(?:looks|sounds|seems) like a lot of work\b",
        r"\b(?:we'?ve got|we have|there'?s|we got) (?:nobody|no one|no-one)\b|\bno one to"
        r" (?:build|implement|set|run|maintain)\b",
        r"\b(?:sync|integration|migration|implementation|set-?up|rollout|rostering)\b[^;\n]{0,30}?"
        r"\bwill take\b[^;\n]{0,25}?\b(?:team|all|months|weeks|summer|quarter|year)\b",
        r"\bintegration\b[^;\n]{0,30}?\b(?:will|would|could|might)\b[^;\n]{0,20}?\b(?:eat|take|cost"
        r"|consume|burn|be (?:hard|painful|a problem))\b|\b(?:worried"
        r"|concerned) (?:about )?(?:the )?"
        r"integration\b",
    ),
    "contract_terms": (
        r"\bcontract (?:length|term)\b|\b(?:\d+|one|two|three|multi)[- ]year (?:term|commitment"
        r"|contract|lock-?in)\b|\bauto-?renew\w*|\btermination for convenience\b",
        r"\bcancell?able\b|\bpayment terms\b|\bnet[- ]?\d{2,3}\b|\bliability\b|\bindemnif\w+",
        r"\bescalators?\b",
        r"\b\d+[- ]month (?:term|contract|commitment)\b|\bmulti-?year\b|\binstead of annual\b",
        r"\b(?:monthly|quarterly) (?:payments?|invoic\w+)\b|\bannual(?:ly)? (?:upfront"
        r"|in advance)\b",
        r"\b(?:quarterly|monthly) billing\b|\binvoiced (?:after|quarterly|monthly)\b"
        r"|\bSLA credits\b",
        r"\bnot locked\b",
    ),
}
# A budget cut or freeze is a price objection only while the budget stays cut (CONTRACT §6).
BUDGET_CUT = (
    r"\b(?:froze|freez\w+|paused|halted)\b[^;\n]{0,25}?\b(?:spend|spending|budgets?|purchases?"
    r"|purchasing)\b",
    r"\bbudget (?:cut|freeze|frozen|slashed)\b"
    r"|\bcut (?:the |our |their )?(?:[\w'’-]+ ){0,3}budget\b",
    lx.BUDGET_CUT_PASSIVE,
    lx.BUDGET_GONE,
    r"\b(?:spend|spending|budget|earmark|funding|funds?|purchases?|purchasing)\b[^;\n]{0,25}?"
    r"\b(?:frozen|pulled|cut|halted"
    r"|withdrawn|slashed|paused)\b|\b(?:freeze|pause) on (?:spend|spending)\b",
)
# Compliance frameworks are a step (paper process) unless the line raises them as a concern.
COMPLIANCE_TERMS = (
    r"\bSOC ?2\b|\bISO ?27001\b|\bGDPR\b|\bHIPAA\b|\bFERPA\b|\bHECVAT\b|\bStateRAMP\b"
    r"|\bFedRAMP\b|\bCJIS\b|\bPCI(?:[- ]DSS)?\b|\bdata[- ]residency\b|\bsub-?processors?\b"
    r"|\bpen-?test\b|\b(?:US|EU|UK)[- ]only (?:processing|hosting|data)\b"
    r"|\bstays? in (?:the )?(?:US|EU|UK)\b"
)
CONCERN = (
    r"\b(?:won'?t|can'?t|cannot|expired|concern\w*|worr\w*|stall\w*|hard stop|non-?starter"
    r"|blocker|wary|not (?:yet )?(?:compliant|certified)|we'?re not|isn'?t|aren'?t|fail\w*"
    r"|in writing|written confirmation|before (?:they|we) (?:go|can|move)|unless|only if)\b"
)
_COMPILED = {
    cat: [re.compile("|".join(f"(?:{p})" for p in pats), re.I)]
    for cat, pats in OBJECTION_CUES.items()
}
_COMPLIANCE = re.compile(COMPLIANCE_TERMS, re.I)
_CONCERN = re.compile(CONCERN, re.I)
_BUDGET_CUT = [re.compile("|".join(f"(?:{p})" for p in BUDGET_CUT), re.I)]
# Units in which a cue is not a buyer objection: rep actions and "it never came up".
_NOT_RAISED = re.compile(
    r"\b(?:didn'?t|did not|never|hasn'?t|not) come up\b|\bcame up\b.{0,8}\bno\b|\bno (?:objections?"
    r"|blockers|concerns)\b|\bneither came up\b",
    re.I,
)
_REP_ACTION = re.compile(
    r"^\s*[-*•]?\s*(?:(?:next(?: steps?)?|nxt|todo|action)\s*:|(?:i'?ll |i will "
    r"|will )?send(?:ing)?"
    r" (?:refs|over|the|a|him|her|them)\b|told (?:him|her|them)\b|replied\b|accepted\b)",
    re.I,
)
# The deal moving again after a hold or freeze.
_RESUMED = re.compile(
    r"\bback on\b|\boff hold\b|\bunfr[oe]\w*|\breinstated\b|\bresum(?:ed|es|ing)\b"
    r"|\b(?:freeze|hold|pause) (?:is |was |has been )?lifted\b"
    r"|\blifted the (?:freeze|hold|pause)\b|\blet'?s go\b|\bgreen[- ]?lit\b|\bgreen light\b"
    r"|\bback in (?:the |her |his |their |our )?budget\b",
    re.I,
)
# A line where the buyer accepted the terms ("signed as proposed, no redlines").
_ACCEPTED_TERMS = re.compile(r"\bas proposed\b|\bno redlines\b|\bstandard terms\b", re.I)


@dataclass(frozen=True)
class Objection:
    category: str
    evidence: str


def find_objections(doc: Doc, *, budget_cut: bool = False) -> list[Objection]:
    """First buyer-raised quote per category, in CONTRACT §3 order.

    ``budget_cut``: the budget ended contradicted, so a cut or freeze is a price objection.
    """
    found: list[Objection] = []
    for category, patterns in _COMPILED.items():
        if category == "price" and budget_cut:
            patterns = patterns + _BUDGET_CUT
        hit = _first_hit(doc, category, patterns)
        if category == "timing" and hit is not None:
            hit = _after_resumption(doc, category, patterns, hit)
        if hit is not None:
            found.append(Objection(category, doc.text[hit.start : hit.end].strip()))
    return found


def _after_resumption(
    doc: Doc, category: str, patterns: list[re.Pattern[str]], hit: Unit
) -> Unit | None:
    """A hold that was later lifted ("on hold in Aug -> back on 9/2") no longer defers."""
    resumed = [m.end() for m in _RESUMED.finditer(doc.text) if m.start() >= hit.start]
    if not resumed:
        return hit
    return _first_hit(doc, category, patterns, start=resumed[-1])


def _first_hit(
    doc: Doc, category: str, patterns: list[re.Pattern[str]], start: int = 0
) -> Unit | None:
    """The earliest unit (from ``start``) where the buyer raises the category."""
    best: Unit | None = None
    for pattern in _with_compliance(doc, category, patterns):
        pos = start
        while (m := pattern.search(doc.text, pos)) is not None:
            unit = doc.unit_at(m.start())
            if best is not None and unit.start >= best.start:
                break
            if _counts(doc, category, unit, m.start()):
                best = unit
                break
            pos = m.start() + 1  # a rejected match must not hide an overlapping one
    return best


def _with_compliance(
    doc: Doc, category: str, patterns: list[re.Pattern[str]]
) -> list[re.Pattern[str]]:
    if category == "security_compliance" and any(
        _compliance_concern(line.text) for line in doc.lines
    ):
        return patterns + [_COMPLIANCE]
    return patterns


def _counts(doc: Doc, category: str, unit: Unit, pos: int) -> bool:
    line = doc.line_at(pos).text
    if category == "contract_terms" and _ACCEPTED_TERMS.search(line):
        return False
    compliance = category == "security_compliance" and _COMPLIANCE.match(doc.text, pos)
    if compliance and not _compliance_concern(line):
        return False
    return _raised_by_buyer(doc, unit, pos)


def _compliance_concern(text: str) -> bool:
    return bool(_COMPLIANCE.search(text) and _CONCERN.search(text))


def buyer_raised(doc: Doc, unit: Unit) -> bool:
    """The clause is the buyer's: not the rep's line, action, belief or "never came up"."""
    return _raised_by_buyer(doc, unit, unit.start)


def _raised_by_buyer(doc: Doc, unit: Unit, pos: int) -> bool:
    text = doc.text[unit.start : unit.end]
    if unit.rep_line or _NOT_RAISED.search(text) or _REP_ACTION.match(text):
        return False
    return not unit.rep_belief(pos)
