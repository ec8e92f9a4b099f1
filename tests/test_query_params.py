"""Property: any parameter value is bound as exactly that literal, whatever characters it holds."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from clasgraph.graph import query as Q
from clasgraph.graph.io import GraphSource

TEMPLATE = """# Find a thing by its name.
# @param name  the name
SELECT ?thing WHERE {
  GRAPH ?g {
  #@name VALUES ?name { $name }
    ?thing <http://www.w3.org/2000/01/rdf-schema#label> ?name .
  }
}
"""

# any Unicode text a user could type (no lone surrogates: they are not valid in RDF literals)
values = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(value=values, other=values)
def test_value_matches_only_its_literal(value, other):
    store = ox.Store()
    g = ox.NamedNode("urn:x:g")
    store.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal(value), g))
    store.add(ox.Quad(ox.NamedNode("urn:x:b"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal(other + "\u0000x"), g))
    src = GraphSource(path=Path("mem"), kind="file", store=store)
    _desc, declared = Q.parse_declarations(TEMPLATE)
    text = Q.apply_params(TEMPLATE, {"name": value}, declared)
    rows = Q.run_local(src, text, timeout=None).to_dicts()
    assert rows == [{"thing": "urn:x:a"}]
    # the query text outside the value is untouched: one VALUES line, same number of lines
    assert len(text.splitlines()) == len(TEMPLATE.splitlines())
