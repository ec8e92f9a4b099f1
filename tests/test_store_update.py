"""The persistent store: incremental updates by content hash, prune, atomic swap, crash safety."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from clasgraph.cli import main
from clasgraph.graph import store as st
from clasgraph.graph import vocab
from clasgraph.graph.io import GraphLoadError, open_source

FIXTURE = Path(__file__).parent / "data" / "query-fixture.trig"


def report(key: str, source: str, sha: str, n: int = 3) -> st.StoredReport:
    rep = vocab.report_iri(key)
    lines = [f'<{rep}> <{vocab.RDFS}label> "{key} v{sha}" .']
    lines += [f'<{rep}/finding/1.{i}> <{vocab.CLAS}inReport> <{rep}> .' for i in range(n)]
    return st.StoredReport(key=key, source=source, sha256=sha, ntriples=("\n".join(lines) + "\n").encode())


def count(store_dir: Path, key: str) -> int:
    src = open_source(store_dir)
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{vocab.report_graph_iri(key)}> {{ ?s ?p ?o }} }}"
    return int(next(iter(src.query(q)))["n"].value)


def labels(store_dir: Path) -> set[str]:
    src = open_source(store_dir)
    q = f"SELECT ?l WHERE {{ ?r a ?x . }}"  # noqa: F541 - kept simple
    del q
    out = src.query(f"SELECT ?l WHERE {{ GRAPH ?g {{ ?r <{vocab.RDFS}label> ?l }} FILTER(?g != <{vocab.ONTOLOGY_GRAPH}>) }}")
    return {row["l"].value for row in out}


def test_add_skip_replace_prune(tmp_path):
    d = tmp_path / "store"
    u = st.update_store(d, [report("a-2015", "a.txt", "1"), report("b-2016", "b.txt", "1")])
    assert u.written and sorted(u.added) == ["a-2015", "b-2016"] and u.reports == 2
    assert st.is_store(d) and count(d, "a-2015") == 4
    assert labels(d) == {"a-2015 v1", "b-2016 v1"}
    # the ontology graph is there
    src = open_source(d)
    assert src.store.contains_named_graph(__import__("pyoxigraph").NamedNode(vocab.ONTOLOGY_GRAPH))
    assert src.reports == 2

    # unchanged: nothing written, same version
    before = json.loads((d / st.POINTER).read_text())["current"]
    idx = st.read_index(d)
    assert idx.unchanged("a.txt", "1") and not idx.unchanged("a.txt", "2")
    u = st.update_store(d, [report("a-2015", "a.txt", "1")])
    assert not u.written and u.unchanged == ["a-2015"]
    assert json.loads((d / st.POINTER).read_text())["current"] == before

    # changed: its own graph replaced, the other untouched
    u = st.update_store(d, [report("a-2015", "a.txt", "2", n=1)], seen_sources={"a.txt", "b.txt"}, prune=True)
    assert u.written and u.replaced == ["a-2015"] and u.removed == []
    assert count(d, "a-2015") == 2 and labels(d) == {"a-2015 v2", "b-2016 v1"}

    # removed with prune only
    u = st.update_store(d, [], prune=False, seen_sources={"a.txt"})
    assert not u.written and u.reports == 2
    u = st.update_store(d, [], prune=True, seen_sources={"a.txt"})
    assert u.removed == ["b-2016"] and u.reports == 1
    assert count(d, "b-2016") == 0 and labels(d) == {"a-2015 v2"}
    # at most the current and the previous version are kept
    assert len([p for p in d.iterdir() if p.name.startswith("data-")]) <= 2


def test_same_source_new_key_replaces_old_key(tmp_path):
    d = tmp_path / "s"
    st.update_store(d, [report("x-2015", "x.txt", "1")])
    u = st.update_store(d, [report("x-2016", "x.txt", "2")])
    assert u.removed == ["x-2015"] and sorted(st.read_index(d).reports) == ["x-2016"]


def test_failed_update_leaves_previous_store(tmp_path):
    d = tmp_path / "s"
    st.update_store(d, [report("a-2015", "a.txt", "1")])
    bad = st.StoredReport(key="b-2016", source="b.txt", sha256="1", ntriples=b"<not n-triples\n")
    with pytest.raises(st.StoreError, match="b.txt: report graph is not valid N-Triples"):
        st.update_store(d, [report("a-2015", "a.txt", "9"), bad])
    assert labels(d) == {"a-2015 v1"} and sorted(st.read_index(d).reports) == ["a-2015"]
    assert not [p for p in d.iterdir() if p.name.startswith(".tmp-")]


def test_killed_update_leaves_previous_store(tmp_path):
    d = tmp_path / "s"
    st.update_store(d, [report("a-2015", "a.txt", "1")])
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from clasgraph.graph import store as st

        class Killer:  # an rdflib-like graph whose serialisation dies mid-build
            def serialize(self, **kw):
                os.kill(os.getpid(), signal.SIGKILL)

        good = st.StoredReport(key="b-2016", source="b.txt", sha256="1",
                               ntriples=b'<https://x/s> <https://x/p> "o" .\\n')
        st.update_store(Path({str(d)!r}), [good, st.StoredReport("c-2017", "c.txt", "1", graph=Killer())])
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert proc.returncode == -9
    assert labels(d) == {"a-2015 v1"} and sorted(st.read_index(d).reports) == ["a-2015"]
    # the next update cleans the leftovers and works
    u = st.update_store(d, [report("b-2016", "b.txt", "1")])
    assert u.added == ["b-2016"] and not [p for p in d.iterdir() if p.name.startswith(".tmp-")]


def test_refuses_foreign_directory_and_reports_bad_store(tmp_path):
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(st.StoreError, match="not a clasgraph store"):
        st.update_store(tmp_path / "other", [report("a-2015", "a.txt", "1")])
    with pytest.raises(GraphLoadError, match="not a clasgraph store"):
        open_source(tmp_path / "other")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / st.POINTER).write_text("{")
    with pytest.raises(GraphLoadError, match="unreadable store pointer"):
        open_source(tmp_path / "broken")


def test_import_and_query_store_via_cli(tmp_path, monkeypatch):
    d = tmp_path / "store"
    u = st.import_rdf(FIXTURE, d)
    assert sorted(u.added) == ["northtown-2015", "southvale-2016"]
    r = CliRunner().invoke(main, ["query", str(d), "who-commissions-what", "--param", "area=Northtown",
                                  "--format", "tsv"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[1:] == ["Northtown\tNHS England\tcamhs-tier4",
                                         "Northtown\tNorthtown Council\thealth-visiting"]
    # the default store: $CLASGRAPH_STORE
    monkeypatch.setenv("CLASGRAPH_STORE", str(d))
    r = CliRunner().invoke(main, ["query", "transfers", "--format", "csv"])
    assert r.exit_code == 0 and "health-visiting,NHS England,Northtown Council,2015-10" in r.output
    r = CliRunner().invoke(main, ["stats"])
    assert r.exit_code == 0 and "reports" in r.output and "2" in r.output


def test_update_via_cli_is_a_new_version(tmp_path):
    d = tmp_path / "store"
    st.import_rdf(FIXTURE, d)
    upd = 'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> rdfs:label "added" } }'
    r = CliRunner().invoke(main, ["query", str(d), "-e", upd])
    assert r.exit_code == 1 and "--allow-update" in r.output
    before = json.loads((d / st.POINTER).read_text())["current"]
    r = CliRunner().invoke(main, ["query", str(d), "-e", upd, "--allow-update"])
    assert r.exit_code == 0, r.output
    assert json.loads((d / st.POINTER).read_text())["current"] != before
    r = CliRunner().invoke(main, ["query", str(d), "-e", "ASK { ?s ?p \"added\" }"])
    assert r.output.strip() == "true"


def test_default_store_dir(monkeypatch):
    monkeypatch.delenv("CLASGRAPH_STORE", raising=False)
    assert st.default_store_dir() == Path(".clasgraph") / "store"
    monkeypatch.setenv("CLASGRAPH_STORE", "/tmp/elsewhere")
    assert st.default_store_dir() == Path("/tmp/elsewhere")


def test_result_cache_is_per_version_and_exact(tmp_path, monkeypatch):
    from clasgraph.graph import query as Q

    d = tmp_path / "store"
    st.import_rdf(FIXTURE, d)
    monkeypatch.setattr(Q, "CACHE_MIN_SECONDS", 0.0)
    text = Q.get_query("who-commissions-what").text
    first = Q.run_local(open_source(d), text)
    assert not first.cached
    second = Q.run_local(open_source(d), text)
    assert second.cached and second.to_dicts() == first.to_dicts() and second.variables == first.variables
    assert Q.run_local(open_source(d), text, limit=1).rows == first.rows[:1]
    assert not Q.run_local(open_source(d), text, cache=False).cached
    # a new version (an update) starts with an empty cache and sees the change
    upd = ('PREFIX clas: <https://w3id.org/clasgraph/ontology#> DELETE WHERE { GRAPH ?g { '
           '<https://w3id.org/clasgraph/id/org/nhs-england> clas:commissions ?s } }')
    Q.update_store_sparql(d, upd)
    third = Q.run_local(open_source(d), text)
    assert not third.cached and len(third.rows) == len(first.rows) - 2


def test_warm_cache(tmp_path, monkeypatch):
    from clasgraph.graph import query as Q

    d = tmp_path / "store"
    st.import_rdf(FIXTURE, d)
    monkeypatch.setattr(Q, "CACHE_MIN_SECONDS", 0.0)
    warmed = Q.warm_cache(d)
    assert "who-commissions-what" in warmed and "recommendations-for" not in warmed
    assert Q.run_local(open_source(d), Q.get_query("who-commissions-what").text).cached


def test_warm_cache_in_parallel_caches_the_same_answers(tmp_path, monkeypatch):
    from clasgraph.graph import query as Q

    monkeypatch.setattr(Q, "CACHE_MIN_SECONDS", 0.0)
    serial, parallel = tmp_path / "a", tmp_path / "b"
    st.import_rdf(FIXTURE, serial)
    st.import_rdf(FIXTURE, parallel)
    names = Q.warm_cache(serial, workers=1)
    assert Q.warm_cache(parallel, workers=4) == names and len(names) > 5
    for name in names:
        text = Q.get_query(name).text
        a, b = Q.run_local(open_source(serial), text), Q.run_local(open_source(parallel), text)
        assert a.cached and b.cached and a.rows == b.rows
