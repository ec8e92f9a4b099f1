"""`clasgraph export`: GraphML, GEXF and CSV read back with what the projection holds."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from clasgraph.cli import main
from clasgraph.graph import vocab as V
from clasgraph.graph.export import export, export_graph
from clasgraph.graph.nxproject import Quote, project

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "render_fixture.trig"
XSS = DATA / "render_xss.ttl"


@pytest.fixture(scope="module")
def G():
    return project(FIXTURE)


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_xml_formats_round_trip(tmp_path, G, fmt, reader):
    out = tmp_path / f"g.{fmt}"
    result = export_graph(G, out, fmt)
    assert result.paths == [out] and result.nodes == G.number_of_nodes()
    back = reader(out)
    assert back.number_of_nodes() == G.number_of_nodes()
    assert back.number_of_edges() == G.number_of_edges()
    council = V.org_iri("northvale-council")
    attrs = back.nodes[council]
    assert attrs["kind"] == "LocalAuthority" and attrs["name"] == "Northvale Metropolitan Borough Council"
    rels = {d.get("relation") for _, _, d in back.edges(data=True)}
    assert {"commissions", "provides", "cites", "concerns", "answeredBy"} <= rels


def test_graphml_keeps_evidence_and_paragraphs(tmp_path, G):
    out = tmp_path / "g.graphml"
    export_graph(G, out, "graphml")
    back = nx.read_graphml(out)
    hill, camhs = V.org_iri("hillside-care-nhs-foundation-trust"), V.area_service_iri("Northvale", "camhs")
    data = [d for s, o, d in back.edges(data=True) if s == hill and o == camhs]
    assert data and data[0]["paragraphs"] == "5.1.2" and "provided by Hillside" in data[0]["evidence"]


def test_csv_nodes_and_edges(tmp_path, G):
    result = export_graph(G, tmp_path / "out", "csv")
    assert [p.name for p in result.paths] == ["nodes.csv", "edges.csv"]
    with (tmp_path / "out" / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with (tmp_path / "out" / "edges.csv").open(encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    by_id = {n["id"]: n for n in nodes}
    assert by_id[V.org_iri("northvale-council")]["aliases"] == "NMBC"
    assert {e["relation"] for e in edges} >= {"commissions", "provides", "isResponsibleFor"}


def test_csv_cells_never_run_as_formulas(tmp_path):
    H = nx.MultiDiGraph()
    H.add_node("n1", kind="Gap", label="=HYPERLINK(\"http://x\")", name="+1", text="@SUM(A1)",
               evidence=[Quote("-2+3", "1.1")])
    H.add_node("n2", kind="Service", label="ok", name="ok")
    H.add_edge("n1", "n2", key="concerns", relation="concerns", evidence=[Quote("=cmd|' /C calc'!A0", "1.1")])
    export_graph(H, tmp_path, "csv")
    text = (tmp_path / "nodes.csv").read_text(encoding="utf-8") + (tmp_path / "edges.csv").read_text(encoding="utf-8")
    for row in csv.reader(text.splitlines()):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert "'=HYPERLINK" in text and "'+1" in text and "'@SUM" in text


def test_xml_safe_with_control_characters(tmp_path):
    H = nx.MultiDiGraph()
    H.add_node("a", kind="Finding", label="x\x0cy", name="form\x0cfeed", text="bell\x07 \ud800")
    export_graph(H, tmp_path / "c.graphml", "graphml")
    assert nx.read_graphml(tmp_path / "c.graphml").nodes["a"]["name"] == "formfeed"
    export_graph(H, tmp_path / "csv", "csv")  # a lone surrogate is replaced, not fatal
    assert "bell" in (tmp_path / "csv" / "nodes.csv").read_text(encoding="utf-8")


def test_export_a_view(tmp_path):
    result = export(FIXTURE, tmp_path / "v.gexf", "gexf", view="commissioning", area="Eastbrook")
    back = nx.read_gexf(tmp_path / "v.gexf")
    assert result.nodes == back.number_of_nodes() == 5
    assert all(d.get("area") in (None, "Eastbrook") for _, d in back.nodes(data=True))


def test_cli_export(tmp_path):
    runner = CliRunner()
    r = runner.invoke(main, ["export", str(FIXTURE), "--format", "graphml", "-o", str(tmp_path / "g.graphml")])
    assert r.exit_code == 0, r.output
    assert "28 nodes" in r.output and (tmp_path / "g.graphml").exists()
    r = runner.invoke(main, ["export", str(XSS), "--format", "csv", "-o", str(tmp_path / "csv")])
    assert r.exit_code == 0 and (tmp_path / "csv" / "edges.csv").exists()
    r = runner.invoke(main, ["export", str(FIXTURE), "--format", "csv", "-o", str(tmp_path / "x.csv")])
    assert r.exit_code == 1 and "give a directory" in r.output and "Traceback" not in r.output
    r = runner.invoke(main, ["export", str(tmp_path / "missing.ttl"), "--format", "gexf", "-o", str(tmp_path / "m.gexf")])
    assert r.exit_code == 1 and "no such file" in r.output
    r = runner.invoke(main, ["export", str(FIXTURE), "--format", "gexf", "-o", str(tmp_path / "f.gexf"),
                             "--focus", "Nortvale CCG"])
    assert r.exit_code == 1 and "close matches: Northvale CCG" in r.output
