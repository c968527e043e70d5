"""Offline, deterministic signal-type classifier (CONTRACT §1): a learned model over words
and the weighted cue rules.

The cue rules score each type (the title counts twice as much as the lead of the text and
the lead more than the rest, so "acquires" in a headline beats a partnership mentioned in
passing); those scores and the rules' own answer are features of the learned model in
``signal_model``, trained on ``data/signals/`` by ``training``.
"""

from __future__ import annotations

import math
import re

from pydantic import BaseModel, Field

from dealscout.core.regex_prefilter import PatternSet
from dealscout.ingestion.facts import extract_facts
from dealscout.ingestion.signal_model import headline_and_body, lexical_features, shipped_model
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
SECONDARY_MIN_PROBABILITY = 0.15  # a secondary type must be a real alternative
SECONDARY_RATIO = 0.25  # ... or have cues at least this share of the strongest type's
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
    model: str = ""  # version of the learned model that answered


def _zones(title: str, text: str) -> list[tuple[str, float]]:
    title, text = headline_and_body(title.replace("\u2019", "'"), text.replace("\u2019", "'"))
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


def rule_type(scores: dict[str, float]) -> str:
    """The cue rules' own answer: the strongest event type, or ``other`` when no type
    reaches ``MIN_SCORE`` or the commentary/filing cues outweigh it."""
    ranked = sorted(
        ((label, score) for label, score in scores.items() if label != "other"),
        key=lambda kv: (-kv[1], SIGNAL_TYPES.index(kv[0])),
    )
    best, top = ranked[0]
    return "other" if top < MIN_SCORE or scores["other"] >= top else best


DENSE_FEATURES = (
    tuple(f"cue:{label}" for label in SIGNAL_TYPES)
    + tuple(f"rule:{label}" for label in SIGNAL_TYPES)
    + ("english", "question_title")
)


def dense_features(title: str, text: str, scores: dict[str, float] | None = None) -> list[float]:
    """The cue rules as model features: each type's cue score (log-scaled), the rules' own
    answer (one-hot), whether the text reads as English and whether the headline asks."""
    scores = scores if scores is not None else score_types(title, text)
    answer = rule_type(scores)
    english = is_probably_english(f"{title} {text}")
    return (
        [math.log1p(scores[label]) for label in SIGNAL_TYPES]
        + [1.0 if label == answer else 0.0 for label in SIGNAL_TYPES]
        + [1.0 if english else 0.0, 1.0 if title.rstrip().endswith("?") else 0.0]
    )


def _secondary(
    best: str, events: list[tuple[str, float]], scores: dict[str, float]
) -> list[TypeScore]:
    """Other event types worth knowing: the model's real alternatives, and types whose cues
    stand on their own ("reports results ... will lay off 20%" → earnings + layoffs). An
    ``other`` answer keeps only the most likely event type."""
    if best == "other":
        return [TypeScore(type=label, confidence=round(p, 3)) for label, p in events[:1]]
    strongest = max(scores.values())
    return [
        TypeScore(type=label, confidence=round(p, 3))
        for label, p in events
        if label != best
        and (
            p >= SECONDARY_MIN_PROBABILITY
            or scores[label] >= max(MIN_SCORE, SECONDARY_RATIO * strongest)
        )
    ][:3]


def classify(title: str, text: str, url: str | None = None) -> Classification:
    """Primary CONTRACT §1 type with a calibrated confidence, secondary types and facts.

    Below the model's threshold the answer is ``other`` and the most likely event type is
    kept as the secondary type. ``url`` is accepted for interface stability.
    """
    title, text = title or "", text or ""
    model = shipped_model()
    scores = score_types(title, text)
    probabilities = model.probabilities(
        lexical_features(title, text), dense_features(title, text, scores)
    )
    ranked = sorted(
        zip(model.labels, probabilities.tolist(), strict=True),
        key=lambda kv: (-kv[1], SIGNAL_TYPES.index(kv[0])),
    )
    events = [(label, p) for label, p in ranked if label != "other"]
    best, confidence = ranked[0]
    if best != "other" and confidence < model.threshold:
        best, confidence = "other", max(dict(ranked)["other"], 1.0 - confidence)
    facts = extract_facts(best, title, text) if best != "other" else {}
    return Classification(
        type=best,
        confidence=round(min(confidence, 0.99), 3),
        secondary=_secondary(best, events, scores),
        facts=facts,
        model=model.version,
    )
