"""Open a graph given on the command line: an RDF file (.ttl .trig .nq .nt .jsonld …) or a store directory.

Two ways in:

- ``open_source(path) -> GraphSource``: what read commands use. A store directory (graph/store.py) is
  opened read-only in place, instantly; an RDF file is parsed into an in-memory Oxigraph store
  (pyoxigraph: about 20x faster than rdflib). ``GraphSource.query`` runs SPARQL with the default graph
  as the union of all graphs; ``GraphSource.rdflib_graph()`` hands out an rdflib Dataset for analysis code.
- ``load_graph(path) -> rdflib.Dataset``: an rdflib Dataset (default graph = union of the named
  graphs) of a file or a store, for code that works on rdflib directly.

Both raise ``GraphLoadError`` with one line for the user. Nothing here imports rdflib or pyoxigraph
at module level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

RDF_FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nq": "nquads",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".n3": "n3",
}

# pyoxigraph's format names (RdfFormat.from_extension) for the same extensions
OX_FORMATS = {
    ".ttl": "ttl",
    ".trig": "trig",
    ".nq": "nq",
    ".nt": "nt",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdf",
    ".xml": "rdf",
    ".n3": "n3",
}

# Triples of a file without named graphs go into this graph, so that every triple is in a named graph
# and queries see them through the union default graph exactly as they see a store's.
FILE_GRAPH = "https://w3id.org/clasgraph/id/graph/file"


class GraphLoadError(Exception):
    """The GRAPH argument cannot be opened; ``str()`` is one line for the user."""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def rdf_format(path: Path) -> str:
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GraphLoadError(f"{path}: unknown RDF format {path.suffix!r} (use one of {', '.join(RDF_FORMATS)})")
    return fmt


@dataclass
class GraphSource:
    """An opened graph: a read-only store directory or an RDF file loaded into memory."""

    path: Path
    kind: str  # "store" or "file"
    store: pyoxigraph.Store
    reports: int | None = None  # reports held (stores only)
    cache_dir: Path | None = None  # stores: where query results of this (immutable) version are cached
    _rdflib: Any = field(default=None, repr=False)

    def query(self, sparql: str, **options: Any) -> Any:
        """Run SPARQL on pyoxigraph with the union default graph; returns pyoxigraph's result."""
        return self.store.query(sparql, use_default_graph_as_union=True, **options)

    def rdflib_graph(self) -> rdflib.Dataset:
        """An in-memory rdflib Dataset copy (default graph = union). Costly on big stores: prefer SPARQL."""
        if self._rdflib is None:
            self._rdflib = _to_rdflib(self)
        return self._rdflib

    def __len__(self) -> int:
        return len(self.store)


def _to_rdflib(src: GraphSource) -> rdflib.Dataset:
    import pyoxigraph as ox
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    if src.kind == "file" and src.path.suffix.lower() not in (".nq", ".trig"):
        ds.parse(src.path, format=rdf_format(src.path))  # keep the file's own shape
        return ds
    data = src.store.dump(format=ox.RdfFormat.N_QUADS)
    ds.parse(data=data.decode("utf-8") if isinstance(data, bytes) else data, format="nquads")
    return ds


def open_source(path: Path | str) -> GraphSource:
    """Open ``path``: a clasgraph store directory (read-only, in place) or an RDF file (into memory)."""
    import pyoxigraph as ox

    from . import store as st

    path = Path(path)
    if path.is_dir():
        if not st.is_store(path):
            raise GraphLoadError(f"{path}: a directory but not a clasgraph store (build one with `clasgraph build`)")
        try:
            vdir = st.current_version_dir(path)  # read the pointer once: one consistent version
            store = st.open_read_only(path, vdir)
            index = st.read_index(path, vdir)
            cache_dir = vdir / "cache"
        except st.StoreError as exc:
            raise GraphLoadError(str(exc)) from None
        return GraphSource(path=path, kind="store", store=store, reports=len(index.reports), cache_dir=cache_dir)
    if not path.exists():
        raise GraphLoadError(f"{path}: no such file or directory")
    fmt = OX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GraphLoadError(f"{path}: unknown RDF format {path.suffix!r} (use one of {', '.join(RDF_FORMATS)})")
    store = ox.Store()
    rdf_format = ox.RdfFormat.from_extension(fmt)
    assert rdf_format is not None
    try:
        if rdf_format.supports_datasets:
            store.bulk_load(path=str(path), format=rdf_format)
            default = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
            if default:  # move default-graph triples into a named graph (union semantics as in a store)
                g = ox.NamedNode(FILE_GRAPH)
                store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, g) for q in default)
                store.clear_graph(ox.DefaultGraph())
        else:
            store.bulk_load(path=str(path), format=rdf_format, to_graph=ox.NamedNode(FILE_GRAPH))
    except (SyntaxError, ValueError, OSError) as exc:
        if fmt == "jsonld":  # pyoxigraph's JSON-LD reader is strict: let rdflib try
            return _via_rdflib(path)
        raise GraphLoadError(f"{path}: not readable as {RDF_FORMATS[path.suffix.lower()]}: {_first_line(exc)}") from None
    return GraphSource(path=path, kind="file", store=store)


def _via_rdflib(path: Path) -> GraphSource:
    import pyoxigraph as ox

    ds = load_graph(path)
    store = ox.Store()
    data = ds.serialize(format="nquads", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_QUADS)
    return GraphSource(path=path, kind="file", store=store, _rdflib=ds)


def load_graph(path: Path) -> rdflib.Dataset:
    """Load an RDF file or a store directory into an rdflib Dataset (default graph = union of named graphs)."""
    import rdflib

    path = Path(path)
    if path.is_dir():
        return open_source(path).rdflib_graph()
    if not path.exists():
        raise GraphLoadError(f"{path}: no such file or directory")
    fmt = rdf_format(path)
    ds = rdflib.Dataset(default_union=True)
    try:
        ds.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many kinds
        raise GraphLoadError(f"{path}: not readable as {fmt}: {_first_line(exc)}") from None
    return ds
