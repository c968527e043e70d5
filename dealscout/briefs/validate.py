"""Checks on the LLM's answer. Reject, never repair: an item that fails any check is
dropped whole, and the rules engine's section stands in when nothing is left."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from pydantic import BaseModel, Field

from dealscout.briefs.rank import SignalView
from dealscout.briefs.schemas import BriefItem
from dealscout.ingestion.injection import find_injection

MAX_ITEM_CHARS = 600
SHINGLE_WORDS = 5
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)
_WORDS = re.compile(r"[a-z0-9']+")


class LlmItem(BaseModel):
    text: str = ""
    citations: list[int] = Field(default_factory=list)


class LlmBrief(BaseModel):
    """The JSON object the model must return."""

    snapshot: list[LlmItem] = Field(default_factory=list)
    why_now: list[LlmItem] = Field(default_factory=list)
    talking_points: list[LlmItem] = Field(default_factory=list)
    questions: list[LlmItem] = Field(default_factory=list)


def _bare(url: str) -> str:
    """A URL without the punctuation a sentence may put after it."""
    return url.rstrip(".,;:/")


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORDS.findall(text.lower())
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


class ItemChecker:
    """Validates items against the signals that were sent and the instructions found in
    the account's documents."""

    def __init__(self, allowed: Mapping[int, SignalView], instructions: Collection[str]) -> None:
        self.allowed = allowed
        self.urls = {_bare(s.url) for s in allowed.values() if s.url}
        self.instruction_shingles: set[tuple[str, ...]] = set()
        for sentence in instructions:
            self.instruction_shingles |= _shingles(sentence)
        self.dropped: list[str] = []

    def reason_to_drop(self, item: LlmItem) -> str | None:
        text = item.text.strip()
        if not text or len(text) > MAX_ITEM_CHARS:
            return "empty or too long"
        if not item.citations:
            return "no citation"
        unknown = [c for c in item.citations if c not in self.allowed]
        if unknown:
            return f"unknown signal ids {unknown}"
        for url in _URL.findall(text):
            if _bare(url) not in self.urls:
                return f"URL not in the signals: {url}"
        if find_injection(text) or _shingles(text) & self.instruction_shingles:
            return "restates an instruction found in a document"
        return None

    def keep(self, items: list[LlmItem], limit: int) -> list[BriefItem]:
        kept: list[BriefItem] = []
        for item in items:
            reason = self.reason_to_drop(item)
            if reason is not None:
                self.dropped.append(reason)
                continue
            citations = list(dict.fromkeys(item.citations))
            kept.append(BriefItem(text=" ".join(item.text.split()), citations=citations))
        return kept[:limit]
