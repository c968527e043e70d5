"""Cue lexicons for the rule classifier: weighted phrase patterns per CONTRACT §1 type.

A cue is ``(pattern, weight)``. Patterns are matched case-insensitively; ``(?-i:...)``
marks the parts where capitalisation matters (a company name after "to buy"). A negative
weight cancels a type where a phrase looks like its cue but is not ("launches a probe",
"ahead of earnings"). The ``other`` lexicon collects evidence that an item is commentary,
an event invitation or a filing rather than a buyer-side event.
"""

from __future__ import annotations

import re

# Executive titles: C-level, president, VP, head of, chair, board seats, general counsel.
EXEC_TITLE = (
    r"(?:chief [a-z]+(?: [a-z]+)? officer|c[a-z]o|ceo|cfo|cto|coo|cmo|cro|cio|ciso|cpo"
    r"|chief executive|(?:senior |executive )?vice[- ]president|s?vp|evp|president"
    r"|head of [a-z]+|chair(?:man|woman|person)?|general counsel|managing director"
    r"|board of directors|(?:its |the )board|co-?founder|founder)"
)
_CAP = r"(?-i:[A-Z])"
_S = r"(?:[^.;]|\.(?=\d))"  # a character within one sentence ("$2.5 million" stays)
_MONEY = r"(?:[$€£¥]|\b(?:us|c|a)\$)\s?\d"
_STAFF = r"(?:jobs|positions|roles|staff|employees|workers|workforce|headcount)"
_SITE = (
    r"(?:office|offices|headquarters|hub|plant|factory|facility|campus|data cent(?:er|re)s?"
    r"|distribution cent(?:er|re)|warehouse|stores?|branch(?:es)?|region|studio|lab|mill|fab)"
)

RAW_CUES: dict[str, list[tuple[str, float]]] = {
    "funding": [
        (r"\brais(?:es|ed|ing|e)\b" + _S + r"{0,40}?" + _MONEY, 3.0),
        (
            r"\b(?:rais(?:es|ed|ing|e)|secur(?:es|ed)|lands?|landed)\b"
            + _S
            + r"{0,20}\b(?:funding|capital)\b",
            2.0,
        ),
        (r"\b(?:pre-seed|seed|series [a-h])\b(?: (?:round|funding|financing|extension))?", 3.0),
        (r"\b(?:funding|financing|investment) round\b|\bround of (?:funding|financing)\b", 2.5),
        (
            r"\b(?:ipo|initial public offering|go(?:es|ing)? public|public listing"
            r"|direct listing)\b",
            2.5,
        ),
        (r"\b(?:hong kong|nasdaq|nyse|stock market|share|second) listing\b", 2.5),
        (r"\bprivate placement\b|\bcredit facility\b|\b(?:venture )?debt financing\b", 2.5),
        (r"\bventure debt\b|\bterm loan\b|\bconvertible notes?\b|\b(?:bond|notes) offering\b", 2.5),
        (
            r"\b(?:awarded|receives?|received|wins?|won|secures?|secured)\b"
            + _S
            + r"{0,30}\bgrant\b",
            3.0,
        ),
        (r"\b(?:secur(?:es|ed)|lands?|landed)\b" + _S + r"{0,25}?" + _MONEY, 2.5),
        (r"\bclos(?:es|ed)\b" + _S + r"{0,25}?" + _MONEY, 1.5),
        (
            r"\b(?:weeks|months|days|shortly|just|year) after\b"
            + _S
            + r"{0,40}\b(?:rais\w+|funding|round|series [a-h])\b",
            -3.0,
        ),
        (
            r"\b(?:led by|participation from)\b" + _S + r"{0,60}\b(?:ventures|capital|partners)\b",
            2.0,
        ),
        (r"\bfunding\b", 1.0),
        (r"\b(?:finanzierungsrunde|levée de fonds|lève|ronda de financiación|recauda)\b", 2.5),
    ],
    "executive_hire": [
        (
            r"\b(?:appoint(?:s|ed|ment of)?|names?|named|hires?|hired|taps?|tapped|promot(?:es|ed)"
            r"|elect(?:s|ed|ion of)|welcom(?:es|ed)|join(?:s|ed)|selects?|selected|picks?)\b"
            + _S
            + r"{0,80}\b(?:as|to|its|new|our)\b"
            + _S
            + r"{0,25}?\b"
            + EXEC_TITLE
            + r"\b",
            3.0,
        ),
        (r"\b" + EXEC_TITLE + r"\b" + _S + r"{0,40}\b(?:appointed|named|hired|elected)\b", 2.5),
        # "names Jane Roe chief operating officer": the person, then the title, no "as"
        (r"\b(?:names|named|appoints|taps)\s+(?:[A-Z][\w.'-]*\s+){1,4}" + EXEC_TITLE + r"\b", 3.0),
        (r"\bnew (?:president|ceo|cfo|cto|coo|chief|head of|chair)", 2.5),
        (r"\bjoin(?:s|ed)? (?:its |the )?board(?: of directors)?\b", 2.5),
        (r"\b(?:succeeds?|succeeding|will succeed|replaces?|replacing)\b", 1.0),
        (r"\b(?:takes?|took) the helm\b|\bto lead\b", 1.0),
        (r"\b(?:ernennt|nomme|nombra|nomeia)\b", 2.0),
    ],
    "executive_departure": [
        (
            r"\b"
            + EXEC_TITLE
            + r"\b"
            + _S
            + r"{0,60}\b(?:steps? down|stepped down|stepping down|to step"
            r" down|resign(?:s|ed|ing|ation)?|retir(?:es|ed|ing|e|ement)|depart(?:s|ed|ing|ure)?"
            r"|exits?|exited|leav(?:es|ing|e)|left|ousted|fired|removed|quits?|is out)\b",
            3.0,
        ),
        (
            r"\b(?:ousts?|ousted|fires?|fired|remov(?:es|ed)|dismiss(?:es|ed)|retirement of"
            r"|departure of|resignation of|exit of)\b" + _S + r"{0,50}\b" + EXEC_TITLE + r"\b",
            3.0,
        ),
        (r"\b(?:steps? down|stepped down|resign(?:s|ed|ation)?|retir(?:es|ement)|departs)\b", 0.6),
        (r"\b(?:interim (?:ceo|cfo|chief)|search for a (?:successor|replacement))\b", 1.5),
        (r"\b(?:tritt zurück|démissionne|dimite)\b", 2.0),
    ],
    "layoffs": [
        (r"\blay(?:s|ing)? off\b|\blaid off\b|\blayoffs?\b", 3.0),
        (
            r"\b(?:cut|cuts|cutting|eliminat\w+|slash\w*|shed(?:s|ding)?|ax(?:e|es|ed)"
            r"|reduc(?:e|es|ed|ing))\b" + _S + r"{0,40}\b" + _STAFF + r"\b",
            3.0,
        ),
        (r"\b(?:reduction in force|job cuts|headcount reduction|workforce reduction)\b", 3.0),
        (r"\breduction of (?:the |its )?workforce\b|\bredundanc(?:y|ies)\b", 3.0),
        (r"\bfurlough\w*\b|\bhiring freeze\b|\b(?:froze|frozen|freez\w*) hiring\b", 3.0),
        (r"\brestructur\w+\b", 1.5),
        (
            r"\b(?:clos(?:e|es|ed|ing)|shut(?:s|ting)?(?: down)?)\b"
            + _S
            + r"{0,30}\b"
            + _SITE
            + r"\b",
            2.0,
        ),
        (r"\baffect\w* (?:about |some |nearly |approximately )?[\d,]+ " + _STAFF + r"\b", 2.0),
        (r"\b(?:stellenabbau|entlassungen|licenciements|despidos)\b", 3.0),
    ],
    "hiring": [
        (r"\b(?:we're|we are|is|are|now|currently) hiring\b|\bjoin our team\b", 3.0),
        (r"\bhiring\b", 1.0),
        (
            r"\b(?:looking for|seeking|searching for)\b"
            + _S
            + r"{0,50}\b(?:engineer|developer|manager"
            r"|specialist|scientist|designer|architect|analyst|executive|representative|nurse"
            r"|technician|consultant|recruiter|coordinator|lead)s?\b",
            3.0,
        ),
        (r"\b(?:to|will) (?:hire|recruit)\b|\bhire (?:about |up to |more than |some )?\d", 3.0),
        (
            r"\badd(?:s|ing)? (?:about |up to |more than |some |nearly )?[\d,]+ (?:new )?" + _STAFF,
            3.0,
        ),
        (r"\brecruit(?:ing|ment)? (?:drive|push|campaign)\b|\brecruiting\b", 2.0),
        (r"\bjob (?:opening|posting|description|listing|ad)s?\b|\bopen (?:roles|positions)\b", 2.0),
        (
            r"\bopened [\d,]+ (?:positions|roles|jobs)\b|\bcareers? (?:page|site)\b|\bcareers at\b",
            2.0,
        ),
        (r"\bapply (?:now|here|via|today|online)\b|\bsend (?:your|a) (?:resume|cv)\b", 2.0),
        (r"\b(?:requirements|qualifications|responsibilities):|what we're looking for\b", 2.0),
        (r"\b(?:full|part)[- ]time\b|\bcompetitive salary\b|\bsigning bonus", 1.5),
        (r"\byou(?: will|'ll)\b", 0.5),
        (
            r"^(?:senior |sr\.? |junior |jr\.? |staff |principal |lead )?[\w/&+ ]{0,40}\b"
            r"(?:engineer|developer|manager|specialist|scientist|designer|architect|analyst"
            r"|account executive|representative|consultant|nurse|technician|intern|coordinator"
            r"|recruiter)\s*(?:[(,|:–—-]|$)",
            1.5,
        ),
        (r"\b(?:stellenangebot|wir suchen|nous recrutons|recrute|estamos contratando)\b", 2.5),
    ],
    "expansion": [
        (r"\b(?:opens?|opened|opening|inaugurat\w+)\b" + _S + r"{0,40}\b" + _SITE + r"\b", 3.0),
        (r"\bexpan(?:ds?|ded|ding|sion)\b" + _S + r"{0,30}\b(?:into|to|across|beyond|in)\b", 2.5),
        (r"\bexpan(?:ds?|ded|ding|sion)\b", 1.0),
        (r"(?:" + _MONEY + r"[\w.,]*|funding|round|capital) to (?:expand|open|enter|grow)\b", -2.5),
        (
            r"\b(?:enters?|entered|entering|entry into)\b"
            + _S
            + r"{0,25}\b(?:markets?|country|region|segment)\b",
            3.0,
        ),
        (r"\b(?:launch|launches|launched|debut\w*|arriv\w+) (?:in|into) " + _CAP, 2.5),
        (
            r"\b(?:build|builds|building|breaks? ground|broke ground|construct\w*|invest\w*)\b"
            + _S
            + r"{0,50}\b(?:plant|factory|facility|campus|data cent(?:er|re)|warehouse|mill|fab)\b",
            3.0,
        ),
        (
            r"\bnew (?:cloud )?region\b|\bfirst (?:international |european |overseas )?(?:office"
            r"|facility)\b",
            2.0,
        ),
        (r"\b(?:production capacity|capacity expansion|ramp(?:s|ing)? up)\b", 2.0),
        (
            r"\b(?:wins?|won|awarded|secures?|secured|lands?|landed)\b"
            + _S
            + r"{0,30}\b(?:contract|order)\b",
            2.5,
        ),
        (r"\bcontract\b|\bclient\b|\bnew markets?\b", 0.8),
        (r"\b(?:expandiert|eröffnet|s'implante|se expande)\b", 2.5),
    ],
    "partnership": [
        (r"\bpartnership\b|\bpartner(?:s|ed|ing)? with\b|\bteam(?:s|ed|ing)? up\b", 3.0),
        (
            r"\balliance\b|\b(?:reseller|distribution|referral|co-marketing) (?:agreement|deal"
            r"|partnership)\b",
            3.0,
        ),
        (r"\b(?:technology|preferred|channel|certified) partner\b|\bpartner program\b", 2.5),
        (r"\bcollaborat(?:ion|e|es|ing)\b|\bjoint(?:ly)? (?:venture|develop|deploy)\w*\b", 2.0),
        (r"\bintegrat(?:es|ed|ion) with\b|\bnew integration\b", 2.0),
        (r"\bmemorandum of understanding\b|\bmou\b|\bsigns? (?:an )?agreement with\b", 2.0),
        (r"\bpartner\b", 1.0),
        (r"\b(?:partnerschaft|kooperation|partenariat|alianza|parceria)\b", 2.5),
    ],
    "acquisition": [
        (r"\b(?:acquires?|acquired|acquiring|acquisitions?)\b", 3.0),
        (r"\b(?:merger|mergers|merges?|merged|merging|business combination)\b", 3.0),
        (r"\b(?:buys|bought|buying|to buy)\s+" + _CAP, 2.5),
        (r"\b(?:takeover|take over|buyout|tender offer|sale process|go(?:es|ing)? private)\b", 3.0),
        (
            r"\b(?:explor\w+|consider\w*|pursu\w+) (?:a )?(?:potential )?sale\b|\bsale (?:of|to)\b",
            3.0,
        ),
        (r"\bsold to\b|\bsells? (?:its )?(?:\w+ ){0,3}(?:unit|business|division|stake)\b", 3.0),
        (r"\bdivest\w*|\bspin(?:s|ning)?[- ]?off\b|\bspinoff\b|\bcarve-out\b", 3.0),
        (r"\b(?:controlling|majority|minority) (?:equity )?(?:interest|stake)\b|\bstake in\b", 3.0),
        (
            r"\b(?:unsolicited|revised|buyout|takeover|acquisition) (?:[\w-]+ )?(?:offer|proposal"
            r"|bid)\b",
            3.0,
        ),
        (
            r"\bshareholders? (?:\w+ ){0,2}approv\w+ (?:the )?(?:\w+ ){0,2}(?:transaction|deal"
            r"|merger|arrangement)\b|\bplan of arrangement\b",
            3.0,
        ),
        (r"\b(?:pending|proposed|planned) (?:[\w-]+ ){0,3}(?:merger|acquisition|deal)\b", -1.5),
        (r"\bletter of intent\b|\bdefinitive agreement\b|\bhart-scott-rodino\b|\bhsr\b", 2.5),
        (r"\ball-stock\b|\bcash and stock\b|\bper share in cash\b|/share\b", 2.0),
        (r"\b(?:merger|deal) talks\b|\bin talks to\b|\bcombination\b", 1.5),
        (
            r"\b(?:übernimmt|übernahme|kauft|besitzer|acquiert|rachète|adquiere|adquisición"
            r"|adquire)\b",
            3.0,
        ),
    ],
    "product_launch": [
        (r"\blaunch(?:es|ed|ing)?\b", 2.5),
        (r"\bunveil(?:s|ed|ing)?\b|\bintroduc(?:es|ed|ing)\b|\bdebuts?\b", 2.5),
        (
            r"\broll(?:s|ed)? out\b|\breleas(?:es|ed|ing)\b|\bnew release\b|\bships?\b|\bshipped\b",
            2.0,
        ),
        (r"\b(?:general availability|generally available|now available|available today)\b", 2.5),
        (r"\bannounc\w+ (?:the )?(?:availability|launch)\b|\bpublic (?:demo|beta)\b", 2.5),
        (r"\bopen-sourc(?:ed|es|ing)\b", 2.0),
        (
            r"\bnew (?:features?|tools?|products?|version|model|service|platform|app)\b"
            r"|\bproduct lineup\b",
            2.0,
        ),
        (r"\bversion \d|\bv\d+\.\d\b", 2.5),
        (r"\b(?:new|newest|latest|first) (?:\w+ ){0,2}release\b", 2.0),
        (r"\btoday,? we(?:'re| are) (?:announcing|introducing|launching|releasing)\b", 2.5),
        (r"'s new (?-i:[A-Z])", 1.5),
        (r"'s new\b|\bfirst-ever\b|\bbeta\b", 1.0),
        (
            r"\b(?:veröffentlicht|stellt \w+ vor|gibt [\w -]{0,40} frei|lance|dévoile|lanza"
            r"|lança)\b",
            2.5,
        ),
        (
            r"\blaunch\w*\s+(?:of\s+)?(?:an?\s+|its\s+|the\s+)?(?:[\w-]+\s+){0,3}(?:initiative"
            r"|program"
            r"|programme|transformation|strategy|probe|investigation|inquiry|review|recruiting"
            r"|hiring|campaign)\b",
            -2.5,
        ),
    ],
    "earnings": [
        (r"\bearnings\b|\bearnings call\b|\bfinancial results\b|\bquarterly results\b", 3.0),
        (
            r"\b(?:first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter (?:results|revenue"
            r"|earnings"
            r"|profit|loss|sales)\b|\bq[1-4] (?:results|earnings|revenue|sales)\b",
            3.0,
        ),
        (r"\breport(?:s|ed)?\b" + _S + r"{0,40}\bresults\b|\bprofit warning\b", 3.0),
        (
            r"\b(?:beat|beats|miss|misses|missed|top|tops|topped|exceed\w*)\b" + _S + r"{0,30}"
            r"\b(?:estimates|expectations|forecasts?|consensus)\b",
            3.0,
        ),
        (r"\breport(?:s|ed)? (?:a |an )?(?:\w+ ){0,2}(?:loss|profit|revenue|sales)\b", 2.5),
        (
            r"\b(?:profit|revenue|sales|earnings|income)s? (?:fell|falls|rose|rises|jump(?:s|ed)"
            r"|slump(?:s|ed)|surg(?:es|ed)|drop(?:s|ped)|declin(?:es|ed)|grew|grows|increased"
            r"|decreased|plung(?:es|ed)|soar(?:s|ed))\b",
            2.0,
        ),
        (r"\bguidance\b|\bnet (?:income|loss|profit)\b|\bearnings per share\b|\beps\b", 2.0),
        (r"\boutlook\b|\bsame-store sales\b|\byear[- ]over[- ]year\b", 1.5),
        (r"\brevenue\b|\bforecast\w*\b", 0.5),
        (r"\b(?:quartalszahlen|umsatz|résultats|chiffre d'affaires)\b", 2.0),
        (
            r"\bearnings season\b|\bpost-earnings\b|\b(?:big tech|tech|bank) earnings\b"
            r"|\bearnings (?:are )?on deck\b|\blots of earnings\b",
            -5.0,
        ),
        (r"\b(?:after|before|ahead of)\b" + _S + r"{0,30}\b(?:earnings|results)\b", -5.0),
    ],
    "strategic_initiative": [
        (r"\btransformation\b|\bturnaround plan\b|\bstrategic plan\b", 3.0),
        (r"\binitiative\b|\bcost[- ](?:cutting|savings?|reduction) (?:plan|program\w*)\b", 2.0),
        (r"\bmoderni[sz]\w+\b|\bmov\w+ [\w ]{0,20}to the cloud\b|\bcloud migration\b", 2.0),
        (r"\bstrateg(?:y|ies)\b|\boverhaul\b|\breorgani[sz]ation\b|\bpivot\w*\b", 1.5),
        (r"\bprogram(?:me)?\b|\bautomation\b|\brobotics\b|\bcompany-wide\b", 1.0),
        (
            r"\bto (?:boost|improve|enhance|drive|accelerate) (?:\w+ ){0,3}(?:efficiency"
            r"|productivity|performance)\b",
            1.5,
        ),
        (r"\b(?:ai|artificial intelligence|generative ai)\b", 1.0),
    ],
    "risk_event": [
        (r"\bbreach(?:ed|es)?\b|\bransomware\b|\bcyber-?attack\b|\bhacked\b|\bdata leak\b", 3.0),
        (
            r"\boutages?\b|\brecall(?:s|ed|ing)? (?:of |about |some |nearly )?[\d,]+|\brecall of\b",
            3.0,
        ),
        (r"\blawsuits?\b|\bsues?\b|\bsued\b|\bsuing\b|\bclass action\b|\blitigation\b", 3.0),
        (r"\b(?:probe|investigation|inquiry) into\b|\bsuit to block\b", 3.5),
        (r"\bblock(?:s|ed)? (?:the |its )?(?:sale|deal|merger|acquisition)\b", 3.5),
        (r"\bfined\b", 2.0),
        (r"\binvestigat\w+\b", 2.0),
        (r"\bprobe\b|\bfraud\b|\bsubpoena\w*\b|\bindict\w*\b", 2.5),
        (r"\bexploits?\b|\bvulnerabilit\w+\b|\bgrounded\b|\bgrounds\b", 2.0),
        (
            r"\b(?:plane|jet|aircraft|boeing|airbus|flight|helicopter|train) crash\b|\bcrash(?:es"
            r"|ed)? (?:\w+ ){0,2}(?:servers?|systems?|apps?)\b",
            2.0,
        ),
        (
            r"\bantitrust\b|\bbankrupt\w*|\bchapter 11\b|\bcontaminat\w+|\blisteria\b|\brecalls?\b",
            2.0,
        ),
        (r"\bregulators?\b|\bregulatory (?:action|review|scrutiny)\b|\bpenalt\w+\b|\btrial\b", 1.5),
        (r"\bflaw\b|\bsettle(?:s|d|ment)\b|\bsanction\w*\b|\bbug\b|\bwarning letter\b", 1.0),
        (r"\b(?:klage|datenleck|sicherheitslücke|rückruf|fuite de données|demanda)\b", 2.5),
    ],
    "other": [
        (
            r"\b(?:upped|upgraded|downgraded|raised|lowered|cut) (?:to|at) (?:buy|sell|hold"
            r"|neutral|outperform|overweight|underweight|underperform)\b",
            3.0,
        ),
        (
            r"\bupgrade[sd]?\b|\bdowngrade[sd]?\b|\bprice targets?\b|\banalysts? (?:says?|said)\b",
            2.0,
        ),
        (r"\bform 8\.\d\b|\bform 13[dfg]\b", 3.0),
        (r"\b(?:week ahead|things to watch|what to watch|we're watching|busy week)\b", 2.5),
        (
            r"\bwebinar\b|\bregister now\b|\bbrown bag\b|\bmeetup\b|\bpodcast\b"
            r"|\bconference\b(?! call)",
            2.0,
        ),
        (r"^(?:opinion|column|commentary|editorial|analysis|explainer|how to|recipe)s?\b", 2.0),
    ],
}

CUES: dict[str, list[tuple[re.Pattern[str], float]]] = {
    label: [(re.compile(pattern, re.IGNORECASE), weight) for pattern, weight in cues]
    for label, cues in RAW_CUES.items()
}

_ENGLISH = (
    "the a an of and to in is for on with that by as at from its it has was be are will this"
    " said says have had not but or which their our we they he she you new after over"
)
_FOREIGN = (
    "der die das und ist mit für von den dem des ein eine nicht auf zu im le la les et est pour"
    " du un une dans sur par au aux el los las y es por con para del em da do dos das uma que"
    " o na no ao"
)
ENGLISH_STOPWORDS = frozenset(_ENGLISH.split())
FOREIGN_STOPWORDS = frozenset(_FOREIGN.split())
