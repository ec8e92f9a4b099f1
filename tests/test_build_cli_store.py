"""Directory builds into a store: incremental (unchanged skipped, changed replaced, removed pruned),
idempotent (isomorphic graphs), parallel = serial = the assembler's own dataset, and safe when killed."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import synth_reports
from click.testing import CliRunner
from rdflib.compare import isomorphic

from clasgraph.cli import main
from clasgraph.graph.buildrun import ProgressBar, run_build
from clasgraph.graph.store import open_read_only, read_index

ROOT = Path(__file__).resolve().parents[1]


synth = synth_reports
AREAS = ("Ashby", "Brackenford", "Calderwick", "Dunmore")


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    (d / "north").mkdir(parents=True)
    for i, area in enumerate(AREAS):
        sub = d / "north" if i % 2 else d
        (sub / f"{area.lower()}.txt").write_text(synth.generated_report(10 + i, area), encoding="utf-8")
    (d / ".hidden.txt").write_text("not looked at", encoding="utf-8")
    (d / "README.md").write_text("# About these reports\n", encoding="utf-8")
    return d


def graphs_of(path: Path) -> dict[str, rdflib.Graph]:
    ds = rdflib.Dataset()
    ds.parse(path, format="trig")
    out = {}
    for g in ds.graphs():
        if len(g):
            out[str(g.identifier)] = rdflib.Graph().__iadd__(g)
    return out


def test_build_twice_is_isomorphic(reports: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a.trig", tmp_path / "b.trig"
    for out in (a, b):
        r = CliRunner().invoke(main, ["build", str(reports), "-o", str(out), "-q"])
        assert r.exit_code == 0, r.output
    ga, gb = graphs_of(a), graphs_of(b)
    assert set(ga) == set(gb) and len(ga) == len(AREAS) + 1  # a graph per report + the ontology
    for iri in ga:
        assert isomorphic(ga[iri], gb[iri]), iri


def test_parallel_serial_and_assembler_agree(reports: Path, tmp_path: Path) -> None:
    from clasgraph.build.discover import discover
    from clasgraph.build.pipeline import extract_file
    from clasgraph.graph.assemble import build_dataset, write_dataset

    serial, parallel, ref = tmp_path / "s.trig", tmp_path / "p.trig", tmp_path / "ref.trig"
    assert run_build([reports], output=serial, jobs=1).ok
    assert run_build([reports], output=parallel, jobs=2).ok
    write_dataset(build_dataset([extract_file(p) for p in discover([reports]).files]), ref)
    gs, gp, gr = graphs_of(serial), graphs_of(parallel), graphs_of(ref)
    assert set(gs) == set(gp) == set(gr)
    for iri in gs:
        assert isomorphic(gs[iri], gp[iri]) and isomorphic(gs[iri], gr[iri]), iri


def test_incremental_store(reports: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    r = run_build([reports], store_dir=store, jobs=1)
    assert r.ok and len(r.reports) == len(AREAS)
    index = read_index(store)
    assert len(index.reports) == len(AREAS)

    again = run_build([reports], store_dir=store, jobs=1)  # nothing changed: nothing extracted
    assert again.ok and again.reports == [] and len(again.unchanged) == len(AREAS)
    assert read_index(store).to_json() == index.to_json()

    changed = reports / "ashby.txt"
    changed.write_text(synth.generated_report(99, "Ashby", groups=3), encoding="utf-8")
    third = run_build([reports], store_dir=store, jobs=1)
    assert [Path(o.source).name for o in third.reports] == ["ashby.txt"]
    assert len(read_index(store).reports) == len(AREAS)

    (reports / "north" / "brackenford.txt").unlink()
    kept = run_build([reports], store_dir=store, jobs=1)
    assert len(read_index(store).reports) == len(AREAS), "without --prune a removed file stays stored"
    assert kept.ok
    r = CliRunner().invoke(main, ["build", str(reports), "--store", str(store), "--prune", "-q"])
    assert r.exit_code == 0, r.output
    held = read_index(store)
    assert len(held.reports) == len(AREAS) - 1
    assert not any(k.startswith("brackenford") for k in held.reports)


def test_output_of_a_no_change_rebuild_still_holds_every_report(reports: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run_build([reports], store_dir=store, jobs=1).ok
    out = tmp_path / "all.trig"
    r = run_build([reports], store_dir=store, output=out, jobs=1)
    assert r.reports == [] and len(r.unchanged) == len(AREAS)
    assert len(graphs_of(out)) == len(AREAS) + 1


def test_summary_counts(reports: Path, tmp_path: Path) -> None:
    r = run_build([reports], output=tmp_path / "o.nq", jobs=1)
    c = r.counts()
    assert c["reports"] == len(AREAS)
    assert c["organisations"] >= 3 * len(AREAS)  # each area's CCG, trust and council
    assert c["recommendations"] > 0 and c["findings"] > 0 and c["citations"] > 0
    assert "report" in r.summary() and "organisations" in r.summary()


def test_progress_bar_draws_and_clears() -> None:
    buf = io.StringIO()
    bar = ProgressBar(3, stream=buf)
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        bar.step(name)
    bar.close()
    text = buf.getvalue()
    assert "3/3" in text and "#" in text
    assert text.endswith("\r")


def test_progress_tells_what_happens_after_extraction(reports: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert run_build([reports], output=tmp_path / "o.trig", store_dir=tmp_path / "store", jobs=1, progress=True).ok
    err = capsys.readouterr().err
    assert "left" in err  # the time left, while reports remain
    order = [err.index(s) for s in ("writing the last reports into the store", f"writing {tmp_path / 'o.trig'}",
                                    "finishing the store")]
    assert order == sorted(order)
    assert err.endswith("\r")  # the line is cleared at the end


def test_no_progress_bar_when_not_a_terminal(reports: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["build", str(reports), "-o", str(tmp_path / "o.trig"), "-j", "1"])
    assert r.exit_code == 0
    assert "/s" not in r.output and "[#" not in r.output


@pytest.mark.slow
def test_killed_build_leaves_previous_store_readable(reports: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run_build([reports], store_dir=store, jobs=1).ok
    before = read_index(store).to_json()
    more = tmp_path / "more"
    more.mkdir()
    for i in range(30):
        (more / f"extra-{i:02d}.txt").write_text(synth.generated_report(100 + i, f"Extra{i:02d}"), encoding="utf-8")
    cli = [sys.executable, "-c", "from clasgraph.cli import main; main()"]
    for delay in (0.5, 1.5, 30.0):  # kill while extracting, then as soon as the new version is being written
        proc = subprocess.Popen([*cli, "build", str(reports), str(more), "--store", str(store), "-j", "2", "-q"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and proc.poll() is None:
            if any(p.name.startswith(".tmp-") for p in store.iterdir()):
                break  # the new version is being written: kill now
            time.sleep(0.01)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        index = read_index(store)
        st = open_read_only(store)  # the store opens ...
        for key, entry in index.reports.items():  # ... and holds every report its index lists
            assert any(True for _ in st.quads_for_pattern(None, None, None, ox.NamedNode(entry.graph))), key
        held = {e["key"] for e in index.to_json()["reports"]}
        assert {e["key"] for e in before["reports"]} <= held
        del st


@pytest.mark.slow
def test_ctrl_c_is_one_line_and_keeps_the_store(reports: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run_build([reports], store_dir=store, jobs=1).ok
    before = read_index(store).to_json()
    more = tmp_path / "more"
    more.mkdir()
    sources = synth._source_texts()
    for i in range(60):  # full-size reports (recombined from the corpus): a few seconds of extraction
        (more / f"extra-{i:02d}.txt").write_text(synth.synth_text(sources, 200 + i)[1], encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", "from clasgraph.cli import main; main()", "build", str(reports),
                             str(more), "--store", str(store), "-j", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:  # interrupt once the new version is open
        if any(p.name.startswith(".tmp-") for p in store.iterdir()):  # (the workers are extracting by then)
            time.sleep(0.3)
            break
        time.sleep(0.01)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: the whole process group
    _out, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the build finished before the interrupt")
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert err.strip().splitlines() == ["Error: interrupted: the output file and the store were left as they were"]
    assert read_index(store).to_json() == before


def test_output_unifies_an_organisations_labels_across_reports(tmp_path: Path) -> None:
    import zlib

    from clasgraph.graph import vocab
    from clasgraph.graph.buildrun import ReportOutcome, write_output

    org = vocab.org_iri("ashby-ccg")
    outcomes = []
    for i, name in enumerate(["NHS Ashby CCG", "Ashby CCG", "Ashby CCG"]):
        rep = vocab.report_iri(f"r{i}")
        nt = (f'<{org}> <{vocab.RDF}type> <{vocab.CLAS}ClinicalCommissioningGroup> .\n'
              f'<{org}> <{vocab.RDFS}label> "{name}" .\n'
              f'<{rep}> <{vocab.CLAS}area> "Ashby" .\n').encode()
        f = tmp_path / f"{i}.nt.z"
        f.write_bytes(zlib.compress(nt))
        outcomes.append(ReportOutcome(source=f"r{i}.txt", key=f"r{i}", nt_file=str(f), labels=[(org, name)]))
    out = tmp_path / "o.trig"
    write_output(outcomes, out)
    g = graphs_of(out)[vocab.report_graph_iri("r0")]
    labels = {str(o) for o in g.objects(rdflib.URIRef(org), rdflib.RDFS.label)}
    alts = {str(o) for o in g.objects(rdflib.URIRef(org), rdflib.SKOS.altLabel)}
    assert labels == {"Ashby CCG"} and alts == {"NHS Ashby CCG"}
    for key in ("r1", "r2"):  # graphs with nothing to rewrite keep every triple
        kept = graphs_of(out)[vocab.report_graph_iri(key)]
        assert len(kept) == 3 and {str(o) for o in kept.objects(rdflib.URIRef(org), rdflib.RDFS.label)} == {"Ashby CCG"}
    flat = rdflib.Graph().parse(write_and_read(outcomes, tmp_path / "o.ttl"))
    assert len(list(flat.objects(rdflib.URIRef(org), rdflib.RDFS.label))) == 1
    assert len(list(flat.triples((None, rdflib.URIRef(vocab.CLAS + "area"), None)))) == 3


def write_and_read(outcomes, path: Path) -> str:  # type: ignore[no-untyped-def]
    from clasgraph.graph.buildrun import write_output

    write_output(outcomes, path)
    return str(path)


def test_the_same_report_twice_is_built_once(tmp_path: Path) -> None:
    text = synth.generated_report(31, "Kestrelmouth")
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    synth.render_html(text, tmp_path / "r.html", area="Kestrelmouth")
    out = tmp_path / "o.trig"
    r = run_build([tmp_path], output=out, store_dir=tmp_path / "store", jobs=1)
    assert r.ok
    assert any("the same report as" in w for w in r.warnings)
    assert len(graphs_of(out)) == 2  # the report once, and the ontology
    assert len(read_index(tmp_path / "store").reports) == 1


def test_progress_bar_when_asked(reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_build([reports], output=tmp_path / "o.nq", jobs=1, progress=True).ok
    err = capsys.readouterr().err
    assert f"{len(AREAS)}/{len(AREAS)}" in err and "reports" not in capsys.readouterr().out


def test_scratch_of_killed_builds_is_cleaned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from clasgraph.graph import buildrun

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"{buildrun.SCRATCH_PREFIX}{dead.pid}-abc"
    live = tmp_path / f"{buildrun.SCRATCH_PREFIX}{os.getpid()}-def"
    for d in (stale, live):
        d.mkdir()
        (d / "000001.nt.z").write_bytes(b"x")
    buildrun._clean_stale_scratch()
    assert not stale.exists() and live.exists()


def test_the_same_report_twice_keeps_the_first_even_when_it_finishes_last(tmp_path: Path, monkeypatch) -> None:
    from clasgraph.graph import buildrun

    text = synth.generated_report(31, "Kestrelmouth")
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    synth.render_html(text, tmp_path / "r.html", area="Kestrelmouth")
    real = buildrun._extract_all

    def finishing_in_reverse(todo, jobs, progress, fail_fast, max_bytes, on_report, scratch, check_shapes=False,
                             pool=None):
        outcomes = real(todo, jobs, progress, fail_fast, max_bytes, None, scratch, check_shapes, pool=pool)
        for r in reversed(outcomes):  # as parallel workers may: the later file is done first
            on_report(r)
        return outcomes

    monkeypatch.setattr(buildrun, "_extract_all", finishing_in_reverse)
    r = run_build([tmp_path], store_dir=tmp_path / "store", jobs=1)
    first = r.reports[0].source
    assert r.ok and [w for w in r.warnings if "same report" in w] == [
        f"{r.reports[1].source}: the same report as {first} (key {r.reports[0].key}); built once, from {first}"]
    (entry,) = read_index(tmp_path / "store").reports.values()
    assert entry.source == str(Path(first).resolve())
