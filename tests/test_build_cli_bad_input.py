"""`clasgraph build` on bad input: one clear line naming the file and the problem, the other reports
still build, exit code 1 when any failed, no traceback, and the store keeps the reports it held.

Reports are small generated ones (benchmarks/synth_reports.py), so every test is quick.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import synth_reports
from click.testing import CliRunner

from clasgraph.cli import main
from clasgraph.graph.store import read_index

ROOT = Path(__file__).resolve().parents[1]


synth = synth_reports


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, set[str]]:
    """A store holding two reports, built once for the module."""
    d = tmp_path_factory.mktemp("base")
    reports = d / "reports"
    reports.mkdir()
    (reports / "ashby.txt").write_text(synth.generated_report(1, "Ashby"), encoding="utf-8")
    (reports / "brackenford.txt").write_text(synth.generated_report(2, "Brackenford"), encoding="utf-8")
    store = d / "store"
    r = CliRunner().invoke(main, ["build", str(reports), "--store", str(store), "-q", "-j", "1"])
    assert r.exit_code == 0, r.output
    keys = set(read_index(store).reports)
    assert len(keys) == 2
    return reports, store, keys


@pytest.fixture
def env(base: tuple[Path, Path, set[str]], tmp_path: Path) -> tuple[Path, Path, set[str], Path]:
    """A private copy of the base store and reports, and a folder for bad input."""
    reports, store, keys = base
    shutil.copytree(reports, tmp_path / "reports")
    shutil.copytree(store, tmp_path / "store", symlinks=True)
    bad = tmp_path / "bad"
    bad.mkdir()
    return tmp_path / "reports", tmp_path / "store", keys, bad


def run_with(env_: tuple[Path, Path, set[str], Path], *bad: Path, extra: tuple[str, ...] = ()):
    """Build the stored reports (unchanged), a new good report and the bad input into the store."""
    reports, store, keys, bad_dir = env_
    new = bad_dir.parent / "new"
    new.mkdir(exist_ok=True)
    (new / "calderwick.txt").write_text(synth.generated_report(3, "Calderwick"), encoding="utf-8")
    args = ["build", str(reports), str(new), *map(str, bad), "--store", str(store), "-j", "1", *extra]
    return CliRunner().invoke(main, args)


def assert_failed_cleanly(result, path: Path, fragment: str, env_) -> None:  # type: ignore[no-untyped-def]
    _reports, store, keys, _bad = env_
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [ln for ln in result.output.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1, result.output
    assert errors[0].startswith(f"error: {path}: "), errors[0]
    assert fragment.lower() in errors[0].lower(), errors[0]
    held = set(read_index(store).reports)
    assert keys <= held, "the store lost reports it held"
    assert any(k.startswith("calderwick") for k in held), "the good report of the same run was not built"


def test_empty_file(env) -> None:  # type: ignore[no-untyped-def]
    p = env[3] / "empty.txt"
    p.write_bytes(b"")
    assert_failed_cleanly(run_with(env, p), p, "empty file", env)


def test_binary_junk(env) -> None:  # type: ignore[no-untyped-def]
    p = env[3] / "junk.txt"
    p.write_bytes(bytes(range(256)) * 40 + os.urandom(2000))
    assert_failed_cleanly(run_with(env, p), p, "binary", env)


def test_binary_junk_named_pdf(env) -> None:  # type: ignore[no-untyped-def]
    p = env[3] / "junk.pdf"
    p.write_bytes(os.urandom(5000))
    assert_failed_cleanly(run_with(env, p), p, "not a PDF", env)


def _pdf_bytes(text: str, **kw: object) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    if kw.get("password"):
        pdf.set_encryption(owner_password="owner", user_password=str(kw["password"]))
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in text.splitlines():
        pdf.multi_cell(0, 5, line.replace("’", "'").replace("–", "-"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_truncated_pdf(env) -> None:  # type: ignore[no-untyped-def]
    p = env[3] / "truncated.pdf"
    data = _pdf_bytes(synth.generated_report(4, "Dunmore"))
    p.write_bytes(data[: len(data) // 3])
    assert_failed_cleanly(run_with(env, p), p, "PDF", env)


def test_encrypted_pdf(env) -> None:  # type: ignore[no-untyped-def]
    p = env[3] / "locked.pdf"
    p.write_bytes(_pdf_bytes(synth.generated_report(5, "Eastholme"), password="secret"))
    assert_failed_cleanly(run_with(env, p), p, "encrypted PDF", env)


def test_image_only_pdf_names_ocr(env) -> None:  # type: ignore[no-untyped-def]
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.image(Image.new("L", (120, 160), 200), x=10, y=10, w=150)
    p = env[3] / "scanned.pdf"
    p.write_bytes(bytes(pdf.output()))
    result = run_with(env, p)
    assert_failed_cleanly(result, p, "OCR", env)


def test_not_a_clas_report(env) -> None:  # type: ignore[no-untyped-def]
    p = env[3] / "minutes.txt"
    p.write_text("Minutes of the parish council\nThe meeting opened at 7pm. Apologies were received.\n"
                 "The hedge on Mill Lane needs cutting. The next meeting is in May.\n" * 5, encoding="utf-8")
    assert_failed_cleanly(run_with(env, p), p, "not a CLAS report", env)


def test_fifty_megabyte_file_is_refused(env) -> None:  # type: ignore[no-untyped-def]
    p = env[3] / "huge.txt"
    with p.open("wb") as fh:  # sparse: nothing is really written
        fh.truncate(50 * 1024 * 1024)
    assert_failed_cleanly(run_with(env, p), p, "refused", env)


def test_missing_path(env) -> None:  # type: ignore[no-untyped-def]
    p = env[3] / "no-such-report.pdf"
    assert_failed_cleanly(run_with(env, p), p, "no such file or directory", env)


def test_directory_without_reports(env) -> None:  # type: ignore[no-untyped-def]
    d = env[3] / "photos"
    d.mkdir()
    (d / "cat.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (d / "README.md").write_text("# Photos\n", encoding="utf-8")
    assert_failed_cleanly(run_with(env, d), d, "no reports found", env)


def test_unsupported_file_named_on_command_line(env) -> None:  # type: ignore[no-untyped-def]
    p = env[3] / "report.rtf"
    p.write_text("{\\rtf1 hello}", encoding="utf-8")
    assert_failed_cleanly(run_with(env, p), p, "unsupported file type", env)


def test_report_without_recommendations_warns_and_builds(env) -> None:  # type: ignore[no-untyped-def]
    p = env[3] / "fernley.txt"
    p.write_text(synth.generated_report(6, "Fernley", recommendations=False), encoding="utf-8")
    result = run_with(env, p)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert any(ln.startswith("warning: ") and "fernley" in ln.lower() and "recommendations" in ln.lower()
               for ln in result.output.splitlines()), result.output
    held = set(read_index(env[1]).reports)
    assert any(k.startswith("fernley") for k in held)


def test_cp1252_and_bom_text_decode_without_loss(env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    phrase = "The café’s “drop-in” – praised, naïve £5."
    text = synth.generated_report(7, "Greywater").replace("\n1.1 ", f"\n1.1 {phrase} ", 1)
    cp = env[3] / "greywater-cp1252.txt"
    cp.write_bytes(text.encode("cp1252"))
    bom = env[3] / "harrowdale-bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + text.replace("Greywater", "Harrowdale").encode("utf-8"))
    out = tmp_path / "out.nq"
    result = CliRunner().invoke(main, ["build", str(cp), str(bom), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    nq = out.read_text(encoding="utf-8")
    assert "Review of health services for Children Looked After and Safeguarding in Harrowdale" in nq
    assert "\ufeff" not in nq
    # the cp1252 bytes arrive as the characters they stand for, in both reports' finding 1.1
    assert nq.count(phrase) >= 2, [ln for ln in nq.splitlines() if "drop-in" in ln][:2]
    assert "Greywater" in nq and "Harrowdale" in nq


def test_fail_fast_writes_nothing(env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    reports, store, keys, bad = env
    p = bad / "empty.txt"
    p.write_bytes(b"")
    before = read_index(store).to_json()
    out = tmp_path / "out.trig"
    result = run_with(env, p, extra=("--fail-fast", "-o", str(out)))
    assert result.exit_code == 1
    assert f"error: {p}: empty file" in result.output
    assert not out.exists()
    assert read_index(store).to_json() == before


def test_unknown_output_format_is_one_line(tmp_path: Path) -> None:
    r = tmp_path / "r.txt"
    r.write_text(synth.generated_report(8, "Ivybridge"), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(r), "-o", str(tmp_path / "out.docx")])
    assert result.exit_code == 1
    assert "unknown output format" in result.output and "Traceback" not in result.output


def test_a_stored_report_that_turns_bad_keeps_its_stored_version(env) -> None:  # type: ignore[no-untyped-def]
    reports, store, keys, _bad = env
    # the store copy names the base fixture's files: store these copies first, under their own paths
    first = CliRunner().invoke(main, ["build", str(reports), "--store", str(store), "--prune", "-j", "1", "-q"])
    assert first.exit_code == 0 and set(read_index(store).reports) == keys
    victim = reports / "ashby.txt"
    victim.write_bytes(b"\x00\x01\x02 damaged on disk")
    result = CliRunner().invoke(main, ["build", str(reports), "--store", str(store), "--prune", "-j", "1"])
    assert result.exit_code == 1
    assert f"error: {victim}: binary data" in result.output
    assert set(read_index(store).reports) == keys  # neither replaced nor pruned
