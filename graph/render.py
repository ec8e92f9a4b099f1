"""Draw a view of the graph as one self-contained, offline HTML page (vis-network, via pyvis).

The page references no network resource at all: vis-network's script and style sheet are copied in
from the pyvis package, with our own legend, type filter, search and details panel
(graph/render_assets/). pyvis 0.3.2's own template links Bootstrap from a CDN even with
``cdn_resources="in_line"`` and its ``write_html`` writes without an encoding, so we fill a pyvis
``Network``'s node and edge lists directly (``from_nx`` is quadratic), take its data and options, and
write the page ourselves, as UTF-8. A Content-Security-Policy allows only the page's own scripts (by
hash) and no connections.

Report text is untrusted. Labels are drawn on the canvas, tooltips are plain strings that
vis-network shows as text, and the panel and legend are filled with ``textContent``; the data is
embedded as JSON in a ``<script type="application/json">`` block with ``<``, ``>``, ``&``, U+2028 and
U+2029 escaped, so no quote can close the block.

Small graphs settle with physics once, then physics is switched off so nodes stay where they are
dragged. Views read left to right (commissioning, recommendations, gaps) and anything larger than
``physics_limit`` nodes are laid out here in Python, with physics off. pyvis (which imports IPython)
is imported only inside ``build_network``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .nxproject import (
    DEFAULT_MAX_NODES,
    KIND_LABELS,
    ORG_KINDS,
    RELATION_LABELS,
    View,
    edge_tooltip,
    nx_neighbours,
    tooltip,
)

if TYPE_CHECKING:
    import networkx as nx

ASSETS = Path(__file__).with_name("render_assets")
VIS_VERSION = "9.1.2"
PHYSICS_LIMIT = 250  # above this many nodes, lay out in Python and keep physics off
EDGE_LABEL_LIMIT = 200  # draw relation names on edges up to this many edges

# node kind -> (colour, vis shape, legend glyph, font colour)
KIND_STYLE: dict[str, tuple[str, str, str, str]] = {
    "ClinicalCommissioningGroup": ("#1f5fa8", "box", "■", "#ffffff"),
    "NHSTrust": ("#1e7b4f", "ellipse", "●", "#ffffff"),
    "NHSFoundationTrust": ("#36a86b", "ellipse", "●", "#ffffff"),
    "LocalAuthority": ("#7b3fa0", "box", "■", "#ffffff"),
    "NationalBody": ("#2c3e50", "box", "■", "#ffffff"),
    "VoluntaryOrganisation": ("#d35400", "ellipse", "●", "#ffffff"),
    "IndependentProvider": ("#9a7d0a", "ellipse", "●", "#ffffff"),
    "Partnership": ("#138d75", "box", "■", "#ffffff"),
    "GPPractice": ("#6c7a89", "ellipse", "●", "#ffffff"),
    "Organisation": ("#8d99a6", "ellipse", "●", "#ffffff"),
    "Service": ("#f4e7b0", "box", "■", "#3b3000"),
    "Transfer": ("#c0392b", "diamond", "◆", "#7b1d14"),
    "Recommendation": ("#fbd7b0", "box", "■", "#5a2e00"),
    "UnresolvedCitation": ("#e67e22", "triangleDown", "▼", "#7a3d00"),
    "Finding": ("#7f8c8d", "dot", "●", "#333333"),
    "Gap": ("#e74c3c", "triangle", "▲", "#8e1b10"),
    "Theme": ("#8e44ad", "star", "★", "#4a1f5c"),
    "ServiceConcept": ("#c9b458", "hexagon", "⬢", "#3b3000"),
    "Report": ("#34495e", "square", "■", "#1b2631"),
    "Area": ("#16a085", "square", "■", "#0b5345"),
    "Section": ("#95a5a6", "dot", "●", "#333333"),
    "Other": ("#b0b0b0", "dot", "●", "#333333"),
}
# relation -> (colour, dashed)
RELATION_STYLE: dict[str, tuple[str, bool]] = {
    "commissions": ("#1f5fa8", False),
    "provides": ("#2e9d5b", False),
    "isResponsibleFor": ("#7b3fa0", False),
    "cites": ("#7f8c8d", False),
    "citesUnresolved": ("#e67e22", True),
    "concerns": ("#e74c3c", False),
    "answeredBy": ("#e08e0b", False),
    "theme": ("#8e44ad", True),
    "fromOrganisation": ("#c0392b", True),
    "toOrganisation": ("#c0392b", False),
    "service": ("#c0392b", False),
    "partOf": ("#2c3e50", True),
}
OTHER_RELATION = ("#9aa5b1", False)


@dataclass
class RenderResult:
    path: Path
    view: str
    nodes: int
    edges: int
    physics: bool
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    bytes: int = 0

    def summary(self) -> str:
        mode = "settles with physics, then freezes" if self.physics else "laid out in Python, physics off"
        return (f"wrote {self.path} ({self.bytes / 1e6:.1f} MB): {self.view} view, {self.nodes} nodes, "
                f"{self.edges} edges, {mode}, {self.seconds:.1f} s")


# ------------------------------------------------------------------------------------------ layout

ROW_H = 46.0
COL_W = 300.0
COL_GAP = 120.0
ASPECT = 1.25
_LABEL_INSIDE = {k for k, (_, shape, _, _) in KIND_STYLE.items() if shape in ("box", "ellipse", "circle", "database", "text")}


def layered_layout(H: nx.MultiDiGraph, layers: Mapping[str, int], nodes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Columns by layer, ordered by the barycentre of each node's neighbours (a few sweeps) so that
    edges cross less; long columns wrap into several sub-columns. Origin at the top left."""
    nodes = list(nodes)
    if not nodes:
        return {}
    cols: dict[int, list[str]] = defaultdict(list)
    for n in sorted(nodes, key=lambda n: (str(H.nodes[n].get("kind")), str(H.nodes[n].get("label", "")).casefold(), n)):
        cols[layers.get(n, 0)].append(n)
    order = sorted(cols)
    pos_index: dict[str, float] = {}
    for c in order:
        for i, n in enumerate(cols[c]):
            pos_index[n] = float(i)
    member = set(nodes)
    for _ in range(4):
        for c in order:
            def bary(n: str, c: int = c) -> tuple[float, float]:
                near = [pos_index[m] for m in nx_neighbours(H, n) if m in member and layers.get(m, 0) != c]
                return (sum(near) / len(near) if near else pos_index[n], pos_index[n])
            cols[c].sort(key=bary)
            for i, n in enumerate(cols[c]):
                pos_index[n] = float(i)
    def row_h(c: int) -> float:  # labels under the shape need more room than labels inside it
        inside = sum(1 for n in cols[c] if str(H.nodes[n].get("kind")) in _LABEL_INSIDE)
        return ROW_H if inside * 2 >= len(cols[c]) else ROW_H * 2.0

    def extent(rows: int) -> tuple[float, float]:
        width = sum(math.ceil(len(cols[c]) / rows) * COL_W + COL_GAP for c in order)
        height = max(min(rows, len(cols[c])) * row_h(c) for c in order)
        return width, height

    longest = max((len(v) for v in cols.values()), default=1)
    # as many rows as make the drawing a little wider than tall (5:4), never fewer than 8
    rows = min(range(max(1, min(8, longest)), longest + 1),
               key=lambda r: abs(math.log(extent(r)[0] / max(extent(r)[1], 1.0)) - math.log(ASPECT)))
    pos: dict[str, tuple[float, float]] = {}
    x = 0.0
    height = extent(rows)[1]
    for c in order:
        col = cols[c]
        h = row_h(c)
        subs = max(1, math.ceil(len(col) / rows))
        per = math.ceil(len(col) / subs)
        for i, n in enumerate(col):
            sub, row = divmod(i, per)
            offset = (height - min(per, len(col) - sub * per) * h) / 2  # centre short columns
            pos[n] = (x + sub * COL_W, offset + row * h)
        x += subs * COL_W + COL_GAP
    return pos


def radial_layout(H: nx.MultiDiGraph, dist: Mapping[str, int], nodes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """Rings by distance from a centre (distance 0), each ring ordered by the angle of its parents."""
    rings: dict[int, list[str]] = defaultdict(list)
    for n in nodes:
        rings[dist.get(n, max(dist.values(), default=0) + 1)].append(n)
    pos: dict[str, tuple[float, float]] = {}
    angle: dict[str, float] = {}
    radius = 0.0
    for r in sorted(rings):
        ring = rings[r]
        if r == 0 or (len(ring) == 1 and not pos):
            for n in ring:
                pos[n], angle[n] = (0.0, 0.0), 0.0
            continue

        def parent_angle(n: str) -> tuple[float, str, str]:
            near = [angle[m] for m in nx_neighbours(H, n) if m in angle]
            return (sum(near) / len(near) if near else 0.0, str(H.nodes[n].get("kind")), str(H.nodes[n].get("label")))

        ring.sort(key=parent_angle)
        radius = max(radius + 220.0, len(ring) * 70.0 / (2 * math.pi))
        for i, n in enumerate(ring):
            a = 2 * math.pi * i / len(ring)
            angle[n] = a
            pos[n] = (radius * math.cos(a), radius * math.sin(a))
    return pos


def _bfs_dist(H: nx.MultiDiGraph, start: str, members: set[str]) -> dict[str, int]:
    dist = {start: 0}
    frontier = [start]
    while frontier:
        nxt = []
        for n in frontier:
            for m in nx_neighbours(H, n):
                if m in members and m not in dist:
                    dist[m] = dist[n] + 1
                    nxt.append(m)
        frontier = nxt
    return dist


def _tile(blocks: list[tuple[str, dict[str, tuple[float, float]]]]) -> tuple[dict[str, tuple[float, float]], list[tuple[str, float, float]]]:
    """Shelf-pack laid-out blocks into rows; returns positions and (title, x, y) for block headings."""
    sized = []
    for title, pos in blocks:
        xs = [p[0] for p in pos.values()] or [0.0]
        ys = [p[1] for p in pos.values()] or [0.0]
        sized.append((title, pos, min(xs), min(ys), max(xs) - min(xs) + COL_W, max(ys) - min(ys) + 2 * ROW_H))
    area = sum(w * h for *_, w, h in sized)
    target = max(max((w for *_, w, _ in sized), default=COL_W), math.sqrt(area) * 1.6)
    out: dict[str, tuple[float, float]] = {}
    headings: list[tuple[str, float, float]] = []
    x = y = shelf = 0.0
    for title, pos, x0, y0, w, h in sized:
        if x > 0 and x + w > target:
            x, y, shelf = 0.0, y + shelf + 3 * ROW_H, 0.0
        for n, (px, py) in pos.items():
            out[n] = (x + px - x0, y + py - y0 + 1.5 * ROW_H)
        if title:
            headings.append((title, x, y))
        x += w + COL_GAP
        shelf = max(shelf, h)
    return out, headings


def compute_layout(view: View) -> tuple[dict[str, tuple[float, float]], list[tuple[str, float, float]]]:
    """Positions for every node of the view, and headings for groups (areas/reports) or components."""
    H = view.graph
    if view.focus is not None and view.layers:
        return radial_layout(H, view.layers, H.nodes), []
    if view.layers:
        groups: dict[str, list[str]] = defaultdict(list)
        for n in H.nodes:
            groups[view.groups.get(n, "")].append(n)
        named = [g for g in groups if g]
        if len(named) <= 1:
            return layered_layout(H, view.layers, H.nodes), []
        # nodes without a group (bodies shared by several areas) go with the group of most neighbours
        for n in groups.pop("", []):
            votes: dict[str, int] = defaultdict(int)
            for m in nx_neighbours(H, n):
                if view.groups.get(m):
                    votes[view.groups[m]] += 1
            g = max(sorted(votes), key=lambda k: votes[k]) if votes else sorted(groups)[0]
            groups[g].append(n)
        blocks = [(g, layered_layout(H, view.layers, groups[g])) for g in sorted(groups, key=str.casefold)]
        return _tile(blocks)
    # anything else: radial per connected component, from its best-connected node
    remaining = set(H.nodes)
    blocks = []
    for n in sorted(H.nodes, key=lambda n: (-H.degree(n), n)):
        if n not in remaining:
            continue
        dist = _bfs_dist(H, n, remaining)
        remaining -= set(dist)
        blocks.append(("", radial_layout(H, dist, dist)))
    return _tile(blocks)


# ------------------------------------------------------------------------------------ the network


def _search_text(attrs: Mapping[str, Any]) -> tuple[str, list[str]]:
    keys = [str(attrs.get("name", "")), str(attrs.get("label", "")), *[str(a) for a in attrs.get("aliases", [])]]
    if attrs.get("number"):
        keys.append(str(attrs["number"]))
    keys = [k.casefold() for k in keys if k]
    return " | ".join(keys), keys


def build_network(view: View, *, physics_limit: int = PHYSICS_LIMIT) -> tuple[Any, bool, dict[str, Any]]:
    """A pyvis Network holding the view's nodes and edges (filled directly), whether physics is on,
    and the legend data."""
    from pyvis.network import Network  # imports IPython: only here

    H = view.graph
    n_nodes = H.number_of_nodes()
    physics = view.layers is None or view.focus is not None
    physics = physics and 1 < n_nodes <= physics_limit
    pos, headings = compute_layout(view)
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    ids: dict[str, int] = {}
    kinds: dict[str, int] = defaultdict(int)
    for i, (n, attrs) in enumerate(H.nodes(data=True)):
        ids[n] = i
        kind = str(attrs.get("kind", "Other"))
        kinds[kind] += 1
        search, keys = _search_text(attrs)
        x, y = pos.get(n, (0.0, 0.0))
        node: dict[str, Any] = {
            "id": i,
            "label": str(attrs.get("label", "")),
            "title": tooltip(attrs),
            "name": str(attrs.get("name", "")),
            "kind": kind,
            "group": kind if kind in KIND_STYLE else "Other",
            "iri": n,
            "search": search,
            "keys": keys,
            "x": round(x, 1),
            "y": round(y, 1),
        }
        if n == view.focus:
            node["borderWidth"] = 4
            node["font"] = {"size": 18}
        net.nodes.append(node)
    heading_id = len(ids)
    for title, x, y in headings:
        net.nodes.append({"id": heading_id, "label": title, "title": title, "name": title, "kind": "_heading",
                          "group": "_heading", "iri": "", "search": "", "keys": [], "x": round(x, 1), "y": round(y, 1),
                          "physics": False, "fixed": True, "chosen": False})
        heading_id += 1
    rels: dict[str, int] = defaultdict(int)
    show_edge_labels = H.number_of_edges() <= EDGE_LABEL_LIMIT
    for j, (s, o, rel, attrs) in enumerate(H.edges(keys=True, data=True)):
        rel = str(attrs.get("relation", rel))
        rels[rel] += 1
        color, dashed = RELATION_STYLE.get(rel, OTHER_RELATION)
        edge: dict[str, Any] = {
            "id": j,
            "from": ids[s],
            "to": ids[o],
            "relation": rel,
            "title": edge_tooltip(H, s, o, attrs),
            "color": {"color": color, "highlight": color, "hover": color},
            "dashes": dashed,
        }
        if show_edge_labels:
            edge["label"] = RELATION_LABELS.get(rel, rel)
        net.edges.append(edge)

    big = n_nodes > 800
    if physics:
        net.barnes_hut(gravity=-6000, central_gravity=0.25, spring_length=150, spring_strength=0.03,
                       damping=0.4, overlap=0.4)
    else:
        net.toggle_physics(False)
    options = json.loads(net.options.to_json())
    # fewer iterations for bigger graphs: they start from the Python layout, and must settle in seconds
    iterations = max(80, min(300, 30_000 // max(1, n_nodes + H.number_of_edges() // 2)))
    options["physics"]["stabilization"] = {"enabled": True, "iterations": iterations, "updateInterval": 20,
                                           "fit": True}
    options["physics"]["enabled"] = physics
    options["layout"] = {"improvedLayout": False, "randomSeed": 7}
    options["interaction"] = {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                              "navigationButtons": False, "keyboard": False, "multiselect": True}
    options["edges"] = {
        "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
        # "continuous" curves: "dynamic" ones add a physics body per edge and settle far slower
        "smooth": False if big or not physics and n_nodes > 300 else {"enabled": True, "type": "continuous"}
        if physics else {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.45},
        "font": {"size": 10, "align": "horizontal", "color": "#444444", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "width": 1.4,
        "selectionWidth": 2,
    }
    options["nodes"] = {"font": {"size": 14, "face": "Arial"}, "borderWidth": 1, "margin": 8,
                        "widthConstraint": {"maximum": 220}}
    groups: dict[str, Any] = {}
    for kind, (color, shape, _, font) in KIND_STYLE.items():
        inside = shape in ("box", "ellipse", "circle", "database", "text")
        groups[kind] = {
            "shape": shape,
            "color": {"background": color, "border": _darker(color), "highlight": {"background": color, "border": "#000000"},
                      "hover": {"background": color, "border": "#000000"}},
            "font": {"color": font if inside else "#222222", "size": 14 if inside else 13},
            "size": 12 if kind in ("Finding", "Section", "Other") else 16,
        }
    groups["_heading"] = {"shape": "text", "font": {"size": 34, "color": "#16a085", "face": "Arial", "bold": True}}
    options["groups"] = groups
    legend = {
        "kinds": [
            {"kind": k, "label": KIND_LABELS.get(k, k), "count": kinds[k], "color": KIND_STYLE.get(k, KIND_STYLE["Other"])[0],
             "glyph": KIND_STYLE.get(k, KIND_STYLE["Other"])[2]}
            for k in sorted(kinds, key=lambda k: list(KIND_STYLE).index(k) if k in KIND_STYLE else 99)
        ],
        "relations": [
            {"relation": r, "label": RELATION_LABELS.get(r, r), "count": rels[r],
             "color": RELATION_STYLE.get(r, OTHER_RELATION)[0], "dashes": RELATION_STYLE.get(r, OTHER_RELATION)[1]}
            for r in sorted(rels, key=lambda r: list(RELATION_STYLE).index(r) if r in RELATION_STYLE else 99)
        ],
        "options": options,
    }
    return net, physics, legend


def _darker(color: str) -> str:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(v * 0.7) for v in (r, g, b)))


# ------------------------------------------------------------------------------------------ the page


def json_for_script(data: Any) -> str:
    """JSON safe inside an HTML <script> element: no '<', '>' or '&' (so no "</script>" or "<!--"),
    and no U+2028/U+2029 line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    import importlib.util

    spec = importlib.util.find_spec("pyvis")
    if spec is None or spec.origin is None:
        raise RuntimeError("pyvis is not installed")
    lib = Path(spec.origin).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.M)  # no request for a source map
    css = re.sub(r"/\*# sourceMappingURL=.*?\*/", "", css)
    if re.search(r"</script", js, re.I) or re.search(r"</style", css, re.I):
        raise RuntimeError("the bundled vis-network cannot be inlined safely")
    return js, css


@lru_cache(maxsize=1)
def _app_assets() -> tuple[str, str, str]:
    return ((ASSETS / "page.html").read_text(encoding="utf-8"), (ASSETS / "app.js").read_text(encoding="utf-8"),
            (ASSETS / "app.css").read_text(encoding="utf-8"))


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def page_html(view: View, *, physics_limit: int = PHYSICS_LIMIT, title: str | None = None) -> tuple[str, bool]:
    """The complete page for a view, and whether physics is on."""
    from clasgraph import __version__

    net, physics, legend = build_network(view, physics_limit=physics_limit)
    nodes, edges, _, _, _, _ = net.get_network_data()
    title = title or view.title
    H = view.graph
    data = {
        "view": view.name,
        "title": title,
        "physics": physics,
        "nodes": nodes,
        "edges": edges,
        "kinds": legend["kinds"],
        "relations": legend["relations"],
        "options": legend["options"],
        "notes": view.notes,
    }
    vis_js, vis_css = _vis_assets()
    template, app_js, app_css = _app_assets()
    csp = ("default-src 'none'; "
           f"script-src {_sha256(vis_js)} {_sha256(app_js)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    n_orgs = sum(1 for _, k in H.nodes(data="kind") if k in ORG_KINDS)
    summary = (f"{H.number_of_nodes()} nodes ({n_orgs} bodies), {H.number_of_edges()} edges. "
               + ("Nodes settle once, then stay where you drag them. " if physics else
                  "Laid out in columns; drag nodes to move them. ")
               + "Scroll to zoom; point at a node or edge for names and evidence.")
    notes = "".join(f"<p>{html.escape(n)}</p>" for n in view.notes)
    values = {
        "CSP": html.escape(csp),
        "VERSION": html.escape(__version__),
        "VIS_VERSION": VIS_VERSION,
        "TITLE": html.escape(title),
        "SUMMARY": html.escape(summary),
        "NOTES": f'<div class="notes" id="notes">{notes}</div>' if notes else "",
        "VIS_CSS": vis_css,
        "APP_CSS": app_css,
        "DATA": json_for_script(data),
        "VIS_JS": vis_js,
        "APP_JS": app_js,
    }
    # one pass: text substituted in is never scanned for placeholders again
    page = re.sub(r"%%([A-Z_]+)%%", lambda m: values[m.group(1)], template)
    return page, physics


def write_page(view: View, output: Path, *, physics_limit: int = PHYSICS_LIMIT, title: str | None = None) -> RenderResult:
    t0 = time.perf_counter()
    page, physics = page_html(view, physics_limit=physics_limit, title=title)
    output.parent.mkdir(parents=True, exist_ok=True)
    data = page.encode("utf-8", errors="replace")  # a lone surrogate in bad input must not stop the page
    output.write_bytes(data)
    return RenderResult(output, view.name, view.graph.number_of_nodes(), view.graph.number_of_edges(), physics,
                        list(view.notes), time.perf_counter() - t0, len(data))


def render(source: Any, output: Path, view: str = "commissioning", *, area: str | None = None,
           focus: str | None = None, depth: int = 2, query: str | None = None,
           max_nodes: int = DEFAULT_MAX_NODES, physics_limit: int = PHYSICS_LIMIT,
           title: str | None = None) -> RenderResult:
    """Project ``source`` (a path, store or rdflib graph), select the view and write the page."""
    from .nxproject import as_source, attach_details, view_from_source

    t0 = time.perf_counter()
    src = as_source(source)
    # read only what the view draws, and the long texts only for what is on the page
    v = view_from_source(src, view, area=area, focus=focus, depth=depth, query=query, max_nodes=max_nodes)
    attach_details(v.graph, src)
    result = write_page(v, output, physics_limit=physics_limit, title=title)
    result.seconds = time.perf_counter() - t0
    return result
