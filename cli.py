"""clasgraph command line: thin. Parse options, call one library function, format the output.

Heavy modules (rdflib, pyoxigraph, networkx, pyvis) are imported inside commands only, so
``clasgraph --help`` stays fast. Errors reach users as one line (click.ClickException), never a
traceback, with a non-zero exit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from clasgraph import __version__


class UserError(click.ClickException):
    """One clear line for the user; exit code 1 (or as given)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it when it exits


def _fail_from(exc: BaseException) -> UserError:
    """Turn a library error into one line for the user."""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return UserError(msg)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clasgraph")
def main() -> None:
    """Turn CQC CLAS inspection reports into a knowledge graph of who commissions, provides and
    answers for children's health services, and query, analyse and draw it."""


# ---- build (issue 7: directories, formats, parallel, incremental store)


@main.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the graph to this file; the format follows the extension (.trig .nq .ttl .nt .jsonld).")
@click.option("--store", "store_dir", type=click.Path(path_type=Path), default=None,
              help="Update the persistent store in this directory (default when no -o is given: "
                   "$CLASGRAPH_STORE or ./.clasgraph/store). Unchanged reports are skipped.")
@click.option("--prune", is_flag=True, help="Drop stored reports whose file was not found in this run.")
@click.option("--keep-going/--fail-fast", default=True, show_default=True,
              help="Build the other reports when one fails (exit code 1), or stop at the first failure.")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
              help="Worker processes for extraction (default: one per CPU).")
@click.option("--max-size", "max_mb", type=click.FloatRange(0.001, 2048), default=40.0, show_default=True,
              help="Refuse report files larger than this many MB.")
@click.option("--check-shapes", is_flag=True,
              help="Also check each report's graph against the SHACL shapes (ontology/shapes.ttl) and warn where "
                   "it does not conform: a check of clasgraph itself, about 0.1 s a report.")
@click.option("--warm-queries", is_flag=True,
              help="After updating the store, answer every canned query once so that the first `clasgraph query` "
                   "of each is served from the cache (on 1,000 reports: a minute or more).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors (no progress bar, summary or warnings).")
def build(reports: tuple[Path, ...], output: Path | None, store_dir: Path | None, prune: bool, keep_going: bool,
          jobs: int | None, max_mb: float, check_shapes: bool, warm_queries: bool, quiet: bool) -> None:
    """Build the graph of REPORTS: report files (.txt .md .pdf .html .docx) and directories, searched
    recursively. Exit code 1 when any report failed (the others are still built)."""
    from clasgraph.graph.buildrun import BuildError, run_build
    from clasgraph.graph.store import default_store_dir

    if output is None and store_dir is None:
        store_dir = default_store_dir()
    try:
        result = run_build(list(reports), output=output, store_dir=store_dir, jobs=jobs, prune=prune,
                           fail_fast=not keep_going, max_mb=max_mb, check_shapes=check_shapes,
                           warm_queries=warm_queries,
                           progress=not quiet and sys.stderr.isatty())
    except BuildError as exc:
        raise _fail_from(exc) from None
    except OSError as exc:
        raise UserError(f"cannot write {exc.filename or 'the output'}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        raise UserError("interrupted: the output file and the store were left as they were", 130) from None
    if not quiet:
        click.echo(result.summary())
        for line in result.warnings:
            click.echo(f"warning: {line}", err=True)
    for line in result.errors:
        click.echo(f"error: {line}", err=True)
    if result.errors:
        if not keep_going and not quiet:
            click.echo("stopped at the first failure (--fail-fast): nothing was written", err=True)
        sys.exit(1)


# ---------------------------------------------------------------- stats (spine)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path), required=False)
def stats(graph: Path | None) -> None:
    """Counts of what GRAPH (an RDF file or a store directory; default: the default store) holds."""
    from clasgraph.graph.stats import graph_stats

    source = _open_for_read(graph)
    for name, value in graph_stats(source).items():
        click.echo(f"{name:<28}{value}")


# ---- render (issue 5)

_RENDER_VIEWS = ("commissioning", "recommendations", "gaps", "org")


def _view_name(view: str | None, focus: str | None, query_file: Path | None) -> str:
    if query_file is not None:
        if view is not None:
            raise UserError("give either --view or --query, not both")
        return "query"
    if view is None:
        return "org" if focus else "commissioning"
    if focus and view != "org":
        raise UserError("--focus goes with --view org")
    return view


def _check_area(name: str, area: str | None) -> None:
    if area and name in ("org", "query"):
        raise UserError("--area goes with the commissioning, recommendations and gaps views")


def _read_query_file(query_file: Path | None) -> str | None:
    if query_file is None:
        return None
    try:
        return query_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {query_file}: {exc}") from None


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="HTML file to write (one self-contained page that works offline).")
@click.option("--view", type=click.Choice(_RENDER_VIEWS), default=None,
              help="commissioning (default), recommendations, gaps, or org (with --focus).")
@click.option("--area", default=None, help="Only this area (commissioning, recommendations and gaps views).")
@click.option("--focus", default=None, help="A body's name or acronym: draw its neighbourhood across all reports.")
@click.option("--depth", type=click.IntRange(1, 6), default=2, show_default=True,
              help="Steps out from the --focus body.")
@click.option("--query", "query_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Draw the result of this SPARQL CONSTRUCT query (.rq file) instead of a view.")
@click.option("--max-nodes", type=click.IntRange(10, 100_000), default=1500, show_default=True,
              help="Draw at most this many nodes; the page says what was left out.")
@click.option("--title", default=None, help="Page title (default: the view's).")
def render(graph: Path, output: Path, view: str | None, area: str | None, focus: str | None, depth: int,
           query_file: Path | None, max_nodes: int, title: str | None) -> None:
    """Draw GRAPH (an RDF file or a store directory) as an interactive network page."""
    from clasgraph.graph.io import GraphLoadError
    from clasgraph.graph.nxproject import ViewError
    from clasgraph.graph.render import render as render_view

    name = _view_name(view, focus, query_file)
    _check_area(name, area)
    query = _read_query_file(query_file)
    try:
        result = render_view(graph, output, name, area=area, focus=focus, depth=depth, query=query,
                             max_nodes=max_nodes, title=title)
    except (GraphLoadError, ViewError) as exc:
        raise _fail_from(exc) from None
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(result.summary())
    for note in result.notes:
        click.echo(f"note: {note}", err=True)


# ---- export (issue 5)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv"]), required=True,
              help="graphml (yEd, Gephi), gexf (Gephi) or csv (nodes.csv and edges.csv in a directory).")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="File to write (graphml, gexf) or directory (csv).")
@click.option("--view", type=click.Choice(_RENDER_VIEWS), default=None,
              help="Export only this view (default: the whole network of relations).")
@click.option("--area", default=None, help="With --view: only this area.")
@click.option("--focus", default=None, help="A body's name: export its neighbourhood (implies --view org).")
@click.option("--depth", type=click.IntRange(1, 6), default=2, show_default=True, help="Steps out from --focus.")
@click.option("--query", "query_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Export the result of this SPARQL CONSTRUCT query (.rq file).")
def export(graph: Path, fmt: str, output: Path, view: str | None, area: str | None, focus: str | None,
           depth: int, query_file: Path | None) -> None:
    """Export the network of GRAPH for other tools (Gephi, yEd, spreadsheets)."""
    from clasgraph.graph.export import export as export_network
    from clasgraph.graph.io import GraphLoadError
    from clasgraph.graph.nxproject import ViewError

    name: str | None = None
    if view is not None or focus or query_file is not None or area:
        name = _view_name(view, focus, query_file)
        _check_area(name, area)
    query = _read_query_file(query_file)
    try:
        result = export_network(graph, output, fmt, view=name, area=area, focus=focus, depth=depth, query=query)
    except (GraphLoadError, ViewError, ValueError) as exc:
        raise _fail_from(exc) from None
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(result.summary())


# ---- gaps (issue 4)

_GAP_FORMATS = ("table", "md", "json", "html")


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--area", default=None, help="Only this area (its name as printed, any case).")
@click.option("--kind", default=None,
              help="Only this kind: commissioning-capacity, service-coverage, pathway, governance, workforce, "
                   "or a structural check (no-commissioner, no-provider, core-service-unmentioned, "
                   "split-commissioning, recent-transfer, uncited-recommendation, unresolved-citation, "
                   "responsible-without-role).")
@click.option("--theme", default=None, help="Only gaps on this theme: a key (mash) or a label word (MARAC).")
@click.option("--format", "fmt", type=click.Choice(_GAP_FORMATS), default="table", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Show the first N gaps.")
@click.option("--stated-only", is_flag=True, help="Leave out the structural checks.")
@click.option("--across", is_flag=True, help="Print which gap kinds and themes recur in which areas instead.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="Write to this file.")
def gaps(graph: Path, area: str | None, kind: str | None, theme: str | None, fmt: str, limit: int | None,
         stated_only: bool, across: bool, output: Path | None) -> None:
    """Gaps in commissioning and safeguarding arrangements in GRAPH (an RDF file or a store), ranked by
    weight of evidence, each with its quote, finding numbers and the recommendations that answer it."""
    from clasgraph.graph import gaps as radar
    from clasgraph.graph.io import GraphLoadError, open_source

    if kind is not None and kind not in radar.STATED_KINDS + radar.STRUCTURAL_KINDS:
        raise UserError(f"unknown gap kind {kind!r} (one of: {', '.join(radar.STATED_KINDS + radar.STRUCTURAL_KINDS)})")
    try:
        theme_key = radar.resolve_theme(theme) if theme else None
    except ValueError as exc:
        raise _fail_from(exc) from None
    try:
        source = open_source(graph)
    except GraphLoadError as exc:
        raise _fail_from(exc) from None
    if across:
        text = radar.format_recurrence(radar.recurrence_table(source))
    else:
        ranked = radar.gap_radar(source, area=area, kind=kind, theme=theme_key,
                                 structural=not stated_only and theme_key is None, limit=limit)
        if not ranked and area and not radar.gap_radar(source, area=area, limit=1):
            raise UserError(f"no area {area!r} in {graph}")
        if fmt == "json":
            text = radar.format_json(ranked)
        elif fmt == "md":
            text = radar.format_markdown(ranked)
        elif fmt == "html":
            text = radar.format_html(ranked, title=f"Gap radar — {area or graph.name}")
        else:
            text = radar.format_table(ranked)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None
        click.echo(f"wrote {output}")
    else:
        click.echo(text, nl=False)


# ---- query (issue 6)


def _open_for_read(graph: Path | None):  # -> GraphSource
    """GRAPH as given, else the default store; one line for the user when it cannot be opened."""
    from clasgraph.graph.io import GraphLoadError, open_source
    from clasgraph.graph.store import default_store_dir

    if graph is None:
        graph = default_store_dir()
        if not graph.exists():
            raise UserError(f"no GRAPH given and no store at {graph} "
                            "(run `clasgraph build REPORTS` first, or give a graph file or store directory)")
    try:
        return open_source(graph)
    except GraphLoadError as exc:
        raise _fail_from(exc) from None


def _echo_out(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)


@main.command("query", context_settings={"show_default": True})
@click.argument("args", nargs=-1, metavar="[GRAPH] [NAME]")
@click.option("-f", "--file", "query_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Run the SPARQL query in this .rq file.")
@click.option("-e", "--expr", "expr", default=None, metavar="SPARQL", help="Run this SPARQL query text.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "md"]), default="table",
              help="Output format (json: W3C SPARQL results JSON). CONSTRUCT/DESCRIBE print Turtle.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter, e.g. --param area=Stockport (repeatable); bound as a literal.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many rows.")
@click.option("--timeout", type=click.FloatRange(min=0), default=60.0, help="Seconds before giving up (0: none).")
@click.option("--endpoint", default=None, metavar="URL", help="Query this SPARQL endpoint instead of a local graph.")
@click.option("--allow-update", is_flag=True, help="Allow a SPARQL Update (on a store: written as a new version).")
@click.option("--no-cache", is_flag=True, help="Ask the engine even if this store version has the answer cached.")
def query_cmd(args: tuple[str, ...], query_file: Path | None, expr: str | None, fmt: str, params: tuple[str, ...],
              limit: int | None, timeout: float, endpoint: str | None, allow_update: bool, no_cache: bool) -> None:
    """Run a canned query NAME (see `clasgraph queries`), a query file (-f) or SPARQL text (-e) on GRAPH.

    GRAPH is a store directory or an RDF file; without it, the default store (./.clasgraph/store or
    $CLASGRAPH_STORE). Examples:

    \b
      clasgraph query out/store who-commissions-what --param area=Stockport
      clasgraph query out/store recommendations-for --param org="Stockport CCG" --format md
      clasgraph query out/demo.trig -e 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --format json
      clasgraph query --endpoint http://127.0.0.1:7878/query bodies-by-load
    """
    from clasgraph.graph import query as Q

    if query_file is not None and expr is not None:
        raise UserError("give either -f FILE or -e SPARQL, not both")
    adhoc = query_file is not None or expr is not None
    if len(args) > (1 if adhoc or endpoint else 2):
        raise UserError("too many arguments: clasgraph query [GRAPH] (NAME | -f FILE.rq | -e SPARQL)")
    graph: Path | None = None
    name: str | None = None
    if adhoc:
        graph = Path(args[0]) if args else None
    elif endpoint:
        name = args[0] if args else None
    elif len(args) == 2:
        graph, name = Path(args[0]), args[1]
    elif len(args) == 1:
        if Path(args[0]).exists() and args[0] not in Q.query_names():
            raise UserError("no query given: add a canned query NAME (`clasgraph queries`), -f FILE.rq or -e SPARQL")
        name = args[0]
    if not adhoc and not name:
        raise UserError("no query given: add a canned query NAME (`clasgraph queries`), -f FILE.rq or -e SPARQL")
    if endpoint and graph is not None:
        raise UserError("give either GRAPH or --endpoint, not both")
    try:
        given = Q.parse_param_options(params)
        subs: dict[str, str] = {}
        if name:
            cq = Q.get_query(name)
            text = Q.apply_params(cq.text, given, cq.params)
        else:
            if query_file is not None:
                try:
                    text = query_file.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise UserError(f"{query_file}: cannot read the query: {exc}") from None
            else:
                text = expr or ""
            _desc, declared = Q.parse_declarations(text)
            if declared:
                text = Q.apply_params(text, given, declared)
            else:
                subs = given
                if subs and endpoint:
                    raise UserError("--param with an undeclared parameter works on local graphs only "
                                    "(declare it in the query: see `clasgraph queries --help`)")
        if Q.query_form(text) == "UPDATE":
            _run_update(graph, text, allow_update, endpoint)
            return
        if endpoint:
            result = Q.run_remote(endpoint, text, limit=limit, timeout=timeout or None)
        else:
            source = _open_for_read(graph)
            result = Q.run_local(source, text, substitutions=subs, limit=limit, timeout=timeout or None,
                                 cache=not no_cache)
        out = Q.format_result(result, fmt)
    except Q.QueryTimeout as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.stdout.flush()
        import os

        os._exit(3)  # the engine cannot be interrupted: leave at once
    except Q.QueryError as exc:
        raise _fail_from(exc) from None
    _echo_out(out)


def _run_update(graph: Path | None, text: str, allow_update: bool, endpoint: str | None) -> None:
    from clasgraph.graph import query as Q
    from clasgraph.graph.store import StoreError, default_store_dir, is_store

    if not allow_update:
        raise UserError("this is a SPARQL Update: graphs are read-only unless you add --allow-update")
    if endpoint:
        raise UserError("SPARQL Update is not sent to endpoints; use the server's own update tools")
    target = graph or default_store_dir()
    if not target.is_dir() or not is_store(target):
        raise UserError(f"{target}: updates apply to a store directory only (not an RDF file)")
    try:
        Q.update_store_sparql(target, text)
    except (Q.QueryError, StoreError) as exc:
        raise _fail_from(exc) from None
    click.echo(f"updated store {target}")


@main.command("queries")
def queries_cmd() -> None:
    """List the canned queries with a one-line description and their parameters.

    Parameters are given as --param NAME=VALUE; in a .rq file they are declared with
    `# @param NAME description` and used on lines written `#@NAME ...` (see docs/README-query.md).
    """
    from clasgraph.graph.query import QueryError, list_queries

    try:
        queries = list_queries()
    except QueryError as exc:
        raise _fail_from(exc) from None
    width = max((len(q.name) for q in queries), default=0)
    for q in queries:
        click.echo(f"{q.name:<{width}}  {q.description}")
        if q.params:
            names = ", ".join(p.name + ("*" if p.required else "") for p in q.params)
            click.echo(f"{'':<{width}}  params: {names}")
    if any(p.required for q in queries for p in q.params):
        click.echo("(* required)")


# ---- validate (issue 6)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--max", "max_lines", type=click.IntRange(min=1), default=50, show_default=True,
              help="List at most this many violations.")
def validate(graph: Path, max_lines: int) -> None:
    """Check GRAPH (an RDF file or a store) against the SHACL shapes: exit 0 conforms, 1 violations, 2 error."""
    from clasgraph.graph.validate import ValidationError, validate_path

    try:
        report = validate_path(graph)
    except ValidationError as exc:
        raise UserError(str(exc).strip().splitlines()[0], exit_code=2) from None
    except Exception as exc:  # pySHACL/rdflib failures: still one line, exit 2
        raise UserError(f"validation failed: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc!r}",
                        exit_code=2) from None
    if report.conforms:
        click.echo(f"{graph}: conforms")
        return
    click.echo(f"{graph}: {len(report.violations)} violation(s)")
    for line in report.lines(max_lines):
        click.echo(f"  {line}")
    sys.exit(1)


# ---- serve / push (issue 6)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path), required=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 shares it).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (default: a free one).")
@click.option("--timeout", type=click.IntRange(min=1), default=60, show_default=True, help="Query timeout (s).")
def serve(graph: Path | None, host: str, port: int, timeout: int) -> None:
    """Serve GRAPH (a store, or an RDF file) read-only as a SPARQL endpoint until Ctrl-C."""
    from clasgraph.graph.serve import ServeError, Server
    from clasgraph.graph.store import default_store_dir

    target = graph or default_store_dir()
    server = Server(target, host=host, port=port, timeout_s=timeout)
    try:
        server.start()
    except ServeError as exc:
        raise _fail_from(exc) from None
    import signal

    # Ctrl-C / kill from here on: a handler that only notes it (the server stops on it too), so no
    # KeyboardInterrupt can land half-way through printing or stopping
    stopping: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        stopping.append(signum)
        if server.process is not None and server.process.poll() is None:
            server.process.terminate()  # a signal sent to this process alone stops the server too

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        click.echo(f"SPARQL endpoint: {server.query_url}  (read-only; Ctrl-C to stop)")
        click.echo(f"try: clasgraph query --endpoint {server.query_url} who-commissions-what")
        code = server.wait()
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("stopped", err=True)
    if not stopping and code not in (0, -2, -15, 130, 143):  # the server's own exit on SIGINT / SIGTERM is fine
        sys.exit(1)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol URL: Oxigraph http://host:7878/store, Fuseki http://host:3030/DS/data.")
@click.option("--timeout", type=click.FloatRange(min=1), default=120.0, show_default=True,
              help="Seconds per request.")
def push(graph: Path, endpoint: str, timeout: float) -> None:
    """Upload every named graph of GRAPH to a SPARQL 1.1 Graph Store Protocol server (PUT per graph)."""
    from clasgraph.graph.serve import ServeError, push_graphs

    try:
        result = push_graphs(graph, endpoint, timeout=timeout)
    except ServeError as exc:
        raise _fail_from(exc) from None
    click.echo(result.summary())


if __name__ == "__main__":  # pragma: no cover
    main()
