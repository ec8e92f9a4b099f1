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
        self.exit_code = exit_code


def _fail_from(exc: BaseException) -> UserError:
    """Turn a library error into one line for the user."""
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return UserError(msg)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clasgraph")
def main() -> None:
    """Turn CQC CLAS inspection reports into a knowledge graph of who commissions, provides and
    answers for children's health services, and query, analyse and draw it."""


# ---------------------------------------------------------------- build / stats (spine)


@main.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write the graph here; the format follows the extension (.ttl .trig .nq .nt .jsonld).")
@click.option("--store", "store_dir", type=click.Path(path_type=Path), default=None,
              help="Also write (or update) a persistent store in this directory.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def build(reports: tuple[Path, ...], output: Path | None, store_dir: Path | None, quiet: bool) -> None:
    """Build the graph of one or more REPORTS (files or directories)."""
    from clasgraph.build.errors import ReportError
    from clasgraph.graph.buildrun import run_build

    try:
        result = run_build(list(reports), output=output, store_dir=store_dir,
                           progress=not quiet and sys.stderr.isatty())
    except ReportError as exc:
        raise _fail_from(exc) from None
    except OSError as exc:
        raise UserError(f"cannot write output: {exc}") from None
    if not quiet:
        click.echo(result.summary())
    for line in result.warnings:
        click.echo(f"warning: {line}", err=True)
    for line in result.errors:
        click.echo(f"error: {line}", err=True)
    if result.errors:
        sys.exit(1)


@main.command()
@click.argument("graph", type=click.Path(path_type=Path))
def stats(graph: Path) -> None:
    """Counts of what GRAPH (an RDF file or a store directory) holds."""
    from clasgraph.graph.io import GraphLoadError, load_graph
    from clasgraph.graph.stats import graph_stats

    try:
        g = load_graph(graph)
    except GraphLoadError as exc:
        raise _fail_from(exc) from None
    for name, value in graph_stats(g).items():
        click.echo(f"{name:<28}{value}")


if __name__ == "__main__":  # pragma: no cover
    main()
