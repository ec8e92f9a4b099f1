"""Safeguarding themes (ontology/themes.ttl, build/themes.py) and recurring recommendations."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clasgraph.build.model import Recommendation
from clasgraph.build.themes import THEMES_TTL, find_recurring, load_themes, same_recommendation, tag_themes
from clasgraph.graph.vocab import GAP_KIND_SCHEME, THEME_SCHEME, gap_kind_iri, theme_iri

SKOS = "http://www.w3.org/2004/02/skos/core#"
ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"


def _store(path: Path) -> ox.Store:
    s = ox.Store()
    s.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return s


def _rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return [tuple(t.value for t in row) for row in store.query(query)]


# --------------------------------------------------------------------------- the SKOS files


def test_themes_scheme_is_well_formed() -> None:
    store = _store(THEMES_TTL)
    rows = _rows(store, f"""SELECT ?c ?n ?l WHERE {{ ?c a <{SKOS}Concept>, <https://w3id.org/clasgraph/ontology#Theme> ;
        <{SKOS}inScheme> <{THEME_SCHEME}> ; <{SKOS}notation> ?n ; <{SKOS}prefLabel> ?l }}""")
    keys = {n for _, n, _ in rows}
    for c, n, _ in rows:
        assert c == theme_iri(n)
    assert {"mash", "domestic-abuse", "health-assessments", "sdq", "supervision", "training", "records-it",
            "capacity", "gp-engagement", "fgm", "cse", "voice-of-child", "transition"} <= keys
    assert len(keys) == len(rows)  # one notation and one prefLabel each


def test_gap_kinds_scheme_holds_stated_and_structural_kinds() -> None:
    from clasgraph.graph.gaps import STATED_KINDS, STRUCTURAL_KINDS

    store = _store(ONTOLOGY / "gap-kinds.ttl")
    rows = _rows(store, f"""SELECT ?c ?n WHERE {{ ?c <{SKOS}inScheme> <{GAP_KIND_SCHEME}> ; <{SKOS}notation> ?n ;
        <{SKOS}prefLabel> ?l ; <{SKOS}definition> ?d }}""")
    found = {n: c for c, n in rows}
    for key in (*STATED_KINDS, *STRUCTURAL_KINDS):
        assert found.get(key) == gap_kind_iri(key)


# --------------------------------------------------------------------------- tagging


@pytest.mark.parametrize(("text", "theme"), [
    ("There is a lack of health capacity in the MASH.", "mash"),
    ("Information from MARAC is not shared with midwives.", "domestic-abuse"),
    ("Police notifications of domestic violence do not reach the health visitor.", "domestic-abuse"),
    ("IHAs are not completed within 28 days.", "health-assessments"),
    ("SDQs are not used to inform review health assessments.", "sdq"),
    ("Safeguarding supervision is not embedded.", "supervision"),
    ("Staff had only level 1 e-learning.", "training"),
    ("There is no flag on the electronic record.", "records-it"),
    ("GPs rarely attend child protection conferences.", "gp-engagement"),
    ("There is no FGM policy.", "fgm"),
    ("Risk of child sexual exploitation is not assessed.", "cse"),
    ("The voice of the child is not evident in assessments.", "voice-of-child"),
    ("Care leavers do not receive a health passport.", "transition"),
])
def test_tags_follow_the_cues_of_the_scheme(text: str, theme: str) -> None:
    assert theme in tag_themes(text)


def test_capital_labels_match_only_in_capitals() -> None:
    assert "mash" not in tag_themes("Potatoes were mashed and the cash spent.")
    assert "cse" not in tag_themes("We use cse as a word here.")
    assert "fgm" in tag_themes("FGM")


@given(st.text(max_size=200))
def test_tagging_returns_known_keys_in_order(text: str) -> None:
    keys = [t.key for t in load_themes()]
    tags = tag_themes(text)
    assert tags == sorted(set(tags)) and set(tags) <= set(keys)


# --------------------------------------------------------------------------- recurring recommendations


def _recs(*items: tuple[str, str]) -> list[Recommendation]:
    return [Recommendation(number=n, text=t, group=n.split(".")[0]) for n, t in items]


MARAC = ("Ensure that information coming out of MARAC on protective actions needed to safeguard unborns and "
         "children at risk of domestic violence is secured on the patient record.")


def test_same_recommendation_to_several_groups_is_one_recurring_item() -> None:
    recs = _recs(
        ("1.1", MARAC),
        ("1.2", "Ensure that review health assessments are quality assured."),
        ("2.1", MARAC.replace("Ensure", "Work with GP practices to help them ensure")),
        ("3.4", MARAC.rstrip(".")),
        ("4.1", "Ensure that review health assessments of looked-after children are quality assured."),
        ("4.2", "Improve access to CAMHS for young people in crisis."),
    )
    assert find_recurring(recs) == [["1.1", "2.1", "3.4"], ["1.2", "4.1"]]


def test_repeats_within_one_group_are_not_recurring() -> None:
    recs = _recs(("1.1", MARAC), ("1.2", MARAC))
    assert find_recurring(recs) == []


def test_different_recommendations_sharing_words_are_not_the_same() -> None:
    a = "Ensure that safeguarding supervision arrangements for midwives are robust."
    b = "Ensure that safeguarding training for GPs is delivered face to face at level 3."
    assert not same_recommendation(a, b)
    assert same_recommendation(a, a.lower())


def test_bundled_report_marac_recommendation_recurs_across_eight_groups(corpus_extractions: dict) -> None:
    ex = corpus_extractions["staffordshire-2016"]
    groups = find_recurring(ex.recommendations)
    marac = [g for g in groups if any("MARAC" in r.text for r in ex.recommendations if r.number == g[0])]
    assert marac and len({n.split(".")[0] for n in marac[0]}) == 8
