"""`clasgraph --help` starts fast through the real console script and loads no heavy library.

The module-level check (importing ``clasgraph.cli`` / calling ``main(['--help'])`` pulls in no rdflib,
pyoxigraph, networkx, pyvis) lives in tests/test_query_imports.py; this file measures the installed
entry point itself, as a user runs it, and checks the full list of heavy libraries (also pyshacl and
the PDF/DOCX/HTML readers) on that path.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

HEAVY = ("rdflib", "pyoxigraph", "oxrdflib", "networkx", "pyvis", "pyshacl", "pypdf", "docx", "bs4")
LIMIT_S = 1.0  # generous: a loaded CI machine; an idle one takes about a tenth of this


def _console_script() -> Path:
    script = Path(sys.executable).parent / "clasgraph"
    if not script.exists():
        pytest.skip("the clasgraph console script is not installed in this environment (run `make install`)")
    return script


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHONPROFILEIMPORTTIME")}
    env.update(extra)
    return env


def test_help_is_fast(tmp_path: Path) -> None:
    script = _console_script()
    times = []
    for _ in range(3):
        started = time.perf_counter()
        out = subprocess.run([str(script), "--help"], cwd=tmp_path, capture_output=True, text=True,
                             timeout=30, env=_env())
        times.append(time.perf_counter() - started)
        assert out.returncode == 0, out.stderr
        assert "Usage" in out.stdout and "build" in out.stdout
    best = min(times)
    print(f"`clasgraph --help`: best {best:.3f} s of {', '.join(f'{t:.3f}' for t in times)}")
    assert best < LIMIT_S, f"`clasgraph --help` took {best:.2f} s (limit {LIMIT_S} s)"


def test_help_through_the_console_script_imports_no_heavy_library(tmp_path: Path) -> None:
    script = _console_script()
    out = subprocess.run([str(script), "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=30,
                         env=_env(PYTHONPROFILEIMPORTTIME="1"))
    assert out.returncode == 0, out.stderr
    # -X importtime lines: "import time: self | cumulative | <indent>module"
    rows = [(int(m.group(1)), m.group(2).strip())
            for m in re.finditer(r"^import time:\s+\d+ \|\s+(\d+) \|\s*(\S+)", out.stderr, re.M)]
    assert rows, "no import-time report: PYTHONPROFILEIMPORTTIME had no effect"
    imported = {name for _, name in rows}
    loaded = sorted(h for h in HEAVY if h in imported or any(m.startswith(h + ".") for m in imported))
    costly = sorted(rows, reverse=True)[:5]
    assert not loaded, f"`clasgraph --help` imports {loaded}; costliest imports (us): {costly}"
