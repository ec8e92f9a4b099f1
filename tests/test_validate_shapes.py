"""SHACL validation: exit 0 conforms, 1 violations (listed readably), 2 error."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from clasgraph.cli import main
from clasgraph.graph.io import load_graph
from clasgraph.graph.validate import conformance_warnings, validate_graph

FIXTURE = Path(__file__).parent / "data" / "query-fixture.trig"


def broken(tmp_path: Path) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    # drop the only responsible body of Northtown 2.1, and the evidence of the arrangement
    text = text.replace("id:org\\/nhs-england clas:isResponsibleFor id:report\\/northtown-2015\\/recommendation\\/2.1 .", "")
    text = text.replace('clas:evidence "Health visiting is commissioned by Northtown Council" ;', "")
    out = tmp_path / "broken.trig"
    out.write_text(text, encoding="utf-8")
    return out


def test_fixture_conforms():
    r = CliRunner().invoke(main, ["validate", str(FIXTURE)])
    assert r.exit_code == 0 and "conforms" in r.output
    assert conformance_warnings(load_graph(FIXTURE)) == []


def test_violations_listed(tmp_path):
    path = broken(tmp_path)
    r = CliRunner().invoke(main, ["validate", str(path)])
    assert r.exit_code == 1, r.output
    assert "2 violation(s)" in r.output
    assert ("id:report/northtown-2015/recommendation/2.1 [inverse path]: a recommendation needs at least one "
            "responsible body") in r.output
    assert "id:report/northtown-2015/commissioning-arrangement/a1 [clas:evidence]: an arrangement needs the quote" \
        in r.output
    report = validate_graph(load_graph(path))
    assert not report.conforms and len(report.violations) == 2
    assert len(conformance_warnings(load_graph(path))) == 2


def test_missing_label_is_a_violation(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace(' ; rdfs:label "Southvale CCG"', "")
    p = tmp_path / "nolabel.trig"
    p.write_text(text, encoding="utf-8")
    report = validate_graph(load_graph(p))
    assert [v.line() for v in report.violations] == [
        "id:org/southvale-ccg [rdfs:label]: a label is missing (rdfs:label)"]


def test_errors_exit_2(tmp_path):
    r = CliRunner().invoke(main, ["validate", str(tmp_path / "missing.ttl")])
    assert r.exit_code == 2 and "no such file" in r.output and "Traceback" not in r.output
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    r = CliRunner().invoke(main, ["validate", str(bad)])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
