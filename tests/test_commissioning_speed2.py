"""Shortcuts of the commissioning reader against the plain forms they stand for.

- Tailed cue patterns (``commissioning._tailed``): a sentence in which a pattern's tail finds nothing
  is not scanned with the pattern. That holds only if every match of the pattern holds a match of its
  tail; checked on texts made to match each pattern (hypothesis ``from_regex``), on the corpus
  sentences and on texts built from the patterns' words.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_commissioning_prefilter import _sentences  # the corpus's sentences, split the same way

from clasgraph.build import commissioning
from clasgraph.build.prefilter import fold, folded_pattern

HERE = Path(__file__).parent
REPORTS = sorted(p for p in (HERE / "data" / "corpus").iterdir() if p.suffix in (".md", ".txt"))

TAILED = list(commissioning._CUE_TAILS.items())
CUES = [c[3] for c in commissioning.PASSIVE_CUES] + [c[2] for c in commissioning.ACTIVE_CUES]


def _tail_finds(rx: re.Pattern[str], text: str) -> bool:
    """What ``_cues`` asks: does the pattern's tail (folded, on the folded text) find something?"""
    scan, tail = commissioning._cue_scan(rx)
    assert scan is not None and tail is not None
    return tail.search(fold(text)) is not None


def test_tailed_patterns_are_cue_patterns_and_their_tails_are_used() -> None:
    assert len(TAILED) >= 5
    for rx, tail in TAILED:
        assert rx in CUES
        assert folded_pattern(re.compile(tail, rx.flags)) is not None  # the tail runs on the folded text
        assert commissioning._cue_scan(rx)[1] is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.data())
def test_every_match_holds_a_match_of_the_tail(data: st.DataObject) -> None:
    rx, _tail = data.draw(st.sampled_from(TAILED))
    text = data.draw(st.from_regex(rx, fullmatch=False))
    if rx.search(text):
        assert _tail_finds(rx, text), (rx.pattern[:60], text)


def test_no_corpus_sentence_loses_a_cue() -> None:
    matched = 0
    for s in _sentences():
        for rx, _tail in TAILED:
            if rx.search(s):
                matched += 1
                assert _tail_finds(rx, s), (rx.pattern[:60], s)
    assert matched > 20


_PIECES = ["is ", "are ", "has been ", "also ", "currently ", "now ", "jointly ", "co-", "commissioned ", "commission",
           "commissions ", "led ", "by ", "from ", "to ", "provide ", "deliver ", "run ", "providers ", "provider ",
           "of ", "for ", "took ", "over ", "the ", "provision ", "carried out ", "undertaken ", "purchased ",
           "contracted ", "became ", "new ", ", ", "in X ", "\n", "  ", "İ", "ſ", "\u212a", "LED BY "]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=10), st.randoms(use_true_random=False))
def test_texts_made_of_cue_words(pieces: list[str], rnd: object) -> None:
    text = "".join(p.upper() if rnd.random() < 0.3 else p for p in pieces)  # type: ignore[attr-defined]
    for rx, _tail in TAILED:
        if rx.search(text):
            assert _tail_finds(rx, text), (rx.pattern[:60], text)


# ------------------------------------------------------------------ sentences sliced once


_PIECES_S = ["e.g", "Dr", "St", "No", "J", "word", "Word", "(", ")", "“", "”", ".", ". ", "! ", "? ", ".) ", "  ", " ",
             "\n", "\t", "3", "é"]


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(_PIECES_S), max_size=30).map("".join), st.text(max_size=60)))
def test_sentence_texts_are_the_split_sentences(text: str) -> None:
    assert commissioning._sentence_texts(text) == [text[a:b].strip() for a, b in commissioning.split_sentences(text)]


# ------------------------------------------------------------------ sentences passed over before their organisations


def _reports() -> list[tuple[str, str]]:
    return [(p.read_text(encoding="utf-8"), "markdown" if p.suffix == ".md" else "text") for p in REPORTS]


def test_a_sentence_passed_over_would_have_made_nothing() -> None:
    """``_sentence`` returns before reading organisations when the sentence names no service and no cue
    pattern matches it (nor "through X special commissioning" can): read in full, such a sentence makes
    no fact, no transfer and no change of state."""
    import copy

    from clasgraph.build import services
    from clasgraph.build.organisations import build_org_index
    from clasgraph.build.read import read_text
    from clasgraph.build.segment import segment

    passed_over = 0
    for text, fmt in _reports():
        structure = segment(read_text(text, fmt=fmt).text)
        orgs = build_org_index(structure)
        ex = commissioning._Extractor(structure, orgs)
        services.start_document()
        state = commissioning._State(last_services=["camhs"], last_provider=[])
        for para in structure.paragraphs:
            for sentence in commissioning._sentence_texts(para.text):
                folded = fold(sentence)
                mask = commissioning.CUE_FILTER.mask(sentence, folded)
                raw = commissioning._raw_cues(sentence, folded, mask)
                if services.service_mentions(sentence) or raw or commissioning.may_match(
                        commissioning.SPECIAL_COMMISSIONING_WORDS, folded):
                    continue
                passed_over += 1
                before = copy.deepcopy((state, ex.result))
                sv = commissioning.SentenceView(sentence, orgs, ex.area, folded)
                assert not ex._transfer(sv, "1.1", state)
                assert ex._facts(sv, "1.1", state) == []
                assert (state, ex.result) == before
    assert passed_over > 100
