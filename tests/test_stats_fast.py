"""``graph_stats`` on a store or file source counts triples and named graphs by shortcuts (the union default
graph, the store's list of graphs); they must agree with the plain SPARQL they replace."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import synth_reports

from clasgraph.graph import stats
from clasgraph.graph.buildrun import run_build
from clasgraph.graph.io import open_source

PLAIN = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }",
    "named graphs": "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
}


def test_shortcuts_agree_with_plain_sparql(tmp_path: Path) -> None:
    for i, area in enumerate(("Ashby", "Brackenford")):  # the same bodies in both: shared triples counted once
        (tmp_path / f"{area}.txt").write_text(synth_reports.generated_report(40 + i, area), encoding="utf-8")
    store, out = tmp_path / "store", tmp_path / "o.ttl"
    assert run_build([tmp_path], store_dir=store, output=out, jobs=1).ok
    st = ox.Store(str(tmp_path / "copy"))
    for q in open_source(store).store.quads_for_pattern(None, None, None, None):
        st.add(q)
    st.add_graph(ox.NamedNode("http://example.org/empty"))  # an empty named graph is not counted
    for source in (open_source(store), open_source(out)):
        got = stats.graph_stats(source)
        for label, sparql in PLAIN.items():
            assert got[label] == stats._count(source, sparql) > 0, label
    copy = open_source(store)
    copy.store = st  # the store with the extra empty graph
    assert stats.graph_stats(copy)["named graphs"] == stats._count(copy, PLAIN["named graphs"])
    quads = sum(1 for _ in copy.store.quads_for_pattern(None, None, None, None))
    assert stats.graph_stats(copy)["triples"] < quads  # distinct triples, not quads
