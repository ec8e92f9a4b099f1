"""Shortcuts of the fourth speed round in organisations agree with the plain forms they replace.

* ``_MentionScanner`` finds what ``_scan`` of ``mention_regex`` (the alternation of the surfaces' loose
  regexes) finds, in whole texts and in slices of them;
* ``OrgIndex.mentions`` / ``mentions_in`` give on the bundled reports what that plain scan gives.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from clasgraph.build.organisations import (
    _WORD_OR_AMPERSAND_RE,
    OrgIndex,
    _MentionScanner,
    _run_pattern,
    _scan,
    build_org_index,
    mention_regex,
)
from clasgraph.build.read import read_file
from clasgraph.build.segment import segment

REPORTS = Path(__file__).resolve().parent.parent / "examples" / "reports"

_WORDS = ["North", "Northshire", "Nor", "CCG", "CCGs", "NHS", "Trust", "and", "And", "&", "A&E", "A", "St.", "St",
          "Stoke-on-Trent", "Stoke", "health", "Health", "é", "Éire", "_x", "x_", "(SSOTP)", "SSOTP", "'s", "’s", "9",
          "Ba", "Band", "andy"]
_SEPARATORS = [" ", "  ", "\n", "\t", "\u00a0", "\x1c", "", ",", "&", "-", "'", ". "]
_SURFACE_SEPARATORS = [" ", "  ", " \n ", "", "-", " & ", " and "]


def _plain_spans(alts: list[str], text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    sub = text[start:end]
    return [(m.start() + start, m.end() + start) for m in _scan(mention_regex(alts), sub, _WORD_OR_AMPERSAND_RE)]


# surfaces mostly start with a word character (those that do not, or that end in white space, are
# left to the alternation)
_surface = st.builds(
    lambda first, words, seps, pad: pad[0] + "".join(w + s for w, s in zip([first, *words][:-1], seps, strict=False))
    + [first, *words][-1] + pad[1],
    st.sampled_from([w for w in _WORDS if re.match(r"\w", w) and w != "and"] * 20 + _WORDS),
    st.lists(st.sampled_from(_WORDS), max_size=3),
    st.lists(st.sampled_from(_SURFACE_SEPARATORS), min_size=3, max_size=3),
    st.sampled_from([("", "")] * 100 + [(" ", ""), ("", " "), ("&", ""), ("(", "")]),
).filter(lambda s: len(s) >= 2)


def _texts(alts: list[str]) -> st.SearchStrategy[str]:
    """Texts made of words and of the surfaces (their white space and &/and written otherwise)."""
    respelt = [re.sub(r"\s+", lambda m: m.group() * 2 if len(m.group()) == 1 else "\n", a).replace("&", "and")
               for a in alts]
    return st.builds(
        lambda pieces, seps: "".join(w + s for w, s in zip(pieces, seps, strict=False)),
        st.lists(st.sampled_from(_WORDS + alts + respelt), max_size=12),
        st.lists(st.sampled_from(_SEPARATORS), min_size=12, max_size=12),
    )


def test_regex_white_space_is_str_isspace() -> None:
    """``_match_parts`` reads ``\\s+`` with ``str.isspace``: the same characters over all of Unicode."""
    space = re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert (space.match(char) is not None) == char.isspace(), hex(code)


@settings(max_examples=600, deadline=None)
@given(st.lists(_surface, min_size=1, max_size=8, unique=True), st.booleans(), st.data())
def test_scanner_finds_what_the_alternation_finds(alts: list[str], longest_first: bool, data: st.DataObject) -> None:
    text = data.draw(_texts(alts))
    if longest_first:
        alts = sorted(alts, key=len, reverse=True)
    scanner = _MentionScanner(alts)
    assert scanner.spans(text) == _plain_spans(alts, text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert scanner.spans(text, start, end) == _plain_spans(alts, text, start, end)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_surface, min_size=1, max_size=6, unique=True), min_size=2, max_size=6), st.data())
def test_a_scanner_made_from_the_previous_one_finds_the_same(generations: list[list[str]],
                                                             data: st.DataObject) -> None:
    """Each index change makes a scanner that keeps the previous one's run patterns (surfaces may also
    have gone, and the patterns are remade when there are many): it finds what the alternation finds."""
    previous = None
    alts: list[str] = []
    for new in generations:
        alts = sorted(set(alts[: data.draw(st.integers(0, len(alts)))]) | set(new), key=len, reverse=True)
        scanner = _MentionScanner(alts, previous)
        text = data.draw(_texts(alts))
        assert scanner.spans(text) == _plain_spans(alts, text)
        previous = scanner


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS).filter(lambda w: re.fullmatch(r"\w+", w) is not None), min_size=1,
                max_size=6, unique=True), st.data())
def test_run_pattern_finds_every_run_start_that_is_a_listed_run(runs: list[str], data: st.DataObject) -> None:
    text = data.draw(_texts([]))
    pattern = _run_pattern(runs)
    found = {m.start() for m in pattern.finditer(text)}
    for m in re.finditer(r"\w+", text):
        if m.group() in runs:
            assert m.start() in found
    for at in found:  # each found place holds a listed run, ending where a word run ends
        m = re.compile(r"\w+").match(text, at)
        assert m is not None and m.group() in runs


def test_surfaces_that_do_not_fit_the_table_use_the_alternation() -> None:
    for alts in (["& Co Trust"], [" North"], ["North "], ["and Co"], ["(SSOTP)", "North"]):
        scanner = _MentionScanner(alts)
        assert scanner.pattern is not None
        text = "North & Co Trust (SSOTP) and Co"
        assert scanner.spans(text) == _plain_spans(alts, text)


def _indexes() -> list[tuple[OrgIndex, list[str]]]:
    out = []
    for path in sorted(REPORTS.iterdir()):
        if path.suffix not in (".md", ".txt"):
            continue
        structure = segment(read_file(path).text)
        out.append((build_org_index(structure), [p.text for p in structure.paragraphs]))
    return out


def test_mentions_of_the_bundled_reports_are_the_plain_scan() -> None:
    for index, paragraphs in _indexes():
        alts = index._surface_forms()
        pattern = mention_regex(alts)
        for text in paragraphs:
            plain = [(m.start(), m.end()) for m in _scan(pattern, text, _WORD_OR_AMPERSAND_RE)]
            found = index.mentions(text)
            assert [(m.start, m.end) for m in found] == [s for s in plain if index.resolve(text[s[0]:s[1]])]
            assert all(m.surface == text[m.start:m.end] for m in found)
            # a sentence asked as a slice of its paragraph: the mentions of the sentence alone
            for a, b in orgs_sentence_spans(text):
                assert index.mentions_in(text, a, b) == index.mentions(text[a:b])


def orgs_sentence_spans(text: str) -> list[tuple[int, int]]:
    """Slices of a paragraph at every full stop and at a few places inside words."""
    cuts = sorted({0, len(text), *(m.end() for m in re.finditer(r"\.\s*", text)), len(text) // 3, len(text) // 2})
    return list(zip(cuts, cuts[1:], strict=False))


def test_index_changes_make_the_scanner_anew() -> None:
    index, _ = _indexes()[0]
    text = "We met Riverside Recovery Service (RRS) and the RRS team."
    assert not index.mentions(text)
    key = index.ensure("Riverside Recovery Service", "VoluntaryOrganisation", aliases=["RRS"])
    assert [m.key for m in index.mentions(text)] == [key, key, key]
