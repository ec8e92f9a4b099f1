"""IRIs: the ontology namespace and how instance IRIs are minted (stable, deterministic).

Organisations are keyed by canonical name only, so the same body in two reports is one node.
Findings, recommendations, arrangements and gaps are scoped to their report. Nothing here imports
rdflib: IRIs are plain strings, so the CLI and the store can use them without the rdflib import cost.
"""

from __future__ import annotations

import functools
import re
import unicodedata

CLAS = "https://w3id.org/clasgraph/ontology#"
ID = "https://w3id.org/clasgraph/id/"
SERVICE_SCHEME = ID + "scheme/services"
GAP_KIND_SCHEME = ID + "scheme/gap-kinds"
THEME_SCHEME = ID + "scheme/themes"
ONTOLOGY_GRAPH = ID + "graph/ontology"

ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"

PREFIXES = {
    "clas": CLAS,
    "id": ID,
    "org": ORG,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
}


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())


_NOT_SLUG = re.compile(r"[^a-z0-9.]+")
_FINDING_NUMBER = re.compile(r"\d+(\.\d+)+")


@functools.lru_cache(maxsize=4096)  # names and keys (areas, sections, sites), a few hundred a report
def slug(text: str) -> str:
    """Lower-case ASCII slug: "Stoke-on-Trent City Council" -> "stoke-on-trent-city-council"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ").replace("'", "")
    text = _NOT_SLUG.sub("-", text)
    return text.strip("-.") or "x"


def org_iri(key: str) -> str:
    return f"{ID}org/{key}"


def area_iri(area: str) -> str:
    return f"{ID}area/{slug(area)}"


def service_concept_iri(key: str) -> str:
    return f"{ID}service/{key}"


def area_service_iri(area: str, key: str) -> str:
    """Health visiting in Stockport is not health visiting in Staffordshire: one node per area."""
    return f"{ID}area/{slug(area)}/service/{key}"


def report_iri(report_key: str) -> str:
    return f"{ID}report/{report_key}"


def report_graph_iri(report_key: str) -> str:
    return f"{ID}graph/{report_key}"


def finding_iri(report_key: str, number: str) -> str:
    return f"{report_iri(report_key)}/finding/{number}"


def section_iri(report_key: str, section: str) -> str:
    return f"{report_iri(report_key)}/section/{slug(section)}"


def source_iri(report_key: str, source: str) -> str:
    """A fact's source: a finding number ("5.1.7") or a section key ("context")."""
    if _FINDING_NUMBER.fullmatch(source):
        return finding_iri(report_key, source)
    return section_iri(report_key, source)


def recommendation_iri(report_key: str, number: str) -> str:
    return f"{report_iri(report_key)}/recommendation/{number}"


def group_iri(report_key: str, number: str) -> str:
    return f"{report_iri(report_key)}/recommendation-group/{number}"


def local_iri(report_key: str, kind: str, local: str) -> str:
    """Any other report-scoped node (arrangement, transfer, gap, citation...)."""
    return f"{report_iri(report_key)}/{kind}/{slug(local)}"


def theme_iri(key: str) -> str:
    return f"{ID}theme/{key}"


def gap_kind_iri(key: str) -> str:
    return f"{ID}gap-kind/{key}"
