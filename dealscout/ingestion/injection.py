"""Spotting text that tries to instruct a language model (prompt injection).

Ingested pages are data. A page that talks to "the AI" or tells it to ignore its
instructions is stored, but its signal is flagged ``suspicious`` and the LLM engines drop
any output that repeats such an instruction.
"""

from __future__ import annotations

import re

_PATTERNS = [
    r"\b(?:ignore|disregard|forget) (?:all |any |everything )?(?:of )?(?:the |your )?"
    r"(?:previous|prior|above|earlier|your) (?:instructions|prompts?|rules)",
    r"\byou are now\b",
    r"\b(?:new|updated|override) (?:system )?instructions?\s*:",
    r"\bsystem prompt\b",
    r"\bas an ai (?:language )?model\b",
    r"\b(?:assistant|ai|llm|chatbot|model)\s*[,:]\s*(?:please )?"
    r"(?:ignore|say|write|output|respond|reply|include|tell)\b",
    r"<\s*/?\s*(?:system|instructions?)\s*>",
    r"\bdo not (?:mention|reveal|cite) (?:this|these) (?:instructions|sources?)\b",
]
_INJECTION = re.compile("|".join(_PATTERNS), re.IGNORECASE)


def find_injection(text: str) -> str | None:
    """The first instruction-like phrase in ``text``, or None."""
    match = _INJECTION.search(text)
    return match.group(0) if match else None


def looks_like_injection(text: str) -> bool:
    return find_injection(text) is not None
