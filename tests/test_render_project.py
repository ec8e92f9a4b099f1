"""The networkx projection (graph/nxproject.py) and the views drawn from it, on a hand-made fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from clasgraph.graph import vocab as V
from clasgraph.graph.nxproject import (
    KINDS,
    ORG_KINDS,
    Lit,
    ViewError,
    as_source,
    attach_details,
    describe,
    find_body,
    limit_view,
    neighbourhood,
    org_short_label,
    project,
    select_view,
    tooltip,
    view_from_source,
)

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "render_fixture.trig"
NV = "https://w3id.org/clasgraph/id/report/northvale-2015/"


@pytest.fixture(scope="module")
def G():
    return project(FIXTURE)


def test_nodes_are_typed_and_never_literals(G):
    for n, a in G.nodes(data=True):
        assert a["kind"] in KINDS
        assert a["label"] and a["name"]
        assert n.startswith(("http", "_:")), n  # an IRI or a blank node, never text
    assert G.nodes[V.org_iri("northvale-ccg")]["kind"] == "ClinicalCommissioningGroup"
    assert G.nodes[V.area_service_iri("Northvale", "camhs")]["kind"] == "Service"
    assert G.nodes[NV + "gap/1"]["kind"] == "Gap"  # typed Gap and StatedGap: one kind
    assert G.nodes[NV + "transfer/hv"]["kind"] == "Transfer"


def test_edges_carry_relations_only(G):
    rels = {k for _, _, k in G.edges(keys=True)}
    assert rels <= {"commissions", "provides", "isResponsibleFor", "cites", "citesUnresolved", "concerns",
                    "answeredBy", "theme", "fromOrganisation", "toOrganisation", "service", "partOf"}
    assert G.has_edge(V.org_iri("northvale-council"), V.area_service_iri("Northvale", "health-visiting"), "commissions")
    assert G.has_edge(NV + "finding/5.1.2", NV + "recommendation/2.1", "cites")
    assert G.has_edge(NV + "transfer/hv", V.org_iri("nhs-england"), "fromOrganisation")
    # the qualified arrangement is evidence on the edge, not a node
    assert not any("arrangement" in n for n in G.nodes)


def test_evidence_with_paragraph(G):
    quotes = G.edges[V.org_iri("hillside-care-nhs-foundation-trust"), V.area_service_iri("Northvale", "camhs"),
                     "provides"]["evidence"]
    assert [(q.paragraph, q.report) for q in quotes] == [("5.1.2", "northvale-2015")]
    gap = G.nodes[NV + "gap/1"]
    assert gap["evidence"][0].text.startswith("There is not enough commissioned capacity")
    assert gap["evidence"][0].paragraph == "5.1.2"
    assert "¶5.1.2" in gap["label"]
    text = tooltip(gap)
    assert "“There is not enough commissioned capacity" in text and "¶5.1.2" in text


def test_names_areas_and_short_labels(G):
    council = G.nodes[V.org_iri("northvale-council")]
    assert council["name"] == "Northvale Metropolitan Borough Council"
    assert council["label"] == "NMBC"  # an acronym only this body uses
    assert "NMBC" in council["aliases"]
    svc = G.nodes[V.area_service_iri("Eastbrook", "camhs")]
    assert svc["area"] == "Eastbrook" and svc["label"] == "CAMHS" and svc["service_type"] == "camhs"
    assert G.nodes[NV + "finding/1.4"]["label"] == "¶1.4"
    assert G.nodes[NV + "recommendation/1.1"]["report"] == "northvale-2015"
    assert G.graph["report_area"] == {"northvale-2015": "Northvale", "eastbrook-2016": "Eastbrook"}


def test_short_label_rules():
    assert org_short_label("Short CCG", []) == "Short CCG"
    long = "Somewhere and Elsewhere Clinical Commissioning Group"
    assert org_short_label(long, ["SECCG", "the CCG"]) == "SECCG"
    assert org_short_label(long, ["SECCG"], {"seccg": 2}) != "SECCG"  # shared acronyms are ambiguous
    assert len(org_short_label("A Very Long Name Of Some Voluntary Body In The North", [])) <= 26


def test_details_can_be_attached_later():
    src = as_source(FIXTURE)
    bare = project(src, details=False)
    assert "text" not in bare.nodes[NV + "finding/1.4"]
    assert not bare.nodes[NV + "gap/1"].get("evidence")
    attach_details(bare, src, [NV + "finding/1.4", NV + "gap/1"])
    assert bare.nodes[NV + "finding/1.4"]["text"].startswith("Health visitors carry")
    assert bare.nodes[NV + "gap/1"]["evidence"]
    assert "text" not in bare.nodes[NV + "finding/3.2"]  # only what was asked for


def test_rdflib_and_oxigraph_sources_agree(G):
    ds = rdflib.Dataset(default_union=True)
    ds.parse(FIXTURE, format="trig")
    H = project(ds)
    assert set(H.nodes) == set(G.nodes)
    assert set(H.edges(keys=True)) == set(G.edges(keys=True))
    for n in G.nodes:
        assert H.nodes[n]["label"] == G.nodes[n]["label"], n


def test_untyped_nodes_get_kinds_from_their_relations():
    g = rdflib.Graph()
    C = rdflib.Namespace(V.CLAS)
    org, svc = rdflib.URIRef("http://example.org/o"), rdflib.URIRef("http://example.org/s")
    g.add((org, C.commissions, svc))
    g.add((org, rdflib.RDFS.label, rdflib.Literal("Example Body")))
    g.add((org, C.text, rdflib.Literal("text is never a node")))
    H = project(g)
    assert H.nodes[str(org)]["kind"] == "Organisation" and H.nodes[str(svc)]["kind"] == "Service"
    assert H.number_of_nodes() == 2


def test_commissioning_view_per_area(G):
    v = select_view(G, "commissioning", area="northvale")
    kinds = {a["kind"] for _, a in v.graph.nodes(data=True)}
    assert {"Service", "Transfer", "LocalAuthority", "NationalBody"} <= kinds
    assert all(a.get("area") == "Northvale" for _, a in v.graph.nodes(data=True) if a["kind"] == "Service")
    council, hv = V.org_iri("northvale-council"), V.area_service_iri("Northvale", "health-visiting")
    assert v.layers is not None
    assert v.layers[council] < v.layers[hv] < v.layers[V.org_iri("northvale-nhs-foundation-trust")]
    assert "Northvale" in v.title
    with pytest.raises(ViewError, match="no area called 'Nowhere'"):
        select_view(G, "commissioning", area="Nowhere")


def test_recommendations_and_gaps_views(G):
    r = select_view(G, "recommendations", area="Northvale")
    kinds = {a["kind"] for _, a in r.graph.nodes(data=True)}
    assert {"Recommendation", "Finding", "Theme", "ClinicalCommissioningGroup", "UnresolvedCitation"} <= kinds
    g = select_view(G, "gaps")
    assert {n for n, a in g.graph.nodes(data=True) if a["kind"] == "Gap"} == {NV + "gap/1", NV + "gap/2",
                                                                              "https://w3id.org/clasgraph/id/report/eastbrook-2016/gap/1"}
    assert g.graph.has_edge(NV + "gap/1", NV + "recommendation/2.1", "answeredBy")
    assert g.graph.has_edge(NV + "gap/1", V.org_iri("northvale-ccg"), "concerns")


def test_org_focus_matches_labels_and_aliases(G):
    assert find_body(G, "hillside") == V.org_iri("hillside-care-nhs-foundation-trust")
    assert find_body(G, "NORTHVALE CCG") == V.org_iri("northvale-ccg")
    v = select_view(G, "org", focus="Hillside", depth=1)
    # across both reports: services it provides in both areas
    areas = {a.get("area") for _, a in v.graph.nodes(data=True) if a["kind"] == "Service"}
    assert areas == {"Northvale", "Eastbrook"}
    assert v.focus == V.org_iri("hillside-care-nhs-foundation-trust")
    deeper = select_view(G, "org", focus="Hillside", depth=2)
    assert deeper.graph.number_of_nodes() > v.graph.number_of_nodes()


def test_org_focus_errors_list_close_matches(G):
    with pytest.raises(ViewError, match="close matches: Northvale CCG"):
        find_body(G, "Nortvale CCG")
    with pytest.raises(ViewError, match="no body called"):
        find_body(G, "zzzz qqqq")
    with pytest.raises(ViewError, match="needs --focus"):
        select_view(G, "org")


def test_limit_view_says_what_was_left_out(G):
    v = limit_view(select_view(G, "org", focus="Northvale CCG", depth=3), max_nodes=5)
    assert v.graph.number_of_nodes() == 5
    assert v.focus in v.graph  # the focus is kept first
    assert any("left out" in n and "--max-nodes" in n for n in v.notes)
    c = select_view(G, "commissioning", max_nodes=12)  # one area fits, not two
    assert any("Left out: Northvale" in n for n in c.notes), c.notes
    assert {a.get("area") for _, a in c.graph.nodes(data=True) if a["kind"] == "Service"} == {"Eastbrook"}


def test_query_view_draws_construct_results(G):
    q = V.sparql_prefixes() + "CONSTRUCT { ?o clas:provides ?s } WHERE { ?o clas:provides ?s }"
    v = select_view(G, "query", source=FIXTURE, query=q)
    assert v.graph.number_of_edges() == 7
    assert all(a["kind"] in ORG_KINDS + ("Service",) for _, a in v.graph.nodes(data=True))
    assert v.graph.nodes[V.org_iri("northvale-nhs-foundation-trust")]["name"] == "Northvale Hospitals NHS Foundation Trust"
    with pytest.raises(ViewError, match="CONSTRUCT"):
        select_view(G, "query", source=FIXTURE, query="SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(ViewError, match="not valid SPARQL"):
        select_view(G, "query", source=FIXTURE, query="CONSTRUCT { nonsense")


def test_literal_type():
    assert Lit("x") == Lit("x", None)


def test_arrangements_alone_give_edges():
    g = rdflib.Graph()
    C = rdflib.Namespace(V.CLAS)
    a, org, svc = (rdflib.URIRef(f"http://example.org/{x}") for x in ("a", "o", "s"))
    g.add((a, rdflib.RDF.type, C.CommissioningArrangement))
    g.add((a, C.organisation, org))
    g.add((a, C.service, svc))
    g.add((a, C.evidence, rdflib.Literal("The body commissions the service")))
    H = project(g)
    assert H.has_edge(str(org), str(svc), "commissions")
    assert H.edges[str(org), str(svc), "commissions"]["evidence"][0].text == "The body commissions the service"
    assert str(a) not in H


@pytest.mark.parametrize("focus,depth", [("Hillside", 1), ("Hillside", 2), ("NHSE", 3), ("Northvale CCG", 2)])
def test_neighbourhood_read_from_the_source_matches_the_projection(focus, depth):
    a = select_view(project(FIXTURE, details=False), "org", focus=focus, depth=depth)
    b = neighbourhood(FIXTURE, focus, depth)
    assert set(b.graph.nodes) == set(a.graph.nodes)
    assert set(b.graph.edges(keys=True)) == set(a.graph.edges(keys=True))
    for n in a.graph.nodes:
        assert {k: b.graph.nodes[n][k] for k in ("kind", "label", "name")} == \
               {k: a.graph.nodes[n][k] for k in ("kind", "label", "name")}
    assert b.layers == a.layers and b.focus == a.focus


def test_neighbourhood_limit_keeps_the_nearest():
    v = neighbourhood(FIXTURE, "Northvale CCG", 3, max_nodes=6)
    assert v.graph.number_of_nodes() == 6
    assert v.layers is not None and max(v.layers.values()) == 1
    assert any("left out" in n for n in v.notes)


def test_views_from_the_source(tmp_path):
    v = view_from_source(FIXTURE, "commissioning", area="Eastbrook")
    assert {a["kind"] for _, a in v.graph.nodes(data=True)} >= {"Service", "ClinicalCommissioningGroup"}
    q = V.sparql_prefixes() + "CONSTRUCT { ?g clas:concerns ?x } WHERE { ?g clas:concerns ?x }"
    qv = view_from_source(FIXTURE, "query", query=q)
    assert qv.graph.nodes[NV + "gap/1"]["kind"] == "Gap"  # described from the store, no full projection
    assert qv.graph.nodes[V.org_iri("northvale-ccg")]["name"] == "Northvale CCG"
    with pytest.raises(ViewError, match="unknown view"):
        view_from_source(FIXTURE, "pie-chart")
    d = describe(FIXTURE, [V.org_iri("northvale-council"), "http://example.org/unknown"])
    assert list(d.nodes) == [V.org_iri("northvale-council")] and d.nodes[V.org_iri("northvale-council")]["label"] == "NMBC"
