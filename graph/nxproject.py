"""The networkx projection of the CLAS RDF graph, and the sub-graphs ("views") drawn and exported.

``project(source)`` reads only what a network needs: the relation edges between things
(commissions, provides, isResponsibleFor, cites, concerns, answeredBy, theme, the two ends and the
service of a commissioning transfer, partOf) and a few short literals per node. Text is never a node:
names, numbers, quotes and the evidence of the qualified arrangements become typed attributes.

Nodes are keyed by IRI (blank nodes as ``_:id``) and carry

- ``kind``: one of ``KINDS`` (an organisation's class local name, "Service", "Recommendation"...);
- ``label``: a short label to draw; ``name``: the full name; ``aliases``: other names (organisations);
- ``area``, ``report``: the area and report key of area- or report-scoped nodes, where known;
- ``number``, ``text``: of findings and recommendations; ``gap_kind`` of gaps; ``date`` of transfers;
- ``evidence``: a list of ``Quote`` (gaps: the stated quote with its paragraph; transfers: their evidence).

Edges are keyed by their relation and carry ``relation`` and ``evidence`` (a list of ``Quote``: the
commissioning and provision arrangements behind a commissions/provides edge).

``source`` is anything ``as_source`` accepts: an RDF file path, a store directory, a pyoxigraph Store,
or an rdflib Graph/Dataset. Pattern look-ups by predicate keep it fast on large graphs; nothing here
imports pyvis.

Views (what `clasgraph render` and `clasgraph export --view` draw): ``select_view(G, name, ...)`` on
a projection in memory, or ``view_from_source(source, name, ...)``, which reads only what the view
needs: the column views project only their own relations (``VIEW_NEEDS``), the org view walks out from
the body by look-ups (``neighbourhood``), and the query view describes only the nodes of the result
(``describe``). ``attach_details`` then adds the long texts to what is drawn.
"""

from __future__ import annotations

import difflib
import gc
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..build.model import ORG_TYPES
from . import vocab as V

if TYPE_CHECKING:
    import networkx as nx


class ViewError(ValueError):
    """A view cannot be drawn as asked (unknown area, no body of that name...); one line for the user."""


# --------------------------------------------------------------------------------------------- terms


@dataclass(frozen=True)
class Lit:
    """An RDF literal: its lexical value and language tag."""

    value: str
    lang: str | None = None


Term = str | Lit  # a node id (IRI, or "_:id" for a blank node) or a literal


@dataclass(frozen=True)
class Quote:
    """The words of a report a fact was read from, and where: paragraph number or section key."""

    text: str
    paragraph: str | None = None
    report: str | None = None
    scope: str | None = None

    def render(self) -> str:
        where = []
        if self.paragraph:
            where.append(f"¶{self.paragraph}" if self.paragraph[:1].isdigit() else self.paragraph)
        if self.report:
            where.append(self.report)
        if self.scope:
            where.append(f"scope: {self.scope}")
        tail = f" ({', '.join(where)})" if where else ""
        return f"“{clip(self.text, 400)}”{tail}"


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -------------------------------------------------------------------------------------- the sources


class TripleSource(Protocol):
    """What the projection needs from a graph: all (subject, object) pairs of a predicate, the
    objects of one subject's predicate, the subjects with a given object, and CONSTRUCT queries. All
    read the union of all named graphs, without duplicates."""

    def pairs(self, predicate: str) -> Iterable[tuple[str, Term]]: ...

    def values(self, subject: str, predicate: str) -> list[Term]: ...

    def subjects(self, predicate: str, obj: str) -> list[str]: ...

    def construct(self, query: str) -> list[tuple[str, str, Term]]: ...


class OxigraphSource:
    """A pyoxigraph Store (in memory or on disk)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    @staticmethod
    def _term(t: Any) -> Term:
        import pyoxigraph as ox

        if isinstance(t, ox.NamedNode):
            return str(t.value)
        if isinstance(t, ox.BlankNode):
            return "_:" + str(t.value)
        if isinstance(t, ox.Literal):
            return Lit(str(t.value), t.language)
        return str(t)

    def pairs(self, predicate: str) -> Iterable[tuple[str, Term]]:
        import pyoxigraph as ox

        seen: set[tuple[str, Term]] = set()
        add = seen.add
        NN, LT, BN = ox.NamedNode, ox.Literal, ox.BlankNode
        for q in self.store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            s, o = q.subject, q.object
            sv = s.value if type(s) is NN else "_:" + s.value if type(s) is BN else str(s)
            t = type(o)
            add((sv, o.value if t is NN else Lit(o.value, o.language) if t is LT else
                 "_:" + o.value if t is BN else str(o)))
        return seen

    @staticmethod
    def _node(node: str) -> Any:
        import pyoxigraph as ox

        return ox.BlankNode(node[2:]) if node.startswith("_:") else ox.NamedNode(node)

    def values(self, subject: str, predicate: str) -> list[Term]:
        import pyoxigraph as ox

        try:
            quads = self.store.quads_for_pattern(self._node(subject), ox.NamedNode(predicate), None, None)
        except ValueError:  # not a valid IRI: nothing can be stated about it
            return []
        return list(dict.fromkeys(self._term(q.object) for q in quads))

    def subjects(self, predicate: str, obj: str) -> list[str]:
        import pyoxigraph as ox

        try:
            quads = self.store.quads_for_pattern(None, ox.NamedNode(predicate), self._node(obj), None)
        except ValueError:
            return []
        return list(dict.fromkeys(str(self._term(q.subject)) for q in quads))

    def construct(self, query: str) -> list[tuple[str, str, Term]]:
        import pyoxigraph as ox

        try:
            result = self.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise ViewError(f"the query is not valid SPARQL: {str(exc).splitlines()[0]}") from None
        if not isinstance(result, ox.QueryTriples):
            raise ViewError("the query must be a SPARQL CONSTRUCT (or DESCRIBE) query: it returns a graph to draw")
        out: list[tuple[str, str, Term]] = []
        for t in result:
            out.append((str(self._term(t.subject)), str(t.predicate.value), self._term(t.object)))
        return out


class RdflibSource:
    """An rdflib Graph, Dataset or ConjunctiveGraph (named graphs are read as one union)."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph

    @staticmethod
    def _term(t: Any) -> Term:
        import rdflib

        if isinstance(t, rdflib.URIRef):
            return str(t)
        if isinstance(t, rdflib.BNode):
            return "_:" + str(t)
        if isinstance(t, rdflib.Literal):
            return Lit(str(t), t.language)
        return str(t)

    def pairs(self, predicate: str) -> Iterable[tuple[str, Term]]:
        import rdflib

        p = rdflib.URIRef(predicate)
        g = self.graph
        if isinstance(g, rdflib.ConjunctiveGraph | rdflib.Dataset):
            triples: Iterable[Any] = ((s, o) for s, _, o, _ in g.quads((None, p, None, None)))
        else:
            triples = ((s, o) for s, _, o in g.triples((None, p, None)))
        return {(str(self._term(s)), self._term(o)) for s, o in triples}

    @staticmethod
    def _node(node: str) -> Any:
        import rdflib

        return rdflib.BNode(node[2:]) if node.startswith("_:") else rdflib.URIRef(node)

    def values(self, subject: str, predicate: str) -> list[Term]:
        import rdflib

        objs = self.graph.objects(self._node(subject), rdflib.URIRef(predicate))
        return list(dict.fromkeys(self._term(o) for o in objs))

    def subjects(self, predicate: str, obj: str) -> list[str]:
        import rdflib

        subs = self.graph.subjects(rdflib.URIRef(predicate), self._node(obj))
        return list(dict.fromkeys(str(self._term(x)) for x in subs))

    def construct(self, query: str) -> list[tuple[str, str, Term]]:
        try:
            result = self.graph.query(query)
        except Exception as exc:  # rdflib raises pyparsing errors and others
            raise ViewError(f"the query is not valid SPARQL: {str(exc).splitlines()[0]}") from None
        if result.type not in ("CONSTRUCT", "DESCRIBE") or result.graph is None:
            raise ViewError("the query must be a SPARQL CONSTRUCT (or DESCRIBE) query: it returns a graph to draw")
        return [(str(self._term(s)), str(p), self._term(o)) for s, p, o in result.graph]


def as_source(source: Any) -> TripleSource:
    """A ``TripleSource`` for an RDF file or store directory (``Path``/``str``), a pyoxigraph Store,
    an rdflib graph, or anything already providing ``pairs``/``construct``."""
    if hasattr(source, "pairs") and hasattr(source, "construct"):
        return source  # type: ignore[no-any-return]
    if isinstance(source, str | Path):
        return _open_path(Path(source))
    mod = type(source).__module__
    if mod.startswith("pyoxigraph"):
        return OxigraphSource(source)
    if mod.startswith("rdflib"):
        return RdflibSource(source)
    store = getattr(source, "store", None)  # a wrapper around a pyoxigraph store
    if store is not None and type(store).__module__.startswith("pyoxigraph"):
        return OxigraphSource(store)
    raise TypeError(f"cannot read a graph from {type(source).__name__}")


def _open_path(path: Path) -> TripleSource:
    """An RDF file (loaded into an in-memory pyoxigraph store, 15-20x faster than rdflib on large
    graphs) or a store directory (opened read-only in place), through ``graph.io.open_source``."""
    from .io import open_source

    return OxigraphSource(open_source(path).store)


# ------------------------------------------------------------------------------------ the projection

C = V.CLAS
RDF_TYPE = V.RDF + "type"
LABEL = V.RDFS + "label"
ALT_LABEL = V.SKOS + "altLabel"
PREF_LABEL = V.SKOS + "prefLabel"
NOTATION = V.SKOS + "notation"
DERIVED = V.PROV + "wasDerivedFrom"
DATE = V.DCTERMS + "date"

ORG_KINDS = ORG_TYPES  # the contract's organisation classes, most specific first
OTHER_KINDS = (
    "Service",
    "Transfer",
    "Recommendation",
    "UnresolvedCitation",
    "Finding",
    "Gap",
    "Theme",
    "ServiceConcept",
    "Report",
    "Area",
    "Section",
    "Other",
)
KINDS = ORG_KINDS + OTHER_KINDS

KIND_LABELS = {
    "ClinicalCommissioningGroup": "Clinical commissioning group",
    "NHSTrust": "NHS trust",
    "NHSFoundationTrust": "NHS foundation trust",
    "LocalAuthority": "Local authority",
    "NationalBody": "National body",
    "VoluntaryOrganisation": "Voluntary organisation",
    "IndependentProvider": "Independent provider",
    "Partnership": "Partnership",
    "GPPractice": "GP practice",
    "Organisation": "Organisation (other)",
    "Service": "Service",
    "Transfer": "Commissioning transfer",
    "Recommendation": "Recommendation",
    "UnresolvedCitation": "Unresolved citation",
    "Finding": "Finding",
    "Gap": "Gap",
    "Theme": "Theme",
    "ServiceConcept": "Service type",
    "Report": "Report",
    "Area": "Area",
    "Section": "Report section",
    "Other": "Other",
}

# rdf:type -> kind; a lower rank wins when a node has several types.
_CLASS_KIND: dict[str, tuple[int, str]] = {C + k: (i, k) for i, k in enumerate(ORG_KINDS)}
_CLASS_KIND.update({
    C + "Service": (20, "Service"),
    C + "CommissioningTransfer": (20, "Transfer"),
    C + "Recommendation": (20, "Recommendation"),
    C + "UnresolvedCitation": (20, "UnresolvedCitation"),
    C + "Finding": (20, "Finding"),
    C + "StatedGap": (20, "Gap"),
    C + "StructuralGap": (20, "Gap"),
    C + "Gap": (21, "Gap"),
    C + "Theme": (20, "Theme"),
    C + "ServiceConcept": (22, "ServiceConcept"),
    C + "Report": (20, "Report"),
    C + "Area": (20, "Area"),
    C + "Section": (20, "Section"),
    C + "CommissioningArrangement": (20, "CommissioningArrangement"),
    C + "ProvisionArrangement": (20, "ProvisionArrangement"),
})

# The relation edges projected by default: predicate -> relation name (the predicate's local name).
RELATIONS: dict[str, str] = {
    C + name: name
    for name in ("commissions", "provides", "isResponsibleFor", "cites", "citesUnresolved", "concerns",
                 "answeredBy", "theme", "fromOrganisation", "toOrganisation", "partOf")
}
TRANSFER_SERVICE = "service"  # clas:service, projected from transfers only (arrangements are qualifiers)

RELATION_LABELS = {
    "commissions": "commissions",
    "provides": "provides",
    "isResponsibleFor": "responsible for",
    "cites": "cites",
    "citesUnresolved": "cites (no such recommendation)",
    "concerns": "concerns",
    "answeredBy": "answered by",
    "theme": "theme",
    "fromOrganisation": "transferred from",
    "toOrganisation": "transferred to",
    "service": "transfer of",
    "partOf": "part of",
}

# Kinds implied by a node's place in a relation, for nodes without a (known) rdf:type.
_IMPLIED: dict[str, tuple[str | None, str | None]] = {
    "commissions": ("Organisation", "Service"),
    "provides": ("Organisation", "Service"),
    "isResponsibleFor": ("Organisation", "Recommendation"),
    "cites": ("Finding", "Recommendation"),
    "citesUnresolved": ("Finding", "UnresolvedCitation"),
    "concerns": ("Gap", None),
    "answeredBy": ("Gap", "Recommendation"),
    "theme": (None, "Theme"),
    "fromOrganisation": ("Transfer", "Organisation"),
    "toOrganisation": ("Transfer", "Organisation"),
    "partOf": ("Organisation", "Organisation"),
}

# Always nodes, with or without relations (a body nobody links to can still be the focus of a view).
_ALWAYS = {"Service", "Transfer", "Recommendation", "Gap", *ORG_KINDS}

_GAP_SHORT = {
    "commissioning-capacity": "capacity",
    "service-coverage": "coverage",
    "pathway": "pathway",
    "governance": "governance",
    "workforce": "workforce",
}

_ABBREVIATIONS = (
    ("Clinical Commissioning Group", "CCG"),
    ("NHS Foundation Trust", "NHS FT"),
    ("Foundation Trust", "FT"),
    ("Metropolitan Borough Council", "MBC"),
    ("Safeguarding Children Board", "SCB"),
    ("Safeguarding Children Partnership", "SCP"),
    ("Health and Wellbeing Board", "HWB"),
    ("Multi-Agency Safeguarding Hub", "MASH"),
    ("Partnership", "Partn."),
)
SHORT_LABEL = 26


def local_name(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri


def report_key_of(node: str) -> str | None:
    """The report key of a report-scoped IRI minted by graph/vocab.py."""
    prefix = V.ID + "report/"
    if node.startswith(prefix):
        return node[len(prefix):].split("/", 1)[0] or None
    return None


def org_short_label(name: str, aliases: Iterable[str], alias_use: Mapping[str, int] | None = None) -> str:
    """A short label for a body: its name if short, else an acronym only it uses, else an abbreviation."""
    if len(name) <= SHORT_LABEL:
        return name
    use = alias_use or {}
    acronyms = sorted(
        (a for a in aliases
         if 2 <= len(a) <= 12 and a.replace("&", "").replace("-", "").isalnum() and a.upper() == a
         and use.get(a.casefold(), 1) == 1),
        key=lambda a: (-len(a), a),
    )
    if acronyms:
        return acronyms[0]
    short = name
    for long, abbr in _ABBREVIATIONS:
        short = re.sub(re.escape(long), abbr, short, flags=re.I)
        if len(short) <= SHORT_LABEL:
            return short
    return clip(short, SHORT_LABEL)


def _first(values: Iterable[Lit], prefer_lang: str = "en") -> str | None:
    best: Lit | None = None
    for v in values:
        if best is None or (v.lang in (prefer_lang, None) and best.lang not in (prefer_lang, None)) or (
            (v.lang in (prefer_lang, None)) == (best.lang in (prefer_lang, None)) and v.value < best.value
        ):
            best = v
    return best.value if best is not None else None


def _literals(src: TripleSource, predicate: str, keep: Callable[[str], bool]) -> dict[str, list[Lit]]:
    out: dict[str, list[Lit]] = defaultdict(list)
    for s, o in src.pairs(predicate):
        if isinstance(o, Lit) and keep(s):
            out[s].append(o)
    return out


_NUMBERED = re.compile(r"/(finding|recommendation|unresolved-citation|recommendation-group)/([^/]+)$")


def _number_from_iri(node: str) -> str | None:
    m = _NUMBERED.search(node)
    return m.group(2) if m and re.fullmatch(r"\d+(\.\d+)*", m.group(2)) else None


def project(source: Any, *, relations: Mapping[str, str] | None = None, kinds: Iterable[str] | None = None,
            details: bool = True) -> nx.MultiDiGraph:
    """Project the relation edges of ``source`` into a networkx MultiDiGraph (see the module doc).

    ``relations`` maps predicate IRIs to relation names (default ``RELATIONS``); ``kinds`` are the
    kinds of node kept even without an edge (default: bodies, services, transfers, recommendations
    and gaps). With ``details=False`` the long literals (finding and recommendation text, quotes, the
    evidence of arrangements) are left out; ``attach_details`` adds them later to the nodes that need
    them, which is how a view of a large corpus stays fast.
    """
    src = as_source(source)
    with _gc_paused():
        G = _project(src, dict(RELATIONS if relations is None else relations),
                     set(_ALWAYS if kinds is None else kinds))
    if details:
        attach_details(G, src)
    return G


# What each layered view needs from the graph: reading only that keeps a view of 1,000 reports fast.
VIEW_NEEDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "commissioning": (("commissions", "provides", "fromOrganisation", "toOrganisation"), ("Service", "Transfer")),
    "recommendations": (("isResponsibleFor", "cites", "citesUnresolved", "theme"), ("Recommendation",)),
    "gaps": (("concerns", "answeredBy"), ("Gap",)),
}


def project_for_view(source: Any, view: str) -> nx.MultiDiGraph:
    """The projection a view needs (without details): the relations and kinds it draws, or all."""
    if view in VIEW_NEEDS:
        rels, kinds = VIEW_NEEDS[view]
        return project(source, relations={C + r: r for r in rels}, kinds=(*ORG_KINDS, *kinds), details=False)
    return project(source, details=False)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Building hundreds of thousands of small objects triggers the cyclic collector again and
    again for nothing (none of them form cycles): pause it meanwhile."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _project(src: TripleSource, rels: dict[str, str], always: set[str]) -> nx.MultiDiGraph:
    rel_names = set(rels.values())
    scan = always | set(ORG_KINDS) | {"Service", "Theme", "ServiceConcept", "Area"}
    if rel_names & {"fromOrganisation", "toOrganisation"}:
        scan.add("Transfer")
    if rel_names & {"concerns", "answeredBy"}:
        scan.add("Gap")

    # kinds: one scan per class of interest (findings, sections and the like are never scanned)
    kind: dict[str, str] = {}
    rank: dict[str, int] = {}
    for cls, (r, k) in _CLASS_KIND.items():
        if k not in scan:
            continue
        for s in src.subjects(RDF_TYPE, cls):
            if s not in rank or r < rank[s]:
                rank[s], kind[s] = r, k
    reports = src.subjects(RDF_TYPE, C + "Report")
    for s in reports:
        kind.setdefault(s, "Report")
    del rank

    # relation edges (node to node only: literals are never nodes)
    edges: dict[tuple[str, str, str], list[Quote]] = {}
    for pred, rel in rels.items():
        subj_kind, obj_kind = _IMPLIED.get(rel, (None, None))
        for s, o in src.pairs(pred):
            if isinstance(o, Lit):
                continue
            edges[(s, o, rel)] = []
            if subj_kind and s not in kind:
                kind[s] = subj_kind
            if obj_kind and o not in kind:
                kind[o] = obj_kind
    # the service of each transfer (looked up per transfer: arrangements share the predicate)
    service_of: dict[str, str] = {}
    for t in [n for n, k in kind.items() if k == "Transfer"]:
        svc = next((v for v in src.values(t, C + "service") if isinstance(v, str)), None)
        if svc is not None:
            service_of[t] = svc
            edges[(t, svc, TRANSFER_SERVICE)] = []
            kind.setdefault(svc, "Service")
    # a graph that states arrangements only in qualified form still gives commissions/provides edges
    wanted = {r for r in ("commissions", "provides") if C + r in rels}
    if wanted and not any(rel in wanted for _, _, rel in edges):
        arrangement = {C + "CommissioningArrangement": "commissions", C + "ProvisionArrangement": "provides"}
        for cls, rel in arrangement.items():
            if rel not in wanted:
                continue
            for a in src.subjects(RDF_TYPE, cls):
                org = next((v for v in src.values(a, C + "organisation") if isinstance(v, str)), None)
                svc = next((v for v in src.values(a, C + "service") if isinstance(v, str)), None)
                if org is not None and svc is not None:
                    edges.setdefault((org, svc, rel), [])
                    kind.setdefault(org, "Organisation")
                    kind.setdefault(svc, "Service")

    nodes: set[str] = {n for s, o, _ in edges for n in (s, o)}
    nodes.update(n for n, k in kind.items() if k in always)
    names = _names_by_scan(src, nodes, kind, reports, gaps="Gap" in scan)
    names.service_of.update(service_of)
    return _build(src, nodes, kind, edges, names)


@dataclass
class _Names:
    """The short literals a node's label and name are made of, gathered by scans or by look-ups."""

    labels: dict[str, list[Lit]] = field(default_factory=dict)
    alt: dict[str, list[Lit]] = field(default_factory=dict)
    pref: dict[str, list[Lit]] = field(default_factory=dict)
    notation: dict[str, list[Lit]] = field(default_factory=dict)
    gap_kind: dict[str, list[Lit]] = field(default_factory=dict)
    area_label: dict[str, str] = field(default_factory=dict)
    area_of: dict[str, str] = field(default_factory=dict)
    report_area: dict[str, str] = field(default_factory=dict)
    service_type: dict[str, str] = field(default_factory=dict)
    service_of: dict[str, str] = field(default_factory=dict)

    def concept_label(self, n: str) -> str | None:
        return _first(self.pref.get(n, [])) or _first(self.labels.get(n, [])) or _first(self.notation.get(n, []))


def _area_name(o: Term, area_label: Mapping[str, str]) -> str:
    return o.value if isinstance(o, Lit) else area_label.get(o) or local_name(o).replace("-", " ").title()


def _names_by_scan(src: TripleSource, nodes: set[str], kind: Mapping[str, str], reports: Iterable[str],
                   gaps: bool) -> _Names:
    in_graph = nodes.__contains__
    names = _Names()
    names.labels = _literals(src, LABEL, in_graph)
    names.alt = _literals(src, ALT_LABEL, in_graph)
    concepts = {n for n, k in kind.items() if k in ("ServiceConcept", "Theme")}
    names.pref = _literals(src, PREF_LABEL, concepts.__contains__)
    names.notation = _literals(src, NOTATION, concepts.__contains__)
    names.gap_kind = _literals(src, C + "gapKind", in_graph) if gaps else {}
    # areas: of services (clas:inArea) and of reports (clas:area)
    area_nodes = {n for n, k in kind.items() if k == "Area"}
    names.area_label = {s: _first(v) or local_name(s)
                        for s, v in _literals(src, LABEL, area_nodes.__contains__).items()}
    report_set = set(reports)
    for pred in (C + "inArea", C + "area"):
        for s, o in src.pairs(pred):
            if s in report_set:
                names.report_area[report_key_of(s) or local_name(s)] = _area_name(o, names.area_label)
            elif s in nodes:
                names.area_of[s] = _area_name(o, names.area_label)
    for s, o in src.pairs(C + "serviceType"):
        if isinstance(o, str) and s in nodes:
            names.service_type[s] = o
            if o not in concepts:  # an untyped concept: still name it
                names.pref[o] = src_literals(src, o, PREF_LABEL)
                names.notation[o] = src_literals(src, o, NOTATION)
                concepts.add(o)
    return names


def _report_areas(src: TripleSource, names: _Names) -> None:
    """Area of every report (few: one per report), for the area of report-scoped nodes."""
    for s, o in src.pairs(C + "area"):
        if isinstance(o, str) and o not in names.area_label:
            names.area_label[o] = _first(src_literals(src, o, LABEL)) or local_name(o)
        names.report_area[report_key_of(s) or local_name(s)] = _area_name(o, names.area_label)


def _names_by_lookup(src: TripleSource, nodes: Iterable[str], kind: Mapping[str, str]) -> _Names:
    """The same literals as ``_names_by_scan``, looked up node by node: for a few nodes of a big graph."""
    names = _Names()
    _report_areas(src, names)
    concepts: set[str] = set()
    for n in nodes:
        k = kind.get(n)
        names.labels[n] = src_literals(src, n, LABEL)
        if k in ORG_KINDS:
            names.alt[n] = src_literals(src, n, ALT_LABEL)
        elif k == "Gap":
            names.gap_kind[n] = src_literals(src, n, C + "gapKind")
        elif k in ("Theme", "ServiceConcept"):
            concepts.add(n)
        elif k == "Area":
            names.area_label[n] = _first(names.labels[n]) or local_name(n)
        elif k == "Transfer":
            svc = next((v for v in src.values(n, C + "service") if isinstance(v, str)), None)
            if svc is not None:
                names.service_of[n] = svc
                st = next((v for v in src.values(svc, C + "serviceType") if isinstance(v, str)), None)
                if st is not None:
                    names.service_type[svc] = st
                    concepts.add(st)
        if k == "Service":
            st = next((v for v in src.values(n, C + "serviceType") if isinstance(v, str)), None)
            if st is not None:
                names.service_type[n] = st
                concepts.add(st)
            area = next(iter(src.values(n, C + "inArea")), None)
            if area is not None:
                if isinstance(area, str) and area not in names.area_label:
                    names.area_label[area] = _first(src_literals(src, area, LABEL)) or local_name(area)
                names.area_of[n] = _area_name(area, names.area_label)
    for c in concepts:
        names.pref[c] = src_literals(src, c, PREF_LABEL)
        names.notation[c] = src_literals(src, c, NOTATION)
        names.labels.setdefault(c, src_literals(src, c, LABEL))
    return names


def _kind_by_lookup(src: TripleSource, n: str) -> str | None:
    best: tuple[int, str] | None = None
    for t in src.values(n, RDF_TYPE):
        ck = _CLASS_KIND.get(t) if isinstance(t, str) else None
        if ck is not None and (best is None or ck < best):
            best = ck
    return best[1] if best else None


def _build(src: TripleSource, nodes: Iterable[str], kind: Mapping[str, str],
           edges: Mapping[tuple[str, str, str], list[Quote]], names: _Names) -> nx.MultiDiGraph:
    import networkx as nx

    nodes = set(nodes)
    labels, alt, area_of, report_area = names.labels, names.alt, names.area_of, names.report_area
    service_type, notation, concept_label = names.service_type, names.notation, names.concept_label
    alias_use: dict[str, int] = defaultdict(int)
    for n, vals in alt.items():
        if kind.get(n) in ORG_KINDS:
            for v in {v.value.casefold() for v in vals}:
                alias_use[v] += 1

    G: nx.MultiDiGraph = nx.MultiDiGraph()
    G.graph["report_area"] = report_area
    node_rows = []
    for n in nodes:
        k = kind.get(n, "Other")
        attrs: dict[str, Any] = {"kind": k}
        report = report_key_of(n)
        if report:
            attrs["report"] = report
        area = area_of.get(n) or (report_area.get(report) if report else None)
        if area:
            attrs["area"] = area
        name = _first(labels.get(n, []))
        num: str | None = None
        if k in ("Recommendation", "Finding", "UnresolvedCitation"):
            num = _number_from_iri(n) or _first(src_literals(src, n, C + "number"))
            if num:
                attrs["number"] = num
        if k in ORG_KINDS:
            aliases = sorted({a.value for a in alt.get(n, [])} - {name})
            name = name or (aliases[0] if aliases else local_name(n))
            attrs["aliases"] = aliases
            label = org_short_label(name, aliases, alias_use)
        elif k == "Service":
            concept = service_type.get(n)
            short = (concept_label(concept) if concept else None) or name or local_name(n).replace("-", " ")
            if concept:
                attrs["service_type"] = _first(notation.get(concept, [])) or local_name(concept)
            key = attrs.get("service_type", "")
            if len(short) > 30 and key and len(key) <= 8 and key.isalnum():
                label = key.upper()  # "camhs" -> "CAMHS"
            else:
                label = clip(short, 34)
            name = name or (f"{short} ({area})" if area else short)
        elif k == "Recommendation":
            label = f"Rec {num}" if num else clip(name or local_name(n), 20)
            name = f"Recommendation {num or local_name(n)}" + (f" ({report})" if report else "")
        elif k == "UnresolvedCitation":
            label = f"Rec {num}?" if num else "Rec ?"
            name = f"Recommendation {num or '?'} cited but not in the report" + (f" ({report})" if report else "")
        elif k == "Finding":
            label = f"¶{num}" if num else clip(name or local_name(n), 20)
            name = f"Finding {num or local_name(n)}" + (f" ({report})" if report else "")
        elif k == "Gap":
            gk = _first(names.gap_kind.get(n, [])) or "gap"
            attrs["gap_kind"] = gk
            label = f"{_GAP_SHORT.get(gk, clip(gk, 14))} gap"
            name = f"{gk.replace('-', ' ').capitalize()} gap" + (f" ({report})" if report else "")
        elif k == "Transfer":
            date = _first(src_literals(src, n, DATE))
            if date:
                attrs["date"] = date
            label = f"transfer {date}" if date else "transfer"
            svc = names.service_of.get(n)
            svc_name = (concept_label(service_type[svc]) if svc in service_type else None) or (
                local_name(svc) if svc else "a service")
            name = f"Transfer of commissioning of {svc_name}" + (f" ({date})" if date else "")
        elif k in ("Theme", "ServiceConcept"):
            name = concept_label(n) or local_name(n).replace("-", " ")
            label = clip(name, 30)
        else:
            name = name or (names.area_label.get(n) if k == "Area" else None) or local_name(n)
            label = clip(name, 30)
        attrs["label"] = label
        attrs["name"] = name
        node_rows.append((n, attrs))
    G.add_nodes_from(node_rows)
    rows: Any = (
        (s, o, rel, {"relation": rel, "evidence": quotes_})
        for (s, o, rel), quotes_ in edges.items()
        if s in nodes and o in nodes
    )
    G.add_edges_from(rows)
    return G


def src_literals(src: TripleSource, subject: str, predicate: str) -> list[Lit]:
    return [v for v in src.values(subject, predicate) if isinstance(v, Lit)]


def _paragraph(src: TripleSource, node: str | None) -> str | None:
    """The paragraph a fact derives from: the finding's number, else the section's key."""
    if node is None:
        return None
    num = _number_from_iri(node) or _first(src_literals(src, node, C + "number"))
    if num:
        return num
    return _first(src_literals(src, node, C + "sectionKey")) or local_name(node)


def attach_details(G: nx.MultiDiGraph, source: Any, nodes: Iterable[str] | None = None) -> None:
    """Add the long literals to ``nodes`` (default: all) of a projection, in place: the text of
    findings and recommendations, the quote and paragraph of gaps, the evidence of transfers, and the
    evidence of the commissioning and provision arrangements behind commissions/provides edges."""
    src = as_source(source)
    wanted = list(G.nodes) if nodes is None else [n for n in nodes if n in G]
    for n in wanted:
        attrs = G.nodes[n]
        k = attrs.get("kind")
        if k in ("Finding", "Recommendation"):
            text = _first(src_literals(src, n, C + "text"))
            if text:
                attrs["text"] = text
        elif k in ("Gap", "Transfer"):
            derived = next((v for v in src.values(n, DERIVED) if isinstance(v, str)), None)
            para = _paragraph(src, derived)
            if k == "Gap" and para:
                attrs["paragraph"] = para
                where = f"¶{para}" if para[:1].isdigit() else para
                if where not in str(attrs.get("label")):
                    attrs["label"] = f"{attrs['label']} {where}" if para[:1].isdigit() else attrs["label"]
                gk = str(attrs.get("gap_kind", "gap"))
                report = attrs.get("report")
                attrs["name"] = f"{gk.replace('-', ' ').capitalize()} gap ({', '.join(x for x in (report, where) if x)})"
            quotes = src_literals(src, n, C + "quote") or src_literals(src, n, C + "evidence")
            attrs["evidence"] = [Quote(q.value, para, attrs.get("report")) for q in quotes]
        elif k == "Service":
            # the arrangements about this service: evidence for the commissions/provides edges into it
            for a in src.subjects(C + "service", n):
                types = {v for v in src.values(a, RDF_TYPE) if isinstance(v, str)}
                if C + "CommissioningArrangement" in types:
                    rel = "commissions"
                elif C + "ProvisionArrangement" in types:
                    rel = "provides"
                else:
                    continue
                org = next((v for v in src.values(a, C + "organisation") if isinstance(v, str)), None)
                if org is None or not G.has_edge(org, n, rel):
                    continue
                derived = next((v for v in src.values(a, DERIVED) if isinstance(v, str)), None)
                scope = _first(src_literals(src, a, C + "scope"))
                quotes = G.edges[org, n, rel].setdefault("evidence", [])
                for e in src_literals(src, a, C + "evidence"):
                    q = Quote(e.value, _paragraph(src, derived), report_key_of(a), scope)
                    if q not in quotes:
                        quotes.append(q)


def project_triples(triples: Iterable[tuple[str, str, Term]], base: nx.MultiDiGraph | None = None) -> nx.MultiDiGraph:
    """Project arbitrary triples (a CONSTRUCT result): every node-to-node triple is an edge whose
    relation is the predicate's local name; literals become attributes. Nodes known to ``base`` (the
    projection of the whole graph) keep its kind, labels and names."""
    import networkx as nx

    G: nx.MultiDiGraph = nx.MultiDiGraph()
    lits: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    types: dict[str, str] = {}
    rows = []
    for s, p, o in triples:
        if isinstance(o, Lit):
            lits[s][p].append(o.value)
            continue
        if p == RDF_TYPE:
            ck = _CLASS_KIND.get(o)
            if ck is not None:
                types[s] = ck[1]
            continue
        rel = RELATIONS.get(p) or (TRANSFER_SERVICE if p == C + "service" else local_name(p))
        rows.append((s, o, rel))
    for s, o, rel in rows:
        G.add_edge(s, o, key=rel, relation=rel, evidence=list(base.edges[s, o, rel]["evidence"])
                   if base is not None and base.has_edge(s, o, rel) else [])
    for n in set(lits) | set(types):
        if n not in G:
            G.add_node(n)  # a subject with literals or a type only: still draw it
    for n in G.nodes:
        attrs = G.nodes[n]
        if base is not None and n in base:
            attrs.update(base.nodes[n])
        else:
            k = types.get(n)
            if k is None:
                for _, _, rel in G.out_edges(n, keys=True):
                    k = k or _IMPLIED.get(rel, (None, None))[0]
                for _, _, rel in G.in_edges(n, keys=True):
                    k = k or _IMPLIED.get(rel, (None, None))[1]
            attrs["kind"] = k if k in KINDS else "Other"
        own = lits.get(n, {})
        name = next(iter(own.get(LABEL) or own.get(PREF_LABEL) or own.get(C + "number") or []), None)
        if "name" not in attrs:
            attrs["name"] = name or local_name(n)
            attrs["label"] = clip(attrs["name"], 30)
        text = next(iter(own.get(C + "text") or own.get(C + "quote") or own.get(C + "evidence") or []), None)
        if text and "text" not in attrs:
            attrs["text"] = text
    return G


def tooltip(attrs: Mapping[str, Any]) -> str:
    """Plain text shown when pointing at a node: full name, type, where, text and evidence."""
    lines = [str(attrs.get("name") or attrs.get("label") or "")]
    kind = str(attrs.get("kind", "Other"))
    where = [KIND_LABELS.get(kind, kind)]
    if attrs.get("area"):
        where.append(str(attrs["area"]))
    if attrs.get("report"):
        where.append(f"report {attrs['report']}")
    lines.append(" · ".join(where))
    if attrs.get("aliases"):
        lines.append("Also called: " + clip(", ".join(attrs["aliases"]), 300))
    if attrs.get("text"):
        lines.append(clip(str(attrs["text"]), 600))
    for q in attrs.get("evidence") or []:
        lines.append(q.render())
    return "\n".join(lines)


def edge_tooltip(G: nx.MultiDiGraph, s: str, o: str, attrs: Mapping[str, Any]) -> str:
    rel = str(attrs.get("relation", ""))
    lines = [f"{G.nodes[s].get('name', s)} — {RELATION_LABELS.get(rel, rel)} — {G.nodes[o].get('name', o)}"]
    quotes = list(attrs.get("evidence") or [])
    for q in quotes[:6]:
        lines.append(q.render())
    if len(quotes) > 6:
        lines.append(f"… and {len(quotes) - 6} more statements")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- views

VIEWS = ("commissioning", "recommendations", "gaps", "org", "query")
DEFAULT_MAX_NODES = 1500


@dataclass
class View:
    """A sub-graph to draw or export, with what was left out."""

    name: str
    title: str
    graph: nx.MultiDiGraph
    layers: dict[str, int] | None = None  # node -> column, for views read left to right
    groups: dict[str, str] = field(default_factory=dict)  # node -> area or report, for tiling
    focus: str | None = None
    notes: list[str] = field(default_factory=list)  # what was left out, for the page


def _match(value: str, wanted: str) -> bool:
    return value.casefold() == wanted.casefold() or V.slug(value) == V.slug(wanted)


def _areas(G: nx.MultiDiGraph) -> list[str]:
    found: set[str] = {str(a) for _, a in G.nodes(data="area") if a}
    found.update(G.graph.get("report_area", {}).values())
    return sorted(found, key=str.casefold)


def _pick_area(G: nx.MultiDiGraph, area: str | None) -> str | None:
    if area is None:
        return None
    areas = _areas(G)
    for a in areas:
        if _match(a, area):
            return a
    close = difflib.get_close_matches(area, areas, n=5, cutoff=0.5)
    if close:
        hint = f"; close matches: {', '.join(close)}"
    elif areas:
        hint = f"; areas in the graph: {', '.join(areas[:10])}{', …' if len(areas) > 10 else ''}"
    else:
        hint = "; the graph names no areas"
    raise ViewError(f"no area called {area!r}{hint}")


Edge = tuple[str, str, str]


def _collect(G: nx.MultiDiGraph, seeds: list[str], expand: Callable[[str], Iterable[Edge]],
             max_nodes: int, notes: list[str]) -> tuple[set[str], list[Edge]]:
    """Seeds grouped by area (or report), expanded group by group in name order while the nodes fit
    in ``max_nodes``: whole groups or nothing. Notes which groups were left out."""
    by_group: dict[str, list[str]] = defaultdict(list)
    for n in seeds:
        attrs = G.nodes[n]
        by_group[str(attrs.get("area") or attrs.get("report") or "")].append(n)
    keep: set[str] = set()
    edges: list[Edge] = []
    shown: list[str] = []
    left: list[str] = []
    for g in sorted(by_group, key=lambda x: (x == "", x.casefold())):
        if left:  # full: the rest are only listed
            left.append(g)
            continue
        new_edges = [e for seed in by_group[g] for e in expand(seed)]
        new_nodes = set(by_group[g]) | {n for s, o, _ in new_edges for n in (s, o)}
        if keep and len(keep | new_nodes) > max_nodes:
            left.append(g)
            continue
        keep |= new_nodes
        edges.extend(new_edges)
        shown.append(g)
    left = [g for g in left if g]
    if left:
        notes.append(
            f"Drawn: {len(shown)} of {len(shown) + len(left)} areas ({', '.join(shown[:5])}"
            f"{', …' if len(shown) > 5 else ''}). Left out: {', '.join(left[:40])}"
            f"{f' and {len(left) - 40} more' if len(left) > 40 else ''}. Use --area to draw one of them."
        )
    return keep, edges


def commissioning_view(G: nx.MultiDiGraph, area: str | None = None, max_nodes: int = DEFAULT_MAX_NODES) -> View:
    """Commissioners -> services -> providers, per area, with commissioning transfers."""
    chosen = _pick_area(G, area)
    services = [n for n, a in G.nodes(data=True) if a["kind"] == "Service" and (chosen is None or a.get("area") == chosen)]
    role: dict[str, set[str]] = defaultdict(set)

    def expand(s: str) -> Iterator[Edge]:
        for o, _, rel in G.in_edges(s, keys=True):
            if rel in ("commissions", "provides"):
                role[o].add(rel)
                yield (o, s, rel)
            elif rel == TRANSFER_SERVICE:
                yield (o, s, rel)
                for _, org, rel2 in G.out_edges(o, keys=True):
                    if rel2 in ("fromOrganisation", "toOrganisation"):
                        role[org].add("commissions")
                        yield (o, org, rel2)

    notes: list[str] = []
    keep, edges = _collect(G, services, expand, max_nodes, notes)
    H = _subgraph(G, keep, edges)
    layers: dict[str, int] = {}
    groups: dict[str, str] = {}
    for n, a in H.nodes(data=True):
        k = a["kind"]
        if k == "Service":
            layers[n] = 2
        elif k == "Transfer":
            layers[n] = 1
        else:
            layers[n] = 0 if "commissions" in role[n] else 3
        if a.get("area"):
            groups[n] = a["area"]
        elif k not in ORG_KINDS and a.get("report"):
            groups[n] = a["report"]
    where = chosen or ("all areas" if len(_areas(G)) != 1 else _areas(G)[0])
    title = f"Commissioning in {where}: who commissions and who provides children's health services"
    view = View("commissioning", title, H, layers, groups, notes=notes)
    if not services:
        view.notes.append("The graph states no commissioning or provision arrangements"
                          + (f" for {chosen}." if chosen else "."))
    return view


def recommendations_view(G: nx.MultiDiGraph, area: str | None = None, max_nodes: int = DEFAULT_MAX_NODES) -> View:
    """Responsible bodies -> recommendations -> the findings that cite them, with themes."""
    chosen = _pick_area(G, area)
    recs = [n for n, a in G.nodes(data=True) if a["kind"] in ("Recommendation", "UnresolvedCitation")
            and (chosen is None or a.get("area") == chosen)]

    def expand(r: str) -> Iterator[Edge]:
        for _, t, rel in G.out_edges(r, keys=True):
            if rel == "theme":
                yield (r, t, rel)
        for o, _, rel in G.in_edges(r, keys=True):
            if rel in ("isResponsibleFor", "cites", "citesUnresolved"):
                yield (o, r, rel)
                if rel != "isResponsibleFor":
                    for _, t, rel2 in G.out_edges(o, keys=True):
                        if rel2 == "theme":
                            yield (o, t, rel2)

    notes: list[str] = []
    keep, edges = _collect(G, recs, expand, max_nodes, notes)
    H = _subgraph(G, keep, edges)
    column = {"Recommendation": 1, "UnresolvedCitation": 1, "Finding": 2, "Theme": 3}
    layers = {n: column.get(a["kind"], 0) for n, a in H.nodes(data=True)}
    groups = {n: g for n, a in H.nodes(data=True) if (g := a.get("area") or a.get("report"))}
    where = chosen or ("all reports" if len(_areas(G)) != 1 else _areas(G)[0])
    view = View("recommendations", f"Recommendations in {where}: who must act, and the findings behind them",
                H, layers, groups, notes=notes)
    if not recs:
        view.notes.append("The graph holds no recommendations" + (f" for {chosen}." if chosen else "."))
    return view


def gaps_view(G: nx.MultiDiGraph, area: str | None = None, max_nodes: int = DEFAULT_MAX_NODES) -> View:
    """Gaps, the services and bodies they concern, and the recommendations that answer them."""
    chosen = _pick_area(G, area)
    gaps = [n for n, a in G.nodes(data=True) if a["kind"] == "Gap" and (chosen is None or a.get("area") == chosen)]

    def expand(g: str) -> Iterator[Edge]:
        for _, o, rel in G.out_edges(g, keys=True):
            if rel in ("concerns", "answeredBy"):
                yield (g, o, rel)

    notes: list[str] = []
    keep, edges = _collect(G, gaps, expand, max_nodes, notes)
    H = _subgraph(G, keep, edges)
    layers = {}
    for n, a in H.nodes(data=True):
        k = a["kind"]
        layers[n] = 1 if k == "Gap" else 2 if k == "Recommendation" else 0
    groups = {n: g for n, a in H.nodes(data=True) if (g := a.get("area") or a.get("report"))}
    where = chosen or ("all areas" if len(_areas(G)) != 1 else _areas(G)[0])
    view = View("gaps", f"Gaps in {where}: what is missing, what it concerns and which recommendations answer it",
                H, layers, groups, notes=notes)
    if not gaps:
        view.notes.append("The graph holds no gaps" + (f" for {chosen}." if chosen else "."))
    return view


def find_body(G: nx.MultiDiGraph, name: str) -> str:
    """The organisation whose label or alternative label is ``name`` (case-insensitive)."""
    wanted = name.strip().casefold()
    if not wanted:
        raise ViewError("give the name of a body with --focus")
    orgs = [(n, a) for n, a in G.nodes(data=True) if a["kind"] in ORG_KINDS]
    exact = [n for n, a in orgs if wanted == str(a.get("name", "")).casefold()]
    if not exact:
        exact = [n for n, a in orgs if wanted in {x.casefold() for x in a.get("aliases", [])}]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        names = sorted(str(G.nodes[n]["name"]) for n in exact)
        raise ViewError(f"{name!r} names {len(exact)} bodies: {'; '.join(names[:8])}; give the full name")
    all_names: dict[str, str] = {}
    for _, a in orgs:
        for x in [a.get("name", ""), *a.get("aliases", [])]:
            all_names.setdefault(str(x).casefold(), str(a.get("name")))
    close = [all_names[c] for c in difflib.get_close_matches(wanted, list(all_names), n=8, cutoff=0.6)]
    close += [v for k, v in all_names.items() if wanted in k]
    close = list(dict.fromkeys(close))[:8]
    hint = f"; close matches: {'; '.join(close)}" if close else "; no close matches (try `clasgraph query`)"
    raise ViewError(f"no body called {name!r}{hint}")


_NO_EXPAND = {"Theme", "ServiceConcept", "Area", "Report", "Section"}


def org_view(G: nx.MultiDiGraph, focus: str, depth: int = 2, max_nodes: int = DEFAULT_MAX_NODES) -> View:
    """The neighbourhood of one body across all reports, ``depth`` steps out (themes are not crossed);
    beyond ``max_nodes``, the nearest and best-connected first."""
    if depth < 1:
        raise ViewError("--depth must be at least 1")
    start = find_body(G, focus)
    dist = {start: 0}
    queue = deque([start])
    while queue:
        n = queue.popleft()
        if dist[n] >= depth or (n != start and G.nodes[n]["kind"] in _NO_EXPAND):
            continue
        for m in nx_neighbours(G, n):
            if m not in dist:
                dist[m] = dist[n] + 1
                queue.append(m)
    notes: list[str] = []
    if len(dist) > max_nodes:  # choose before copying: a hub's neighbourhood can be most of the graph
        kept = sorted(dist, key=lambda n: (dist[n], -G.degree(n), n))[:max_nodes]
        keep = set(kept)
        notes.append(_left_out_note([str(G.nodes[n]["kind"]) for n in dist if n not in keep], len(dist), max_nodes))
        dist = {n: dist[n] for n in kept}
    H = G.subgraph(dist).copy()
    name = G.nodes[start]["name"]
    view = View("org", f"{name}: everything within {depth} step{'s' if depth > 1 else ''} across all reports",
                H, focus=start, notes=notes)
    view.layers = dist  # rings by distance
    return view


def _left_out_note(kinds: Iterable[str], total: int, max_nodes: int) -> str:
    """What was left out, by kind of node (``kinds``: the kind of each node left out)."""
    left_kinds: dict[str, int] = defaultdict(int)
    for kind in kinds:
        left_kinds[KIND_LABELS.get(kind, kind).lower()] += 1
    parts = ", ".join(f"{v} {k}" for k, v in sorted(left_kinds.items(), key=lambda kv: -kv[1]))
    return (f"{sum(left_kinds.values())} of {total} nodes left out to keep the page usable ({parts}); "
            f"the limit is {max_nodes} nodes (--max-nodes).")


def describe(source: Any, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """Nodes of ``source`` with the attributes ``project`` gives them (kind, label, name...), looked
    up node by node: cheap for a few nodes of a big graph. No edges."""
    src = as_source(source)
    wanted = list(dict.fromkeys(nodes))
    kind = {n: k for n in wanted if (k := _kind_by_lookup(src, n)) in KINDS}
    return _build(src, kind, kind, {}, _names_by_lookup(src, kind, kind))


def neighbourhood(source: Any, focus: str, depth: int = 2, max_nodes: int = DEFAULT_MAX_NODES) -> View:
    """The org view read straight from the source: the body named ``focus`` and everything within
    ``depth`` relation steps, found by look-ups from the body outwards rather than by projecting the
    whole graph (a hub such as NHS England touches thousands of nodes in a big corpus)."""
    if depth < 1:
        raise ViewError("--depth must be at least 1")
    src = as_source(source)
    bodies = project(src, relations={}, kinds=ORG_KINDS, details=False)
    start = find_body(bodies, focus)
    kind: dict[str, str] = {n: str(a["kind"]) for n, a in bodies.nodes(data=True)}
    implied: dict[str, str] = {}

    def kind_of(n: str) -> str:
        if n not in kind:
            kind[n] = _kind_by_lookup(src, n) or implied.get(n) or "Other"
        return kind[n]

    edges: dict[tuple[str, str, str], list[Quote]] = {}
    dist = {start: 0}
    cap = 4 * max_nodes

    def link(s: str, o: str, rel: str, level: int, new: list[str]) -> None:
        edges[(s, o, rel)] = []
        subj_kind, obj_kind = _IMPLIED.get(rel, (None, None))
        for n, k in ((s, subj_kind), (o, obj_kind)):
            if k:
                implied.setdefault(n, k)
            if n not in dist and len(dist) < cap:
                dist[n] = level
                new.append(n)

    def expand(n: str, level: int, new: list[str]) -> None:
        for pred, rel in RELATIONS.items():
            for o in src.values(n, pred):
                if isinstance(o, str):
                    link(n, o, rel, level, new)
            for s in src.subjects(pred, n):
                link(s, n, rel, level, new)
        k = kind_of(n)
        if k == "Transfer":
            for svc in src.values(n, C + "service"):
                if isinstance(svc, str):
                    link(n, svc, TRANSFER_SERVICE, level, new)
        elif k == "Service":
            for t in src.subjects(C + "service", n):
                if kind_of(t) == "Transfer":
                    link(t, n, TRANSFER_SERVICE, level, new)

    frontier = [start]
    for level in range(1, depth + 1):
        new: list[str] = []
        for n in frontier:
            if n == start or kind_of(n) not in _NO_EXPAND:
                expand(n, level, new)
        frontier = new
    degree: dict[str, int] = defaultdict(int)
    for s, o, _ in edges:
        degree[s] += 1
        degree[o] += 1
    notes: list[str] = []
    if len(dist) > max_nodes:
        kept = sorted(dist, key=lambda n: (dist[n], -degree[n], n))[:max_nodes]
        keep = set(kept)
        dropped = [kind_of(n) for n in dist if n not in keep]
        notes.append(_left_out_note(dropped, len(dist), max_nodes)
                     + (" The search stopped early: the neighbourhood is larger still." if len(dist) >= cap else ""))
        dist = {n: dist[n] for n in kept}
    # edges between nodes of the outermost ring (not expanded above)
    for n in [n for n, d in dist.items() if d == depth]:
        for pred, rel in RELATIONS.items():
            for obj in src.values(n, pred):
                if isinstance(obj, str) and obj in dist:
                    edges[(n, obj, rel)] = []
        if kind_of(n) == "Transfer":
            for obj in src.values(n, C + "service"):
                if isinstance(obj, str) and obj in dist:
                    edges[(n, obj, TRANSFER_SERVICE)] = []
    for n in dist:
        kind_of(n)
    H = _build(src, dist, kind, edges, _names_by_lookup(src, dist, kind))
    name = H.nodes[start]["name"]
    return View("org", f"{name}: everything within {depth} step{'s' if depth > 1 else ''} across all reports",
                H, layers=dict(dist), focus=start, notes=notes)


def query_view(G: nx.MultiDiGraph | None, source: Any, query: str) -> View:
    """Whatever a SPARQL CONSTRUCT query returns, drawn. Nodes known to ``G`` (or, without ``G``,
    typed in ``source``) keep their kinds and names."""
    src = as_source(source)
    triples = src.construct(query)
    if G is None:
        G = describe(src, {n for s, _, o in triples for n in (s, o) if isinstance(n, str)})
    H = project_triples(triples, base=G)
    view = View("query", "Query result", H)
    if H.number_of_nodes() == 0:
        view.notes.append("The query returned no node-to-node triples to draw.")
    return view


def nx_neighbours(G: nx.MultiDiGraph, n: str) -> Iterator[str]:
    yield from G.successors(n)
    yield from G.predecessors(n)


def _subgraph(G: nx.MultiDiGraph, nodes: Iterable[str], edges: Iterable[tuple[str, str, str]]) -> nx.MultiDiGraph:
    import networkx as nx

    H: nx.MultiDiGraph = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, G.nodes[n]) for n in nodes)
    rows: Any = ((s, o, k, G.edges[s, o, k]) for s, o, k in dict.fromkeys(edges))
    H.add_edges_from(rows)
    return H


def limit_view(view: View, max_nodes: int = DEFAULT_MAX_NODES) -> View:
    """Keep at most ``max_nodes`` nodes: for a focus the nearest first, else the best-connected;
    record in ``view.notes`` what was left out. (The layered views already keep whole areas.)"""
    H = view.graph
    total = H.number_of_nodes()
    if total <= max_nodes:
        return view
    kept: list[str]
    if view.focus is not None and view.layers:
        kept = sorted(H.nodes, key=lambda n: (view.layers.get(n, 99) if view.layers else 0, -H.degree(n), n))
        kept = kept[:max_nodes]
    else:
        kept = sorted(H.nodes, key=lambda n: (-H.degree(n), n))[:max_nodes]
    kept_set = set(kept)
    view.notes.append(_left_out_note([str(a["kind"]) for n, a in H.nodes(data=True) if n not in kept_set], total,
                                     max_nodes))
    sub = H.subgraph(kept_set).copy()
    view.graph = sub
    if view.layers:
        view.layers = {n: c for n, c in view.layers.items() if n in kept_set}
    view.groups = {n: g for n, g in view.groups.items() if n in kept_set}
    return view


def select_view(G: nx.MultiDiGraph, name: str, *, area: str | None = None, focus: str | None = None,
                depth: int = 2, source: Any = None, query: str | None = None,
                max_nodes: int = DEFAULT_MAX_NODES) -> View:
    """The named view of a projected graph, limited to ``max_nodes`` nodes."""
    if name == "commissioning":
        view = commissioning_view(G, area, max_nodes)
    elif name == "recommendations":
        view = recommendations_view(G, area, max_nodes)
    elif name == "gaps":
        view = gaps_view(G, area, max_nodes)
    elif name == "org":
        if not focus:
            raise ViewError("the org view needs --focus NAME (a body's name or acronym)")
        view = org_view(G, focus, depth, max_nodes)
    elif name == "query":
        if not query:
            raise ViewError("the query view needs --query FILE.rq (a SPARQL CONSTRUCT query)")
        view = query_view(G, source, query)
    else:
        raise ViewError(f"unknown view {name!r}; choose one of {', '.join(VIEWS)}")
    return limit_view(view, max_nodes)


def view_from_source(source: Any, name: str, *, area: str | None = None, focus: str | None = None,
                     depth: int = 2, query: str | None = None, max_nodes: int = DEFAULT_MAX_NODES) -> View:
    """The named view read from ``source`` with as little reading as each view allows (without the
    long texts: see ``attach_details``)."""
    src = as_source(source)
    if name == "org":
        if not focus:
            raise ViewError("the org view needs --focus NAME (a body's name or acronym)")
        view = neighbourhood(src, focus, depth, max_nodes)
    elif name == "query":
        if not query:
            raise ViewError("the query view needs --query FILE.rq (a SPARQL CONSTRUCT query)")
        view = query_view(None, src, query)
    elif name in VIEW_NEEDS:
        return select_view(project_for_view(src, name), name, area=area, max_nodes=max_nodes)
    else:
        raise ViewError(f"unknown view {name!r}; choose one of {', '.join(VIEWS)}")
    return limit_view(view, max_nodes)
