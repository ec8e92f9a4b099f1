"""Session 3 shortcut in theme tagging: ``themes._bit_keys`` (stepping from one set bit to the next)
gives the keys the plain comprehension over every key gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clasgraph.build import themes

KEYS = themes._cue_index().keys
HERE = Path(__file__).parent
REPORTS = sorted(p for p in (HERE / "data" / "corpus").iterdir() if p.suffix in (".md", ".txt"))


def _plain(bits: int, keys: tuple[str, ...]) -> list[str]:
    return [key for i, key in enumerate(keys) if bits >> i & 1]


@settings(max_examples=500, deadline=None)
@given(st.integers(0, (1 << len(KEYS)) - 1))
def test_bit_keys_are_the_plain_comprehension(bits: int) -> None:
    assert themes._bit_keys(bits, KEYS) == _plain(bits, KEYS)


def test_bit_keys_edges() -> None:
    assert themes._bit_keys(0, KEYS) == []
    assert themes._bit_keys((1 << len(KEYS)) - 1, KEYS) == list(KEYS)
    assert themes._bit_keys(1 << (len(KEYS) - 1), KEYS) == [KEYS[-1]]


def test_tag_themes_as_with_the_plain_comprehension(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [line for path in REPORTS for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    fast = [themes.tag_themes(line) for line in lines]
    assert sum(map(bool, fast)) > 100
    monkeypatch.setattr(themes, "_bit_keys", _plain)
    assert [themes.tag_themes(line) for line in lines] == fast
