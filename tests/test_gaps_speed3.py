"""Session 3 fast paths of gap extraction answer exactly as the plain forms they stand for.

* ``prefilter.relaxed_pattern``: written back without relaxing, a pattern matches as itself; relaxed,
  it finds a match in a sentence wherever the pattern matches in one of the sentence's clauses.
* ``gaps._possible_cues``: the cue rules (and the bare negation) it rules out for a sentence match no
  clause of it, so ``_gap_sentences`` finds the same gaps with and without it.
"""

from __future__ import annotations

import re
import string
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_speed_gaps_themes import _sentences_reference  # split_sentences written plainly

from clasgraph.build import gaps, prefilter
from clasgraph.build.prefilter import fold, relaxed_pattern, required_words

HERE = Path(__file__).parent
REPORTS = sorted(p for p in (HERE / "data" / "corpus").iterdir() if p.suffix in (".md", ".txt"))


def _paragraphs() -> list[str]:
    out: list[str] = []
    for path in REPORTS:
        out.extend(gaps.strip_markers(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


PARAGRAPHS = _paragraphs()
SENTENCES = [s for p in PARAGRAPHS for s in gaps.split_sentences(p)]
CUE_TWINS = [*gaps._RULE_TWINS, gaps._T_WEAK]


def _all_twins() -> list[re.Pattern[str]]:
    twins = [*CUE_TWINS, gaps._T_PRAISE_NEG, gaps._T_HABIT, gaps._T_PRAISE, gaps._T_NEGATED_PRAISE, gaps._T_FUTURE,
             gaps._T_HEDGED, gaps._T_METHOD, gaps._T_PRACTICE_SLIP, gaps._T_HYPOTHETICAL, gaps._T_ARRANGEMENT_ANY]
    out = [t._twin() for t in twins]
    return [rx for rx in out if rx is not None]


ALL_TWINS = _all_twins()


def _pieces() -> list[str]:
    words = {w for rx in ALL_TWINS for w in (required_words(rx) or ())}
    return sorted(words | {" ", ", ", "; ", ". ", "however ", "however", "but ", "although ", "whilst ", "the ",
                           "not ", "no ", "5 ", "% ", "-", "x", "A", "İ", "ſ"})


PIECES = _pieces()


# --------------------------------------------------------------------------- writing a pattern back


def _written_back(rx: re.Pattern[str]) -> re.Pattern[str]:
    source = prefilter._source(prefilter._P.parse(rx.pattern, rx.flags), relax=False)
    assert source is not None, rx.pattern[:60]
    return re.compile(source, rx.flags)


def _same_matches(rx: re.Pattern[str], back: re.Pattern[str], text: str) -> None:
    assert [m.span() for m in back.finditer(text)] == [m.span() for m in rx.finditer(text)], (rx.pattern[:60], text)


WRITTEN_BACK = [(rx, _written_back(rx)) for rx in ALL_TWINS]  # (written back once, not once an example)


def test_written_back_patterns_match_as_the_originals_on_the_corpus() -> None:
    for sentence in SENTENCES:
        folded = fold(sentence)
        for rx, back in WRITTEN_BACK:
            _same_matches(rx, back, folded)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=0, max_size=16))
def test_written_back_patterns_match_as_the_originals_on_random_texts(pieces: list[str]) -> None:
    text = fold("".join(pieces))
    for rx, back in WRITTEN_BACK:
        _same_matches(rx, back, text)


def test_written_back_keeps_the_constructs() -> None:
    for source in (r"(?<!ab)c\b(?=d)|^x$|\Ay\Z|[^a-c\d\s]e+?f{2,3}\Bg*", r"(?:a|)b(?!c)", r"\W\S\D.[\w-]"):
        rx = re.compile(source)
        for text in ("c d", "x", "y", "e eeffg", "b", "bc", "ab", "!x1 -", "zzcdx"):
            _same_matches(rx, _written_back(rx), text)


def test_relaxed_pattern_refuses_what_it_cannot_write_back() -> None:
    assert relaxed_pattern(re.compile(r"(a)\1")) is None
    assert relaxed_pattern(re.compile(r"(?i:a)b")) is None
    assert relaxed_pattern(re.compile(r"a*+b")) is None
    assert relaxed_pattern(re.compile(r"(?>a)b")) is None


def test_relaxed_pattern_drops_assertions_but_word_boundaries() -> None:
    rx = relaxed_pattern(re.compile(r"(?:^|, )no\s(?!doubt)"))
    assert rx is not None and rx.pattern == r"no[\s]"  # the leading "^|, " can match nothing: left out
    rx = relaxed_pattern(re.compile(r"\bnot (?:yet )?in place\b"))
    assert rx is not None and rx.pattern.startswith(r"not\ (?<!\wnot\ )")  # \b before a literal: a look-behind after it
    assert rx.search("it is not in place") and not rx.search("cannot in place") and rx.search("not in place")


# --------------------------------------------------------------------------- relaxed patterns and clauses


def _relaxed_covers_clauses(sentence: str) -> None:
    """Every cue twin that matches a clause of ``sentence`` has a relaxed pattern that matches the
    sentence, and ``_possible_cues`` keeps its bit."""
    folded = fold(sentence)
    gates = gaps._GATES.mask_folded(folded)
    possible = gaps._possible_cues(gates, folded)
    assert possible & ~gaps._CUE_BITS == gates & ~gaps._CUE_BITS  # the other patterns' bits are kept
    assert possible & gates == possible  # (only bits are cleared)
    rules, weak = gaps._relaxed_cues()
    relaxed = [*rules, weak]
    glued = gaps._GLUED_HOWEVER.match(folded) is not None
    for clause in gaps.split_clauses(sentence):
        start = sentence.find(clause.text)
        assert start >= 0  # a clause is a piece of its sentence
        clause_folded = fold(clause.text)
        for i, twin in enumerate(CUE_TWINS):
            rx = twin._twin()
            assert rx is not None
            if rx.search(clause_folded) is None:
                continue
            bit = gaps._WEAK_BIT if i == len(gaps._RULE_TWINS) else 1 << i
            assert possible & bit, (twin.pattern.pattern[:60], clause.text, sentence)
            if not glued:
                assert relaxed[i] is None or relaxed[i].search(folded), (twin.pattern.pattern[:60], sentence)


def test_relaxed_patterns_cover_the_clauses_of_the_corpus() -> None:
    assert len(SENTENCES) > 1000
    for sentence in SENTENCES:
        _relaxed_covers_clauses(sentence)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=18), st.randoms(use_true_random=False))
def test_relaxed_patterns_cover_the_clauses_of_random_sentences(pieces: list[str], rnd: object) -> None:
    text = "".join(p.upper() if rnd.random() < 0.2 else p for p in pieces)  # type: ignore[attr-defined]
    for sentence in gaps.split_sentences(gaps.strip_markers(text)):
        _relaxed_covers_clauses(sentence)


def test_a_sentence_opening_with_a_glued_however_keeps_every_cue() -> None:
    sentence = "Howevernot in place; there is no pathway"
    folded = fold(sentence)
    gates = gaps._GATES.mask_folded(folded)
    assert gaps._possible_cues(gates, folded) == gates


# --------------------------------------------------------------------------- the same gaps


def _gaps_without_shortcut(plain: str, monkeypatch: pytest.MonkeyPatch) -> list[gaps.GapSentence]:
    with monkeypatch.context() as m:
        m.setattr(gaps, "_possible_cues", lambda gates, folded: gates)
        return gaps._gap_sentences(plain)


def test_same_gaps_on_the_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    for plain in PARAGRAPHS:
        assert gaps._gap_sentences(plain) == _gaps_without_shortcut(plain, monkeypatch), plain


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=24))
def test_same_gaps_on_random_paragraphs(pieces: list[str]) -> None:
    plain = gaps.strip_markers("".join(pieces))
    with pytest.MonkeyPatch.context() as m:
        m.setattr(gaps, "_possible_cues", lambda gates, folded: gates)
        plain_gaps = gaps._gap_sentences(plain)
    assert gaps._gap_sentences(plain) == plain_gaps


# --------------------------------------------------------------------------- strip_markers


def test_printable_text_has_no_whitespace_but_the_space() -> None:
    assert not [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c != " " and c.isprintable()]


def _strip_plain(text: str) -> str:
    text = gaps._MARKER.sub(" ", text)
    text = text.replace("**", " ").replace("__", " ")
    text = gaps._CONTRACTION.pattern.sub(lambda m: m.group(1) + " not", text)
    text = gaps._CANNOT.pattern.sub(r"\1annot", text)
    return " ".join(text.split())


def test_strip_markers_on_the_corpus() -> None:
    for path in REPORTS:
        for line in path.read_text(encoding="utf-8").splitlines():
            assert gaps.strip_markers(line) == _strip_plain(line)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "  ", "\t", "\n", "\u00a0", "\u2003", "(Recommendation 1.2)", "**", "__",
                                 "isn't", "can’t", "Is", "x", "."]), min_size=0, max_size=12))
def test_strip_markers_on_random_texts(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert gaps.strip_markers(text) == _strip_plain(text)


# --------------------------------------------------------------------------- PatternGates: one consuming scan


def _family_words(family: gaps.PatternGates) -> list[prefilter.Need]:
    return [required_words(rx) for rx in family.patterns]


_FAMILIES = [(family, _family_words(family)) for family in (gaps._GATES, gaps._KIND_GATES)]


def _fragments() -> list[str]:
    """Pieces of the gate words (their heads and tails), so that texts run words into each other."""
    words = {w for _family, needs in _FAMILIES for ws in needs for w in (ws or ())}
    out = set()
    for w in words:
        out.update((w, w[: len(w) // 2], w[len(w) // 2:], w[1:], w[:-1]))
    return sorted(p for p in out if p) + [" ", "."]


FRAGMENTS = _fragments()


def _mask_agrees(text: str) -> None:
    folded = fold(text)
    for family, needs in _FAMILIES:
        mask = family.mask_folded(folded)
        for i, words in enumerate(needs):
            assert bool(mask >> i & 1) == prefilter.may_match(words, folded), (family.patterns[i].pattern[:50], text)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=0, max_size=10))
def test_gates_find_every_word_of_texts_made_of_word_pieces(pieces: list[str]) -> None:
    _mask_agrees("".join(pieces))


def test_gates_find_a_word_that_begins_inside_another() -> None:
    family = gaps.PatternGates([re.compile(r"not"), re.compile(r"taken place"), re.compile(r"ken"), re.compile(r"x")])
    assert family.mask_folded("notaken place") == 0b111  # "taken place" starts inside "not"
    assert family.mask_folded("notaken plac") == 0b101
    assert family.mask_folded("no") == 0


# --------------------------------------------------------------------------- split_sentences prechecks

_ABBREV_WORDS = ["e.g", "i.e", "eg", "ie", "etc", "vs", "no", "nos", "dr", "mr", "mrs", "ms", "st", "approx", "incl"]


def test_abbreviation_words_are_the_patterns() -> None:
    inner = gaps._ABBREV.pattern.pattern.removeprefix(r"\b(?:").removesuffix(r")\.$")
    assert [a.replace("\\", "") for a in gaps._top_alternatives(inner)] == _ABBREV_WORDS


def _abbreviation_characters() -> list[str]:
    """One character of each kind _ABBREV can tell apart, and every character that matches one of its
    letters or its "." case-insensitively (a few dozen). _ABBREV is made of ASCII letters, "\\.", "\\b"
    and "$" (test_abbreviation_words_are_the_patterns): a character can change a match only by which of
    those it matches under _ABBREV's flags, so two characters that match the same ones answer alike.
    The sorting is one scan of all of Unicode per item, not a search per character."""
    flags = gaps._ABBREV.pattern.flags
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    items = [*string.ascii_lowercase, r"\.", r"\w", r"\n"]
    kind = [0] * len(every)
    for bit, item in enumerate(items):
        for m in re.finditer(item, every, flags):
            kind[m.start()] |= 1 << bit
    literal = (1 << (len(string.ascii_lowercase) + 1)) - 1  # the letters and "."
    seen: set[int] = set()
    out: list[str] = []
    for cp, k in enumerate(kind):
        if k & literal or k not in seen:
            seen.add(k)
            out.append(every[cp])
    return out


def test_abbreviation_last_letters_on_every_character() -> None:
    """A character _ABBREV accepts as the last letter of one of its words is in _ABBREV_LAST."""
    rx = gaps._ABBREV.pattern
    chars = _abbreviation_characters()
    assert len(chars) < 200 and "\u017f" in chars and "\n" in chars and "\u00e9" not in chars
    accepted = {c for c in chars if any(rx.search(" " + w[:-1] + c + ".") for w in _ABBREV_WORDS)}
    assert {w[-1] for w in _ABBREV_WORDS} <= accepted  # (the check can see a last letter)
    assert accepted <= gaps._ABBREV_LAST, sorted(accepted - gaps._ABBREV_LAST)


_SENTENCE_PIECES = [" ", "  ", ". ", "! ", "? ", ".", "A", "b", "x", "J. ", "e.g. ", "E.G. ", "i.e. ", "etc. ", "No. ",
                    "nos. ", "Dr. ", "Mrs. ", "ſt. ", "approx. ", "incl. ", "1.13 ", "The ", "(", "”", ") ", "• ", "-"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCE_PIECES), min_size=0, max_size=16))
def test_split_sentences_as_the_plain_form(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert gaps.split_sentences(text) == _sentences_reference(text)


def test_split_sentences_as_the_plain_form_on_the_corpus() -> None:
    for plain in PARAGRAPHS:
        assert gaps.split_sentences(plain) == _sentences_reference(plain)


def test_gates_find_a_word_after_a_space() -> None:
    """Words that begin with a space are looked for as the rest after a space: where the rest is found,
    inside another word, or running on from inside another word."""
    family = gaps.PatternGates([re.compile(r"not in"), re.compile(r" in access"), re.compile(r" good")])
    assert family.mask_folded("not in access") == 0b011  # " in access" begins inside "not in"
    assert family.mask_folded("not inaccess") == 0b001
    assert family.mask_folded("in access, good") == 0b100  # no space before "in access"
    assert family.mask_folded("a good") == 0b100
    assert family.mask_folded("good") == 0


def test_trie_alternatives_each_begin_with_their_own_character() -> None:
    """The trie's alternatives are ordered by letter frequency: the order cannot change a match only if
    no two alternatives of a node begin with the same character (what the trie is built to do)."""
    words = sorted({w for fam in (gaps._GATES, gaps._KIND_GATES) for w in fam._index.prefixes})
    rx = re.compile(gaps._trie(words))
    plain = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    for sentence in SENTENCES[:3000]:
        folded = fold(sentence)
        assert [m.span() for m in rx.finditer(folded)] == [m.span() for m in plain.finditer(folded)]


# --------------------------------------------------------------------------- single case, split


def _single_case_agrees(text: str) -> None:
    assert gaps._SINGLE_CASE_SPLIT.search(text, fold(text)) == (gaps._SINGLE_CASE.search(text) is not None), text
    name = re.compile(gaps._SINGLE_CASE_NAME)
    assert [m.span() for m in gaps._SINGLE_CASE_NAME_FAST.finditer(text)] == [m.span() for m in name.finditer(text)]


def test_single_case_split_on_the_corpus() -> None:
    assert gaps._single_case_words()._twin() is not None
    for sentence in SENTENCES:
        _single_case_agrees(sentence)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["in one case", "In This Instance", "one child", "Child T", "child T", "xChild T",
                                 "Young person B", "Baby A ", "BabyA", "of this visit", "case example", "a case seen",
                                 " ", ", ", "x", "İ", "ı", "ſ", "ONE CASE", "_Child T"]), min_size=0, max_size=8))
def test_single_case_split_on_random_texts(pieces: list[str]) -> None:
    _single_case_agrees("".join(pieces))
