"""Share a graph as a SPARQL endpoint, and upload graphs to any SPARQL 1.1 Graph Store Protocol server.

- ``Server``: runs the Oxigraph server (PyPI package ``oxigraph``, command ``oxigraph serve-read-only``)
  on a store read-only, on 127.0.0.1 and a free port by default, with the union default graph, CORS
  (so YASGUI in a browser can use it) and a query timeout. An RDF file is first loaded into a
  temporary store that is removed when the server stops.
- ``push_graphs``: uploads every named graph of a graph with ``PUT <endpoint>?graph=<iri>`` (Oxigraph
  ``/store``, Jena Fuseki ``/<dataset>/data``, GraphDB ``/repositories/<id>/rdf-graphs/service``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from . import store as st


class ServeError(Exception):
    """The server cannot be started or the upload failed; ``str()`` is one line for the user."""


def oxigraph_command() -> str:
    """The ``oxigraph`` server executable: beside this Python first (a venv), then on PATH."""
    here = Path(sys.executable).parent / ("oxigraph.exe" if os.name == "nt" else "oxigraph")
    if here.is_file():
        return str(here)
    found = shutil.which("oxigraph")
    if not found:
        raise ServeError("the `oxigraph` server is not installed (pip install oxigraph)")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running Oxigraph server; use as a context manager or call ``stop()``."""

    graph: Path
    host: str = "127.0.0.1"
    port: int = 0
    timeout_s: int = 60
    writable: bool = False  # tests: a writable server on an empty temporary store (``oxigraph serve``)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _tmp: str | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    @property
    def store_url(self) -> str:
        return self.url + "/store"

    def start(self, wait: float = 20.0) -> Server:
        location = self._location()
        if not self.port:
            self.port = free_port(self.host)
        mode = "serve" if self.writable else "serve-read-only"
        cmd = [oxigraph_command(), mode, "--location", str(location), "--bind", f"{self.host}:{self.port}",
               "--union-default-graph", "--cors"]
        if not self.writable:
            cmd += ["--timeout-s", str(self.timeout_s)]
        try:
            self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except OSError as exc:
            self._cleanup()
            raise ServeError(f"cannot start oxigraph: {exc}") from None
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = (self.process.stderr.read() if self.process.stderr else b"").decode("utf-8", "replace")
                self._cleanup()
                line = err.strip().splitlines()[-1] if err.strip() else f"exit code {self.process.returncode}"
                raise ServeError(f"oxigraph server stopped at start: {line}")
            with contextlib.suppress(OSError), socket.create_connection((self.host, self.port), timeout=0.2):
                return self
            time.sleep(0.05)
        self.stop()
        raise ServeError(f"oxigraph server did not answer on {self.url} within {wait:g} s")

    def _location(self) -> Path:
        if self.writable:
            self._tmp = tempfile.mkdtemp(prefix="clasgraph-serve-")
            return Path(self._tmp) / "db"
        if self.graph.is_dir():
            try:
                return st.database_dir(self.graph)
            except st.StoreError as exc:
                raise ServeError(str(exc)) from None
        # an RDF file: load it into a temporary on-disk store
        from .io import GraphLoadError, open_source

        try:
            src = open_source(self.graph)
        except GraphLoadError as exc:
            raise ServeError(str(exc)) from None
        self._tmp = tempfile.mkdtemp(prefix="clasgraph-serve-")
        db = Path(self._tmp) / "db"
        import pyoxigraph as ox

        disk = ox.Store(str(db))
        disk.bulk_extend(src.store.quads_for_pattern(None, None, None, None))
        disk.flush()
        del disk
        return db

    def wait(self) -> int:
        assert self.process is not None
        return self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()
        self._cleanup()

    def _cleanup(self) -> None:
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> Server:
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class PushResult:
    endpoint: str
    graphs: list[str] = field(default_factory=list)
    triples: int = 0

    def summary(self) -> str:
        return f"pushed {len(self.graphs)} named graphs ({self.triples} triples) to {self.endpoint}"


def push_graphs(graph: Path, endpoint: str, timeout: float = 120.0) -> PushResult:
    """PUT every named graph of ``graph`` (store or RDF file) to a Graph Store Protocol endpoint."""
    import pyoxigraph as ox

    from .io import GraphLoadError, open_source

    if not endpoint.startswith(("http://", "https://")):
        raise ServeError(f"{endpoint}: give the Graph Store Protocol endpoint as an http(s):// URL")
    try:
        src = open_source(graph)
    except GraphLoadError as exc:
        raise ServeError(str(exc)) from None
    result = PushResult(endpoint=endpoint)
    names = sorted((g for g in src.store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)
    sep = "&" if urllib.parse.urlparse(endpoint).query else "?"
    for g in names:
        triples = [q.triple for q in src.store.quads_for_pattern(None, None, None, g)]
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        url = f"{endpoint}{sep}graph={urllib.parse.quote(g.value, safe='')}"
        req = urllib.request.Request(url, data=body, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - user-given endpoint
                resp.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise ServeError(f"{endpoint}: PUT of graph <{g.value}> failed: HTTP {exc.code} "
                             f"{detail[0] if detail else exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise ServeError(f"{endpoint}: cannot reach the endpoint: {getattr(exc, 'reason', exc)}") from None
        result.graphs.append(g.value)
        result.triples += len(triples)
    return result
