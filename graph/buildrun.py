"""The build orchestrator behind ``clasgraph build``: files and directories in, a graph file and/or a
persistent store out.

    result = run_build([Path("reports/")], output=Path("out.trig"), store_dir=Path("store"), progress=True)
    print(result.summary()); result.warnings; result.errors

Steps: find the reports (``build.discover``); hash each file; with a store, skip the files whose content
hash is already stored (no extraction at all); extract the rest in parallel worker processes (each worker
reads, extracts and assembles one report and sends back its N-Triples, so no rdflib objects cross process
boundaries); write the output file atomically (temporary file + ``os.replace``; format from the extension);
update the store through ``graph.store.update_store`` (one atomic version swap: a failed or interrupted build
leaves the previous store as it was). A report that cannot be read is one error line naming the file; the
other reports still build (``fail_fast`` stops at the first one instead).

The library never prints: progress goes to a callback or, with ``progress=True``, a bar on stderr.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import queue
import re
import shutil
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import vocab

RDFS_LABEL = vocab.RDFS + "label"
SKOS_ALT = vocab.SKOS + "altLabel"
ORG_PREFIX = vocab.ID + "org/"
MAX_MB = 40  # reports larger than this are refused (a CLAS report is well under 1 MB of text; PDFs a few MB)


class BuildError(Exception):
    """The build as a whole cannot go on (bad output path, store refused); ``str()`` is one line."""


@dataclass
class ReportOutcome:
    """What one worker sends back for one report file."""

    source: str  # the path as shown to the user
    sha256: str = ""
    key: str = ""
    nt_file: str = ""  # the report's N-Triples, zlib-compressed, in the run's scratch folder
    plain: bool = False  # nt_file is in the layout the worker's sink writes (store.plain_ntriples holds)
    labels: list[tuple[str, str]] = field(default_factory=list)  # (organisation IRI, rdfs:label)
    counts: dict[str, int] = field(default_factory=dict)
    organisations: list[str] = field(default_factory=list)  # organisation keys
    services: list[tuple[str, str]] = field(default_factory=list)  # (area, service) with a stated arrangement
    commissioned: list[tuple[str, str]] = field(default_factory=list)  # (area, service) with a commissioner
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


@dataclass
class BuildResult:
    reports: list[ReportOutcome] = field(default_factory=list)  # extracted in this run, in input order
    unchanged: list[str] = field(default_factory=list)  # sources skipped: already stored with this content
    moved: dict[str, tuple[str, str]] = field(default_factory=dict)  # of those, source -> (key, stored source)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    output: Path | None = None
    store_summary: str = ""
    seconds: float = 0.0
    files_found: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds of the build's phases

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        """Counts over the reports extracted in this run (a report given twice counted once)."""
        by_key: dict[str, ReportOutcome] = {}
        for r in self.reports:
            if r.error is None:
                by_key.setdefault(r.key, r)
        good = list(by_key.values())
        total: Counter[str] = Counter()
        for r in good:
            total.update(r.counts)
        services = {s for r in good for s in r.services}
        commissioned = {s for r in good for s in r.commissioned}
        return {
            "reports": len(good),
            "organisations": len({o for r in good for o in r.organisations}),
            "recommendations": total["recommendations"],
            "findings": total["findings"],
            "citations": total["citations"],
            "commissioning facts": total["commissioning"],
            "provision facts": total["provision"],
            "services with no stated commissioner": len(services - commissioned),
            "warnings": len(self.warnings),
        }

    def summary(self) -> str:
        c = self.counts()
        failed = sum(1 for r in self.reports if r.error is not None)
        if not self.reports and self.unchanged:
            tail = f"; {self.store_summary}" if self.store_summary else ""
            out = f"; graph: {self.output}" if self.output is not None else ""
            return (f"nothing to extract: {len(self.unchanged)} report{'s' if len(self.unchanged) != 1 else ''} "
                    f"unchanged since the last build{tail}{out}; {self.seconds:.1f} s")
        if not c["reports"] and not self.unchanged:
            n = len(self.errors)
            return f"no report built ({n} error{'s' if n != 1 else ''}, listed below); {self.seconds:.1f} s"
        head = f"{c['reports']} report{'s' if c['reports'] != 1 else ''} built"
        if self.unchanged:
            head += f", {len(self.unchanged)} unchanged (skipped)"
        if failed:
            head += f", {failed} failed"
        parts = [head] + [f"{v} {k}" for k, v in c.items() if k != "reports"]
        line = ": ".join([parts[0], ", ".join(parts[1:])])
        extra = []
        if self.output is not None:
            extra.append(f"graph: {self.output}")
        if self.store_summary:
            extra.append(self.store_summary)
        extra.append(f"{self.seconds:.1f} s")
        return line + "\n" + "; ".join(extra)


# ------------------------------------------------------------------------------------ the worker


def extract_one(path: str, source: str, max_bytes: int, nt_file: str, check_shapes: bool = False) -> ReportOutcome:
    """Read, extract and assemble one report; its N-Triples go to ``nt_file`` (zlib), so that only small
    results cross process boundaries and the parent never holds every report's triples at once.
    ``check_shapes``: also validate the report's graph against the SHACL shapes (warnings).
    Never raises: an error is returned as one line naming the file."""
    from ..build.errors import ReportError

    t0 = time.perf_counter()
    out = ReportOutcome(source=source)
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise ReportError(source, f"file is {size / 1048576:.0f} MB; reports over {max_bytes // 1048576} MB "
                                      "are refused (is it really a report? raise the limit with --max-size)")
        from ..build.pipeline import extract_file
        from .assemble import NTriplesSink, emit_triples

        ex = extract_file(Path(path), max_bytes=max_bytes)
        sink = NTriplesSink(watch_labels=ORG_PREFIX)
        key = emit_triples(ex, sink.add, sink.terms)
        data = sink.getvalue()
        if check_shapes:
            ex.warnings += [f"{Path(path).name}: {w}" for w in _shape_warnings(data)]
        out.key = key
        out.sha256 = ex.document.sha256
        Path(nt_file).write_bytes(zlib.compress(data, 1))
        out.nt_file = nt_file
        out.plain = True  # NTriplesSink writes one triple a line, line breaks in literals escaped (tested)
        out.labels = sink.labels()
        area = ex.meta.area or Path(path).stem
        out.counts = {
            "recommendations": len(ex.recommendations),
            "findings": len(ex.structure.findings),
            "citations": sum(len(c.numbers) for c in ex.citations),
            "commissioning": sum(1 for a in ex.arrangements if a.relation == "commissions"),
            "provision": sum(1 for a in ex.arrangements if a.relation == "provides"),
        }
        out.organisations = sorted({o.key for o in ex.organisations})
        out.services = sorted({(area, a.service) for a in ex.arrangements})
        out.commissioned = sorted({(area, a.service) for a in ex.arrangements if a.relation == "commissions"})
        out.warnings = [w if w.startswith(source) or w.startswith(Path(path).name) else f"{source}: {w}"
                        for w in ex.warnings]
    except ReportError as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else "unreadable report"
        out.error = msg if msg.startswith(source) else f"{source}: {exc.problem}"
    except MemoryError:
        out.error = f"{source}: out of memory while reading this report"
    except RecursionError:
        out.error = f"{source}: the report's structure is too deeply nested to read"
    except Exception as exc:  # a bug: say so in one line, keep the other reports going
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        out.error = f"{source}: internal error while extracting ({type(exc).__name__}: {first}); please report it"
    out.seconds = time.perf_counter() - t0
    return out


def _shape_warnings(ntriples: bytes) -> list[str]:
    """SHACL conformance warnings of one report graph (given as N-Triples)."""
    from rdflib import Graph

    from .validate import conformance_warnings

    return conformance_warnings(Graph().parse(data=ntriples.decode("utf-8"), format="nt"))


def _warm() -> None:  # pool initializer: import the pipeline once per worker
    from ..build import pipeline  # noqa: F401
    from . import assemble  # noqa: F401


# ------------------------------------------------------------------------------------ progress


class ProgressBar:
    """A one-line progress bar on a stream (stderr), redrawn at most ten times a second."""

    def __init__(self, total: int, stream=None, width: int = 30) -> None:  # type: ignore[no-untyped-def]
        self.total, self.done, self.width = total, 0, width
        self.stream = stream or sys.stderr
        self.t0 = time.perf_counter()
        self.last = 0.0

    def step(self, label: str = "") -> None:
        self.done += 1
        now = time.perf_counter()
        if now - self.last < 0.1 and self.done < self.total:
            return
        self.last = now
        frac = self.done / self.total if self.total else 1.0
        bar = "#" * int(frac * self.width)
        rate = self.done / max(1e-6, now - self.t0)
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        eta = f"{int(left // 60)}m{int(left % 60):02d}s left" if self.done < self.total else ""
        label = (label[-40:]) if label else ""
        self.stream.write(f"\r[{bar:<{self.width}}] {self.done}/{self.total} {rate:5.1f}/s {eta:>11} {label:<40}")
        self.stream.flush()

    def status(self, text: str) -> None:
        """Replace the bar with one line of text (what the build does after extraction)."""
        self.stream.write("\r" + " " * (self.width + 112) + "\r" + text[: self.width + 110])
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r" + " " * (self.width + 112) + "\r")
        self.stream.flush()


# ------------------------------------------------------------------------------------ the build


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def store_source(path: Path) -> str:
    """How the store names a report's source: its absolute path (the same file from any directory)."""
    return str(path.resolve())


def run_build(
    paths: list[Path],
    output: Path | None = None,
    store_dir: Path | None = None,
    progress: bool = False,
    *,
    jobs: int | None = None,
    prune: bool = False,
    fail_fast: bool = False,
    max_mb: float = MAX_MB,
    on_report: Callable[[ReportOutcome], None] | None = None,
    check_shapes: bool = False,
    warm_queries: bool = False,
) -> BuildResult:
    """Build the reports found under ``paths`` (see the module docstring).

    ``jobs``: worker processes (default: the number of CPUs; 1 runs in this process). ``prune``: drop
    stored reports whose file was not seen in this run. ``fail_fast``: stop at the first report that
    fails (nothing is written). ``check_shapes``: validate each report's graph against the SHACL shapes
    and warn where it does not conform (about 0.1 s a report). ``warm_queries``: after a store update,
    answer every canned query once so that its first ``clasgraph query`` is served from the cache
    (on 1,000 reports this takes a minute or more; otherwise each question costs that once, on first
    use). Raises ``BuildError`` only for problems with the run as a whole.
    """
    from ..build.discover import discover

    t0 = time.perf_counter()
    result = BuildResult(output=output)
    if output is not None:
        _check_output(output)
    found = discover([Path(p) for p in paths])
    result.errors.extend(found.errors)
    result.files_found = len(found.files)
    if fail_fast and result.errors:
        result.seconds = time.perf_counter() - t0
        return result

    index = None
    if store_dir is not None:
        from .store import StoreError, is_store, read_index

        try:
            index = read_index(store_dir) if is_store(store_dir) else None
        except StoreError as exc:
            raise BuildError(str(exc)) from None

    max_bytes = int(max_mb * 1048576)
    todo: list[tuple[Path, str]] = []
    stored_at: dict[str, Any] = {}  # source -> index entry
    by_content: dict[tuple[str, str], Any] = {}  # (content hash, file name) -> index entry
    if index is not None:
        for e in index.reports.values():
            stored_at[e.source] = e
            by_content.setdefault((e.sha256, Path(e.source).name), e)
    seen = {store_source(p) for p in found.files}
    moved_from: dict[str, str] = {}  # key -> the first source it was found moved to
    for p in found.files:
        try:
            size = p.stat().st_size
            if size <= max_bytes and index is not None:
                sha, source = _sha256_file(p), store_source(p)
                entry = stored_at.get(source)
                if entry is not None and entry.sha256 == sha:
                    result.unchanged.append(str(p))
                    continue
                entry = by_content.get((sha, p.name))
                if entry is not None and entry.source not in seen and entry.key not in moved_from:
                    # the same file (content and name) stored from a path not in this run: moved, not changed
                    moved_from[entry.key] = str(p)
                    result.unchanged.append(str(p))
                    result.moved[source] = (entry.key, entry.source)
                    continue
                if entry is not None and entry.key in moved_from:
                    result.warnings.append(f"{p}: the same report as {moved_from[entry.key]} (key {entry.key}); "
                                           f"stored once, from {moved_from[entry.key]}")
                    continue
        except OSError as exc:
            result.errors.append(f"{p}: cannot read ({exc.strerror or exc})")
            continue
        todo.append((p, str(p)))

    _clean_stale_scratch()
    scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
    try:
        _finish(result, todo, found.files, scratch, output, store_dir, jobs, progress, fail_fast, prune,
                max_bytes, on_report, check_shapes, warm_queries)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    result.seconds = time.perf_counter() - t0
    return result


SCRATCH_PREFIX = "clasgraph-build-"


def _clean_stale_scratch() -> None:
    """Remove scratch folders left by builds that were killed (their process is gone)."""
    tmp = Path(tempfile.gettempdir())
    try:
        entries = [p for p in tmp.iterdir() if p.name.startswith(SCRATCH_PREFIX) and p.is_dir()]
    except OSError:
        return
    for p in entries:
        pid_text = p.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if not pid_text.isdigit():
            continue
        try:
            os.kill(int(pid_text), 0)
        except ProcessLookupError:
            shutil.rmtree(p, ignore_errors=True)
        except (PermissionError, OSError):
            continue  # alive (someone else's) or unknowable: leave it


def _finish(result: BuildResult, todo: list[tuple[Path, str]], files: list[Path], scratch: Path,
            output: Path | None, store_dir: Path | None, jobs: int | None, progress: bool, fail_fast: bool,
            prune: bool, max_bytes: int, on_report: Callable[[ReportOutcome], None] | None,
            check_shapes: bool, warm_queries: bool) -> None:
    """Extract (storing each report as it comes), then write the output file and commit the store
    (see ``run_build``)."""
    by_path = {src: p for p, src in todo}
    order = {src: i for i, (_p, src) in enumerate(todo)}
    first_of: dict[str, ReportOutcome] = {}  # report key -> the first report (in input order) with it
    with contextlib.ExitStack() as stack:
        pool = None
        if _workers(jobs, len(todo)) > 1:  # its processes are forked now, before the store writer starts threads
            pool = _start_pool(_workers(jobs, len(todo)))
            stack.callback(pool.shutdown, wait=False, cancel_futures=True)
        feeder: _StoreFeeder | None = None
        if store_dir is not None:
            from .store import StoreError, StoreWriter

            try:
                writer = stack.enter_context(StoreWriter(store_dir))
            except StoreError as exc:
                raise BuildError(str(exc)) from None
            for source, (key, _old) in result.moved.items():
                writer.move(key, source)
            feeder = _StoreFeeder(writer)
            stack.callback(feeder.stop)

        def arrived(r: ReportOutcome) -> None:
            if feeder is not None:
                feeder.check()
            if r.error is None:
                first = first_of.get(r.key)
                if first is None or order[r.source] < order[first.source]:
                    first_of[r.key] = r  # the same report twice (a PDF and its text, a copy): the first one
                    if feeder is not None:  # (one that came later in the input but finished sooner is replaced)
                        feeder.put(_FileBackedReport(r.key, store_source(by_path[r.source]), r.sha256,
                                                     Path(r.nt_file), r.plain), replace=first is not None)
            if on_report is not None:
                on_report(r)

        t0 = time.perf_counter()
        outcomes = _extract_all(todo, jobs, progress, fail_fast, max_bytes, arrived, scratch, check_shapes, pool=pool)
        result.timings["extract"] = time.perf_counter() - t0
        for r in outcomes:
            if r.error:
                result.errors.append(r.error)
            result.warnings.extend(r.warnings)
        result.reports = outcomes
        good: list[ReportOutcome] = []
        for r in outcomes:
            if r.error is not None:
                continue
            if first_of[r.key] is not r:
                first = first_of[r.key]
                result.warnings.append(f"{r.source}: the same report as {first.source} (key {r.key}); "
                                       f"built once, from {first.source}")
                continue
            good.append(r)

        if fail_fast and result.errors:
            result.output = None
            return  # leaving the block discards what the store writer wrote
        if not good and not result.unchanged:
            result.output = None
            if not result.errors:
                result.errors.append("no reports to build")
            return

        status = ProgressBar(0) if progress else None  # what happens after extraction, on a terminal
        if status is not None:
            stack.callback(status.close)
        t0 = time.perf_counter()
        if feeder is not None:
            if status is not None:
                status.status(f"writing the last reports into the store {store_dir} ...")
            feeder.close()  # every report is written (or the writer's error is raised here)
        result.timings["store-write-tail"] = time.perf_counter() - t0
        if output is not None:
            if status is not None:
                status.status(f"writing {output} ...")
            t0 = time.perf_counter()
            stored = (_stored_graphs(store_dir, result.unchanged, result.moved)
                      if result.unchanged and store_dir else [])
            write_output(good, output, stored)
            result.timings["output"] = time.perf_counter() - t0
        if feeder is not None:
            from .store import StoreError

            seen = {store_source(p) for p in files}
            if status is not None:
                status.status(f"finishing the store {store_dir} (compacting it after a large update) ...")
            t0 = time.perf_counter()
            try:
                upd = feeder.writer.commit(prune=prune, seen_sources=seen)
            except StoreError as exc:
                raise BuildError(str(exc)) from None
            result.timings["store-commit"] = time.perf_counter() - t0
            result.warnings.extend(upd.warnings)
            result.store_summary = upd.summary()
            if upd.written and warm_queries:
                # answer the canned questions once now, so the first `clasgraph query NAME` is fast too
                from .query import QueryError, warm_cache

                assert store_dir is not None
                if status is not None:
                    status.status("answering the canned queries once (--warm-queries) ...")
                t0 = time.perf_counter()
                try:
                    warm_cache(store_dir, timeout=15)  # a pathological query must not hold the build up
                except QueryError as exc:  # a slow or failing canned query must not fail the build
                    result.warnings.append(f"{store_dir}: canned queries not cached: {exc}")
                result.timings["query-cache"] = time.perf_counter() - t0


class _StoreFeeder:
    """Writes reports into a ``StoreWriter`` on a background thread while extraction goes on (the
    writer's bulk loads run in Oxigraph without holding the GIL). ``put`` queues a report; ``close``
    waits for the queue to drain and raises the writer's error, if any; ``check`` raises it early."""

    _STOP = object()

    def __init__(self, writer: Any) -> None:
        self.writer = writer
        self.error: BaseException | None = None
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="clasgraph-store-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is self._STOP:
                return
            if self.error is not None:
                continue  # drain: the build is failing
            try:
                report, replace = item
                self.writer.put(report, replace=replace)
            except BaseException as exc:  # handed to the main thread by check() / close()
                self.error = exc

    def put(self, report: Any, replace: bool = False) -> None:
        self._queue.put((report, replace))

    def check(self) -> None:
        if self.error is not None:
            self._raise()

    def _raise(self) -> None:
        from .store import StoreError

        err = self.error
        if isinstance(err, StoreError):
            raise BuildError(str(err)) from None
        assert err is not None
        raise err

    def close(self) -> None:
        from .store import StoreError

        self.stop()
        self.check()
        try:
            self.writer.flush()
        except StoreError as exc:
            raise BuildError(str(exc)) from None

    def stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(self._STOP)
            self._thread.join()


def _check_output(output: Path) -> None:
    from .io import RDF_FORMATS

    if output.suffix.lower() not in OUTPUT_FORMATS:
        known = " ".join(k for k in RDF_FORMATS if k in OUTPUT_FORMATS)
        raise BuildError(f"{output}: unknown output format {output.suffix or '(none)'!r} (use one of {known})")
    if output.is_dir():
        raise BuildError(f"{output}: is a directory; give a file name such as {output / 'graph.trig'}")
    parent = output.parent if str(output.parent) else Path(".")
    if parent.exists() and not os.access(parent, os.W_OK):
        raise BuildError(f"{output}: cannot write into {parent}")


def _workers(jobs: int | None, reports: int) -> int:
    return max(1, min(jobs or os.cpu_count() or 1, reports))


def _start_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes, all started now. With the fork start method the first task forks
    every worker at once, and forking is only safe while this process runs no other thread (the store
    writer's and RocksDB's threads start later; a pool rebuilt after a worker died is the exception)."""
    _warm()  # import in the parent first: forked workers share it
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_warm)
    pool.submit(_warm)
    return pool


def _extract_all(todo: list[tuple[Path, str]], jobs: int | None, progress: bool, fail_fast: bool,
                 max_bytes: int, on_report: Callable[[ReportOutcome], None] | None,
                 scratch: Path, check_shapes: bool = False,
                 pool: ProcessPoolExecutor | None = None) -> list[ReportOutcome]:
    """Extract ``todo`` in ``jobs`` worker processes (``pool``: already started by ``_start_pool``; it
    is shut down here), calling ``on_report`` with each outcome as it arrives."""
    n = len(todo)
    if n == 0:
        if pool is not None:
            pool.shutdown(wait=False)
        return []
    workers = _workers(jobs, n)
    bar = ProgressBar(n) if progress else None
    results: list[ReportOutcome | None] = [None] * n
    try:
        if workers == 1:
            for i, (p, src) in enumerate(todo):
                r = extract_one(str(p), src, max_bytes, str(scratch / f"{i:06d}.nt.z"), check_shapes)
                results[i] = r
                if bar:
                    bar.step(src)
                if on_report:
                    on_report(r)
                if fail_fast and r.error:
                    break
        else:
            if pool is None:
                pool = _start_pool(workers)
            try:
                pending: dict[Future[ReportOutcome], int] = {}
                waiting = list(enumerate(todo))[::-1]
                stop = False
                # When a worker dies (a crash, a kill, out of memory) every report in flight fails with it.
                # Those become suspects and run again one at a time, alone in the pool, so that a report
                # that kills its worker is told apart from the reports that were only beside it.
                suspects: list[int] = []
                alone: int | None = None  # the suspect running alone
                while waiting or pending or suspects:
                    if getattr(pool, "_broken", False) and not pending:  # carry on in a new pool
                        pool.shutdown(wait=False, cancel_futures=True)
                        pool = ProcessPoolExecutor(max_workers=workers, initializer=_warm)
                    if suspects:
                        if not pending and not stop:
                            alone = suspects.pop(0)
                            p, src = todo[alone]
                            nt = str(scratch / f"{alone:06d}.nt.z")
                            pending[pool.submit(extract_one, str(p), src, max_bytes, nt, check_shapes)] = alone
                    else:
                        while (waiting and len(pending) < workers * 4 and not stop
                               and not getattr(pool, "_broken", False)):
                            i, (p, src) = waiting.pop()
                            nt = str(scratch / f"{i:06d}.nt.z")
                            pending[pool.submit(extract_one, str(p), src, max_bytes, nt, check_shapes)] = i
                    if not pending:
                        if stop:
                            break
                        continue
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        i = pending.pop(fut)
                        try:
                            r = fut.result()
                        except BrokenProcessPool:
                            if i != alone:
                                suspects.append(i)
                                continue
                            src = todo[i][1]
                            r = ReportOutcome(source=src, error=f"{src}: the process reading it crashed or ran "
                                                               "out of memory")
                        if i == alone:
                            alone = None
                        results[i] = r
                        if bar:
                            bar.step(r.source)
                        if on_report:
                            on_report(r)
                        if fail_fast and r.error:
                            stop = True
                            waiting.clear()
                            suspects.clear()
            except BaseException:  # Ctrl-C, or a failure here: stop the workers now, keep nothing
                for proc in list(getattr(pool, "_processes", {}).values()):
                    proc.terminate()
                pool.shutdown(wait=False, cancel_futures=True)
                raise
            pool.shutdown(wait=True)
    finally:
        if bar:
            bar.close()
    return [r for r in results if r is not None]


# ------------------------------------------------------------------------------------ output


OUTPUT_FORMATS = {".ttl": "TURTLE", ".trig": "TRIG", ".nq": "N_QUADS", ".nt": "N_TRIPLES", ".jsonld": "JSON_LD",
                  ".json": "JSON_LD", ".rdf": "RDF_XML", ".xml": "RDF_XML"}


def _ontology_ntriples() -> bytes:
    from .assemble import ontology_graph

    data: bytes = ontology_graph().serialize(format="nt", encoding="utf-8")
    return data


def _stored_graphs(store_dir: Path | None, sources: list[str], moved: dict[str, tuple[str, str]] | None = None,
                   ) -> list[tuple[str, Callable[[], bytes]]]:
    """(graph IRI, loader of its N-Triples) of the reports kept unchanged in the store, for the output file
    (``moved``: source -> (key, the source it is stored under), for files found moved)."""
    if store_dir is None:
        return []
    import pyoxigraph as ox

    from .store import open_read_only, read_index

    index = read_index(store_dir)
    wanted = {store_source(Path(s)) for s in sources}
    wanted |= {old for _key, old in (moved or {}).values()}
    st = open_read_only(store_dir)

    def loader(iri: str) -> Callable[[], bytes]:
        def load() -> bytes:
            quads = st.quads_for_pattern(None, None, None, ox.NamedNode(iri))
            data = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                                format=ox.RdfFormat.N_TRIPLES)
            return data or b""
        return load

    return [(e.graph, loader(e.graph)) for e in sorted(index.reports.values(), key=lambda e: e.key)
            if e.source in wanted]


class _FileBackedReport:
    """A report for ``store.update_store`` whose N-Triples stay on disk until the store writes them (the
    store reads ``ntriples`` once per report), so a 1,000-report build never holds them all in memory."""

    graph = None

    def __init__(self, key: str, source: str, sha256: str, path: Path, plain: bool = False) -> None:
        self.key, self.source, self.sha256, self._path, self.plain = key, source, sha256, path, plain

    @property
    def ntriples(self) -> bytes:
        return zlib.decompress(self._path.read_bytes())

    @property
    def graph_iri(self) -> str:
        return vocab.report_graph_iri(self.key)


def outcome_ntriples(r: ReportOutcome) -> bytes:
    """The N-Triples of an extracted report."""
    return zlib.decompress(Path(r.nt_file).read_bytes())


def write_output(reports: list[ReportOutcome], output: Path,
                 stored: list[tuple[str, Callable[[], bytes]]] | None = None) -> None:
    """Write the reports' graphs (one named graph each, plus the ontology graph) to ``output``, atomically
    (a temporary file in the same folder, then ``os.replace``), one report at a time.

    Turtle and N-Triples flatten the named graphs into one graph (triples about shared nodes such as
    organisations written once). Where reports give one body different labels, it keeps one
    ``rdfs:label`` (the most common, then the longest) and the others become ``skos:altLabel``, as
    ``assemble.build_dataset`` does. ``stored``: (graph IRI, loader) of reports taken from the store.

    The reports' N-Triples are rewritten as bytes (only the few label lines to unify are parsed), so
    N-Quads and N-Triples output never builds a Python object per triple; Turtle, TriG and JSON-LD are
    parsed from those bytes and written by Oxigraph."""
    import pyoxigraph as ox

    fmt = getattr(ox.RdfFormat, OUTPUT_FORMATS[output.suffix.lower()])
    names: dict[str, Counter[str]] = {}
    for r in reports:
        for node, lab in r.labels:
            names.setdefault(node, Counter())[lab] += 1
    if stored:  # labels of the stored reports' organisations
        for _iri, load in stored:
            for node, lab in _org_labels(load()):
                names.setdefault(node, Counter())[lab] += 1
    best = {node: max(c, key=lambda n: (c[n], len(n))) for node, c in names.items() if len(c) > 1}
    # (graph IRI, loader, known plain, may hold a label to unify): a worker's report says both itself
    graphs: list[tuple[str, Callable[[], bytes], bool, bool]] = [
        (vocab.report_graph_iri(r.key), (lambda r=r: outcome_ntriples(r)), r.plain,  # type: ignore[misc]
         not r.plain or any(best.get(node, lab) != lab for node, lab in r.labels)) for r in reports]
    graphs += [(iri, load, False, True) for iri, load in stored or []]
    graphs.append((vocab.ONTOLOGY_GRAPH, _ontology_ntriples, False, False))
    shared: set[int] = set()  # flattening: hashes of the lines about shared nodes already written
    report_prefix = f"<{vocab.ID}report/".encode()

    def chunks() -> Iterator[bytes]:
        """The output as N-Quads (a dataset format) or flattened N-Triples, one graph at a time."""
        for iri, load, plain, rewrite in graphs:
            data = load() if plain else _plain_ntriples(load())
            if rewrite:
                data = _unify_labels(data, best)
            if fmt.supports_datasets:
                yield data.replace(b" .\n", f" <{iri}> .\n".encode())
                continue
            kept = []
            for line in data.splitlines(keepends=True):
                if not line.startswith(report_prefix):
                    h = hash(line)
                    if h in shared:
                        continue
                    shared.add(h)
                kept.append(line)
            yield b"".join(kept)

    parent = output.parent if str(output.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES):
                for chunk in chunks():
                    fh.write(chunk)
            else:
                line_fmt = ox.RdfFormat.N_QUADS if fmt.supports_datasets else ox.RdfFormat.N_TRIPLES
                terms = itertools.chain.from_iterable(ox.parse(c, format=line_fmt) for c in chunks())
                if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
                    ox.serialize(terms, fh, format=fmt, prefixes=vocab.PREFIXES)
                else:
                    ox.serialize(terms, fh, format=fmt)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# an organisation's label line (the caller checks that the match starts a line: a pattern anchored with
# ^ in multi-line mode is tried at every position of a report's megabyte, unanchored it skips to the IRI)
_ORG_LABEL = re.compile(rb"<(" + re.escape(ORG_PREFIX.encode()) + rb"[^>]*)> <" + re.escape(RDFS_LABEL.encode())
                        + rb"> [^\n]*\n")


def _org_label_lines(data: bytes) -> Iterator[re.Match[bytes]]:
    for m in _ORG_LABEL.finditer(data):
        if m.start() == 0 or data[m.start() - 1] == 0x0A:
            yield m


def _plain_ntriples(data: bytes) -> bytes:
    """N-Triples in the layout clasgraph writes (one triple a line ending " .", nothing else); another
    layout (comments, blank lines, other spacing) is parsed and written again."""
    from .store import plain_ntriples

    if plain_ntriples(data):
        return data
    import pyoxigraph as ox

    return ox.serialize(ox.parse(data, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES) or b""


def _label_line(line: bytes) -> Any:
    """The triple of one N-Triples line (an organisation's label line), or None if it is not one."""
    import pyoxigraph as ox

    try:
        return next(iter(ox.parse(line, format=ox.RdfFormat.N_TRIPLES)), None)
    except (SyntaxError, ValueError):
        return None


def _org_labels(ntriples: bytes) -> Iterator[tuple[str, str]]:
    """(organisation IRI, label) of every organisation's ``rdfs:label`` in a report's N-Triples."""
    for m in _org_label_lines(_plain_ntriples(ntriples)):
        t = _label_line(m.group())
        if t is not None:
            yield t.subject.value, t.object.value


def _unify_labels(data: bytes, best: dict[str, str]) -> bytes:
    """``data`` (plain N-Triples) with each organisation label that is not the body's chosen one
    (``best``) replaced by the chosen label, the replaced one kept as ``skos:altLabel`` (each rewritten
    triple once in the graph)."""
    if not best:
        return data
    import pyoxigraph as ox

    out: list[bytes] = []
    pos = 0
    written: set[bytes] = set()
    for m in _org_label_lines(data):
        chosen = best.get(m.group(1).decode("utf-8"))
        if chosen is None:
            continue
        t = _label_line(m.group())
        if t is None or t.object.value == chosen:
            continue
        out.append(data[pos:m.start()])
        pos = m.end()
        new = ox.serialize([ox.Triple(t.subject, t.predicate, ox.Literal(chosen)),
                            ox.Triple(t.subject, ox.NamedNode(SKOS_ALT), t.object)], format=ox.RdfFormat.N_TRIPLES)
        for line in (new or b"").splitlines(keepends=True):
            if line not in written:
                written.add(line)
                out.append(line)
    if not out:
        return data
    out.append(data[pos:])
    return b"".join(out)
