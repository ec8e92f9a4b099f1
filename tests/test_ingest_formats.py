"""HTML and .docx input, text encodings, and finding reports in directories."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import synth_reports

from clasgraph.build import read, readers
from clasgraph.build.discover import discover
from clasgraph.build.errors import ReportError
from clasgraph.build.pipeline import extract_file, extract_text

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


synth = synth_reports


@pytest.fixture(scope="module")
def source() -> str:
    return read.read_file(DATA / "corpus" / "stockport-2014.md").text


def numbers(text: str) -> list[str]:
    return re.findall(r"^(\d{1,2}(?:\.\d{1,2}){1,3}) ", text, re.M)


def ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.splitlines(), b.splitlines(), autojunk=False).ratio()


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_html_and_docx_read_back_to_their_text(source: str, fmt: str, tmp_path: Path) -> None:
    render = synth.render_html if fmt == "html" else synth.render_docx
    path = render(source, tmp_path / f"report.{fmt}", area="Stockport")
    doc = read.read_file(path)
    assert doc.format == fmt
    assert numbers(doc.text) == numbers(source)
    assert ratio(source, doc.text) >= 0.97
    for ln in source.splitlines()[:12]:
        if re.match(r"^(Date of review|CCGs included|Provider services included): ", ln):
            assert ln in doc.text.splitlines()
    # site furniture is not report text
    for junk in ("Cookie settings", "var x", "Home | Reports", "Published by the council"):
        assert junk not in doc.text


def test_generated_report_builds_the_same_from_every_format(tmp_path: Path) -> None:
    text = synth.generated_report(21, "Juniper Coast")
    want = extract_text(text, source="juniper.txt")
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    paths = [tmp_path / "r.txt",
             synth.render_html(text, tmp_path / "r.html", area="Juniper Coast"),
             synth.render_docx(text, tmp_path / "r.docx", area="Juniper Coast"),
             synth.render_pdf(text, tmp_path / "r.pdf", area="Juniper Coast")]
    for p in paths:
        ex = extract_file(p)
        assert [(r.number, r.text) for r in ex.recommendations] == [(r.number, r.text) for r in want.recommendations], p
        assert [(r.number, r.responsible) for r in ex.recommendations] == \
            [(r.number, r.responsible) for r in want.recommendations], p
        assert [f.number for f in ex.structure.findings] == [f.number for f in want.structure.findings], p
        assert ex.meta.area == want.meta.area and ex.meta.review_start == want.meta.review_start, p


def test_html_structure_and_entities() -> None:
    html = b"""<!doctype html><html><head><meta charset="windows-1252"><title>t</title>
    <style>p{color:red}</style></head><body><nav>Skip to content</nav>
    <article><h1>Review of health services for Children Looked After and Safeguarding in Ashby</h1>
    <table><tr><th>Date of review:</th><td>1<sup>st</sup> March 2016 &ndash; 4<sup>th</sup> March 2016</td></tr></table>
    <h2>Recommendations</h2><p><strong>1. Ashby CCG should:</strong></p>
    <ul><li>1.1 Ensure that children\x92s health plans are reviewed.</li><li>Monitor it &amp; report</li></ul>
    <p>Line one<br>Line two</p><!-- a comment --><script>alert(1)</script>
    <div role="navigation">Menu links</div><p>Share <span aria-hidden="true">icon-glyph</span></p></article>
    <footer>Contact us</footer></body></html>"""
    text, _ = readers.extract_html(html, "a.html")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert "# Review of health services for Children Looked After and Safeguarding in Ashby" in lines
    assert "Date of review:\t1st March 2016 \u2013 4th March 2016" in lines
    assert "1.1 Ensure that children\u2019s health plans are reviewed." in lines  # cp1252 per the meta charset
    assert "- Monitor it & report" in lines
    assert "Line one" in lines and "Line two" in lines
    for junk in ("Skip to content", "alert", "a comment", "Contact us", "color:red", "Menu links", "icon-glyph"):
        assert junk not in text


def test_docx_tables_lists_and_bad_packages(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("Review of health services for Children Looked After and Safeguarding in Ashby", level=1)
    t = d.add_table(rows=1, cols=2)
    t.rows[0].cells[0].text, t.rows[0].cells[1].text = "CCGs included:", "Ashby CCG"
    d.add_paragraph("1.1 Health visitors see children.")
    d.add_paragraph("an item", style="List Bullet")
    d.sections[0].footer.paragraphs[0].text = "Page footer text"
    p = tmp_path / "b.docx"
    d.save(str(p))
    text, _ = readers.extract_docx(p.read_bytes(), str(p))
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert lines[0].startswith("# Review of health services")
    assert "CCGs included:\tAshby CCG" in lines and "1.1 Health visitors see children." in lines
    assert "- an item" in lines and "Page footer text" not in text
    with pytest.raises(ReportError, match="not a .docx"):
        readers.extract_docx(b"\xd0\xcf\x11\xe0 old word file", "old.docx")
    with pytest.raises(ReportError, match="not a readable .docx"):
        readers.extract_docx(b"PK\x03\x04" + b"\x00" * 100, "broken.docx")


def test_text_encodings_decode_without_loss() -> None:
    s = "Children’s “drop-in” – café, naïve, £5, €6, 1½"
    assert read.decode(s.encode("cp1252"), "x") == s
    assert read.decode(b"\xef\xbb\xbf" + s.encode("utf-8"), "x") == s
    assert read.decode(s.encode("utf-16"), "x") == s
    # the five bytes cp1252 leaves undefined are kept (as their Latin-1 code points), not dropped
    assert len(read.decode(b"a\x81b\x8dc\x9d", "x")) == 6


def test_discover_finds_reports_recursively_and_skips_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    for rel in ("one.pdf", "a/two.md", "a/b/three.HTML", "a/b/four.docx", "a/five.txt"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    for rel in ("README.md", "a/~$four.docx", ".git/x.txt", "a/.hidden.md", "a/picture.png", "a/notes.txt~"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    found = discover([tmp_path, tmp_path / "one.pdf", tmp_path / "missing.txt"])
    names = [p.name for p in found.files]
    assert names == ["one.pdf", "five.txt", "two.md", "four.docx", "three.HTML"]  # sorted, each once
    assert found.errors == [f"{tmp_path / 'missing.txt'}: no such file or directory"]
    assert {p.name for p in found.skipped} >= {"README.md", "~$four.docx", ".hidden.md"}


def test_discover_reports_empty_directories_and_unsupported_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "x.rtf").write_text("x", encoding="utf-8")
    found = discover([tmp_path / "empty", tmp_path / "x.rtf"])
    assert found.files == []
    assert "no reports found" in found.errors[0] and "unsupported file type .rtf" in found.errors[1]


def test_docx_automatic_numbering_is_rebuilt(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="91"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="91"/></w:numPr>'))

    numbered("Ashby CCG should:", 0)
    numbered("Ensure that health assessments are timely.", 1)
    numbered("Audit the plans.", 1)
    numbered("first point", 2)
    numbered("Ashby Council should:", 0)
    numbered("Commission a school nursing service.", 1)
    p = tmp_path / "numbered.docx"
    d.save(str(p))
    text, warnings = readers.extract_docx(p.read_bytes(), str(p))
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert lines == ["1. Ashby CCG should:", "1.1 Ensure that health assessments are timely.", "1.2 Audit the plans.",
                     "(a) first point", "2. Ashby Council should:", "2.1 Commission a school nursing service."]
    assert warnings == []
