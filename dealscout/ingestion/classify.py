"""Offline, deterministic signal-type classifier (CONTRACT §1) built on weighted cue rules.

The title counts twice as much as the lead of the text and the lead more than the rest, so
"acquires" in a headline beats a partnership mentioned in passing, while an earnings
report that also announces layoffs keeps layoffs as a secondary type.
"""

from __future__ import annotations

import math
import re

from pydantic import BaseModel, Field

from dealscout.core.regex_prefilter import PatternSet
from dealscout.ingestion.facts import extract_facts
from dealscout.ingestion.signal_rules import CUES, ENGLISH_STOPWORDS, FOREIGN_STOPWORDS

SIGNAL_TYPES = (
    "funding",
    "executive_hire",
    "executive_departure",
    "layoffs",
    "acquisition",
    "partnership",
    "product_launch",
    "expansion",
    "hiring",
    "earnings",
    "strategic_initiative",
    "risk_event",
    "other",
)

TITLE_WEIGHT = 2.0
QUESTION_TITLE_WEIGHT = 1.2  # "Will Intel give up on chips?" speculates; it reports nothing
LEAD_WEIGHT = 1.0
REST_WEIGHT = 0.4
LEAD_CHARS = 400
REST_CHARS = 2000
MIN_SCORE = 2.4  # below this the item concerns none of the event types
SECONDARY_MIN = MIN_SCORE  # a secondary type must be able to stand on its own
SECONDARY_RATIO = 0.25
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_CUES = [(label, weight) for label, cues in CUES.items() for _, weight in cues]
_PATTERNS = PatternSet(pattern for cues in CUES.values() for pattern, _ in cues)


class TypeScore(BaseModel):
    type: str
    confidence: float = Field(ge=0.0, le=1.0)


class Classification(BaseModel):
    type: str
    confidence: float = Field(ge=0.0, le=1.0)
    secondary: list[TypeScore] = Field(default_factory=list)
    facts: dict[str, object] = Field(default_factory=dict)


def _zones(title: str, text: str) -> list[tuple[str, float]]:
    title = " ".join(title.replace("\u2019", "'").split())
    text = " ".join(text.replace("\u2019", "'").split())
    if not title:  # untitled text: its first sentence plays the headline
        head, _, rest = text.partition(". ")
        if len(head) <= 200:
            title, text = head, rest
    if title and text.startswith(title):  # headline-only feeds repeat the title as the text
        text = text[len(title) :].lstrip(" .:-")
    title_weight = QUESTION_TITLE_WEIGHT if title.endswith("?") else TITLE_WEIGHT
    return [
        (title, title_weight),
        (text[:LEAD_CHARS], LEAD_WEIGHT),
        (text[LEAD_CHARS:REST_CHARS], REST_WEIGHT),
    ]


def _combine(weights: list[float]) -> float:
    """Strongest cue plus half of the others: overlapping phrasings of one fact don't stack."""
    positive = sorted((w for w in weights if w > 0), reverse=True)
    negative = sum(w for w in weights if w < 0)
    if not positive:
        return 0.0
    return max(positive[0] + 0.5 * sum(positive[1:]) + negative, 0.0)


def score_types(title: str, text: str) -> dict[str, float]:
    """Raw cue score per type (each cue counts once per zone, negatives cancel).

    A cue's regex only runs on a zone holding the literals any match of it needs (see
    ``regex_prefilter``): the same result for a fraction of the regex scans.
    """
    scores = dict.fromkeys(SIGNAL_TYPES, 0.0)
    for zone, zone_weight in _zones(title, text):
        if not zone:
            continue
        hits: dict[str, list[float]] = {}
        for position in _PATTERNS.matching(zone):
            label, weight = _CUES[position]
            hits.setdefault(label, []).append(weight)
        for label, weights in hits.items():
            scores[label] += zone_weight * _combine(weights)
    return scores


def is_probably_english(text: str) -> bool:
    """Stopword ratio test; short or word-poor texts count as English."""
    words = [w.lower() for w in _WORD.findall(text[:1500])]
    if len(words) < 8:
        return True
    english = sum(w in ENGLISH_STOPWORDS for w in words)
    foreign = sum(w in FOREIGN_STOPWORDS for w in words)
    return english >= foreign


def _confidence(top: float, runner_up: float) -> float:
    """Saturating in the evidence, shrunk when the runner-up type is close."""
    margin = (top - runner_up) / top if top else 0.0
    return round(min(0.97, (1 - math.exp(-top / 4.0)) * (0.55 + 0.45 * margin)), 3)


def classify(title: str, text: str, url: str | None = None) -> Classification:
    """Primary CONTRACT §1 type with a confidence, secondary types and extracted facts.

    ``url`` is accepted for interface stability; the rules do not read it.
    """
    scores = score_types(title or "", text or "")
    other_score = scores.pop("other")
    english = is_probably_english(f"{title} {text}")
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], SIGNAL_TYPES.index(kv[0])))
    (best, top), (_, runner_up) = ranked[0], ranked[1]
    if top < MIN_SCORE or other_score >= top:
        confidence = 0.3 if not english else max(0.35, 0.75 - 0.08 * max(top, 0.0))
        return Classification(type="other", confidence=round(confidence, 3))
    confidence = _confidence(top, max(runner_up, other_score))
    if not english:
        confidence = round(confidence * 0.8, 3)
    secondary = [
        TypeScore(type=label, confidence=round(confidence * score / top, 3))
        for label, score in ranked[1:]
        if score >= max(SECONDARY_MIN, SECONDARY_RATIO * top)
    ]
    facts = extract_facts(best, title or "", text or "")
    return Classification(type=best, confidence=confidence, secondary=secondary, facts=facts)
