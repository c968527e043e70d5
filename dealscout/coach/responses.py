"""Objection responses that start from the buyer's own words.

The playbook's answer stays; its "Acknowledge:" line first quotes what the buyer said and
names the amount or the alternative they brought up, so the rep answers this buyer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SPEAKER = re.compile(
    r"^\s*(?:\[[\d:]+\]\s*)?(?:[-*•>]\s*)?(?:[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}"
    r"(?: \([^)]*\))?\s*:\s+)?"
)
_AMOUNT = re.compile(
    r"[$€£]\s?\d[\d,.]*\s?(?:[kKmM]\b|bn\b)?(?:/(?:yr|year|mo|month|user|seat))?"
    r"|\b\d[\d,.]*\s?(?:k|K|EUR|USD|GBP|euros?|dollars?|lakhs?)\b(?:/(?:yr|year|mo|month))?"
    r"|\b\d+(?:\.\d+)?\s?%",
)
# A named alternative: a capitalised product or vendor after words that introduce one.
_ALTERNATIVE = re.compile(
    r"\b(?:use|using|with|than|next to|from|have|had|on|to|like|vs\.?|versus|already pay for"
    r"|deal with|quote from|signed with)\s+((?:[A-Z][\w.&+-]*)(?:\s[A-Z][\w.&+-]*){0,2})"
)
_NOT_NAMES = frozenset(
    {
        "I",
        "We",
        "Our",
        "The",
        "A",
        "An",
        "It",
        "This",
        "That",
        "Q1",
        "Q2",
        "Q3",
        "Q4",
        "EU",
        "US",
        "UK",
        "IT",
        "CFO",
        "CEO",
        "COO",
        "VP",
        "Excel",
    }
)
MAX_QUOTE_WORDS = 16


def fitted_responses(
    category: str, evidence: str, playbook: Sequence[str], competitors: Sequence[str] = ()
) -> list[str]:
    """The playbook's responses with an acknowledgement of ``evidence`` placed first."""
    ack = acknowledgement(evidence, competitors)
    responses = list(playbook)
    for i, text in enumerate(responses):
        if text.startswith("Acknowledge:"):
            rest = text[len("Acknowledge:") :].strip()
            responses[i] = f"Acknowledge: {ack} {rest}".strip()
            return responses
    return [f"Acknowledge: {ack}", *responses]


def acknowledgement(evidence: str, competitors: Sequence[str] = ()) -> str:
    """'"<their words>" — <the amount or alternative they named>.'"""
    quote = short_quote(evidence)
    alternative = named_alternative(evidence, competitors)
    amount = _AMOUNT.search(evidence)
    if alternative:
        return f'You said "{quote}" - fair to weigh us against {alternative}.'
    if amount:
        return f'You said "{quote}" - {amount.group(0).strip()} is the number to justify.'
    return f'You said "{quote}".'


def short_quote(evidence: str) -> str:
    """The buyer's words without a speaker label, cut to a readable length."""
    text = _SPEAKER.sub("", evidence, count=1).strip().strip("\"'“”")
    words = text.split()
    if len(words) > MAX_QUOTE_WORDS:
        return " ".join(words[:MAX_QUOTE_WORDS]) + " …"
    return text.rstrip(".")


def named_alternative(evidence: str, competitors: Sequence[str] = ()) -> str | None:
    for name in competitors:
        if name.strip() and re.search(rf"(?<!\w){re.escape(name.strip())}(?!\w)", evidence, re.I):
            return name.strip()
    for m in _ALTERNATIVE.finditer(evidence):
        name = m.group(1).rstrip(".,")
        if name.split()[0] not in _NOT_NAMES:
            return name
    return None
