"""Benchmark the store and the canned queries against rdflib in memory, at several corpus sizes.

    .venv/bin/python benchmarks/bench_query.py                       # N = 2, 100, 1000
    .venv/bin/python benchmarks/bench_query.py --sizes 2,100 --repeat 5 --skip-rdflib-above 100

For each N it generates a synthetic corpus (benchmarks/synth_graph.py: N reports, ~2,000 triples each,
one named graph per report), builds a store from it (time, size on disk), times every canned query
(graph/queries/*.rq; required parameters get a typical value) on the store and on rdflib's
in-memory engine over the same data (p50/p95 of --repeat runs after one warm-up, one process), and
times whole processes: ``clasgraph query STORE who-commissions-what`` (all areas and with
``--param area=...``) and ``clasgraph --help``. Prints one table per size and a summary against the
targets; ``--json FILE`` keeps the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth_graph  # noqa: E402

from clasgraph.graph import query as Q  # noqa: E402
from clasgraph.graph.io import open_source  # noqa: E402
from clasgraph.graph.store import current_version_dir, import_rdf  # noqa: E402

# typical values for parameters a canned query requires (the hub body: the worst case)
REQUIRED_DEFAULTS = {"org": "NHS England", "number": "1.1", "area": synth_graph.area_name(0),
                     "service": "health-visiting", "kind": "workforce", "theme": "mash"}
_SCRIPT = Path(sys.executable).parent / "clasgraph"
CLI = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "clasgraph.cli"]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    if len(values) == 1:
        return values[0]
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def canned_cases() -> list[tuple[str, str]]:
    cases = []
    for cq in Q.list_queries():
        params = {p.name: REQUIRED_DEFAULTS.get(p.name, "x") for p in cq.params if p.required}
        cases.append((cq.name, Q.apply_params(cq.text, params, cq.params)))
    return cases


def _in_child(run_once, repeat: int, budget: float) -> list[float]:
    """Time ``run_once()`` in a forked child: one warm-up, then ``repeat`` timed runs, cut at ``budget``
    seconds (a query cannot be interrupted in-process, and one left running would skew every later
    figure). A cut run with nothing timed counts as ``budget`` (a lower bound)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        with os.fdopen(write_fd, "w") as out:
            try:
                for i in range(repeat + 1):
                    t = time.perf_counter()
                    run_once()
                    el = time.perf_counter() - t
                    if i > 0 or el > budget / 4:  # the first run is the warm-up unless it is already slow
                        out.write(f"{el}\n")
                        out.flush()
            except Exception as exc:  # e.g. rdflib's engine fails on some valid SPARQL
                out.write(f"error {type(exc).__name__}: {str(exc)[:80]}\n")
        os._exit(0)
    os.close(write_fd)
    deadline = time.perf_counter() + budget
    cut = False
    while True:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            cut = True
            break
        time.sleep(0.01)
    with os.fdopen(read_fd) as fh:
        lines = fh.read().split("\n")
    errors = [ln for ln in lines if ln.startswith("error")]
    if errors:
        raise RuntimeError(errors[0][6:])
    times = [float(ln) for ln in lines if ln.strip()]
    if cut and not times:
        times = [budget]
    return times


def time_store(store: Path, text: str, repeat: int, budget: float, cache: bool = False) -> list[float]:
    """The store opened afresh in the child (never share an open database across fork)."""
    state: dict = {}

    def once() -> None:
        if "src" not in state:
            state["src"] = open_source(store)
        Q.run_local(state["src"], text, timeout=None, cache=cache)

    return _in_child(once, repeat, budget)


def time_rdflib(ds, text: str, repeat: int, budget: float) -> list[float]:
    return _in_child(lambda: list(ds.query(text)), repeat, budget)


def whole_process(args: list[str], repeat: int) -> float:
    times = []
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    for _ in range(repeat + 1):
        t = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
        times.append(time.perf_counter() - t)
    return statistics.median(times[1:])


def run_size(n: int, work: Path, repeat: int, rdflib_on: bool, budget: float) -> dict:
    nq = work / f"synth-{n}.nq"
    with open(nq, "w", encoding="utf-8") as fh:
        quads = synth_graph.write(n, fh)
    store = work / f"store-{n}"
    shutil.rmtree(store, ignore_errors=True)
    t = time.perf_counter()
    import_rdf(nq, store)
    build = time.perf_counter() - t
    size = dir_size(current_version_dir(store))
    out: dict = {"reports": n, "quads": quads, "store_build_s": build, "store_bytes": size, "queries": {}}
    ds = None
    if rdflib_on:
        import rdflib

        t = time.perf_counter()
        ds = rdflib.Dataset(default_union=True)
        ds.parse(nq, format="nquads")
        out["rdflib_load_s"] = time.perf_counter() - t
    for name, text in canned_cases():
        try:
            st = time_store(store, text, repeat, budget)
        except RuntimeError as exc:
            print(f"  {n:>5} {name:<24} store error: {exc}", file=sys.stderr)
            continue
        row = {"store_p50": pct(st, 0.5), "store_p95": pct(st, 0.95), "runs": len(st)}
        ct = time_store(store, text, repeat, budget, cache=True)
        row.update(cached_p50=pct(ct, 0.5), cached_p95=pct(ct, 0.95))
        if ds is not None:
            try:
                rt = time_rdflib(ds, text, repeat, budget)
                row.update(rdflib_p50=pct(rt, 0.5), rdflib_p95=pct(rt, 0.95),
                           ratio=pct(rt, 0.5) / max(pct(st, 0.5), 1e-9))
            except RuntimeError as exc:  # rdflib's engine fails on some valid SPARQL
                row["rdflib_error"] = str(exc)
        out["queries"][name] = row
        print(f"  {n:>5} {name:<24} store p50 {row['store_p50'] * 1000:8.1f} ms"
              + (f"   rdflib p50 {row['rdflib_p50'] * 1000:9.1f} ms  x{row['ratio']:.0f}" if "rdflib_p50" in row
                 else f"   rdflib: {row.get('rdflib_error', 'skipped')}"),
              file=sys.stderr, flush=True)
    area = synth_graph.area_name(n // 2)
    base = [*CLI, "query", str(store), "who-commissions-what"]
    out["cli_all_areas_s"] = whole_process([*base, "--no-cache"], 3)
    out["cli_all_areas_cached_s"] = whole_process(base, 3)
    out["cli_one_area_s"] = whole_process([*base, "--no-cache", "--param", f"area={area}"], 3)
    out["cli_help_s"] = whole_process([*CLI, "--help"], 5)
    return out


def print_report(results: list[dict]) -> None:
    names = sorted({q for r in results for q in r["queries"]})
    print("\nStore build and size")
    print(f"{'reports':>8} {'quads':>10} {'build s':>8} {'size MB':>8} {'rdflib load s':>14}")
    for r in results:
        rl = f"{r['rdflib_load_s']:.1f}" if "rdflib_load_s" in r else "-"
        print(f"{r['reports']:>8} {r['quads']:>10} {r['store_build_s']:>8.2f} {r['store_bytes'] / 1e6:>8.1f} {rl:>14}")
    print("\nCanned queries: p50 / p95 in ms; store = the engine on the on-disk store (no cache), cached = the")
    print("store version's result cache; rdflib = rdflib's engine in memory; ratio = rdflib p50 / store p50")
    head = f"{'query':<24}" + "".join(f" | N={r['reports']:<5} store p50/p95      cached    rdflib p50    ratio"
                                      for r in results)
    print(head)
    for name in names:
        line = f"{name:<24}"
        for r in results:
            q = r["queries"].get(name)
            if not q:
                line += " | " + " " * 62
                continue
            rd = (f"{q['rdflib_p50'] * 1000:10.1f}  x{q['ratio']:>5.0f}" if "rdflib_p50" in q
                  else f"{'error' if 'rdflib_error' in q else '-':>10}  {'-':>6}")
            line += f" | {q['store_p50'] * 1000:8.1f} / {q['store_p95'] * 1000:8.1f}  {q['cached_p50'] * 1000:8.1f}  {rd}"
        print(line)
    print("\nWhole process (median of 3; --help of 5), seconds")
    for r in results:
        print(f"  N={r['reports']:<5} query who-commissions-what: all areas {r['cli_all_areas_s']:.2f} "
              f"(cached {r['cli_all_areas_cached_s']:.2f})   --param area {r['cli_one_area_s']:.2f}   "
              f"clasgraph --help {r['cli_help_s']:.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", default="2,100,1000", help="comma-separated report counts (default 2,100,1000)")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query after a warm-up (default 5)")
    ap.add_argument("--skip-rdflib-above", type=int, default=100,
                    help="do not run rdflib for sizes above this (its load takes minutes at 1,000)")
    ap.add_argument("--budget", type=float, default=60.0, help="seconds of runs per query and engine at most")
    ap.add_argument("--workdir", type=Path, default=None, help="keep generated files here (default: temporary)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    tmp = None
    work = args.workdir
    if work is None:
        tmp = tempfile.mkdtemp(prefix="clasgraph-bench-")
        work = Path(tmp)
    work.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for n in sizes:
            print(f"N={n}: generating, building, timing...", file=sys.stderr, flush=True)
            results.append(run_size(n, work, args.repeat, n <= args.skip_rdflib_above, args.budget))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print_report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
