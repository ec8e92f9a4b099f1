"""The rendered pages in headless Chromium with the network blocked: every view of the bundled
reports draws, finds a named body, filters by type, makes no request and logs no error; physics
freezes after settling; report text carrying script payloads runs nothing and shows as text.

Needs Debian's chromium (`make chromium`) and playwright; skips with the reason where Chromium
cannot be launched. One browser for the whole module.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from clasgraph.graph.nxproject import ORG_KINDS, project
from clasgraph.graph.render import render

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "examples" / "reports"
DATA = Path(__file__).parent / "data"
XSS = DATA / "render_xss.ttl"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update"]
READY = "body[data-ready='1']"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (run `make chromium`)")
    pw = sync_api.sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
    except Exception as exc:  # no display libraries, sandbox refused...
        pw.stop()
        pytest.skip(f"Chromium cannot be launched here: {str(exc).strip().splitlines()[0]}")
    yield b
    b.close()
    pw.stop()


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The graph of the bundled reports, built with the pipeline."""
    from clasgraph.build.pipeline import extract_file
    from clasgraph.graph.assemble import build_dataset, write_dataset

    reports = sorted(p for p in REPORTS.iterdir() if p.suffix in (".md", ".txt"))
    assert reports, "no bundled reports"
    out = tmp_path_factory.mktemp("bundled") / "reports.trig"
    write_dataset(build_dataset([extract_file(p) for p in reports]), out)
    return out


@dataclass
class Opened:
    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every request the page made
    blocked: list[str] = field(default_factory=list)  # requests that tried to leave file://


def open_page(browser: Any, path: Path) -> Opened:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    opened = Opened(page)
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.on("request", lambda r: opened.requests.append(r.url))

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            opened.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.resolve().as_uri())
    page.wait_for_selector(READY, state="attached", timeout=30_000)
    return opened


def canvas_colours(page: Any) -> tuple[int, float]:
    """Distinct colours in the drawn canvas and the share of pixels that are not background."""
    from PIL import Image

    png = page.locator("#network canvas").screenshot()
    img = Image.open(io.BytesIO(png)).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20) or []
    total = img.width * img.height
    background = max(colours)[0] if colours else total
    return len(colours), 1 - background / total


def assert_clean(o: Opened, path: Path) -> None:
    assert o.errors == [], o.errors
    assert o.blocked == [], o.blocked
    assert all(u.startswith(("file://", "data:")) for u in o.requests), o.requests
    assert o.requests[:1] == [path.resolve().as_uri()]


def assert_drawn(page: Any) -> None:
    n, share = canvas_colours(page)
    assert n >= 8 and share > 0.002, (n, share)


def search(page: Any, text: str) -> str:
    page.fill("#search", text)
    page.press("#search", "Enter")
    return str(page.text_content("#search-status"))


def views_of(graph: Path) -> list[tuple[str, dict[str, Any]]]:
    G = project(graph, details=False)
    areas = sorted(set(G.graph["report_area"].values()))
    busiest = max((n for n, a in G.nodes(data=True) if a["kind"] in ORG_KINDS), key=G.degree)
    views: list[tuple[str, dict[str, Any]]] = [("commissioning", {"area": a}) for a in areas]
    views += [("commissioning", {}), ("recommendations", {}), ("gaps", {}),
              ("org", {"focus": G.nodes[busiest]["name"], "depth": 1}),
              ("query", {"query": "PREFIX clas: <https://w3id.org/clasgraph/ontology#>\n"
                                  "CONSTRUCT { ?o clas:commissions ?s . ?p clas:provides ?s }\n"
                                  "WHERE { ?o clas:commissions ?s . OPTIONAL { ?p clas:provides ?s } }"})]
    return views


def test_every_view_of_the_bundled_reports(browser: Any, bundled: Path, tmp_path: Path) -> None:
    for i, (view, kw) in enumerate(views_of(bundled)):
        out = tmp_path / f"{i}-{view}.html"
        render(bundled, out, view, **kw)
        o = open_page(browser, out)
        try:
            assert_clean(o, out)
            assert_drawn(o.page)
            data = o.page.evaluate("() => window.clasgraph.data.nodes.map(n => [n.id, n.kind, n.name])")
            bodies = sorted((name, nid) for nid, kind, name in data if kind in ORG_KINDS)
            assert bodies, (view, kw)
            names = [b[0] for b in bodies]
            name, nid = next(b for b in bodies if names.count(b[0]) == 1)
            status = search(o.page, name.lower())  # case-insensitive
            assert status.startswith("1 match: "), status
            assert o.page.evaluate("() => window.clasgraph.network.getSelectedNodes()") == [nid]
            assert name in str(o.page.text_content("#details-text"))
            assert search(o.page, "no such thing zzz").startswith("No match")
            assert o.errors == []
        finally:
            o.page.close()


def test_type_filter_hides_one_kind_and_keeps_the_rest(browser: Any, bundled: Path, tmp_path: Path) -> None:
    out = tmp_path / "filter.html"
    render(bundled, out, "commissioning")
    o = open_page(browser, out)
    try:
        kinds = o.page.evaluate("() => window.clasgraph.data.kinds.map(k => k.kind)")
        assert "Service" in kinds
        o.page.click("input[data-kind='Service']")
        visible = o.page.evaluate(
            "() => window.clasgraph.nodes.get({filter: n => n.kind === 'Service' && !n.hidden}).length")
        assert visible == 0
        assert_drawn(o.page)  # the rest is still drawn (pyvis's own filter menu blanked the graph)
        search(o.page, "health visiting")  # hidden kinds are not found
        found = o.page.evaluate("() => window.clasgraph.state.matches.map(id => window.clasgraph.nodes.get(id).kind)")
        assert "Service" not in found
        o.page.click("#show-all")
        assert o.page.evaluate("() => window.clasgraph.nodes.get({filter: n => n.hidden}).length") == 0
        assert o.errors == []
    finally:
        o.page.close()


def test_physics_settles_once_then_nodes_stay_where_dragged(browser: Any, bundled: Path, tmp_path: Path) -> None:
    G = project(bundled, details=False)
    busiest = max((n for n, a in G.nodes(data=True) if a["kind"] in ORG_KINDS), key=G.degree)
    out = tmp_path / "org.html"
    result = render(bundled, out, "org", focus=G.nodes[busiest]["name"], depth=1)
    assert result.physics
    o = open_page(browser, out)
    page = o.page
    try:
        assert page.evaluate("() => window.clasgraph.state.stabilized")
        assert page.evaluate("() => window.clasgraph.network.physics.options.enabled") is False
        nid = page.evaluate(f"() => window.clasgraph.data.nodes.find(n => n.iri === {busiest!r}).id")
        box = page.locator("#network canvas").bounding_box()
        start = page.evaluate(f"() => window.clasgraph.network.canvasToDOM(window.clasgraph.network.getPositions([{nid}])[{nid}])")
        x, y = box["x"] + start["x"], box["y"] + start["y"]
        before = page.evaluate(f"() => window.clasgraph.network.getPositions([{nid}])[{nid}]")
        for _attempt in range(3):  # on a loaded machine a slow press can be taken for a long-press, not a drag
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x + 60, y + 40, steps=8)
            page.mouse.up()
            page.wait_for_timeout(300)
            after = page.evaluate(f"() => window.clasgraph.network.getPositions([{nid}])[{nid}]")
            if (after["x"], after["y"]) != (before["x"], before["y"]):
                break
        page.wait_for_timeout(700)
        later = page.evaluate(f"() => window.clasgraph.network.getPositions([{nid}])[{nid}]")
        assert (after["x"], after["y"]) != (before["x"], before["y"])  # it moved with the mouse
        assert later == after  # and stays there: physics is off
        assert o.errors == []
    finally:
        page.close()


def test_script_payloads_run_nothing_and_show_as_text(browser: Any, tmp_path: Path) -> None:
    for view, kw in [("commissioning", {}), ("recommendations", {}), ("gaps", {}), ("org", {"focus": "EVT"})]:
        out = tmp_path / f"xss-{view}.html"
        render(XSS, out, view, **kw)
        o = open_page(browser, out)
        page = o.page
        try:
            assert_clean(o, out)
            assert_drawn(page)
            ran = page.evaluate("() => [typeof window.__xss, document.querySelectorAll('img, svg, iframe, a, b').length]")
            assert ran == ["undefined", 0]
            assert page.title().startswith(("Commissioning in Xss <b>Area</b>", "Recommendations in Xss <b>Area</b>",
                                            "Gaps in Xss <b>Area</b>", "<script>window.__xss = 1</script>Evil Trust"))
            status = search(page, "evil trust")
            assert status.startswith("1 match: <script>window.__xss = 1</script>Evil Trust"), status
            details = str(page.text_content("#details-text"))
            assert "<script>window.__xss = 1</script>Evil Trust" in details
            assert '"><img src=x onerror="window.__xss=2">' in details
            assert page.evaluate("() => document.getElementById('details-text').children.length") == 0
            # the vis tooltip shows the same text as text
            nid = page.evaluate("() => window.clasgraph.network.getSelectedNodes()[0]")
            box = page.locator("#network canvas").bounding_box()
            pos = page.evaluate(f"() => window.clasgraph.network.canvasToDOM(window.clasgraph.network.getPositions([{nid}])[{nid}])")
            page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
            page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
            tip = page.evaluate("() => { const t = document.querySelector('div.vis-tooltip');"
                                " return [t.innerText, [...t.querySelectorAll('*')].map(e => e.tagName)]; }")
            # innerText turns line breaks into <br>: those are the only elements in the tooltip
            assert "<script>window.__xss = 1</script>Evil Trust" in tip[0] and set(tip[1]) <= {"BR"}
            page.wait_for_timeout(200)
            assert page.evaluate("() => typeof window.__xss") == "undefined"
            assert o.errors == []
        finally:
            page.close()
