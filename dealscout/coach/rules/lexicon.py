"""Cue lexicons per criterion (CONTRACT §2, §4, §6). Data only; the judging is elsewhere.

Patterns run case-insensitively on one line at a time; short gaps (``[^;\n]{0,N}?``) keep a
cue inside one stretch of thought so words from different thoughts do not pair up.
"""

from __future__ import annotations

from dealscout.coach.rules.dates import TIMEFRAME

_GAP = r"[^;\n]{0,40}?"
_CUR = r"(?:USD|EUR|GBP|NOK|SEK|DKK|CHF|AUD|CAD|NZD|INR|JPY)"
AMOUNT = (
    rf"(?:[$€£]\s?\d[\d,.]*\s?(?:k|m|mm|bn|million|thousand)?\b|\b{_CUR}\s?\d[\d,.]*\s?(?:k|m)?\b"
    rf"|\b\d[\d,.]*\s?(?:k|m|million|thousand)?\s?(?:{_CUR}|dollars|euros|pounds)\b)"
)
THRESHOLD = (
    rf"(?:\b(?:over|above|under|below|up to|exceeding|more than|less than)\s?|[><]\s?)(?:{AMOUNT}"
    r"|\b(?:a few|a couple(?: of)?) (?:grand|thousand)\b|\b(?:five|six|seven) figures\b)"
)
_TF = TIMEFRAME.pattern
_SENIOR = (
    r"(?:CEO|CFO|COO|CIO|CTO|CISO|SVP|EVP|VP|GM|president|director|provost|dean|owner|principal"
    r"|managing partner|head|executive director|board chair)"
)

# "the budget they'd earmarked for X, around $80k, was cut in half": a passive cut.
BUDGET_CUT_PASSIVE = (
    r"(?:\b(?:budget|earmark\w*|funding|funds)\b|[$€£]\s?\d)[^;\n]{0,60}?\b(?:was|were|has been"
    r"|had been|got) (?:cut|slashed|halved|frozen|pulled|eliminated|reallocated|redirected)\b"
)
# The money is gone: "finance clawed it back", "budget's gone for this year".
BUDGET_GONE = (
    r"\bclaw(?:ed|ing)? (?:it |them |the \w+ )?back\b|\b(?:budget|money|funding|funds)(?:'s| is"
    r"| has| have)? (?:gone|evaporated|dried up|disappeared)\b"
    r"|\b(?:redirected|reallocated|diverted) (?:it|the (?:budget|money|funds?|funding))\b"
)
BUDGET_POS = (
    rf"(?<!over )(?<!above )(?<!under ){AMOUNT}[^;\n]{{0,50}}?\b(?:budget(?:ed)?|allocated"
    r"|set aside|earmarked|ring-?fenced|is there|available|funded|approved)\b",
    rf"\b(?:budget(?:ed)?|allocated|set aside|earmarked|ring-?fenced|covers?)\b[^;,\n]{{0,40}}?"
    rf"{AMOUNT}",
    r"\b(?:there'?s|there is|we have|they have|has|have) (?:the |some )?(?:money|budget|funding"
    r"|funds)\b(?! (?:issue|problem|constraint))",
    r"\b(?:budget|funding|money|line item) (?:is|was|has been) (?:back|approved|allocated"
    r"|confirmed|secured|in place|reinstated|unfrozen|released|available|there)\b",
    r"\b(?:reinstated|unfroze|unfrozen)\b|\blifted the (?:pause|freeze|hold)\b",
    r"\b(?:pause|freeze|hold) (?:was |has been |is )?lifted\b|\bapproved budget\b",
    rf"{AMOUNT}[^;\n]{{0,40}}\bsigned\b(?! off)",
    rf"\b(?:docusign|e-?sign\w*|contract|order form|agreement)\b[^\n]{{0,30}}?\b(?:completed"
    rf"|signed|executed)\b[^\n]{{0,60}}?{AMOUNT}",
    rf"\bsigned (?:the )?(?:order form|contract|agreement)\b[^\n]{{0,60}}?{AMOUNT}",
)
BUDGET_NEG = (
    r"\b(?:no|zero)\s(?:budget|money|funding|funds|line item)\b",
    r"\b(?:don'?t|doesn'?t|do not|does not) have (?:a |the |any )?(?:budget|money|funding|funds)\b",
    r"\bnot (?:budgeted|funded|in (?:the|this year'?s|our|their) budget)\b|\bunbudgeted\b",
    r"\bnothing (?:is |has been |was )?(?:set aside|budgeted|allocated|earmarked)\b",
    r"\b(?:budget|spend(?:ing)?|funds?|funding|money|earmark|purchases?|purchasing)\b"
    r"[^;\n]{0,30}?\b(?:frozen|freeze"
    r"|cut|slashed|pulled|eliminated|reallocated|paused|withdrawn)\b",
    r"\b(?:froze|freeze on|cut|slashed|pulled(?! \w+ into\b)|paused)\b[^;\n]{0,40}?\b(?:budget"
    r"|spend(?:ing)?"
    r"|funding)\b",
    r"\bcan'?t (?:afford|justify the spend)\b",
    BUDGET_CUT_PASSIVE,
    BUDGET_GONE,
)

_AUTHORITY = (
    r"(?<!e-)\b(?:signs?|signer|signature|sign[- ]off|signs off|signing authority"
    r"|approv(?:es|e|al|ed)"
    r"|final (?:say|call|decision|approval)|economic buyer|budget holder|decision[- ]maker"
    r"|makes the (?:final )?(?:call|decision)|has the final|decides|decide with"
    r"|(?:signed|completed|executed|countersigned) (?:\S+ )?by|signed (?:\w+ ){0,3}?from"
    rf"|depends (?:entirely |only |solely )?on (?:their|the|our) {_SENIOR})\b"
    r"(?! off on (?:our|the) security)"
)
EB_POS_PERSON = (
    _AUTHORITY,
    r"\b(?:EB|DM)\b(?!'d| on| via)",
    r"\b(?:budget|money|spend)\b[^;\n]{0,30}?\bsits (?:with|w/)",
    r"\b(?:budget|money|spend|funding)\b[^;\n]{0,50}?\b(?:owns|holds|controls) (?:it|that)\b",
    r"\b(?:owns|holds|controls) the budget\b|\bdecision (?:now )?(?:sits|rests|lies) with\b",
    rf"\b(?:go(?:es)?|has to go|needs to go|must go) (?:to|through) (?:our|the|their|his|her)"
    rf" (?:[\w&]+ ){{0,2}}?{_SENIOR}\b",
    r"\bthe only (?:one|person) who can (?:sign|approve|decide|restart|unfreeze|release)\b",
    r"\bnot the (?:one|person) who (?:buys|signs|decides|approves)\b[^;\n]{0,40}?\b(?:that'?s"
    r"|it'?s) (?:our|the|my)\b",
)
EB_POS = (
    r"\b(?:i'?m|i am) the (?:one|person) who (?:signs|approves|decides)\b",
    r"\b(?:it'?s|is) (?:my|his|her) (?:call|decision) alone\b",
    r"\b(?:i|she|he) owns? (?:the|that|this) (?:budget|decision|purchase)\b",
)
EB_NEG = (
    r"\bnot sure who (?:signs|approves|decides|has (?:final )?(?:say|sign[- ]off))\b",
    r"\b(?:don'?t|doesn'?t|do not) know who (?:signs|approves|decides)\b",
    r"\b(?:seat|role|position)\b[^;\n]{0,25}?\bvacant\b|\bvacant (?:seat|role|position)\b",
    r"\b(?:doesn'?t|does not|no longer) (?:actually )?ha(?:ve|s) (?:final )?(?:sign[- ]off"
    r"|signing authority|authority|final say)\b",
    r"\b(?:nobody|no one) (?:here )?(?:can|is able to|has authority to) (?:sign|approve)\b",
    r"\bno longer (?:the |a )?(?:decision[- ]makers?|signer|approver|economic buyer|EB|DM)\b",
    r"\b(?:CEO|CFO|COO|signer|approver|economic buyer|EB|decision[- ]maker)\b[^\n]{0,60}?"
    r"\b(?:has left|left the company|departed|resigned|retired|is leaving|no longer with)\b",
)

# The buyer says the current way works: a status-quo objection, and the pain is denied.
STATUS_QUO_FINE = (
    r"\b(?:it'?s|is|isn'?t|ain'?t) (?:not )?broken\b|\b(?:hasn'?t|has never|never|haven'?t)"
    r" (?:once )?let (?:us|me|them) down\b|\bget(?:s)? (?:it|the job) done\b",
    r"\b(?:our|the|their) (?:current|existing|old) (?:\w+ ){0,2}(?:is|are|works?) (?:fine|ok"
    r"|okay|good enough|working|doing the job)\b|\bdoes the job\b|\bworks for (?:us|them)\b",
    r"\bworks? (?:just )?(?:fine|well|ok|okay) for (?:us|them)\b",
)
# An in-house team already solved it: a status-quo alternative.
STATUS_QUO_INHOUSE = (
    r"\b(?:our|their) (?:own |internal )?(?:BI|IT|dev|data|eng\w*|analytics|internal|ops)"
    r" (?:team|folks|group) (?:already )?(?:fixed|solved|built|handles|handled|covers|covered)\b"
)
PAIN_POS = (
    r"\b(?:pain(?: point)?|problems?|issues?|nightmare|killing us|killer|drowning|bur(?:ies|ying"
    r"|ied)|struggl\w*|frustrat\w*|bottlenecks?|backlog|headaches?|overwhelmed|underwater"
    r"|can'?t keep up|eating (?:their|our|into)|leaving money on the table|losing|lose"
    r"|wasting|manual(?:ly)?|by hand|double entry|errors|mistakes|delays?|delayed|churn"
    r"|complaints?|won'?t survive|costing|written off|write-offs?|downtime|excursions?|hate"
    r"|throw(?:ing)? away|spoil\w*|inefficien\w*|chasing|recalls?|costs? (?:them|us)|duplicates?"
    r"|after the fact|fraud|leakage|overpa\w+|penalt\w+|fines|outages?)\b",
    r"\bspends? (?:about |~|roughly |over |up to )?\d+ (?:minutes|mins?|hours|hrs|days)\b",
    r"\b(?:a mess|messy|re-?key\w*|re-?enter\w*|double-?book\w*|error rates?|tedious"
    r"|time-?consuming|clunky"
    r"|no visibility|blind spots?|can'?t (?:tell|see|track))\b|\beats? (?:up )?~?\d",
    r"\blost (?!(?:our|the|their|touch|interest)\b)",
    r"\btakes? (?:me|us|them|her|him) (?:most of|all of|half of|hours|days)\b",
    r"\b(?:closes|runs|comes? back|arrives?|is) late\b|\bdenials?\b|\bno-?shows?\b|\bdefects?\b",
    r"\b(?:customers|members|clients|patients|users|shoppers|buyers) (?:are |keep )?(?:walking"
    r"|leaving|churning|defecting|switching)\b|\bfail\w* (?:the |an |our |every )?(?:audit"
    r"|inspection)s?\b|\bflagged (?:it|us|this)\b",
    r"\bstill\b[^;\n]{0,40}?\b(?:paper|by hand|manually|whiteboards?|spreadsheets?|excel"
    r"|fax\w*|sticky notes)\b|\bthr(?:ew|own|ow|owing) (?:out|away)\b",
    r"^\s*[-*•]?\s*(?:pain|need|n|problem|challenge)s?\s*(?:\([^)]*\))?\s*:\s*\S",
)
PAIN_DURATION = (
    r"\btakes? (?:~|about |roughly |up to )?\d+(?: business)? (?:days|hours|hrs|weeks|wks)\b",
)
NOT_A_BIG_DEAL = (
    r"\bnot (?:a |that )?(?:big|huge|major|real) (?:deal|issue|problem)\b"
    r"|\bnot losing (?:any )?sleep\b|\blearned to live with it\b"
    r"|\bnot worth the (?:disruption|effort|hassle|change|switch)\b"
)
PAIN_NEG = (
    r"\b(?:not|isn'?t|aren'?t|wasn'?t) (?:a |an |really a |much of a )?(?:problem|pain)\b",
    r"\b(?:handles?|handled) (?:it|[\w ]{0,30}? for us) (?:fine|well)\b|\bworks? (?:just )?fine\b",
    r"\b(?:isn'?t|aren'?t|not) (?:underwater|drowning|struggling|overwhelmed)\b",
    r"\bno (?:real )?(?:pain|problems?)\b",
    NOT_A_BIG_DEAL,
    *STATUS_QUO_FINE,
    r"\b(?:we'?re|we are|i'?m|they'?re) (?:satisfied|happy|fine) with (?:it|them|our|the current"
    r"|what we have|how (?:our|we|the)|the way)\b",
)

_TL_VERB = (
    r"(?:live|go-live|go live|launch(?:ed)?|decision|decide|deciding|signed|sign|e-sign|done"
    r"|running|in place|deployed|rolled out|implemented|rollout|cut ?over|hearings?|signature"
    r"|close|contracted|switch|switched|migrate|migrated|replace|replaced|moved?|up and running"
    r"|pick|choose|select|award|vote|votes)"
)
_EVENT = (
    r"(?:audit|peak|season|surge|changeover|launch|renewal|fiscal year|year[- ]end|board meeting"
    r"|harvest|open enrollment|conference|go-live|busy season|holidays?|semester|school year"
    r"|term starts?|show|expo|trade show|merger closes?|change|changeover|cutover|expir\w+)"
)
TIMELINE_POS = (
    rf"\b{_TL_VERB}\b[^;\n]{{0,25}}?\b(?:by|before|b4|in|on|at|for|target(?:ing|ed)?|ahead of"
    rf"|no later than)\b[^;\n]{{0,40}}?(?:{_TF}|\b{_EVENT}\b)",
    rf"(?:{_TF})[^;\n]{{0,12}}?\b(?:go-live|go live|launch|deadline|decision)\b",
    rf"\b(?:board|committee|council|cabinet)\b[^;\n]{{0,60}}?\b(?:meets|meeting|hearings?"
    rf"|votes?)\b[^;\n]{{0,20}}?(?:{_TF})",
    rf"\b(?:deadline|target date|go-live (?:target|date)|timeline|target(?:ed)? (?:signature"
    rf"|go-live|close|decision|launch))\b\s*(?:is|:|of|for)?[^;\n]{{0,15}}?(?:{_TF})",
    rf"\b(?:goes|go|take it|taking it|present(?:ing)? it) to (?:the |their )?(?:\w+ )?(?:board"
    rf"|committee|council|cabinet) (?:on|in) (?:{_TF})",
)
# "not sure routing is really their problem": the buyer doubts the pain.
PAIN_RESET = (
    r"\bnot sure (?:\w+ ){0,4}(?:is|are) (?:really |even )?(?:the|a|an|their|our|my)"
    r" (?:problem|issue|pain)\b",
)
REQUIRED = (r"\b(?:is )?(?:required|mandatory)\b",)
# A requirement stated as a deal-breaker; about price it is a price objection instead.
PRICE_WORDS = r"[$€£]|\b(?:pay|paying|paid|price|pricing|cost|costs|spend|fees?|cheaper)\b"
NON_STARTER = (r"\bnon-?starter\b",)
# A body's own meeting ("the board meets next on December 9") is not our next step.
GOVERNANCE_MEETING = (
    r"\b(?:board|committee|council|cabinet|trustees|partners)\b[^;\n]{0,40}?\b(?:meets|meeting"
    r"|hearings?|votes?|convenes)\b"
)
# Someone leaving or handing the project off; ends a champion's advocacy.
DEPARTURE = (
    r"\b(?:been |was |is being |got )?(?:reassigned|transferred|moved to another (?:role|team)"
    r"|handing (?:the project|it|this|the deal|things) (?:off |over )?to|is leaving|has left"
    r"|resigned|left the company|going on leave|on leave|let go|laid off|moving on|last day"
    r"|moving to (?:the|another|a) [\w ]{0,20}?(?:office|team|role|division|group|department)"
    r"|won'?t be (?:on|working on|involved (?:in|with)) (?:the|this) (?:project|deal|account)"
    r"|rolling off"
    r"|accepted (?:a|an) (?:new )?(?:role|job|position|offer))\b"
)
# The buyer's own voice deciding: "I'll make the decision by…", "I approve anything…".
EB_FIRST_PERSON = (
    r"\bI(?:'ll| will)? (?:make|makes) the (?:final )?decision\b|\bI (?:decide|sign|approve)\b"
    r"|\b(?:it'?s|the decision is) (?:my|ultimately my) (?:call|decision)\b",
)
TIMELINE_RESET = (r"\bno (?:set )?(?:timeline|timeframe|deadline|rush)\b",)

DECISION_CRITERIA_POS = (
    r"\bmust[- ]haves?\b|\brequirements?\b|\breqs\b|\(must\)|\bcriteria\b|\bdeal[- ]?breakers?\b",
    r"\b(?:two|three|\d) conditions\b|\bconditions before\b|\bnon[- ]negotiables?\b",
    r"\b(?:has|have|needs?) to (?:support|integrate|work with|work offline|run on|handle|sync"
    r"|include|plug into|connect (?:to|with))\b",
    r"\bmust (?:support|integrate|have|work|run|be|include|handle|sync|offer)\b",
    r"\bcan'?t run production\b|\bkey (?:factors?|requirements?)\b",
    r"\b(?:evaluat|judg|scor|select|choos)\w* (?:\w+ )?(?:on|based on)\b|\bunless it can\b",
    r"\bdata\b[^;\n]{0,15}?\b(?:stays?|resides?|remains?|hosted|kept) in (?:the )?(?:US|EU|UK)\b",
    r"\bwhatever (?:we|they) (?:pick|choose|buy|select)\b",
    r"\bwhichever (?:one )?(?:integrates|supports|works)\b|\bplugs? into\b",
)
DECISION_PROCESS_POS = (
    rf"{THRESHOLD}[^;\n]{{0,50}}?\b(?:approv\w*|sign(?:s|ature|[- ]off| off)?|go(?:es)? to|needs?"
    r"|requires?|reviews?|present|committee|board|tender)\b",
    rf"\b(?:approv\w*|signs?(?: off)?|sign[- ]off|signature|reviews?|tender|RFP|requires?"
    rf"|decision|committee|board)\b[^;\n]{{0,40}}?{THRESHOLD}",
    r"\brecommend(?:s|ation)?\b[^;\n]{0,60}?\b(?:approv\w*|signs?|final)\b",
    r"\b(?:steering|buying|management|investment|executive) committee\b|\bpublic tender\b",
    r"\b(?:committee|board|council|cabinet) (?:reviews?|approv\w*|meets|decides|votes?)\b",
    r"\b(?:committee|board|council) approval\b|\bbake-?off\b|\bRFP\b",
    r"\b(?:selection|evaluation|approval|procurement|buying) process\b",
    r"\bno committee\b|\bmy call alone\b|\bsole (?:approver|decision[- ]maker)\b",
    r"\broute\w* (?:it |this )?for (?:signatures?|approvals?)\b",
    r"\b(?:signs?|approves?|signs? off) (?:once|after|when)\b|\bvotes? on\b",
    r"\bneed (?:my|our|the|his|her) (?:partners|board|boss|CFO|CEO|committee) to (?:sign off"
    r"|approve|sign)\b",
    r"\b(?:signs|approves)\s*[;,]\s*(?:then )?(?:procurement|legal|finance)\b",
    r"\bneeds? (?:sign[- ]off|approval|signature) from\b|\bhas to (?:go through|be approved by)\b",
    r"\b(?:decid|decision|choos|select|sign|buy|purchas)\w*[^;\n]{0,40}?\b(?:after|following)"
    r" (?:a |the )?(?:\d+[- ]day )?(?:pilot|trial|poc|proof of concept)\b",
    r"\bdecide with\b|\bdecision (?:will be|is) made by\b|\bgoes to the [\w ]{0,20}board\b",
    r"\b(?:security|it|legal) (?:has|have|needs?) to sign off\b",
    r"\b(?:once|after) (?:\w+ ){1,2}(?:signs? off|approves?|clears? (?:it|us))\b",
    r"\b(?:selling|pitching|presenting|taking) (?:this|it) to\b[^;\n]{0,40}?\bwho (?:approves|signs"
    r"|decides)\b",
    r"^\s*[-*•]?\s*(?:process|decision process|approvals?)\s*:\s*\S",
)
# A final say is a step of a process only when the note describes another step before it;
# a lone signer ("Viktor has final say on tooling") is the economic buyer, not a process.
FINAL_SAY = (r"\bfinal (?:say|sign[- ]?off|signer|call|approval|decision|signature)\b",)
OTHER_STEP = (
    r"\b(?:committee|recommend\w*|review\w*|procurement|legal|weighs? in|board|once|after)\b"
)
_PROCUREMENT = r"(?<!Dir\. )(?<!Director of )(?<!Head of )(?<!VP )\bprocurement\b"
PAPER_POS = (
    r"\b(?:their|our|with|w/|from|to|by) (?:legal|counsel|GC|general counsel|lawyers?)\b",
    rf"\blegal (?:review|team|approval|redlines?)\b|\bredlin\w*|{_PROCUREMENT}"
    r"(?! (?:manager|mgr|lead|director|officer|specialist|operations|ops))",
    r"\bsecurity (?:review|questionnaire|assessment)\b|\binfosec\b|\bquestionnaire\b|\bHECVAT\b",
    r"\bvendor (?:security |risk )?(?:review|onboarding|assessment)\b|\bMSA\b|\bDPA\b|\bNDA\b",
    r"\border form\b|\bSOW\b|\bcountersign\w*|\bdocusign\b",
    r"\b(?:send|sending|sent|sign|signing|route|routing) (?:over )?(?:the |our |their )?"
    r"paperwork\b|\bdata processing agreement\b|\bpublic tender\b",
    r"\brequisition\b|\bRFP\b|\bpurchase order\b|\bPO\b|\bcontract review\b",
    r"\b(?:security|it|legal) (?:has|have|needs?) to sign off\b",
    r"\b(?:on|use) their paper\b|\bBAA\b|\bpen[- ]?test\w*",
    r"\b(?:HIPAA|compliance|privacy|vendor risk|risk) (?:review|team|assessment)\b",
)

# Signing words are a paper step, except in a list of product must-haves ("e-signature on intake").
PAPER_SIGN = (r"\be-?sign\w*|\bsignatures?\b",)
REQUIREMENT_LINE = r"\b(?:must[- ]haves?|requirements?|reqs|criteria|nice[- ]to[- ]haves?)\b"

CHAMPION_POS = (
    r"\bchampion(?:ed|ing|s)?\b(?!\s*[:?])|\bchamp\b",
    r"\bpush(?:ing|es|ed)? (?:the |his |her |their )?[\w ]{0,20}? to (?:adopt|use|sign|buy|approve)"
    r"\b",
    r"\bpush(?:ing|es|ed)? (?:for (?:us|you|it|this)|this|it|adoption|finance|procurement)"
    r"(?: internally| through| directly)?\b|\bpushing internally\b",
    r"\b(?:pitch(?:ing|ed|es)?|present(?:ing|ed|s)?|sell(?:ing|s)?|sold|pre-?sold|tak(?:e|es|ing)"
    r"|took|bring(?:ing|s)?|walk(?:ed|ing)?)\b[^;\n]{0,50}?\b(?:herself|himself|themselves|myself"
    r"|internally|to (?:the |their |our |his |her )?(?:board|exec\w*|leadership|ceo|cfo|coo|cio"
    r"|management|committee|steering|cabinet|regional))\b",
    r"\bwalked \w+ through (?:the|our) (?:business case|proposal|roi)\b",
    r"\b(?:arguing|argues|argued|fighting|fights|advocat\w+|lobbying|going to bat|vouch\w*)"
    r" (?:for|with)\b|\blobbying \w+\b",
    r"\b(?:drafted|built|building|wrote|writing|prepared|preparing|build) (?:the |a |his |her "
    r"|their |an )?(?:internal )?(?:business case|deck)\b|\bdriving (?:this|it)\b",
    r"\bown internal (?:session|meeting|review)\b|\binternal (?:session|roadshow|pitch)\b",
    r"\bkeep(?:ing|s)? (?:it|this|things) moving\b|\b(?:pinging|nudging|chasing) (?:\w+ ){1,3}"
    r"(?:daily|every day|to (?:finish|sign|approve|move))\b",
    r"\b(?:sent|forwarded|shared|circulated)\b[^;\n]{0,40}?\b(?:himself|herself|themselves)\b",
    r"\btold (?:him|her|them|the \w+) (?:we|they) should (?:do|buy|go with|sign|move on)\b",
    r"\brecommend(?:s|ed|ing)? (?:we|us|it|you)\b|\binternal (?:advocate|sponsor)\b",
    r"\b(?:told|telling|briefed|convinced|urged) (?:the|their|our) (?:board|cabinet|exec\w*"
    r"|leadership|committee|management|ceo|cfo|coo)\b",
    r"\brunning internal training\b",
    r"\bmak(?:e|es|ing) (?:the|a|our|her|his) case for (?:us|it|this|you)\b",
)
CHAMPION_NEG = (
    r"\b(?:champion|champ|sponsor|advocate)\b[^\n]{0,80}?\b(?:leaving|left|depart\w*|resign\w*"
    r"|quit\w*|moving on|no longer|retir\w*|is gone|was let go|laid off|went dark|on leave)\b",
    r"\b(?:lost|losing) (?:our|the) (?:champion|champ|sponsor|advocate)\b",
)
# Conditional or future-hopeful wording: "he'd champion it", "before I can argue".
CHAMPION_CONDITIONAL = r"\b(?:if|would|could|might|(?-i:may)|before \w+ can)\b|\w'd\b"

# A capitalised word that is not a pronoun or determiner (the cheap case check comes first).
_CAP = (
    r"(?-i:(?=[A-Z]))(?!(?:Our|The|Their|This|That|Your|My|His|Her|Rep|We|They|She|He|It|Sent)\b)"
    r"(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun|To|Yester)day\b|Tonight\b|Last\b|Next\b)"
)
VENDOR_EVAL = (
    r"\balso (?:talking to|looking at|evaluating|considering|speaking with|in talks with"
    r"|meeting with|getting quotes from|trialing|trialling|piloting)\b",
    r"\bevaluating (?:(?-i:[A-Z])\w+|other vendors|alternatives|options)\b|\bshort-?listed\b",
    r"\bbake-?off\b|\bchoosing between\b|\bcomparing us (?:with|to|against) (?-i:[A-Z])",
    rf"\b{_CAP}(?-i:[A-Z][a-zA-Z]+)'s (?:quote|bid|pilot|proposal|pricing|demo|offer)\b",
    rf"\b{_CAP}(?-i:[A-Z][a-zA-Z]+) (?:pitched|quoted|came in|demoed)\b",
    r"\b(?:a|another|other) competitors?\b|\bcompetitors? (?:pitched|quoted|offered)\b",
    r"\bcompeting (?:vendor|bid|offer)s?\b|\bincumbent\b|\bin the mix\b",
    r"\bother vendors?\b(?!\s*:?\s*(?:none|n/?a|no\b|not yet))",
    r"\b(?:vs\.?|versus) (?-i:[A-Z])\w+|\bin talks with\b|\b(?:trialing|trialling) (?-i:[A-Z])",
    r"\b(?:signed|contract|deal|went|going|moving|switched|locked in(?:to)?[^;\n]{0,30}?)"
    r" (?:with|w/) (?-i:[A-Z])\w+",
    rf"\b{_CAP}(?-i:[A-Z][a-zA-Z]+) (?:is|was|'s) (?:\w+ )?(?:cheaper|less expensive|better"
    r"|faster|simpler|easier)\b",
)
STATUS_QUO_ALT = (
    r"\bhome-?grown\b|\bin-house\b|\bbuild (?:it|this|[\w ]{0,40}?) ourselves\b",
    r"\b(?:built|build|building) (?:their|our) own\b|\bspreadsheets?\b|\bshared inbox\b",
    r"\bbuilt-in\b|\b(?:stick|sticking|stay|staying) (?:with|on) (?!track\b)",
    r"\balready (?:use|using|have|run|running) (?:a |an |the )?(?:(?-i:[A-Z])\w+|tool|system"
    r"|solution|vendor|platform|product)\b|\balready (?:handles?|does|covers)\b",
    r"\bcurrent (?:vendor|provider|tool|system|solution|platform)\b|\bstatus quo\b",
    r"\b(?:happy|satisfied) with (?-i:[A-Z])\w+",
    r"\b(?:their|our|the) (?:current |existing )?manual (?:process|workflow)\b|\bin excel\b",
    r"\b(?:off|on|using|via|with) (?:an? |the |their |our )?(?:excel|whiteboards?|google sheets)\b",
    *STATUS_QUO_FINE,
    STATUS_QUO_INHOUSE,
    r"\bgood enough\b",
    r"^\s*[-*•]?\s*(?:comp|competition|competitors?)\s*:\s*(?!none|n/a|tbd|unknown|\?)\S",
)

NEXT_STEP_CUE = (
    r"\b(?:next|agreed to|booked|scheduled|set (?:up|for)|invite|calendar|meet\w*|call|demo\w*"
    r"|session|review\w*|kickoff|kick-off|deep[- ]dive|walkthrough|workshop|sync|follow[- ]?up"
    r"|confirm|e-?sign|sign|will|going to|plan to|due|regroup|check-in|onsite|visit|present\w*"
    r"|could we do|accepted|works|QBR|training|send|sending|deliver|delivering"
    r"|(?:pilot|trial|poc|onboarding|rollout) (?:starts?"
    r"|begins?|kicks? off))\b|'ll\b"
    r"|\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b|@ ?\d"
)
NEXT_STEP_STRONG = (
    r"\b(?:will|next|agreed to|booked|scheduled|set for|invite|accepted|going to|tomorrow|could we"
    r"|confirm|re-?scheduled|re-?booked)\b|'ll\b|\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b"
)
PAST = (
    r"\b(?:sent|signed|called|emailed|met|held|had|did|cancell?ed|postponed|happened|presented"
    r"|notes)\b"
)
PAST_BEFORE_DATE = r"\b(?:after|since|last|from)\s+$"
NEXT_STEP_NEG = (
    r"\b(?:meeting|call|demo|review|session|kickoff|it|step)\b[^;\n]{0,20}?\b(?:cancell?ed"
    r"|called off|scrapped)\b",
    r"\bcancel(?:l?ed|l?ing)? (?:[\w/:'’()-]+ ){0,3}?(?:meeting|call|demo|review|session|kickoff"
    r"|walkthrough|workshop)\b",
    r"\bno new date\b|\bpostponed indefinitely\b|\bwent dark\b|\bnot interested\b",
    r"\b(?:cancell?ed|called off|scrapped) (?:it|that|this|them)\b(?! (?:and|but) (?:re)?(?:booked"
    r"|scheduled|moved))",
    r"\b(?:intro|appointment|visit|onsite|check-in|workshop)\b[^;\n]{0,20}?\b(?:cancell?ed"
    r"|called off|scrapped)\b",
    r"\bdeclined (?:a |the |our |my )?(?:follow[- ]?up|meeting|call|next step|invite|demo)\b",
    r"\bwon'?t (?:meet|take (?:a|the|another) call)\b|\bdon'?t (?:call|contact) (?:us|me)\b",
    r"\btake (?:me|us) off (?:your|the) (?:list|distribution)\b|\bstop (?:emailing|contacting)\b",
)
# A cancelled meeting's date is never a next step, even in the clause that cancels it.
CANCELLED = r"\b(?:cancell?ed|cancell?ing|called off|scrapped)\b"
RESCHEDULED = r"\b(?:re-?scheduled|re-?booked|moved (?:it )?to|pushed (?:it )?to|new date)\b"
# The rep's own line still records an agreed meeting when it says it was booked.
BOOKED = r"\b(?:booked|scheduled|confirmed|accepted|invite sent)\b"
NEXT_STEP_RESET = (
    r"\bno date yet\b|\bno (?:meeting|call|next step|time) (?:set|booked|scheduled)(?: yet)?\b",
    r"\bno next step\b|\bdate tbd\b",
)

STAKEHOLDERS_NEG = (
    r"\b(?:my|his|her|their) call alone\b|\bno committee\b",
    r"\b(?:deal|everything|all)\b[^;\n]{0,20}?\b(?:depends|hinges|rests) (?:entirely |only "
    r"|solely )?"
    r"on (?:one person|\w+ alone|him|her|(?:their|the|our) (?:CEO|CFO|COO|owner|founder"
    r"|president)\b|(?-i:[A-Z][a-z]+)\b)",
    r"\beverything (?:goes|go|has to go|must go|to go) through (?:him|her|me|\w+)\b",
    r"\b(?:single|only|sole) (?:point of )?contact\b|\bnot contact anyone else\b",
    r"\bone-person show\b|\bno one else (?:is )?involved\b",
    r"\b(?:is|'s) the only (?:one|person) who (?:can|could|will|deals|handles|decides|talks"
    r"|owns|manages|touches)\b|\b(?:it'?s |its )?all (?:goes )?(?:thru|through) (?:him|her)\b",
    r"\b(?:doesn'?t|does not|don'?t) want to be involved\b",
)

MEETING_ACCEPTED_POS = (
    r"\b(?:agreed|accepted|said yes|happy|open) to (?:a |an |the )?(?:\d+[- ]?min(?:ute)?s? )?"
    r"(?:meeting|call|demo|discovery|intro|chat|session)\b|\bhappy to take a call\b",
    r"\binvite (?:sent (?:\+|and) )?accepted\b|\baccepted (?:the|my|our) (?:invite|invitation"
    r"|meeting)\b",
    r"\b(?:booked|scheduled) (?:a|an|the) (?:meeting|call|demo|discovery|session)\b",
    r"\bmeeting (?:booked|set|confirmed|scheduled)\b|\bcould we do\b|\blet'?s talk\b",
)
MEETING_ACCEPTED_NEG = (
    r"\bdeclined (?:a |the |our )?(?:follow[- ]?up|meeting|call|demo)\b|\bnot interested\b",
    r"\btake (?:me|us) off (?:your|the) (?:list|distribution)\b",
)
PROPOSAL_REQUESTED_POS = (
    r"\b(?:asked|asks|asking|request\w*|wants?|needs?) (?:for )?(?:a |an |the |our |your )?"
    r"(?:revised |formal |written |updated )?(?:proposal|quote|pricing|order form|SOW|estimate)\b",
    r"\b(?:get|send) (?:me|us) (?:a |an |the |your )?(?:\w+ )?(?:proposal|quote|pricing"
    r"|order form)\b|\bsend (?:over )?the paperwork\b|\bproposal was requested\b",
)
PROPOSAL_WORDS = r"\b(?:proposal|quote|order form|pricing|redlines?|MSA|SOW)\b"
REVIEW_WORDS = r"\b(?:review\w*|walkthrough|walk through|go through|discuss|call|meeting)\b"
CONTRACT_SIGNED_POS = (
    r"\b(?:she|he|they|we|buyer|customer|[A-Z][a-z]+) (?:signed|countersigned|executed)\b"
    r"(?! off)",
    r"\bsigned (?:as proposed|the (?:contract|order form|agreement|MSA))\b|\bcountersigned\b",
    r"\bclosed[- ]won\b|\bPO (?:received|issued)\b|\bdeal (?:is )?(?:closed|signed)\b",
    r"\bdocusign (?:completed|signed)\b",
)
HANDOFF_POS = (
    r"\bhand-?off (?:call )?(?:is |was )?(?:done|complete|completed|held|finished)\b",
    r"\bhanded (?:off|over) to\b|\bwe (?:held|ran|did) (?:the )?kick-?off\b",
    r"\b(?:CSM|success team|onboarding team|implementation team|post-sale team)\b[^;\n]{0,40}?"
    r"\b(?:has|have|got|received|briefed|owns)\b",
    r"\bkick-?off (?:held|done|completed)\b",
)
