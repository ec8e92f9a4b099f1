"""Safeguarding themes and recurring recommendations.

Themes are the concepts of ``ontology/themes.ttl`` (SKOS scheme ``id/scheme/themes``). Their
``skos:prefLabel`` and ``skos:altLabel`` values are the cues: a text is about a theme when it names
one of them as whole words. Labels written in capitals ("MASH", "GP", "CSE") match only in capitals,
so "mash" or "cse" in ordinary words never do; other labels match in any case, with an optional
plural "s". The file is parsed once per process.

``find_recurring`` groups recommendations that are the same recommendation addressed to different
groups of bodies (near-identical wording).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .model import Recommendation
from .prefilter import Need, fold, may_match, required_words

THEMES_TTL = Path(__file__).resolve().parent.parent / "ontology" / "themes.ttl"
THEME_PREFIX = "https://w3id.org/clasgraph/id/theme/"


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    cues: tuple[str, ...]


@lru_cache(maxsize=4)
def load_themes(path: Path = THEMES_TTL) -> tuple[Theme, ...]:
    """The themes of the SKOS file, by key (parsed with pyoxigraph: milliseconds, no rdflib import)."""
    import pyoxigraph as ox

    skos = "http://www.w3.org/2004/02/skos/core#"
    notation, pref, alt = (ox.NamedNode(skos + n) for n in ("notation", "prefLabel", "altLabel"))
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    themes: list[Theme] = []
    for quad in store.quads_for_pattern(None, notation, None):
        concept = quad.subject
        if not isinstance(concept, ox.NamedNode) or not concept.value.startswith(THEME_PREFIX):
            continue
        key = _value(quad.object)
        labels = [_value(q.object) for q in store.quads_for_pattern(concept, pref, None)]
        label = labels[0] if labels else key
        alts = {_value(q.object) for q in store.quads_for_pattern(concept, alt, None)}
        cues = tuple(sorted({label, *alts}, key=lambda c: (-len(c), c)))
        themes.append(Theme(key, label, cues))
    themes.sort(key=lambda t: t.key)
    return tuple(themes)


def _value(term: object) -> str:
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else str(term)


_WORD = re.compile(r"[a-z0-9]+")


def _cue_pattern(cue: str) -> str:
    words = [re.escape(w) for w in cue.split()]
    body = r"[\s\-]+".join(words)
    return rf"(?<![\w-]){body}(?:s|'s|’s)?(?![\w-])"


@dataclass(frozen=True)
class _CueCheck:
    """One cue's pattern, searched only in text that holds its words (``prefilter.required_words``).
    Every match begins with the cue's first word, so the pattern is only tried (``match``) where
    that word (``lead``, folded; offsets in folded text are offsets in the text) occurs, rather than
    searched from its first occurrence to the end. A first word outside ASCII is not used that way."""

    pattern: re.Pattern[str]
    lead: str | None
    needs: Need
    # Tokens (runs of [a-z0-9] in folded text) every match holds: each run of the cue's letters and
    # digits is a whole token (the look-behind, the spaces or hyphens between words and the cue's own
    # punctuation end it), the last one perhaps with the plural "s". Per run, the tokens that do;
    # None: the cue is not ASCII.
    tokens: tuple[tuple[str, ...], ...] | None = None

    def found_in(self, text: str, folded: str) -> bool:
        """Does the cue occur in ``text`` (``folded``: its ``fold``)? The pattern is tried (``match``,
        which sees the text before the position as a search would) only where the first word occurs,
        and only if the text holds the pattern's words too."""
        lead = self.lead
        if lead is None:
            return may_match(self.needs, folded) and self.pattern.search(text) is not None
        at = folded.find(lead)
        if at < 0 or not may_match(self.needs, folded):
            return False
        match = self.pattern.match
        while at >= 0:
            if match(text, at) is not None:
                return True
            at = folded.find(lead, at + 1)
        return False


def _cue_check(cue: str, flags: int) -> _CueCheck:
    rx = re.compile(_cue_pattern(cue), flags)
    first = cue.split()[0]
    lead = fold(first) if first.isascii() else None
    return _CueCheck(rx, lead, required_words(rx), _cue_tokens(cue))


def _cue_tokens(cue: str) -> tuple[tuple[str, ...], ...] | None:
    if not cue.isascii():
        return None
    folded = fold(cue)
    runs: list[tuple[str, ...]] = [(run,) for run in _WORD.findall(folded)]
    if runs and folded[-1].isalnum():  # the plural ("s") joins the last run
        runs[-1] = (runs[-1][0], runs[-1][0] + "s")
    return tuple(runs)


@lru_cache(maxsize=4)
def _cue_checks(path: Path = THEMES_TTL) -> tuple[tuple[str, frozenset[str], tuple[_CueCheck, ...]], ...]:
    """Per theme: the first words of its cues (a cheap prefilter) and a check per cue. Cues written
    in capitals match in capitals only."""
    out = []
    for theme in load_themes(path):
        caps = [c for c in theme.cues if c.upper() == c and any(ch.isalpha() for ch in c)]
        other = [c for c in theme.cues if c not in caps and c != theme.label]
        checks = [_cue_check(c, 0) for c in caps] + [_cue_check(c, re.I) for c in other]
        firsts = frozenset(w for c in caps + other for w in _words(c.split()[0])[:1])
        out.append((theme.key, firsts, tuple(checks)))
    return tuple(out)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@lru_cache(maxsize=4)
def _first_word_index(path: Path = THEMES_TTL) -> tuple[frozenset[str], dict[str, int]]:
    """The first words of every theme's cues, in the singular and with "s" added, and for each the
    themes (bit i: ``_cue_checks()[i]``) it opens: a text's words, and its words ending in "s"
    without it, meet a theme's first words exactly when its words meet these."""
    index: dict[str, int] = {}
    for i, (_key, firsts, _cues) in enumerate(_cue_checks(path)):
        for f in firsts:
            for w in (f, f + "s"):
                index[w] = index.get(w, 0) | 1 << i
    return frozenset(index), index


def _holds(tokens: AbstractSet[str], needed: tuple[tuple[str, ...], ...]) -> bool:
    for spellings in needed:
        for t in spellings:
            if t in tokens:
                break
        else:
            return False
    return True


# each byte of a UTF-8 text: letters a-z and digits kept, anything else (upper case, punctuation, the bytes
# of characters outside ASCII) a space, so the words of the result are the runs ``_WORD`` finds
_RUN_BYTES = bytes(c if chr(c) in "abcdefghijklmnopqrstuvwxyz0123456789" else 32 for c in range(256))


def _runs(lowered: str) -> list[str]:
    """``_WORD.findall(lowered)``, perhaps in another order: translating bytes and splitting costs
    less than a regular expression's scan (no match objects)."""
    return lowered.encode("utf-8", "surrogatepass").translate(_RUN_BYTES).decode("ascii").split()


class _CueIndex(NamedTuple):
    """The cues by the token every match of them starts with (``_CueCheck.tokens[0]``, in each of its
    spellings): a text's tokens name the few cues worth checking, instead of every cue of every theme
    one of whose first words the text holds."""

    keys: tuple[str, ...]  # the themes' keys, in key order (bit i: ``keys[i]``)
    # per spelling of a first token, its cues: the theme's bit, the tokens needed besides the first,
    # the check
    by_lead: dict[str, tuple[tuple[int, tuple[tuple[str, ...], ...], _CueCheck], ...]]
    unindexed: tuple[tuple[int, _CueCheck], ...]  # cues without ASCII tokens: checked as before
    # every token the gate (``_first_word_index``) or a cue's tokens name: a text's tokens matter only
    # where they are one of these
    known: frozenset[str]


@lru_cache(maxsize=4)
def _cue_index(path: Path = THEMES_TTL) -> _CueIndex:
    by_lead: dict[str, list[tuple[int, tuple[tuple[str, ...], ...], _CueCheck]]] = {}
    unindexed: list[tuple[int, _CueCheck]] = []
    keys: list[str] = []
    known = set(_first_word_index(path)[0])
    for i, (key, _firsts, cues) in enumerate(_cue_checks(path)):
        keys.append(key)
        for cue in cues:
            if not cue.tokens:  # not ASCII (None), or no letters or digits at all (needs no token)
                unindexed.append((1 << i, cue))
                continue
            for spellings in cue.tokens:
                known.update(spellings)
            for spelling in dict.fromkeys(cue.tokens[0]):
                by_lead.setdefault(spelling, []).append((1 << i, cue.tokens[1:], cue))
    return _CueIndex(tuple(keys), {w: tuple(c) for w, c in by_lead.items()}, tuple(unindexed), frozenset(known))


def tag_themes(text: str) -> list[str]:
    """Keys of the themes a text is about, in key order.

    A theme is considered when the text holds one of its cues' first words (``_first_word_index``);
    of its cues, those whose tokens the text holds are searched (``_CueCheck.found_in``), and the
    theme is the text's when one is found. Which cues are tried is read off the text's tokens
    (``_cue_index``); the order in which they are tried does not change the answer. Only the tokens
    some cue or first word names are kept (``_CueIndex.known``): every test reads just those."""
    firsts, opens = _first_word_index()
    index = _cue_index()
    lowered = text.lower()
    words = index.known.intersection(_runs(lowered))
    themes = 0  # the themes one of whose cues' first words the text holds
    for w in firsts.intersection(words):
        themes |= opens[w]
    if not themes:  # no cue can start here: skip the regular expressions
        return []
    if text.isascii():  # fold is lower case here, and the tokens of the folded text are the words
        folded, tokens = lowered, words
    else:  # the tokens of the folded text (those of the lower-cased text unless it holds İ, ı or ſ)
        folded = fold(text)
        tokens = words if folded == lowered else index.known.intersection(_runs(folded))
    found = 0
    by_lead = index.by_lead
    for lead in tokens:
        for bit, rest, cue in by_lead.get(lead, ()):
            if themes & bit and not found & bit and _holds(tokens, rest) and cue.found_in(text, folded):
                found |= bit
    for bit, cue in index.unindexed:
        if themes & bit and not found & bit and (cue.tokens is None or _holds(tokens, cue.tokens)) \
                and cue.found_in(text, folded):
            found |= bit
    return _bit_keys(found, index.keys)


def _bit_keys(bits: int, keys: tuple[str, ...]) -> list[str]:
    """``[key for i, key in enumerate(keys) if bits >> i & 1]``, stepping from one set bit to the next
    (lowest first, so in key order) instead of over every key: a text is about a few of the themes."""
    out: list[str] = []
    while bits:
        low = bits & -bits
        out.append(keys[low.bit_length() - 1])
        bits ^= low
    return out


def theme_labels() -> dict[str, str]:
    return {t.key: t.label for t in load_themes()}


# --------------------------------------------------------------------------- recurring recommendations

_STOP = frozenset("the a an to of and or in on for that is are be with by as this their its all".split())


def _tokens(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("&", " and ")
    return [w for w in re.findall(r"[a-z0-9']+", text) if w not in _STOP]


SAME_WORDING = 0.85  # the SequenceMatcher ratio above which two recommendations are the same


def same_recommendation(a: str, b: str, threshold: float = SAME_WORDING) -> bool:
    """Near-identical wording: most words in the same order, or one text is the other plus a lead-in.

    "Ensure that information coming out of MARAC ..." and "Work with GP practices to help them ensure
    that the information coming out of MARAC ..." are the same recommendation.
    """
    return _same_words(_Words.of(a), _Words.of(b), threshold)


@dataclass(frozen=True)
class _Words:
    """A recommendation's words as ``same_recommendation`` compares them, counted once."""

    tokens: list[str]
    counts: Counter[str]
    distinct: frozenset[str]

    @classmethod
    def of(cls, text: str) -> _Words:
        tokens = _tokens(text)
        counts = Counter(tokens)
        return cls(tokens, counts, frozenset(counts))


def _same_words(a: _Words, b: _Words, threshold: float) -> bool:
    """``same_recommendation`` on words counted beforehand."""
    if not a.tokens or not b.tokens:
        return False
    shorter, longer = (a, b) if len(a.tokens) <= len(b.tokens) else (b, a)
    short, long_ = shorter.tokens, longer.tokens
    if len(short) < 6:
        return a.tokens == b.tokens
    # The shared words (as a multiset) bound the matching blocks from above: a cheap, exact reject.
    # Cheaper bounds on the shared words reject first: the reject test only gets truer as the count
    # falls (float division is monotonic in the numerator), so what a bound rejects, the count would.
    # The test: 2 * shared / total < threshold and (shared / len(short) < 0.92 or wide).
    total = len(short) + len(long_)
    wide = len(short) / len(long_) < 0.6
    if wide and 2 * len(short) / total < threshold:  # bound: the shorter's words
        return False
    # bound: the distinct words both hold, plus the shorter's repeats
    bound = len(shorter.distinct & longer.distinct) + len(short) - len(shorter.distinct)
    if 2 * bound / total < threshold and (bound / len(short) < 0.92 or wide):
        return False
    counts = longer.counts
    shared = sum(min(n, counts[w]) for w, n in shorter.counts.items() if w in counts)
    if 2 * shared / total < threshold and (shared / len(short) < 0.92 or wide):
        return False
    sm = SequenceMatcher(None, short, long_, autojunk=False)
    if sm.ratio() >= threshold:
        return True
    matched = sum(block.size for block in sm.get_matching_blocks())
    return matched / len(short) >= 0.92 and len(short) / len(long_) >= 0.6


def find_recurring(recommendations: list[Recommendation]) -> list[list[str]]:
    """Groups (of two or more, from different recommendation groups) of recommendation numbers that are
    the same recommendation addressed to different bodies; each group in report order."""
    n = len(recommendations)
    parent = list(range(n))
    words = [_Words.of(r.text) for r in recommendations]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    groups = [r.group for r in recommendations]
    lengths = [len(w.tokens) for w in words]
    # each recommendation's distinct words as bits (one per word of the report), and how many: the
    # distinct words two recommendations share are the bits of the "and" of theirs
    bit: dict[str, int] = {}
    masks = []
    for w in words:
        mask = 0
        for word in w.distinct:
            mask |= 1 << bit.setdefault(word, len(bit))
        masks.append(mask)
    distinct = [len(w.distinct) for w in words]
    for i in range(n):
        group, length, mask = groups[i], lengths[i], masks[i]
        for j in range(i + 1, n):
            if groups[j] == group:
                continue
            # the first rejects of _same_words, by length alone, before any call
            short, long_ = (length, lengths[j]) if length <= lengths[j] else (lengths[j], length)
            if short < 6:
                if short != long_:
                    continue
            else:
                wide = short / long_ < 0.6
                if wide and 2 * short / (short + long_) < SAME_WORDING:
                    continue
                # and its reject by the distinct words both hold plus the shorter's repeats (the shorter:
                # the first of the two where the lengths are equal, as _same_words takes them)
                bound = (mask & masks[j]).bit_count() + short - (distinct[i] if length <= lengths[j] else distinct[j])
                if 2 * bound / (short + long_) < SAME_WORDING and (bound / short < 0.92 or wide):
                    continue
            if find(i) == find(j):
                continue
            if _same_words(words[i], words[j], SAME_WORDING):
                parent[find(j)] = find(i)
    clusters: dict[int, list[int]] = {}
    for i in range(n):
        clusters.setdefault(find(i), []).append(i)
    out: list[list[str]] = []
    for members in clusters.values():
        if len(members) >= 2 and len({groups[i] for i in members}) >= 2:
            out.append([recommendations[i].number for i in sorted(members)])
    position = {r.number: i for i, r in enumerate(recommendations)}
    out.sort(key=lambda nums: position[nums[0]])
    return out
