"""Benchmark `clasgraph render`: render time, page size and time to interactive in headless Chromium.

    .venv/bin/python benchmarks/bench_render.py                      # N = 2, 100, 1000
    .venv/bin/python benchmarks/bench_render.py --sizes 2,100 --json out.json

For each N it generates a synthetic corpus (benchmarks/synth_graph.py: N reports, about 2,000
triples each, one named graph per report) and imports it into a store (graph/store.py). For each view
it times a whole `clasgraph render` process reading the N-Quads file and reading the store (wall
clock, as a user sees it), and notes the page size, what the page draws and how (physics or a
layout computed in Python). Each page is then opened in headless Chromium (Debian's /usr/bin/chromium,
the network blocked) and timed from navigation to interactive: the page sets ``data-ready`` on
<body> once vis-network has drawn (and, with physics, settled and frozen).

Targets (issue 5): the 1,000-report render under 30 s; the page interactive in under 10 s.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from clasgraph.graph.store import import_rdf  # noqa: E402

_SCRIPT = Path(sys.executable).parent / "clasgraph"
CLI = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "clasgraph.cli"]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update"]
VIEWS: list[tuple[str, list[str]]] = [
    ("commissioning", ["--view", "commissioning"]),
    ("recommendations", ["--view", "recommendations"]),
    ("gaps", ["--view", "gaps"]),
    ("org NHS England", ["--focus", "NHS England", "--depth", "1"]),
]
RENDER_TARGET_S = 30.0
INTERACTIVE_TARGET_S = 10.0


def synth(n: int, work: Path) -> Path:
    path = work / f"synth-{n}.nq"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "synth_graph.py"), "--reports", str(n), "-o", str(path)],
                       check=True, capture_output=True)
    return path


def render_process(graph: Path, out: Path, args: list[str]) -> tuple[float, str]:
    t = time.perf_counter()
    proc = subprocess.run([*CLI, "render", str(graph), "-o", str(out), *args], capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"render failed: {proc.stderr.strip() or proc.stdout.strip()}")
    return seconds, proc.stdout.strip()


def interactive_seconds(browser: Any, page_path: Path) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    leaks: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            leaks.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    t = time.perf_counter()
    page.goto(page_path.resolve().as_uri())
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=120_000)
    seconds = time.perf_counter() - t
    page.close()
    if leaks:
        raise RuntimeError(f"{page_path} made network requests: {leaks}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", default="2,100,1000", help="corpus sizes (reports), comma-separated")
    ap.add_argument("--work", type=Path, default=None, help="keep generated corpora and pages here")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    ap.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-render-"))
    work.mkdir(parents=True, exist_ok=True)

    browser = pw = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        pw = sync_playwright().start()
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)

    rows: list[dict[str, Any]] = []
    try:
        for n in sizes:
            nq = synth(n, work)
            store_dir = work / f"store-{n}"
            t = time.perf_counter()
            cached = store_dir.exists()
            if not cached:
                import_rdf(nq, store_dir)
            store_s = time.perf_counter() - t
            print(f"\n{n} reports: {nq.stat().st_size / 1e6:.0f} MB N-Quads; store import "
                  + ("(kept from an earlier run)" if cached else f"{store_s:.1f} s"), flush=True)
            print(f"  {'view':<18}{'from .nq':>10}{'from store':>12}{'page MB':>9}{'nodes':>7}{'edges':>7}"
                  f"  {'layout':<8}{'interactive':>12}")
            for name, view_args in VIEWS:
                out = work / f"{n}-{name.replace(' ', '-')}.html"
                file_s, _ = render_process(nq, out, view_args)
                store_s_, summary = render_process(store_dir, out, view_args)
                m = re.search(r"\(([\d.]+) MB\): \S+ view, (\d+) nodes, (\d+) edges, (.*?),", summary)
                size_mb, nodes, edges, mode = (float(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)) if m \
                    else (out.stat().st_size / 1e6, 0, 0, "?")
                physics = mode.startswith("settles")
                ready = interactive_seconds(browser, out) if browser is not None else None
                rows.append({"reports": n, "view": name, "render_from_file_s": round(file_s, 2),
                             "render_from_store_s": round(store_s_, 2), "page_mb": size_mb, "nodes": nodes,
                             "edges": edges, "physics": physics,
                             "interactive_s": round(ready, 2) if ready is not None else None})
                print(f"  {name:<18}{file_s:>9.1f}s{store_s_:>11.1f}s{size_mb:>9.1f}{nodes:>7}{edges:>7}"
                      f"  {'physics' if physics else 'python':<8}"
                      f"{(f'{ready:.1f}s' if ready is not None else '-'):>12}", flush=True)
    finally:
        if browser is not None:
            browser.close()
        if pw is not None:
            pw.stop()

    big = [r for r in rows if r["reports"] == max(sizes)]
    worst_render = max((max(r["render_from_file_s"], r["render_from_store_s"]) for r in big), default=0.0)
    worst_ready = max((r["interactive_s"] or 0.0 for r in rows), default=0.0)
    print(f"\nworst render at {max(sizes)} reports: {worst_render:.1f} s (target < {RENDER_TARGET_S:.0f} s); "
          f"worst time to interactive: {worst_ready:.1f} s (target < {INTERACTIVE_TARGET_S:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    ok = worst_render < RENDER_TARGET_S and worst_ready < INTERACTIVE_TARGET_S
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
