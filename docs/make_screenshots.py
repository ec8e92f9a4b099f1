"""Screenshots of the commissioning view of each bundled report, for the README.

    .venv/bin/python docs/make_screenshots.py            # writes docs/commissioning-<area>.png

Builds the graph of examples/reports with the pipeline, renders the commissioning view of each area
and photographs it in headless Chromium (Debian's /usr/bin/chromium, network blocked).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from clasgraph.build.pipeline import extract_file
from clasgraph.graph.assemble import build_dataset, write_dataset
from clasgraph.graph.nxproject import project
from clasgraph.graph.render import render
from clasgraph.graph.vocab import slug

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update"]


def main() -> int:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="clasgraph-shots-"))
    reports = sorted(p for p in (ROOT / "examples" / "reports").iterdir() if p.suffix in (".md", ".txt"))
    graph = work / "reports.trig"
    write_dataset(build_dataset([extract_file(p) for p in reports]), graph)
    areas = sorted(set(project(graph, details=False).graph["report_area"].values()))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
        for area in areas:
            page_path = work / f"{slug(area)}.html"
            render(graph, page_path, "commissioning", area=area)
            page = browser.new_page(viewport={"width": 1680, "height": 1050})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
            page.goto(page_path.as_uri())
            page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
            out = ROOT / "docs" / f"commissioning-{slug(area)}.png"
            page.screenshot(path=str(out))
            page.close()
            print(f"wrote {out}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
