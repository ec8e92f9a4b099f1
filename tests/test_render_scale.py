"""Many reports: whole areas up to the node limit, the page says what was left out, layout in Python.

Uses the synthetic corpus generator of benchmarks/synth_graph.py at a small size.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from clasgraph.graph.nxproject import view_from_source
from clasgraph.graph.render import render

SYNTH = Path(__file__).resolve().parents[1] / "benchmarks" / "synth_graph.py"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import synth_graph as synth
    path = tmp_path_factory.mktemp("synth") / "synth-12.nq"
    with path.open("w", encoding="utf-8") as fh:
        synth.write(12, fh)
    return path


def page_data(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    m = re.search(r'<script type="application/json" id="clasgraph-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


@pytest.mark.parametrize("view", ["commissioning", "recommendations", "gaps"])
def test_whole_areas_up_to_the_limit(corpus, tmp_path, view):
    out = tmp_path / f"{view}.html"
    result = render(corpus, out, view, max_nodes=300)
    assert 0 < result.nodes <= 300
    assert not result.physics  # laid out in Python
    notes = " ".join(result.notes)
    m = re.search(r"Drawn: (\d+) of 12 areas", notes)
    assert m and 1 <= int(m.group(1)) < 12, notes
    assert "Use --area to draw one of them" in notes
    data = page_data(out)
    assert data["notes"] == result.notes
    assert "Left out:" in out.read_text(encoding="utf-8")  # shown on the page, not only on the console
    real = [n for n in data["nodes"] if n["kind"] != "_heading"]
    headings = [n for n in data["nodes"] if n["kind"] == "_heading"]
    assert len(real) == result.nodes and len(headings) == int(m.group(1))  # one heading per area drawn
    assert len({(n["x"], n["y"]) for n in real}) == len(real)  # every node has its own place


def test_one_area_of_many(corpus):
    v = view_from_source(corpus, "commissioning")
    first = sorted({a["area"] for _, a in v.graph.nodes(data=True) if a.get("area")})[0]
    one = view_from_source(corpus, "commissioning", area=first.upper())
    areas = {a.get("area") for _, a in one.graph.nodes(data=True) if a["kind"] == "Service"}
    assert areas == {first} and not one.notes


def test_hub_neighbourhood_is_limited(corpus, tmp_path):
    result = render(corpus, tmp_path / "hub.html", "org", focus="NHS England", depth=2, max_nodes=100)
    assert result.nodes == 100
    assert any("left out" in n for n in result.notes)
