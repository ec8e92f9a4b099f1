"""Packaging proof (issue 2, item 1): our top-level ``build/`` and ``graph/`` folders never shadow or
overwrite another distribution's top-level package once installed.

The wheel is built from a copy of the checkout with PyPA's ``build`` run from OUTSIDE the source tree
(cwd = a temporary directory: run from the repo root, ``python -m build`` would import our own
``build/`` folder instead of PyPA's). ``--no-isolation`` because tests never use the network: the build
backend (hatchling) comes from the project's own environment.

The wheel is then installed into a FRESH venv next to PyPA's ``build`` distribution. Offline we cannot
download dependencies into that venv, so it is created without pip and a ``.pth`` line appends the
project environment's site-packages to its ``sys.path`` (that directory is appended as a plain path,
so the project's editable-install hook in it is NOT activated). The fresh venv's own site-packages
comes first: anything our wheel put at its top level would win over PyPA's ``build`` in the project
environment, which is exactly what the assertions below would catch. The wheel is installed with the
project environment's pip (``pip --python <fresh venv>``, ``--no-deps --no-index``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

# what never belongs in a copy of the checkout that a wheel is built from
_IGNORE = shutil.ignore_patterns(".venv", ".git", "out", "dist", ".mypy-src", "__pycache__", "*.pyc",
                                 ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis", "*.egg-info",
                                 ".clasgraph", "node_modules")


def _run(cmd: list[str], cwd: Path, timeout: float = 120, env: dict[str, str] | None = None) -> str:
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert out.returncode == 0, f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out.stdout


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PIP_NO_INDEX"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=_IGNORE, symlinks=True)
    for junk in ("build/lib", "build/bdist.linux-x86_64"):
        shutil.rmtree(src / junk, ignore_errors=True)
    outdir = tmp / "dist"
    started = time.perf_counter()
    # cwd=tmp: never the source tree, so `-m build` imports PyPA's build, not our build/ folder
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(outdir), str(src)],
         cwd=tmp, timeout=180, env=_clean_env())
    print(f"wheel built in {time.perf_counter() - started:.1f} s")
    wheels = list(outdir.glob("clasgraph-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv") / "v"
    tmp = env_dir.parent
    _run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], cwd=tmp, timeout=120)
    py = env_dir / "bin" / "python"
    site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp).strip())
    project_site = sysconfig.get_paths()["purelib"]
    (site / "_clasgraph_test_deps.pth").write_text(project_site + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "--quiet",
          str(wheel)], cwd=tmp, timeout=180, env=_clean_env())
    return env_dir


def test_wheel_holds_the_package_and_nothing_at_top_level(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/", 1)[0] for n in names}
    assert top == {"clasgraph", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info"}, top
    for folder in ("build", "graph"):
        sources = sorted(p.name for p in (ROOT / folder).glob("*.py"))
        assert sources
        missing = [s for s in sources if f"clasgraph/{folder}/{s}" not in names]
        assert not missing, f"clasgraph/{folder}/ lacks {missing}"
    assert "clasgraph/cli.py" in names and "clasgraph/__init__.py" in names
    for pattern, folder in (("*.ttl", "ontology"), ("*.rq", "graph/queries")):
        files = sorted(p.name for p in (ROOT / folder).glob(pattern))
        assert files, f"no {pattern} in {folder}/"
        missing = [f for f in files if f"clasgraph/{folder}/{f}" not in names]
        assert not missing, f"wheel lacks clasgraph/{folder}/{missing}"
    assert not [n for n in names if re.match(r"clasgraph/build/(lib|bdist)", n)], "setuptools debris in the wheel"


def test_installed_wheel_runs_next_to_pypa_build(venv: Path) -> None:
    py = venv / "bin" / "python"
    elsewhere = venv.parent  # not the checkout: nothing of ours is importable from the cwd
    started = time.perf_counter()
    out = _run([str(venv / "bin" / "clasgraph"), "--help"], cwd=elsewhere, env=_clean_env())
    print(f"installed `clasgraph --help`: {time.perf_counter() - started:.2f} s")
    assert "Usage" in out and "build" in out

    probe = (
        "import json, sysconfig, build, clasgraph, clasgraph.build.pipeline, clasgraph.graph, clasgraph.cli\n"
        "print(json.dumps({'build': build.__file__, 'pipeline': clasgraph.build.pipeline.__file__,\n"
        " 'graph': clasgraph.graph.__file__, 'clasgraph': list(clasgraph.__path__),\n"
        " 'site': sysconfig.get_paths()['purelib'], 'has_builder': hasattr(build, 'ProjectBuilder')}))\n"
    )
    info = json.loads(_run([str(py), "-c", probe], cwd=elsewhere, env=_clean_env()))
    site = Path(info["site"])
    # PyPA's build is the one `import build` finds, and it is not ours
    assert info["has_builder"], info
    assert Path(info["build"]).parent.name == "build" and Path(info["build"]).parent.parent.name == "site-packages"
    assert not Path(info["build"]).is_relative_to(site), "something of ours installed a top-level `build`"
    assert not Path(info["build"]).is_relative_to(ROOT / "build")
    # our code comes from the installed wheel, under site-packages/clasgraph
    assert Path(info["pipeline"]) == site / "clasgraph" / "build" / "pipeline.py"
    assert Path(info["graph"]).parent == site / "clasgraph" / "graph"
    assert info["clasgraph"] == [str(site / "clasgraph")], "an installed clasgraph must not reach into a checkout"
    # and nothing named build or graph landed at the top of site-packages
    assert not (site / "build").exists() and not (site / "graph").exists() and not (site / "cli.py").exists()
    # the ontology and canned queries are readable as package data
    assert list((site / "clasgraph" / "ontology").glob("*.ttl"))
    assert list((site / "clasgraph" / "graph" / "queries").glob("*.rq"))


def test_editable_install_imports_from_the_checkout(tmp_path: Path) -> None:
    """The project environment is an editable install: from outside the checkout, `clasgraph.build` is the
    checkout's build/ folder and `build` is still PyPA's."""
    probe = ("import json, build, clasgraph.build, clasgraph.graph.vocab\n"
             "print(json.dumps([build.__file__, clasgraph.build.__file__, clasgraph.graph.vocab.__file__]))")
    pypa, ours, vocab = json.loads(_run([sys.executable, "-c", probe], cwd=tmp_path, env=_clean_env()))
    assert Path(ours) == ROOT / "build" / "__init__.py"
    assert Path(vocab) == ROOT / "graph" / "vocab.py"
    assert not Path(pypa).is_relative_to(ROOT / "build") and Path(pypa).parent.parent.name == "site-packages"
