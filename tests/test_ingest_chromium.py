"""PDF input from a second producer: the corpus reports printed by headless Chromium (Skia: justified,
hyphenated text set one run per word, ligatures, kerning, a running footer) extract as their text does."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from clasgraph.build import read
from clasgraph.build.pipeline import extract_file

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"

pytestmark = pytest.mark.browser


def _load(name: str, path: Path):  # type: ignore[no-untyped-def]
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


@pytest.mark.parametrize("name", ["stockport-2014", "staffordshire-2016"])
def test_chromium_pdf_extracts_like_the_text(name: str, tmp_path: Path) -> None:
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        pytest.skip("chromium not installed")
    pytest.importorskip("playwright")
    _load("clasgraph_bench_synth_reports", ROOT / "benchmarks" / "synth_reports.py")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        chrome = _load("clasgraph_bench_chrome_pdf", ROOT / "benchmarks" / "chrome_pdf.py")
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
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
