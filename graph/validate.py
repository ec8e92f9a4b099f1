"""SHACL validation of a built graph against ontology/shapes.ttl (pySHACL, no inference).

``validate_graph(g)`` checks an rdflib Graph or Dataset (each named graph of a Dataset on its own,
so a report graph is checked as it stands) and returns a ``ValidationReport`` whose ``violations``
read as one line each. ``conformance_warnings(g)`` is what the build calls to warn about its own
output. ``validate_path(path)`` opens a file or a store first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .vocab import PREFIXES

SHAPES = Path(__file__).resolve().parents[1] / "ontology" / "shapes.ttl"
SH = "http://www.w3.org/ns/shacl#"


class ValidationError(Exception):
    """Validation could not run (unreadable graph or shapes); ``str()`` is one line."""


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str = "Violation"

    def line(self) -> str:
        where = f" [{self.path}]" if self.path else ""
        return f"{_short(self.focus)}{where}: {self.message}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def lines(self, limit: int | None = None) -> list[str]:
        out = [v.line() for v in self.violations[:limit]]
        if limit is not None and len(self.violations) > limit:
            out.append(f"... and {len(self.violations) - limit} more")
        return out


def _short(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _shapes_graph(shapes: Path) -> Any:
    import rdflib

    g = rdflib.Graph()
    try:
        g.parse(shapes, format="turtle")
    except Exception as exc:  # rdflib raises many kinds
        raise ValidationError(f"{shapes}: shapes not readable: {exc}") from None
    return g


def validate_graph(g: Any, shapes: Path = SHAPES) -> ValidationReport:
    """Validate an rdflib Graph or Dataset (each named graph on its own); violations sorted."""
    import rdflib

    graphs = [c for c in g.graphs() if len(c)] if isinstance(g, rdflib.Dataset) else [g]
    return _validate_each(graphs, _shapes_graph(shapes))


def _validate_each(graphs: Iterable[Any], shacl: Any) -> ValidationReport:
    import pyshacl
    import rdflib

    sh = rdflib.Namespace(SH)
    violations: set[Violation] = set()
    for data in graphs:
        plain = rdflib.Graph()
        for t in data.triples((None, None, None)):
            plain.add(t)
        conforms, results, _text = pyshacl.validate(plain, shacl_graph=shacl, inference="none",
                                                    advanced=False, allow_warnings=True)
        if conforms:
            continue
        for r in results.subjects(rdflib.RDF.type, sh.ValidationResult):
            focus = results.value(r, sh.focusNode)
            path = results.value(r, sh.resultPath)
            msg = results.value(r, sh.resultMessage)
            sev = results.value(r, sh.resultSeverity)
            path_text = _short(str(path)) if isinstance(path, rdflib.URIRef) else ("inverse path" if path else "")
            violations.add(Violation(str(focus), path_text, str(msg or "constraint not met"),
                                     str(sev).rsplit("#", 1)[-1] if sev else "Violation"))
    ordered = sorted(violations, key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(conforms=not any(v.severity == "Violation" for v in ordered), violations=ordered)


def _store_graphs(src: Any) -> Iterator[Any]:
    """Each report graph of an opened source as a small rdflib Graph (never the whole store at once)."""
    import pyoxigraph as ox
    import rdflib

    from .vocab import ONTOLOGY_GRAPH

    for name in src.store.named_graphs():
        if isinstance(name, ox.NamedNode) and name.value == ONTOLOGY_GRAPH:
            continue
        triples = [q.triple for q in src.store.quads_for_pattern(None, None, None, name)]
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        g = rdflib.Graph()
        g.parse(data=data.decode("utf-8") if isinstance(data, bytes) else data, format="nt")
        yield g


def conformance_warnings(g: Any, limit: int = 20) -> list[str]:
    """Warnings for the build: empty when ``g`` conforms, else one line per violation (at most ``limit``)."""
    report = validate_graph(g)
    if report.conforms:
        return []
    return [f"graph does not conform to the shapes: {line}" for line in report.lines(limit)]


def validate_path(path: Path, shapes: Path = SHAPES) -> ValidationReport:
    """Validate a file or a store, one report graph at a time (memory stays small on big stores)."""
    from .io import GraphLoadError, open_source

    shacl = _shapes_graph(shapes)
    try:
        src = open_source(path)
    except GraphLoadError as exc:
        raise ValidationError(str(exc)) from None
    return _validate_each(_store_graphs(src), shacl)
