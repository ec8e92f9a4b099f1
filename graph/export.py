"""Export the networkx projection (or one view of it) for other tools: GraphML (yEd, Gephi), GEXF
(Gephi), or CSV (nodes.csv + edges.csv, for spreadsheets).

List- and quote-valued attributes are flattened to text; characters XML 1.0 forbids (form feeds and
other control characters that PDF text can carry) are dropped; in CSV, a cell that a spreadsheet
would run as a formula (starting with = + - @, tab or carriage return) is prefixed with an apostrophe,
since report text is untrusted.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .nxproject import Quote

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("graphml", "gexf", "csv")
NODE_COLUMNS = ("id", "kind", "label", "name", "aliases", "area", "report", "number", "service_type", "gap_kind",
                "date", "text", "evidence")
EDGE_COLUMNS = ("source", "target", "relation", "evidence", "paragraphs", "reports")

_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExportResult:
    paths: list[Path]
    nodes: int
    edges: int

    def summary(self) -> str:
        return f"wrote {', '.join(str(p) for p in self.paths)}: {self.nodes} nodes, {self.edges} edges"


def _text(value: Any) -> str:
    if isinstance(value, Quote):
        return value.render()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return "\n".join(_text(v) for v in items)
    return str(value)


def flat_attrs(attrs: Mapping[str, Any]) -> dict[str, str | int | float | bool]:
    """Scalar attributes only (what GraphML and GEXF can hold), XML-safe."""
    out: dict[str, str | int | float | bool] = {}
    for k, v in attrs.items():
        if v is None or (isinstance(v, list | tuple | set) and not v):
            continue
        if isinstance(v, bool | int | float):
            out[k] = v
        else:
            out[k] = _XML_BAD.sub("", _text(v))
    return out


def _edge_extra(attrs: Mapping[str, Any]) -> dict[str, str]:
    quotes = [q for q in attrs.get("evidence") or [] if isinstance(q, Quote)]
    return {
        "paragraphs": ", ".join(dict.fromkeys(q.paragraph for q in quotes if q.paragraph)),
        "reports": ", ".join(dict.fromkeys(q.report for q in quotes if q.report)),
    }


def flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` with scalar, XML-safe attributes (and edge paragraphs/reports as columns)."""
    import networkx as nx

    F: nx.MultiDiGraph = nx.MultiDiGraph()
    F.add_nodes_from((n, flat_attrs(a)) for n, a in G.nodes(data=True))
    for s, o, k, a in G.edges(keys=True, data=True):
        attrs = flat_attrs(a)
        attrs.update({key: v for key, v in _edge_extra(a).items() if v})
        F.add_edge(s, o, key=k, **attrs)
    return F


def _cell(value: Any) -> str:
    text = "" if value is None else _text(value)
    if text.startswith(_FORMULA):
        text = "'" + text
    return text


def write_csv(G: nx.MultiDiGraph, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    nodes_path, edges_path = directory / "nodes.csv", directory / "edges.csv"
    with nodes_path.open("w", encoding="utf-8", errors="replace", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(NODE_COLUMNS)
        for n, a in sorted(G.nodes(data=True), key=lambda x: x[0]):
            w.writerow([_cell(n)] + [_cell(a.get(c)) for c in NODE_COLUMNS[1:]])
    with edges_path.open("w", encoding="utf-8", errors="replace", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(EDGE_COLUMNS)
        for s, o, k, a in sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
            extra = _edge_extra(a)
            w.writerow([_cell(s), _cell(o), _cell(a.get("relation", k)), _cell(a.get("evidence")),
                        _cell(extra["paragraphs"]), _cell(extra["reports"])])
    return [nodes_path, edges_path]


def export_graph(G: nx.MultiDiGraph, output: Path, fmt: str) -> ExportResult:
    """Write ``G`` to ``output`` as ``fmt`` (graphml, gexf: a file; csv: a directory for nodes.csv and edges.csv)."""
    import networkx as nx

    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "csv":
        if output.suffix.lower() == ".csv":
            raise ValueError(f"{output}: csv export writes nodes.csv and edges.csv: give a directory")
        paths = write_csv(G, output)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        F = flat_graph(G)
        if fmt == "graphml":
            nx.write_graphml(F, output, encoding="utf-8")
        else:
            nx.write_gexf(F, output, encoding="utf-8")
        paths = [output]
    return ExportResult(paths, G.number_of_nodes(), G.number_of_edges())


def export(source: Any, output: Path, fmt: str, *, view: str | None = None, area: str | None = None,
           focus: str | None = None, depth: int = 2, query: str | None = None,
           max_nodes: int | None = None) -> ExportResult:
    """Project ``source`` and export it whole, or only the named view (no node limit unless given)."""
    from .nxproject import as_source, attach_details, project, view_from_source

    src = as_source(source)
    if view is None:
        G = project(src)
    else:
        G = view_from_source(src, view, area=area, focus=focus, depth=depth, query=query,
                             max_nodes=max_nodes or 1_000_000).graph
        attach_details(G, src)
    return export_graph(G, output, fmt)
