"""Unit tests of the commissioning/provision/transfer rules, one statement form at a time.

The sentences use invented bodies and places so that nothing here leans on the corpus reports; the
organisation index is a small stand-in with the same interface as ``organisations.OrgIndex``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from clasgraph.build.commissioning import CommissioningResult, extract_arrangements, split_sentences
from clasgraph.build.model import Organisation, Paragraph, ReportMeta, Section, Structure


@dataclass
class Mention:
    start: int
    end: int
    surface: str
    key: str


class TinyIndex:
    """Same interface as OrgIndex: resolve, mentions, expand_collective, area_ccgs, ensure."""

    def __init__(self, bodies: dict[str, tuple[str, str, list[str]]], area: str = "Northshire",
                 sites: dict[str, str] | None = None) -> None:
        self.area: str | None = area
        self.organisations: dict[str, Organisation] = {}
        self._surface: dict[str, str] = {}
        for key, (name, typ, aliases) in bodies.items():
            self.organisations[key] = Organisation(key, name, typ, set(aliases))
            for s in [name, *aliases]:
                self._surface[s] = key
        for site, key in (sites or {}).items():
            self.organisations[key].sites.add(site)
            self._surface[site] = key
        self.ensured: list[tuple[str, str | None]] = []

    def resolve(self, name: str) -> str | None:
        return self._surface.get(re.sub(r"^(?:the|The)\s+", "", name.strip()))

    def mentions(self, text: str) -> list[Mention]:
        # like OrgIndex: site names resolve to their trust but are not reported as mentions
        sites = {s for o in self.organisations.values() for s in o.sites}
        alts = sorted((s for s in self._surface if s not in sites), key=len, reverse=True)
        pat = re.compile(r"(?<![\w&])(?:" + "|".join(re.escape(a) for a in alts) + r")(?![\w&])")
        return [Mention(m.start(), m.end(), m.group(0), self._surface[m.group(0)]) for m in pat.finditer(text)]

    def area_ccgs(self) -> list[str]:
        return [k for k, o in self.organisations.items() if o.type == "ClinicalCommissioningGroup"]

    def expand_collective(self, phrase: str) -> list[str]:
        if re.search(r"\bCCGs\b", phrase):
            return self.area_ccgs()
        if re.search(r"\bthe CCG\b", phrase, re.I):
            ccgs = self.area_ccgs()
            return ccgs if len(ccgs) == 1 else []
        return []

    def ensure(self, name: str, type_hint: str | None = None, source: str = "") -> str:
        key = self.resolve(name)
        if key:
            return key
        key = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.organisations[key] = Organisation(key, name, type_hint or "Organisation")
        self._surface[name] = key
        self.ensured.append((name, type_hint))
        return key


BODIES: dict[str, tuple[str, str, list[str]]] = {
    "ncc": ("Northshire County Council", "LocalAuthority", ["NCC"]),
    "ncc-ph": ("Public Health, Northshire County Council", "LocalAuthority", ["Public Health, NCC"]),
    "rcc": ("Riverton City Council", "LocalAuthority", ["RCC"]),
    "rcc-ph": ("Public Health in Riverton City Council", "LocalAuthority", []),
    "north-ccg": ("North Northshire CCG", "ClinicalCommissioningGroup", ["NNCCG"]),
    "south-ccg": ("South Northshire CCG", "ClinicalCommissioningGroup", ["SNCCG"]),
    "wct": ("Westvale Community NHS Trust", "NHSTrust", ["WCT"]),
    "ehft": ("Eastbrook Hospitals NHS Foundation Trust", "NHSFoundationTrust", ["EHFT"]),
    "mht": ("Moorland Mental Health NHS Trust", "NHSTrust", ["MMHT"]),
    "nhse": ("NHS England", "NationalBody", []),
    "phe": ("Public Health England", "NationalBody", []),
}
SITES = {"Eastbrook General Hospital": "ehft", "Riverside Hospital": "ehft"}


def run(context: str | list[str] = "", findings: dict[str, str] | None = None,
        bodies: dict[str, tuple[str, str, list[str]]] | None = None) -> tuple[CommissioningResult, TinyIndex]:
    paras = [context] if isinstance(context, str) else context
    sections = [Section("context", "Context of the review", [Paragraph(t, "context") for t in paras if t])]
    if findings:
        sections.append(Section("journey-1", "Early help",
                                [Paragraph(t, "journey-1", number=n) for n, t in findings.items()]))
    structure = Structure(meta=ReportMeta(area="Northshire"), sections=sections, recommendation_lines=[])
    index = TinyIndex(bodies or BODIES, sites=SITES)
    return extract_arrangements(structure, index), index


def facts(res: CommissioningResult, relation: str) -> set[tuple[str, str, str | None]]:
    return {(a.organisation, a.service, a.scope) for a in res.arrangements if a.relation == relation}


def pairs(res: CommissioningResult, relation: str) -> set[tuple[str, str]]:
    return {(a.organisation, a.service) for a in res.arrangements if a.relation == relation}


# ----------------------------------------------------------------------------- passive forms


def test_passive_with_both_roles_and_scope() -> None:
    res, _ = run("Health visitor and Family Nurse Partnership services for North Northshire are commissioned by "
                 "Riverton City Council (RCC) and provided by Westvale Community NHS Trust (WCT).")
    assert facts(res, "commissions") == {("rcc", "health-visiting", "North Northshire"),
                                         ("rcc", "family-nurse-partnership", "North Northshire")}
    assert facts(res, "provides") == {("wct", "health-visiting", "North Northshire"),
                                      ("wct", "family-nurse-partnership", "North Northshire")}
    a = next(a for a in res.arrangements if a.relation == "commissions")
    assert a.source == "context"
    assert a.evidence.startswith("Health visitor and Family Nurse Partnership services for North Northshire")
    assert "Riverton City Council" in a.evidence


def test_passive_scope_between_verb_and_by() -> None:
    res, _ = run("Health visitor services are commissioned for South Northshire by Northshire County Council (NCC) "
                 "and provided by Westvale Community NHS Trust.")
    assert facts(res, "commissions") == {("ncc", "health-visiting", "South Northshire")}
    assert facts(res, "provides") == {("wct", "health-visiting", "South Northshire")}


def test_two_commissioners_for_two_scopes() -> None:
    res, _ = run("Contraception and sexual health services (CASH) are commissioned by Riverton City Council for "
                 "North Northshire and by NCC for South Northshire and are provided by Westvale Community NHS Trust.")
    assert facts(res, "commissions") == {("rcc", "sexual-health", "North Northshire"),
                                         ("ncc", "sexual-health", "South Northshire")}
    assert pairs(res, "provides") == {("wct", "sexual-health")}


def test_two_providers_for_two_scopes_after_semicolon() -> None:
    res, _ = run("GUM services are also commissioned by NCC and provided by Eastbrook Hospitals NHS Foundation Trust in "
                 "East Northshire; and by Moorland Mental Health NHS Trust for West Northshire.")
    assert facts(res, "commissions") == {("ncc", "gum", None)}
    assert facts(res, "provides") == {("ehft", "gum", "East Northshire"), ("mht", "gum", "West Northshire")}


def test_list_of_services_after_commissioner() -> None:
    res, _ = run("Commissioning and planning of most health services for children are carried out by North Northshire "
                 "CCG for acute care, maternity, continuing health care, allied health professional services and CAMHS.")
    assert pairs(res, "commissions") == {
        ("north-ccg", k) for k in ("childrens-health-services", "acute-hospital-services", "maternity",
                                   "continuing-health-care", "allied-health-professionals", "camhs")}


def test_list_of_commissioners_with_subject_scope() -> None:
    res, _ = run("Commissioning and planning of most health services for children in South Northshire are carried "
                 "out by North Northshire CCG and South Northshire CCG.")
    assert facts(res, "commissions") == {("north-ccg", "childrens-health-services", "South Northshire"),
                                         ("south-ccg", "childrens-health-services", "South Northshire")}


def test_service_named_but_no_commissioner_gives_nothing() -> None:
    res, _ = run(["The school nursing service is commissioned to cover all state schools.",
                  "Health visiting services are commissioned until March 2017.",
                  "Commissioning arrangements for the enuresis service are under review."])
    assert res.arrangements == []


def test_negated_and_future_commissioning_is_not_a_fact() -> None:
    res, _ = run(["Perinatal mental health services are not commissioned by NCC.",
                  "The school nursing service will be commissioned by NCC from April.",
                  "The enuresis service was previously commissioned by North Northshire CCG."])
    assert pairs(res, "commissions") == set()


# ----------------------------------------------------------------------------- active forms


def test_active_two_clauses() -> None:
    res, _ = run("Northshire County Council commission school nursing and sexual health services and NHS England "
                 "commission Health Visiting and Family Nurse Partnership.")
    assert pairs(res, "commissions") == {("ncc", "school-nursing"), ("ncc", "sexual-health"),
                                         ("nhse", "health-visiting"), ("nhse", "family-nurse-partnership")}


def test_active_provider_with_which_and_scope() -> None:
    res, _ = run(findings={"2.13": "Both Moorland Mental Health NHS Trust (MMHT) which provides CAMHS to South "
                                   "Northshire and WCT work closely together."})
    assert facts(res, "provides") == {("mht", "camhs", "South Northshire")}


def test_active_deliver() -> None:
    res, _ = run(findings={"1.16": "Westvale Community NHS Trust (WCT) deliver the new-born hearing screening "
                                   "programme: babies are screened early."})
    assert pairs(res, "provides") == {("wct", "newborn-hearing-screening")}


def test_anaphoric_provider() -> None:
    res, _ = run("Adult mental health services are provided by Moorland Mental Health NHS Trust. The trust provides a "
                 "specialist perinatal mental health service.")
    assert pairs(res, "provides") == {("mht", "adult-mental-health"), ("mht", "perinatal-mental-health")}


def test_commissioned_provider_to_deliver() -> None:
    res, _ = run(findings={"1.22": "In May 2015, Public Health England commissioned the WCT school age immunisation "
                                   "team to deliver the childhood flu immunisation throughout Northshire."})
    assert facts(res, "commissions") == {("phe", "school-age-immunisation", None)}
    assert pairs(res, "provides") == {("wct", "school-age-immunisation")}


def test_commissioned_provider_passive_to_deliver() -> None:
    res, _ = run(findings={"1.22": "The WCT school age immunisation team was commissioned by Public Health England to "
                                   "deliver the childhood flu immunisation."})
    assert pairs(res, "commissions") == {("phe", "school-age-immunisation")}
    assert pairs(res, "provides") == {("wct", "school-age-immunisation")}


def test_commissions_from() -> None:
    res, _ = run("NCC commissions the substance misuse service for young people from Brightpath Futures.")
    assert pairs(res, "commissions") == {("ncc", "substance-misuse-children")}
    assert pairs(res, "provides") == {("brightpath-futures", "substance-misuse-children")}


# ----------------------------------------------------------------------------- lead and delegated


def test_lead_commissioner_is_takes_previous_service() -> None:
    res, index = run("Termination of Pregnancy is provided by the Northern Pregnancy Advisory Service (NPAS). "
                     "Lead commissioner is South Northshire CCG.")
    assert pairs(res, "commissions") == {("south-ccg", "termination-of-pregnancy")}
    lead = next(a for a in res.arrangements if a.relation == "commissions")
    assert lead.role == "lead"
    provider = next(a for a in res.arrangements if a.relation == "provides")
    assert index.organisations[provider.organisation].name.startswith("Northern Pregnancy Advisory Service")


def test_acting_as_lead_commissioner_on_behalf_of() -> None:
    res, _ = run("An integrated commissioning approach has been adopted with NCC acting as the lead commissioner on "
                 "behalf of CCGs for special school nursing, review health assessments for school aged looked-after "
                 "children and enuresis provision.")
    got = [a for a in res.arrangements if a.relation == "commissions"]
    assert {(a.organisation, a.service) for a in got} == {
        ("ncc", "special-school-nursing"), ("ncc", "lac-review-health-assessments"), ("ncc", "enuresis")}
    assert all(a.role == "lead" and set(a.on_behalf_of) == {"north-ccg", "south-ccg"} for a in got)


def test_responsibility_of_the_ccgs_expands_collective() -> None:
    res, _ = run("Commissioning arrangements for looked-after children’s health are the responsibility of the CCGs.")
    assert pairs(res, "commissions") == {("north-ccg", "lac-health"), ("south-ccg", "lac-health")}


def test_responsibility_without_commissioning_is_not_commissioning() -> None:
    res, _ = run("Safeguarding supervision for school nurses is the responsibility of NCC.")
    assert pairs(res, "commissions") == set()


def test_responsible_for_commissioning_active() -> None:
    res, _ = run("North Northshire CCG is responsible for commissioning paediatric services.")
    assert pairs(res, "commissions") == {("north-ccg", "paediatrics")}


def test_as_the_commissioner_of_in_a_finding() -> None:
    res, _ = run(findings={"1.20": "This has been drawn to the attention of Public Health, Northshire County Council "
                                   "as the commissioner of the school nurse service."})
    assert facts(res, "commissions") == {("ncc-ph", "school-nursing", None)}
    assert res.arrangements[0].source == "1.20"


def test_special_commissioning_in_a_finding() -> None:
    res, _ = run(findings={"2.18": "Young people’s access to Tier 4 in-patient care through NHS England special "
                                   "commissioning can be problematic."})
    assert pairs(res, "commissions") == {("nhse", "camhs-tier4")}


# ----------------------------------------------------------------------------- provision forms


def test_provision_list_with_sites_and_not_in_review() -> None:
    res, index = run([
        "Acute hospital services are provided by;",
        "Eastbrook General Hospital, Eastbrook, Eastbrook Hospitals NHS Foundation Trust (EHFT)",
        "Riverside Hospital (EHFT) - not included in this CLAS review Lowfield Healthcare NHS Trust – not included "
        "in this CLAS review Community hospitals Oak Hospital and Elm House were also not included in this CLAS review.",
    ])
    got = {a.organisation: a for a in res.arrangements if a.relation == "provides"}
    assert set(got) == {"ehft", "lowfield-healthcare-nhs-trust"}
    assert got["ehft"].in_review is True
    assert got["lowfield-healthcare-nhs-trust"].in_review is False
    assert all(a.service == "acute-hospital-services" for a in got.values())
    # sites map to their trust; no body is made of a site, a town or a community hospital
    assert [n for n, _ in index.ensured] == ["Lowfield Healthcare NHS Trust"]


def test_provided_by_new_body_with_parenthesis() -> None:
    res, index = run("Child substance misuse services are commissioned by NCC and provided by CRX (Tier 3).")
    assert pairs(res, "commissions") == {("ncc", "substance-misuse-children")}
    assert pairs(res, "provides") == {("crx", "substance-misuse-children")}
    assert index.ensured == [("CRX", None)]


def test_input_and_collaboration_inherit_the_service() -> None:
    res, index = run(
        "Adult substance misuse services are commissioned by Northshire County Council. Inpatient services are "
        "provided by Moorland Mental Health NHS Trust (MMHT), with input from Hopeful Steps. Community services are a "
        "collaboration between five agencies, known collectively as New Horizons. This is led by a third sector "
        "provider Recovery Partners Northshire (RPN), with MMHT providing the clinical input.")
    got = {(a.organisation, a.role) for a in res.arrangements
           if a.relation == "provides" and a.service == "substance-misuse-adults"}
    keys = {k for k, _ in got}
    assert keys == {"mht", "hopeful-steps", "new-horizons", "recovery-partners-northshire"}
    roles = dict(got)
    assert roles["hopeful-steps"] == "input"
    assert roles["new-horizons"] == "collaboration"
    hints = dict(index.ensured)
    assert hints["New Horizons"] == "Partnership"
    assert any(v == "VoluntaryOrganisation" for k, v in hints.items() if k.startswith("Recovery Partners"))
    assert pairs(res, "commissions") == {("ncc", "substance-misuse-adults")}


def test_independent_hospital_provider() -> None:
    res, index = run("Specialist in patient Tier 4 CAMHS services are provided by Larchwood Hospital in Eastbrook.")
    assert pairs(res, "provides") == {("larchwood-hospital", "camhs-tier4")}
    assert index.ensured == [("Larchwood Hospital", "IndependentProvider")]
    assert res.arrangements[0].scope is None  # "in Eastbrook" says where the hospital is


def test_became_the_provider_gives_start_date() -> None:
    res, _ = run(findings={"1.21": "Westvale Community NHS Trust (WCT) became the providers of the school nursing "
                                   "service in September 2015."})
    (a,) = res.arrangements
    assert (a.relation, a.organisation, a.service, a.start) == ("provides", "wct", "school-nursing", "2015-09")


def test_reduced_relative_provided_by() -> None:
    res, _ = run(findings={"1.6": "The midwifery service provided by EHFT offers flexible appointments.",
                           "5.2.8": "The EHFT MIUs have a paediatric liaison service provided by WCT."})
    assert pairs(res, "provides") == {("ehft", "maternity"), ("ehft", "minor-injury-unit")}


def test_noun_compounds_in_findings() -> None:
    res, _ = run(findings={"1.29": "A child attended EHFT’s Riverside Hospital ED twice.",
                           "1.35": "Staff in the MMHT GUM service were trained.",
                           "3.20": "The adult substance misuse service, Westvale Community NHS Trust, works well.",
                           "1.5": "Pregnant women access maternity services at EHFT through their GP."})
    assert pairs(res, "provides") == {("ehft", "emergency-department"), ("mht", "gum"),
                                      ("wct", "substance-misuse-adults"), ("ehft", "maternity")}


def test_designated_nurse_employed_by_the_ccg() -> None:
    bodies = {k: v for k, v in BODIES.items() if k != "south-ccg"}
    res, _ = run("The Designated Nurse for Looked After Children is employed by the CCG.", bodies=bodies)
    (a,) = res.arrangements
    assert (a.relation, a.organisation, a.service, a.role) == ("provides", "north-ccg", "designated-professionals",
                                                               "employs")


def test_whole_area_scope_is_none() -> None:
    res, _ = run(["CAMHS are provided by Moorland Mental Health NHS Trust across the county.",
                  "Adult mental health services are provided by Moorland Mental Health NHS Trust across Northshire.",
                  "In the North of the county, school nursing is provided by WCT."])
    assert facts(res, "provides") == {("mht", "camhs", None), ("mht", "adult-mental-health", None),
                                      ("wct", "school-nursing", "North of the county")}


def test_findings_add_only_new_pairs_or_new_geographies() -> None:
    res, _ = run("CAMHS are provided by Moorland Mental Health NHS Trust in North Northshire.",
                 findings={"2.1": "The MMHT CAMHS team is responsive.",
                           "2.2": "MMHT which provides CAMHS in the North of Northshire and Riverton was praised."})
    assert facts(res, "provides") == {("mht", "camhs", "North Northshire"),
                                      ("mht", "camhs", "North of Northshire and Riverton")}
    assert {a.source for a in res.arrangements} == {"context", "2.2"}


def test_only_context_and_findings_are_read() -> None:
    structure = Structure(
        meta=ReportMeta(area="Northshire"),
        sections=[Section("about", "About", [Paragraph("Services provided by NHS but commissioned by the local "
                                                       "authority are reported separately.", "about")]),
                  Section("context", "Context", [Paragraph("School nurse services are provided by WCT.", "context")])],
        recommendation_lines=[],
    )
    res = extract_arrangements(structure, TinyIndex(BODIES))
    assert pairs(res, "provides") == {("wct", "school-nursing")}
    assert res.services_without_commissioner() == ["school-nursing"]


# ----------------------------------------------------------------------------- transfers


def test_transfer_with_date_and_parallel_transfer() -> None:
    res, _ = run("Health visitor services for North Northshire are commissioned by RCC. Responsibility for the "
                 "commissioning of health visiting transferred from NHS England to RCC in October 2015. Commissioning "
                 "responsibility for the existing Family Nurse Partnership programmes in the North of the county also "
                 "transferred to Public Health in Riverton City Council.")
    got = {(t.service, t.from_org, t.to_org, t.date) for t in res.transfers}
    assert got == {("health-visiting", "nhse", "rcc", "2015-10"),
                   ("family-nurse-partnership", "nhse", "rcc-ph", None)}
    # a transfer is not a present-tense commissioning statement of its own
    assert pairs(res, "commissions") == {("rcc", "health-visiting")}


@pytest.mark.parametrize("sentence", [
    "In October 2015 responsibility for commissioning health visiting passed from NHS England to RCC.",
    "RCC took over responsibility for commissioning health visiting from NHS England in October 2015.",
    "NHS England transferred the commissioning of health visiting to RCC in October 2015.",
])
def test_transfer_phrasings(sentence: str) -> None:
    res, _ = run(sentence)
    assert {(t.service, t.from_org, t.to_org, t.date) for t in res.transfers} == {
        ("health-visiting", "nhse", "rcc", "2015-10")}


def test_planned_transfer_and_provider_change_are_not_transfers() -> None:
    res, _ = run(["Commissioning of school nursing will transfer from NCC to RCC in April 2017.",
                  "The KITE team was moved into Moorland Mental Health NHS Trust services a year ago."])
    assert res.transfers == []


# ----------------------------------------------------------------------------- sentences


def test_split_sentences_keeps_abbreviations() -> None:
    text = "Services e.g. CAMHS are provided by WCT. St. Anne's unit is run by MMHT. Done."
    spans = [text[a:b] for a, b in split_sentences(text)]
    assert spans == ["Services e.g. CAMHS are provided by WCT.", "St. Anne's unit is run by MMHT.", "Done."]


# ----------------------------------------------------------------------------- other natural phrasings


def test_pronoun_object_takes_the_previous_services() -> None:
    res, _ = run("For North Northshire, Riverton City Council commissions contraception and sexual health services. "
                 "For South Northshire, NCC commissions them. Westvale Community NHS Trust provides them.")
    assert facts(res, "commissions") == {("rcc", "sexual-health", "North Northshire"),
                                         ("ncc", "sexual-health", "South Northshire")}
    assert pairs(res, "provides") == {("wct", "sexual-health")}


def test_appositive_commissioner_of() -> None:
    res, _ = run(findings={"2.6": "This has been drawn to the attention of the commissioner of the health visitor "
                                  "service, Public Health, Northshire County Council."})
    assert pairs(res, "commissions") == {("ncc-ph", "health-visiting")}


def test_active_carry_out_the_commissioning() -> None:
    res, _ = run("In South Northshire, South Northshire CCG and North Northshire CCG carry out the commissioning and "
                 "planning of most health services for children.")
    assert facts(res, "commissions") == {("south-ccg", "childrens-health-services", "South Northshire"),
                                         ("north-ccg", "childrens-health-services", "South Northshire")}


def test_lead_commissioner_active_takes_previous_service() -> None:
    res, _ = run("Termination of pregnancy is provided by Westvale Community NHS Trust. South Northshire CCG is the "
                 "lead commissioner.")
    (a,) = [a for a in res.arrangements if a.relation == "commissions"]
    assert (a.organisation, a.service, a.role) == ("south-ccg", "termination-of-pregnancy", "lead")


def test_commissioned_to_provide_and_carried_out_by() -> None:
    res, _ = run(["Westvale Community NHS Trust has been commissioned to provide the 0-19 service.",
                  "Initial health assessments are carried out by Eastbrook Hospitals NHS Foundation Trust.",
                  "The emergency department is provided at Riverside Hospital by EHFT."])
    assert pairs(res, "provides") == {("wct", "health-visiting"), ("ehft", "lac-health"),
                                      ("ehft", "emergency-department")}
    assert pairs(res, "commissions") == set()


def test_unknown_subject_of_provides_is_registered_only_when_a_fact_is_kept() -> None:
    res, index = run(["NCC commissions child substance misuse services, and CRX (Tier 3) provides them.",
                      "KITE provides support to foster carers.",
                      "The Larch Mother and Baby Unit provides specialist perinatal psychiatry."])
    assert pairs(res, "provides") == {("crx", "substance-misuse-children")}
    assert [n for n, _ in index.ensured] == ["CRX"]


def test_commissioned_by_from_and_unknown_commissioner() -> None:
    res, index = run(["Contraception and sexual health services are commissioned by NCC from Brightwater Health Ltd.",
                      "Adult substance misuse services are commissioned by the board and provided by Lantern Recovery "
                      "Services."])
    assert pairs(res, "commissions") == {("ncc", "sexual-health")}
    assert pairs(res, "provides") == {("brightwater-health-ltd", "sexual-health"),
                                      ("lantern-recovery-services", "substance-misuse-adults")}
    assert [n for n, _ in index.ensured] == ["Brightwater Health Ltd", "Lantern Recovery Services"]


def test_community_health_services_for_children_are_not_general_commissioning() -> None:
    res, _ = run("Community health services for children, including health visiting and school nursing, are "
                 "commissioned by NCC.")
    assert pairs(res, "commissions") == {("ncc", "health-visiting"), ("ncc", "school-nursing")}


def test_previously_commissioned_by_is_a_transfer() -> None:
    res, _ = run("Since October 2015 Riverton City Council has been responsible for commissioning health visiting, "
                 "which was previously commissioned by NHS England.")
    assert pairs(res, "commissions") == {("rcc", "health-visiting")}
    assert {(t.service, t.from_org, t.to_org, t.date) for t in res.transfers} == {
        ("health-visiting", "nhse", "rcc", "2015-10")}


def test_findings_without_a_body_give_nothing() -> None:
    res, index = run(findings={
        "1.1": "CAMHS provide support to the looked-after children's health team.",
        "1.2": "Health visitors provide a universal service to all families.",
        "1.3": "GPs provide information to child protection conferences.",
        "1.4": "The health visitor told us that the school nurse had not been informed.",
        "1.5": "A pilot therapeutic service is to be launched in partnership with a third sector provider.",
    })
    assert res.arrangements == [] and index.ensured == []


def test_a_site_stands_for_its_trust_and_is_never_a_new_body() -> None:
    res, index = run(["Specialist CAMHS are provided by Riverside Hospital.",
                      "We visited the paediatric ward at Eastbrook General Hospital."],
                     findings={"1.29": "A child attended EHFT’s Riverside Hospital ED twice."})
    assert pairs(res, "provides") == {("ehft", "camhs"), ("ehft", "emergency-department")}
    assert index.ensured == []


def test_adverbs_and_joint_commissioning() -> None:
    res, _ = run(["Child and adolescent mental health services are commissioned jointly by the CCGs and NCC.",
                  "The enuresis service is provided locally by Westvale Community NHS Trust."])
    assert pairs(res, "commissions") == {("north-ccg", "camhs"), ("south-ccg", "camhs"), ("ncc", "camhs")}
    assert pairs(res, "provides") == {("wct", "enuresis")}


def test_unrecognised_commissioner_is_reported() -> None:
    res, _ = run("Adult substance misuse services are commissioned by the board.")
    assert res.arrangements == []
    assert len(res.warnings) == 1 and "the board" in res.warnings[0] and "substance-misuse-adults" in res.warnings[0]


def test_relative_clause_after_provider_and_public_health_services() -> None:
    res, _ = run(["CAMHS are provided by Moorland Mental Health NHS Trust (MMHT), which also provides adult mental "
                  "health services.",
                  "NCC commissions public health services for children including health visiting and school nursing."])
    assert pairs(res, "provides") == {("mht", "camhs"), ("mht", "adult-mental-health")}
    assert pairs(res, "commissions") == {("ncc", "health-visiting"), ("ncc", "school-nursing")}


def test_elliptical_second_subject() -> None:
    res, _ = run("The designated doctor for looked-after children is employed by EHFT and the designated nurse by "
                 "North Northshire CCG. School nursing is commissioned by NCC and health visiting by RCC.")
    assert pairs(res, "provides") == {("ehft", "designated-professionals"), ("north-ccg", "designated-professionals")}
    assert pairs(res, "commissions") == {("ncc", "school-nursing"), ("rcc", "health-visiting")}


def test_commissioning_a_review_is_not_commissioning_the_service() -> None:
    res, _ = run(findings={"5.1.3": "North Northshire CCG commissioned an independent review of CAMHS in 2015.",
                           "5.3.1": "Westvale Community NHS Trust provides level 3 training to school nurses."})
    assert res.arrangements == []


def test_provision_list_one_item_per_paragraph() -> None:
    res, _ = run([
        "Acute hospital services are provided by:",
        "• Eastbrook Hospitals NHS Foundation Trust (EHFT) at Eastbrook General Hospital",
        "• Moorland Mental Health NHS Trust – not included in this CLAS review",
        "• Lowfield Healthcare NHS Trust",
        "Community health services are described below.",
        "CAMHS are provided by WCT.",
    ])
    got = {a.organisation: a.in_review for a in res.arrangements if a.service == "acute-hospital-services"}
    assert got == {"ehft": True, "mht": False, "lowfield-healthcare-nhs-trust": True}
    assert pairs(res, "provides") - {(k, "acute-hospital-services") for k in got} == {("wct", "camhs")}
