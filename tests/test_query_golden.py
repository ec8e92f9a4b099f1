"""Canned queries on the bundled example reports give exactly the golden rows.

The golden file is made by tests/golden_queries.py (run it when the extraction changes; eyeball the diff).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clasgraph.graph.api import open_graph
from clasgraph.graph.store import import_rdf

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = json.loads((ROOT / "tests" / "data" / "golden" / "queries.json").read_text(encoding="utf-8"))
OWN = {"who-commissions-what", "who-provides-what", "service-map", "recommendations-for", "evidence-for",
       "bodies-by-load", "unresolved-citations", "transfers", "reports"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from clasgraph.build.pipeline import extract_file
    from clasgraph.graph.assemble import build_dataset, write_dataset

    out = tmp_path_factory.mktemp("golden") / "examples.trig"
    reports = sorted((ROOT / "examples" / "reports").glob("*.*"))
    write_dataset(build_dataset([extract_file(p) for p in reports]), out)
    store = out.parent / "store"
    import_rdf(out, store)
    return out, store


def test_golden_covers_every_query_of_this_issue():
    assert {c["query"] for c in GOLDEN} == OWN


@pytest.mark.parametrize("case", GOLDEN, ids=lambda c: c["query"] + "".join(f"-{k}" for k in c["params"]))
def test_canned_query_matches_golden(built, case):
    trig, store = built
    for graph in (trig, store):  # an RDF file and a store give the same rows
        rows = open_graph(graph).query(case["query"], **case["params"])
        assert rows == case["rows"], f"{case['query']} on {graph.name}"


def test_golden_rows_are_not_trivial():
    by = {(c["query"], tuple(sorted(c["params"].items()))): c["rows"] for c in GOLDEN}
    assert len(by[("who-commissions-what", ())]) >= 10
    assert {r["area"] for r in by[("who-commissions-what", ())]} == {"Stockport", "Staffordshire"}
    assert all(r["area"] == "Stockport" for r in by[("who-commissions-what", (("area", "Stockport"),))])
    assert all(r["body"] == "Stockport CCG" for r in by[("recommendations-for", (("org", "Stockport CCG"),))])
