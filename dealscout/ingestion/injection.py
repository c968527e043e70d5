"""Spotting text that tries to instruct a language model (prompt injection).

Ingested pages are data. A page that talks to "the AI" or tells it to ignore its
instructions is stored, but its signal is flagged ``suspicious`` (never quoted as fact in a
brief) and the LLM engines drop any output that repeats such an instruction.

Phrases are looked for in folded text, so disguises do not hide them: NFKC (fullwidth and
styled letters), zero-width and other invisible characters removed, accents dropped,
Cyrillic and Greek look-alike letters mapped to Latin, case and spacing ignored. English,
Spanish, French, German, Italian and Portuguese phrasings are known.
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic and Greek letters drawn like Latin ones.
_HOMOGLYPHS = str.maketrans(
    "аеорсухіјѕԁԛԝһӏкмтвнАВЕКМНОРСТХУІЈЅαοριικνυχεΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdqwhlkmtbhABEKMHOPCTXYIJSaopiikvuxeABEZHIKMNOPTYX",
)
_VERBS = "ignore disregard forget override bypass skip drop abandon"
_WORDS = r"(?: (?:all|any|every|each|of|the|your|my|these|those|this|prior|above|previous))*"
# (the words a phrase can start with, the phrase), matched on folded text
_RULES: list[tuple[str, str]] = [
    # English
    (
        _VERBS,
        r"\w+" + _WORDS + r" (?:previous|prior|above|earlier|preceding|foregoing"
        r"|original|initial|system|existing|given) (?:instructions?|directions?|prompts?|rules"
        r"|guidelines|commands?|directives?)\b",
    ),
    (_VERBS, r"\w+" + _WORDS + r" (?:instructions|prompts?)\b"),
    (
        "ignore disregard forget",
        r"\w+ (?:everything|anything|all) (?:above|before|prior"
        r"|previously|you were told)\b",
    ),
    ("you", r"you are now\b"),
    ("from", r"from now on,? (?:you|the assistant) (?:are|will|must|should)\b"),
    (
        "pretend act",
        r"\w+ (?:to be|that you are|you are|as (?:an?|the)) (?:ai|assistant|model"
        r"|chatbot|system|unrestricted|jailbroken|dan)\b",
    ),
    ("new updated override revised", r"\w+ (?:system )?instructions? ?:"),
    ("system", r"system prompt\b"),
    (
        "reveal print show repeat",
        r"\w+ (?:your|the) (?:hidden |initial )?(?:prompt|instructions)\b",
    ),
    ("as", r"as an ai (?:language )?model\b"),
    ("developer jailbreak dan", r"\w+ mode\b"),
    (
        "assistant ai llm chatbot model gpt claude",
        r"\w+ ?[,:] ?(?:please )?(?:ignore|say|write"
        r"|output|respond|reply|include|tell|state|claim|report)\b",
    ),
    ("<", r"< ?/? ?(?:system|instructions?|im_start|im_end) ?>"),
    ("do", r"do not (?:mention|reveal|cite) (?:this|these) (?:instructions|sources?)\b"),
    # Spanish
    (
        "ignora ignore olvida olvide descarta omite",
        r"\w+(?: (?:todas?|todo|las|los|tus|sus))*"
        r" (?:instrucciones|indicaciones|ordenes|reglas)\b",
    ),
    ("haz", r"haz caso omiso de (?:todas )?(?:las )?(?:instrucciones|indicaciones)\b"),
    ("partir desde", r"(?:partir de ahora|desde ahora),? (?:tu )?eres\b"),
    ("nuevas", r"nuevas instrucciones ?:"),
    # French
    (
        "ignore ignorez ignorer oublie oubliez oublier neglige negligez negliger",
        r"\w+(?: (?:toutes|tous|les|tes|vos|des))* (?:instructions|consignes|directives"
        r"|regles)\b",
    ),
    ("ne", r"ne tiens? (?:pas|plus) compte des (?:instructions|consignes)\b"),
    ("partir desormais", r"(?:partir de maintenant|desormais),? (?:tu es|vous etes)\b"),
    ("nouvelles", r"nouvelles (?:instructions|consignes) ?:"),
    # German
    (
        "ignoriere ignorieren vergiss vergessen missachte missachten",
        r"\w+(?: sie)?(?: (?:alle|die|deine|ihre|vorherigen|bisherigen|obigen|vorigen|fruheren))*"
        r" (?:anweisungen|instruktionen|befehle|regeln|vorgaben)\b",
    ),
    ("ab", r"ab (?:jetzt|sofort) (?:bist du|sind sie)\b"),
    ("neue", r"neue anweisungen ?:"),
    # Italian, Portuguese
    ("ignora dimentica", r"\w+(?: (?:tutte|le|tue))* (?:istruzioni|regole)\b"),
    ("ignore ignora esqueca", r"\w+(?: (?:todas|as|suas))* (?:instrucoes|regras)\b"),
]


def _by_first_word() -> dict[str, re.Pattern[str]]:
    phrases: dict[str, list[str]] = {}
    for words, phrase in _RULES:
        for word in words.split():
            phrases.setdefault(word, []).append(phrase)
    return {w: re.compile("|".join(f"(?:{p})" for p in ps)) for w, ps in phrases.items()}


# A phrase is tried only where a word it can start with starts, so a megabyte of text
# costs a fraction of a second.
_PHRASES = _by_first_word()
_WORD = re.compile(r"[a-z]+|<")
# Zero-width, joiners, bidi controls, variation selectors, soft hyphen, combining marks.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff"
    "\u20d0-\u20ff\ufe20-\ufe2f\U000e0001\U000e007f\U000e0100-\U000e01ef]"
)
# Unicode tag characters spell ASCII invisibly ("ASCII smuggling"): read them as ASCII.
_TAGS = {code: code - 0xE0000 for code in range(0xE0020, 0xE007F)}
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """``text`` as the phrases are matched: NFKC, invisibles and accents removed, tag
    characters read as ASCII, look-alike letters made Latin, lower case, single spaces."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
        text = _INVISIBLE.sub("", text.translate(_TAGS)).translate(_HOMOGLYPHS)
    return _SPACE.sub(" ", text).lower()


def find_injection(text: str) -> str | None:
    """The first instruction-like phrase in ``text`` (folded), or None."""
    folded = fold(text)
    for word in _WORD.finditer(folded):
        phrases = _PHRASES.get(word.group())
        match = phrases.match(folded, word.start()) if phrases else None
        if match:
            return match.group(0)
    return None


def looks_like_injection(text: str) -> bool:
    return find_injection(text) is not None
