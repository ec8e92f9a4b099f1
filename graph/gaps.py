"""The gap radar over a built graph: stated gaps, structural gaps, ranking and the cross-report table.

Stated gaps are in the graph (``clas:StatedGap``, written by assembly from build/gaps.py). Structural
gaps are computed here, on demand, from any graph (an RDF file, a store, an rdflib graph or a
pyoxigraph store) with SPARQL; each comes with the facts that show it. They are never written back
with ``prov:wasDerivedFrom`` (that property marks where a *stated* gap was read).

Ranking merges the same gap stated in several findings (same report, same kind, same main service),
adds the recommendations that answer it (cited by its findings, or by the next finding of the same
run when the marker closes a run of paragraphs) and weighs it by the findings, recommendations and
bodies behind it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .vocab import CLAS, DCTERMS, PROV, RDFS, SKOS

PREFIXES = (
    f"PREFIX clas: <{CLAS}>\nPREFIX prov: <{PROV}>\nPREFIX rdfs: <{RDFS}>\n"
    f"PREFIX skos: <{SKOS}>\nPREFIX dcterms: <{DCTERMS}>\n"
)

STATED_KINDS = ("commissioning-capacity", "service-coverage", "pathway", "governance", "workforce")
STRUCTURAL_KINDS = (
    "no-commissioner",
    "no-provider",
    "core-service-unmentioned",
    "split-commissioning",
    "recent-transfer",
    "uncited-recommendation",
    "unresolved-citation",
    "responsible-without-role",
)
# Core CLAS services: one entry per service a review expects to hear about; any of its keys counts.
CORE_SERVICES: dict[str, tuple[str, ...]] = {
    "health visiting": ("health-visiting",),
    "school nursing": ("school-nursing", "special-school-nursing"),
    "CAMHS": ("camhs", "camhs-tier4"),
    "looked-after children's health": ("lac-health", "lac-review-health-assessments"),
    "sexual health": ("sexual-health", "gum"),
    "substance misuse": ("substance-misuse-adults", "substance-misuse-children"),
    "maternity": ("maternity",),
    "emergency care": ("emergency-department", "minor-injury-unit"),
}


@dataclass
class GapItem:
    """One gap: stated in a report (read from the graph) or structural (computed)."""

    kind: str
    structural: bool
    report: str  # report key ("" when unknown)
    area: str
    source: str = ""  # finding number or "context" (stated gaps)
    quote: str = ""
    explanation: str = ""  # the cue (stated) or the facts in one line (structural)
    services: list[str] = field(default_factory=list)  # service keys
    organisations: list[str] = field(default_factory=list)  # labels
    recommendations: list[str] = field(default_factory=list)  # numbers
    themes: list[str] = field(default_factory=list)  # theme keys
    facts: list[str] = field(default_factory=list)  # structural: the facts that show it
    iri: str = ""


@dataclass
class RankedGap:
    """A gap as the radar shows it: stated gaps merged across findings, weighed by their evidence."""

    weight: float
    kind: str
    structural: bool
    area: str
    report: str
    findings: list[str]  # the findings that state it
    supporting: list[str]  # findings that carry its recommendation marker without stating it
    recommendations: list[str]
    services: list[str]
    organisations: list[str]
    responsible: list[str]  # bodies the answering recommendations are addressed to
    themes: list[str]
    quotes: list[tuple[str, str]]  # (source, quote)
    explanation: str
    rank: int = 0
    quote_cues: list[str] = field(default_factory=list)  # the cue words of each quote (to show around)
    facts: list[str] = field(default_factory=list)  # structural gaps: the facts that show it

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "weight": round(self.weight, 2),
            "kind": self.kind,
            "structural": self.structural,
            "area": self.area,
            "report": self.report,
            "findings": self.findings,
            "supporting_findings": self.supporting,
            "recommendations": self.recommendations,
            "services": self.services,
            "organisations": self.organisations,
            "responsible": self.responsible,
            "themes": self.themes,
            "quotes": [{"source": s, "quote": q} for s, q in self.quotes],
            "explanation": self.explanation,
            "facts": self.facts,
        }


# --------------------------------------------------------------------------- graph access


class GapSourceError(Exception):
    """The graph cannot be read; ``str()`` is one line."""


def as_store(graph: Any) -> Any:
    """A pyoxigraph Store for: a GraphSource, a pyoxigraph Store, an rdflib Graph/Dataset, or a path."""
    import pyoxigraph as ox

    if isinstance(graph, ox.Store):
        return graph
    store = getattr(graph, "store", None)
    if isinstance(store, ox.Store):
        return store
    if isinstance(graph, (str, Path)):
        from .io import open_source

        return open_source(graph).store
    serialize = getattr(graph, "serialize", None)
    if serialize is None:
        raise GapSourceError(f"cannot read gaps from a {type(graph).__name__}")
    out = ox.Store()
    data = graph.serialize(format="nt")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    out.load(payload, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("https://w3id.org/clasgraph/id/graph/file"))
    if hasattr(graph, "graphs") or hasattr(graph, "contexts"):
        try:
            quads = graph.serialize(format="nquads")
            qp = quads.encode("utf-8") if isinstance(quads, str) else quads
            out.load(qp, format=ox.RdfFormat.N_QUADS)
        except Exception:  # rdflib plain Graphs cannot write N-Quads; the triples are in already
            pass
    return out


def select(store: Any, sparql: str) -> list[dict[str, str]]:
    """Rows of a SELECT as plain strings (unbound variables left out)."""
    result = store.query(PREFIXES + sparql, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    rows: list[dict[str, str]] = []
    for sol in result:
        row: dict[str, str] = {}
        for name in names:
            term = sol[name]
            if term is not None:
                row[name] = term.value
        rows.append(row)
    return rows


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


_REPORT_RE = re.compile(r"/report/([^/]+)")


def _report_key(*iris: str) -> str:
    for iri in iris:
        m = _REPORT_RE.search(iri or "")
        if m:
            return m.group(1)
    return ""


def _areas(store: Any) -> dict[str, str]:
    """Report key -> area name."""
    out: dict[str, str] = {}
    for row in select(store, """SELECT ?r ?area ?alabel WHERE { ?r a clas:Report .
            OPTIONAL { ?r clas:area ?area OPTIONAL { ?area rdfs:label ?alabel } } }"""):
        area = row.get("alabel") or row.get("area", "")
        if area.startswith("http"):
            area = _tail(area).replace("-", " ").title()
        out[_report_key(row["r"]) or row["r"]] = area
    return out


def _service_key(row: dict[str, str], var: str = "x", notation: str = "xn", stype: str = "xt") -> str | None:
    if notation in row:
        return row[notation]
    if stype in row:
        return _tail(row[stype])
    iri = row.get(var, "")
    if "/service/" in iri:
        return _tail(iri)
    return None


def _labels(store: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in select(store, "SELECT ?o ?l WHERE { ?o a ?c . ?o rdfs:label ?l . FILTER(isIRI(?o)) }"):
        out.setdefault(row["o"], row["l"])
    return out


# --------------------------------------------------------------------------- stated gaps


def stated_gaps(graph: Any, labels: dict[str, str] | None = None) -> list[GapItem]:
    """The stated gaps of a graph with their services, bodies, recommendations and themes."""
    store = as_store(graph)
    areas = _areas(store)
    labels = labels if labels is not None else _labels(store)
    items: dict[str, GapItem] = {}
    for row in select(store, """
        SELECT ?g ?kind ?quote ?expl ?src ?num ?title WHERE {
          ?g a clas:StatedGap ; clas:gapKind ?kind .
          OPTIONAL { ?g clas:quote ?quote }
          OPTIONAL { ?g clas:explanation ?expl }
          OPTIONAL { ?g prov:wasDerivedFrom ?src .
                     OPTIONAL { ?src clas:number ?num }
                     OPTIONAL { ?src dcterms:title|rdfs:label ?title } }
        }"""):
        g = row["g"]
        if g in items:
            continue
        report = _report_key(g, row.get("src", ""))
        source = row.get("num") or ("context" if "context" in (row.get("title", "") + row.get("src", "")).lower()
                                    else _tail(row.get("src", "")))
        items[g] = GapItem(kind=row["kind"], structural=False, report=report, area=areas.get(report, ""),
                           source=source, quote=row.get("quote", ""), explanation=row.get("expl", ""), iri=g)
    for row in select(store, """
        SELECT ?g ?x ?xn ?xt WHERE { ?g a clas:StatedGap ; clas:concerns ?x .
          OPTIONAL { ?x skos:notation ?xn } OPTIONAL { ?x clas:serviceType ?xt } }"""):
        item = items.get(row["g"])
        if item is None:
            continue
        key = _service_key(row)
        if key:
            if key not in item.services:
                item.services.append(key)
        else:
            label = labels.get(row["x"], _tail(row["x"]))
            if label not in item.organisations:
                item.organisations.append(label)
    for row in select(store, """SELECT ?g ?n WHERE { ?g a clas:StatedGap ; clas:answeredBy ?r . ?r clas:number ?n }"""):
        item = items.get(row["g"])
        if item is not None and row["n"] not in item.recommendations:
            item.recommendations.append(row["n"])
    for row in select(store, """SELECT ?g ?t WHERE { ?g a clas:StatedGap ; clas:theme ?t }"""):
        item = items.get(row["g"])
        if item is not None and _tail(row["t"]) not in item.themes:
            item.themes.append(_tail(row["t"]))
    for item in items.values():
        item.recommendations.sort(key=_number_key)
        item.themes.sort()
        item.services = _main_service_first(item)
    return sorted(items.values(), key=lambda i: (i.report, _number_key(i.source), i.kind))


def _main_service_first(item: GapItem) -> list[str]:
    """A graph keeps no order of clas:concerns: put first the service named nearest the gap's cue in
    its quote (the service the shortfall is about), then the rest in the order the quote names them."""
    from ..build.gaps import service_finder

    found = service_finder(item.quote)
    cue = _cue_words(item)
    at = item.quote.find(cue) if cue else -1
    at = at if at >= 0 else 0
    position: dict[str, int] = {}
    for key, start in found:
        if key in item.services:
            position[key] = min(position.get(key, 10**6), abs(start - at))
    first_seen = {key: start for key, start in sorted(found, key=lambda kv: -kv[1])}
    nearest = sorted(item.services, key=lambda k: (position.get(k, 10**6), first_seen.get(k, 10**6), k))
    if not nearest:
        return []
    rest = sorted(nearest[1:], key=lambda k: (first_seen.get(k, 10**6), k))
    return [nearest[0], *rest]


def _number_key(number: str) -> tuple[int, ...]:
    if number == "context":
        return (0,)
    parts = re.findall(r"\d+", number)
    return tuple(int(p) for p in parts) if parts else (10**6,)


# --------------------------------------------------------------------------- structural checks


def _service_rows(store: Any, relation: str) -> list[dict[str, str]]:
    return select(store, f"""
        SELECT ?o ?s ?a ?xt ?xn WHERE {{
          ?o clas:{relation} ?s .
          OPTIONAL {{ ?s clas:inArea ?a }}
          OPTIONAL {{ ?s clas:serviceType ?xt OPTIONAL {{ ?xt skos:notation ?xn }} }}
        }}""")


def _out_of_review(store: Any) -> set[str]:
    rows = select(store, """SELECT ?s WHERE { ?arr clas:service ?s ; clas:inReview ?v . FILTER(str(?v) = "false") }""")
    return {r["s"] for r in rows}


def _area_of_service(row: dict[str, str], areas_by_iri: dict[str, str]) -> str:
    a = row.get("a", "")
    return areas_by_iri.get(a) or (_tail(a).replace("-", " ").title() if a else "")


def _area_labels(store: Any) -> dict[str, str]:
    return {r["a"]: r["l"] for r in select(store, "SELECT ?a ?l WHERE { ?r clas:area ?a . ?a rdfs:label ?l }")}


def _report_of_area(store: Any) -> dict[str, str]:
    return {r["a"]: _report_key(r["r"]) for r in select(store, "SELECT ?r ?a WHERE { ?r a clas:Report ; clas:area ?a }")}


def check_commissioner_provider(graph: Any, labels: dict[str, str] | None = None) -> list[GapItem]:
    """A service with a provider but no stated commissioner, or a commissioner but no provider."""
    store = as_store(graph)
    labels = labels if labels is not None else _labels(store)
    area_names = _area_labels(store)
    report_of = _report_of_area(store)
    skip = _out_of_review(store)
    by_service: dict[str, dict[str, Any]] = {}
    for relation in ("commissions", "provides"):
        for row in _service_rows(store, relation):
            s = row["s"]
            entry = by_service.setdefault(s, {"commissions": set(), "provides": set(), "row": row})
            entry[relation].add(row["o"])
    out: list[GapItem] = []
    for s, entry in sorted(by_service.items()):
        if s in skip:
            continue
        row = entry["row"]
        key = _service_key(row, "s") or _tail(s)
        area = _area_of_service(row, area_names)
        report = report_of.get(row.get("a", ""), "")
        if entry["provides"] and not entry["commissions"]:
            names = sorted(labels.get(o, _tail(o)) for o in entry["provides"])
            out.append(GapItem(
                kind="no-commissioner", structural=True, report=report, area=area, services=[key], organisations=names,
                facts=[f"{n} provides {key}" for n in names] + [f"no body is stated to commission {key} in {area or 'the area'}"],
                explanation=f"{key}: provided by {', '.join(names)}, no stated commissioner", iri=s))
        elif entry["commissions"] and not entry["provides"]:
            names = sorted(labels.get(o, _tail(o)) for o in entry["commissions"])
            out.append(GapItem(
                kind="no-provider", structural=True, report=report, area=area, services=[key], organisations=names,
                facts=[f"{n} commissions {key}" for n in names] + [f"no body is stated to provide {key} in {area or 'the area'}"],
                explanation=f"{key}: commissioned by {', '.join(names)}, no stated provider", iri=s))
    return out


def check_core_services(graph: Any) -> list[GapItem]:
    """A core CLAS service never mentioned for an area (no service node, no gap, no arrangement)."""
    store = as_store(graph)
    mentioned: dict[str, set[str]] = {}
    for row in select(store, """SELECT ?a ?s ?xt ?xn WHERE { ?s clas:inArea ?a .
            OPTIONAL { ?s clas:serviceType ?xt OPTIONAL { ?xt skos:notation ?xn } } }"""):
        key = _service_key(row, "s")
        if key:
            mentioned.setdefault(row["a"], set()).add(key)
    areas = select(store, "SELECT ?r ?a ?l WHERE { ?r a clas:Report ; clas:area ?a . OPTIONAL { ?a rdfs:label ?l } }")
    out: list[GapItem] = []
    for row in areas:
        a = row["a"]
        area = row.get("l") or _tail(a)
        seen = mentioned.get(a, set())
        for name, keys in CORE_SERVICES.items():
            if not seen.intersection(keys):
                out.append(GapItem(
                    kind="core-service-unmentioned", structural=True, report=_report_key(row["r"]), area=area,
                    services=[keys[0]],
                    facts=[f"no statement in the {area} report about {name} ({', '.join(keys)})"],
                    explanation=f"{name} is never mentioned for {area}", iri=a))
    return out


def check_split_and_transfers(graph: Any, labels: dict[str, str] | None = None) -> list[GapItem]:
    """Commissioning of one service split across several bodies, or transferred from one to another."""
    store = as_store(graph)
    labels = labels if labels is not None else _labels(store)
    area_names = _area_labels(store)
    report_of = _report_of_area(store)
    out: list[GapItem] = []
    commissioners: dict[str, set[str]] = {}
    rows: dict[str, dict[str, str]] = {}
    for row in _service_rows(store, "commissions"):
        commissioners.setdefault(row["s"], set()).add(row["o"])
        rows[row["s"]] = row
    for s, orgs in sorted(commissioners.items()):
        if len(orgs) < 2:
            continue
        row = rows[s]
        key = _service_key(row, "s") or _tail(s)
        names = sorted(labels.get(o, _tail(o)) for o in orgs)
        out.append(GapItem(
            kind="split-commissioning", structural=True, report=report_of.get(row.get("a", ""), ""),
            area=_area_of_service(row, area_names), services=[key], organisations=names,
            facts=[f"{n} commissions {key}" for n in names],
            explanation=f"{key} is commissioned by {len(names)} bodies: {', '.join(names)}", iri=s))
    for row in select(store, """SELECT ?t ?s ?a ?xt ?xn ?from ?to ?date WHERE {
            ?t a clas:CommissioningTransfer ; clas:service ?s .
            OPTIONAL { ?s clas:inArea ?a } OPTIONAL { ?s clas:serviceType ?xt OPTIONAL { ?xt skos:notation ?xn } }
            OPTIONAL { ?t clas:fromOrganisation ?from } OPTIONAL { ?t clas:toOrganisation ?to }
            OPTIONAL { ?t dcterms:date ?date } }"""):
        key = _service_key(row, "s") or _tail(row["s"])
        src = labels.get(row.get("from", ""), _tail(row["from"])) if row.get("from") else "an unstated body"
        dst = labels.get(row.get("to", ""), _tail(row["to"])) if row.get("to") else "an unstated body"
        when = f" in {row['date']}" if row.get("date") else ""
        out.append(GapItem(
            kind="recent-transfer", structural=True, report=_report_key(row["t"]) or report_of.get(row.get("a", ""), ""),
            area=_area_of_service(row, area_names), services=[key],
            organisations=[n for n in (src, dst) if n != "an unstated body"],
            facts=[f"commissioning of {key} moved from {src} to {dst}{when}"],
            explanation=f"{key}: commissioning transferred from {src} to {dst}{when}", iri=row["t"]))
    return out


def check_citations(graph: Any) -> list[GapItem]:
    """A recommendation no finding cites, and a citation of a recommendation that does not exist."""
    store = as_store(graph)
    areas = _areas(store)
    out: list[GapItem] = []
    for row in select(store, """SELECT ?rec ?n WHERE { ?rec a clas:Recommendation ; clas:number ?n .
            FILTER NOT EXISTS { ?f clas:cites ?rec } }"""):
        report = _report_key(row["rec"])
        out.append(GapItem(
            kind="uncited-recommendation", structural=True, report=report, area=areas.get(report, ""),
            recommendations=[row["n"]], facts=[f"recommendation {row['n']} is cited by no finding"],
            explanation=f"recommendation {row['n']}: no finding states the evidence for it", iri=row["rec"]))
    for row in select(store, """SELECT ?f ?fn ?u ?un ?ul WHERE { ?f clas:citesUnresolved ?u .
            OPTIONAL { ?f clas:number ?fn } OPTIONAL { ?u clas:number ?un } OPTIONAL { ?u rdfs:label ?ul } }"""):
        report = _report_key(row["f"], row["u"])
        number = row.get("un") or row.get("ul") or _tail(row["u"])
        finding = row.get("fn", _tail(row["f"]))
        out.append(GapItem(
            kind="unresolved-citation", structural=True, report=report, area=areas.get(report, ""), source=finding,
            recommendations=[number], facts=[f"finding {finding} cites recommendation {number}, which the report does not have"],
            explanation=f"finding {finding} cites a recommendation {number} that does not exist", iri=row["u"]))
    return out


def check_responsible_without_role(graph: Any, labels: dict[str, str] | None = None) -> list[GapItem]:
    """A body that must act on recommendations but has no stated role in commissioning or providing."""
    store = as_store(graph)
    labels = labels if labels is not None else _labels(store)
    areas = _areas(store)
    recs: dict[tuple[str, str], list[str]] = {}
    for row in select(store, """SELECT ?o ?rec ?n WHERE { ?o clas:isResponsibleFor ?rec . ?rec clas:number ?n .
            FILTER NOT EXISTS { ?o clas:commissions|clas:provides ?any }
            FILTER NOT EXISTS { ?o clas:partOf ?p . ?p clas:commissions|clas:provides ?any2 }
            FILTER NOT EXISTS { ?c clas:partOf ?o . ?c clas:commissions|clas:provides ?any3 } }"""):
        report = _report_key(row["rec"])
        recs.setdefault((row["o"], report), []).append(row["n"])
    out: list[GapItem] = []
    for (o, report), numbers in sorted(recs.items()):
        name = labels.get(o, _tail(o))
        numbers = sorted(set(numbers), key=_number_key)
        out.append(GapItem(
            kind="responsible-without-role", structural=True, report=report, area=areas.get(report, ""),
            organisations=[name], recommendations=numbers,
            facts=[f"{name} is responsible for recommendation(s) {', '.join(numbers)}",
                   f"{name} is not stated to commission or provide any service"],
            explanation=f"{name} must act on {len(numbers)} recommendation(s) but has no stated commissioning or providing role",
            iri=o))
    return out


def structural_gaps(graph: Any, labels: dict[str, str] | None = None) -> list[GapItem]:
    """Every structural check over the graph."""
    store = as_store(graph)
    labels = labels if labels is not None else _labels(store)
    out: list[GapItem] = []
    seen: set[tuple[str, str, str]] = set()
    found = [*check_commissioner_provider(store, labels), *check_core_services(store),
             *check_split_and_transfers(store, labels), *check_citations(store),
             *check_responsible_without_role(store, labels)]
    for item in found:
        key = (item.kind, item.report, item.explanation)  # the same fact stated twice is one gap
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


# --------------------------------------------------------------------------- ranking


@dataclass
class _Finding:
    report: str
    number: str
    text: str
    cites: list[str]


@dataclass
class _Context:
    """What ranking reads from the graph, read once."""

    findings: dict[tuple[str, str], _Finding]
    responsible: dict[tuple[str, str], list[str]]  # (report, rec number) -> body labels
    recurrence: dict[tuple[str, str], str]  # (report, rec number) -> recurring-recommendation IRI


def _context(store: Any, labels: dict[str, str] | None = None) -> _Context:
    labels = labels if labels is not None else _labels(store)
    findings: dict[tuple[str, str], _Finding] = {}
    for row in select(store, """SELECT ?f ?n ?t WHERE { ?f a clas:Finding ; clas:number ?n . OPTIONAL { ?f clas:text ?t } }"""):
        key = (_report_key(row["f"]), row["n"])
        findings.setdefault(key, _Finding(key[0], row["n"], row.get("t", ""), []))
    for row in select(store, """SELECT ?f ?n ?rn WHERE { ?f clas:cites ?r ; clas:number ?n . ?r clas:number ?rn }"""):
        f = findings.get((_report_key(row["f"]), row["n"]))
        if f is not None and row["rn"] not in f.cites:
            f.cites.append(row["rn"])
    responsible: dict[tuple[str, str], list[str]] = {}
    for row in select(store, "SELECT ?o ?rec ?n WHERE { ?o clas:isResponsibleFor ?rec . ?rec clas:number ?n }"):
        names = responsible.setdefault((_report_key(row["rec"]), row["n"]), [])
        name = labels.get(row["o"], _tail(row["o"]))
        if name not in names:
            names.append(name)
    recurrence = {
        (_report_key(row["rec"]), row["n"]): row["rr"]
        for row in select(store, "SELECT ?rec ?n ?rr WHERE { ?rec clas:recurrenceOf ?rr ; clas:number ?n }")
    }
    return _Context(findings, responsible, recurrence)


def _next_citing(ctx: _Context, report: str, number: str, services: list[str]) -> _Finding | None:
    """The finding whose "(Recommendation ...)" marker closes the run a marker-less finding belongs to:
    the next finding of the same sub-section, at most three paragraphs on, if it names one of the services."""
    key = _number_key(number)
    if len(key) < 2:
        return None
    from ..build.gaps import service_finder

    for step in (1, 2, 3):
        f = ctx.findings.get((report, ".".join(str(k) for k in (*key[:-1], key[-1] + step))))
        if f is None:
            return None
        if f.cites:
            named = {k for k, _ in service_finder(f.text)}
            return f if named.intersection(services) else None
    return None


_STOP = frozenset(
    "the and that this there with from which were was are is not have has been being for into their them they "
    "than what when where while will would could should also only all any some such other more most".split()
)


def _cue_words(item: GapItem) -> str:
    m = re.search(r"\u201c(.+?)\u201d", item.explanation)
    return m.group(1) if m else ""


def _object_stems(item: GapItem) -> set[str]:
    """Content words around a gap's cue (five-letter stems): what falls short, to tell one gap from another."""
    quote = item.quote
    cue = _cue_words(item)
    at = quote.find(cue) if cue else -1
    window = quote[max(0, at - 60): at + len(cue) + 60] if at >= 0 and len(quote) > 200 else quote
    words = re.findall(r"[a-z]{4,}", window.lower())
    return {w[:5] for w in words if w not in _STOP}


def _force_weight(explanation: str) -> float:
    """Absence cues ("there is no", "not commissioned") weigh more than deficits and doubts."""
    from ..build.gaps import CUE_RULES

    name = explanation.split(":", 1)[0].strip()
    force = next((r.force for r in CUE_RULES if r.name == name), "weak")
    return {"absence": 1.0, "deficit": 0.75, "soft": 0.5}.get(force, 0.5)


def _section_of(source: str) -> str:
    return source.split(".", 1)[0] if source and source[0].isdigit() else source


def rank_gaps(graph: Any, items: list[GapItem] | None = None, *, structural: bool = True) -> list[RankedGap]:
    """Stated gaps merged across findings and ranked by weight of evidence; structural gaps after them.

    Two stated gaps are the same gap when they are in the same report, of the same kind, about the
    same main service (the service named nearest the shortfall), and share a recommendation or a theme.
    Weight = 2 per report section that states it (corroboration) + 1 per finding stating it + 1 per
    supporting finding + 1.5 per answering recommendation (a recommendation repeated to several groups
    counts once) + 0.5 per body concerned or answering.
    """
    store = as_store(graph)
    labels = _labels(store)
    stated = [i for i in (items if items is not None else stated_gaps(store, labels)) if not i.structural]
    ctx = _context(store, labels)

    # the answering recommendations of each gap: its finding's, or those closing its run of paragraphs
    answers: list[list[str]] = []
    support: list[str | None] = []
    for item in stated:
        recs = list(item.recommendations)
        helper = None
        if not recs and item.source != "context":
            nxt = _next_citing(ctx, item.report, item.source, item.services)
            if nxt is not None:
                recs, helper = list(nxt.cites), nxt.number
        answers.append(recs)
        support.append(helper)

    def rec_ids(i: int) -> set[str]:
        return {ctx.recurrence.get((stated[i].report, n), n) for n in answers[i]}

    objects = [_object_stems(item) for item in stated]

    # greedy, in report order: a gap joins the first cluster of its key holding a gap it resembles
    seeds: dict[tuple[str, str, str], list[int]] = {}
    clusters: dict[int, list[int]] = {}
    for i, item in enumerate(stated):
        home = None
        if item.services:
            key = (item.report, item.kind, item.services[0])
            for seed in seeds.get(key, []):
                if any(rec_ids(i) & rec_ids(j) or len(objects[i] & objects[j]) >= 3 for j in clusters[seed]):
                    home = seed
                    break
            if home is None:
                seeds.setdefault(key, []).append(i)
        clusters.setdefault(home if home is not None else i, []).append(i)

    ranked: list[RankedGap] = []
    for idx in clusters.values():
        members = [stated[i] for i in idx]
        head = members[0]
        sources = sorted(_ordered(m.source for m in members), key=_number_key)
        supporting = sorted(_ordered(h for i in idx if (h := support[i]) and h not in sources), key=_number_key)
        recs = sorted(_ordered(n for i in idx for n in answers[i]), key=_number_key)
        distinct_recs = {ctx.recurrence.get((head.report, n), n) for n in recs}
        services = _ordered(s for m in members for s in m.services)
        orgs = _ordered(o for m in members for o in m.organisations)
        answering = _ordered(b for n in recs for b in ctx.responsible.get((head.report, n), []))
        themes = sorted(_ordered(t for m in members for t in m.themes))
        sections = {_section_of(s) for s in sources}
        force: dict[str, float] = {}
        for m in members:
            force[m.source] = max(force.get(m.source, 0.0), _force_weight(m.explanation))
        weight = (2 * len(sections) + 2 * sum(force.values()) + len(supporting) + 1.5 * len(distinct_recs)
                  + 0.5 * len(set(orgs) | set(answering)))
        cues = _ordered(m.explanation for m in members if m.explanation)
        ranked.append(RankedGap(weight, head.kind, False, head.area, head.report, sources, supporting, recs, services,
                                orgs, answering, themes, [(m.source, m.quote) for m in members], "; ".join(cues),
                                quote_cues=[_cue_words(m) for m in members]))
    if structural:
        for item in structural_gaps(store, labels):
            weight = 0.5 * len(item.facts) + 0.5 * len(item.organisations) + 0.25 * len(item.recommendations)
            ranked.append(RankedGap(weight, item.kind, True, item.area, item.report, [item.source] if item.source else [],
                                    [], item.recommendations, item.services, item.organisations, [], [], [],
                                    item.explanation, facts=list(item.facts)))
    ranked.sort(key=lambda r: (r.structural, -r.weight, r.report, [_number_key(f) for f in r.findings]))
    for n, r in enumerate(ranked, 1):
        r.rank = n
    return ranked


def _ordered(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v and v not in out:
            out.append(v)
    return out


def gap_radar(
    graph: Any,
    *,
    area: str | None = None,
    kind: str | None = None,
    theme: str | None = None,
    structural: bool = True,
    limit: int | None = None,
) -> list[RankedGap]:
    """The ranked gaps of a graph, filtered by area (name, any case), kind and theme (key or label word)."""
    ranked = rank_gaps(graph, structural=structural)

    def keep(r: RankedGap) -> bool:
        if area and area.lower() not in (r.area.lower(), r.report.lower()):
            return False
        if kind and r.kind != kind:
            return False
        if theme and theme not in r.themes:
            return False
        return True

    out = [r for r in ranked if keep(r)]
    for n, r in enumerate(out, 1):
        r.rank = n
    return out[:limit] if limit else out


# --------------------------------------------------------------------------- across reports


@dataclass
class Recurrence:
    dimension: str  # "kind" or "theme"
    value: str
    areas: dict[str, int]  # area -> number of stated gaps

    @property
    def total(self) -> int:
        return sum(self.areas.values())


def recurrence_table(graph: Any, items: list[GapItem] | None = None) -> list[Recurrence]:
    """Which gap kinds and themes recur in which areas: one row per kind and per theme, counts per area,
    the rows found in most areas first."""
    stated = [i for i in (items if items is not None else stated_gaps(graph)) if not i.structural]
    table: dict[tuple[str, str], dict[str, int]] = {}
    for item in stated:
        area = item.area or item.report
        cells = table.setdefault(("kind", item.kind), {})
        cells[area] = cells.get(area, 0) + 1
        for t in item.themes:
            cells = table.setdefault(("theme", t), {})
            cells[area] = cells.get(area, 0) + 1
    rows = [Recurrence(d, v, dict(sorted(a.items()))) for (d, v), a in table.items()]
    rows.sort(key=lambda r: (r.dimension, -len(r.areas), -r.total, r.value))
    return rows


# --------------------------------------------------------------------------- output


def _wrap(text: str, width: int, indent: str) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent) or [indent]


def _short_quote(quote: str, limit: int = 240, cue: str = "") -> str:
    """The quote, or an excerpt of ``limit`` characters around its cue."""
    quote = " ".join(quote.split())
    if len(quote) <= limit:
        return quote
    at = quote.find(cue) if cue else -1
    if at < 0 or at + len(cue) < limit - 20:
        return quote[: limit - 1].rstrip() + "…"
    start = max(0, min(at - limit // 3, len(quote) - limit + 1))
    excerpt = quote[start: start + limit - 2].strip()
    return ("…" if start > 0 else "") + excerpt + ("…" if start + limit - 2 < len(quote) else "")


def _cue_of(r: RankedGap, i: int) -> str:
    return r.quote_cues[i] if i < len(r.quote_cues) else ""


def _where(r: RankedGap) -> str:
    where = ", ".join(r.findings) if r.findings else "—"
    if r.supporting:
        where += f" (marker in {', '.join(r.supporting)})"
    return where


def format_table(ranked: list[RankedGap], width: int = 100) -> str:
    """A readable ranked list: one block per gap with its evidence."""
    if not ranked:
        return "no gaps match"
    lines: list[str] = []
    for r in ranked:
        tag = "structural" if r.structural else "stated"
        head = f"{r.rank:>3}. [{r.weight:4.1f}] {r.kind} ({tag}) — {r.area or r.report or '?'}"
        lines.append(head)
        if r.findings or r.recommendations or not r.structural:
            lines.append(f"     findings: {_where(r)}   recommendations: {', '.join(r.recommendations) or '—'}")
        if r.services or r.organisations:
            about = []
            if r.services:
                about.append("services: " + ", ".join(r.services))
            if r.organisations:
                about.append("bodies: " + ", ".join(r.organisations))
            lines.extend(_wrap("   ".join(about), width, "     "))
        if r.responsible:
            lines.extend(_wrap("answer for it: " + ", ".join(r.responsible), width, "     "))
        for i, (source, quote) in enumerate(r.quotes[:3]):
            lines.extend(_wrap(f"{source}: “{_short_quote(quote, cue=_cue_of(r, i))}”", width, "     "))
        if len(r.quotes) > 3:
            lines.append(f"     … and {len(r.quotes) - 3} more statement(s)")
        lines.extend(_wrap("why: " + r.explanation, width, "     "))
        for fact in r.facts:
            lines.extend(_wrap("- " + fact, width, "       "))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md_cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def format_markdown(ranked: list[RankedGap]) -> str:
    rows = ["| # | weight | kind | area | findings | recommendations | services | quote | why |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in ranked:
        quote = "<br>".join(f"{s}: “{_md_cell(_short_quote(q, 200, _cue_of(r, i)))}”" for i, (s, q) in enumerate(r.quotes[:3]))
        rows.append("| " + " | ".join([
            str(r.rank), f"{r.weight:.1f}", r.kind + (" (structural)" if r.structural else ""), _md_cell(r.area),
            _md_cell(_where(r)), ", ".join(r.recommendations), ", ".join(r.services), quote,
            _md_cell("; ".join([r.explanation, *r.facts])),
        ]) + " |")
    return "\n".join(rows) + "\n"


def format_json(ranked: list[RankedGap]) -> str:
    import json

    return json.dumps([r.to_dict() for r in ranked], indent=2, ensure_ascii=False) + "\n"


def format_html(ranked: list[RankedGap], title: str = "Gap radar") -> str:
    from html import escape

    rows = []
    for r in ranked:
        quotes = "".join(f"<li><b>{escape(s)}</b> “{escape(_short_quote(q, 400))}”</li>" for s, q in r.quotes)
        rows.append(
            "<tr>"
            f"<td>{r.rank}</td><td>{r.weight:.1f}</td>"
            f"<td>{escape(r.kind)}{' <i>(structural)</i>' if r.structural else ''}</td>"
            f"<td>{escape(r.area)}</td><td>{escape(_where(r))}</td><td>{escape(', '.join(r.recommendations))}</td>"
            f"<td>{escape(', '.join(r.services))}<br><small>{escape(', '.join(r.organisations))}</small></td>"
            f"<td><ul>{quotes}</ul><small>{escape('; '.join([r.explanation, *r.facts]))}</small></td>"
            "</tr>"
        )
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title><style>"
        "body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;width:100%}"
        "td,th{border:1px solid #ccc;padding:.35rem;vertical-align:top;font-size:.9rem}th{background:#f3f3f3}"
        "ul{margin:0;padding-left:1rem}</style></head><body>"
        f"<h1>{escape(title)}</h1><table><thead><tr><th>#</th><th>weight</th><th>kind</th><th>area</th>"
        "<th>findings</th><th>recommendations</th><th>services / bodies</th><th>evidence</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></body></html>\n"
    )


def format_recurrence(rows: list[Recurrence]) -> str:
    """The cross-report table: gap kinds and themes (rows) by area (columns)."""
    if not rows:
        return "no stated gaps\n"
    areas = sorted({a for r in rows for a in r.areas})
    label_w = max(len(f"{r.dimension}: {r.value}") for r in rows)
    col = [max(len(a), 4) for a in areas]
    out = [" " * label_w + "  " + "  ".join(a.rjust(w) for a, w in zip(areas, col, strict=True)) + "  areas"]
    for r in rows:
        cells = "  ".join(str(r.areas.get(a, "")).rjust(w) for a, w in zip(areas, col, strict=True))
        out.append(f"{r.dimension}: {r.value}".ljust(label_w) + "  " + cells + f"  {len(r.areas)}")
    return "\n".join(out) + "\n"


def resolve_theme(value: str) -> str:
    """A theme key from a key or (part of) a label: "mash", "MARAC", "health assessments"."""
    from ..build.themes import load_themes

    themes = load_themes()
    low = value.strip().lower()
    for t in themes:
        if t.key == low:
            return t.key
    for t in themes:
        if low == t.label.lower() or any(low == c.lower() for c in t.cues):
            return t.key
    for t in themes:
        if low in t.label.lower():
            return t.key
    raise ValueError(f"unknown theme {value!r} (one of: {', '.join(t.key for t in themes)})")


# --------------------------------------------------------------------------- materialising structural gaps


def structural_gap_graph(graph: Any) -> Any:
    """The structural gaps of ``graph`` as an rdflib Graph, to add to a store or an export: each a
    ``clas:Gap, clas:StructuralGap`` with its kind (literal and concept), the node it concerns, its
    facts (``clas:evidence``) and explanation, in its report (``clas:inReport``). Never
    ``prov:wasDerivedFrom``: that marks where a report *states* a gap, and a structural gap is stated
    nowhere; the node that shows it is linked with ``prov:wasInfluencedBy`` instead."""
    import rdflib
    from rdflib.namespace import RDF as _RDF
    from rdflib.namespace import RDFS as _RDFS

    from .vocab import gap_kind_iri, local_iri, report_iri, slug

    clas = rdflib.Namespace(CLAS)
    prov = rdflib.Namespace(PROV)
    out = rdflib.Graph()
    out.bind("clas", clas)
    out.bind("prov", prov)
    for item in structural_gaps(graph):
        scope = item.report or slug(item.area or "graph")
        node = rdflib.URIRef(local_iri(scope, "structural-gap", f"{item.kind}-{item.explanation}"[:180]))
        out.add((node, _RDF.type, clas.Gap))
        out.add((node, _RDF.type, clas.StructuralGap))
        out.add((node, clas.gapKind, rdflib.Literal(item.kind)))
        out.add((node, clas.gapKindConcept, rdflib.URIRef(gap_kind_iri(item.kind))))
        out.add((node, _RDFS.label, rdflib.Literal(f"{item.kind.replace('-', ' ')}: {item.explanation}")))
        out.add((node, clas.explanation, rdflib.Literal(item.explanation)))
        for fact in item.facts:
            out.add((node, clas.evidence, rdflib.Literal(fact)))
        if item.iri:
            target = rdflib.URIRef(item.iri)
            out.add((node, prov.wasInfluencedBy, target))
            if "/service/" in item.iri or "/org/" in item.iri:
                out.add((node, clas.concerns, target))
        if item.report:
            out.add((node, clas.inReport, rdflib.URIRef(report_iri(item.report))))
    return out
