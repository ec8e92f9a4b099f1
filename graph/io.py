"""Open a graph given on the command line: an RDF file (.ttl .trig .nq .nt .jsonld) or a store directory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


class GraphLoadError(Exception):
    """The GRAPH argument cannot be opened; ``str()`` is one line for the user."""


def rdf_format(path: Path) -> str:
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GraphLoadError(f"{path}: unknown RDF format {path.suffix!r} (use one of {', '.join(RDF_FORMATS)})")
    return fmt


def load_graph(path: Path) -> rdflib.Dataset:
    """Load an RDF file into an rdflib Dataset (default graph = union of named graphs)."""
    import rdflib

    if not path.exists():
        raise GraphLoadError(f"{path}: no such file or directory")
    fmt = rdf_format(path)
    ds = rdflib.Dataset(default_union=True)
    try:
        ds.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many kinds
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GraphLoadError(f"{path}: not readable as {fmt}: {first}") from None
    return ds
