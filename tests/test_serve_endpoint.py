"""A real Oxigraph server on a free loopback port: push named graphs, query them remotely, stop."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from clasgraph.cli import main
from clasgraph.graph import store as st
from clasgraph.graph.api import open_graph, run_query
from clasgraph.graph.serve import ServeError, Server, push_graphs

FIXTURE = Path(__file__).parent / "data" / "query-fixture.trig"

pytestmark = pytest.mark.server


def test_push_then_query_remotely():
    local = open_graph(FIXTURE)
    with Server(FIXTURE, writable=True) as server:
        assert server.host == "127.0.0.1"
        r = CliRunner().invoke(main, ["push", str(FIXTURE), "--endpoint", server.store_url])
        assert r.exit_code == 0, r.output
        assert "pushed 2 named graphs" in r.output
        for name, params in (("who-commissions-what", {}), ("service-map", {"area": "Northtown"}),
                             ("bodies-by-load", {}), ("evidence-for", {"number": "1.1"})):
            assert run_query(server.query_url, name, **params) == local.query(name, **params)
        r = CliRunner().invoke(main, ["query", "--endpoint", server.query_url, "transfers", "--format", "json"])
        assert r.exit_code == 0, r.output
        data = json.loads(r.output)
        assert data["results"]["bindings"][0]["to"]["value"] == "Northtown Council"
        r = CliRunner().invoke(main, ["query", "--endpoint", server.query_url, "-e", "SELECT ?s WHERE {\n ?s }"])
        assert r.exit_code == 1 and "syntax error" in r.output
        process = server.process
    assert process is not None and process.poll() is not None  # stopped


def test_serve_store_read_only(tmp_path):
    d = tmp_path / "store"
    st.import_rdf(FIXTURE, d)
    with Server(d) as server:
        rows = run_query(server.query_url, "who-provides-what")
        assert [r["provider"] for r in rows] == ["Northtown NHS Foundation Trust"] * 2
        req = urllib.request.Request(server.url + "/update", data=b"DELETE WHERE { ?s ?p ?o }", method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(req, timeout=10)
    assert len(run_query(d, "who-provides-what")) == 2


def test_unreachable_endpoint_and_bad_graph(tmp_path):
    from clasgraph.graph.query import QueryError

    with pytest.raises(QueryError, match="cannot reach the endpoint"):
        run_query("http://127.0.0.1:9/query", "reports", timeout=5)
    with pytest.raises(ServeError, match="no such file"):
        push_graphs(tmp_path / "missing.trig", "http://127.0.0.1:9/store")
    with pytest.raises(ServeError, match="not a clasgraph store"):
        Server(tmp_path).start()


def test_cli_serve_prints_url_and_stops_on_ctrl_c():
    import os
    import signal
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "clasgraph"
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-m", "clasgraph.cli"]
    p = subprocess.Popen([*cmd, "serve", str(FIXTURE)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=True)
    try:
        line = p.stdout.readline()
        assert line.startswith("SPARQL endpoint: http://127.0.0.1:"), line
        url = line.split()[2]
        assert len(run_query(url, "who-commissions-what")) == 4
        os.killpg(p.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        _out, err = p.communicate(timeout=20)
        assert p.returncode == 0 and "Traceback" not in err and "stopped" in err, err
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)


def test_cli_serve_stops_its_server_on_sigterm_to_itself_alone():
    import os
    import signal
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "clasgraph"
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-m", "clasgraph.cli"]
    p = subprocess.Popen([*cmd, "serve", str(FIXTURE)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=True)
    try:
        url = p.stdout.readline().split()[2]
        assert len(run_query(url, "who-commissions-what")) == 4
        os.kill(p.pid, signal.SIGTERM)  # the clasgraph process only, not its process group
        _out, err = p.communicate(timeout=20)
        assert p.returncode == 0 and "stopped" in err, err
        with pytest.raises(Exception, match="cannot reach the endpoint"):
            run_query(url, "reports", timeout=5)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
