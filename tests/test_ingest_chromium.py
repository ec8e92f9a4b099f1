"""PDF input from a second producer: the corpus reports printed by headless Chromium (Skia: justified,
hyphenated text set one run per word, ligatures, kerning, a running footer) extract as their text does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clasgraph.build import read
from clasgraph.build.pipeline import extract_file

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", ["stockport-2014", "staffordshire-2016"])
def test_chromium_pdf_extracts_like_the_text(name: str, tmp_path: Path) -> None:
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        pytest.skip("chromium not installed")
    pytest.importorskip("playwright")
    import chrome_pdf as chrome
    src = next((DATA / "corpus").glob(f"{name}.*"))
    text = read.read_file(src).text
    area = name.split("-")[0].title()
    pdf = chrome.chrome_pdf(text, tmp_path / f"{name}.pdf", area)
    want, got = extract_file(src), extract_file(pdf)
    assert [(r.number, r.text) for r in got.recommendations] == [(r.number, r.text) for r in want.recommendations]
    assert [(r.number, r.responsible) for r in got.recommendations] == \
        [(r.number, r.responsible) for r in want.recommendations]
    assert [f.number for f in got.structure.findings] == [f.number for f in want.structure.findings]
    assert sorted((c.finding, n) for c in got.citations for n in c.numbers) == \
        sorted((c.finding, n) for c in want.citations for n in c.numbers)
    assert {o.key for o in got.organisations} == {o.key for o in want.organisations}
