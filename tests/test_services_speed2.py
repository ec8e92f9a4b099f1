"""The shortcuts inside services.find_services against the plain forms they stand for: the word list
(``_words``: one pass over the text, or translate-and-split for plain ASCII) is ``TOKEN_RE.findall``, and the word ends read by stepping over several words
at once (``_step_over``) are those of ``TOKEN_RE.finditer``."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from clasgraph.build import services
from clasgraph.build.services import TOKEN_RE

# every kind of character the word pattern treats differently, and some it never reads
ODD = ["school nurse", "GP", "health visiting", "Camhs"] + list("aZ09&'’`s -.,\n\t()/é€ıİ") + ["CAMHS", "A&E", "x's", "’s", "''", "1990s"]
odd_texts = st.lists(st.sampled_from(ODD), max_size=60).map("".join)


ascii_texts = st.text(alphabet=st.characters(max_codepoint=127), max_size=80)  # translate-and-split path


@settings(max_examples=1000, deadline=None)
@given(st.one_of(odd_texts, st.text(max_size=80), ascii_texts))
def test_words_are_token_re_findall(text: str) -> None:
    assert services._words(text) == TOKEN_RE.findall(text)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(odd_texts, st.text(max_size=80), st.lists(st.sampled_from(ODD), max_size=400).map("".join)), st.data())
def test_word_ends_are_those_of_token_re(text: str, data: st.DataObject) -> None:
    ends = [m.end() for m in TOKEN_RE.finditer(text)]
    if not ends:
        return
    asked = sorted(set(data.draw(st.lists(st.integers(0, len(ends) - 1), min_size=1, max_size=8))))
    done = pos = 0
    for i in asked:  # increasing, stepping from the last word read, as find_services does
        pos = services._step_over(text, pos, i + 1 - done)
        done = i + 1
        assert pos == ends[i]


def test_long_runs_between_words_stay_linear() -> None:
    # a stretch that holds no word (here 200,000 characters) is stepped over once, not once per character
    for text in ("é" * 200_000, "word " + "-" * 200_000, "-" * 200_000 + " CAMHS"):
        t0 = time.process_time()
        assert services._words(text) == TOKEN_RE.findall(text)
        services.start_document()
        services.find_services(text)
        assert time.process_time() - t0 < 1.0


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(odd_texts, st.text(max_size=40)), max_size=6), st.booleans(), st.booleans())
def test_mentions_each_is_service_mentions_of_each(texts: list[str], topical: bool, forget: bool) -> None:
    if forget:
        services.norm_token.cache_clear()
    services.start_document()
    assert services.mentions_each(texts, topical) == [services.service_mentions(t, topical) for t in texts]


def test_mentions_each_with_a_small_memory() -> None:
    table = services.norm_token
    old_limit = table.LIMIT
    try:
        table.LIMIT = 3
        texts = ["school nurses and CAMHS", "the A&E department", "GP practices, health visitors", ""] * 3
        for _ in range(3):
            services.start_document()
            assert services.mentions_each(texts) == [services.service_mentions(t) for t in texts]
            assert services.mentions_each(texts, True) == [services.service_mentions(t, True) for t in texts]
    finally:
        table.LIMIT = old_limit
        table.cache_clear()
