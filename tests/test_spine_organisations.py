"""Organisation finding and resolution (build/organisations.py)."""

from __future__ import annotations

from clasgraph.build.organisations import build_org_index, split_bodies
from clasgraph.build.segment import segment

TEXT = """Review of health services for Children Looked After and Safeguarding in Harrowfield
Context of the review
North Harrowfield Clinical Commissioning Group (NHCCG) commissions most services. South Harrowfield CCG serves the south.
Health visiting is commissioned by Harrowfield County Council (HCC) and provided by Harrowfield and Wexmoor NHS Partnership Trust (HWPT).
School nurse services are commissioned by Public Health, HCC and provided by Brackley Community NHS Trust.
Termination of pregnancy is provided by the Ardent Pregnancy Advisory Service (APAS). Substance misuse services are led by a third sector provider Pathways to Recovery (PTR).
Acute services are provided by Eastgate Hospitals NHS Foundation Trust (EHFT) at Kingsmead Hospital.
The boundaries of Otterby District Council are used for planning. The Harrowfield Safeguarding Children Board (LSCB) meets monthly.
The child's journey
1. Early help
1.1 Harrowfield & Wexmoor NHS Partnership Trust and Eastgate Hospital NHS Foundation Trust work with the MASH and MARAC. NHS England and Public Health England commission screening.
1.2 The Harrowfield and Wexmoor Partnership NHS Trust midwives at Kingsmead Hospital liaise with the LSCB. Brackley Community Healthcare NHS Foundation Trust (BCHFT) became the provider in 2015.
1.3 Staff at HWPT and EHFT, and at Ofsted, CQC and the Department for Education (DfE).
Recommendations
1. North Harrowfield CCG, South Harrowfield CCG and Harrowfield & Wexmoor NHS Partnership Trust should:
1.1 Do something.
2. NHS England and Harrowfield CCGs should:
2.1 Do another.
"""


def _index():
    return build_org_index(segment(TEXT))


def test_one_node_per_body_with_aliases():
    idx = _index()
    names = {o.name for o in idx.organisations.values()}
    assert "Harrowfield and Wexmoor NHS Partnership Trust" in names or \
        "Harrowfield & Wexmoor NHS Partnership Trust" in names
    hwpt = idx.resolve("HWPT")
    assert hwpt is not None
    for spelling in ("Harrowfield & Wexmoor NHS Partnership Trust", "Harrowfield and Wexmoor Partnership NHS Trust",
                     "HWPT"):
        assert idx.resolve(spelling) == hwpt
    assert idx.resolve("North Harrowfield CCG") == idx.resolve("NHCCG") == idx.resolve(
        "North Harrowfield Clinical Commissioning Group")
    assert idx.resolve("Eastgate Hospital NHS Foundation Trust") == idx.resolve("EHFT")
    assert idx.resolve("Brackley Community NHS Trust") == idx.resolve("BCHFT")
    assert idx.resolve("South Harrowfield CCG") != idx.resolve("North Harrowfield CCG")


def test_types():
    idx = _index()
    t = {o.name: o.type for o in idx.organisations.values()}
    org = idx.organisations
    assert org[idx.resolve("NHCCG")].type == "ClinicalCommissioningGroup"
    assert org[idx.resolve("EHFT")].type == "NHSFoundationTrust"
    assert org[idx.resolve("HWPT")].type == "NHSTrust"
    assert org[idx.resolve("BCHFT")].type == "NHSFoundationTrust"  # the full name says foundation trust
    assert org[idx.resolve("HCC")].type == "LocalAuthority"
    assert org[idx.resolve("APAS")].type == "VoluntaryOrganisation"
    assert org[idx.resolve("PTR")].type == "VoluntaryOrganisation"
    assert org[idx.resolve("NHS England")].type == "NationalBody"
    assert org[idx.resolve("MASH")].type == "Partnership"
    assert org[idx.resolve("LSCB")].type == "Partnership"
    assert t  # every body typed


def test_sites_belong_to_trust_and_public_health_team_to_council():
    idx = _index()
    ehft = idx.organisations[idx.resolve("EHFT")]
    assert "Kingsmead Hospital" in ehft.sites
    assert not any(o.name == "Kingsmead Hospital" for o in idx.organisations.values())
    ph = idx.resolve("Public Health, HCC")
    assert ph is not None and ph != idx.resolve("HCC")
    assert idx.organisations[ph].parent == idx.resolve("HCC")


def test_geographic_only_mentions_are_not_bodies():
    idx = _index()
    assert not any("Otterby" in o.name for o in idx.organisations.values())


def test_local_board_absorbs_generic_lscb():
    idx = _index()
    assert idx.resolve("LSCB") == idx.resolve("Harrowfield Safeguarding Children Board")


def test_collectives_expand_to_the_areas_ccgs():
    idx = _index()
    idx.addressed |= {idx.resolve("North Harrowfield CCG"), idx.resolve("South Harrowfield CCG")}
    assert set(idx.expand_collective("Harrowfield CCGs")) == {idx.resolve("North Harrowfield CCG"),
                                                              idx.resolve("South Harrowfield CCG")}


def test_mentions():
    idx = _index()
    text = "Services are provided by HWPT and Eastgate Hospitals NHS Foundation Trust with NHS England."
    keys = [m.key for m in idx.mentions(text)]
    assert keys == [idx.resolve("HWPT"), idx.resolve("EHFT"), idx.resolve("NHS England")]


def test_split_bodies():
    assert split_bodies("Stafford and Surrounds CCG and Eastgate NHS Trust") == [
        "Stafford and Surrounds CCG", "Eastgate NHS Trust"]
    assert split_bodies("A CCG, B CCG, C and D NHS Trust and E Council") == [
        "A CCG", "B CCG", "C and D NHS Trust", "E Council"]


def test_site_named_with_its_trust_is_never_a_provider_of_its_own():
    text = TEXT.replace("1.3 Staff at", "1.3 Care is delivered by Kingsmead Hospital obstetricians. Staff at")
    idx = build_org_index(segment(text))
    assert idx.resolve("Kingsmead Hospital") == idx.resolve("EHFT")
    assert not any(o.name == "Kingsmead Hospital" for o in idx.organisations.values())
    assert [m.key for m in idx.mentions("at Kingsmead Hospital today")] == [idx.resolve("EHFT")]


def test_ensure_registers_aliases_and_generic_references_resolve_when_unique():
    idx = _index()
    key = idx.ensure("Riverside Recovery Service", "VoluntaryOrganisation", source="1.1", aliases=["RRS"])
    assert idx.resolve("RRS") == key == idx.ensure("RRS")
    assert idx.resolve("the council") == idx.resolve("HCC")  # one council (its public health team aside)
    assert idx.resolve("the CCG") is None  # two CCGs: ambiguous
