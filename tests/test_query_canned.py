"""Canned queries, parameters, formats and safety on a small hand-made TriG graph with known answers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from clasgraph.cli import main
from clasgraph.graph import query as Q
from clasgraph.graph.api import open_graph, run_query
from clasgraph.graph.io import open_source

FIXTURE = Path(__file__).parent / "data" / "query-fixture.trig"


@pytest.fixture(scope="module")
def g():
    return open_graph(FIXTURE)


def rows(g, name: str, **params: str) -> list[tuple]:
    res = g.result(name, **params)
    return [tuple(r.get(v) and r[v].python() for v in res.variables) for r in res.rows]


def test_who_commissions_what(g):
    assert rows(g, "who-commissions-what") == [
        ("Northtown", "NHS England", "camhs-tier4"),
        ("Northtown", "Northtown Council", "health-visiting"),
        ("Southvale", "NHS England", "camhs-tier4"),
        ("Southvale", "Southvale CCG", "school-nursing"),
    ]


def test_who_commissions_what_params(g):
    assert rows(g, "who-commissions-what", area="Southvale") == [
        ("Southvale", "NHS England", "camhs-tier4"),
        ("Southvale", "Southvale CCG", "school-nursing"),
    ]
    # an alias finds the body; the hub is found in both reports
    assert rows(g, "who-commissions-what", org="NHSE") == [
        ("Northtown", "NHS England", "camhs-tier4"),
        ("Southvale", "NHS England", "camhs-tier4"),
    ]
    assert rows(g, "who-commissions-what", service="health-visiting", area="Northtown") == [
        ("Northtown", "Northtown Council", "health-visiting"),
    ]
    assert rows(g, "who-commissions-what", area="Nowhere") == []


def test_who_provides_and_service_map(g):
    assert rows(g, "who-provides-what") == [
        ("Northtown", "Northtown NHS Foundation Trust", "health-visiting"),
        ("Southvale", "Northtown NHS Foundation Trust", "school-nursing"),
    ]
    assert rows(g, "service-map") == [
        ("Northtown", "camhs-tier4", "NHS England", ""),
        ("Northtown", "health-visiting", "Northtown Council", "Northtown NHS Foundation Trust"),
        ("Southvale", "camhs-tier4", "NHS England", ""),
        ("Southvale", "school-nursing", "Southvale CCG", "Northtown NHS Foundation Trust"),
    ]


def test_recommendations_evidence_load(g):
    assert rows(g, "recommendations-for", org="NHS England") == [
        ("Northtown", "NHS England", "2.1", "Review access to tier 4 beds."),
        ("Southvale", "NHS England", "1.1", "Review school nursing capacity."),
    ]
    assert rows(g, "evidence-for", number="1.1", area="Northtown") == [
        ("Northtown", "1.1", "1.1", "Health visitors do not always see the child alone."),
        ("Northtown", "1.1", "2.3", 'Referrals to "tier 4" beds are delayed.'),
    ]
    assert rows(g, "bodies-by-load") == [
        ("NHS England", 2, 2),
        ("Northtown CCG", 1, 1),
        ("Northtown NHS Foundation Trust", 1, 1),
        ("Southvale CCG", 1, 1),
    ]
    assert rows(g, "bodies-by-load", area="Southvale") == [("NHS England", 1, 1), ("Southvale CCG", 1, 1)]


def test_unresolved_transfers_reports(g):
    assert rows(g, "unresolved-citations") == [("Northtown", "2.3", "9.9")]
    assert rows(g, "transfers") == [("Northtown", "health-visiting", "NHS England", "Northtown Council", "2015-10")]
    assert rows(g, "reports") == [("Northtown", "northtown-2015", "2015-06-01", 2),
                                  ("Southvale", "southvale-2016", "2016-03-15", 1)]


def test_counts_right_when_reports_share_one_graph(tmp_path):
    """A Turtle file has no named graphs: both reports in one graph must still be counted apart."""
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    ds.parse(FIXTURE, format="trig")
    merged = rdflib.Graph()
    for t in ds.triples((None, None, None)):
        merged.add(t)
    ttl = tmp_path / "merged.ttl"
    merged.serialize(ttl, format="turtle")
    one = open_graph(ttl)
    assert rows(one, "bodies-by-load") == rows(open_graph(FIXTURE), "bodies-by-load")
    assert rows(one, "reports") == rows(open_graph(FIXTURE), "reports")
    assert rows(one, "who-commissions-what") == rows(open_graph(FIXTURE), "who-commissions-what")


def test_every_rq_file_is_offered_and_parses(g):
    names = Q.query_names()
    listed = {q.name for q in Q.list_queries()}
    assert listed == {p.stem for p in Q.QUERIES_DIR.glob("*.rq")} == set(names)
    for q in Q.list_queries():
        assert q.description, f"{q.name}: first comment line is its description"
        params = {p.name: "x" for p in q.params}  # every parameter on: must still be valid SPARQL
        for text in (Q.apply_params(q.text, {k: v for k, v in params.items()
                                              if any(p.required and p.name == k for p in q.params)}, q.params),
                     Q.apply_params(q.text, params, q.params)):
            g.source.query(text)  # raises SyntaxError if not


def test_runner_picks_up_a_new_rq_file(tmp_path):
    (tmp_path / "count-reports.rq").write_text(
        "# How many reports.\nPREFIX clas: <https://w3id.org/clasgraph/ontology#>\n"
        "SELECT (COUNT(?r) AS ?n) WHERE { ?r a clas:Report }\n")
    assert [q.name for q in Q.list_queries(tmp_path)] == ["count-reports"]
    assert Q.list_queries(tmp_path)[0].description == "How many reports."


def test_parameter_values_are_literals_never_sparql(g):
    evil = 'Northtown" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER("1'
    assert rows(g, "who-commissions-what", area=evil) == []
    text = Q.apply_params(Q.get_query("who-commissions-what").text, {"area": evil},
                          Q.get_query("who-commissions-what").params)
    assert Q.sparql_string(evil) in text
    assert Q.sparql_string('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'


@pytest.mark.parametrize("params,message", [
    ({"nope": "x"}, "unknown parameter 'nope'"),
])
def test_bad_params(g, params, message):
    with pytest.raises(Q.QueryError, match=message):
        g.result("who-commissions-what", **params)


def test_required_param():
    with pytest.raises(Q.QueryError, match="missing required parameter 'org'"):
        run_query(FIXTURE, "recommendations-for")


def test_unknown_query_suggests():
    with pytest.raises(Q.QueryError, match="did you mean who-commissions-what"):
        Q.get_query("who-commisions-what")


def test_top_level_api():
    import clasgraph

    rows = clasgraph.run_query(clasgraph.open_graph(FIXTURE), "transfers", area="Northtown")
    assert rows == [{"area": "Northtown", "service": "health-visiting", "from": "NHS England",
                     "to": "Northtown Council", "date": "2015-10"}]


def test_adhoc_substitution_and_api_rows():
    out = run_query(FIXTURE, "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                             "SELECT ?a ?name WHERE { ?a rdfs:label ?name }", name="Southvale")
    assert out == [{"a": "https://w3id.org/clasgraph/id/area/southvale", "name": "Southvale"}]


def test_syntax_error_line_and_column():
    with pytest.raises(Q.QueryError, match=r"^SPARQL syntax error at line 2, column \d+: "):
        run_query(FIXTURE, "SELECT ?s WHERE {\n  ?s ?p }")


def test_update_refused_and_form_detection():
    assert Q.query_form("PREFIX x: <http://x/> # c\n INSERT DATA { <a> <b> <c> }") == "UPDATE"
    assert Q.query_form("prefix x: <http://x/>\nconstruct { ?s ?p ?o } where { ?s ?p ?o }") == "CONSTRUCT"
    with pytest.raises(Q.QueryError, match="read-only"):
        Q.run_local(open_source(FIXTURE), "DELETE WHERE { ?s ?p ?o }")


def test_timeout():
    import time

    with pytest.raises(Q.QueryTimeout, match="timed out after 0.1 s"):
        Q._run_with_timeout(lambda: time.sleep(2), 0.1)
    assert Q._run_with_timeout(lambda: 7, 1.0) == 7


def test_formats(g):
    res = g.result("who-commissions-what", area="Northtown")
    data = json.loads(Q.format_result(res, "json"))
    assert data["head"]["vars"] == ["area", "commissioner", "service"]
    assert data["results"]["bindings"][0]["area"] == {"type": "literal", "value": "Northtown"}
    assert Q.results_from_json(data).to_dicts() == res.to_dicts()
    parsed = list(csv.reader(io.StringIO(Q.format_result(res, "csv"))))
    assert parsed == [["area", "commissioner", "service"], ["Northtown", "NHS England", "camhs-tier4"],
                      ["Northtown", "Northtown Council", "health-visiting"]]
    assert Q.format_result(res, "tsv").splitlines()[1] == "Northtown\tNHS England\tcamhs-tier4"
    md = Q.format_result(res, "md").splitlines()
    assert md[0] == "| area | commissioner | service |" and md[1] == "|---|---|---|" and len(md) == 4
    table = Q.format_result(res, "table").splitlines()
    assert table[0].split() == ["area", "commissioner", "service"] and table[-1] == "(2 rows)"


def test_construct_prints_turtle_and_ask(g):
    res = g.result("PREFIX clas: <https://w3id.org/clasgraph/ontology#> "
                   "CONSTRUCT { ?o clas:commissions ?s } WHERE { ?o clas:commissions ?s }")
    assert res.turtle and "clas:commissions" in res.turtle
    import rdflib

    assert len(rdflib.Graph().parse(data=res.turtle, format="turtle")) == 4
    assert g.result("ASK { ?s ?p ?o }").boolean is True


def test_limit(g):
    res = g.result("who-commissions-what", limit=1)
    assert len(res.rows) == 1 and res.truncated


# ---------------------------------------------------------------- CLI


def test_cli_query_and_queries():
    r = CliRunner().invoke(main, ["query", str(FIXTURE), "who-commissions-what", "--param", "area=Southvale",
                                  "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == ["area,commissioner,service", "Southvale,NHS England,camhs-tier4",
                                     "Southvale,Southvale CCG,school-nursing"]
    r = CliRunner().invoke(main, ["queries"])
    assert r.exit_code == 0 and "who-commissions-what" in r.output and "params: org*, area" in r.output


@pytest.mark.parametrize("args,message", [
    (["-e", "SELECT ?s WHERE {\n ?s }"], "SPARQL syntax error at line 2, column"),
    (["-e", "DELETE WHERE { ?s ?p ?o }"], "--allow-update"),
    (["nonesuch"], "no canned query named 'nonesuch'"),
    (["who-commissions-what", "--param", "area"], "write it as NAME=VALUE"),
])
def test_cli_errors_are_one_line(args, message):
    extra = [str(FIXTURE)] if args[0] in ("-e",) else []
    if args[0] not in ("-e",):
        args = [str(FIXTURE), *args]
    r = CliRunner().invoke(main, ["query", *extra, *args])
    assert r.exit_code != 0
    assert message in r.output
    assert "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1


def test_cli_default_store_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("CLASGRAPH_STORE", str(tmp_path / "nostore"))
    r = CliRunner().invoke(main, ["query", "who-commissions-what"])
    assert r.exit_code == 1 and "no store at" in r.output


def test_cli_query_file_with_declared_param(tmp_path):
    rq = tmp_path / "labels.rq"
    rq.write_text("# Things by name.\n# @param name  a label\nSELECT ?thing WHERE {\n  GRAPH ?g {\n"
                  "  #@name VALUES ?label { $name }\n"
                  "    ?thing <http://www.w3.org/2000/01/rdf-schema#label> ?label .\n  }\n}\nORDER BY ?thing\n",
                  encoding="utf-8")
    r = CliRunner().invoke(main, ["query", str(FIXTURE), "-f", str(rq), "--param", "name=Southvale CCG",
                                  "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == ["thing", "https://w3id.org/clasgraph/id/org/southvale-ccg"]
    r = CliRunner().invoke(main, ["query", str(FIXTURE), "-f", str(rq), "--param", "nom=x"])
    assert r.exit_code == 1 and "unknown parameter 'nom' (this query takes: name)" in r.output
