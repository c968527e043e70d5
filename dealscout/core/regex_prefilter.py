"""Literal prefilter for case-insensitive cue regexes: skip ``search`` where it cannot match.

``re`` scans every position of a text for every cue, which made classification slow.
Most cues need some literal text ("acqui", "layoff", "partner"), so at import time we
derive for each pattern sets of literals such that every match contains one literal of
each set, and at score time only run the pattern on a text holding such literals. Which
literals a text holds is found by one regex pass of all literals as a trie. The prefilter
is only a necessary condition: where the analysis is unsure (character classes, optional
parts, lookarounds) it asks for nothing, and the pattern runs.

Texts and literals both pass through :func:`fold_case`, under which every character
``re.IGNORECASE`` matches with a literal folds to the same character as the literal
(``str.lower`` alone misses "ſ" ~ "s" or "İ" ~ "i"). Case-sensitive parts ``(?-i:...)``
match exactly, which folding preserves too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _casefix, _parser  # type: ignore[attr-defined]
from re._constants import (
    ATOMIC_GROUP,
    BRANCH,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    POSSESSIVE_REPEAT,
    SUBPATTERN,
)
from typing import Any

Literals = frozenset[str]

# Characters that re.IGNORECASE treats as equal although their lowercase forms differ
# ("ſ" ~ "s", "ı" ~ "i", "ς" ~ "σ", ...): each maps to the smallest member of its class.
_CASE_FIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            (chr(member), chr(min(low, *others)))
            for low, others in _casefix._EXTRA_CASES.items()
            for member in (low, *others)
            if member != min(low, *others)
        }
    )
)
_MIN_EXTRA_LENGTH = 3  # a further required set of shorter literals ("c", " ") rejects little


def fold_case(text: str) -> str:
    """Lowercase ``text`` so that characters equal under re.IGNORECASE become equal."""
    if text.isascii():
        return text.lower()
    text = text.replace("\u0130", "i").lower()  # "İ".lower() is "i" + a combining dot
    for source, target in _CASE_FIXES:
        if source in text:
            text = text.replace(source, target)
    return text


def required_literals(pattern: str) -> tuple[Literals, ...]:
    """Sets of folded literals; every match of ``pattern`` contains one literal of each set.

    The most selective set comes first; no sets means the pattern must always run.
    """
    found = [_minimal(lits) for lits in _mandatory(_parser.parse(pattern, re.IGNORECASE))]
    found.sort(key=_selectivity, reverse=True)
    return tuple(found[:1] + [s for s in found[1:] if min(map(len, s)) >= _MIN_EXTRA_LENGTH])


def may_match(required: tuple[Literals, ...], present: set[str]) -> bool:
    """Whether a text holding the literals ``present`` has one literal of each set."""
    for literals in required:  # noqa: SIM110 - a loop is 2-3x faster than all() or any(map())
        if literals.isdisjoint(present):
            return False
    return True


class LiteralScanner:
    """Which of many literals occur in a text, in one regex pass."""

    def __init__(self, literals: Iterable[str]) -> None:
        known = sorted(set(literals))
        # at each position the trie matches the longest literal; the shorter ones starting
        # there are its prefixes, so every literal in the text is within some match
        self._regex = re.compile(f"(?=({_trie(known)}))")
        self._within = {lit: frozenset(o for o in known if o in lit) for lit in known}

    def present(self, text: str) -> set[str]:
        """The literals that occur in ``fold_case(text)``."""
        found: set[str] = set()
        for match in self._regex.finditer(fold_case(text)):
            found |= self._within[match[1]]
        return found


class PatternSet:
    """Patterns with their required literals, indexed by their most selective literal set,
    so a text only meets the patterns whose literals it holds."""

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        self.patterns = list(patterns)
        self.required = [required_literals(p.pattern) for p in self.patterns]
        self.scanner = LiteralScanner(lit for req in self.required for lits in req for lit in lits)
        self._always = [i for i, req in enumerate(self.required) if not req]
        self._by_literal: dict[str, list[int]] = {}
        for i, req in enumerate(self.required):
            for literal in req[0] if req else ():
                self._by_literal.setdefault(literal, []).append(i)

    def matching(self, text: str) -> list[int]:
        """Positions, in order, of the patterns that match ``text``."""
        present = self.scanner.present(text)
        candidates = set(self._always)
        for literal in present:
            candidates.update(self._by_literal.get(literal, ()))
        return [
            i
            for i in sorted(candidates)
            if may_match(self.required[i][1:], present) and self.patterns[i].search(text)
        ]


def _trie(words: list[str]) -> str:
    """A regex of ``words`` as a trie: sre tries alternatives one by one, so a flat
    alternation of hundreds of words would be slow."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_node(root)


def _trie_node(node: dict[str, Any]) -> str:
    branches = [re.escape(char) + _trie_node(child) for char, child in node.items() if char]
    if not branches:
        return ""
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if "" in node else group  # greedy: the longer word first


def _minimal(literals: Literals) -> Literals:
    """Folded ``literals`` without those containing another ("sued" adds nothing to "sue")."""
    folded = {fold_case(literal) for literal in literals}
    return frozenset(lit for lit in folded if not any(o != lit and o in lit for o in folded))


def _mandatory(items: Any) -> list[Literals]:
    """Literal sets for the mandatory elements of a sequence of parsed regex items."""
    candidates: list[Literals] = []
    run: list[str] = []
    for op, av in items:
        if op is LITERAL:
            run.append(chr(av))
            continue
        if run:  # a run of literals must appear verbatim
            candidates.append(frozenset({"".join(run)}))
            run = []
        literals = _item(op, av)
        if literals is not None:
            candidates.append(literals)
    if run:
        candidates.append(frozenset({"".join(run)}))
    return candidates


def _item(op: Any, av: Any) -> Literals | None:
    """Literals for one non-literal item; ``None`` when it may match without any of them."""
    if op is SUBPATTERN:  # (group, add_flags, del_flags, pattern)
        return _sequence(av[-1])
    if op is ATOMIC_GROUP:
        return _sequence(av)
    if op is BRANCH:  # every alternative must supply literals
        union: set[str] = set()
        for branch in av[1]:
            literals = _sequence(branch)
            if literals is None:
                return None
            union |= literals
        return frozenset(union)
    if op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT) and av[0] >= 1:
        return _sequence(av[2])
    return None  # classes, anchors, lookarounds, optional parts: no literal is certain


def _sequence(items: Any) -> Literals | None:
    """The most selective mandatory element of a sequence; ``None`` if it has none."""
    return max(_mandatory(items), key=_selectivity, default=None)


def _selectivity(literals: Literals) -> tuple[int, int]:
    """Longer literals are rarer; fewer alternatives are fewer to look for."""
    return min(map(len, literals)), -len(literals)
