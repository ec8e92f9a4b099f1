"""Generate a synthetic CLAS knowledge graph shaped like the assembled real ones, as N-Quads.

    python benchmarks/synth_graph.py --reports 100 -o synth-100.nq

One named graph per report (``id:graph/<report-key>``), about 2,000 triples each, using the IRIs of
graph/vocab.py and the terms of ontology/clas.ttl: a report with its area, numbered findings,
recommendation groups and recommendations, the bodies responsible for them, citations (and a few
unresolved ones), area-scoped services with their concept, commissioning and provision arrangements
with the shortcut triples, commissioning transfers and stated gaps. Organisations are shared across
reports the way real ones are: each area has its own CCGs, trusts and council, a few regional trusts
serve several areas, and the national bodies (NHS England above all) are hubs linked from every
report. The output is deterministic for a given ``--reports`` and ``--seed``.

Used by benchmarks/bench_query.py and by the render benchmarks; keep the command line stable.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

try:
    from clasgraph.graph import vocab as V
except ImportError:  # run from a checkout without the project installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from clasgraph.graph import vocab as V  # noqa: E402

RDF_TYPE = V.RDF + "type"
LABEL = V.RDFS + "label"
ALT = V.SKOS + "altLabel"
NOTATION = V.SKOS + "notation"
PREF = V.SKOS + "prefLabel"
IN_SCHEME = V.SKOS + "inScheme"
ISSUED = V.DCTERMS + "issued"
DATE = V.DCTERMS + "date"
DERIVED = V.PROV + "wasDerivedFrom"
XSD_DATE = V.XSD + "date"
XSD_INT = V.XSD + "integer"
XSD_BOOL = V.XSD + "boolean"


def c(term: str) -> str:
    return V.CLAS + term


SERVICES = {
    "childrens-health-services": "Most health services for children",
    "acute-hospital-services": "Acute hospital services",
    "maternity": "Maternity and midwifery",
    "emergency-department": "Emergency department",
    "minor-injury-unit": "Minor injury unit / urgent care",
    "paediatrics": "Hospital paediatrics",
    "health-visiting": "Health visiting",
    "family-nurse-partnership": "Family Nurse Partnership",
    "school-nursing": "School nursing",
    "special-school-nursing": "Special school nursing",
    "lac-health": "Looked-after children's health service",
    "lac-review-health-assessments": "Review health assessments for looked-after children",
    "sexual-health": "Contraception and sexual health",
    "gum": "Genito-urinary medicine",
    "substance-misuse-children": "Substance misuse services for children and young people",
    "substance-misuse-adults": "Adult substance misuse services",
    "camhs": "Child and adolescent mental health services",
    "camhs-tier4": "Specialist inpatient (tier 4) CAMHS",
    "adult-mental-health": "Adult mental health services",
    "perinatal-mental-health": "Perinatal mental health",
    "school-age-immunisation": "School-age immunisation",
    "continuing-health-care": "Continuing health care",
    "designated-professionals": "Designated doctor and nurse for safeguarding",
    "sarc": "Sexual assault referral centre",
    "youth-offending-health": "Health input to the youth offending service",
}
NATIONAL_SERVICES = ("camhs-tier4", "sarc", "school-age-immunisation", "health-visiting", "family-nurse-partnership")
PUBLIC_HEALTH_SERVICES = ("health-visiting", "school-nursing", "sexual-health", "substance-misuse-children",
                          "substance-misuse-adults", "family-nurse-partnership")
GAP_KINDS = ("commissioning-capacity", "service-coverage", "pathway", "governance", "workforce")

FIRST = ("Ash", "Bram", "Cal", "Dun", "Elm", "Fair", "Glen", "Hart", "Ival", "Kings", "Lang", "Marl", "Nor",
         "Oak", "Pen", "Ravens", "Stan", "Thorn", "Wal", "Yew")
SECOND = ("ford", "ley", "bury", "ton", "wick", "field", "ham", "mouth", "dale", "stead")
PREFIX = ("", "North ", "South ", "East ", "West ")

NATIONAL = (
    ("nhs-england", "NHS England", "NationalBody", ("NHSE", "NHS England local area team")),
    ("public-health-england", "Public Health England", "NationalBody", ("PHE",)),
    ("care-quality-commission", "Care Quality Commission", "NationalBody", ("CQC",)),
    ("ofsted", "Ofsted", "NationalBody", ("Office for Standards in Education",)),
)

WORDS = (
    "children looked after safeguarding health assessment review referral pathway staff training supervision "
    "designated nurse named doctor midwife health visitor school nurse GP practice emergency department "
    "young people risk domestic abuse MARAC MASH information sharing record keeping vulnerable families "
    "capacity commissioning arrangements oversight governance audit quality assurance caseload transition "
    "adult services mental health substance misuse sexual health child sexual exploitation strategy meetings "
    "consent voice of the child escalation thresholds early help"
).split()


def area_name(i: int) -> str:
    n = len(FIRST) * len(SECOND)
    base = FIRST[i % len(FIRST)] + SECOND[(i // len(FIRST)) % len(SECOND)]
    return PREFIX[(i // n) % len(PREFIX)] + base + ("" if i < n * len(PREFIX) else f" {i // (n * len(PREFIX))}")


def esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


class Quads:
    """Collects the quads of one report graph as N-Quads lines."""

    def __init__(self, graph: str) -> None:
        self.g = f"<{graph}>"
        self.lines: list[str] = []

    def iri(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"<{s}> <{p}> <{o}> {self.g} .\n")

    def lit(self, s: str, p: str, value: str, datatype: str | None = None, lang: str | None = None) -> None:
        tail = f"^^<{datatype}>" if datatype else (f"@{lang}" if lang else "")
        self.lines.append(f'<{s}> <{p}> "{esc(value)}"{tail} {self.g} .\n')


def sentence(rng: random.Random, n: int, names: list[str]) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    if names:
        words.insert(rng.randrange(len(words)), rng.choice(names))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def report_quads(i: int, seed: int) -> Quads:
    rng = random.Random(seed * 1_000_003 + i)
    area = area_name(i)
    year = 2013 + i % 6
    key = f"{V.slug(area)}-{year}"
    q = Quads(V.report_graph_iri(key))
    rep = V.report_iri(key)
    area_node = V.area_iri(area)

    # report and area
    q.iri(rep, RDF_TYPE, c("Report"))
    q.lit(rep, LABEL, f"Review of health services for Children Looked After and Safeguarding in {area}")
    q.iri(rep, c("area"), area_node)
    q.iri(area_node, RDF_TYPE, c("Area"))
    q.lit(area_node, LABEL, area)
    q.lit(rep, ISSUED, f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", XSD_DATE)
    q.lit(rep, c("reviewStart"), f"{year}-01-{rng.randint(1, 20):02d}", XSD_DATE)
    q.lit(rep, c("reviewEnd"), f"{year}-01-{rng.randint(21, 28):02d}", XSD_DATE)
    q.lit(rep, c("childrenConsidered"), str(rng.randint(30, 120)), XSD_INT)
    q.lit(rep, c("sourceFile"), f"{key}.txt")
    q.lit(rep, c("contentHash"), f"{rng.getrandbits(256):064x}")
    for name in ("A. Inspector", f"Inspector {i % 37}"):
        q.lit(rep, c("inspector"), name)

    # organisations: local, regional (shared by neighbouring areas) and national hubs
    orgs: list[tuple[str, str, str, tuple[str, ...]]] = []
    short = area.split()[-1]
    orgs.append((V.slug(f"{area} CCG"), f"{area} CCG", "ClinicalCommissioningGroup", (f"{short} CCG", "the CCG")))
    orgs.append((V.slug(f"{area} Rural CCG"), f"{area} Rural CCG", "ClinicalCommissioningGroup", ("Rural CCG",)))
    orgs.append((V.slug(f"{area} Council"), f"{area} Council", "LocalAuthority", (f"{short} Council", "the council")))
    orgs.append((V.slug(f"{area} Public Health"), f"{area} Public Health", "LocalAuthority", ("public health",)))
    orgs.append((V.slug(f"{area} NHS Foundation Trust"), f"{area} NHS Foundation Trust", "NHSFoundationTrust",
                 (f"{short} FT", "the trust")))
    region = i // 8
    rname = area_name(10_000 + region).split()[-1]
    orgs.append((V.slug(f"{rname} Partnership NHS Foundation Trust"), f"{rname} Partnership NHS Foundation Trust",
                 "NHSFoundationTrust", (f"{rname} Partnership",)))
    orgs.append((V.slug(f"{rname} Community NHS Trust"), f"{rname} Community NHS Trust", "NHSTrust",
                 (f"{rname} Community",)))
    orgs.append((V.slug(f"{area} Safeguarding Children Board"), f"{area} Safeguarding Children Board",
                 "Partnership", ("LSCB",)))
    orgs.append((V.slug(f"{rname} Young People's Trust"), f"{rname} Young People's Trust", "VoluntaryOrganisation",
                 ("YPT",)))
    orgs.append((V.slug(f"{rname} Healthcare Ltd"), f"{rname} Healthcare Ltd", "IndependentProvider", ()))
    orgs.extend(NATIONAL)
    org_iris = {k: V.org_iri(k) for k, _, _, _ in orgs}
    names = [n for _, n, _, _ in orgs]
    for k, name, typ, aliases in orgs:
        o = org_iris[k]
        q.iri(o, RDF_TYPE, c(typ))
        q.lit(o, LABEL, name)
        for a in aliases:
            q.lit(o, ALT, a)
        q.iri(rep, c("mentions"), o)
    ccg, rural, council, ph, ft, mh, comm, lscb, vol, ind = (org_iris[k] for k, _, _, _ in orgs[:10])
    nhse, phe = org_iris["nhs-england"], org_iris["public-health-england"]
    q.iri(ph, c("partOf"), council)
    q.iri(rep, c("ccgIncluded"), ccg)
    q.iri(rep, c("ccgIncluded"), rural)
    for p in (ft, mh, comm):
        q.iri(rep, c("providerIncluded"), p)

    # sections and findings
    sections = ["summary", "context", "journey-1", "journey-2", "journey-3", "journey-4",
                "management-5.1", "management-5.2", "management-5.3", "recommendations"]
    sec_iris = {}
    for s in sections:
        si = V.section_iri(key, s)
        sec_iris[s] = si
        q.iri(si, RDF_TYPE, c("Section"))
        q.lit(si, c("sectionKey"), s)
        q.iri(si, c("inReport"), rep)
    findings: list[str] = []
    for s_no, s in enumerate(sections[2:9], start=1):
        count = rng.randint(16, 24)
        for n in range(1, count + 1):
            number = f"{s_no}.{n}" if s_no <= 4 else f"5.{s_no - 4}.{n}"
            f = V.finding_iri(key, number)
            findings.append(number)
            q.iri(f, RDF_TYPE, c("Finding"))
            q.lit(f, c("number"), number)
            q.lit(f, c("text"), sentence(rng, rng.randint(25, 45), names))
            q.iri(f, c("inReport"), rep)
            q.iri(f, c("inSection"), sec_iris[s])
            for k, _, _, _ in rng.sample(orgs, rng.choice((1, 2))):
                q.iri(f, c("mentions"), org_iris[k])

    # recommendation groups and recommendations
    group_bodies = [[ccg, ft], [ccg, rural, council], [mh], [comm, ft], [nhse, ccg], [council, ph]]
    recs: list[str] = []
    for g_no, bodies in enumerate(group_bodies, start=1):
        gi = V.group_iri(key, str(g_no))
        q.iri(gi, RDF_TYPE, c("RecommendationGroup"))
        q.lit(gi, c("number"), str(g_no))
        q.lit(gi, c("heading"), " and ".join(names[list(org_iris.values()).index(b)] for b in bodies)
              + " should:")
        q.iri(gi, c("inReport"), rep)
        for r_no in range(1, rng.randint(3, 7) + 1):
            number = f"{g_no}.{r_no}"
            r = V.recommendation_iri(key, number)
            recs.append(number)
            q.iri(r, RDF_TYPE, c("Recommendation"))
            q.lit(r, c("number"), number)
            q.lit(r, c("text"), "Ensure that " + sentence(rng, rng.randint(12, 25), []).lower())
            q.iri(r, c("inReport"), rep)
            q.iri(r, c("inGroup"), gi)
            for b in bodies:
                q.iri(b, c("isResponsibleFor"), r)

    # citations: about a third of the findings cite one or two recommendations
    for number in findings:
        if rng.random() < 0.35:
            for rec in rng.sample(recs, rng.choice((1, 1, 2))):
                q.iri(V.finding_iri(key, number), c("cites"), V.recommendation_iri(key, rec))
    for u in range(rng.randint(0, 2)):
        number = f"{len(group_bodies) + 1}.{u + 1}"
        ui = V.local_iri(key, "unresolved-citation", number)
        q.iri(ui, RDF_TYPE, c("UnresolvedCitation"))
        q.lit(ui, c("number"), number)
        q.iri(ui, c("inReport"), rep)
        q.iri(V.finding_iri(key, rng.choice(findings)), c("citesUnresolved"), ui)

    # services in this area and the arrangements that commission and provide them
    keys = sorted(rng.sample(sorted(SERVICES), 18))
    for s in keys:
        si = V.area_service_iri(area, s)
        concept = V.service_concept_iri(s)
        q.iri(si, RDF_TYPE, c("Service"))
        q.iri(si, c("serviceType"), concept)
        q.iri(si, c("inArea"), area_node)
        q.lit(si, LABEL, f"{SERVICES[s]} in {area}")
        q.iri(concept, RDF_TYPE, c("ServiceConcept"))
        q.lit(concept, NOTATION, s)
        q.lit(concept, PREF, SERVICES[s], lang="en")
        q.iri(concept, IN_SCHEME, V.SERVICE_SCHEME)
    providers = [ft, mh, comm, vol, ind]
    for s in keys:
        si = V.area_service_iri(area, s)
        if s in NATIONAL_SERVICES and rng.random() < 0.7:
            commissioners = [nhse] if rng.random() < 0.85 else [phe]
        elif s in PUBLIC_HEALTH_SERVICES:
            commissioners = [ph] if rng.random() < 0.6 else [council]
        else:
            commissioners = [ccg] if rng.random() < 0.7 else [ccg, rural]
        for org in commissioners:
            arrangement(q, rng, key, "commissioning", org, s, si, findings, names)
        for org in rng.sample(providers, rng.choice((1, 1, 2))):
            arrangement(q, rng, key, "provision", org, s, si, findings, names)

    # transfers
    for t_no, s in enumerate(rng.sample(keys, 2)):
        t = V.local_iri(key, "transfer", f"{s}-{t_no}")
        q.iri(t, RDF_TYPE, c("CommissioningTransfer"))
        q.iri(t, c("service"), V.area_service_iri(area, s))
        q.iri(t, c("fromOrganisation"), nhse if t_no == 0 else ccg)
        q.iri(t, c("toOrganisation"), ph if t_no == 0 else council)
        q.lit(t, DATE, f"{2013 + t_no + i % 3}-{rng.randint(1, 12):02d}")
        q.iri(t, DERIVED, V.finding_iri(key, rng.choice(findings)))
        q.lit(t, c("evidence"), sentence(rng, 14, names))
        q.iri(t, c("inReport"), rep)

    # stated gaps
    for g_no in range(rng.randint(12, 18)):
        gi = V.local_iri(key, "gap", str(g_no + 1))
        src = rng.choice(findings)
        q.iri(gi, RDF_TYPE, c("Gap"))
        q.iri(gi, RDF_TYPE, c("StatedGap"))
        q.lit(gi, c("gapKind"), rng.choice(GAP_KINDS))
        q.iri(gi, c("concerns"), V.area_service_iri(area, rng.choice(keys)))
        if rng.random() < 0.3:
            q.iri(gi, c("concerns"), rng.choice([ccg, ft, mh, council]))
        q.iri(gi, DERIVED, V.finding_iri(key, src))
        q.lit(gi, c("quote"), sentence(rng, rng.randint(10, 20), []))
        q.iri(gi, c("inReport"), rep)
    return q


def arrangement(q: Quads, rng: random.Random, key: str, kind: str, org: str, service_key: str, service: str,
                findings: list[str], names: list[str]) -> None:
    src = rng.choice(findings)
    a = V.local_iri(key, f"{kind}-arrangement", f"{org.rsplit('/', 1)[1]}-{service_key}")
    q.iri(a, RDF_TYPE, c("CommissioningArrangement" if kind == "commissioning" else "ProvisionArrangement"))
    q.iri(a, c("organisation"), org)
    q.iri(a, c("service"), service)
    q.lit(a, c("evidence"), sentence(rng, rng.randint(10, 18), names))
    if rng.random() < 0.2:
        q.lit(a, c("scope"), rng.choice(("North", "South", "East", "West")) + " of the area")
    q.iri(a, DERIVED, V.finding_iri(key, src))
    q.iri(a, c("inReport"), V.report_iri(key))
    q.iri(org, c("commissions" if kind == "commissioning" else "provides"), service)


def generate(reports: int, seed: int = 1) -> Iterator[str]:
    """N-Quads text, one report graph at a time."""
    for i in range(reports):
        yield "".join(report_quads(i, seed).lines)


def write(reports: int, out: TextIO, seed: int = 1) -> int:
    lines = 0
    for chunk in generate(reports, seed):
        out.write(chunk)
        lines += chunk.count("\n")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--reports", "-n", type=int, required=True, help="number of reports (named graphs)")
    ap.add_argument("-o", "--output", required=True, help="N-Quads file to write ('-' for standard output)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = ap.parse_args(argv)
    if args.reports < 0:
        ap.error("--reports must be >= 0")
    if args.output == "-":
        n = write(args.reports, sys.stdout, args.seed)
    else:
        if not args.output.endswith(".nq"):
            ap.error("the output is N-Quads: give a file name ending in .nq")
        with open(args.output, "w", encoding="utf-8") as fh:
            n = write(args.reports, fh, args.seed)
    print(f"{args.reports} reports, {n} quads", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
