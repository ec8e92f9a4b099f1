"""Cheap keyword prefilters for families of regular expressions run on every sentence.

Many extraction rules are regular expressions that can only match where a certain word is written
("... commissioned ... by", "lack of", "not in place"), but a regular expression that begins with
optional words or a look-behind is tried at every position of every sentence. ``required_words``
reads a compiled pattern and derives a set of literal strings, at least one of which every match
must contain; a sentence whose folded text holds none of them cannot match, so the pattern need not
run. The words come from the pattern itself (never a hand-kept list that could drift from it):

- a run of literal characters in sequence (look-arounds and ``\\b`` do not interrupt it) is needed;
- a group, or a repeat that must occur at least once, needs what its content needs;
- an alternation needs one of what each alternative needs (if every alternative needs something);
- of the needs of a sequence, the most selective (longest shortest word) is kept.

Matching is compared on ``fold(text)``: lower case, with the few non-ASCII letters that Python's
case-insensitive matching equates with ASCII letters (dotted and dotless i, long s, Kelvin sign)
written as those letters, so a case-insensitive pattern and its words agree on every input. Words
are kept to ASCII characters for the same reason.

    rx = re.compile(r"\\b(?:is\\s+)?commissioned\\s+by\\b", re.I)
    words = required_words(rx)            # frozenset({"commissioned"})
    if may_match(words, fold(sentence)):  # else rx.search(sentence) is certainly None
        ...
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any


def fold(text: str) -> str:
    """``text`` as the prefilter compares it: lower case, with Python's case-insensitive look-alikes
    of ASCII letters (İ ı ſ; the Kelvin sign lowers to "k" by itself) written as those letters.
    Every character folds to exactly one, so an offset in the folded text is the same offset in
    ``text``."""
    low = text.replace("\u0130", "i").lower() if "\u0130" in text else text.lower()
    if not low.isascii():
        low = low.replace("\u0131", "i").replace("\u017f", "s")
    return low


def _sre() -> Any:
    try:
        return importlib.import_module("re._parser")  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        return importlib.import_module("sre_parse")


_P = _sre()
_ZERO_WIDTH = {_P.AT, _P.ASSERT, _P.ASSERT_NOT}
_REPEATS = {_P.MAX_REPEAT, _P.MIN_REPEAT} | ({_P.POSSESSIVE_REPEAT} if hasattr(_P, "POSSESSIVE_REPEAT") else set())
_GROUPS = {_P.SUBPATTERN} | ({_P.ATOMIC_GROUP} if hasattr(_P, "ATOMIC_GROUP") else set())

Need = frozenset[str] | None


def _best(candidates: list[frozenset[str]]) -> Need:
    """The most selective need: the most letters and digits in its shortest word (spaces and
    punctuation are everywhere), then the fewest words."""
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (min(sum(ch.isalnum() for ch in w) for w in c), -len(c)))
    # a word that holds another of the set adds nothing: where "ccgs" is, "ccg" is too
    return frozenset(w for w in best if not any(v != w and v in w for v in best))


# Characters a word may hold: ASCII, and typographic punctuation that has no case (so matches only itself).
_PUNCTUATION = frozenset("’‘“”–—")
_MAX_SPELLINGS = 16  # a run over small character classes ("n[’']t") is kept as up to this many strings


def _char(ch: str) -> str | None:
    return ch.lower() if ch.isascii() or ch in _PUNCTUATION else None


def _spellings(op: Any, av: Any) -> set[str] | None:
    """Every string one item can match, if it matches only a few fixed strings (a literal, a small
    class of literals, a group or alternation of such): "[Tt]he" -> {"the"}, "(?:CCG|Trust)" ->
    {"ccg", "trust"}."""
    if op is _P.LITERAL:
        c = _char(chr(av))
        return {c} if c else None
    if op is _P.IN:
        if not av or len(av) > 4 or any(o is not _P.LITERAL for o, _v in av):
            return None
        chars = {_char(chr(v)) for _o, v in av}
        return None if None in chars else {c for c in chars if c}
    if op is _P.SUBPATTERN:
        return _sequence_spellings(av[-1])
    if op is _P.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            sp = _sequence_spellings(alt)
            if sp is None:
                return None
            out |= sp
        return out if len(out) <= _MAX_SPELLINGS else None
    return None


def _sequence_spellings(items: Any) -> set[str] | None:
    out = {""}
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        sp = _spellings(op, av)
        if sp is None or len(out) * len(sp) > _MAX_SPELLINGS:
            return None
        out = {a + b for a in out for b in sp}
    return out


def _sequence(items: Any) -> Need:
    candidates: list[frozenset[str]] = []
    runs = {""}  # the spellings of the literal run being read

    def end_run() -> None:
        nonlocal runs
        if "" not in runs:
            candidates.append(frozenset(runs))
        runs = {""}

    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # takes no characters: the literals either side are still adjacent
        sp = _spellings(op, av)
        if sp is not None and len(runs) * len(sp) <= _MAX_SPELLINGS:
            runs = {r + c for r in runs for c in sp}
            continue
        end_run()
        if sp is not None:  # too many spellings with the run before: start a new run here
            runs = sp
            continue
        child: Need = None
        if op in _GROUPS:
            child = _sequence(av[-1] if op is _P.SUBPATTERN else av)
        elif op in _REPEATS:
            low, _high, item = av
            child = _sequence(item) if low >= 1 else None
        elif op is _P.BRANCH:
            needs = [_sequence(alt) for alt in av[1]]
            child = frozenset().union(*needs) if all(n is not None for n in needs) else None  # type: ignore[arg-type]
        if child:
            candidates.append(child)
    end_run()
    return _best(candidates)


def required_words(pattern: re.Pattern[str]) -> Need:
    """Literal strings (folded) of which every match of ``pattern`` contains at least one, or None
    when the pattern needs no particular text."""
    try:
        items = _P.parse(pattern.pattern, pattern.flags)
    except Exception:  # CPython's own parser (private): should it ever change, run the pattern unfiltered
        return None
    return _sequence(items)


def may_match(words: Need, folded: str) -> bool:
    """False only if no match is possible: none of ``words`` is in ``folded`` (a ``fold``-ed text)."""
    if words is None:
        return True
    for w in words:
        if w in folded:
            return True
    return False


# Characters a case-insensitive pattern may hold as literals for ``folded_pattern``: on every input,
# re.IGNORECASE matches one of them exactly where ``fold`` gives it (checked over all of Unicode in
# tests/test_prefilter_mask.py); an upper-case ASCII letter is not one (fold never gives it).
_FOLDABLE = frozenset(chr(c) for c in range(128) if not chr(c).isupper()) | _PUNCTUATION
_FOLD_SAFE_OPS = {_P.ANY, _P.AT, _P.CATEGORY, _P.NEGATE}


def _foldable(items: Any) -> bool:
    for op, av in items:
        if op in (_P.LITERAL, _P.NOT_LITERAL):
            if chr(av) not in _FOLDABLE:
                return False
        elif op is _P.IN:
            for iop, iav in av:
                if iop is _P.LITERAL:
                    if chr(iav) not in _FOLDABLE:
                        return False
                elif iop is _P.RANGE:
                    if not all(chr(c) in _FOLDABLE for c in range(iav[0], iav[1] + 1)):
                        return False
                elif iop not in _FOLD_SAFE_OPS:
                    return False
        elif op in _FOLD_SAFE_OPS:
            continue
        elif op is _P.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags or not _foldable(sub):
                return False
        elif op is _P.BRANCH:
            if not all(_foldable(alt) for alt in av[1]):
                return False
        elif op in _REPEATS:
            if not _foldable(av[2]):
                return False
        elif op in (_P.ASSERT, _P.ASSERT_NOT):
            if not _foldable(av[1]):
                return False
        elif op in _GROUPS:  # an atomic group
            if not _foldable(av):
                return False
        else:  # a back-reference compares text as written; anything else: do not presume
            return False
    return True


def folded_pattern(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` (case-insensitive) as a case-sensitive pattern that finds in ``fold(text)`` exactly
    the matches ``pattern`` finds in ``text``, at the same offsets; or None where that cannot be
    vouched for (not re.IGNORECASE, ASCII or LOCALE matching, flags set inside, an upper-case or other
    cased literal, a back-reference). Case-sensitive matching of the folded text is several times
    faster. Read a group's text from ``text`` by its span: in ``fold(text)`` it is lower-cased.

    Why it holds: ``fold`` maps each character to one, keeps ``\\w``, ``\\s``, ``\\d`` and line ends
    as they were, and gives an ASCII letter exactly where re.IGNORECASE matches that letter."""
    if not pattern.flags & re.IGNORECASE or pattern.flags & (re.ASCII | re.LOCALE):
        return None
    try:
        items = _P.parse(pattern.pattern, pattern.flags)
    except Exception:  # CPython's own parser (private): should it ever change, no folded pattern
        return None
    if not _foldable(items):
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


_CATEGORY_SOURCE = {
    _P.CATEGORY_DIGIT: r"\d", _P.CATEGORY_NOT_DIGIT: r"\D", _P.CATEGORY_SPACE: r"\s",
    _P.CATEGORY_NOT_SPACE: r"\S", _P.CATEGORY_WORD: r"\w", _P.CATEGORY_NOT_WORD: r"\W",
}
_AT_SOURCE = {
    _P.AT_BOUNDARY: r"\b", _P.AT_NON_BOUNDARY: r"\B", _P.AT_BEGINNING: "^", _P.AT_BEGINNING_STRING: r"\A",
    _P.AT_END: "$", _P.AT_END_STRING: r"\Z",
}


def _class_source(items: Any) -> str | None:
    out = []
    for op, av in items:
        if op is _P.NEGATE:
            out.append("^")
        elif op is _P.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is _P.RANGE:
            out.append(re.escape(chr(av[0])) + "-" + re.escape(chr(av[1])))
        elif op is _P.CATEGORY and av in _CATEGORY_SOURCE:
            out.append(_CATEGORY_SOURCE[av])
        else:
            return None
    return "[" + "".join(out) + "]"


def _source(items: Any, relax: bool) -> str | None:
    """The source of a parsed pattern (``relax``: with every zero-width assertion but ``\\b`` left
    out, see ``relaxed_pattern``), or None for what it does not write back (back-references, atomic
    groups, possessive repeats, conditional or flag-setting groups)."""
    out: list[str] = []
    items = list(items)
    for i, (op, av) in enumerate(items):
        part: str | None
        if op is _P.LITERAL:
            part = re.escape(chr(av))
        elif op is _P.NOT_LITERAL:
            part = "[^" + re.escape(chr(av)) + "]"
        elif op is _P.ANY:
            part = "."
        elif op is _P.IN:
            part = _class_source(av)
        elif op is _P.CATEGORY:
            part = _CATEGORY_SOURCE.get(av)
        elif op is _P.AT:
            if relax and av is _P.AT_BOUNDARY:
                rest = _boundary_before(items[i + 1:])
                return None if rest is None else "".join(out) + rest
            part = "" if relax else _AT_SOURCE.get(av)
        elif op in (_P.ASSERT, _P.ASSERT_NOT):
            if relax:
                part = ""
            else:
                direction, sub = av
                inner = _source(sub, relax)
                kind = ("=" if op is _P.ASSERT else "!") if direction == 1 else ("<=" if op is _P.ASSERT else "<!")
                part = None if inner is None else f"(?{kind}{inner})"
        elif op is _P.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            inner = None if add_flags or del_flags else _source(sub, relax)
            part = None if inner is None else f"(?:{inner})"
        elif op is _P.BRANCH:
            alts = [_source(alt, relax) for alt in av[1]]
            part = None if None in alts else "(?:" + "|".join(alts) + ")"  # type: ignore[arg-type]
        elif op in (_P.MAX_REPEAT, _P.MIN_REPEAT):
            low, high, sub = av
            inner = _source(sub, relax)
            bounds = f"{{{low},{'' if high == _P.MAXREPEAT else high}}}"
            part = None if inner is None else f"(?:{inner}){bounds}{'?' if op is _P.MIN_REPEAT else ''}"
        else:
            part = None
        if part is None:
            return None
        out.append(part)
    return "".join(out)


def _boundary_before(items: list[Any]) -> str | None:
    """The relaxed source of ``\\b`` followed by ``items``, written so that a literal comes first
    where one can (the regular expression engine then skips ahead to where it occurs): ``\\bc...``
    for a word character c is ``c...(?<!\\wc...)`` (the character before is not a word character),
    and ``\\b`` before a group or alternation goes inside it, before each alternative."""
    if not items:
        return r"\b"
    op, av = items[0]
    if op is _P.LITERAL and re.match(r"\w", chr(av)):
        n = 1
        while n < len(items) and items[n][0] is _P.LITERAL:
            n += 1
        run = "".join(re.escape(chr(v)) for _op, v in items[:n])
        rest = _source(items[n:], relax=True)
        return None if rest is None else f"{run}(?<!\\w{run}){rest}"
    if op is _P.SUBPATTERN and not av[1] and not av[2]:
        inner = _boundary_before(list(av[3]))
        rest = _source(items[1:], relax=True)
        return None if inner is None or rest is None else f"(?:{inner}){rest}"
    if op is _P.BRANCH:
        alts = [_boundary_before(list(alt)) for alt in av[1]]
        rest = _source(items[1:], relax=True)
        return None if None in alts or rest is None else "(?:" + "|".join(alts) + ")" + rest  # type: ignore[arg-type]
    rest = _source(items, relax=True)
    return None if rest is None else r"\b" + rest


def relaxed_pattern(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A pattern that finds a match in a text ``t`` wherever ``pattern`` can match in a piece
    ``c = t[a:b]`` whose ends keep their word boundaries (where ``\\b`` holds at an end of ``c``, read
    in ``c``, it holds there in ``t`` too): ``pattern`` with its look-arounds, anchors and ``\\B``
    left out (each now holds everywhere) and ``\\b`` kept. Whatever ``pattern`` consumes in ``c`` the
    relaxed pattern consumes at the same place in ``t``; ``\\b`` inside ``c`` sees the same
    neighbours in ``t``, and at the ends of ``c`` holds in ``t`` by that condition. So where it finds
    nothing in ``t``, ``pattern`` finds nothing in any such piece of ``t`` (a sentence's clauses: see
    gaps). Leading items that can match the empty string anywhere (what ``^|...`` becomes) are left
    out too: a match of the rest is then a match of the whole. None where the pattern cannot be
    written back (see ``_source``)."""
    try:
        items = list(_P.parse(pattern.pattern, pattern.flags))
    except Exception:  # CPython's own parser (private): should it ever change, no relaxed pattern
        return None
    while items:
        # (a relaxed item holds no assertion but \b, which never holds in the empty string: an item
        # that matches it here matches the empty string without assertions, so anywhere)
        first = _source(items[:1], relax=True)
        if first is None or not re.fullmatch(first, "", pattern.flags):
            break
        items = items[1:]
    source = _source(items, relax=True)
    return None if source is None else re.compile(source, pattern.flags)


class Gated:
    """A compiled pattern that is only run on texts holding one of its required words; ``search``,
    ``finditer`` and ``sub`` answer exactly as the pattern's own do. The words are derived on first
    use, so importing a module full of gated patterns costs nothing extra. A caller that has already
    folded the text (to test several gates on it) may pass ``folded=fold(text)``."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern

    @functools.cached_property
    def words(self) -> Need:
        return required_words(self.pattern)

    def may_match(self, folded: str) -> bool:
        """False only if the pattern certainly does not match the text whose ``fold`` is ``folded``."""
        return may_match(self.words, folded)

    def search(self, text: str, folded: str | None = None) -> re.Match[str] | None:
        return self.pattern.search(text) if may_match(self.words, fold(text) if folded is None else folded) else None

    def finditer(self, text: str, folded: str | None = None) -> Iterator[re.Match[str]]:
        if may_match(self.words, fold(text) if folded is None else folded):
            return self.pattern.finditer(text)
        return iter(())

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, folded: str | None = None) -> str:
        return self.pattern.sub(repl, text) if may_match(self.words, fold(text) if folded is None else folded) else text


class Prefilter:
    """A family of patterns run on the same texts: which of them can match a text, found by looking
    for each distinct required word once (rather than once per pattern that needs it). The words are
    derived on first use.

    ``mask`` answers as a bit set over ``patterns`` (bit i for ``patterns[i]``): testing a bit is
    cheaper than testing a compiled pattern's membership in a set, which hashes the pattern's code
    every time."""

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)

    @functools.cached_property
    def needs(self) -> dict[re.Pattern[str], Need]:
        return {rx: required_words(rx) for rx in self.patterns}

    @functools.cached_property
    def _index(self) -> tuple[frozenset[re.Pattern[str]], dict[str, frozenset[re.Pattern[str]]]]:
        """The patterns that need nothing, and for each word the patterns that need it."""
        always = frozenset(rx for rx, words in self.needs.items() if words is None)
        by_word: dict[str, set[re.Pattern[str]]] = {}
        for rx, words in self.needs.items():
            for w in words or ():
                by_word.setdefault(w, set()).add(rx)
        return always, {w: frozenset(rxs) for w, rxs in sorted(by_word.items())}

    @functools.cached_property
    def _bits(self) -> tuple[int, tuple[tuple[str, int, tuple[tuple[str, int], ...]], ...]]:
        """``_index`` as bit sets over ``patterns``: the bits of the patterns that need nothing, and
        the words grouped under the shortest word they contain ((root, its bits, ((word, bits), ...))):
        where a root is missing, so is every word that contains it, and those are not looked for."""
        bit = {rx: 0 for rx in self.patterns}
        for i, rx in enumerate(self.patterns):
            bit[rx] |= 1 << i  # a pattern listed twice answers at both places
        always, by_word = self._index
        groups: dict[str, list[tuple[str, int]]] = {}
        for w in sorted(by_word, key=lambda w: (len(w), w)):
            root = next((r for r in groups if r in w), w)
            groups.setdefault(root, []).append((w, sum(bit[rx] for rx in by_word[w])))
        return (
            sum(bit[rx] for rx in always),
            tuple((root, members[0][1], tuple(members[1:])) for root, members in groups.items()),
        )

    def candidates(self, text: str) -> set[re.Pattern[str]]:
        """The patterns that may match ``text``; every other one certainly does not."""
        mask = self.mask(text)
        found = self._sets.get(mask)
        if found is None:  # one set per combination of patterns met (a handful), not per text
            found = self._sets[mask] = frozenset(rx for i, rx in enumerate(self.patterns) if mask >> i & 1)
        return set(found)

    @functools.cached_property
    def _sets(self) -> dict[int, frozenset[re.Pattern[str]]]:
        return {}

    def mask(self, text: str, folded: str | None = None) -> int:
        """``candidates(text)`` as a bit set: bit i is set if ``patterns[i]`` may match ``text``
        (``folded``, if given, must be ``fold(text)``)."""
        if folded is None:
            folded = fold(text)
        out, groups = self._bits
        for root, bits, longer in groups:
            if root in folded:
                out |= bits
                for word, more in longer:
                    if word in folded:
                        out |= more
        return out


__all__ = ["Gated", "Prefilter", "fold", "folded_pattern", "may_match", "relaxed_pattern", "required_words"]
