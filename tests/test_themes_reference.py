"""``tag_themes`` (one check per cue, searched from where the cue's first word occurs) answers as the
plain reading of themes.ttl does: a theme is tagged when any of its cues matches anywhere."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from clasgraph.build.themes import _cue_pattern, load_themes, tag_themes

HERE = Path(__file__).parent
REPORTS = sorted(p for p in (HERE / "data" / "corpus").iterdir() if p.suffix in (".md", ".txt"))


def reference_tags(text: str) -> list[str]:
    """Per theme, one alternation of its capitalised cues (case-sensitive) and one of the rest."""
    keys = []
    for theme in load_themes():
        caps = [c for c in theme.cues if c.upper() == c and any(ch.isalpha() for ch in c)]
        other = [c for c in theme.cues if c not in caps and c != theme.label]
        found = bool(caps) and re.search("|".join(_cue_pattern(c) for c in caps), text) is not None
        found = found or (bool(other) and re.search("|".join(_cue_pattern(c) for c in other), text, re.I) is not None)
        if found:
            keys.append(theme.key)
    return keys


def test_corpus_paragraphs_get_the_reference_tags() -> None:
    lines = [ln for p in REPORTS for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert len(lines) > 300
    tagged = 0
    for line in lines:
        want = reference_tags(line)
        assert tag_themes(line) == want, line
        tagged += bool(want)
    assert tagged > 100


def _cue_words() -> list[str]:
    return sorted({w for t in load_themes() for c in t.cues for w in c.split()})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_cue_words() + [" ", "-", "s", "’s", "x", ",", "İ", "ı", "ſ"]), min_size=1, max_size=10),
       st.lists(st.booleans(), min_size=10, max_size=10))
def test_random_texts_of_cue_words(pieces: list[str], upper: list[bool]) -> None:
    text = " ".join(p.upper() if u else p for p, u in zip(pieces, upper + [False] * len(pieces), strict=False))
    assert tag_themes(text) == reference_tags(text)
