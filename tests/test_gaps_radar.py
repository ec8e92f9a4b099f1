"""The gap radar: reading stated gaps from a graph, merging the same gap across findings, ranking by
weight of evidence, the cross-report table, and the `clasgraph gaps` command."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from clasgraph.cli import main
from clasgraph.graph import gaps as radar

PREFIXES = """
@prefix clas: <https://w3id.org/clasgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""
ID = "https://w3id.org/clasgraph/id/"


def report(key: str, area: str) -> str:
    slug = area.lower()
    return (f"<{ID}report/{key}> a clas:Report ; clas:area <{ID}area/{slug}> .\n"
            f"<{ID}area/{slug}> rdfs:label \"{area}\" .\n")


def finding(key: str, number: str, text: str, cites: tuple[str, ...] = ()) -> str:
    out = f"<{ID}report/{key}/finding/{number}> a clas:Finding ; clas:number \"{number}\" ; clas:text \"{text}\" .\n"
    for n in cites:
        out += (f"<{ID}report/{key}/finding/{number}> clas:cites <{ID}report/{key}/recommendation/{n}> .\n"
                f"<{ID}report/{key}/recommendation/{n}> a clas:Recommendation ; clas:number \"{n}\" .\n")
    return out


def stated(key: str, n: int, number: str, kind: str, quote: str, cue: str, services: tuple[str, ...],
           recs: tuple[str, ...] = (), themes: tuple[str, ...] = (), area: str = "anyshire") -> str:
    g = f"<{ID}report/{key}/gap/{number}-{n}>"
    out = (f"{g} a clas:Gap, clas:StatedGap ; clas:gapKind \"{kind}\" ; clas:quote \"{quote}\" ; "
           f"clas:explanation \"{cue}\" ; clas:inReport <{ID}report/{key}> ; "
           f"prov:wasDerivedFrom <{ID}report/{key}/finding/{number}> .\n")
    for s in services:
        out += (f"{g} clas:concerns <{ID}area/{area}/service/{s}> .\n"
                f"<{ID}area/{area}/service/{s}> clas:serviceType <{ID}service/{s}> ; clas:inArea <{ID}area/{area}> .\n")
    for r in recs:
        out += f"{g} clas:answeredBy <{ID}report/{key}/recommendation/{r}> .\n"
    for t in themes:
        out += f"{g} clas:theme <{ID}theme/{t}> .\n"
    return out


def store(*parts: str) -> ox.Store:
    s = ox.Store()
    s.load((PREFIXES + "".join(parts)).encode("utf-8"), format=ox.RdfFormat.TURTLE,
           to_graph=ox.NamedNode(ID + "graph/test"))
    return s


HUB = (
    report("any-2020", "Anyshire")
    + finding("any-2020", "1.4", "x", ("1.6",))
    + finding("any-2020", "5.1.5", "The hub has no health presence.")
    + finding("any-2020", "5.1.6", "The MASH leadership group was considering options for commissioning health support.", ("9.2",))
    + finding("any-2020", "2.2", "y", ("4.1",))
    + stated("any-2020", 1, "1.4", "commissioning-capacity",
             "Notifications do not go out due to non-commissioning of the MASH for health partners.",
             "not commissioned: “non-commissioning”", ("mash-health", "maternity"), ("1.6",), ("mash",))
    + stated("any-2020", 2, "5.1.5", "commissioning-capacity",
             "There is a lack of commissioned health capacity in the MASH.", "lack of: “lack”", ("mash-health",),
             (), ("mash", "capacity"))
    + stated("any-2020", 3, "2.2", "pathway", "There is no pathway for notifications to school nurses.",
             "there is no: “There is no”", ("school-nursing",), ("4.1",))
)


def test_stated_gaps_are_read_with_their_evidence() -> None:
    items = radar.stated_gaps(store(HUB))
    assert [(i.source, i.kind) for i in items] == [
        ("1.4", "commissioning-capacity"), ("2.2", "pathway"), ("5.1.5", "commissioning-capacity")]
    first = items[0]
    assert first.area == "Anyshire" and first.report == "any-2020"
    assert first.services == ["mash-health", "maternity"] and first.recommendations == ["1.6"]
    assert first.themes == ["mash"] and "non-commissioning" in first.explanation


def test_same_gap_in_several_findings_is_merged_and_borrows_the_closing_marker() -> None:
    ranked = radar.rank_gaps(store(HUB), structural=False)
    assert len(ranked) == 2
    hub = ranked[0]
    assert hub.kind == "commissioning-capacity" and hub.findings == ["1.4", "5.1.5"]
    # 5.1.5 has no marker; the next finding of its run (5.1.6) names the MASH and cites 9.2
    assert hub.supporting == ["5.1.6"] and hub.recommendations == ["1.6", "9.2"]
    assert hub.weight > ranked[1].weight
    assert [r.rank for r in ranked] == [1, 2]


def test_different_services_or_kinds_are_not_merged() -> None:
    extra = stated("any-2020", 4, "5.1.5", "workforce", "The hub team is stretched.", "stretched: “stretched”",
                   ("mash-health",))
    ranked = radar.rank_gaps(store(HUB, extra), structural=False)
    assert sorted(r.kind for r in ranked) == ["commissioning-capacity", "pathway", "workforce"]


def test_weight_counts_findings_sections_recommendations_and_bodies() -> None:
    one = radar.rank_gaps(store(report("a-1", "A") + finding("a-1", "1.1", "t")
                                + stated("a-1", 1, "1.1", "pathway", "There is no pathway.", "there is no: “There is no”",
                                         ("maternity",), area="a")), structural=False)
    assert one[0].weight == pytest.approx(2 * 1 + 2 * 1.0)  # one section, one finding with an absence cue


def test_structural_gaps_rank_after_stated_ones() -> None:
    extra = (f"<{ID}org/t> a clas:NHSTrust ; rdfs:label \"T\" ; clas:provides <{ID}area/anyshire/service/camhs> .\n"
             f"<{ID}area/anyshire/service/camhs> clas:inArea <{ID}area/anyshire> ; clas:serviceType <{ID}service/camhs> .\n")
    ranked = radar.rank_gaps(store(HUB, extra))
    flags = [r.structural for r in ranked]
    assert flags == sorted(flags)  # all stated first
    assert any(r.kind == "no-commissioner" for r in ranked)


def test_radar_filters() -> None:
    s = store(HUB)
    assert {r.kind for r in radar.gap_radar(s, kind="pathway")} == {"pathway"}
    assert all("mash" in r.themes for r in radar.gap_radar(s, theme="mash"))
    assert radar.gap_radar(s, area="Nowhere") == []
    assert len(radar.gap_radar(s, limit=1)) == 1


def test_recurrence_table_counts_kinds_and_themes_per_area() -> None:
    other = (report("b-2021", "Bshire") + finding("b-2021", "1.1", "t")
             + stated("b-2021", 1, "1.1", "commissioning-capacity", "The MASH is not commissioned.",
                      "not commissioned: “not commissioned”", ("mash-health",), (), ("mash",), area="bshire"))
    rows = radar.recurrence_table(store(HUB, other))
    by = {(r.dimension, r.value): r.areas for r in rows}
    assert by[("kind", "commissioning-capacity")] == {"Anyshire": 2, "Bshire": 1}
    assert by[("theme", "mash")] == {"Anyshire": 2, "Bshire": 1}
    assert rows[0].dimension == "kind" and len(rows[0].areas) == 2  # found in most areas first
    assert "Bshire" in radar.format_recurrence(rows)


def test_themes_resolve_from_keys_and_labels() -> None:
    assert radar.resolve_theme("mash") == "mash"
    assert radar.resolve_theme("MARAC") == "domestic-abuse"
    with pytest.raises(ValueError):
        radar.resolve_theme("no such theme at all")


# --------------------------------------------------------------------------- the command


@pytest.fixture()
def hub_file(tmp_path: Path) -> Path:
    path = tmp_path / "hub.trig"
    s = store(HUB)
    s.dump(output=str(path), format=ox.RdfFormat.TRIG)
    return path


def test_cli_table_shows_rank_quote_findings_and_recommendations(hub_file: Path) -> None:
    result = CliRunner().invoke(main, ["gaps", str(hub_file), "--stated-only"])
    assert result.exit_code == 0, result.output
    assert "1. [" in result.output and "commissioning-capacity" in result.output
    assert "findings: 1.4, 5.1.5 (marker in 5.1.6)" in result.output
    assert "recommendations: 1.6, 9.2" in result.output
    assert "non-commissioning" in result.output and "5.1.5: “There is a lack" in result.output


def test_cli_formats(hub_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    data = json.loads(runner.invoke(main, ["gaps", str(hub_file), "--format", "json", "--stated-only"]).output)
    assert data[0]["findings"] == ["1.4", "5.1.5"] and data[0]["quotes"][0]["source"] == "1.4"
    md = runner.invoke(main, ["gaps", str(hub_file), "--format", "md", "--limit", "1"]).output
    assert md.startswith("| # |") and md.count("\n") == 3
    out = tmp_path / "radar.html"
    result = runner.invoke(main, ["gaps", str(hub_file), "--format", "html", "-o", str(out)])
    assert result.exit_code == 0 and "<table>" in out.read_text(encoding="utf-8")
    across = runner.invoke(main, ["gaps", str(hub_file), "--across"]).output
    assert "kind: commissioning-capacity" in across


def test_cli_errors_are_one_line(hub_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for args, words in (
        (["--kind", "nonsense"], "unknown gap kind"),
        (["--theme", "zzzz"], "unknown theme"),
        (["--area", "Nowhere"], "no area"),
    ):
        result = runner.invoke(main, ["gaps", str(hub_file), *args])
        assert result.exit_code != 0 and words in result.output and "Traceback" not in result.output
    result = runner.invoke(main, ["gaps", str(tmp_path / "missing.ttl")])
    assert result.exit_code != 0 and "no such file" in result.output


# --------------------------------------------------------------------------- the bundled report


@pytest.fixture(scope="module")
def staffordshire_store(corpus_extractions: dict) -> ox.Store:
    from clasgraph.graph.assemble import extraction_to_graph

    _, g = extraction_to_graph(corpus_extractions["staffordshire-2016"])
    return radar.as_store(g)


def test_mash_health_capacity_gap_comes_out_near_the_top(staffordshire_store: ox.Store) -> None:
    start = time.perf_counter()
    ranked = radar.gap_radar(staffordshire_store)
    assert time.perf_counter() - start < 1.0
    top = ranked[:5]
    hub = [r for r in top if r.kind == "commissioning-capacity" and r.services and r.services[0] == "mash-health"]
    assert hub, [(r.kind, r.services[:1], r.findings) for r in top]
    evidence = set(hub[0].findings) | set(hub[0].supporting)
    assert {"1.13", "5.1.6", "5.1.7"} <= evidence
    assert "9.2" in hub[0].recommendations
    assert all(q for _, q in hub[0].quotes) and hub[0].explanation


def test_no_structural_gap_carries_a_derivation(staffordshire_store: ox.Store) -> None:
    rows = radar.select(staffordshire_store, """SELECT ?g WHERE { ?g a clas:Gap ; prov:wasDerivedFrom ?s .
        FILTER NOT EXISTS { ?g a clas:StatedGap } }""")
    assert rows == []


# --------------------------------------------------------------------------- canned queries


def _run(name: str, s: ox.Store, **params: str) -> list[dict[str, str]]:
    from clasgraph.graph.query import apply_params, get_query

    q = get_query(name)
    assert q.description  # the first comment line describes it
    text = apply_params(q.text, params, q.params)
    result = s.query(text, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: sol[n].value for n in names if sol[n] is not None} for sol in result]


def test_canned_gap_queries_answer_on_a_small_graph() -> None:
    s = store(HUB)
    rows = _run("gaps", s)
    assert {(r["finding"], r["kind"]) for r in rows} == {
        ("1.4", "commissioning-capacity"), ("5.1.5", "commissioning-capacity"), ("2.2", "pathway")}
    assert _run("gaps", s, kind="pathway")[0]["recommendations"] == "4.1"
    assert [r["finding"] for r in _run("gaps", s, theme="capacity")] == ["5.1.5"]
    assert _run("gaps", s, area="nowhere") == []
    by_service = {(r["service"], r["kind"]): r["findings"] for r in _run("gaps-by-service", s)}
    assert by_service[("mash-health", "commissioning-capacity")] == "2"
    hub = _run("mash-capacity", s, area="Anyshire")
    assert sorted(r["finding"] for r in hub) == ["1.4", "5.1.5"]
    themes = {(r["theme"], r["area"]): r["gaps"] for r in _run("themes", s)}
    assert themes[("mash", "Anyshire")] == "2"
    recurrence = {(r["dimension"], r["value"]): r["gaps"] for r in _run("gap-recurrence", s)}
    assert recurrence[("kind", "commissioning-capacity")] == "2" and recurrence[("theme", "mash")] == "2"
