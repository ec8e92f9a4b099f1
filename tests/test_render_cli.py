"""`clasgraph render`: options, errors as one line, and lazy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from clasgraph.cli import main

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "render_fixture.trig"


def run(*args: str):
    return CliRunner().invoke(main, ["render", *args])


def test_render_views(tmp_path):
    for args in (["--view", "commissioning", "--area", "Eastbrook"], ["--view", "recommendations"],
                 ["--view", "gaps"], ["--focus", "NHSE", "--depth", "1"]):
        out = tmp_path / "v.html"
        r = run(str(FIXTURE), "-o", str(out), *args)
        assert r.exit_code == 0, r.output
        assert r.output.startswith(f"wrote {out}")
        assert out.stat().st_size > 100_000  # vis-network is inside


def test_render_query_file(tmp_path):
    q = tmp_path / "q.rq"
    q.write_text("PREFIX clas: <https://w3id.org/clasgraph/ontology#>\n"
                 "CONSTRUCT { ?o clas:isResponsibleFor ?r } WHERE { ?o clas:isResponsibleFor ?r }\n", encoding="utf-8")
    r = run(str(FIXTURE), "-o", str(tmp_path / "q.html"), "--query", str(q))
    assert r.exit_code == 0, r.output
    assert "query view" in r.output and "8 edges" in r.output


def test_render_errors_are_one_line(tmp_path):
    out = str(tmp_path / "x.html")
    cases = [
        ([str(tmp_path / "nope.ttl"), "-o", out], "no such file"),
        ([str(FIXTURE), "-o", out, "--area", "Atlantis"], "no area called 'Atlantis'"),
        ([str(FIXTURE), "-o", out, "--view", "org"], "needs --focus"),
        ([str(FIXTURE), "-o", out, "--view", "gaps", "--focus", "NHSE"], "--focus goes with --view org"),
        ([str(FIXTURE), "-o", out, "--focus", "Hilside Care"], "close matches: Hillside Care NHS Foundation Trust"),
        ([str(FIXTURE), "-o", out, "--query", str(tmp_path / "missing.rq")], "cannot read"),
        ([str(FIXTURE), "-o", out, "--focus", "NHSE", "--area", "Northvale"], "--area goes with"),
    ]
    for args, message in cases:
        r = run(*args)
        assert r.exit_code == 1, (args, r.output)
        assert message in r.output, (args, r.output)
        assert "Traceback" not in r.output and r.output.count("\n") == 1
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    r = run(str(FIXTURE), "-o", out, "--query", str(bad))
    assert r.exit_code == 1 and "CONSTRUCT" in r.output
    r = run(str(FIXTURE), "-o", out, "--query", str(bad), "--view", "gaps")
    assert r.exit_code == 1 and "not both" in r.output


def test_max_nodes_note(tmp_path):
    r = run(str(FIXTURE), "-o", str(tmp_path / "m.html"), "--max-nodes", "12")
    assert r.exit_code == 0
    assert "note: Drawn: 1 of 2 areas" in r.output


def test_pyvis_and_networkx_are_imported_lazily():
    code = ("import sys, clasgraph.cli, clasgraph.graph.render, clasgraph.graph.nxproject, clasgraph.graph.export;"
            "print(sorted(m for m in ('pyvis', 'IPython', 'networkx', 'rdflib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
