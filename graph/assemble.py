"""Assemble RDF from extractions: one named graph per report, plus the ontology graph.

    key, g = extraction_to_graph(ex)          # one report
    ds = build_dataset([ex1, ex2])            # a Dataset: a named graph per report + ontology
    write_dataset(ds, Path("out.trig"))       # format from the extension; .ttl/.nt flatten

IRIs are deterministic (graph/vocab.py): building twice gives the same triples, no blank nodes.
Every extracted statement points to the finding or section it came from (prov:wasDerivedFrom).
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib import namespace as _ns
from rdflib.namespace import XSD

from ..build.model import ORG_TYPES, Extraction
from . import vocab
from .vocab import slug


class _Terms:
    """A namespace whose terms are made once: ``NS.label`` is then a plain attribute (rdflib's namespaces
    build a new URIRef on every attribute access, which the assembly does a few hundred thousand times)."""

    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        term = URIRef(self._base + name)
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return getattr(self, name)  # type: ignore[no-any-return]


CLAS = _Terms(vocab.CLAS)
RDF, RDFS, SKOS = _Terms(str(_ns.RDF)), _Terms(str(_ns.RDFS)), _Terms(str(_ns.SKOS))
PROV, DCTERMS = _Terms(str(_ns.PROV)), _Terms(str(_ns.DCTERMS))
ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"

SECTION_TITLES = {
    "front-matter": "Front matter", "summary": "Summary of the review", "about": "About the review",
    "method": "How we carried out the review", "context": "Context of the review", "report": "The report",
    "people": "What people told us", "journey": "The child's journey", "management": "Management",
    "recommendations": "Recommendations", "next-steps": "Next steps",
}


def report_key(ex: Extraction) -> str:
    """Stable key of a report: area and year where known, else the file name and content hash."""
    meta = ex.meta
    date = meta.published or meta.review_end or meta.review_start
    stem = slug(Path(ex.document.source).stem)
    if meta.area and date:
        return f"{slug(meta.area)}-{date.year}"
    if meta.area:
        return f"{slug(meta.area)}-{ex.document.sha256[:8]}"
    return f"{stem}-{ex.document.sha256[:8]}"


@functools.lru_cache(maxsize=1)
def service_labels() -> dict[str, str]:
    """Preferred labels of the service concepts (from ontology/services.ttl when present)."""
    path = ONTOLOGY_DIR / "services.ttl"
    labels: dict[str, str] = {}
    if path.exists():
        g = Graph().parse(path, format="turtle")
        for c, notation in g.subject_objects(SKOS.notation):
            for label in g.objects(c, SKOS.prefLabel):
                labels[str(notation)] = str(label)
    return labels


@functools.lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology and SKOS schemes: every ontology/*.ttl except the SHACL shapes."""
    g = Graph()
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        if path.name == "shapes.ttl":
            continue
        g.parse(path, format="turtle")
    return g


def _bind(g: Graph) -> None:
    for prefix, ns in vocab.PREFIXES.items():
        g.bind(prefix, Namespace(ns))


def extraction_to_graph(ex: Extraction) -> tuple[str, Graph]:
    """The RDF of one report (its named graph's content)."""
    g = Graph()
    _bind(g)
    key = emit_triples(ex, g.add)
    return key, g


def extraction_to_ntriples(ex: Extraction) -> tuple[str, bytes]:
    """The same triples as ``extraction_to_graph``, written straight to N-Triples (UTF-8, one triple a
    line, each once, in the order they were made) without building an rdflib graph: the build's
    workers use this, as it costs a fraction of the graph plus its serialisation."""
    sink = NTriplesSink()
    key = emit_triples(ex, sink.add, sink.terms)
    return key, sink.getvalue()


Triple = tuple[URIRef, URIRef, "URIRef | Literal"]


class TermMaker(NamedTuple):
    """How ``emit_triples`` makes terms: ``iri(str)`` and ``literal(value, datatype=None, lang=None)``."""

    iri: Callable[[str], Any]
    literal: Callable[..., Any]


RDFLIB_TERMS = TermMaker(URIRef, Literal)


def emit_triples(ex: Extraction, add: Callable[[Triple], object], terms: TermMaker | None = None) -> str:
    """Make the triples of one report, passing each to ``add``; return the report key. ``terms`` makes
    the IRIs and literals of the triples (rdflib terms unless given: ``NTriplesSink.terms`` makes
    lighter ones that it writes straight away)."""
    U, L = (terms or RDFLIB_TERMS)
    key = report_key(ex)
    meta = ex.meta
    rep = U(vocab.report_iri(key))
    area_name = meta.area or Path(ex.document.source).stem
    area = U(vocab.area_iri(area_name))

    add((rep, RDF.type, CLAS.Report))
    year = (meta.published or meta.review_end or meta.review_start)
    add((rep, RDFS.label, L(f"CLAS review of {area_name}" + (f" ({year.year})" if year else ""))))
    if meta.title:
        add((rep, DCTERMS.title, L(meta.title)))
    add((rep, CLAS.area, area))
    add((area, RDF.type, CLAS.Area))
    add((area, RDFS.label, L(area_name)))
    if meta.review_start:
        add((rep, CLAS.reviewStart, L(meta.review_start.isoformat(), datatype=XSD.date)))
    if meta.review_end:
        add((rep, CLAS.reviewEnd, L(meta.review_end.isoformat(), datatype=XSD.date)))
    if meta.published:
        add((rep, DCTERMS.issued, L(meta.published.isoformat(), datatype=XSD.date)))
    if meta.children_considered is not None:
        add((rep, CLAS.childrenConsidered, L(meta.children_considered, datatype=XSD.integer)))
    for name in meta.inspectors:
        add((rep, CLAS.inspector, L(name)))
    add((rep, CLAS.sourceFile, L(Path(ex.document.source).name)))
    add((rep, CLAS.contentHash, L(ex.document.sha256)))

    orgs = {o.key: o for o in ex.organisations}
    index_names: dict[str, str] = {}
    for o in ex.organisations:
        for n in [o.name, *o.aliases]:
            index_names.setdefault(n.lower(), o.key)

    def org_node(k: str) -> Any:
        return U(vocab.org_iri(k))

    for label_list, prop in ((meta.providers_included, CLAS.providerIncluded), (meta.ccgs_included, CLAS.ccgIncluded)):
        for name in label_list:
            k = index_names.get(name.lower())
            if k:
                add((rep, prop, org_node(k)))

    # sections and findings
    for sec in ex.structure.sections:
        s = U(vocab.section_iri(key, sec.key))
        add((s, RDF.type, CLAS.Section))
        title = SECTION_TITLES.get(sec.key, sec.title)
        add((s, RDFS.label, L(title)))
        add((s, DCTERMS.title, L(sec.title)))
        add((s, CLAS.sectionKey, L(sec.key)))
        add((s, CLAS.inReport, rep))
        for p in sec.paragraphs:
            if not p.number:
                continue
            f = U(vocab.finding_iri(key, p.number))
            add((f, RDF.type, CLAS.Finding))
            add((f, RDFS.label, L(f"Finding {p.number}")))
            add((f, CLAS.number, L(p.number)))
            add((f, CLAS.text, L(p.text)))
            add((f, CLAS.inSection, s))
            add((f, CLAS.inReport, rep))

    # organisations
    for o in ex.organisations:
        n = org_node(o.key)
        add((n, RDF.type, CLAS[o.type] if o.type in ORG_TYPES else CLAS.Organisation))
        add((n, RDFS.label, L(o.name)))
        for alias in sorted(o.aliases):
            if alias != o.name:
                add((n, SKOS.altLabel, L(alias)))
        for site in sorted(o.sites):
            sn = U(f"{vocab.org_iri(o.key)}/site/{slug(site)}")
            add((sn, RDF.type, CLAS.Site))
            add((sn, RDFS.label, L(site)))
            add((n, CLAS.site, sn))
        if o.parent and o.parent in orgs:
            add((n, CLAS.partOf, org_node(o.parent)))
        add((rep, CLAS.mentions, n))
        for src in o.sources:
            if src in ("front-matter",):
                continue
            add((U(vocab.source_iri(key, src)), CLAS.mentions, n))

    # recommendations
    for grp in ex.groups:
        gn = U(vocab.group_iri(key, grp.number))
        add((gn, RDF.type, CLAS.RecommendationGroup))
        add((gn, CLAS.number, L(grp.number)))
        add((gn, RDFS.label, L(f"Recommendation group {grp.number}")))
        if grp.heading:
            add((gn, CLAS.heading, L(grp.heading)))
        add((gn, CLAS.inReport, rep))
    rec_section = U(vocab.section_iri(key, "recommendations"))
    for r in ex.recommendations:
        rn = U(vocab.recommendation_iri(key, r.number))
        add((rn, RDF.type, CLAS.Recommendation))
        add((rn, RDFS.label, L(f"Recommendation {r.number}")))
        add((rn, CLAS.number, L(r.number)))
        add((rn, CLAS.text, L(r.text)))
        add((rn, CLAS.inGroup, U(vocab.group_iri(key, r.group))))
        add((rn, CLAS.inReport, rep))
        add((rn, PROV.wasDerivedFrom, rec_section))
        for k in r.responsible:
            add((org_node(k), CLAS.isResponsibleFor, rn))
        for theme in ex.themes.get(f"rec:{r.number}", []):
            add((rn, CLAS.theme, U(vocab.theme_iri(theme))))
    for i, numbers in enumerate(ex.recurring, start=1):
        rr = U(vocab.local_iri(key, "recurring", str(i)))
        add((rr, RDF.type, CLAS.RecurringRecommendation))
        first = next((r for r in ex.recommendations if r.number == numbers[0]), None)
        add((rr, RDFS.label, L(_short(first.text) if first else f"Recurring recommendation {i}")))
        add((rr, CLAS.inReport, rep))
        for n in numbers:
            add((U(vocab.recommendation_iri(key, n)), CLAS.recurrenceOf, rr))

    # citations
    for c in ex.citations:
        f = U(vocab.finding_iri(key, c.finding))
        for n in c.numbers:
            if n in c.unresolved:
                u = U(vocab.local_iri(key, "unresolved-citation", n))
                add((u, RDF.type, CLAS.UnresolvedCitation))
                add((u, CLAS.number, L(n)))
                add((u, RDFS.label, L(f"Recommendation {n} (not in the report)")))
                add((f, CLAS.citesUnresolved, u))
            else:
                add((f, CLAS.cites, U(vocab.recommendation_iri(key, n))))
    for src, themes in ex.themes.items():
        if src.startswith("rec:"):
            continue
        for theme in themes:
            add((U(vocab.source_iri(key, src)), CLAS.theme, U(vocab.theme_iri(theme))))

    # services, arrangements, transfers
    labels = service_labels()
    used_services: set[str] = set()

    def service_node(skey: str) -> Any:
        node = U(vocab.area_service_iri(area_name, skey))
        if skey not in used_services:
            used_services.add(skey)
            concept = U(vocab.service_concept_iri(skey))
            add((node, RDF.type, CLAS.Service))
            add((node, CLAS.serviceType, concept))
            add((node, CLAS.inArea, area))
            add((node, RDFS.label, L(f"{labels.get(skey, skey.replace('-', ' '))} in {area_name}")))
            add((concept, RDF.type, CLAS.ServiceConcept))
            add((concept, RDF.type, SKOS.Concept))
            add((concept, SKOS.notation, L(skey)))
            add((concept, SKOS.inScheme, U(vocab.SERVICE_SCHEME)))
            if skey in labels:
                add((concept, SKOS.prefLabel, L(labels[skey], lang="en")))
        return node

    seen_arr: dict[str, int] = {}
    for a in ex.arrangements:
        local = f"{a.relation}-{a.organisation}-{a.service}-{a.scope or 'all'}-{a.source}"
        seen_arr[local] = seen_arr.get(local, 0) + 1
        if seen_arr[local] > 1:
            local += f"-{seen_arr[local]}"
        an = U(vocab.local_iri(key, "arrangement", local))
        svc = service_node(a.service)
        cls = CLAS.CommissioningArrangement if a.relation == "commissions" else CLAS.ProvisionArrangement
        add((an, RDF.type, cls))
        add((an, CLAS.organisation, org_node(a.organisation)))
        add((an, CLAS.service, svc))
        add((an, CLAS.evidence, L(a.evidence)))
        add((an, PROV.wasDerivedFrom, U(vocab.source_iri(key, a.source))))
        add((an, CLAS.inReport, rep))
        if a.scope:
            add((an, CLAS.scope, L(a.scope)))
        if a.role:
            add((an, CLAS.role, L(a.role)))
        for k in a.on_behalf_of:
            add((an, CLAS.onBehalfOf, org_node(k)))
        if a.start:
            add((an, CLAS.startDate, L(a.start)))
        add((an, CLAS.inReview, L(a.in_review)))
        add((org_node(a.organisation), CLAS.commissions if a.relation == "commissions" else CLAS.provides, svc))
    for i, tr in enumerate(ex.transfers, start=1):
        tn = U(vocab.local_iri(key, "transfer", f"{tr.service}-{tr.to_org}-{i}"))
        add((tn, RDF.type, CLAS.CommissioningTransfer))
        add((tn, CLAS.service, service_node(tr.service)))
        if tr.from_org:
            add((tn, CLAS.fromOrganisation, org_node(tr.from_org)))
        add((tn, CLAS.toOrganisation, org_node(tr.to_org)))
        if tr.date:
            add((tn, DCTERMS.date, L(tr.date)))
        if tr.scope:
            add((tn, CLAS.scope, L(tr.scope)))
        add((tn, CLAS.evidence, L(tr.evidence)))
        add((tn, PROV.wasDerivedFrom, U(vocab.source_iri(key, tr.source))))
        add((tn, CLAS.inReport, rep))

    # stated gaps
    rec_numbers = {r.number for r in ex.recommendations}
    for i, gap in enumerate(ex.gaps, start=1):
        gn = U(vocab.local_iri(key, "gap", f"{gap.source}-{i}"))
        add((gn, RDF.type, CLAS.Gap))
        add((gn, RDF.type, CLAS.StatedGap))
        add((gn, CLAS.gapKind, L(gap.kind)))
        add((gn, CLAS.gapKindConcept, U(vocab.gap_kind_iri(gap.kind))))
        add((gn, RDFS.label, L(f"{gap.kind.replace('-', ' ')} gap ({gap.source})")))
        add((gn, CLAS.quote, L(gap.quote)))
        if gap.cue:
            add((gn, CLAS.explanation, L(gap.cue)))
        add((gn, PROV.wasDerivedFrom, U(vocab.source_iri(key, gap.source))))
        add((gn, CLAS.inReport, rep))
        for skey in gap.services:
            add((gn, CLAS.concerns, service_node(skey)))
        for k in gap.organisations:
            add((gn, CLAS.concerns, org_node(k)))
        for n in gap.recommendations:
            if n in rec_numbers:
                add((gn, CLAS.answeredBy, U(vocab.recommendation_iri(key, n))))
        for theme in gap.themes:
            add((gn, CLAS.theme, U(vocab.theme_iri(theme))))
    return key


_RDFS_LABEL = str(_ns.RDFS.label)
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_XSD_STRING, _XSD_BOOLEAN, _XSD_INTEGER = str(XSD.string), str(XSD.boolean), str(XSD.integer)


def _nt_iri(iri: str) -> str:
    if _IRI_UNSAFE.search(iri):  # never so for the IRIs vocab mints; escaped as N-Triples allows
        iri = _IRI_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04X}", iri)
    return f"<{iri}>"


def _nt_lexical(lex: str, datatype: str | None, lang: str | None) -> str:
    if '"' in lex or "\\" in lex or "\n" in lex or "\r" in lex:
        lex = lex.translate(_LITERAL_ESCAPES)
    if lang:
        return f'"{lex}"@{lang}'
    if datatype is not None and datatype != _XSD_STRING:
        return f'"{lex}"^^{_nt_iri(datatype)}'
    return f'"{lex}"'


def _nt_literal(lit: Literal) -> str:
    return _nt_lexical(str(lit), None if lit.datatype is None else str(lit.datatype), lit.language)


class _NTLiteral(str):
    """A literal already written as N-Triples; ``lexical`` is its value."""

    lexical: str


def _make_nt_literal(value: object, datatype: str | None = None, lang: str | None = None) -> _NTLiteral:
    """``rdflib.Literal(value, datatype=, lang=)`` as N-Triples, for the Python values the assembly uses
    (text, numbers, booleans; dates are given as ISO text with their datatype)."""
    if isinstance(value, bool):
        lex, datatype = ("true" if value else "false"), datatype or _XSD_BOOLEAN
    elif isinstance(value, int):
        lex, datatype = str(value), datatype or _XSD_INTEGER
    elif isinstance(value, str):
        lex = value
    else:
        raise TypeError(f"no N-Triples form for a {type(value).__name__} literal")
    out = _NTLiteral(_nt_lexical(lex, datatype, lang))
    out.lexical = lex
    return out


class NTriplesSink:
    """Collects triples as N-Triples lines, each distinct triple once (as a graph holds it).
    ``watch_labels``: an IRI prefix whose nodes' ``rdfs:label`` values ``labels()`` lists.

    It takes rdflib terms, or cheaper ones made by ``terms`` (``emit_triples(ex, sink.add, sink.terms)``):
    IRIs as plain strings and literals written as N-Triples when made."""

    terms = TermMaker(str, _make_nt_literal)

    def __init__(self, watch_labels: str | None = None) -> None:
        self._lines: dict[str, None] = {}
        self._iris: dict[str, str] = {}
        self._watch = watch_labels
        self._labels: set[tuple[str, str]] = set()

    def labels(self) -> list[tuple[str, str]]:
        """(node IRI, label) of the watched nodes, sorted."""
        return sorted(self._labels)

    def _iri(self, t: str) -> str:
        out = self._iris.get(t)
        if out is None:
            out = self._iris[t] = _nt_iri(str(t))
        return out

    def add(self, triple: Triple) -> None:
        s, p, o = triple
        kind = type(o)
        if self._watch is not None and str.__eq__(p, _RDFS_LABEL) and s.startswith(self._watch):
            self._labels.add((str(s), o.lexical if isinstance(o, _NTLiteral) else str(o)))
        iris = self._iris
        if kind is _NTLiteral:
            obj: str = o
        elif kind is Literal:
            obj = _nt_literal(o)  # type: ignore[arg-type]
        else:
            obj = iris.get(o) or self._iri(o)
        self._lines[f"{iris.get(s) or self._iri(s)} {iris.get(p) or self._iri(p)} {obj} .\n"] = None

    def __len__(self) -> int:
        return len(self._lines)

    def getvalue(self) -> bytes:
        return "".join(self._lines).encode("utf-8")


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + "…"


def build_dataset(extractions: list[Extraction], include_ontology: bool = True) -> Dataset:
    """A Dataset with one named graph per report (and the ontology graph). Where reports spell a
    body's canonical name differently, the body keeps one rdfs:label (the most common, then the
    longest) and the other names become skos:altLabel."""
    ds = Dataset()
    _bind(ds)
    graphs = [extraction_to_graph(ex) for ex in extractions]
    _unify_labels([g for _, g in graphs])
    for key, g in graphs:
        ng = ds.graph(URIRef(vocab.report_graph_iri(key)))
        for triple in g:
            ng.add(triple)
    if include_ontology:
        og = ds.graph(URIRef(vocab.ONTOLOGY_GRAPH))
        for triple in ontology_graph():
            og.add(triple)
    return ds


def _unify_labels(graphs: list[Graph]) -> None:
    if len(graphs) < 2:
        return
    labels: dict[URIRef, dict[str, int]] = {}
    for g in graphs:
        for o in set(g.subjects(RDF.type, None)):
            if not isinstance(o, URIRef) or not str(o).startswith(vocab.ID + "org/"):
                continue
            for lab in g.objects(o, RDFS.label):
                d = labels.setdefault(o, {})
                d[str(lab)] = d.get(str(lab), 0) + 1
    for node, names in labels.items():
        if len(names) < 2:
            continue
        best = max(names, key=lambda n: (names[n], len(n)))
        for g in graphs:
            for lab in list(g.objects(node, RDFS.label)):
                if str(lab) != best:
                    g.remove((node, RDFS.label, lab))
                    g.add((node, RDFS.label, Literal(best)))
                    g.add((node, SKOS.altLabel, lab))


OUTPUT_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nq": "nquads", ".nt": "nt", ".jsonld": "json-ld",
                  ".json": "json-ld"}


def output_format(path: Path) -> str:
    fmt = OUTPUT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: unknown output format {path.suffix!r} (use {', '.join(OUTPUT_FORMATS)})")
    return fmt


def write_dataset(ds: Dataset, path: Path) -> None:
    """Write atomically (temporary file + rename); .ttl and .nt flatten the named graphs."""
    fmt = output_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt in ("turtle", "nt"):
        flat = Graph()
        _bind(flat)
        for s, p, o, _ in ds.quads((None, None, None, None)):
            flat.add((s, p, o))
        data = flat.serialize(format=fmt)
    else:
        data = ds.serialize(format=fmt)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def summary_counts(extractions: list[Extraction]) -> dict[str, int]:
    orgs = {o.key for ex in extractions for o in ex.organisations}
    commissioned = {(ex.meta.area, a.service) for ex in extractions for a in ex.arrangements
                    if a.relation == "commissions"}
    services = {(ex.meta.area, a.service) for ex in extractions for a in ex.arrangements}
    return {
        "reports": len(extractions),
        "organisations": len(orgs),
        "recommendations": sum(len(ex.recommendations) for ex in extractions),
        "findings": sum(len(ex.structure.findings) for ex in extractions),
        "citations": sum(len(c.numbers) for ex in extractions for c in ex.citations),
        "commissioning facts": sum(1 for ex in extractions for a in ex.arrangements if a.relation == "commissions"),
        "provision facts": sum(1 for ex in extractions for a in ex.arrangements if a.relation == "provides"),
        "services with no stated commissioner": len(services - commissioned),
        "transfers": sum(len(ex.transfers) for ex in extractions),
        "stated gaps": sum(len(ex.gaps) for ex in extractions),
        "warnings": sum(len(ex.warnings) for ex in extractions),
    }
