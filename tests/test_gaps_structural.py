"""Structural gaps (graph/gaps.py): each check on a small hand-made graph where the gap is present and
one where it is absent."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from clasgraph.graph import gaps as radar

PREFIXES = """
@prefix clas: <https://w3id.org/clasgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix id: <https://w3id.org/clasgraph/id/> .
"""

BASE = """
id:report\\/any-2020 a clas:Report ; clas:area <https://w3id.org/clasgraph/id/area/anyshire> .
<https://w3id.org/clasgraph/id/area/anyshire> a clas:Area ; rdfs:label "Anyshire" .
<https://w3id.org/clasgraph/id/org/any-trust> a clas:NHSTrust ; rdfs:label "Anyshire Trust" .
<https://w3id.org/clasgraph/id/org/any-ccg> a clas:ClinicalCommissioningGroup ; rdfs:label "Anyshire CCG" .
<https://w3id.org/clasgraph/id/org/any-council> a clas:LocalAuthority ; rdfs:label "Anyshire Council" .
"""


def service(key: str) -> str:
    iri = f"<https://w3id.org/clasgraph/id/area/anyshire/service/{key}>"
    return (f"{iri} a clas:Service ; clas:inArea <https://w3id.org/clasgraph/id/area/anyshire> ; "
            f"clas:serviceType <https://w3id.org/clasgraph/id/service/{key}> .\n"
            f"<https://w3id.org/clasgraph/id/service/{key}> skos:notation \"{key}\" .\n")


def org(key: str) -> str:
    return f"<https://w3id.org/clasgraph/id/org/{key}>"


def svc(key: str) -> str:
    return f"<https://w3id.org/clasgraph/id/area/anyshire/service/{key}>"


def rec(number: str) -> str:
    return f"<https://w3id.org/clasgraph/id/report/any-2020/recommendation/{number}>"


def finding(number: str) -> str:
    return f"<https://w3id.org/clasgraph/id/report/any-2020/finding/{number}>"


def graph(*parts: str) -> ox.Store:
    store = ox.Store()
    store.load((PREFIXES + BASE + "".join(parts)).encode("utf-8"), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode("https://w3id.org/clasgraph/id/graph/any-2020"))
    return store


def kinds(items: list[radar.GapItem]) -> list[str]:
    return [i.kind for i in items]


# --------------------------------------------------------------------------- provider / commissioner


def test_provider_without_commissioner_is_a_gap() -> None:
    g = graph(service("health-visiting"), f"{org('any-trust')} clas:provides {svc('health-visiting')} .")
    items = radar.check_commissioner_provider(g)
    assert kinds(items) == ["no-commissioner"]
    gap = items[0]
    assert gap.services == ["health-visiting"] and gap.organisations == ["Anyshire Trust"]
    assert gap.area == "Anyshire" and gap.report == "any-2020"
    assert any("Anyshire Trust provides health-visiting" in f for f in gap.facts)


def test_provider_with_commissioner_is_not_a_gap() -> None:
    g = graph(service("health-visiting"), f"{org('any-trust')} clas:provides {svc('health-visiting')} .",
              f"{org('any-council')} clas:commissions {svc('health-visiting')} .")
    assert radar.check_commissioner_provider(g) == []


def test_commissioner_without_provider_is_a_gap() -> None:
    g = graph(service("school-nursing"), f"{org('any-council')} clas:commissions {svc('school-nursing')} .")
    items = radar.check_commissioner_provider(g)
    assert kinds(items) == ["no-provider"]
    assert items[0].organisations == ["Anyshire Council"]


def test_service_outside_the_review_is_not_checked() -> None:
    g = graph(service("maternity"), f"{org('any-trust')} clas:provides {svc('maternity')} .",
              f"<https://w3id.org/clasgraph/id/report/any-2020/arrangement/x> clas:service {svc('maternity')} ; "
              "clas:inReview false .")
    assert radar.check_commissioner_provider(g) == []


# --------------------------------------------------------------------------- core services

CORE_KEYS = ["health-visiting", "school-nursing", "camhs", "lac-health", "sexual-health",
             "substance-misuse-adults", "maternity", "emergency-department"]


def test_core_service_never_mentioned_is_a_gap() -> None:
    g = graph(*(service(k) for k in CORE_KEYS if k != "camhs"))
    items = radar.check_core_services(g)
    assert kinds(items) == ["core-service-unmentioned"]
    assert items[0].services == ["camhs"] and items[0].area == "Anyshire"
    assert "CAMHS" in items[0].facts[0]


def test_all_core_services_mentioned_is_not_a_gap() -> None:
    # any key of a core service counts: minor injury units stand for emergency care
    keys = [k if k != "emergency-department" else "minor-injury-unit" for k in CORE_KEYS]
    assert radar.check_core_services(graph(*(service(k) for k in keys))) == []


# --------------------------------------------------------------------------- split and transferred commissioning


def test_commissioning_split_across_bodies_is_a_gap() -> None:
    g = graph(service("sexual-health"),
              f"{org('any-council')} clas:commissions {svc('sexual-health')} .",
              f"{org('any-ccg')} clas:commissions {svc('sexual-health')} .")
    items = radar.check_split_and_transfers(g)
    assert kinds(items) == ["split-commissioning"]
    assert items[0].organisations == ["Anyshire CCG", "Anyshire Council"]


def test_single_commissioner_is_not_split() -> None:
    g = graph(service("sexual-health"), f"{org('any-council')} clas:commissions {svc('sexual-health')} .")
    assert radar.check_split_and_transfers(g) == []


def test_recent_transfer_is_reported_with_its_facts() -> None:
    g = graph(service("health-visiting"),
              "<https://w3id.org/clasgraph/id/report/any-2020/transfer/hv> a clas:CommissioningTransfer ; "
              f"clas:service {svc('health-visiting')} ; clas:fromOrganisation {org('any-ccg')} ; "
              f"clas:toOrganisation {org('any-council')} ; dcterms:date \"2015-10\" .")
    items = radar.check_split_and_transfers(g)
    assert kinds(items) == ["recent-transfer"]
    assert items[0].facts == ["commissioning of health-visiting moved from Anyshire CCG to Anyshire Council in 2015-10"]
    assert items[0].report == "any-2020"


def test_no_transfer_no_gap() -> None:
    assert radar.check_split_and_transfers(graph(service("health-visiting"))) == []


# --------------------------------------------------------------------------- citations


def test_recommendation_no_finding_cites_is_a_gap() -> None:
    g = graph(f"{rec('1.1')} a clas:Recommendation ; clas:number \"1.1\" .",
              f"{rec('1.2')} a clas:Recommendation ; clas:number \"1.2\" .",
              f"{finding('2.3')} a clas:Finding ; clas:number \"2.3\" ; clas:cites {rec('1.1')} .")
    items = [i for i in radar.check_citations(g) if i.kind == "uncited-recommendation"]
    assert [i.recommendations for i in items] == [["1.2"]]


def test_every_recommendation_cited_is_not_a_gap() -> None:
    g = graph(f"{rec('1.1')} a clas:Recommendation ; clas:number \"1.1\" .",
              f"{finding('2.3')} a clas:Finding ; clas:number \"2.3\" ; clas:cites {rec('1.1')} .")
    assert radar.check_citations(g) == []


def test_citation_of_a_missing_recommendation_is_a_gap() -> None:
    g = graph(f"{rec('1.1')} a clas:Recommendation ; clas:number \"1.1\" .",
              f"{finding('2.3')} a clas:Finding ; clas:number \"2.3\" ; clas:cites {rec('1.1')} ; "
              "clas:citesUnresolved <https://w3id.org/clasgraph/id/report/any-2020/unresolved/9.9> .",
              "<https://w3id.org/clasgraph/id/report/any-2020/unresolved/9.9> a clas:UnresolvedCitation ; "
              "clas:number \"9.9\" .")
    items = radar.check_citations(g)
    assert kinds(items) == ["unresolved-citation"]
    assert items[0].source == "2.3" and items[0].recommendations == ["9.9"]


# --------------------------------------------------------------------------- responsibility without a role


def test_responsible_body_without_a_role_is_a_gap() -> None:
    g = graph(service("camhs"), f"{org('any-trust')} clas:provides {svc('camhs')} .",
              f"{rec('3.1')} a clas:Recommendation ; clas:number \"3.1\" .",
              f"{org('any-trust')} clas:isResponsibleFor {rec('3.1')} .",
              f"{org('any-council')} clas:isResponsibleFor {rec('3.1')} .")
    items = radar.check_responsible_without_role(g)
    assert kinds(items) == ["responsible-without-role"]
    assert items[0].organisations == ["Anyshire Council"] and items[0].recommendations == ["3.1"]


def test_responsible_body_with_a_role_or_a_team_with_one_is_not_a_gap() -> None:
    g = graph(service("camhs"), service("sexual-health"),
              f"{rec('3.1')} a clas:Recommendation ; clas:number \"3.1\" .",
              f"{org('any-trust')} clas:provides {svc('camhs')} ; clas:isResponsibleFor {rec('3.1')} .",
              f"{org('any-council')} clas:isResponsibleFor {rec('3.1')} .",
              "<https://w3id.org/clasgraph/id/org/any-public-health> clas:partOf " + org("any-council") + " ; "
              f"clas:commissions {svc('sexual-health')} .")
    assert radar.check_responsible_without_role(g) == []


# --------------------------------------------------------------------------- any graph


def test_structural_gaps_read_rdflib_graphs_and_files(tmp_path: pytest.TempPathFactory) -> None:
    import rdflib

    text = PREFIXES + BASE + service("health-visiting") + f"{org('any-trust')} clas:provides {svc('health-visiting')} ."
    g = rdflib.Graph()
    g.parse(data=text, format="turtle")
    assert "no-commissioner" in kinds(radar.structural_gaps(g))
    path = tmp_path / "any.ttl"  # type: ignore[operator]
    path.write_text(text, encoding="utf-8")
    assert "no-commissioner" in kinds(radar.structural_gaps(path))


def test_materialised_structural_gaps_never_derive_from_a_finding() -> None:
    from rdflib import RDF, Namespace
    from rdflib.namespace import PROV

    g = graph(service("health-visiting"), f"{org('any-trust')} clas:provides {svc('health-visiting')} .",
              f"{rec('1.1')} a clas:Recommendation ; clas:number \"1.1\" .")
    out = radar.structural_gap_graph(g)
    clas = Namespace("https://w3id.org/clasgraph/ontology#")
    nodes = set(out.subjects(RDF.type, clas.StructuralGap))
    assert {str(out.value(n, clas.gapKind)) for n in nodes} >= {"no-commissioner", "uncited-recommendation"}
    assert not list(out.triples((None, PROV.wasDerivedFrom, None)))
    hv = next(n for n in nodes if str(out.value(n, clas.gapKind)) == "no-commissioner")
    assert str(out.value(hv, clas.concerns)).endswith("/service/health-visiting")
    assert list(out.objects(hv, clas.evidence))
