"""The fast paths of gap and theme extraction answer exactly as the plain patterns they stand for.

build/gaps.py runs its case-insensitive patterns as lower-case, case-sensitive *twins* on folded text,
gates them with one trie scan per clause (``PatternGates``), tests ``_ARRANGEMENT`` through a
regrouped alternation and cuts sentences and clauses with shortcuts; build/themes.py rejects
recommendation pairs on bounds. Each is checked here against the plain reading, on every character
where that matters, on the corpus and on random texts made of the patterns' own words.
"""

from __future__ import annotations

import re
import string
import sys
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clasgraph.build import gaps, themes
from clasgraph.build.prefilter import fold, may_match, required_words

HERE = Path(__file__).parent
REPORTS = sorted(p for p in (HERE / "data" / "corpus").iterdir() if p.suffix in (".md", ".txt"))


def _twins() -> list[gaps._Twin]:
    out = list(gaps._RULE_TWINS) + [gaps._T_WEAK, gaps._T_PRAISE_NEG, gaps._T_HABIT, gaps._T_PRAISE,
                                    gaps._T_NEGATED_PRAISE, gaps._T_FUTURE, gaps._T_HEDGED, gaps._T_METHOD,
                                    gaps._T_PRACTICE_SLIP, gaps._T_HYPOTHETICAL, gaps._T_ARRANGEMENT_ANY,
                                    gaps._T_POLICY_OR_PATHWAY]
    return out + [t for _kind, t in gaps._KIND_TWINS]


TWINS = _twins()


def _clauses() -> list[str]:
    out: list[str] = []
    for path in REPORTS:
        for line in path.read_text(encoding="utf-8").splitlines():
            plain = gaps.strip_markers(line)
            for sentence in gaps.split_sentences(plain):
                out.append(sentence)
                out.extend(c.text for c in gaps.split_clauses(sentence))
    return out


CLAUSES = _clauses()


# --------------------------------------------------------------------------- fold and the twins


def test_every_pattern_has_a_twin() -> None:
    assert all(t._twin() is not None for t in TWINS)


def test_fold_keeps_what_case_insensitive_literals_and_classes_accept_on_every_character() -> None:
    """For every character c: a case-insensitive ASCII literal x accepts c exactly when fold(c) is x
    in lower case; \\w, \\s and \\d accept c exactly when they accept fold(c); fold keeps lengths."""
    text = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp < 0xE000)
    folded = fold(text)
    assert len(folded) == len(text)
    assert all(len(fold(ch)) == 1 for ch in text)
    for cls in (r"\w", r"\s", r"\d"):
        rx = re.compile(cls)
        assert [m.start() for m in rx.finditer(text)] == [m.start() for m in rx.finditer(folded)], cls
    # the ASCII characters, and the other characters the patterns are written with
    written = {ch for t in TWINS for ch in t.pattern.pattern if not ch.isascii()}
    for x in sorted(set(string.printable) | written):
        insensitive = [m.start() for m in re.finditer(re.escape(x), text, re.I)]
        twin = [m.start() for m in re.finditer(re.escape(x.lower()), folded)]
        assert insensitive == twin, repr(x)


def test_lower_case_twin_refuses_what_it_cannot_lower() -> None:
    assert gaps._lower_case_twin(re.compile(r"abc")) is None  # not case-insensitive
    assert gaps._lower_case_twin(re.compile(r"(?-i:A)b", re.I)) is None
    assert gaps._lower_case_twin(re.compile(r"\x41", re.I)) is None
    assert gaps._lower_case_twin(re.compile(r"Straße", re.I)) is None
    twin = gaps._lower_case_twin(re.compile(r"\bIT\W+\S", re.I))
    assert twin is not None and twin.pattern == r"\bit\W+\S" and not twin.flags & re.I


def _same_spans(text: str) -> None:
    folded = fold(text)
    for t in TWINS:
        want = [m.span() for m in t.pattern.finditer(text)]
        assert [m.span() for m in t.finditer(text, folded)] == want, (t.pattern.pattern[:60], text)
        assert (t.search(text, folded) is None) == (not want)


def test_twins_match_as_the_patterns_on_the_corpus() -> None:
    assert len(CLAUSES) > 1000
    for text in CLAUSES:
        _same_spans(text)


def _pattern_words() -> list[str]:
    words = {w for t in TWINS for w in (required_words(t.pattern) or ())}
    return sorted(words | {" ", ", ", "; ", "the ", "not ", "no ", "NHS ", "İ", "ı", "ſ", "\u212a", "’", "-", "5 ",
                           "% ", "IT ", "GP "})


_PIECES = _pattern_words()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14), st.randoms(use_true_random=False))
def test_twins_match_as_the_patterns_on_random_texts(pieces: list[str], rnd: object) -> None:
    text = "".join(p.upper() if rnd.random() < 0.3 else p for p in pieces)  # type: ignore[attr-defined]
    _same_spans(text)


# --------------------------------------------------------------------------- gates and regrouping


_FAMILIES = [(family, [required_words(rx) for rx in family.patterns]) for family in (gaps._GATES, gaps._KIND_GATES)]


def _gates_agree(text: str) -> None:
    folded = fold(text)
    for family, needs in _FAMILIES:
        mask = family.mask(text)
        for i, words in enumerate(needs):
            assert bool(mask >> i & 1) == may_match(words, folded), (family.patterns[i].pattern[:60], text)


def test_pattern_gates_agree_with_the_word_check() -> None:
    for text in CLAUSES:
        _gates_agree(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=0, max_size=14))
def test_pattern_gates_agree_on_random_texts(pieces: list[str]) -> None:
    _gates_agree("".join(pieces))


def test_trie_finds_the_longest_word_at_each_position() -> None:
    rx = re.compile("(?=(" + gaps._trie(["no", "not", "not in place", "nothing", "in"]) + "))")
    assert rx.findall("not in plac; nothing") == ["not", "in", "nothing", "in"]


def test_grouping_by_first_letter() -> None:
    assert gaps._top_alternatives(r"a|(?:b|c)|[|]d|e\|f") == ["a", "(?:b|c)", "[|]d", r"e\|f"]
    assert gaps._grouped_by_first_letter(["ab", "ac", "d?e", "(?:x)", "f"]) == "a(?:b|c)|f(?:)|d?e|(?:x)"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=0, max_size=14))
def test_arrangement_any_matches_where_arrangement_does(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert (gaps._ARRANGEMENT_ANY.search(text) is None) == (gaps._ARRANGEMENT.search(text) is None)


def test_arrangement_any_on_corpus_windows() -> None:
    for text in CLAUSES:
        for at in range(0, len(text), 23):
            window = text[max(0, at - 120): at + 100]
            assert (gaps._ARRANGEMENT_ANY.search(window) is None) == (gaps._ARRANGEMENT.search(window) is None)


# --------------------------------------------------------------------------- sentences, clauses, markers


def _strip_reference(text: str) -> str:
    text = gaps._MARKER.sub(" ", text)
    text = text.replace("**", " ").replace("__", " ")
    text = gaps._CONTRACTION.pattern.sub(lambda m: m.group(1) + " not", text)
    text = gaps._CANNOT.pattern.sub(r"\1annot", text)
    return re.sub(r"\s+", " ", text).strip()


def _sentences_reference(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in gaps._SENTENCE_END.finditer(text):
        chunk = text[start:m.end()].strip()
        if gaps._ABBREV.pattern.search(text[start:m.start() + 1].strip()) or re.search(r"\b[A-Z]\.$", chunk):
            continue
        if chunk:
            out.append(chunk)
        start = m.end()
    tail = text[start:].strip()
    return [*out, tail] if tail else out


def _clause_parts_reference(sentence: str) -> list[str]:
    return [p.strip(" ,") for p in gaps._CLAUSE_CUT.split(sentence) if p and p.strip(" ,")]


def _splits_agree(text: str) -> None:
    assert gaps.strip_markers(text) == _strip_reference(text)
    assert gaps.split_sentences(text) == _sentences_reference(text)
    for sentence in [text, *_sentences_reference(text)]:
        folded = fold(sentence)
        cut = gaps._CLAUSE_CUT if any(w in folded for w in gaps._CONTRAST_WORDS) else gaps._STOP_CUT
        assert [p.strip(" ,") for p in cut.split(sentence) if p and p.strip(" ,")] == _clause_parts_reference(sentence)


def test_splitting_agrees_on_the_corpus() -> None:
    for path in REPORTS:
        for line in path.read_text(encoding="utf-8").splitlines():
            _splits_agree(line)


_SPLIT_PIECES = ["e.g. ", "i.e. ", "approx. ", "Dr. ", "No. ", "St. ", "A. ", "B.", ". ", "; ", ", ", " but ", " however ",
                 "However, ", "although ", "whilst ", "despite ", "though ", "BUT ", "Whİle ", "there ", "it ", "isn't ",
                 "can’t ", "DIDN'T ", "(Recommendation 1.2) ", "**", "__", "\t", "\n", "\u00a0", "x", "The ", "1.13 ", "”",
                 "’", "? ", "! ", "(", "•"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_SPLIT_PIECES), min_size=0, max_size=16))
def test_splitting_agrees_on_random_texts(pieces: list[str]) -> None:
    _splits_agree("".join(pieces))


# --------------------------------------------------------------------------- recurring recommendations


def _same_reference(a: list[str], b: list[str], threshold: float) -> bool:
    """``themes._same_words`` as it was written first: the Counter intersection, then SequenceMatcher."""
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 6:
        return a == b
    shared = sum((Counter(short) & Counter(long_)).values())
    if 2 * shared / (len(short) + len(long_)) < threshold and (
            shared / len(short) < 0.92 or len(short) / len(long_) < 0.6):
        return False
    sm = SequenceMatcher(None, short, long_, autojunk=False)
    if sm.ratio() >= threshold:
        return True
    matched = sum(block.size for block in sm.get_matching_blocks())
    return matched / len(short) >= 0.92 and len(short) / len(long_) >= 0.6


def _words(tokens: list[str]) -> themes._Words:
    counts = Counter(tokens)
    return themes._Words(tokens, counts, frozenset(counts))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from("abcdefgh"), max_size=20), st.lists(st.sampled_from("abcdefgh"), max_size=24),
       st.sampled_from([0.85, 0.6, 0.95, 0.5]))
def test_same_words_agrees_with_the_counter_reading(a: list[str], b: list[str], threshold: float) -> None:
    assert themes._same_words(_words(a), _words(b), threshold) == _same_reference(a, b, threshold)


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_corpus_recommendation_pairs(path: Path) -> None:
    from clasgraph.build.read import read_file
    from clasgraph.build.recommendations import parse_recommendations
    from clasgraph.build.segment import segment

    structure = segment(read_file(path).text)
    _groups, recs, _ = parse_recommendations(structure.recommendation_lines)
    assert len(recs) > 10
    toks = [themes._tokens(r.text) for r in recs]
    for i, a in enumerate(toks):
        for b in toks[i + 1:]:
            assert themes._same_words(_words(a), _words(b), themes.SAME_WORDING) == _same_reference(a, b, themes.SAME_WORDING)


# --------------------------------------------------------------------------- sharper needs of two rules


def _needs_hold(text: str) -> None:
    folded = fold(text)
    for rule, extra in zip(gaps.CUE_RULES, gaps._RULE_EXTRA, strict=True):
        if extra is not None and rule.pattern.search(text):
            assert extra.search(folded), (rule.name, text)


def test_sharper_rule_needs_hold_on_the_corpus() -> None:
    assert sum(e is not None for e in gaps._RULE_EXTRA) == len(gaps._RULE_NEEDS)
    for text in CLAUSES:
        _needs_hold(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_PIECES, "NO", "No\u00a0", "no\t", "only 5", "٣", "% of", "is no "]), min_size=1, max_size=14))
def test_sharper_rule_needs_hold_on_random_texts(pieces: list[str]) -> None:
    _needs_hold("".join(pieces))


# --------------------------------------------------------------------------- theme tagging


def _tag_reference(text: str) -> list[str]:
    """``tag_themes`` as first written: every theme whose first words the text holds, every cue
    searched from where its first word first occurs."""
    words = set(re.findall(r"[a-z0-9]+", text.lower()))
    words |= {w[:-1] for w in words if w.endswith("s")}
    folded = fold(text)
    keys = []
    for key, firsts, cues in themes._cue_checks():
        if not firsts & words:
            continue
        for cue in cues:
            if not may_match(cue.needs, folded):
                continue
            at = 0 if cue.lead is None else folded.find(cue.lead)
            if at >= 0 and cue.pattern.search(text, at):
                keys.append(key)
                break
    return keys


def _cue_pieces() -> list[str]:
    words = sorted({w for t in themes.load_themes() for c in t.cues for w in c.split()})
    return [*words, " ", "-", "s", "'s", "’s", "x", ",", "İ", "ı", "ſ", "\u212a", "_"]


_THEME_PIECES = _cue_pieces()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_THEME_PIECES), min_size=1, max_size=10), st.randoms(use_true_random=False))
def test_tag_themes_agrees_with_the_first_reading(pieces: list[str], rnd: object) -> None:
    text = "".join(p.upper() if rnd.random() < 0.3 else p for p in pieces)  # type: ignore[attr-defined]
    assert themes.tag_themes(text) == _tag_reference(text)
    spaced = " ".join(pieces)
    assert themes.tag_themes(spaced) == _tag_reference(spaced)


def test_tag_themes_agrees_with_the_first_reading_on_the_corpus() -> None:
    for text in CLAUSES:
        assert themes.tag_themes(text) == _tag_reference(text), text


def _cue_texts() -> list[str]:
    out = []
    for t in themes.load_themes():
        for c in t.cues:
            out += [c, c.upper(), c + "s", c + "’s", f"({c}).", f"x-{c}-y", f"the {c.replace(' ', '-')} and", c.replace("i", "İ")]
    return out


def test_every_match_holds_the_cue_tokens() -> None:
    matched = 0
    for text in _cue_texts() + CLAUSES:
        tokens = set(re.findall(r"[a-z0-9]+", fold(text)))
        for _key, _firsts, cues in themes._cue_checks():
            for cue in cues:
                if cue.tokens is not None and cue.pattern.search(text):
                    matched += 1
                    assert themes._holds(tokens, cue.tokens), (cue.pattern.pattern, text)
    assert matched > 1000
