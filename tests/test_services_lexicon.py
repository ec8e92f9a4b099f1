"""The service taxonomy (ontology/services.ttl) and the lexicon matcher built from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clasgraph.build.services import SERVICES_TTL, find_services, load_lexicon
from clasgraph.graph.vocab import SERVICE_SCHEME, service_concept_iri

DATA = Path(__file__).parent / "data"
KEYS = list(json.loads((DATA / "services.json").read_text(encoding="utf-8")))


def keys(text: str) -> list[str]:
    return [m.key for m in find_services(text)]


# ----------------------------------------------------------------------------- the scheme


def test_one_concept_per_service_key_with_the_right_iri() -> None:
    import rdflib
    from rdflib.namespace import RDF, SKOS

    g = rdflib.Graph().parse(SERVICES_TTL, format="turtle")
    clas = rdflib.Namespace("https://w3id.org/clasgraph/ontology#")
    scheme = rdflib.URIRef(SERVICE_SCHEME)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    concepts = set(g.subjects(SKOS.inScheme, scheme))
    assert {str(c) for c in concepts} == {service_concept_iri(k) for k in KEYS}
    for key in KEYS:
        c = rdflib.URIRef(service_concept_iri(key))
        assert (c, RDF.type, clas.ServiceConcept) in g and (c, RDF.type, SKOS.Concept) in g
        assert [str(n) for n in g.objects(c, SKOS.notation)] == [key]
        assert len(list(g.objects(c, SKOS.prefLabel))) == 1
        for b in g.objects(c, SKOS.broader):
            assert b in concepts, f"{key}: broader {b} is not a concept of the scheme"


def test_pyoxigraph_reading_matches_rdflib() -> None:
    import rdflib
    from rdflib.namespace import SKOS

    g = rdflib.Graph().parse(SERVICES_TTL, format="turtle")
    lex = load_lexicon()
    assert set(lex.concepts) == set(KEYS)
    for c in lex.concepts.values():
        node = rdflib.URIRef(c.iri)
        assert sorted(str(x) for x in g.objects(node, SKOS.altLabel)) == c.alt_labels
        assert str(g.value(node, SKOS.prefLabel)) == c.pref_label


@pytest.mark.parametrize(("narrow", "broad"), [
    ("camhs-tier4", "camhs"), ("special-school-nursing", "school-nursing"), ("gum", "sexual-health"),
    ("lac-review-health-assessments", "lac-health"), ("family-nurse-partnership", "health-visiting"),
    ("perinatal-mental-health", "adult-mental-health"), ("emergency-department", "acute-hospital-services"),
])
def test_broader(narrow: str, broad: str) -> None:
    assert broad in load_lexicon().ancestors(narrow)


def test_no_cycles_in_broader() -> None:
    lex = load_lexicon()
    for key in lex.concepts:
        assert key not in lex.ancestors(key)


# ----------------------------------------------------------------------------- matching


@pytest.mark.parametrize(("text", "want"), [
    ("health visitor services", ["health-visiting"]),
    ("Health Visiting and Family Nurse Partnership", ["health-visiting", "family-nurse-partnership"]),
    ("school nurse services", ["school-nursing"]),
    ("the school nurse and special school nurse team", ["school-nursing", "special-school-nursing"]),
    ("Contraception and sexual health services (CASH)", ["sexual-health", "sexual-health"]),
    ("contraception & sexual health", ["sexual-health"]),
    ("Tier 3 CAMHS", ["camhs"]),
    ("Specialist in patient Tier 4 CAMHS services", ["camhs-tier4"]),
    ("Tier 4 in-patient care", ["camhs-tier4"]),
    ("Child and Adolescent Mental Health Services", ["camhs"]),
    ("looked-after children’s health team", ["lac-health"]),
    ("looked after children's health team", ["lac-health"]),
    ("review health assessments for school aged looked-after children", ["lac-review-health-assessments"]),
    ("minor injury units (MIUs)", ["minor-injury-unit", "minor-injury-unit"]),
    ("the BHFT MIU’s", ["minor-injury-unit"]),
    ("GUM (Genito-Urinary Medicine)", ["gum", "gum"]),
    ("midwifery", ["maternity"]),
    ("A&E attendances and the emergency department (ED)", ["emergency-department"] * 3),
    ("new-born hearing screening programme", ["newborn-hearing-screening"]),
    ("Adult substance misuse services", ["substance-misuse-adults"]),
    ("Child substance misuse services", ["substance-misuse-children"]),
    ("The Designated Nurse for Looked After Children", ["designated-professionals"]),
    ("most health services for children", ["childrens-health-services"]),
    ("acute care, maternity, continuing health care, allied health professional services and CAMHS",
     ["acute-hospital-services", "maternity", "continuing-health-care", "allied-health-professionals", "camhs"]),
])
def test_spellings(text: str, want: list[str]) -> None:
    assert keys(text) == want


@pytest.mark.parametrize("text", [
    "paid in cash", "the gum on the pavement", "she was tired", "a red flag", "the children's social care team",
    "a paediatric liaison service", "miu", "health visits by the police",
])
def test_acronyms_need_capitals_and_plain_words_do_not_match(text: str) -> None:
    assert keys(text) == []


def test_surface_and_offsets() -> None:
    text = "Services: School Nurse Services, CAMHS."
    for m in find_services(text):
        assert text[m.start : m.end] == m.surface
    assert [m.surface for m in find_services(text)] == ["School Nurse Services", "CAMHS"]


def test_every_label_finds_its_own_concept() -> None:
    lex = load_lexicon()
    for key, c in lex.concepts.items():
        for label in c.alt_labels:
            found = find_services(label)
            assert found and found[0].key == key and found[0].surface == label, (key, label, found)


LABELS = sorted({lab for c in load_lexicon().concepts.values() for lab in c.alt_labels})
FILLER = st.sampled_from(["the", "and", "provided by", "are", "for", "children", "in North Town", ",", ";", "(",
                          ")", "services", "team", "X"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(LABELS), FILLER), min_size=0, max_size=12))
def test_mentions_are_ordered_non_overlapping_and_exact(parts: list[str]) -> None:
    text = " ".join(parts)
    found = find_services(text)
    last = -1
    for m in found:
        assert m.start >= last and m.end > m.start
        assert text[m.start : m.end] == m.surface
        assert load_lexicon().key_for(m.surface) == m.key
        last = m.end


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_never_fails_on_any_text(text: str) -> None:
    for m in find_services(text):
        assert text[m.start : m.end] == m.surface
