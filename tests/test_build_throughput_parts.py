"""The build's fast paths: N-Triples written straight from an extraction (the same graph as the rdflib
assembly), the streaming store writer (batches, replacements, discard on failure), the background
store feeder, and the opt-in SHACL check of each report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as hs
from rdflib.compare import isomorphic
from test_store_update import count, labels, report

from clasgraph.build.model import (
    Document,
    Extraction,
    Organisation,
    Paragraph,
    Recommendation,
    RecommendationGroup,
    ReportMeta,
    Section,
    Structure,
)
from clasgraph.cli import main
from clasgraph.graph import buildrun, vocab
from clasgraph.graph import store as st
from clasgraph.graph.assemble import NTriplesSink, emit_triples, extraction_to_graph, extraction_to_ntriples


def nt_graph(data: bytes) -> rdflib.Graph:
    return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")


def test_ntriples_same_graph_as_rdflib_on_the_corpus(corpus_extractions):
    for ex in corpus_extractions.values():
        key, g = extraction_to_graph(ex)
        key2, data = extraction_to_ntriples(ex)
        assert key2 == key
        assert data.count(b"\n") == len(g)  # each triple once
        assert isomorphic(nt_graph(data), g)


def tiny_extraction(text: str, area: str = "Northtown") -> Extraction:
    """A one-finding, one-recommendation report whose every free text is ``text``."""
    doc = Document(source="northtown.txt", text=text, format="text", sha256="0" * 64)
    meta = ReportMeta(area=area, title=text, published=dt.date(2015, 3, 1), inspectors=[text])
    para = Paragraph(text=text, section="journey-1", number="1.1")
    structure = Structure(meta=meta, sections=[Section(key="journey-1", title=text, paragraphs=[para])],
                          recommendation_lines=[])
    org = Organisation(key="northtown-ccg", name=text, type="CCG", aliases={text + " (x)"}, sources=["1.1"])
    return Extraction(document=doc, structure=structure, groups=[RecommendationGroup("1", text, [text])],
                      recommendations=[Recommendation("1.1", text, "1", ["northtown-ccg"])], citations=[],
                      organisations=[org])


@settings(max_examples=60, deadline=None)
@given(hs.text(hs.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60))
def test_ntriples_escape_any_literal(text):
    ex = tiny_extraction(text)
    _key, g = extraction_to_graph(ex)
    _key, data = extraction_to_ntriples(ex)
    assert isomorphic(nt_graph(data), g)
    # and Oxigraph, which the store loads them with, reads the same literals
    import pyoxigraph as ox

    parsed = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    assert len(parsed) == len(g)
    assert st.plain_ntriples(data)  # what ReportOutcome.plain promises the store and the output writer
    assert {t.object.value for t in parsed if isinstance(t.object, ox.Literal)} == \
        {str(o) for o in g.objects() if isinstance(o, rdflib.Literal)}


def test_sink_lists_watched_labels_and_dedups():
    sink = NTriplesSink(watch_labels=vocab.ID + "org/")
    org = rdflib.URIRef(vocab.org_iri("northtown-ccg"))
    other = rdflib.URIRef(vocab.report_iri("northtown-2015"))
    for _ in range(2):
        sink.add((org, rdflib.RDFS.label, rdflib.Literal("Northtown CCG")))
    sink.add((other, rdflib.RDFS.label, rdflib.Literal("CLAS review of Northtown")))
    sink.add((org, rdflib.RDFS.label, rdflib.Literal('The "Northtown"\\ CCG\nsecond line', lang="en")))
    assert len(sink) == 3
    assert sink.labels() == sorted([(str(org), "Northtown CCG"), (str(org), 'The "Northtown"\\ CCG\nsecond line')])
    assert len(nt_graph(sink.getvalue())) == 3


def test_emit_triples_is_what_both_paths_use(corpus_extractions):
    ex = next(iter(corpus_extractions.values()))
    seen: list[tuple] = []
    key = emit_triples(ex, seen.append)
    assert key == extraction_to_graph(ex)[0] and len(set(seen)) == len(extraction_to_graph(ex)[1])


def test_the_sinks_light_terms_write_what_rdflib_terms_write(corpus_extractions):
    """The N-Triples sink's own terms (plain-string IRIs, literals written when made) give the same bytes,
    line for line, and the same watched labels as rdflib terms do."""
    for ex in corpus_extractions.values():
        out = []
        for terms in (None, NTriplesSink.terms):
            sink = NTriplesSink(watch_labels=vocab.ID + "org/")
            out.append((emit_triples(ex, sink.add, terms), sink.getvalue(), sink.labels()))
        assert out[0] == out[1] and out[0][2]


@given(hs.one_of(hs.text(), hs.integers(), hs.booleans()), hs.sampled_from([None, "en"]))
@settings(max_examples=200, deadline=None)
def test_light_literals_are_rdflib_literals(value, lang):
    import pyoxigraph as ox

    from clasgraph.graph.assemble import _make_nt_literal, _nt_literal

    if not isinstance(value, str):
        lang = None
    lit = rdflib.Literal(value, lang=lang)
    assert _make_nt_literal(value, lang=lang) == _nt_literal(lit)
    assert _make_nt_literal(value, lang=lang).lexical == str(lit)
    if "\x00" not in str(value) and not any(0xD800 <= ord(c) <= 0xDFFF for c in str(value)):
        parsed = next(iter(ox.parse(f"<http://x/s> <http://x/p> {_make_nt_literal(value, lang=lang)} .\n",
                                    format=ox.RdfFormat.N_TRIPLES)))
        assert parsed.object.value == str(lit)


# ------------------------------------------------------------------ the streaming store writer


def test_writer_batches_and_commits(tmp_path):
    d = tmp_path / "s"
    with st.StoreWriter(d, batch_bytes=200) as w:  # a tiny batch: a bulk load every report or two
        for i in range(7):
            w.put(report(f"r{i}-2015", f"r{i}.txt", "1", n=4))
        upd = w.commit()
    assert upd.written and sorted(upd.added) == [f"r{i}-2015" for i in range(7)]
    assert all(count(d, f"r{i}-2015") == 5 for i in range(7))
    assert st.read_index(d).reports["r3-2015"].triples == 5


def test_writer_replaces_changed_and_skips_unchanged(tmp_path):
    d = tmp_path / "s"
    st.update_store(d, [report("a-2015", "a.txt", "1"), report("b-2016", "b.txt", "1")])
    with st.StoreWriter(d, batch_bytes=1) as w:
        w.put(report("a-2015", "a.txt", "1"))  # unchanged
        w.put(report("b-2016", "b.txt", "2", n=1))  # changed: replaces its graph
        upd = w.commit()
    assert upd.unchanged == ["a-2015"] and upd.replaced == ["b-2016"]
    assert labels(d) == {"a-2015 v1", "b-2016 v2"} and count(d, "b-2016") == 2


def test_writer_same_key_twice_keeps_the_later_one(tmp_path):
    d = tmp_path / "s"
    with st.StoreWriter(d, batch_bytes=1) as w:  # the first is already loaded when the second comes
        w.put(report("a-2015", "a.txt", "1", n=5))
        w.put(report("a-2015", "a-copy.txt", "2", n=1))
        upd = w.commit()
    assert upd.added == ["a-2015"] and count(d, "a-2015") == 2 and labels(d) == {"a-2015 v2"}
    assert upd.warnings == ["a-copy.txt: same report key 'a-2015' as a.txt; the later one is stored"]


def test_writer_without_commit_leaves_the_store_as_it_was(tmp_path):
    d = tmp_path / "s"
    st.update_store(d, [report("a-2015", "a.txt", "1")])
    with pytest.raises(RuntimeError), st.StoreWriter(d, batch_bytes=1) as w:
        w.put(report("a-2015", "a.txt", "2", n=9))
        w.put(report("b-2016", "b.txt", "1"))
        raise RuntimeError("the build failed")
    assert labels(d) == {"a-2015 v1"} and sorted(st.read_index(d).reports) == ["a-2015"]
    assert not [p for p in d.iterdir() if p.name.startswith(".tmp-")]
    with pytest.raises(st.StoreError, match="another clasgraph process"), st.StoreWriter(d):
        with st.StoreWriter(d):
            pass


def test_writer_names_the_bad_report_of_a_batch(tmp_path):
    d = tmp_path / "s"
    bad = st.StoredReport(key="b-2016", source="b.txt", sha256="1", ntriples=b"<not n-triples\n")
    with pytest.raises(st.StoreError, match="^b.txt: report graph is not valid N-Triples"), st.StoreWriter(d) as w:
        w.put(report("a-2015", "a.txt", "1"))
        w.put(bad)
        w.commit()
    assert not st.is_store(d)


def test_feeder_hands_the_writer_error_to_the_build(tmp_path):
    d = tmp_path / "s"
    with st.StoreWriter(d) as w:
        feeder = buildrun._StoreFeeder(w)
        feeder.put(st.StoredReport(key="b-2016", source="b.txt", sha256="1", ntriples=b"<not n-triples\n"))
        with pytest.raises(buildrun.BuildError, match="b.txt: report graph is not valid N-Triples"):
            feeder.close()
    assert not st.is_store(d)


# ------------------------------------------------------------------ the SHACL check, on request


def test_check_shapes_warns_only_when_asked(tmp_path, monkeypatch):
    src = Path(__file__).parent / "data" / "corpus" / "stockport-2014.md"

    def broken_emit(ex, add, terms=None):  # drop every isResponsibleFor: recommendations without a responsible body
        return emit_triples(ex, lambda t: None if t[1] == rdflib.URIRef(vocab.CLAS + "isResponsibleFor") else add(t),
                            terms)

    monkeypatch.setattr("clasgraph.graph.assemble.emit_triples", broken_emit)
    plain = CliRunner().invoke(main, ["build", str(src), "-o", str(tmp_path / "a.ttl"), "-j", "1"])
    checked = CliRunner().invoke(main, ["build", str(src), "-o", str(tmp_path / "b.ttl"), "-j", "1", "--check-shapes"])
    assert plain.exit_code == 0 and checked.exit_code == 0, checked.output
    assert "responsible body" not in plain.output
    assert "stockport-2014.md: " in checked.output and "a recommendation needs at least one responsible body" \
        in checked.output


def test_corpus_reports_conform_to_the_shapes(tmp_path):
    src = Path(__file__).parent / "data" / "corpus"
    r = CliRunner().invoke(main, ["build", str(src), "-o", str(tmp_path / "g.trig"), "-j", "1", "--check-shapes"])
    assert r.exit_code == 0 and "does not conform" not in r.output and "needs" not in r.output, r.output


# ------------------------------------------------------------------ warming the query cache


def cached_answers(store: Path) -> int:
    cache = st.current_version_dir(store) / "cache"
    return len(list(cache.glob("*.json"))) if cache.is_dir() else 0


def test_build_warms_the_query_cache_when_asked(tmp_path, monkeypatch):
    from clasgraph.graph import query as Q

    monkeypatch.setattr(Q, "CACHE_MIN_SECONDS", 0.0)  # the test stores are small: every answer is worth keeping
    src = Path(__file__).parent / "data" / "corpus" / "stockport-2014.md"
    run = CliRunner().invoke
    assert run(main, ["build", str(src), "--store", str(tmp_path / "a"), "-j", "1"]).exit_code == 0
    assert cached_answers(tmp_path / "a") == 0
    assert run(main, ["build", str(src), "--store", str(tmp_path / "b"), "-j", "1", "--warm-queries"]).exit_code == 0
    assert cached_answers(tmp_path / "b") > 5
    assert run(main, ["query", str(tmp_path / "a"), "who-commissions-what"]).exit_code == 0
    assert cached_answers(tmp_path / "a") == 1  # the first question asked is answered once, then cached


def test_writer_takes_ntriples_of_any_layout(tmp_path):
    d = tmp_path / "s"
    rep = vocab.report_iri("a-2015")
    loose = (f'# written by hand\r\n<{rep}> <{vocab.RDFS}label> "a . b" .  \r\n\r\n'
             f'<{rep}> <{vocab.CLAS}number> "1.1" .').encode()  # CRLF, a comment, blank line, no final newline
    st.update_store(d, [st.StoredReport(key="a-2015", source="a.txt", sha256="1", ntriples=loose)])
    assert count(d, "a-2015") == 2 and labels(d) == {"a . b"}
    assert st.read_index(d).reports["a-2015"].triples == 2


def test_writer_compacts_a_version_written_mostly_by_this_update(tmp_path):
    d = tmp_path / "s"
    first = st.update_store(d, [report(f"r{i}-2015", f"r{i}.txt", "1") for i in range(8)])
    assert first.optimized  # a first build
    with st.StoreWriter(d) as w:  # one report in eight: not worth a full compaction
        w.put(report("r0-2015", "r0.txt", "2"))
        small = w.commit()
    assert small.written and not small.optimized
    with st.StoreWriter(d) as w:
        for i in range(3):
            w.put(report(f"r{i}-2015", f"r{i}.txt", "3"))
        big = w.commit()
    assert big.optimized and labels(d) >= {"r0-2015 v3", "r2-2015 v3", "r7-2015 v1"}
    with st.StoreWriter(d) as w:
        w.put(report("r4-2015", "r4.txt", "4"))
        forced = w.commit(optimize=True)
    assert forced.optimized and count(d, "r4-2015") == 4
