"""Date grammar: specific days (for next steps) and timeframes (for timelines)."""

from __future__ import annotations

import re

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WEEKDAY = (
    r"(?:Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:r(?:s(?:day)?)?)?|Fri(?:day)?"
    r"|Sat(?:urday)?|Sun(?:day)?)\.?"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_NUMERIC = r"(?<![\d/])(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?:/\d{2,4})?(?![\d/])"
_ISO = r"\b\d{4}-\d{2}-\d{2}\b"

# A specific day: "Thu 3/13", "Tuesday the 14th", "May 30", "3/12", "next Thursday", "tomorrow".
SPECIFIC_DAY = re.compile(
    rf"\b{WEEKDAY}(?![\w-])(?:'s)?|\b{MONTH} {_ORDINAL}\b|\b{_ORDINAL} of {MONTH}"
    rf"|\bthe {_ORDINAL}\b(?! (?:percent|of (?:the|a)\b))|{_NUMERIC}|{_ISO}|\btomorrow\b",
    re.IGNORECASE,
)
# A timeframe a decision or go-live can be pinned to: a day, a month, a quarter, a fiscal year.
TIMEFRAME = re.compile(
    rf"{SPECIFIC_DAY.pattern}|\b(?:end of |early |mid-?|late |the end of )?{MONTH}(?![a-z])"
    r"|\b(?:end of )?(?:Q[1-4]|H[12])\b|\bFY ?\d{2,4}\b|\b(?:fiscal|financial) year\b"
    r"|\byear[- ]end\b|\bend of (?:the )?(?:year|quarter|month)\b",
    re.IGNORECASE,
)


def specific_days(text: str) -> list[re.Match[str]]:
    return [m for m in SPECIFIC_DAY.finditer(text) if _real_date(m)]


def timeframes(text: str) -> list[re.Match[str]]:
    return [m for m in TIMEFRAME.finditer(text) if _real_date(m)]


def _real_date(m: re.Match[str]) -> bool:
    """'may'/'march' as words and lowercase 'sun'/'wed' are not dates; capitalised ones are."""
    word = m.group(0).split()[0].strip(".'s")
    if word.lower() in {"may", "march", "sun", "sat", "wed", "mar", "jan", "sept", "sep"}:
        return word[0].isupper() and not word.isupper()
    return True
