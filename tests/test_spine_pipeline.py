"""Pipeline and RDF assembly (build/pipeline.py, graph/assemble.py)."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Namespace
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF, RDFS

from clasgraph.build.errors import ReportError
from clasgraph.build.pipeline import extract_text
from clasgraph.graph.assemble import build_dataset, extraction_to_graph, write_dataset

CLAS = Namespace("https://w3id.org/clasgraph/ontology#")

MINI = """Review of health services for Children Looked After and Safeguarding in Wexmoor
Date of publication: 3rd March 2017
Summary of the review
This report records the findings of the review of health services in safeguarding and looked after children services in Wexmoor.
Context of the review
Wexmoor CCG commissions most services. Wexmoor NHS Foundation Trust provides acute services.
The child's journey
1. Early help
1.1 Midwives at Wexmoor NHS Foundation Trust do this well. (Recommendation 1.1)
1.2 There is no health presence in the MASH. (Recommendations 1.2 and 7.7)
Recommendations
1. Wexmoor CCG and Wexmoor NHS Foundation Trust should:
1.1 Do one thing.
1.2 Do another.
"""


def test_mini_report_end_to_end():
    ex = extract_text(MINI, source="mini.txt")
    assert [r.number for r in ex.recommendations] == ["1.1", "1.2"]
    keys = {o.key for o in ex.organisations}
    assert {"wexmoor-ccg", "wexmoor-nhs-foundation-trust"} <= keys
    assert ex.recommendations[0].responsible == ["wexmoor-ccg", "wexmoor-nhs-foundation-trust"]
    unresolved = [c for c in ex.citations if c.unresolved]
    assert unresolved and unresolved[0].unresolved == ["7.7"]
    assert any("7.7" in w for w in ex.warnings)


def test_graph_contract_terms_and_provenance():
    ex = extract_text(MINI, source="mini.txt")
    key, g = extraction_to_graph(ex)
    assert key == "wexmoor-2017"
    reports = list(g.subjects(RDF.type, CLAS.Report))
    assert len(reports) == 1
    recs = {str(g.value(r, CLAS.number)) for r in g.subjects(RDF.type, CLAS.Recommendation)}
    assert recs == {"1.1", "1.2"}
    ccg = next(o for o in g.subjects(RDF.type, CLAS.ClinicalCommissioningGroup))
    assert str(g.value(ccg, RDFS.label)) == "Wexmoor CCG"
    assert len(list(g.objects(ccg, CLAS.isResponsibleFor))) == 2
    f11 = next(f for f in g.subjects(RDF.type, CLAS.Finding) if str(g.value(f, CLAS.number)) == "1.1")
    assert len(list(g.objects(f11, CLAS.cites))) == 1
    f12 = next(f for f in g.subjects(RDF.type, CLAS.Finding) if str(g.value(f, CLAS.number)) == "1.2")
    u = g.value(f12, CLAS.citesUnresolved)
    assert u is not None and str(g.value(u, CLAS.number)) == "7.7"
    for kind in (CLAS.CommissioningArrangement, CLAS.ProvisionArrangement, CLAS.Gap, CLAS.CommissioningTransfer):
        for node in g.subjects(RDF.type, kind):
            assert g.value(node, PROV.wasDerivedFrom) is not None
    assert not any(isinstance(t, type(None)) for t in g)
    assert all(not str(x).startswith("_:") for t in g for x in t)  # no blank nodes


def test_build_is_deterministic(corpus_extractions):
    ex = corpus_extractions["stockport-2014"]
    assert isomorphic(extraction_to_graph(ex)[1], extraction_to_graph(ex)[1])


def test_dataset_named_graphs_and_formats(tmp_path, corpus_extractions):
    ds = build_dataset(list(corpus_extractions.values()))
    names = {str(c.identifier) for c in ds.graphs()}
    assert "https://w3id.org/clasgraph/id/graph/stockport-2015" in names  # area and year of publication
    # no date in the report: area and content hash
    assert any(n.startswith("https://w3id.org/clasgraph/id/graph/staffordshire-") for n in names)
    assert "https://w3id.org/clasgraph/id/graph/ontology" in names
    for suffix, fmt in ((".trig", "trig"), (".nq", "nquads")):
        out = tmp_path / f"out{suffix}"
        write_dataset(ds, out)
        back = Dataset()
        back.parse(out, format=fmt)
        assert len(list(back.quads((None, None, None, None)))) == len(list(ds.quads((None, None, None, None))))
    out = tmp_path / "out.ttl"
    write_dataset(ds, out)
    flat = Graph().parse(out)
    assert len(list(flat.subjects(RDF.type, CLAS.Report))) == 2
    # one label per organisation across the reports
    for o in set(flat.subjects(RDF.type, CLAS.NationalBody)):
        assert len(list(flat.objects(o, RDFS.label))) == 1
    with pytest.raises(ValueError, match="unknown output format"):
        write_dataset(ds, tmp_path / "out.xyz")


def test_not_a_report_is_refused():
    with pytest.raises(ReportError, match="not a CLAS report"):
        extract_text("Shopping list\nEggs\nMilk\n", source="list.txt")


def test_report_without_recommendations_warns():
    text = MINI.split("Recommendations")[0]
    ex = extract_text(text, source="norecs.txt")
    assert ex.recommendations == []
    assert any("no recommendations section" in w for w in ex.warnings)
