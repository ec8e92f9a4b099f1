"""Regenerate tests/data/golden/queries.json: canned query results on the bundled example reports.

    .venv/bin/python tests/golden_queries.py          # show what would change
    .venv/bin/python tests/golden_queries.py --write  # rewrite the golden file

Run it only when the extraction changes, then read the diff (`git diff tests/data/golden/`) and
check the rows by eye against the reports before committing. tests/test_query_golden.py compares.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden" / "queries.json"
REPORTS = sorted((ROOT / "examples" / "reports").glob("*.*"))

# (canned query, parameters): every canned query of the query issue, some with a parameter
CASES: list[tuple[str, dict[str, str]]] = [
    ("who-commissions-what", {}),
    ("who-commissions-what", {"area": "Stockport"}),
    ("who-provides-what", {}),
    ("service-map", {}),
    ("recommendations-for", {"org": "Stockport CCG"}),
    ("evidence-for", {"number": "1.1"}),
    ("bodies-by-load", {}),
    ("unresolved-citations", {}),
    ("transfers", {}),
    ("reports", {}),
]


def build_graph(out: Path) -> Path:
    from clasgraph.build.pipeline import extract_file
    from clasgraph.graph.assemble import build_dataset, write_dataset

    ds = build_dataset([extract_file(p) for p in REPORTS])
    write_dataset(ds, out)
    return out


def results(graph: Path) -> list[dict]:
    from clasgraph.graph.api import open_graph

    g = open_graph(graph)
    return [{"query": name, "params": params, "rows": g.query(name, **params)} for name, params in CASES]


def main(argv: list[str]) -> int:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        new = results(build_graph(Path(tmp) / "examples.trig"))
    old = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else []
    for n, o in zip(new, old + [None] * len(new), strict=False):
        if o != n:
            print(f"changed: {n['query']} {n['params']}: {len(o['rows']) if o else 0} -> {len(n['rows'])} rows")
    if "--write" in argv:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(new, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {GOLDEN}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
