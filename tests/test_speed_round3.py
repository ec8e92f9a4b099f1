"""Shortcuts of the third speed round (themes, organisations, reading, segmenting) agree with the
plain forms they replace."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from clasgraph.build import organisations as orgs
from clasgraph.build import read, segment, themes
from clasgraph.build.model import Recommendation

_TEXT = st.text(alphabet=st.one_of(st.characters(), st.sampled_from("abz09AZ -’'_İıſ\u212aé\ud800")), max_size=80)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_runs_are_the_word_pattern_findall(text: str) -> None:
    lowered = text.lower()
    assert sorted(themes._runs(lowered)) == sorted(re.findall(r"[a-z0-9]+", lowered))


def test_every_cue_token_and_first_word_is_known() -> None:
    index = themes._cue_index()
    firsts, _ = themes._first_word_index()
    assert firsts <= index.known
    for _key, _firsts, cues in themes._cue_checks():
        for cue in cues:
            for spellings in cue.tokens or ():
                assert set(spellings) <= index.known


# ------------------------------------------------------------------ organisations

_NAME_PIECES = ["Trust", "NHS", "Foundation", "Council", "CCG", "Board", "and", "&", "of", "the", "Staffordshire",
                "North", "South", "Healthcare", "Partnership", "Stoke-on-Trent", "(SSOTP)", "(CQC)", "(x)", "(AB",
                "provided by", "Public Health", "’s", "'s", ",", ".", "\n", " ", "  ", "a", "lower", "City", "X"]


def _acronym_name_reference(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in orgs.ACRONYM_NAME_RE.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=40), st.randoms(use_true_random=False))
def test_acronym_name_matches_are_the_pattern_finditer(pieces: list[str], rnd: object) -> None:
    text = "".join(p + (" " if rnd.random() < 0.7 else "") for p in pieces)  # type: ignore[attr-defined]
    assert [m.span() for m in orgs._acronym_name_matches(text)] == _acronym_name_reference(text)


def _name_before_reference(text: str, end: int, lower_words: object) -> tuple[str, int] | None:
    """``_name_before`` with the whole text before the head tokenised at once."""
    head_m = None
    for head_m in orgs._scan(orgs.HEAD_SCAN_RE, text, orgs._WORD_CHAR_RE, max(0, end - 45), end):
        if head_m.end() == end:
            break
    head_start = head_m.start() if head_m is not None and head_m.end() == end else end
    taken = orgs._walk_back(list(orgs.NAME_TOKEN_SPLIT_RE.finditer(text, 0, head_start)), head_start, False)
    assert taken is not None
    taken.reverse()
    if not taken:
        return None
    last = taken[0].start() - 1
    while last >= 0 and text[last].isspace():
        last -= 1
    at_start = last < 0 or text[last] in ".;:!?\n“\"(" or text[last] == "–"
    words = orgs._trim_leading([t.group(0) for t in taken], at_start, lower_words)  # type: ignore[arg-type]
    if not words:
        return None
    start = taken[len(taken) - len(words)].start()
    return text[start:end], start


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=60))
def test_name_before_agrees_with_the_whole_prefix(pieces: list[str]) -> None:
    text = " ".join(pieces)
    lower_words = orgs._LowerWords(text)
    for m in orgs._scan(orgs.HEAD_SCAN_RE, text, orgs._WORD_CHAR_RE):
        assert orgs._name_before(text, m.end(), lower_words) == _name_before_reference(text, m.end(), lower_words)


def test_lower_start_of_a_text_needs_it_in_the_report() -> None:
    lex = orgs._lexicon_patterns()
    text = "the area team of NHS England said"
    assert orgs._holds_lower_start(text, lex)
    assert orgs._holds_lower_start("x\n" + text + "\ny", lex)
    assert not orgs._holds_lower_start("NHS England", lex)


# ------------------------------------------------------------------ reading and segmenting

_CHAR_PIECES = ["a", " ", "\r", "\n", "\r\n", "\f", "&", "&S", "\ufb00", "\ufb01", "\ufb03", "\u00a0", "\u200b",
                "\t", "e\u0301", "’"]


def _clean_chars_reference(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFC", text)
    for lig, rep in read.LIGATURES.items():
        text = text.replace(lig, rep)
    text = text.translate(read.CHAR_TABLE)
    text = read.GLUED_AMPERSAND_RE.sub("& ", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_CHAR_PIECES), max_size=30))
def test_clean_chars_agrees_with_every_replacement_made(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert read.clean_chars(text) == _clean_chars_reference(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["x", "", "a\rb", "Date of review: 1 May 2016"]), max_size=260), st.integers(0, 250))
def test_split_with_a_limit_gives_the_first_lines(lines: list[str], n: int) -> None:
    text = "\n".join(lines)
    assert text.split("\n", n)[:n] == text.split("\n")[:n]  # as extract_meta reads its first 200 and 40 lines


# ------------------------------------------------------------------ recurring recommendations


def _recurring_reference(recs: list[Recommendation]) -> list[list[str]]:
    """``find_recurring`` as first written: every pair from different groups compared in full."""
    n = len(recs)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if recs[i].group != recs[j].group and themes.same_recommendation(recs[i].text, recs[j].text):
                parent[find(j)] = find(i)
    clusters: dict[int, list[int]] = {}
    for i in range(n):
        clusters.setdefault(find(i), []).append(i)
    out = [[recs[i].number for i in sorted(m)] for m in clusters.values()
           if len(m) >= 2 and len({recs[i].group for i in m}) >= 2]
    position = {r.number: i for i, r in enumerate(recs)}
    return sorted(out, key=lambda nums: position[nums[0]])


_REC_WORDS = ["ensure", "that", "the", "health", "children", "looked", "after", "review", "GP", "MARAC",
              "information", "is", "shared", "with", "practices", "work", "and", "to", "of", "plans", "all"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("123"), st.lists(st.sampled_from(_REC_WORDS), max_size=14)), max_size=9),
       st.randoms(use_true_random=False))
def test_find_recurring_agrees_with_all_pairs_compared(items: list[tuple[str, list[str]]], rnd: object) -> None:
    recs: list[Recommendation] = []
    for k, (group, words) in enumerate(items):
        if recs and rnd.random() < 0.4:  # type: ignore[attr-defined]
            words = themes._tokens(recs[-1].text) + words[:1]  # near-copies, as recurring ones are
        recs.append(Recommendation(number=f"{group}.{k}", text=" ".join(words), group=group))
    assert themes.find_recurring(recs) == _recurring_reference(recs)


def test_where_no_lower_case_form_matches_both_lexicon_patterns_find_the_same() -> None:
    lex = orgs._lexicon_patterns()
    assert lex.exact_lower is not None
    texts = ["the area team of NHS England and NHS England", "NHS England area team met the CQC",
             "area team of NHS Englandx", "the area  team of NHS England-wide", "Ofsted, DfE and the LAT"]
    for text in texts:
        full = [m.span() for m in orgs._scan(lex.exact, text, orgs._WORD_OR_HYPHEN_RE)]
        capital = [m.span() for m in orgs._scan(lex.exact_capital, text, orgs._WORD_OR_HYPHEN_RE)]
        if lex.exact_lower.search(text) is None:
            assert full == capital, text
        else:  # the lower-case form is found only by the full pattern
            assert full != capital, text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["area", "team", "of", "NHS", "England", "the", "CQC", "LAT", "-", "x", "and", "&"]),
                max_size=14), st.sampled_from([" ", "  ", "\n", ""]))
def test_lexicon_scan_is_the_same_where_no_lower_case_form_matches(words: list[str], sep: str) -> None:
    lex = orgs._lexicon_patterns()
    assert lex.exact_lower is not None
    text = sep.join(words)
    if lex.exact_lower.search(text) is None:
        assert [m.span() for m in orgs._scan(lex.exact, text, orgs._WORD_OR_HYPHEN_RE)] == [
            m.span() for m in orgs._scan(lex.exact_capital, text, orgs._WORD_OR_HYPHEN_RE)]


# ------------------------------------------------------------------ segmenting: the heading gate

_HEADING_LINES = st.one_of(
    st.sampled_from([line for line in (
        "Summary of the review", "the child’s journey", "4. Looked after children:", "5.2 Governance",
        "Leadership and management", "1.1 The GP", "12.3.4 x", "Care leavers", "Children in need",
        "What children and young people told us:::::", "Recommendations", "5.1 Leadership & management")]),
    st.text(alphabet=st.sampled_from("15. :aAbcRe\u0661\u06f5’'"), max_size=90))


def _long(line: str) -> bool:
    return len(line) > segment.HEADING_MAX and line[-1] != ":"


def test_heading_max_bounds_the_heading_patterns_and_titles() -> None:
    from re import _parser  # type: ignore[attr-defined]

    widths = [_parser.parse(pat.pattern, pat.flags).getwidth()[1] for _, pat in segment.SECTION_PATTERNS]
    assert max(widths) <= segment.HEADING_MAX
    assert max(map(len, [*segment.JOURNEY_TITLES, *segment.MANAGEMENT_TITLES])) <= segment.HEADING_MAX


@settings(max_examples=500, deadline=None)
@given(_HEADING_LINES, st.integers(0, 80))
def test_long_lines_are_no_headings_and_numbered_ones_start_with_a_digit(line: str, pad: int) -> None:
    for text in (line, line + " x" * pad, "x" * pad + line):
        text = text.strip()
        if not text:
            continue
        if _long(text):
            assert segment._section_key(text) is None
            assert segment.JOURNEY_TITLES.get(text.lower().rstrip(":")) is None
            assert text.lower() not in segment.MANAGEMENT_TITLES
        if not text[0].isdecimal():
            assert not segment.JOURNEY_RE.match(text) and not segment.MANAGEMENT_RE.match(text)
            assert not segment.NUMBERED_RE.match(text)


def test_regex_digits_are_the_decimal_characters() -> None:
    digit = re.compile(r"\d")
    assert all(bool(digit.match(chr(c))) == chr(c).isdecimal() for c in range(0x110000))


# ------------------------------------------------------------------ recommendations


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\u200b.,"), max_size=40))
def test_recommendation_fold_is_the_white_space_substitution(text: str) -> None:
    from clasgraph.build import recommendations

    assert recommendations.fold(text) == re.sub(r"\s+", " ", text).strip()


_LINE_PIECES = ["x", "A", " ", "  ", "\t", "\u00a0", "\u2028", "•", "- ", "1.2", "1. ", "a)", "(", ")", ":", ".",
                "Recommendations", "and", "should", "Date of review:", "\f", "", "Page 3 of 9", "’"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_LINE_PIECES), max_size=8).map("".join), max_size=25))
def test_text_blocks_are_single_spaced_and_stripped(lines: list[str]) -> None:
    for block in read._text_blocks(read._drop_page_furniture(lines)):
        assert block and "  " not in block and block == block.strip()
        assert " ".join(block.split()) == block


_PH_PIECES = ["Public Health", "XPublic Health", "_", ",", " in ", " at the ", " team of ", "Stoke", "City Council",
              "SCC", " England", " ", "Public Health, Public Health in ", "within", "x"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PH_PIECES), max_size=12))
def test_public_health_scans_are_the_bounded_patterns(pieces: list[str]) -> None:
    text = "".join(pieces)
    of = r"\bPublic Health(?:,\s*|\s+(?:in|at|within|team (?:in|at|of))\s+(?:the\s+)?)" \
         r"(?P<council>[A-Z][\w’'\- ]*?(?:Council|[A-Z]{2,}))(?![\w])"
    alone = r"\bPublic Health\b(?!,| England| in | at | team| within|\s+[A-Z])"
    assert [m.span() for m in orgs._scan(orgs.PUBLIC_HEALTH_OF_RE, text, orgs._WORD_CHAR_RE)] == [
        m.span() for m in re.finditer(of, text)]
    assert [m.span() for m in orgs._scan(orgs.PUBLIC_HEALTH_ALONE_RE, text, orgs._WORD_CHAR_RE)] == [
        m.span() for m in re.finditer(alone, text)]
