"""The language of shortfall: stated-gap rules on single sentences (build/gaps.py).

Invented sentences, not the corpus: each states (or does not state) a shortfall in its own words.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clasgraph.build.gaps import (
    GAP_KINDS,
    extract_gaps,
    gap_sentences,
    service_finder,
    split_clauses,
    split_sentences,
    strip_markers,
)
from clasgraph.build.model import Citation, Paragraph, ReportMeta, Section, Structure


def kinds(text: str) -> list[str]:
    return [g.kind for g in gap_sentences(text)]


# --------------------------------------------------------------------------- gaps and their kinds

GAPS = [
    # commissioning and capacity
    ("No health practitioner is commissioned to work in the hub.", "commissioning-capacity"),
    ("The looked-after children's nursing service has not been commissioned beyond the age of 18.", "commissioning-capacity"),
    ("The family support programme is only commissioned for half of the eligible families.", "commissioning-capacity"),
    ("There is a lack of commissioned capacity in the health team of the safeguarding hub.", "commissioning-capacity"),
    ("The delivery model commissioned by the CCG is not fit for purpose.", "commissioning-capacity"),
    ("Waiting times for the eating disorder service are lengthy and young people wait months for treatment.",
     "commissioning-capacity"),
    # coverage
    ("The specialist teenage clinic is offered in two of the five districts only.", "service-coverage"),
    ("There are no designated young people's clinics in the county.", "service-coverage"),
    ("Only 40% of eligible mothers are offered the programme.", "service-coverage"),
    # pathway
    ("There isn't a pathway for notifications of domestic abuse to reach midwives.", "pathway"),
    ("School nurses do not routinely receive notifications of children's attendances at the ED.", "pathway"),
    ("The GP is not invited to contribute to the review health assessment.", "pathway"),
    ("There is no prompt in the adult triage record to ask about children in the household.", "pathway"),
    ("Risk assessment tools for child sexual exploitation are not in place in the walk-in centre.", "pathway"),
    # governance
    ("There is no effective quality assurance process for initial health assessments.", "governance"),
    ("Managerial oversight of safeguarding practice in the maternity unit is underdeveloped.", "governance"),
    ("The trust has no FGM policy in place.", "governance"),
    ("No performance group operates for the east of the borough.", "governance"),
    ("It was not clear what governance arrangements are in place to monitor compliance.", "governance"),
    # workforce
    ("Health visitors have not received any training on review health assessments in recent years.", "workforce"),
    ("Safeguarding supervision for midwives is not sufficiently frequent.", "workforce"),
    ("Reception staff in the ED had undertaken level 1 e-learning only.", "workforce"),
    ("There is not sufficient capacity in the combined role of the designated nurse.", "workforce"),
    ("There is currently no designated doctor for looked after children in post.", "workforce"),
    ("The post of named nurse for safeguarding has been vacant for six months.", "workforce"),
    ("The trust's safeguarding team is under-resourced.", "workforce"),
    ("Not all staff have received level 3 training.", "workforce"),
    ("Safeguarding training compliance in the trust is below the 80% target.", "workforce"),
    ("The CCG does not have an overview of the quality of health assessments for children placed out of area.",
     "governance"),
    ("Audit of safeguarding records does not take place in the community health teams.", "governance"),
    ("Health visitors are not routinely notified when a child is placed out of area.", "pathway"),
    ("There is no system to flag children subject to a child protection plan on the ED record.", "pathway"),
    ("Arrangements for sharing information about children attending the ED with school nurses are weak.", "pathway"),
]


@pytest.mark.parametrize(("sentence", "kind"), GAPS, ids=[k + ":" + s[:30] for s, k in GAPS])
def test_gap_statements_are_found_with_their_kind(sentence: str, kind: str) -> None:
    found = gap_sentences(sentence)
    assert found, f"no gap found in {sentence!r}"
    assert found[0].kind == kind
    assert found[0].cue  # every gap is explained


NOT_GAPS = [
    # praise and negated negatives
    "Access to CAMHS is good and there are no waiting lists.",
    "There were no delays in the completion of initial health assessments.",
    "The unit is no longer open at night and patients are directed to the hospital instead.",
    "The relocation has not only supported joint working but has also opened new opportunities.",
    # future and work in progress
    "The new notification pathway will be introduced in April.",
    "A supervision policy for health visitors is being developed.",
    "It is not yet clear how liaison between the teams will evolve under the new system.",
    # hedged improvement remarks
    "Liaison with adult mental health services could be strengthened further.",
    "There is more scope to develop the quality of reports to conferences.",
    # the reviewers' own limits and the review's scope
    "Due to IT problems we were unable to review the quality of referrals in most services.",
    "Walk-in centres run by the private provider were not included in this review.",
    # a single case, individual practice
    "In one case the GP was not invited to the case conference.",
    "Although a few staff had not completed training, compliance is good overall.",
    "Some midwives were not compliant with the trust policy on record keeping.",
    # conditional and hypothetical frames
    "A written report is sent only if the practitioner is unable to attend the conference.",
    "This is good practice to mitigate the risk of any lack of information sharing.",
    # descriptive
    "The birth unit takes low risk cases only.",
    "Many practitioners told us that they do not find the referral form helpful.",
    "No concerns were raised about the timeliness of assessments.",
    "Staff are not afraid to challenge decisions made at strategy meetings.",
    "Young people do not have to wait long to be seen by the sexual health service.",
    "The designated nurse has not missed any LSCB meetings this year.",
    "Plans are in place to extend the service to the south of the county next year.",
    "The new electronic record system will go live in the spring.",
    "The young person did not want their foster carer present at the assessment.",
]


@pytest.mark.parametrize("sentence", NOT_GAPS, ids=[s[:40] for s in NOT_GAPS])
def test_praise_progress_hedges_and_single_cases_are_not_gaps(sentence: str) -> None:
    assert gap_sentences(sentence) == []


@pytest.mark.parametrize("sentence", [
    "There are significant delays in the completion of initial health assessments.",
    "The health needs of young offenders are not being met because no health practitioner is based in the team.",
    "Supervision is ad hoc and decisions are not recorded.",
])
def test_other_shortfall_wordings_are_found(sentence: str) -> None:
    assert gap_sentences(sentence)


def test_contrast_keeps_the_shortfall_after_praise() -> None:
    text = "Young people have good access to the sexual health service although there are no young people's clinics."
    assert kinds(text) == ["service-coverage"]
    text = "Whilst the electronic record supports recording domestic abuse, this was not routinely completed."
    assert kinds(text) == ["pathway"]


def test_fronted_concession_before_praise_is_discounted() -> None:
    text = "Although some care leavers had not received one, health passports have been developed and this is positive."
    assert kinds(text) == []


def test_anaphor_takes_its_arrangement_from_the_sentence_before() -> None:
    text = "The ED has interim nurse cover arrangements at busy times. This is not in accordance with intercollegiate standards."
    found = gap_sentences(text)
    assert [g.sentence for g in found] == ["This is not in accordance with intercollegiate standards."]


def test_one_sentence_can_state_two_kinds() -> None:
    text = ("Not all notifications go out to midwives due to non-commissioning of the hub for health partners "
            "and the pathway of notification is not fully effective.")
    assert set(kinds(text)) == {"commissioning-capacity", "pathway"}


def test_recommendation_markers_and_contractions_are_normalised() -> None:
    assert strip_markers("There isn't a policy. (Recommendation 1.2 and 3.4)") == "There is not a policy."
    assert strip_markers("**(Recommendations 2.1, 2.2)** It can't") == "It cannot"


def test_sentences_keep_abbreviations_and_numbers_together() -> None:
    text = "Staff use tools, e.g. the SDQ. See paragraph 1.13 for this. Dr. Smith agreed."
    assert split_sentences(text) == ["Staff use tools, e.g. the SDQ.", "See paragraph 1.13 for this.", "Dr. Smith agreed."]


def test_clauses_mark_fronted_concessions() -> None:
    clauses = split_clauses("Although A is missing, B is good")
    assert clauses[0].concessive and clauses[0].fronted
    assert not clauses[1].concessive


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_gap_sentences_never_fail_and_quote_the_text(text: str) -> None:
    for g in gap_sentences(text):
        assert g.kind in GAP_KINDS
        assert g.sentence in strip_markers(text)


# --------------------------------------------------------------------------- from a structure


def _structure(paragraphs: list[Paragraph]) -> Structure:
    return Structure(meta=ReportMeta(area="Anyshire"), sections=[Section("journey-1", "Early help", paragraphs)],
                     recommendation_lines=[])


class _Orgs:
    """A stand-in OrgIndex: mentions by exact name."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def mentions(self, text: str) -> list[object]:
        from types import SimpleNamespace

        out = []
        for name, key in self.names.items():
            at = text.find(name)
            if at >= 0:
                out.append(SimpleNamespace(start=at, end=at + len(name), surface=name, key=key))
        return sorted(out, key=lambda m: m.start)


def test_extract_gaps_carries_source_services_bodies_recommendations_and_themes() -> None:
    structure = _structure([
        Paragraph("Health visiting is well regarded by families.", "journey-1", "1.1", 0),
        Paragraph("Wexford Trust midwives do not routinely receive police notifications of domestic abuse. "
                  "(Recommendation 2.3)", "journey-1", "1.2", 1),
    ])
    gaps = extract_gaps(structure, [Citation("1.2", ["2.3"], "(Recommendation 2.3)")],
                        _Orgs({"Wexford Trust": "wexford-trust"}), [], find_services=service_finder)
    assert len(gaps) == 1
    gap = gaps[0]
    assert (gap.source, gap.kind, gap.recommendations) == ("1.2", "pathway", ["2.3"])
    assert gap.services == ["maternity"]
    assert gap.organisations == ["wexford-trust"]
    assert "domestic-abuse" in gap.themes
    assert "routinely" in gap.cue


def test_context_section_gaps_derive_from_the_section() -> None:
    structure = Structure(meta=ReportMeta(), sections=[
        Section("context", "Context of the review", [
            Paragraph("The Family Nurse Partnership is commissioned in two districts only.", "context", None, 0)]),
        Section("about", "About the review", [
            Paragraph("There is no requirement to include prisons.", "about", None, 1)]),
    ], recommendation_lines=[])
    gaps = extract_gaps(structure, [], None, find_services=service_finder)
    assert [(g.source, g.kind) for g in gaps] == [("context", "commissioning-capacity")]
    assert gaps[0].services == ["family-nurse-partnership"]


def test_services_nearest_the_shortfall_come_first() -> None:
    structure = _structure([Paragraph(
        "Midwives told us that the MASH is not commissioned for all health partners.", "journey-1", "2.1", 0)])
    gaps = extract_gaps(structure, [], None, find_services=service_finder)
    assert gaps[0].services[0] == "mash-health"
