"""Shared fixtures: the bundled corpus and gold (copies under tests/data, never ../shared)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
REPORTS = {"staffordshire-2016": CORPUS / "staffordshire-2016.txt", "stockport-2014": CORPUS / "stockport-2014.md"}


@functools.cache
def gold(name: str) -> dict:
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def scorer():
    """tests/score_reference.py (a copy of the shared scorer) as a module."""
    import score_reference

    return score_reference


@functools.cache
def extraction(name: str):
    from clasgraph.build.pipeline import extract_file

    return extract_file(REPORTS[name])


@pytest.fixture(scope="session")
def corpus_extractions():
    return {name: extraction(name) for name in REPORTS}
