"""Python API: open a graph and run canned or ad-hoc SPARQL, getting rows as plain dicts (no pandas).

    from clasgraph import open_graph, run_query

    g = open_graph("out/store")                     # a store directory or an RDF file; None: default store
    rows = run_query(g, "who-commissions-what", area="Stockport")
    # [{'area': 'Stockport', 'commissioner': 'Stockport CCG', 'service': 'health-visiting'}, ...]
    rows = run_query("out/demo.trig", "SELECT ?s WHERE { ?s a <https://w3id.org/clasgraph/ontology#Report> }")
    rows = run_query("http://127.0.0.1:7878/query", "bodies-by-load")   # a SPARQL endpoint

Values are ``str`` (IRIs in full, literals' lexical form), or ``int``/``float``/``bool`` for numeric and
boolean literals; unbound variables are absent from a row. ``g.result(...)`` gives the full
``QueryResult`` (terms with datatypes and languages, W3C JSON via ``query.format_result``), and
``g.rdflib()`` an rdflib Dataset for analysis code. Errors are ``GraphLoadError`` / ``QueryError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import query as Q
from .io import GraphSource, open_source


@dataclass
class Graph:
    """An opened graph (``source``) or a remote SPARQL endpoint (``endpoint``)."""

    source: GraphSource | None = None
    endpoint: str | None = None

    def result(self, query: str, *, limit: int | None = None, timeout: float | None = Q.DEFAULT_TIMEOUT,
               **params: str) -> Q.QueryResult:
        """Run a canned query (by name) or SPARQL text with ``params``; the full result."""
        text = prepare(query, {k: str(v) for k, v in params.items()})
        if self.endpoint:
            return Q.run_remote(self.endpoint, text.sparql, limit=limit, timeout=timeout)
        assert self.source is not None
        return Q.run_local(self.source, text.sparql, substitutions=text.substitutions, limit=limit, timeout=timeout)

    def query(self, query: str, *, limit: int | None = None, timeout: float | None = Q.DEFAULT_TIMEOUT,
              **params: str) -> list[dict[str, Any]]:
        """Rows of a SELECT as plain dicts (see the module docstring)."""
        return self.result(query, limit=limit, timeout=timeout, **params).to_dicts()

    def rdflib(self) -> Any:
        if self.source is None:
            raise Q.QueryError("a remote endpoint has no local rdflib graph")
        return self.source.rdflib_graph()


@dataclass
class Prepared:
    sparql: str
    substitutions: dict[str, str]


def prepare(query: str, params: dict[str, str]) -> Prepared:
    """A canned query name or SPARQL text, with its parameters applied."""
    if Q.query_form(query) or "{" in query:
        _, declared = Q.parse_declarations(query)
        if declared:
            return Prepared(Q.apply_params(query, params, declared), {})
        return Prepared(query, dict(params))
    cq = Q.get_query(query)
    return Prepared(Q.apply_params(cq.text, params, cq.params), {})


def open_graph(path: str | Path | None = None) -> Graph:
    """Open a store directory, an RDF file, or (an ``http(s)://`` URL) a SPARQL endpoint.

    ``None`` opens the default store (``$CLASGRAPH_STORE`` or ``./.clasgraph/store``).
    """
    if isinstance(path, str) and path.startswith(("http://", "https://")):
        return Graph(endpoint=path)
    if path is None:
        from .store import default_store_dir

        path = default_store_dir()
    return Graph(source=open_source(Path(path)))


def run_query(graph: Graph | str | Path | None, query: str, *, limit: int | None = None,
              timeout: float | None = Q.DEFAULT_TIMEOUT, **params: str) -> list[dict[str, Any]]:
    """Run ``query`` (a canned query's name or SPARQL text) on ``graph``; rows as a list of dicts."""
    g = graph if isinstance(graph, Graph) else open_graph(graph)
    return g.query(query, limit=limit, timeout=timeout, **params)
