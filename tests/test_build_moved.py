"""Reports are stored by content: a folder of reports that was moved (or a report copied elsewhere, under
the same file name) is not extracted again; only the store's index learns where the files are now."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import synth_reports
from click.testing import CliRunner

from clasgraph.cli import main
from clasgraph.graph import vocab
from clasgraph.graph.buildrun import run_build
from clasgraph.graph.store import open_read_only, read_index

AREAS = ("Ashby", "Brackenford", "Calderwick")


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    reports, store = tmp_path / "a" / "reports", tmp_path / "store"
    reports.mkdir(parents=True)
    for i, area in enumerate(AREAS):
        (reports / f"{area.lower()}.txt").write_text(synth_reports.generated_report(60 + i, area), encoding="utf-8")
    assert run_build([reports], store_dir=store, jobs=1).ok
    return reports, store


def quads(store: Path) -> set[str]:
    st = open_read_only(store)
    return {str(q) for q in st.quads_for_pattern(None, None, None, None)}


def test_a_moved_folder_is_not_extracted_again(built: tuple[Path, Path], tmp_path: Path) -> None:
    reports, store = built
    before, keys = quads(store), set(read_index(store).reports)
    moved = tmp_path / "b" / "reports"
    moved.parent.mkdir()
    shutil.move(str(reports), str(moved))
    out = tmp_path / "o.trig"
    r = run_build([moved], store_dir=store, output=out, jobs=1, prune=True)
    assert r.ok and not r.reports and len(r.unchanged) == 3 and len(r.moved) == 3
    assert "3 moved" in r.store_summary and "removed" not in r.store_summary
    index = read_index(store)
    assert set(index.reports) == keys
    assert {Path(e.source).parent for e in index.reports.values()} == {moved.resolve()}
    assert quads(store) == before  # the graphs as they were
    graphs = {q.graph_name.value for q in ox.parse(path=str(out), format=ox.RdfFormat.TRIG)}
    assert graphs == {e.graph for e in index.reports.values()} | {vocab.ONTOLOGY_GRAPH}
    again = run_build([moved], store_dir=store, jobs=1)  # now plainly unchanged
    assert not again.reports and not again.moved and len(again.unchanged) == 3


def test_a_renamed_or_edited_file_is_extracted(built: tuple[Path, Path]) -> None:
    reports, store = built
    (reports / "ashby.txt").rename(reports / "ashby-review.txt")  # the name is in the graph (clas:sourceFile)
    text = (reports / "brackenford.txt").read_text(encoding="utf-8")
    (reports / "brackenford.txt").write_text(text + "\nA closing line.\n", encoding="utf-8")
    r = run_build([reports], store_dir=store, jobs=1, prune=True)
    assert r.ok and not r.moved
    assert sorted(Path(o.source).name for o in r.reports) == ["ashby-review.txt", "brackenford.txt"]
    assert {Path(e.source).name for e in read_index(store).reports.values()} == {
        "ashby-review.txt", "brackenford.txt", "calderwick.txt"}


def test_two_copies_of_a_moved_file_store_it_once(built: tuple[Path, Path], tmp_path: Path) -> None:
    reports, store = built
    one, two = tmp_path / "c" / "one", tmp_path / "c" / "two"
    shutil.move(str(reports), str(one))
    shutil.copytree(one, two)
    r = run_build([one, two], store_dir=store, jobs=1)
    assert r.ok and not r.reports and len(r.moved) == 3
    assert sum("the same report as" in w for w in r.warnings) == 3
    assert {Path(e.source).parent for e in read_index(store).reports.values()} == {one.resolve()}


def test_the_cli_says_the_reports_moved(built: tuple[Path, Path], tmp_path: Path) -> None:
    reports, store = built
    moved = tmp_path / "elsewhere"
    shutil.move(str(reports), str(moved))
    res = CliRunner().invoke(main, ["build", str(moved), "--store", str(store)])
    assert res.exit_code == 0, res.output
    assert "nothing to extract: 3 reports unchanged" in res.output and "3 moved" in res.output
