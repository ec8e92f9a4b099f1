"""The keyword prefilter (clasgraph.build.prefilter) never hides a match: wherever a cue pattern of the
commissioning, gap or theme rules matches, the words derived from it are in the folded text."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clasgraph.build import commissioning, gaps, themes
from clasgraph.build.prefilter import Gated, fold, may_match, required_words

HERE = Path(__file__).parent
REPORTS = sorted(p for p in (HERE / "data" / "corpus").iterdir() if p.suffix in (".md", ".txt"))


def _patterns() -> list[re.Pattern[str]]:
    out = [c[3] for c in commissioning.PASSIVE_CUES] + [c[2] for c in commissioning.ACTIVE_CUES]
    out += [r.pattern for r in gaps.CUE_RULES]
    out += [v.pattern for mod in (commissioning, gaps) for v in vars(mod).values() if isinstance(v, Gated)]
    out += [g.pattern for _kind, g in gaps._KIND_ORDER]
    for _key, _firsts, cues in themes._cue_checks():
        out.extend(cue.pattern for cue in cues)
    return out


PATTERNS = _patterns()
WORDS = [required_words(rx) for rx in PATTERNS]


def test_words_come_from_the_pattern() -> None:
    rx = re.compile(r"\b(?:is\s+|are\s+)?(?:also\s+)*commissioned\s+(?:for\s+\w+\s+)?by\b", re.I)
    assert required_words(rx) == frozenset({"commissioned"})
    # alternations of fixed strings join the literals around them
    assert required_words(re.compile(r"\b(?:lack|absence) of\b")) == frozenset({"lack of", "absence of"})
    assert required_words(re.compile(r"\b[Tt]he (?:CCG|Trust)\b")) == frozenset({"the ccg", "the trust"})
    assert required_words(re.compile(r"isn[’']t")) == frozenset({"isn’t", "isn't"})
    # a class that is not a few literals ends the run
    assert required_words(re.compile(r"ab[^c]de")) == frozenset({"ab"})
    assert required_words(re.compile(r"\bno(?:t)?\b")) == frozenset({"no"})
    # an alternative that needs nothing in particular: no prefilter
    assert required_words(re.compile(r"\bnot\b|\w+")) is None
    assert required_words(re.compile(r"\bnot\b|\w+ly")) == frozenset({"not", "ly"})
    assert required_words(re.compile(r"(?:abc)?\d+")) is None
    # a repeat that must occur once needs its content; an optional one does not
    assert required_words(re.compile(r"x(?:input)+y")) == frozenset({"input"})
    # look-arounds and \b do not break a literal run
    assert required_words(re.compile(r"no(?!t)\bway")) == frozenset({"noway"})


def test_gated_answers_as_the_pattern() -> None:
    rx = re.compile(r"\bnot (?:yet )?in place\b", re.I)
    gated = Gated(rx)
    for text in ("It is NOT in place.", "not yet in place; not in place", "in place", ""):
        assert [m.span() for m in gated.finditer(text)] == [m.span() for m in rx.finditer(text)]
        assert (gated.search(text) is None) == (rx.search(text) is None)
        assert gated.sub("[gap]", text) == rx.sub("[gap]", text)


def test_every_cue_pattern_gets_a_prefilter() -> None:
    missing = [rx.pattern[:60] for rx, w in zip(PATTERNS, WORDS, strict=True) if w is None]
    assert not missing


def test_fold_agrees_with_case_insensitive_matching_on_every_character() -> None:
    """Any character that re.I matches with an ASCII letter folds to that letter; every character
    folds to exactly one (offsets in folded text are offsets in the text)."""
    letters = re.compile(r"[a-z]", re.I)
    for cp in range(sys.maxunicode + 1):
        ch = chr(cp)
        assert len(fold(ch)) == 1, hex(cp)
        if letters.fullmatch(ch):
            folded = fold(ch)
            assert len(folded) == 1 and folded.isascii(), (hex(cp), folded)
            assert re.fullmatch(folded, ch, re.I), hex(cp)


def _sentences() -> list[str]:
    out: list[str] = []
    for path in REPORTS:
        for line in path.read_text(encoding="utf-8").splitlines():
            out.extend(s for s in re.split(r"(?<=[.;])\s+", line) if s.strip())
    return out


def test_no_corpus_sentence_loses_a_match() -> None:
    sentences = _sentences()
    assert len(sentences) > 500
    matched = 0
    for s in sentences:
        folded = fold(s)
        for rx, words in zip(PATTERNS, WORDS, strict=True):
            if rx.search(s):
                matched += 1
                assert may_match(words, folded), (rx.pattern[:60], s)
    assert matched > 500


_PIECES = sorted({w for ws in WORDS if ws for w in ws} | {" ", ", ", "the ", "NHS ", "İ", "ı", "ſ", "\u212a", "’", "-"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_random_texts_made_of_cue_words(pieces: list[str], rnd: object) -> None:
    text = "".join(p.upper() if rnd.random() < 0.3 else p for p in pieces)  # type: ignore[attr-defined]
    folded = fold(text)
    for rx, words in zip(PATTERNS, WORDS, strict=True):
        if rx.search(text):
            assert may_match(words, folded), (rx.pattern[:60], text)


@pytest.mark.parametrize("text", ["The service is commiſſioned by the CCG.", "It is Commİssioned by X.",
                                  "\u212anown as the hub"])
def test_look_alike_letters_still_pass(text: str) -> None:
    folded = fold(text)
    hits = [(rx, w) for rx, w in zip(PATTERNS, WORDS, strict=True) if rx.search(text)]
    assert hits
    assert all(may_match(w, folded) for _, w in hits)
