"""Shortcuts of the third speed round (themes, organisations, reading, segmenting) agree with the
plain forms they replace."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from clasgraph.build import themes

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
