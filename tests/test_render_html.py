"""The rendered page without a browser: self-contained, UTF-8, no network reference, untrusted text
escaped (the browser tests check the same pages run nothing)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clasgraph.graph.nxproject import project, select_view
from clasgraph.graph.render import json_for_script, page_html, render

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "render_fixture.trig"
XSS = DATA / "render_xss.ttl"


class Page(HTMLParser):
    """Tags, attributes and script bodies as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self._buf: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "script":
            self._in_script, self._buf = a, []
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._buf)))
            self._in_script = None
        self._in_title = False

    def handle_data(self, data):
        if self._in_script is not None:
            self._buf.append(data)
        if self._in_title:
            self.title += data


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    p.close()
    return p


VIEWS = [("commissioning", {}), ("recommendations", {}), ("gaps", {}), ("org", {"focus": "Hillside"})]


@pytest.fixture(scope="module")
def fixture_graph():
    return project(FIXTURE)


@pytest.mark.parametrize("view,kw", VIEWS)
def test_page_is_self_contained(tmp_path, view, kw):
    out = tmp_path / f"{view}.html"
    result = render(FIXTURE, out, view, **kw)
    raw = out.read_bytes()
    html = raw.decode("utf-8")  # written as UTF-8
    assert result.bytes == len(raw) and result.nodes > 0
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    page = parse(html)
    for tag, attrs in page.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed", "base", "frame"), tag
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    assert "@import" not in html and not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "sourceMappingURL" not in html  # no request for a source map either
    assert [a.get("type") for a, _ in page.scripts] == ["application/json", None, None]


def test_csp_allows_exactly_the_page_scripts(tmp_path):
    out = tmp_path / "c.html"
    render(FIXTURE, out, "commissioning")
    page = parse(out.read_text(encoding="utf-8"))
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and "default-src 'none'" in csp and "connect-src 'none'" in csp
    hashes = set(re.findall(r"'sha256-([^']+)'", csp))
    code = [body for attrs, body in page.scripts if attrs.get("type") is None]
    expected = {base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() for body in code}
    assert hashes == expected
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]


def test_untrusted_text_stays_text(tmp_path):
    G = project(XSS)
    for view, kw in [("commissioning", {}), ("recommendations", {}), ("gaps", {}), ("org", {"focus": "EVT"})]:
        html, _ = page_html(select_view(G, view, **kw))
        page = parse(html)
        # nothing broke out of the JSON block: the same three scripts, no injected element
        assert len(page.scripts) == 3
        assert not any(t in ("img", "svg", "iframe", "a", "b") for t, _ in page.tags)
        data = json.loads(page.scripts[0][1])
        blob = json.dumps(data, ensure_ascii=False)
        # the payloads are still there, exactly, as data
        assert "<script>window.__xss = 1</script>Evil Trust" in blob
        if view in ("gaps", "org"):
            assert '"><img src=x onerror=window.__xss=8> </script><script>window.__xss=9</script>' in blob
        raw_json = page.scripts[0][1]
        assert "<" not in raw_json and ">" not in raw_json and "&" not in raw_json
        assert "\u2028" not in raw_json and "\u2029" not in raw_json
        if view == "org":
            assert "<title>&lt;script&gt;window.__xss = 1&lt;/script&gt;Evil Trust: everything" in html
        else:
            assert "Xss &lt;b&gt;Area&lt;/b&gt; &amp; &quot;Co&quot;" in html
    # a placeholder in report text is not substituted (one-pass templating)
    html, _ = page_html(select_view(G, "commissioning"))
    data = json.loads(parse(html).scripts[0][1])
    assert any("%%DATA%%" in e["title"] for e in data["edges"])


def test_title_is_escaped():
    G = project(XSS)
    html, _ = page_html(select_view(G, "commissioning"), title="<script>alert(1)</script> & co")
    page = parse(html)
    assert page.title == "<script>alert(1)</script> & co"  # as text
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>" in html


@given(st.text())
def test_json_for_script_is_inert_and_lossless(text):
    out = json_for_script({"t": text, "l": [text, "</script>"]})
    assert not set(out) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(out) == {"t": text, "l": [text, "</script>"]}


def test_physics_only_for_small_unlayered_views(fixture_graph):
    _, physics = page_html(select_view(fixture_graph, "org", focus="Hillside"))
    assert physics
    _, physics = page_html(select_view(fixture_graph, "commissioning"))
    assert not physics  # laid out in columns in Python
    _, physics = page_html(select_view(fixture_graph, "org", focus="Hillside"), physics_limit=3)
    assert not physics


def test_legend_lists_kinds_and_relations(fixture_graph):
    html, _ = page_html(select_view(fixture_graph, "commissioning", area="Northvale"))
    data = json.loads(parse(html).scripts[0][1])
    kinds = {k["kind"]: k["count"] for k in data["kinds"]}
    assert kinds["Service"] == 4 and kinds["Transfer"] == 1
    rels = {r["relation"] for r in data["relations"]}
    assert {"commissions", "provides", "fromOrganisation", "toOrganisation"} <= rels
    assert {e["label"] for e in data["edges"]} >= {"commissions", "provides"}  # edges labelled
    assert all(n["title"] and "\n" in n["title"] for n in data["nodes"])  # name, type, details


def test_bad_unicode_does_not_stop_the_page(tmp_path):
    import networkx as nx

    from clasgraph.graph.nxproject import View
    from clasgraph.graph.render import write_page

    H = nx.MultiDiGraph()
    H.add_node("x", kind="NHSTrust", label="bad \ud800 label", name="bad \ud800 name")
    result = write_page(View("query", "title \ud800", H), tmp_path / "s.html")
    html = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert result.nodes == 1 and "bad ? name" in html
