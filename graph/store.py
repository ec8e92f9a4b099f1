"""The persistent store: an on-disk Oxigraph database of report graphs, updated incrementally and atomically.

Layout of a store directory ``STORE``::

    STORE/clasgraph-store.json   pointer: {"format": "clasgraph-store", "version": 1, "current": "data-…"}
    STORE/data-<id>/oxigraph/    the Oxigraph (RocksDB) database of that version
    STORE/data-<id>/index.json   the report index of that version (see ``StoreIndex``)
    STORE/.tmp-<id>/             a version being written (removed on failure, cleaned up by the next update)
    STORE/.lock                  held (flock) by the one process updating the store

The database holds one named graph per report (``id:graph/<report-key>``, see graph/vocab.py) and the
named graph ``id:graph/ontology`` with the ontology and SKOS schemes loaded from ``ontology/*.ttl``
(every Turtle file there except SHACL shapes). Query with the default graph as the union of all graphs.

Atomic updates: a new version is written into a temporary directory inside ``STORE`` (a cheap
hard-linked Oxigraph checkpoint of the current version, then the changes), renamed to ``data-<id>``,
and only then made current by ``os.replace`` of the pointer file. A build that fails or is killed at
any point leaves the previous version current, intact and readable. The version before the current
one is kept (readers that read the pointer just before a swap still find it); older ones are removed.

API for the build orchestrator (graph/buildrun.py)::

    from clasgraph.graph.store import StoredReport, StoreWriter, update_store, read_index, default_store_dir

    index = read_index(store_dir)          # StoreIndex (empty if no store yet)
    index.unchanged(source, sha256)        # True: skip extracting this file, it is stored as is
    result = update_store(
        store_dir,
        reports=[StoredReport(key, source, sha256, graph=rdflib_graph_or_None, ntriples=bytes_or_None)],
        prune=True,                        # drop stored reports whose source is not in seen_sources
        seen_sources={...},                # every source of this run, including the unchanged ones skipped
    )                                      # -> StoreUpdate(added, replaced, unchanged, removed, warnings, ...)

    with StoreWriter(store_dir) as w:      # the same, fed one report at a time (the build does this
        w.put(StoredReport(...))           # from a background thread while extraction goes on)
        result = w.commit(prune=..., seen_sources=...)

``reports`` are the reports extracted in this run. A report whose key and content hash are already
stored is skipped; a changed one replaces its own named graph (and a stored report with the same
source under another key is dropped); with ``prune`` a stored report whose source was not seen is
removed. Each report's triples come either as an rdflib Graph (``graph``) or, cheaper when built in
a worker process, as N-Triples bytes (``ntriples``). ``StoreError`` (one line) reports any failure.

The default store is ``./.clasgraph/store``, or ``$CLASGRAPH_STORE`` when set (``default_store_dir``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import vocab

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

POINTER = "clasgraph-store.json"
FORMAT = "clasgraph-store"
VERSION = 1
DB_DIR = "oxigraph"
INDEX_FILE = "index.json"
ENV_VAR = "CLASGRAPH_STORE"
ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"


class StoreError(Exception):
    """The store cannot be read or written; ``str()`` is one line for the user."""


def default_store_dir() -> Path:
    """``$CLASGRAPH_STORE`` if set, else ``./.clasgraph/store``."""
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else Path(".clasgraph") / "store"


def is_store(path: Path) -> bool:
    return (path / POINTER).is_file()


# ---------------------------------------------------------------- index


@dataclass
class ReportEntry:
    key: str
    graph: str  # named graph IRI
    source: str
    sha256: str
    triples: int = 0
    stored: str = ""  # ISO time the graph was written


@dataclass
class StoreIndex:
    """What a store version holds: report key -> entry, and the hash of the ontology it loaded."""

    reports: dict[str, ReportEntry] = field(default_factory=dict)
    ontology_sha256: str = ""
    updated: str = ""

    def by_source(self, source: str) -> ReportEntry | None:
        for e in self.reports.values():
            if e.source == source:
                return e
        return None

    def unchanged(self, source: str, sha256: str) -> bool:
        """True when a report from ``source`` with this content hash is stored (nothing to do)."""
        e = self.by_source(source)
        return e is not None and e.sha256 == sha256

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "updated": self.updated,
            "ontology_sha256": self.ontology_sha256,
            "reports": [asdict(e) for e in sorted(self.reports.values(), key=lambda e: e.key)],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StoreIndex:
        reports = {r["key"]: ReportEntry(**r) for r in data.get("reports", [])}
        return cls(reports=reports, ontology_sha256=data.get("ontology_sha256", ""), updated=data.get("updated", ""))


@dataclass
class StoredReport:
    """One report's graph to store. Give ``graph`` (rdflib) or ``ntriples`` (N-Triples bytes)."""

    key: str
    source: str
    sha256: str
    graph: rdflib.Graph | None = None
    ntriples: bytes | None = None
    plain: bool = False  # ntriples are known to be in the layout plain_ntriples checks (not checked again)

    @property
    def graph_iri(self) -> str:
        return vocab.report_graph_iri(self.key)


@dataclass
class StoreUpdate:
    store_dir: Path
    added: list[str] = field(default_factory=list)  # report keys
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)  # stored unchanged, now read from another file (see StoreWriter.move)
    ontology_reloaded: bool = False
    optimized: bool = False  # the new version was compacted (see StoreWriter.commit)
    written: bool = False  # False: nothing changed, the store was left as it was
    reports: int = 0  # reports held after the update
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.replaced)} replaced", f"{len(self.unchanged)} unchanged"]
        if self.moved:
            parts.append(f"{len(self.moved)} moved")
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        return f"store {self.store_dir}: {self.reports} reports ({', '.join(parts)})"


# ---------------------------------------------------------------- reading


def _read_pointer(store_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((store_dir / POINTER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{store_dir}: not a clasgraph store (no {POINTER})") from None
    except (OSError, ValueError) as exc:
        raise StoreError(f"{store_dir}: unreadable store pointer: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("current"), str):
        raise StoreError(f"{store_dir}: {POINTER} is not a clasgraph store pointer")
    if data.get("version", 0) > VERSION:
        raise StoreError(f"{store_dir}: store format version {data.get('version')} is newer than this clasgraph")
    return data


def current_version_dir(store_dir: Path) -> Path:
    """The directory of the current version (holding ``oxigraph/`` and ``index.json``)."""
    data = _read_pointer(store_dir)
    vdir = store_dir / data["current"]
    if not (vdir / DB_DIR).is_dir():
        raise StoreError(f"{store_dir}: current version {data['current']} is missing")
    return vdir


def database_dir(store_dir: Path) -> Path:
    """The Oxigraph database directory of the current version (e.g. for ``oxigraph serve``)."""
    return current_version_dir(store_dir) / DB_DIR


def read_index(store_dir: Path, version_dir: Path | None = None) -> StoreIndex:
    """The index of the current version (or of ``version_dir``); empty when there is no store yet."""
    if version_dir is None and not (store_dir / POINTER).exists():
        return StoreIndex()
    vdir = version_dir or current_version_dir(store_dir)
    try:
        return StoreIndex.from_json(json.loads((vdir / INDEX_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise StoreError(f"{store_dir}: unreadable store index: {exc}") from None


def open_read_only(store_dir: Path, version_dir: Path | None = None) -> pyoxigraph.Store:
    """The current version's database (or ``version_dir``'s), opened read-only."""
    import pyoxigraph as ox

    db = (version_dir / DB_DIR) if version_dir is not None else database_dir(store_dir)
    try:
        return ox.Store.read_only(str(db))
    except OSError as exc:
        raise StoreError(f"{store_dir}: cannot open the store: {_first_line(exc)}") from None


# ---------------------------------------------------------------- writing


def ontology_files(ontology_dir: Path = ONTOLOGY_DIR) -> list[Path]:
    """Turtle files of the ontology graph: every ``*.ttl`` except SHACL shapes."""
    return sorted(p for p in ontology_dir.glob("*.ttl") if not p.name.startswith("shapes"))


def _ontology_hash(files: list[Path]) -> str:
    h = hashlib.sha256()
    for p in files:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


@contextlib.contextmanager
def _locked(store_dir: Path) -> Iterator[None]:
    """One writer at a time (advisory lock, released by the OS if the process dies)."""
    lock_path = store_dir / ".lock"
    fh = open(lock_path, "a+")  # noqa: SIM115
    try:
        try:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - not POSIX: no locking
            pass
        except OSError:
            raise StoreError(f"{store_dir}: another clasgraph process is updating this store") from None
        yield
    finally:
        fh.close()


def _ntriples_of(report: StoredReport) -> bytes:
    if report.ntriples is not None:
        return report.ntriples
    if report.graph is None:
        raise StoreError(f"{report.source}: report {report.key} has no triples to store")
    data = report.graph.serialize(format="nt", encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _load_ontology(store: pyoxigraph.Store, files: list[Path]) -> None:
    import pyoxigraph as ox

    g = ox.NamedNode(vocab.ONTOLOGY_GRAPH)
    if store.contains_named_graph(g):
        store.remove_graph(g)
    for p in files:
        try:
            store.load(path=str(p), format=ox.RdfFormat.TURTLE, to_graph=g)
        except (SyntaxError, ValueError, OSError) as exc:
            raise StoreError(f"{p}: ontology file not readable as Turtle: {_first_line(exc)}") from None


def _swap_in(store_dir: Path, tmp: Path, index: StoreIndex) -> str:
    """Make the finished version in ``tmp`` current; return its directory name."""
    (tmp / INDEX_FILE).write_text(json.dumps(index.to_json(), indent=1, ensure_ascii=False), encoding="utf-8")
    name = f"data-{dt.datetime.now(dt.timezone.utc).strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    os.rename(tmp, store_dir / name)
    pointer_tmp = store_dir / f".{POINTER}.{uuid.uuid4().hex[:8]}"
    with open(pointer_tmp, "w", encoding="utf-8") as fh:
        json.dump({"format": FORMAT, "version": VERSION, "current": name}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(pointer_tmp, store_dir / POINTER)
    with contextlib.suppress(OSError):  # make the rename durable where the platform allows it
        dfd = os.open(store_dir, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    return name


def _clean_old(store_dir: Path, keep: set[str]) -> None:
    for p in store_dir.iterdir():
        if p.name in keep or not p.is_dir():
            continue
        if p.name.startswith(("data-", ".tmp-")):
            shutil.rmtree(p, ignore_errors=True)
    for p in store_dir.glob(f".{POINTER}.*"):
        with contextlib.suppress(OSError):
            p.unlink()


def update_store(
    store_dir: Path,
    reports: Iterable[StoredReport],
    prune: bool = False,
    seen_sources: Iterable[str] | None = None,
    ontology_dir: Path = ONTOLOGY_DIR,
) -> StoreUpdate:
    """Bring the store in ``store_dir`` up to date with ``reports`` (see the module docstring)."""
    with StoreWriter(store_dir, ontology_dir=ontology_dir) as writer:
        for r in reports:
            writer.put(r)
        return writer.commit(prune=prune, seen_sources=seen_sources)


OPTIMIZE_SHARE = 0.25  # compact a new version when this share of its reports was written by the update
# N-Quads bulk-loaded at once. Each load adds files that RocksDB compacts in the background, so fewer,
# larger loads cost less CPU; the loader's memory grows with the batch. Building 400 synthetic reports
# (parent CPU a report / parent peak memory): 24 MB 64-67 ms / 240 MB, 48 MB 58 ms / 364 MB,
# 64 MB 55-57 ms / 450 MB, 96 MB 56 ms / 600 MB.
BATCH_BYTES = 64 << 20


class StoreWriter:
    """One update of a store, fed report by report (so a build can store reports while others are still
    being extracted), made current atomically by ``commit``; leaving the ``with`` block without a commit
    (an error, Ctrl-C) discards it and the previous version stays current.

        with StoreWriter(store_dir) as w:
            for r in reports:
                w.put(r)                       # StoredReport; may write a batch
            update = w.commit(prune=False, seen_sources=None)

    The new version starts as a hard-linked checkpoint of the current one (cheap). Reports are written
    in batches of about ``batch_bytes`` of N-Quads with Oxigraph's bulk loader, which skips the
    per-triple transactions that a version still invisible to readers does not need.
    """

    def __init__(self, store_dir: Path, ontology_dir: Path = ONTOLOGY_DIR, batch_bytes: int = BATCH_BYTES) -> None:
        self.store_dir = Path(store_dir)
        self.ontology_dir = ontology_dir
        self.batch_bytes = batch_bytes
        self.result = StoreUpdate(store_dir=self.store_dir)
        self._lock: contextlib.ExitStack | None = None
        self._store: pyoxigraph.Store | None = None
        self._tmp: Path | None = None
        self._old = StoreIndex()
        self._had_store = False
        self._incoming: dict[str, StoredReport] = {}  # key -> the report stored under it in this update
        self._entries: dict[str, ReportEntry] = {}  # key -> index entry of what was written
        self._batch: list[tuple[StoredReport, bytes]] = []  # (report, its graph as N-Quads) not yet loaded
        self._batch_size = 0
        self._loaded: set[str] = set()  # graph IRIs written in this update
        self._moved: dict[str, str] = {}  # key -> new source of a stored report whose file moved
        self._done = False

    # -- context

    def __enter__(self) -> StoreWriter:
        store_dir = self.store_dir
        if store_dir.exists() and not store_dir.is_dir():
            raise StoreError(f"{store_dir}: exists and is not a directory")
        if store_dir.is_dir() and not is_store(store_dir) and any(
            p for p in store_dir.iterdir() if p.name not in (".lock",) and not p.name.startswith(".tmp-")
        ):
            raise StoreError(f"{store_dir}: directory exists and is not a clasgraph store (refusing to write into it)")
        try:
            store_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{store_dir}: cannot create the store directory: {_first_line(exc)}") from None
        stack = contextlib.ExitStack()
        stack.enter_context(_locked(store_dir))
        self._lock = stack
        try:
            self._had_store = is_store(store_dir)
            self._old = read_index(store_dir) if self._had_store else StoreIndex()
        except BaseException:
            stack.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if not self._done:
                self._discard()
        finally:
            if self._lock is not None:
                self._lock.close()
                self._lock = None

    def _discard(self) -> None:
        self._store = None  # the last reference: closes the database before its files go
        self._batch = []
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def _open(self) -> pyoxigraph.Store:
        if self._store is None:
            import pyoxigraph as ox

            tmp = self.store_dir / f".tmp-{uuid.uuid4().hex[:12]}"
            tmp.mkdir()
            self._tmp = tmp
            db = tmp / DB_DIR
            if self._had_store:
                open_read_only(self.store_dir).backup(str(db))  # hard-linked checkpoint: cheap
            self._store = ox.Store(str(db))
        return self._store

    # -- writing

    def put(self, report: StoredReport, replace: bool = False) -> None:
        """Store ``report`` (skipped if the store holds it unchanged; a later report with the same key
        replaces an earlier one of this update, with a warning unless ``replace`` says it is meant to)."""
        if self._done:
            raise StoreError(f"{self.store_dir}: this update was already committed")
        earlier = self._incoming.get(report.key)
        if earlier is not None and earlier.source != report.source and not replace:
            self.result.warnings.append(
                f"{report.source}: same report key {report.key!r} as {earlier.source}; the later one is stored")
        self._incoming[report.key] = report
        self._moved.pop(report.key, None)
        prev = self._old.reports.get(report.key)
        if prev is not None and prev.sha256 == report.sha256 and prev.source == report.source:
            if report.key not in self._entries:
                if report.key not in self.result.unchanged:
                    self.result.unchanged.append(report.key)
                return
        if report.key in self.result.unchanged:
            self.result.unchanged.remove(report.key)
        data = _ntriples_of(report)
        if report.plain or plain_ntriples(data):  # as the build's workers write them
            triples, quads = data.count(b"\n"), data.replace(b" .\n", f" <{report.graph_iri}> .\n".encode())
        else:
            triples = _triple_count(data)
            try:
                quads = _as_nquads(data, report.graph_iri)
            except (SyntaxError, ValueError) as exc:
                raise StoreError(f"{report.source}: report graph is not valid N-Triples: {_first_line(exc)}") from None
        self._batch = [(r, d) for r, d in self._batch if r.key != report.key]
        self._batch.append((report, quads))
        self._batch_size = sum(len(d) for _r, d in self._batch)
        self._entries[report.key] = ReportEntry(key=report.key, graph=report.graph_iri, source=report.source,
                                                sha256=report.sha256, triples=triples)
        if self._batch_size >= self.batch_bytes:
            self.flush()

    def move(self, key: str, source: str) -> None:
        """The stored report ``key`` is now read from ``source`` (its file was moved or copied: the same
        content under the same file name, so the same graph): only its index entry changes, nothing is
        extracted or written again, and ``prune`` keeps it. A report put later under ``key`` wins."""
        if self._done:
            raise StoreError(f"{self.store_dir}: this update was already committed")
        if key not in self._old.reports:
            raise StoreError(f"{self.store_dir}: no stored report {key!r} to move to {source}")
        if key not in self._incoming:
            self._moved[key] = source

    def flush(self) -> None:
        """Write the reports put since the last flush."""
        if not self._batch:
            return
        import pyoxigraph as ox

        store = self._open()
        batch, self._batch, self._batch_size = self._batch, [], 0
        for r, _data in batch:  # a replaced report, or one put twice: its old graph goes first
            g = ox.NamedNode(r.graph_iri)
            if r.graph_iri in self._loaded or (r.key in self._old.reports and store.contains_named_graph(g)):
                store.remove_graph(g)
        try:
            store.bulk_load(b"".join(quads for _r, quads in batch), format=ox.RdfFormat.N_QUADS)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(_bad_report(batch) or f"report graphs are not valid N-Triples: {_first_line(exc)}") from None
        for r, _data in batch:
            store.add_graph(ox.NamedNode(r.graph_iri))
            self._loaded.add(r.graph_iri)

    def commit(self, prune: bool = False, seen_sources: Iterable[str] | None = None,
               optimize: bool | None = None) -> StoreUpdate:
        """Finish the update and make it the store's current version; ``prune`` drops stored reports
        whose source is not in ``seen_sources`` (nor among the reports put).

        ``optimize`` compacts the new version (RocksDB's full compaction) before it is made current.
        Bulk loading leaves the data in many overlapping files; compacted, whole-corpus queries ran
        2-4x faster on 1,000 reports (who-commissions-what 2.1-5.1 s -> 1.1-1.3 s, service-map 7.4 ->
        2.6 s) for 11 s of compaction. None (the default): when this update wrote at least a quarter of
        the reports the version holds (a first build, a large rebuild), not for a few reports added."""
        import pyoxigraph as ox

        result, old = self.result, self._old
        try:
            self.flush()
            onto_files = ontology_files(self.ontology_dir)
            onto_hash = _ontology_hash(onto_files)
            to_drop: set[str] = set()
            for k in self._entries:  # the same file stored under another key before
                src = self._incoming[k].source
                to_drop |= {e.key for e in old.reports.values()
                            if e.source == src and e.key != k and e.key not in self._incoming}
            if prune:
                keep = set(seen_sources or ()) | {r.source for r in self._incoming.values()}
                to_drop |= {k for k, e in old.reports.items()
                            if e.source not in keep and k not in self._incoming and k not in self._moved}
            to_drop -= self._moved.keys()
            for k in self._entries:
                (result.replaced if k in old.reports else result.added).append(k)
            result.removed = sorted(to_drop)
            result.moved = sorted(k for k, src in self._moved.items() if old.reports[k].source != src)
            result.ontology_reloaded = onto_hash != old.ontology_sha256
            if (not self._entries and not to_drop and not result.moved and not result.ontology_reloaded
                    and self._had_store):
                result.reports = len(old.reports)
                self._done = True
                return result

            store = self._open()
            new = StoreIndex(reports=dict(old.reports), ontology_sha256=onto_hash)
            for k in sorted(to_drop):
                new.reports.pop(k, None)
                g = ox.NamedNode(old.reports[k].graph)
                if store.contains_named_graph(g):
                    store.remove_graph(g)
            stamp = _now()
            for k in result.moved:
                new.reports[k] = dataclasses.replace(old.reports[k], source=self._moved[k])
            for k, entry in self._entries.items():
                entry.stored = stamp
                new.reports[k] = entry
            if result.ontology_reloaded or not self._had_store:
                _load_ontology(store, onto_files)
                result.ontology_reloaded = True
            store.flush()
            if optimize is None:
                optimize = len(self._entries) >= OPTIMIZE_SHARE * max(1, len(new.reports))
            if optimize:
                store.optimize()
                result.optimized = True
            self._store = None
            del store
            new.updated = stamp
            prev_current = _read_pointer(self.store_dir)["current"] if self._had_store else None
            assert self._tmp is not None
            name = _swap_in(self.store_dir, self._tmp, new)
            self._tmp = None
        except BaseException:
            self._discard()
            raise
        self._done = True
        _clean_old(self.store_dir, keep={name} | ({prev_current} if prev_current else set()))
        result.written = True
        result.reports = len(new.reports)
        return result


def plain_ntriples(ntriples: bytes) -> bool:
    """True when ``ntriples`` is N-Triples in the layout clasgraph writes: every line one triple ending " ."
    (no comments, blank lines or unterminated last line; a literal's line breaks escaped)."""
    return ntriples.count(b" .\n") == ntriples.count(b"\n") and (not ntriples or ntriples.endswith(b" .\n"))


def _triple_count(ntriples: bytes) -> int:
    if plain_ntriples(ntriples):
        return ntriples.count(b"\n")
    import pyoxigraph as ox

    try:
        return sum(1 for _ in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    except (SyntaxError, ValueError):
        return 0  # reported, naming the report, when the batch is loaded


def _as_nquads(ntriples: bytes, graph_iri: str) -> bytes:
    """N-Triples as N-Quads in the named graph ``graph_iri``. N-Triples as clasgraph writes them (every
    line one triple ending " .", no comments or blank lines; a literal's line breaks are escaped) only
    need the graph name put before each line's final dot; anything else is parsed and written again."""
    if plain_ntriples(ntriples):
        return ntriples.replace(b" .\n", f" <{graph_iri}> .\n".encode())
    import pyoxigraph as ox

    g = ox.NamedNode(graph_iri)
    quads = (ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def _bad_report(batch: list[tuple[StoredReport, bytes]]) -> str | None:
    """Which report of a batch (its graph as N-Quads) that failed to load is not valid N-Triples (one line),
    if one is."""
    import pyoxigraph as ox

    for r, data in batch:
        try:
            for _ in ox.parse(data, format=ox.RdfFormat.N_QUADS):
                pass
        except (SyntaxError, ValueError) as exc:
            return f"{r.source}: report graph is not valid N-Triples: {_first_line(exc)}"
    return None


def import_rdf(path: Path, store_dir: Path, ontology_dir: Path = ONTOLOGY_DIR) -> StoreUpdate:
    """Create (or replace) the store in ``store_dir`` from an RDF dataset file (.nq, .trig).

    Each named graph named ``id:graph/<key>`` becomes a report; its source is ``path`` and its hash the
    SHA-256 of the file. Used by benchmarks and to turn a built ``.trig`` into a store.
    """
    import pyoxigraph as ox

    from .io import OX_FORMATS

    fmt = OX_FORMATS.get(path.suffix.lower())
    if fmt is None or fmt not in ("nq", "trig"):
        raise StoreError(f"{path}: give an N-Quads (.nq) or TriG (.trig) dataset to import")
    store_dir.mkdir(parents=True, exist_ok=True)
    with _locked(store_dir):
        tmp = store_dir / f".tmp-{uuid.uuid4().hex[:12]}"
        store: ox.Store | None = None
        try:
            tmp.mkdir()
            store = ox.Store(str(tmp / DB_DIR))
            rdf_format = ox.RdfFormat.N_QUADS if fmt == "nq" else ox.RdfFormat.TRIG
            try:
                store.bulk_load(path=str(path), format=rdf_format)
            except (SyntaxError, ValueError, OSError) as exc:
                raise StoreError(f"{path}: not readable: {_first_line(exc)}") from None
            prefix = vocab.ID + "graph/"
            index = StoreIndex(ontology_sha256="")
            stamp = _now()
            digest = _file_sha256(path)
            counts = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
            for row in counts:  # type: ignore[union-attr]
                g = row["g"]
                if not isinstance(g, ox.NamedNode) or not g.value.startswith(prefix) or g.value == vocab.ONTOLOGY_GRAPH:
                    continue
                key = g.value[len(prefix):]
                index.reports[key] = ReportEntry(key=key, graph=g.value, source=str(path), sha256=digest,
                                                 triples=int(row["n"].value), stored=stamp)
            files = ontology_files(ontology_dir)
            _load_ontology(store, files)
            index.ontology_sha256 = _ontology_hash(files)
            index.updated = stamp
            store.flush()
            store.optimize()
            del store
            prev = _read_pointer(store_dir)["current"] if is_store(store_dir) else None
            name = _swap_in(store_dir, tmp, index)
        except BaseException:
            store = None  # noqa: F841 - the last reference: closes the database before its files go
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _clean_old(store_dir, keep={name} | ({prev} if prev else set()))
    return StoreUpdate(store_dir=store_dir, added=sorted(index.reports), written=True, ontology_reloaded=True,
                       reports=len(index.reports))


def apply_update(store_dir: Path, sparql: str,
                 on_syntax_error: Callable[[BaseException], Exception] | None = None) -> None:
    """Apply a SPARQL Update to the store as a new version, atomically (like a build).

    The report index is kept as it was: a report rebuilt later replaces its graph, hand edits included.
    """
    import pyoxigraph as ox

    store_dir = Path(store_dir)
    if not is_store(store_dir):
        raise StoreError(f"{store_dir}: not a clasgraph store")
    with _locked(store_dir):
        index = read_index(store_dir)
        prev = _read_pointer(store_dir)["current"]
        tmp = store_dir / f".tmp-{uuid.uuid4().hex[:12]}"
        store: ox.Store | None = None
        try:
            tmp.mkdir()
            open_read_only(store_dir).backup(str(tmp / DB_DIR))
            store = ox.Store(str(tmp / DB_DIR))
            try:
                store.update(sparql)
            except SyntaxError as exc:
                if on_syntax_error is not None:
                    raise on_syntax_error(exc) from None
                raise StoreError(f"SPARQL Update syntax error: {_first_line(exc)}") from None
            except (OSError, ValueError, RuntimeError) as exc:
                raise StoreError(f"SPARQL Update failed: {_first_line(exc)}") from None
            store.flush()
            del store
            index.updated = _now()
            name = _swap_in(store_dir, tmp, index)
        except BaseException:
            store = None  # noqa: F841 - the last reference: closes the database before its files go
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _clean_old(store_dir, keep={name, prev})
