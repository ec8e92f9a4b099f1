"""Counts of what a graph holds, by SPARQL on pyoxigraph (fast on a store of any size)."""

from __future__ import annotations

from typing import Any

from .vocab import CLAS, RDF

# label -> class IRI counted with ``a``
CLASS_COUNTS = (
    ("reports", CLAS + "Report"),
    ("findings", CLAS + "Finding"),
    ("recommendations", CLAS + "Recommendation"),
    ("services (area)", CLAS + "Service"),
    ("commissioning arrangements", CLAS + "CommissioningArrangement"),
    ("provision arrangements", CLAS + "ProvisionArrangement"),
    ("commissioning transfers", CLAS + "CommissioningTransfer"),
    ("gaps", CLAS + "Gap"),
    ("unresolved citations", CLAS + "UnresolvedCitation"),
)
PROPERTY_COUNTS = (
    ("commissions", CLAS + "commissions"),
    ("provides", CLAS + "provides"),
    ("isResponsibleFor", CLAS + "isResponsibleFor"),
    ("cites", CLAS + "cites"),
)


def graph_stats(g: Any) -> dict[str, int]:
    """Counts for a GraphSource (graph/io.py) or an rdflib graph/Dataset. Distinct nodes, not copies."""
    queries: list[tuple[str, str]] = [("triples", "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                                                  "WHERE { GRAPH ?g { ?s ?p ?o } } }")]
    queries.append(("named graphs", "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
    queries += [(label, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ ?x <{RDF}type> <{iri}> }} }}")
                for label, iri in CLASS_COUNTS]
    queries.append(("organisations", f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ ?x <{RDF}type> ?c . "
                                     f"FILTER(?c IN ({', '.join(f'<{CLAS}{t}>' for t in ORG_CLASSES)})) }} }}"))
    queries += [(label, f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ GRAPH ?g {{ ?s <{iri}> ?o }} }} }}")
                for label, iri in PROPERTY_COUNTS]
    out: dict[str, int] = {}
    for label, q in queries:
        if hasattr(g, "store") and label in STORE_SHORTCUTS:
            out[label] = STORE_SHORTCUTS[label](g)
        else:
            out[label] = _count(g, q)
    return out


def _distinct_triples(source: Any) -> int:
    """Distinct triples over every graph: pyoxigraph's union default graph (``GraphSource.query``) holds
    them already merged, about twice as fast as DISTINCT over ``GRAPH ?g`` (1.3 s against 2.6 s on 200
    reports); a GraphSource keeps even a triples file in a named graph, so the default graph adds nothing."""
    rows = list(source.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"))
    return int(rows[0]["n"].value) if rows else 0


def _named_graphs(source: Any) -> int:
    """Named graphs that hold triples, from the store's list of graphs (0.02 s against 0.6 s by SPARQL on
    200 reports). A named graph left empty is not counted, as with ``GRAPH ?g { ?s ?p ?o }``."""
    store = source.store
    return sum(1 for g in store.named_graphs() if next(iter(store.quads_for_pattern(None, None, None, g)), None)
               is not None)


STORE_SHORTCUTS = {"triples": _distinct_triples, "named graphs": _named_graphs}


ORG_CLASSES = ("Organisation", "ClinicalCommissioningGroup", "NHSTrust", "NHSFoundationTrust", "LocalAuthority",
               "NationalBody", "VoluntaryOrganisation", "IndependentProvider", "Partnership", "GPPractice")


def _count(g: Any, sparql: str) -> int:
    if hasattr(g, "store"):  # GraphSource
        rows = list(g.store.query(sparql))
        return int(rows[0]["n"].value) if rows else 0
    # rdflib: named graphs as GRAPH ?g; a plain Graph has none, so query its triples directly
    import rdflib

    if not isinstance(g, rdflib.Dataset | rdflib.ConjunctiveGraph):
        sparql = sparql.replace("GRAPH ?g {", "{")
    res = list(g.query(sparql))
    return int(res[0][0]) if res else 0
