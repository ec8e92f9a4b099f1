"""The prefilter's bit-set answer (``Prefilter.mask``) and a caller's folded text (``Gated.*(text, folded)``) answer exactly as ``Prefilter.candidates`` and the
plain ``Gated`` calls do, on the commissioning, gap and theme cue patterns."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from test_commissioning_prefilter import _PIECES, PATTERNS, REPORTS

from clasgraph.build.prefilter import _FOLDABLE, Gated, Prefilter, fold, folded_pattern, may_match

_FAMILY = Prefilter(PATTERNS)


def _mask_patterns(prefilter: Prefilter, mask: int) -> set[re.Pattern[str]]:
    return {rx for i, rx in enumerate(prefilter.patterns) if mask >> i & 1}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=0, max_size=12), st.randoms(use_true_random=False),
       st.integers(0, 12), st.integers(0, 12))
def test_mask_answers_as_candidates(pieces: list[str], rnd: object, a: int, b: int) -> None:
    """mask(text) holds the bits of exactly candidates(text), on the text and on parts of it; a
    caller's fold of the text gives the same answer."""
    text = "".join(p.upper() if rnd.random() < 0.3 else p for p in pieces)  # type: ignore[attr-defined]
    expected = _FAMILY.candidates(text)
    # by definition: the patterns whose words (or no words) are in the folded text
    assert expected == {rx for rx, words in _FAMILY.needs.items() if may_match(words, fold(text))}
    assert _mask_patterns(_FAMILY, _FAMILY.mask(text)) == expected
    assert _FAMILY.mask(text, fold(text)) == _FAMILY.mask(text)
    lo, hi = sorted((min(a, len(text)), min(b, len(text))))
    for part in (text[lo:hi], text[lo:], ""):
        assert _mask_patterns(_FAMILY, _FAMILY.mask(part)) == _FAMILY.candidates(part)
    # every pattern that matches is a candidate
    for rx in PATTERNS:
        if rx.search(text):
            assert rx in expected


def test_mask_on_corpus_sentences() -> None:
    for path in REPORTS:
        for para in path.read_text(encoding="utf-8").splitlines():
            for s in re.split(r"(?<=[.;])\s+", para):
                assert _mask_patterns(_FAMILY, _FAMILY.mask(s)) == _FAMILY.candidates(s)
                assert _FAMILY.candidates(s) == {rx for rx, words in _FAMILY.needs.items() if may_match(words, fold(s))}


def test_a_pattern_listed_twice_answers_at_both_places() -> None:
    rx = re.compile(r"\bcommissioned by\b", re.I)
    family = Prefilter([rx, re.compile(r"\bled by\b"), rx, re.compile(r"\w+")])
    assert family.mask("Commissioned by X") == 0b1101
    assert family.mask("led by X") == 0b1010
    assert family.mask("nothing") == 0b1000


def test_words_that_hold_a_shorter_word_are_grouped_under_it() -> None:
    """mask looks for "commissioned" only where "commission" is (the grouping must not lose a word)."""
    family = Prefilter([re.compile(r"\bcommissioned\b", re.I), re.compile(r"\bcommission\b", re.I),
                        re.compile(r"\bcommissioner\b", re.I), re.compile(r"\bsioned\b", re.I)])
    assert family.mask("COMMISSIONED") == 0b1011
    assert family.mask("commissioner") == 0b0110
    assert family.mask("sioned") == 0b1000
    assert family.mask("commission") == 0b0010


def test_gated_with_a_folded_text_answers_as_without() -> None:
    gated = Gated(re.compile(r"\bnot (?:yet )?in place\b", re.I))
    for text in ("It is NOT in place.", "not yet in place; not in place", "in place", "", "İt is not in place"):
        folded = fold(text)
        assert gated.may_match(folded) == may_match(gated.words, folded)
        assert [m.span() for m in gated.finditer(text, folded)] == [m.span() for m in gated.pattern.finditer(text)]
        assert (gated.search(text, folded) is None) == (gated.pattern.search(text) is None)
        assert gated.sub("[gap]", text, folded) == gated.pattern.sub("[gap]", text)


# ----------------------------------------------------------------------------- folded_pattern

_EVERY_CHARACTER = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)


def test_fold_gives_a_foldable_literal_exactly_where_ignorecase_matches_it() -> None:
    """The ground folded_pattern stands on, over all of Unicode: for every literal it allows, alone
    or in a class, re.IGNORECASE matches a character exactly where fold gives that literal; and \\w,
    \\s, \\d and line ends are what they were."""
    folded = fold(_EVERY_CHARACTER)
    assert len(folded) == len(_EVERY_CHARACTER)
    where: dict[str, set[int]] = {}
    for i, ch in enumerate(folded):
        if ch in _FOLDABLE:
            where.setdefault(ch, set()).add(i)
    for lit in sorted(_FOLDABLE):
        expected = where.get(lit, set())
        for pattern in (re.escape(lit), "[" + re.escape(lit) + "]"):
            got = {m.start() for m in re.finditer(pattern, _EVERY_CHARACTER, re.I)}
            assert got == expected, (lit, pattern, sorted(got ^ expected)[:5])
    for cls in (r"\w", r"\s", r"\d", r"\n", r"[a-z]", r"[0-9]"):
        before = {m.start() for m in re.finditer(cls, _EVERY_CHARACTER, re.I)}
        after = {m.start() for m in re.finditer(cls, folded)}
        assert before == after, cls


def test_folded_pattern_refuses_what_it_cannot_vouch_for() -> None:
    assert folded_pattern(re.compile(r"\bcommissioned\s+by\b", re.I)) is not None
    assert folded_pattern(re.compile(r"\bcommissioned\s+by\b")) is None  # case-sensitive already
    assert folded_pattern(re.compile(r"[A-Z]\w+", re.I)) is None  # an upper-case class
    assert folded_pattern(re.compile(r"NHS", re.I)) is None
    assert folded_pattern(re.compile(r"(?-i:NHS) trust", re.I)) is None
    assert folded_pattern(re.compile(r"(ab)\1", re.I)) is None
    assert folded_pattern(re.compile(r"é", re.I)) is None  # a cased letter beyond ASCII
    assert folded_pattern(re.compile(r"\bab", re.I | re.ASCII)) is None


_CUE_PATTERNS = [rx for rx in PATTERNS if folded_pattern(rx) is not None]


def _folded_patterns() -> list[tuple[re.Pattern[str], re.Pattern[str]]]:
    out = []
    for rx in _CUE_PATTERNS:
        frx = folded_pattern(rx)
        assert frx is not None
        out.append((rx, frx))
    return out


_FOLDED_PATTERNS = _folded_patterns()  # (made once, not once an example)


def test_most_cue_patterns_fold() -> None:
    assert len(_CUE_PATTERNS) >= 16


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "İ", "ı", "ſ", "\u212a", "Σ", "É", "\n", ".", ";", "x"]), min_size=0, max_size=14),
       st.randoms(use_true_random=False))
def test_folded_pattern_finds_the_same_matches(pieces: list[str], rnd: object) -> None:
    text = "".join(p.upper() if rnd.random() < 0.3 else p for p in pieces)  # type: ignore[attr-defined]
    folded = fold(text)
    for rx, frx in _FOLDED_PATTERNS:
        assert [m.regs for m in frx.finditer(folded)] == [m.regs for m in rx.finditer(text)]  # (spans and groups)


def test_folded_pattern_on_corpus_sentences() -> None:
    """Each pattern on every corpus paragraph it can match (one that holds one of its required words:
    every match is in one, see test_mask_answers_as_candidates) and on every fourth paragraph besides
    (where both must find nothing, mostly); scanning every paragraph with all 200-odd patterns twice
    took seconds."""
    paragraphs = [para for path in REPORTS for para in path.read_text(encoding="utf-8").splitlines()]
    folds = [fold(para) for para in paragraphs]
    matched = 0
    for rx, frx in _FOLDED_PATTERNS:
        words = _FAMILY.needs[rx]
        for i, (para, folded) in enumerate(zip(paragraphs, folds, strict=True)):
            if i % 4 == 0 or may_match(words, folded):
                expected = [m.regs for m in rx.finditer(para)]
                assert [m.regs for m in frx.finditer(folded)] == expected, (rx.pattern[:60], para)
                matched += bool(expected)
    assert matched > 1000  # (the paragraphs tried hold matches)
