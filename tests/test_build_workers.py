"""Worker processes that die: the build carries on in a new pool, the report that killed its worker is one
error line, and the reports that were in flight beside it are built (they are run again, one at a time)."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import pytest
import synth_reports
from click.testing import CliRunner

from clasgraph.cli import main
from clasgraph.graph import buildrun
from clasgraph.graph.buildrun import run_build
from clasgraph.graph.store import read_index

REAL_EXTRACT_ONE = buildrun.extract_one


def dies_on_poison(path: str, *args, **kwargs):  # type: ignore[no-untyped-def]
    """``extract_one``, except that a file named poison* kills the worker process that reads it."""
    if Path(path).name.startswith("poison"):
        os._exit(3)
    return REAL_EXTRACT_ONE(path, *args, **kwargs)


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    for i in range(8):
        area = f"Worktown{chr(65 + i)}"
        (d / f"{area.lower()}.txt").write_text(synth_reports.generated_report(80 + i, area), encoding="utf-8")
    return d


def test_a_report_that_kills_its_worker_is_one_error(reports: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (reports / "poison.txt").write_text(synth_reports.generated_report(99, "Poisonby"), encoding="utf-8")
    monkeypatch.setattr(buildrun, "extract_one", dies_on_poison)  # forked workers inherit it
    store = tmp_path / "store"
    res = CliRunner().invoke(main, ["build", str(reports), "--store", str(store), "-j", "2"])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    errors = [ln for ln in res.output.splitlines() if ln.startswith("error:")]
    assert errors == [f"error: {reports / 'poison.txt'}: the process reading it crashed or ran out of memory"]
    assert len(read_index(store).reports) == 8  # every other report, including those beside it when it died


def test_a_worker_killed_from_outside_is_replaced(reports: Path, tmp_path: Path) -> None:
    killed: list[int] = []

    def kill_a_worker(_outcome: buildrun.ReportOutcome) -> None:
        if not killed:
            worker = multiprocessing.active_children()[0]
            assert worker.pid is not None
            killed.append(worker.pid)
            os.kill(worker.pid, signal.SIGKILL)

    r = run_build([reports], store_dir=tmp_path / "store", jobs=2, on_report=kill_a_worker)
    assert killed and r.ok and len(r.reports) == 8 and not r.errors
    assert len(read_index(tmp_path / "store").reports) == 8
