"""Benchmark `clasgraph build` on a synthetic corpus: reports/second, peak memory, store size, and the
time of a rebuild when nothing changed.

    .venv/bin/python benchmarks/bench_build.py --count 1000 --jobs 2               # text reports
    .venv/bin/python benchmarks/bench_build.py --count 100 --jobs 2 --format pdf   # PDFs

The corpus (benchmarks/synth_reports.py: the bundled reports' paragraphs recombined, every place renamed)
is made once under --workdir and reused. Each build runs in a fresh process (as the CLI would), so its
peak memory is its own: the parent's peak RSS (VmHWM) and the largest worker's (getrusage of its children).
The first build writes a new store (and, with --output, a TriG file); the second build finds every report
unchanged by content hash and extracts nothing. --file-only times `clasgraph build DIR -o out.nq` instead
(no store, no rebuild).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from clasgraph.graph.buildrun import run_build
args = json.loads(sys.argv[1])
t0 = time.perf_counter()
r = run_build([Path(args["corpus"])], store_dir=Path(args["store"]) if args["store"] else None,
              output=Path(args["output"]) if args["output"] else None, jobs=args["jobs"])
wall = time.perf_counter() - t0
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:  # ru_maxrss survives exec (it may be the benchmark's own peak); VmHWM is this process's
    self_kb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = {"parent_cpu": me.ru_utime + me.ru_stime, "workers_cpu": kids.ru_utime + kids.ru_stime}
print(json.dumps({"wall": wall, "built": len([x for x in r.reports if x.error is None]),
                  "failed": len(r.errors), "unchanged": len(r.unchanged), "parent_mb": self_kb / 1024,
                  "worker_mb": child_kb / 1024, "errors": r.errors[:5],
                  "extract_s": sum(x.seconds for x in r.reports), "timings": r.timings, **cpu}))
"""


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


def run_child(corpus: Path, store: Path | None, output: Path | None, jobs: int) -> dict:
    arg = json.dumps({"corpus": str(corpus), "store": str(store) if store else "", "output": str(output) if output else "",
                      "jobs": jobs})
    proc = subprocess.run([sys.executable, "-c", CHILD, arg], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"build failed: {proc.stderr.strip().splitlines()[-1:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--format", default="txt", choices=("txt", "pdf", "html", "docx"))
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/clasgraph-bench"))
    ap.add_argument("--output", action="store_true", help="also write a TriG file in the first build")
    ap.add_argument("--file-only", action="store_true",
                    help="build to an N-Quads file only (`clasgraph build DIR -o out.nq`), no store")
    ap.add_argument("--rebuild-count", type=int, default=0,
                    help="also time a no-change rebuild of this many reports: the --count built reports plus "
                         "copies of them (each a distinct file) whose graphs are put in the store re-keyed, so "
                         "that the rebuild can be timed without extracting them all first")
    args = ap.parse_args()

    sys.path.insert(0, str(HERE))
    import synth_reports

    corpus = args.workdir / f"corpus-{args.format}-{args.count}"
    if not corpus.is_dir() or len(list(corpus.iterdir())) != args.count:
        shutil.rmtree(corpus, ignore_errors=True)
        t0 = time.perf_counter()
        synth_reports.make_corpus(corpus, args.count, args.format, progress=True)
        print(f"made {args.count} {args.format} reports in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    size_mb = du(corpus) / 1048576
    store = args.workdir / f"store-{args.format}-{args.count}"
    if not args.file_only:
        shutil.rmtree(store, ignore_errors=True)
    output = args.workdir / f"out-{args.format}-{args.count}.trig" if args.output else None
    if args.file_only:
        output = args.workdir / f"out-{args.format}-{args.count}.nq"

    read_rate = time_reading(corpus, args.jobs)
    first = run_child(corpus, None if args.file_only else store, output, args.jobs)
    second = None if args.file_only else run_child(corpus, store, None, args.jobs)
    rate = first["built"] / first["wall"] if first["wall"] else 0.0
    per_report = first["extract_s"] / max(1, first["built"])
    print(f"corpus: {args.count} {args.format} reports, {size_mb:.1f} MB; {args.jobs} worker processes "
          f"on {os.cpu_count()} CPUs")
    print(f"first build: {first['built']} built, {first['failed']} failed in {first['wall']:.1f} s "
          f"= {rate:.2f} reports/s ({per_report:.3f} s per report in a worker: read, extract, assemble)")
    print("phases (wall s): " + ", ".join(f"{k} {v:.1f}" for k, v in first.get("timings", {}).items()))
    n = max(1, first["built"])
    total_cpu = first["parent_cpu"] + first["workers_cpu"]
    print(f"CPU: {first['workers_cpu'] / n * 1000:.0f} ms per report in the workers + {first['parent_cpu'] / n * 1000:.0f} ms "
          f"in the parent (store writes, start-up) = {total_cpu / n * 1000:.0f} ms; "
          f"{n * os.cpu_count() / total_cpu if total_cpu else 0:.1f} reports/s if every CPU were free "
          f"({os.cpu_count()} CPUs)")
    print(f"reading alone (read.read_file: {args.format} -> normalised text, no extraction): "
          f"{read_rate:.1f} reports/s")
    print(f"peak memory: parent {first['parent_mb']:.0f} MB, largest worker {first['worker_mb']:.0f} MB "
          f"(at most {first['parent_mb'] + args.jobs * first['worker_mb']:.0f} MB together)")
    if first["errors"]:
        print("first errors:", *first["errors"], sep="\n  ")
    if output and output.exists():
        print(f"output file: {output.name} {output.stat().st_size / 1048576:.1f} MB")
    if second is None:
        return
    print(f"store: {du(store) / 1048576:.1f} MB on disk")
    print(f"no-change rebuild: {second['unchanged']} unchanged, {second['built']} extracted in {second['wall']:.2f} s "
          f"(peak {second['parent_mb']:.0f} MB)")
    if args.rebuild_count > args.count:
        t0 = time.perf_counter()
        n = grow_store(corpus, store, args.rebuild_count)
        print(f"store grown to {n} reports by copying ({time.perf_counter() - t0:.0f} s); "
              f"store {du(store) / 1048576:.0f} MB")
        big = run_child(corpus, store, None, args.jobs)
        print(f"no-change rebuild of {big['unchanged']} reports: {big['built']} extracted in {big['wall']:.2f} s "
              f"(peak {big['parent_mb']:.0f} MB)")


def _read_one(path: str) -> int:
    from clasgraph.build.read import read_file

    return len(read_file(path).text)


def time_reading(corpus: Path, jobs: int) -> float:
    """Reports per second for reading alone (the ingestion this issue owns), in ``jobs`` processes."""
    from concurrent.futures import ProcessPoolExecutor

    files = sorted(str(p) for p in corpus.iterdir())
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_read_one, files[:jobs]))  # warm the workers
        t0 = time.perf_counter()
        list(pool.map(_read_one, files, chunksize=4))
        return len(files) / (time.perf_counter() - t0)


def grow_store(corpus: Path, store: Path, total: int) -> int:
    """Add copies of the stored reports (new files, their graphs re-keyed) until the store holds ``total``."""
    import hashlib

    import pyoxigraph as ox

    from clasgraph.graph import vocab
    from clasgraph.graph.store import StoredReport, open_read_only, read_index, update_store

    index = read_index(store)
    originals = sorted(index.reports.values(), key=lambda e: e.key)
    graphs: dict[str, bytes] = {}
    st = open_read_only(store)
    for e in originals:
        quads = st.quads_for_pattern(None, None, None, ox.NamedNode(e.graph))
        graphs[e.key] = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                                     format=ox.RdfFormat.N_TRIPLES) or b""
    del st
    need = total - len(originals)
    batch: list[StoredReport] = []
    for j in range(need):
        e = originals[j % len(originals)]
        src = Path(e.source)
        copy = corpus / f"{src.stem}-copy{j:04d}{src.suffix}"
        data = src.read_bytes() + f"\n(copy {j})\n".encode()
        copy.write_bytes(data)
        key = f"{e.key}-copy{j:04d}"
        nt = graphs[e.key].replace(vocab.report_iri(e.key).encode(), vocab.report_iri(key).encode())
        batch.append(StoredReport(key=key, source=str(copy.resolve()), sha256=hashlib.sha256(data).hexdigest(),
                                  ntriples=nt))
        if len(batch) == 100 or j == need - 1:
            update_store(store, reports=batch)
            batch = []
    return len(read_index(store).reports)


if __name__ == "__main__":
    main()
