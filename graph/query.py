"""SPARQL over a graph: canned queries, safe parameters, read-only execution with a timeout, formatting.

Canned queries are the ``*.rq`` files in graph/queries/ (every one found there is offered). Their first
comment line is the one-line description ``clasgraph queries`` prints. Parameters:

- ``# @param NAME  description`` declares a parameter (``# @param NAME (required) ...`` a required one);
- a line written ``#@NAME <sparql>`` is a comment unless ``--param NAME=VALUE`` is given, then it takes
  part (without the ``#@NAME`` prefix). Such lines bind the value with ``VALUES ?x { $NAME }``: ``$NAME``
  becomes the value as a SPARQL literal, plain and ``@en`` (``"Stockport" "Stockport"@en``), escaped by
  ``sparql_literal``: a value is never pasted into the query as SPARQL text. The raw ``.rq`` file runs
  unchanged anywhere (every parameter off).

For ad-hoc queries (``-e``/``-f``) without declarations, ``--param NAME=VALUE`` binds ``?NAME`` to the
literal through Oxigraph's substitution (local graphs only).

Execution is read-only: SPARQL Update is refused unless explicitly allowed (stores only, written as a
new version, atomically). Queries run with a timeout. Results are a ``QueryResult`` (backend-neutral
terms), formatted as table, csv, tsv, json (W3C SPARQL 1.1 results JSON) or md; CONSTRUCT and DESCRIBE
give Turtle.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .vocab import PREFIXES, XSD

if TYPE_CHECKING:
    from .io import GraphSource

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
DEFAULT_TIMEOUT = 60.0
FORMATS = ("table", "csv", "tsv", "json", "md")


class QueryError(Exception):
    """A query cannot be run; ``str()`` is one line for the user."""


class QueryTimeout(QueryError):
    pass


# ---------------------------------------------------------------- canned queries


@dataclass(frozen=True)
class QueryParam:
    name: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class CannedQuery:
    name: str
    path: Path
    description: str
    params: tuple[QueryParam, ...]
    text: str


_PARAM_DECL = re.compile(r"^#\s*@param\s+([A-Za-z_][\w-]*)\s*(\(required\))?\s*(.*)$")
_PARAM_LINE = re.compile(r"^(\s*)#@([A-Za-z_][\w-]*)\s?(.*)$")


def parse_declarations(text: str) -> tuple[str, tuple[QueryParam, ...]]:
    """The description (first comment line) and the declared parameters of a query text."""
    description = ""
    params: list[QueryParam] = []
    for line in text.splitlines():
        s = line.strip()
        if not s.startswith("#"):
            continue
        m = _PARAM_DECL.match(s)
        if m:
            params.append(QueryParam(m.group(1), m.group(3).strip(), bool(m.group(2))))
        elif not description and not s.startswith("#@") and s.lstrip("# ").strip():
            description = s.lstrip("#").strip()
    return description, tuple(params)


def load_query_file(path: Path, name: str | None = None) -> CannedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read the query: {exc}") from None
    description, params = parse_declarations(text)
    return CannedQuery(name or path.stem, path, description, params, text)


def list_queries(directory: Path = QUERIES_DIR) -> list[CannedQuery]:
    """Every canned query (``*.rq``) in ``directory``, by name."""
    return [load_query_file(p) for p in sorted(directory.glob("*.rq"))]


def query_names(directory: Path = QUERIES_DIR) -> list[str]:
    return sorted(p.stem for p in directory.glob("*.rq"))


def get_query(name: str, directory: Path = QUERIES_DIR) -> CannedQuery:
    path = directory / f"{name}.rq"
    if not re.fullmatch(r"[\w.-]+", name) or not path.is_file():
        names = query_names(directory)
        close = difflib.get_close_matches(name, names, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else " (`clasgraph queries` lists them)"
        raise QueryError(f"no canned query named {name!r}{hint}")
    return load_query_file(path, name)


# ---------------------------------------------------------------- parameters


def sparql_string(value: str) -> str:
    """``value`` as a SPARQL string literal, every special character escaped."""
    out = ['"']
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif not ch.isprintable() and ch != " ":  # controls, line/paragraph separators, format chars
            out.append(f"\\u{ord(ch):04X}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def sparql_literal(value: str) -> str:
    """The value as a plain and an English literal, for ``VALUES ?x { ... }``."""
    s = sparql_string(value)
    return f"{s} {s}@en"


def apply_params(text: str, params: Mapping[str, str], declared: tuple[QueryParam, ...]) -> str:
    """Activate the ``#@NAME`` lines of given parameters and put their values in as literals."""
    known = {p.name for p in declared}
    unknown = sorted(set(params) - known)
    if unknown:
        names = ", ".join(sorted(known)) or "none"
        raise QueryError(f"unknown parameter {unknown[0]!r} (this query takes: {names})")
    missing = [p.name for p in declared if p.required and p.name not in params]
    if missing:
        raise QueryError(f"missing required parameter {missing[0]!r}: give --param {missing[0]}=VALUE")
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        m = _PARAM_LINE.match(line)
        if m and m.group(2) in params:
            body = _substitute(m.group(3), params, m.group(2))
            lines.append(m.group(1) + body)
        else:
            lines.append(line)
    return "\n".join(lines).rstrip("\n") + "\n"


def _substitute(body: str, params: Mapping[str, str], owner: str) -> str:
    return re.sub(r"\$([A-Za-z_][\w-]*)", lambda mm: _value_for(mm.group(1), params, owner), body)


def _value_for(name: str, params: Mapping[str, str], line_param: str) -> str:
    if name not in params:
        raise QueryError(f"query line for {line_param!r} uses ${name}, which was not given")
    return sparql_literal(params[name])


def parse_param_options(items: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``["area=Stockport", "org=Stockport CCG"]`` -> dict; one-line QueryError on a malformed item."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][\w-]*", name):
            raise QueryError(f"--param {item!r}: write it as NAME=VALUE")
        out[name] = value
    return out


# ---------------------------------------------------------------- query form


_TOKEN = re.compile(
    r"""\s+|\#[^\n]*|<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[A-Za-z_][\w-]*:?|\S""",
)
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT, DESCRIBE or UPDATE (the first keyword after the prologue); "" if unknown."""
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if tok.isspace() or tok.startswith(("#", "<", '"', "'")) or tok.endswith(":"):
            continue
        word = tok.upper()
        if word in ("PREFIX", "BASE"):
            continue
        if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return word
        if word in _UPDATE_WORDS:
            return "UPDATE"
        return ""
    return ""


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Term:
    """One RDF term of a result, independent of the engine."""

    kind: str  # "uri" | "literal" | "bnode" | "triple"
    value: str
    datatype: str | None = None
    lang: str | None = None

    def python(self) -> Any:
        """A plain Python value: numbers and booleans converted, everything else its string."""
        if self.kind == "literal" and self.datatype:
            dt = self.datatype[len(XSD):] if self.datatype.startswith(XSD) else ""
            try:
                if dt in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
                    return int(self.value)
                if dt in ("decimal", "double", "float"):
                    return float(self.value)
                if dt == "boolean":
                    return self.value in ("true", "1")
            except ValueError:
                return self.value
        return self.value

    def to_json(self) -> dict[str, str]:
        d = {"type": self.kind, "value": self.value}
        if self.lang:
            d["xml:lang"] = self.lang
        elif self.datatype and self.datatype != XSD + "string":
            d["datatype"] = self.datatype
        return d


@dataclass
class QueryResult:
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE | UPDATE
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term]] = field(default_factory=list)
    boolean: bool | None = None
    turtle: str | None = None  # CONSTRUCT / DESCRIBE
    truncated: bool = False  # --limit cut the rows
    elapsed: float = 0.0
    cached: bool = False  # answered from the store version's result cache

    def to_dicts(self) -> list[dict[str, Any]]:
        """Rows as plain dicts (unbound variables absent), values as Python str/int/float/bool."""
        return [{k: t.python() for k, t in row.items()} for row in self.rows]


def _from_ox(term: Any) -> Term:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        lang = term.language
        dt = term.datatype.value
        return Term("literal", term.value, None if lang or dt == XSD + "string" else dt, lang)
    return Term("triple", str(term))


# ---------------------------------------------------------------- running


def _syntax_message(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid query"
    m = re.match(r"error at (\d+):(\d+)(?:-\d+:\d+)?:\s*(.*)", msg)
    if m:
        return f"SPARQL syntax error at line {m.group(1)}, column {m.group(2)}: {m.group(3)}"
    return f"SPARQL syntax error: {msg}"


def _run_with_timeout(fn: Callable[[], Any], timeout: float | None) -> Any:
    """Run ``fn`` in a worker thread; QueryTimeout if it has not finished in ``timeout`` seconds.

    The engine releases the GIL while it evaluates, so the wait is honoured; a timed-out evaluation
    cannot be cancelled and finishes in the background (the CLI exits at once).
    """
    if not timeout or timeout <= 0:
        return fn()
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    t = threading.Thread(target=work, name="clasgraph-query", daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise QueryTimeout(f"query timed out after {timeout:g} s (raise --timeout, or narrow it with --param)")
    if "error" in box:
        raise box["error"]
    return box["value"]


CACHE_MIN_SECONDS = 0.05  # results of queries faster than this are not worth a cache file


def run_local(source: GraphSource, sparql: str, *, substitutions: Mapping[str, str] | None = None,
              limit: int | None = None, timeout: float | None = DEFAULT_TIMEOUT, cache: bool = True) -> QueryResult:
    """Run a read-only query on an opened graph (store or file) with pyoxigraph.

    On a store, the rows of a SELECT that took more than CACHE_MIN_SECONDS are kept in the store
    version's ``cache/`` (keyed by the SHA-256 of the query text). Store versions never change once
    written, so a cached answer is always the engine's answer; ``cache=False`` bypasses it.
    """
    import pyoxigraph as ox

    form = query_form(sparql)
    if form == "UPDATE":
        raise QueryError("this is a SPARQL Update and the graph is opened read-only (use --allow-update on a store)")
    start = time.perf_counter()
    cache_file = _cache_file(source, sparql) if cache and not substitutions and form == "SELECT" else None
    if cache_file is not None:
        cached = _read_cache(cache_file)
        if cached is not None:
            if limit is not None and len(cached.rows) > limit:
                cached.rows, cached.truncated = cached.rows[:limit], True
            cached.elapsed = time.perf_counter() - start
            cached.cached = True
            return cached
    subs = {ox.Variable(k): ox.Literal(v) for k, v in (substitutions or {}).items()} or None
    collect_limit = None if cache_file is not None else limit

    def work() -> QueryResult:
        try:
            res = source.query(sparql, substitutions=subs) if subs else source.query(sparql)
        except SyntaxError as exc:
            raise QueryError(_syntax_message(exc)) from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {_first(exc)}") from None
        try:
            return _collect(res, form, collect_limit)
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {_first(exc)}") from None

    result: QueryResult = _run_with_timeout(work, timeout)
    result.elapsed = time.perf_counter() - start
    if cache_file is not None and result.elapsed >= CACHE_MIN_SECONDS and result.form == "SELECT":
        _write_cache(cache_file, result)
    if limit is not None and len(result.rows) > limit:
        result.rows, result.truncated = result.rows[:limit], True
    return result


def _cache_file(source: GraphSource, sparql: str) -> Path | None:
    cache_dir = getattr(source, "cache_dir", None)
    if cache_dir is None:
        return None
    import hashlib

    return Path(cache_dir) / (hashlib.sha256(sparql.encode("utf-8")).hexdigest() + ".json")


CACHE_FORMAT = "clasgraph-results-1"


def _read_cache(path: Path) -> QueryResult | None:
    """A cached SELECT result: variables, the distinct terms once, rows as indexes into them."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return None
    try:
        variables = list(data["vars"])
        terms = [Term(*t) for t in data["terms"]]
        rows = [{v: terms[i] for v, i in zip(variables, row, strict=True) if i >= 0} for row in data["rows"]]
    except (KeyError, TypeError, IndexError, ValueError):
        return None
    return QueryResult(form="SELECT", variables=variables, rows=rows)


def _write_cache(path: Path, result: QueryResult) -> None:
    import os
    import uuid

    index: dict[Term, int] = {}
    rows = [[index.setdefault(row[v], len(index)) if v in row else -1 for v in result.variables]
            for row in result.rows]
    terms = [[t.kind, t.value, t.datatype, t.lang] for t in index]
    data = {"format": CACHE_FORMAT, "vars": result.variables, "terms": terms, "rows": rows}
    try:
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:  # a store we may not write to: no cache, no harm
        pass


def _collect(res: Any, form: str, limit: int | None) -> QueryResult:
    import pyoxigraph as ox

    if isinstance(res, ox.QueryBoolean):
        return QueryResult(form="ASK", boolean=bool(res))
    if isinstance(res, ox.QueryTriples):
        triples = []
        for i, t in enumerate(res):
            if limit is not None and i >= limit:
                break
            triples.append(t)
        return QueryResult(form=form or "CONSTRUCT", turtle=triples_to_turtle(triples))
    variables = [v.value for v in res.variables]
    rows: list[dict[str, Term]] = []
    truncated = False
    cache: dict[Any, Term] = {}
    for sol in res:
        if limit is not None and len(rows) >= limit:
            truncated = True
            break
        row: dict[str, Term] = {}
        for v in variables:
            term = sol[v]
            if term is None:
                continue
            t = cache.get(term)
            if t is None:
                t = cache[term] = _from_ox(term)
            row[v] = t
        rows.append(row)
    return QueryResult(form="SELECT", variables=variables, rows=rows, truncated=truncated)


def triples_to_turtle(triples: list[Any]) -> str:
    import pyoxigraph as ox

    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES))
    return data.decode("utf-8") if isinstance(data, bytes) else str(data)


def _first(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def update_store_sparql(store_dir: Path, sparql: str) -> None:
    """Apply a SPARQL Update to a store as a new version (atomically, like a build)."""
    from . import store as st

    st.apply_update(store_dir, sparql, on_syntax_error=lambda e: QueryError(_syntax_message(e)))


# ---------------------------------------------------------------- remote endpoints


def run_remote(endpoint: str, sparql: str, *, limit: int | None = None,
               timeout: float | None = DEFAULT_TIMEOUT) -> QueryResult:
    """Run a query on a SPARQL 1.1 Protocol endpoint (POST, results as JSON or Turtle)."""
    import urllib.error
    import urllib.request

    form = query_form(sparql)
    if form == "UPDATE":
        raise QueryError("SPARQL Update is not sent to endpoints by `clasgraph query`; use the server's own tools")
    accept = "text/turtle" if form in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
    req = urllib.request.Request(
        endpoint, data=sparql.encode("utf-8"), method="POST",
        headers={"Content-Type": "application/sparql-query", "Accept": accept},
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout or None) as resp:  # noqa: S310 - user-given endpoint
            body = resp.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        msg = detail[0] if detail else exc.reason
        m = re.search(r"error at (\d+):(\d+)", msg)
        if exc.code == 400 and m:
            raise QueryError(_syntax_message(ValueError(msg[m.start():]))) from None
        raise QueryError(f"{endpoint}: HTTP {exc.code}: {msg}") from None
    except TimeoutError:
        raise QueryTimeout(f"{endpoint}: no answer within {timeout:g} s") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise QueryError(f"{endpoint}: cannot reach the endpoint: {reason}") from None
    elapsed = time.perf_counter() - start
    if accept == "text/turtle":
        return QueryResult(form=form, turtle=body.decode("utf-8"), elapsed=elapsed)
    try:
        data = json.loads(body)
    except ValueError:
        raise QueryError(f"{endpoint}: the answer is not SPARQL results JSON") from None
    result = results_from_json(data)
    if limit is not None and len(result.rows) > limit:
        result.rows = result.rows[:limit]
        result.truncated = True
    result.elapsed = elapsed
    return result


def results_from_json(data: dict[str, Any]) -> QueryResult:
    """A QueryResult from W3C SPARQL 1.1 results JSON."""
    if "boolean" in data:
        return QueryResult(form="ASK", boolean=bool(data["boolean"]))
    variables = list(data.get("head", {}).get("vars", []))
    rows = []
    for b in data.get("results", {}).get("bindings", []):
        row = {}
        for k, v in b.items():
            kind = v.get("type", "literal")
            kind = "literal" if kind == "typed-literal" else kind
            dt = v.get("datatype")
            row[k] = Term(kind, v.get("value", ""), None if dt == XSD + "string" else dt, v.get("xml:lang"))
        rows.append(row)
    return QueryResult(form="SELECT", variables=variables, rows=rows)


# ---------------------------------------------------------------- formatting


def compact(iri: str) -> str:
    """``https://w3id.org/clasgraph/id/org/x`` -> ``id:org/x`` (longest matching prefix)."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def _cell(t: Term | None, short: bool) -> str:
    if t is None:
        return ""
    if t.kind == "uri":
        return compact(t.value) if short else t.value
    if t.kind == "bnode":
        return f"_:{t.value}"
    return t.value


def format_result(result: QueryResult, fmt: str = "table", max_width: int = 80) -> str:
    """The result as text in one of FORMATS (CONSTRUCT/DESCRIBE: Turtle whatever the format)."""
    if result.turtle is not None:
        return result.turtle
    if result.form == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "json":
        data = {
            "head": {"vars": result.variables},
            "results": {"bindings": [{k: t.to_json() for k, t in row.items()} for row in result.rows]},
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n",
                       quoting=csv.QUOTE_MINIMAL)
        w.writerow(result.variables)
        for row in result.rows:
            w.writerow([_cell(row.get(v), False).replace("\t", " ") if fmt == "tsv" else _cell(row.get(v), False)
                        for v in result.variables])
        return buf.getvalue()
    if fmt == "md":
        def esc(s: str) -> str:
            return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(result.variables) + " |", "|" + "|".join("---" for _ in result.variables) + "|"]
        for row in result.rows:
            lines.append("| " + " | ".join(esc(_cell(row.get(v), True)) for v in result.variables) + " |")
        return "\n".join(lines) + "\n"
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    return _table(result, max_width)


def _table(result: QueryResult, max_width: int) -> str:
    def clip(s: str) -> str:
        s = " ".join(s.split())
        return s if len(s) <= max_width else s[: max_width - 1] + "…"

    header = result.variables
    body = [[clip(_cell(row.get(v), True)) for v in header] for row in result.rows]
    widths = [len(h) for h in header]
    for cells in body:
        for i, c in enumerate(cells):
            if len(c) > widths[i]:
                widths[i] = len(c)
    out = io.StringIO()
    out.write("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for cells in body:
        out.write("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip() + "\n")
    n = len(result.rows)
    out.write(f"({n} row{'s' if n != 1 else ''}{', cut by --limit' if result.truncated else ''})\n")
    return out.getvalue()


def warm_cache(store_dir: Path, timeout: float | None = DEFAULT_TIMEOUT, workers: int | None = None) -> list[str]:
    """Run every canned query that needs no parameter on a store's current version, filling its cache.

    A build may call this after updating the store so that the first ``clasgraph query NAME`` is as
    fast as the next ones. The queries run side by side on ``workers`` threads (default: one per CPU;
    the engine evaluates without holding the GIL). Returns the names of the queries whose answers are
    now cached, in the catalogue's order.
    """
    import os
    from concurrent.futures import ThreadPoolExecutor

    from .io import open_source

    source = open_source(store_dir)
    texts: list[tuple[str, str]] = []
    for cq in list_queries():
        if any(p.required for p in cq.params):
            continue
        text = apply_params(cq.text, {}, cq.params)
        if query_form(text) == "SELECT":
            texts.append((cq.name, text))

    def warm(item: tuple[str, str]) -> str | None:
        name, text = item
        try:
            run_local(source, text, timeout=timeout)
        except QueryError:
            return None
        cached = _cache_file(source, text)
        return name if cached is not None and cached.exists() else None

    n = max(1, min(len(texts), workers or os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=n, thread_name_prefix="clasgraph-warm") as pool:
        return [name for name in pool.map(warm, texts) if name is not None]
