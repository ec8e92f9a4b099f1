"""PDF input: PDFs rendered from the corpus reports (two-column front-matter table, hanging paragraph
numbers, running footers "Review of health services ... in X   Page 12 of 31", hyphenated line ends,
ligatures) read back to the text they were made from, and build to the same scores as the text."""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from pathlib import Path

import pytest
import synth_reports

from clasgraph.build import read, readers
from clasgraph.build.errors import ReportError

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
CORPUS = {"stockport-2014": DATA / "corpus" / "stockport-2014.md",
          "staffordshire-2016": DATA / "corpus" / "staffordshire-2016.txt"}


synth = synth_reports


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """name -> (PDF path, the normalised text it was rendered from)."""
    d = tmp_path_factory.mktemp("pdf")
    out = {}
    for name, src in CORPUS.items():
        text = read.read_file(src).text
        area = synth._area_of(text) or name.split("-")[0].title()
        out[name] = (synth.render_pdf(text, d / f"{name}.pdf", area=area, seed=1), text)
    return out


def lines_ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.splitlines(), b.splitlines(), autojunk=False).ratio()


def numbers(text: str) -> list[str]:
    return re.findall(r"^(\d{1,2}(?:\.\d{1,2}){1,3}) ", text, re.M)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_pdf_reads_back_to_its_text(pdfs: dict[str, tuple[Path, str]], name: str) -> None:
    path, source = pdfs[name]
    doc = read.read_file(path)
    assert doc.format == "pdf"
    # the reader rebuilds paragraphs whole and in order: nearly every block identical to the source's
    raw, _ = readers.extract(path, path.read_bytes(), "pdf")
    assert lines_ratio(source, read.normalise(raw, "markdown")) >= 0.97
    assert lines_ratio(source, doc.text) >= 0.93  # through read.py's text heuristics
    # every paragraph number kept, at the start of its paragraph
    assert numbers(doc.text) == numbers(source)
    # running footers and page numbers gone
    assert not re.search(r"Page \d+ of \d+", doc.text)
    title_lines = [ln for ln in doc.text.splitlines() if ln.startswith("Review of health services for Children")]
    assert len(title_lines) <= 1
    # ligatures resolved, no soft hyphens or PDFium line-end markers left
    assert not re.search("[\ufb00-\ufb06\u00ad\x02]", doc.text)
    # hyphenated line ends repaired: no word of the output is a piece of a word of the source
    src_words = Counter(re.findall(r"[A-Za-z]+", source.lower()))
    new_words = set(re.findall(r"[A-Za-z]+", doc.text.lower())) - set(src_words)
    assert len(new_words) <= 5, sorted(new_words)[:20]


def test_front_matter_table_rows(pdfs: dict[str, tuple[Path, str]]) -> None:
    path, source = pdfs["stockport-2014"]
    doc = read.read_file(path)
    fields = [ln for ln in source.splitlines()[:20] if re.match(r"^[A-Z][^:]{2,90}: \S", ln)]
    assert len(fields) >= 5
    for ln in fields:  # each label with its whole value, wrapped cells and wrapped labels joined
        assert ln in doc.text.splitlines(), ln


def test_two_column_value_listing_one_body_per_line(tmp_path: Path) -> None:
    text = ("Review of health services for Children Looked After and Safeguarding in Ashby\n"
            "Date of review: 1st March 2016 – 4th March 2016\n"
            "Provider services included: Ashby NHS Foundation Trust; Ashby Community Health Services NHS Trust; "
            "Brackenford Partnership NHS Foundation Trust\n"
            "CCGs included: Ashby CCG\nSummary of the review\nThis report records the findings.\n")
    doc = read.read_file(synth.render_pdf(text, tmp_path / "t.pdf", area="Ashby"))
    row = next(ln for ln in doc.text.splitlines() if ln.startswith("Provider services included:"))
    # a listed cell keeps its bodies apart (a comma where the table broke the line early)
    assert "Ashby NHS Foundation Trust, Ashby Community Health Services NHS Trust" in row
    assert "Brackenford Partnership NHS Foundation Trust" in row
    assert "Date of review: 1st March 2016 – 4th March 2016" in doc.text.splitlines()


def test_dehyphenation_uses_the_documents_vocabulary() -> None:
    vocab = Counter({"safeguarding": 3, "looked-after": 4, "looked": 2, "after": 5, "multi-agency": 1})
    assert readers._dehyphenate("effective safe-", "guarding arrangements", vocab) == "effective safeguarding arrangements"
    assert readers._dehyphenate("for looked-", "after children", vocab) == "for looked-after children"
    assert readers._dehyphenate("strong multi-", "agency work", vocab) == "strong multi-agency work"
    assert readers._dehyphenate("daily (Monday-", "Friday)", vocab) == "daily (Monday-Friday)"
    assert readers._dehyphenate("the compl-", "iance rate", Counter()) == "the compliance rate"
    assert readers._dehyphenate("soft\u00ad", "ware", Counter()) == "software"
    assert readers._dehyphenate("a line", "and the next", Counter()) == "a line and the next"


def test_image_only_pdf_names_ocr() -> None:
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF()
    pdf.add_page()
    pdf.image(Image.new("L", (100, 140), 180), x=10, y=10, w=120)
    with pytest.raises(ReportError, match="OCR") as err:
        readers.extract_pdf(bytes(pdf.output()), "scan.pdf")
    assert str(err.value).startswith("scan.pdf: ")


def test_encrypted_pdf_needs_password() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="o", user_password="u")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 5, "1.1 Safeguarding")
    with pytest.raises(ReportError, match="encrypted PDF"):
        readers.extract_pdf(bytes(pdf.output()), "locked.pdf")


def test_pdf_with_owner_password_only_is_read() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner")  # opens without a password, as many published PDFs do
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 5, "1.1 Health visitors see every looked after child within ten days of placement.")
    text, _ = readers.extract_pdf(bytes(pdf.output()), "restricted.pdf")
    assert "1.1 Health visitors see every looked after child" in text


def test_not_a_pdf() -> None:
    with pytest.raises(ReportError, match="not a PDF"):
        readers.extract_pdf(b"Review of health services\n1.1 text\n", "misnamed.pdf")


def _score(graph: Path, gold: Path) -> dict[str, float]:
    import score_reference as score_mod

    result = score_mod.score(score_mod.load_graph(graph), json.loads(gold.read_text(encoding="utf-8")))
    flat: dict[str, float] = {}
    for part, value in result.items():
        if isinstance(value, dict) and "f1" in value:
            flat[part] = float(value["f1"])
            for extra in ("text_accuracy", "type_accuracy"):
                if extra in value and value[extra] is not None:
                    flat[f"{part}.{extra}"] = float(value[extra])
        elif isinstance(value, dict) and "fields_right" in value:
            flat[part] = value["fields_right"] / value["fields"]
    return flat


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n.startswith("staffordshire") else n
                                  for n in sorted(CORPUS)])
def test_pdf_builds_score_like_the_text(pdfs: dict[str, tuple[Path, str]], name: str, tmp_path: Path) -> None:
    from clasgraph.graph.buildrun import run_build

    pdf, _ = pdfs[name]
    scores = {}
    for kind, src in (("text", CORPUS[name]), ("pdf", pdf)):
        out = tmp_path / f"{kind}.ttl"
        result = run_build([src], output=out, jobs=1)
        assert result.ok, result.errors
        scores[kind] = _score(out, DATA / f"{name}.json")
    assert scores["text"].keys() == scores["pdf"].keys() and scores["text"]
    for part, value in scores["text"].items():
        assert scores["pdf"][part] >= value - 0.03, (part, scores["pdf"][part], value)


def test_font_changes_and_superscripts_inside_a_line() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 5, "Visits were **timely** and recorded (**Recommendation 1.2**). Re**view**ed daily.",
                   markdown=True, new_x="LMARGIN", new_y="NEXT")
    pdf.write(5, "Date of review: 1")
    pdf.char_vpos = "SUP"
    pdf.write(5, "st")
    pdf.char_vpos = "LINE"
    pdf.write(5, " December 2014")
    text, _ = readers.extract_pdf(bytes(pdf.output()), "fonts.pdf")
    assert "Visits were timely and recorded (Recommendation 1.2). Reviewed daily." in text
    assert "Date of review: 1st December 2014" in text


def test_symbol_font_bullets_and_page_number_only_footers(tmp_path: Path) -> None:
    from clasgraph.build.readers import fix_chars

    assert fix_chars("\uf0b7\tThe review explored") == "•\tThe review explored"
    text = "\n".join(["Review of health services for Children Looked After and Safeguarding in Ashby",
                      *[f"1.{i} The named nurse saw every child placed out of area within the month." for i in
                        range(1, 100)]])
    pdf = synth.render_pdf(text, tmp_path / "p.pdf", area="Ashby", footer_title=False, running_header=True)
    doc = read.read_file(pdf)
    assert numbers(doc.text) == [f"1.{i}" for i in range(1, 100)]
    assert not re.search(r"Page \d+ of \d+", doc.text)
    assert doc.text.count("Review of health services for Children Looked After") == 1  # header gone, title kept


def test_wide_justified_gap_is_not_a_table() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_x(20)
    pdf.multi_cell(170, 5, "1.4 The designated nurse reviews every health plan and the named GP attends the "
                   "strategy meeting.", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y()  # a stretched line, set word by word as word processors justify: wide gaps
    for x, word in ((20, "Safeguarding"), (95, "supervision"), (170, "continues")):
        pdf.text(x, y + 4, word)
    pdf.set_y(y + 5)
    pdf.multi_cell(170, 5, "monthly for every health visitor.", new_x="LMARGIN", new_y="NEXT")
    text, _ = readers.extract_pdf(bytes(pdf.output()), "justified.pdf")
    assert "\t" not in text
    assert "Safeguarding supervision continues monthly for every health visitor." in text.splitlines()
