"""The fast service matcher (services.find_services: words remembered with whether they begin a label,
a trie walk from those words only) against its definition: the leftmost, longest label whose acronym
words are written in capitals, words compared after normalisation, found by trying every length."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clasgraph.build import services
from clasgraph.build.services import TOKEN_RE, is_acronym_token, load_lexicon


def _norm_definition(tok: str) -> str:
    t = tok.lower().replace("’", "").replace("'", "").replace("`", "")
    if t == "&":
        return "and"
    if len(t) > 3 and t.endswith("s") and not t.endswith(("ss", "ics")):
        t = t[:-1]
    return t


def _reference(text: str, topical: bool) -> list[tuple[int, int, str, str]]:
    lex = load_lexicon()
    table = lex.topics if topical else lex.labels
    longest = lex.topics_longest if topical else lex.longest
    toks = list(TOKEN_RE.finditer(text))
    norms = [_norm_definition(m.group()) for m in toks]
    out: list[tuple[int, int, str, str]] = []
    i = 0
    while i < len(toks):
        for n in range(min(longest, len(toks) - i), 0, -1):
            label = table.get(tuple(norms[i : i + n]))
            if label is None:
                continue
            if any(c and not is_acronym_token(toks[i + k].group()) for k, c in enumerate(label.caps)):
                continue
            start, end = toks[i].start(), toks[i + n - 1].end()
            out.append((start, end, label.key, text[start:end]))
            i += n
            break
        else:
            i += 1
    return out


def _label_words() -> list[str]:
    lex = load_lexicon()
    words = {w for label in lex.topics.values() for w in TOKEN_RE.findall(label.text)}
    return sorted(words)


WORDS = _label_words() + ["in", "a", "and", "the", "of", "is", "Hospital", "café", "O'Neill", "1990s", "ss", "ics"]
SEPARATORS = [" ", "  ", "-", "\n", ", ", ". ", "'", "’", "`", "&", " & ", "/", "(", ")", "é", ""]


def _variant(word: str, how: int) -> str:
    return [word, word.lower(), word.upper(), word.capitalize(), word + "s", word + "'s", word + "’s",
            word + "`s", word + "S", word[:-1] if len(word) > 1 else word][how]


texts = st.lists(
    st.tuples(st.sampled_from(WORDS), st.integers(0, 9), st.sampled_from(SEPARATORS)), min_size=0, max_size=14
).map(lambda parts: "".join(_variant(w, how) + sep for w, how, sep in parts))


def _found(text: str, topical: bool) -> list[tuple[int, int, str, str]]:
    return [(m.start, m.end, m.key, m.surface) for m in services.find_services(text, topical)]


@settings(max_examples=1500, deadline=None)
@given(texts, st.booleans(), st.booleans())
def test_find_services_is_its_definition(text: str, topical: bool, forget: bool) -> None:
    if forget:  # a fresh memory of words and sentences, as at the start of a process
        services.norm_token.cache_clear()
        services.start_document()
    assert _found(text, topical) == _reference(text, topical)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aAeEsSGPgpdD&'’` -.\n0é")), max_size=40), st.booleans())
def test_find_services_on_odd_characters(text: str, topical: bool) -> None:
    assert _found(text, topical) == _reference(text, topical)


@given(st.lists(st.sampled_from(WORDS), max_size=3).map(" ".join))
def test_norm_token_is_its_definition(text: str) -> None:
    for tok in TOKEN_RE.findall(text) + [text]:
        assert services.norm_token(tok) == _norm_definition(tok)


def test_memory_of_words_is_bounded_and_forgets_consistently() -> None:
    table = services.norm_token
    table.cache_clear()
    old_limit = table.LIMIT
    try:
        table.LIMIT = 5
        for k in range(40):
            text = f"word{k} and school nurses in the A&E department, GP{k} practices"
            services.start_document()
            assert _found(text, False) == _reference(text, False)
            assert _found(text, True) == _reference(text, True)
        assert len(table.norm) < 40
    finally:
        table.LIMIT = old_limit
        table.cache_clear()
