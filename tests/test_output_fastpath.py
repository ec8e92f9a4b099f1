"""``buildrun.write_output`` rewrites the workers' N-Triples as bytes (label unification, graph names,
flattening) instead of going triple by triple. Checked here against the rdflib assembly
(``assemble.build_dataset``), which unifies labels the same way, on synthetic reports whose bodies are
spelled differently from one report to the next, in every output format."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import synth_reports

from clasgraph.build.pipeline import extract_file
from clasgraph.graph import buildrun, vocab
from clasgraph.graph.assemble import build_dataset

FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD,
           ".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    d = tmp_path_factory.mktemp("fastpath")
    sources = synth_reports._source_texts()
    outcomes, extractions = [], []
    for i in range(6):
        _area, text = synth_reports.synth_text(sources, i)
        p = d / f"r{i}.txt"
        p.write_text(text, encoding="utf-8")
        outcomes.append(buildrun.extract_one(str(p), p.name, 40 << 20, str(d / f"r{i}.nt.z")))
        extractions.append(extract_file(p))
    assert all(o.error is None for o in outcomes)
    return d, outcomes, build_dataset(extractions)


def _term(t: rdflib.term.Node) -> str:
    if isinstance(t, rdflib.Literal):
        datatype = t.datatype or (vocab.RDF + "langString" if t.language else vocab.XSD + "string")
        return f"literal:{t}@{t.language or ''}^^{datatype}"
    return f"iri:{t}"


def _ox_term(t: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    if isinstance(t, ox.Literal):
        return f"literal:{t.value}@{t.language or ''}^^{t.datatype.value}"
    return f"iri:{t.value}"


def test_some_bodies_are_spelled_differently_across_the_reports(built) -> None:  # type: ignore[no-untyped-def]
    _d, outcomes, _ds = built
    names: dict[str, set[str]] = {}
    for o in outcomes:
        for node, label in o.labels:
            names.setdefault(node, set()).add(label)
    assert any(len(v) > 1 for v in names.values())  # else the label rewriting would go untested


@pytest.mark.parametrize("ext", [".nq", ".trig", ".jsonld"])
def test_dataset_output_is_the_rdflib_assembly(built, ext: str) -> None:  # type: ignore[no-untyped-def]
    d, outcomes, ds = built
    out = d / f"out{ext}"
    buildrun.write_output(outcomes, out)
    got = Counter((_ox_term(q.subject), _ox_term(q.predicate), _ox_term(q.object), q.graph_name.value)
                  for q in ox.parse(path=str(out), format=FORMATS[ext]))
    want = {(_term(s), _term(p), _term(o), str(g)) for s, p, o, g in ds.quads((None, None, None, None))
            if g is not None and str(g) != "urn:x-rdflib:default"}
    assert set(got) == want
    assert max(got.values()) == 1  # each quad once


@pytest.mark.parametrize("ext", [".nt", ".ttl"])
def test_flat_output_is_the_union_of_the_rdflib_assembly(built, ext: str) -> None:  # type: ignore[no-untyped-def]
    d, outcomes, ds = built
    out = d / f"out{ext}"
    buildrun.write_output(outcomes, out)
    got = Counter((_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object))
                  for t in ox.parse(path=str(out), format=FORMATS[ext]))
    want = {(_term(s), _term(p), _term(o)) for s, p, o, _g in ds.quads((None, None, None, None))}
    assert set(got) == want
    assert max(got.values()) == 1  # triples about shared nodes written once


def test_label_lines_in_another_layout_are_still_unified(tmp_path: Path) -> None:
    """N-Triples not in the workers' layout (from elsewhere: spacing, comments, blank lines) are
    normalised first, so their labels are found and rewritten too."""
    import zlib

    org = vocab.org_iri("ashby-ccg")
    outcomes = []
    for i, (name, nt) in enumerate([
        ("NHS Ashby CCG", f'# a comment\n<{org}>   <{vocab.RDFS}label>  "NHS Ashby CCG" .\n\n'),
        ("Ashby CCG", f'<{org}> <{vocab.RDFS}label> "Ashby CCG" .\n'),
        ("Ashby CCG", f'<{org}> <{vocab.RDFS}label> "Ashby CCG" .\n'),
    ]):
        f = tmp_path / f"{i}.nt.z"
        f.write_bytes(zlib.compress(nt.encode()))
        outcomes.append(buildrun.ReportOutcome(source=f"r{i}.txt", key=f"r{i}", nt_file=str(f), labels=[(org, name)]))
    out = tmp_path / "o.nq"
    buildrun.write_output(outcomes, out)
    first = {(q.predicate.value, q.object.value) for q in ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS)
             if q.graph_name.value == vocab.report_graph_iri("r0")}
    assert first == {(vocab.RDFS + "label", "Ashby CCG"), (vocab.SKOS + "altLabel", "NHS Ashby CCG")}
