"""Synthetic CLAS reports for tests and benchmarks: render report text as PDF, HTML and .docx, and make
a large corpus by recombining and renaming the corpus reports' paragraphs.

    python benchmarks/synth_reports.py --count 1000 --out /tmp/synth            # 1,000 .txt reports
    python benchmarks/synth_reports.py --count 50 --format pdf --out /tmp/pdfs   # 50 PDFs

The input is *normalised* report text (one paragraph a line, headings on their own line, the
front-matter as "Label:<TAB>value" lines), as ``clasgraph.build.read`` produces it. Rendering is
deliberately like the PDFs CQC published: a two-column front-matter table, numbered paragraphs with a
hanging number, bullets, running footers ("Review of health services ... in X   Page 12 of 31"),
hyphenated line ends and (optionally) typographic ligatures, so readers can be measured against the
text the PDF was made from.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)

NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\s+(\S.*)$")
GROUP = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
BULLET = re.compile(r"^(?:[-•▪o*]\s+)(.*)$")
FRONT = re.compile(r"^([A-Z][^:\t]{2,90}):\s*\t\s*(.*)$|^([A-Z][A-Za-z()', ]{2,90}):\s+(\S.*)$")
TITLE_PREFIX = "Review of health services for Children Looked After and Safeguarding in"


@dataclass
class Block:
    kind: str  # "title" | "heading" | "para" | "numbered" | "bullet" | "front"
    text: str
    number: str = ""
    label: str = ""


def find_font() -> tuple[Path, Path] | None:
    """DejaVu Sans regular and bold, when installed (they carry ligature and typographic glyphs)."""
    for d in FONT_DIRS:
        reg, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if reg.is_file() and bold.is_file():
            return reg, bold
    return None


def _is_heading(line: str) -> bool:
    if len(line) > 90 or NUMBERED.match(line) or BULLET.match(line):
        return False
    if line.endswith((".", ",", ";", ":")) and not line.endswith("should:"):
        return False
    words = line.split()
    return 0 < len(words) <= 12 and line[0].isupper()


def blocks_from_text(text: str) -> list[Block]:
    """Classify the lines of normalised report text into layout blocks."""
    blocks: list[Block] = []
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln]
    in_front = True
    for i, line in enumerate(lines):
        m = FRONT.match(line)
        if in_front and m and i < 40:
            label = (m.group(1) or m.group(3)).strip()
            value = (m.group(2) if m.group(1) else m.group(4)) or ""
            blocks.append(Block("front", value.strip(), label=label + ":"))
            continue
        if line.lower().startswith(("summary of the review", "contents")):
            in_front = False
        if line.startswith(TITLE_PREFIX) and i < 10:
            blocks.append(Block("title", line))
            continue
        m2 = NUMBERED.match(line)
        if m2:
            blocks.append(Block("numbered", m2.group(2), number=m2.group(1)))
            continue
        m3 = BULLET.match(line)
        if m3:
            blocks.append(Block("bullet", m3.group(1)))
            continue
        if line[0].islower():  # normalised text keeps list items as lines starting in lower case
            blocks.append(Block("bullet", line))
            continue
        if _is_heading(line):
            blocks.append(Block("heading", line))
            continue
        blocks.append(Block("para", line))
    return blocks


def _ligate(text: str) -> str:
    return text.replace("ffi", "\ufb03").replace("fi", "\ufb01").replace("fl", "\ufb02")


def render_pdf(text: str, out: Path, *, area: str, ligatures: bool = True, hyphenate: bool = True,
               footer_title: bool = True, seed: int = 0, body_size: float = 11, para_gap: float = 2.6,
               running_header: bool = False, core_font: bool = False) -> Path:
    """Render normalised report text as a PDF shaped like a published CQC CLAS report.

    ``para_gap`` (mm) is the space between paragraphs (0: none, paragraphs only told apart by their
    numbers and short last lines); ``running_header`` puts the report title at the top of every page too;
    ``core_font`` uses Helvetica (Latin-1 only) instead of DejaVu Sans."""
    from fpdf import FPDF

    fonts = None if core_font else find_font()
    title = f"{TITLE_PREFIX} {area}"

    class ReportPDF(FPDF):
        def header(self) -> None:  # fpdf2 hook
            if running_header and self.page_no() > 1:
                self.set_font(family, "", 8)
                self.set_y(8)
                self.cell(0, 5, title, align="C")
                self.set_y(18)

        def footer(self) -> None:  # fpdf2 hook
            self.set_y(-14)
            self.set_font(family, "", 8)
            if footer_title:
                self.cell(140, 5, title)
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")

    pdf = ReportPDF(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=22)
    pdf.alias_nb_pages()
    if fonts:
        pdf.add_font("DejaVu", "", str(fonts[0]))
        pdf.add_font("DejaVu", "B", str(fonts[1]))
        family = "DejaVu"
        clean = (lambda s: s)  # noqa: E731
    else:  # core font: Latin-1 only
        family = "Helvetica"
        ligatures = False

        def clean(s: str) -> str:
            s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
            s = s.replace("–", "-").replace("—", "-").replace("•", "-")
            return s.encode("latin-1", "replace").decode("latin-1")

    rnd = random.Random(seed)
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def wrap(s: str, w: float) -> list[str]:
        words = s.split()
        lines: list[str] = []
        cur = ""
        for word in words:
            cand = f"{cur} {word}" if cur else word
            if pdf.get_string_width(cand) <= w:
                cur = cand
                continue
            # hyphenate long words (or break at their own hyphen), as a word processor would
            if hyphenate and cur and len(word) >= 9:
                split_at: int | None = None
                if "-" in word[3:-3]:
                    split_at = word.index("-", 3) + 1
                elif word.isalpha() and rnd.random() < 0.7:
                    split_at = len(word) // 2
                if split_at:
                    head = word[:split_at] if word[split_at - 1] == "-" else word[:split_at] + "-"
                    if pdf.get_string_width(f"{cur} {head}") <= w:
                        lines.append(f"{cur} {head}")
                        cur = word[split_at:]
                        continue
            if cur:
                lines.append(cur)
            cur = word
        if cur:
            lines.append(cur)
        return lines

    def para(s: str, x: float, w: float, size: float = body_size, style: str = "", gap: float = para_gap,
             lead: str = "", lead_w: float = 0) -> None:
        pdf.set_font(family, style, size)
        s = clean(s)
        lines = wrap(s, w)
        lh = size * 0.48
        if pdf.get_y() + lh * min(len(lines), 2) > pdf.h - 22:
            pdf.add_page()
        for i, ln in enumerate(lines):
            if pdf.get_y() + lh > pdf.h - 22:
                pdf.add_page()
            if i == 0 and lead:
                pdf.set_x(x - lead_w)
                pdf.cell(lead_w, lh, clean(lead))
            pdf.set_x(x)
            pdf.cell(w, lh, _ligate(ln) if ligatures else ln)
            pdf.ln(lh)
        pdf.ln(gap)

    pdf.add_page()
    blocks = blocks_from_text(text)
    if not any(b.kind == "title" for b in blocks):
        blocks.insert(0, Block("title", title))
    for b in blocks:
        if b.kind == "title":
            para(b.text, pdf.l_margin, width, size=18, style="B", gap=6)
        elif b.kind == "front":
            label_w = 62.0
            pdf.set_font(family, "B", 10)
            y0 = pdf.get_y()
            label_lines = wrap(clean(b.label), label_w - 3)
            for ln in label_lines:
                pdf.set_x(pdf.l_margin)
                pdf.cell(label_w, 5, ln)
                pdf.ln(5)
            y1 = pdf.get_y()
            pdf.set_y(y0)
            pdf.set_font(family, "", 10)
            # a value cell: one line per listed body, as the published tables do
            for item in [v for v in re.split(r"\s*;\s*", b.text) if v] or [""]:
                for ln in wrap(clean(item), width - label_w):
                    pdf.set_x(pdf.l_margin + label_w)
                    pdf.cell(width - label_w, 5, ln)
                    pdf.ln(5)
            pdf.set_y(max(y1, pdf.get_y()) + 2)
        elif b.kind == "heading":
            pdf.ln(2)
            para(b.text, pdf.l_margin, width, size=13, style="B", gap=3)
        elif b.kind == "numbered":
            para(b.text, pdf.l_margin + 13, width - 13, lead=b.number, lead_w=13)
        elif b.kind == "bullet":
            para(b.text, pdf.l_margin + 8, width - 8, lead="•" if fonts else "-", lead_w=6, gap=min(1.5, para_gap))
        else:
            para(b.text, pdf.l_margin, width)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def render_html(text: str, out: Path, *, area: str) -> Path:
    """Render normalised report text as a web page (as a council might republish a report)."""
    import html

    parts = ["<!DOCTYPE html>", "<html><head><meta charset='utf-8'>",
             f"<title>{html.escape(TITLE_PREFIX + ' ' + area)}</title>",
             "<style>body{font-family:sans-serif}</style><script>var x = 1;</script></head><body>",
             "<nav><a href='/'>Home</a> | <a href='/reports'>Reports</a></nav><main>"]
    blocks = blocks_from_text(text)
    in_list = False
    front: list[Block] = [b for b in blocks if b.kind == "front"]
    for b in blocks:
        if b.kind != "bullet" and in_list:
            parts.append("</ul>")
            in_list = False
        if b.kind == "title":
            parts.append(f"<h1>{html.escape(b.text)}</h1>")
            if front:
                parts.append("<table>")
                for f in front:
                    parts.append(f"<tr><th>{html.escape(f.label)}</th><td>{html.escape(f.text)}</td></tr>")
                parts.append("</table>")
                front = []
        elif b.kind == "front":
            continue
        elif b.kind == "heading":
            parts.append(f"<h2>{html.escape(b.text)}</h2>")
        elif b.kind == "numbered":
            parts.append(f"<p><span class='num'>{b.number}</span> {html.escape(b.text)}</p>")
        elif b.kind == "bullet":
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{html.escape(b.text)}</li>")
        else:
            parts.append(f"<p>{html.escape(b.text)}</p>")
    if in_list:
        parts.append("</ul>")
    parts.append("</main><footer>Published by the council. Cookie settings.</footer></body></html>")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


def render_docx(text: str, out: Path, *, area: str) -> Path:
    """Render normalised report text as a Word document (as a board paper would carry it)."""
    import docx

    d = docx.Document()
    blocks = blocks_from_text(text)
    front = [b for b in blocks if b.kind == "front"]
    for b in blocks:
        if b.kind == "title":
            d.add_heading(b.text, level=1)
            if front:
                t = d.add_table(rows=0, cols=2)
                for f in front:
                    row = t.add_row().cells
                    row[0].text = f.label
                    row[1].text = f.text
                front = []
        elif b.kind == "front":
            continue
        elif b.kind == "heading":
            d.add_heading(b.text, level=2)
        elif b.kind == "numbered":
            d.add_paragraph(f"{b.number}\t{b.text}")
        elif b.kind == "bullet":
            d.add_paragraph(b.text, style="List Bullet")
        else:
            d.add_paragraph(b.text)
    sec = d.sections[0]
    sec.footer.paragraphs[0].text = f"{TITLE_PREFIX} {area}"
    out.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(out))
    return out


# ----------------------------------------------------------------- the synthetic corpus

_WORDS = ("assessment health children looked after safeguarding plan review team services practice staff visits "
          "records supervision training referral carers young people school nurses midwives quality timely "
          "effective robust oversight pathway information sharing families consent needs support").split()


def generated_report(seed: int, area: str = "Ashby", recommendations: bool = True, groups: int = 2) -> str:
    """A small, well-formed CLAS-shaped report of made-up sentences (normalised text), quick to extract:
    front matter, the standard sections, numbered findings citing recommendations, and (optionally) a
    recommendations section whose groups name the area's CCG, trust and council."""
    rnd = random.Random(seed)

    def sentence(n: int = 0) -> str:
        return " ".join(rnd.choice(_WORDS) for _ in range(n or rnd.randint(10, 24))).capitalize() + "."

    ccg, trust, council = f"{area} CCG", f"{area} NHS Foundation Trust", f"{area} Council"
    lines = [
        f"{TITLE_PREFIX} {area}",
        "Date of review: 1st March 2016 – 4th March 2016",
        "Date of publication: 6th June 2016",
        "Name(s) of CQC inspector: Jo Bloggs and Sam Smith",
        f"Provider services included: {trust}",
        f"CCGs included: {ccg}",
        "Summary of the review", sentence(), "About the review", sentence(),
        "Context of the review",
        f"Health visiting is commissioned by {council} and provided by {trust}. {sentence()}",
        "The child’s journey",
    ]
    heads = ("Early help", "Children in need", "Child protection", "Looked after children")
    n_items = [rnd.randint(2, 4) for _ in range(groups)]
    for sec, head in enumerate(heads, 1):
        lines.append(head)
        for i in range(1, rnd.randint(2, 4)):
            g = rnd.randint(1, groups)
            cite = f" (Recommendation {g}.{rnd.randint(1, n_items[g - 1])})" if recommendations else ""
            lines.append(f"{sec}.{i} {sentence()} {sentence()}{cite}")
    lines += ["Management", "5.1 Leadership and management", f"5.1.1 {sentence()}"]
    if recommendations:
        lines.append("Recommendations")
        who = [f"{ccg} and {trust} should:", f"{council} and {ccg} should ensure:", f"{trust} should:"]
        for g in range(1, groups + 1):
            lines.append(f"{g}. {who[(g - 1) % len(who)]}")
            for i in range(1, n_items[g - 1] + 1):
                lines.append(f"{g}.{i} Ensure that {sentence().lower()}")
    lines += ["Next steps", "An action plan addressing the recommendations above is required within 20 working days."]
    return "\n".join(lines) + "\n"


_PREFIXES = ("Ash", "Brack", "Cald", "Dun", "East", "Fern", "Grey", "Harrow", "Ivy", "Juniper", "Kestrel", "Lark",
             "Mill", "North", "Oak", "Pell", "Queens", "Ravens", "Stone", "Thorn", "Umber", "Vale", "West", "Yarrow",
             "Zen", "Alder", "Birch", "Cedar", "Elm", "Hazel", "Holly", "Maple", "Rowan", "Willow", "Beech",
             "Hawthorn", "Heather", "Bramble", "Clover", "Fox")
_SUFFIXES = ("ford", "wick", "ham", "ley", "bury", "mouth", "field", "worth", "ton", "by", "stead", "holme", "dale",
             "combe", "more", "wood", "bridge", "brook", "well", "gate", "hurst", "marsh", "borough", "cliffe", "haven")
PLACES = tuple(p + s for s in _SUFFIXES for p in _PREFIXES)  # 1,000 distinct made-up area names


def _source_texts() -> list[tuple[str, str]]:
    """(area, normalised text) of the bundled corpus reports."""
    from clasgraph.build import read

    out = []
    for p in sorted((ROOT / "examples" / "reports").iterdir()):
        if p.suffix not in (".txt", ".md"):
            continue
        doc = read.read_file(p)
        area = _area_of(doc.text) or p.stem.split("-")[0].title()
        out.append((area, doc.text))
    return out


def _area_of(text: str) -> str | None:
    m = re.search(r"Safeguarding in ([A-Z][A-Za-z'\- ]+?)\s*$", text[:3000], re.M)
    return m.group(1).strip() if m else None


def _sections(text: str) -> list[tuple[str, list[str]]]:
    """Split normalised text into (heading, lines) runs; the first run is the front matter."""
    runs: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        if line and _is_heading(line) and not FRONT.match(line):
            runs.append((line, []))
        elif line:
            runs[-1][1].append(line)
    return runs


def synth_text(sources: Sequence[tuple[str, str]], i: int) -> tuple[str, str]:
    """Report i of the synthetic corpus: one source's skeleton (front matter, sections, recommendations
    kept whole so citations still resolve) with paragraphs of each narrative section mixed with the other
    source's, and the area renamed (in body names too: "North Staffordshire CCG" -> "North Ashford CCG").
    Returns (area, text)."""
    rnd = random.Random(i)
    base_area, base = sources[i % len(sources)]
    other_area, other = sources[(i + 1) % len(sources)]
    area = PLACES[i % len(PLACES)] + ("" if i < len(PLACES) else f" {chr(ord('A') + (i // len(PLACES)) % 26)}")
    other_runs = [ln for _h, lines in _sections(other)[1:] for ln in lines if not NUMBERED.match(ln)]
    out: list[str] = []
    for heading, lines in _sections(base):
        if heading:
            out.append(heading)
        rec = heading.lower().startswith("recommendation")
        for ln in lines:
            out.append(ln)
            if not rec and heading and other_runs and rnd.random() < 0.25:
                out.append(rnd.choice(other_runs))
    text = "\n".join(out)
    for old in {base_area, other_area}:
        text = re.sub(rf"\b{re.escape(old)}\b", area, text)
    return area, text + "\n"


def make_corpus(out: Path, count: int, fmt: str = "txt", sources: Sequence[tuple[str, str]] | None = None,
                progress: bool = False) -> list[Path]:
    sources = list(sources or _source_texts())
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        area, text = synth_text(sources, i)
        stem = f"synth-{i:04d}-{hashlib.sha1(area.encode()).hexdigest()[:6]}"
        if fmt == "txt":
            p = out / f"{stem}.txt"
            p.write_text(text, encoding="utf-8")
        elif fmt == "pdf":
            p = render_pdf(text, out / f"{stem}.pdf", area=area, seed=i)
        elif fmt == "html":
            p = render_html(text, out / f"{stem}.html", area=area)
        elif fmt == "docx":
            p = render_docx(text, out / f"{stem}.docx", area=area)
        else:
            raise SystemExit(f"unknown format {fmt}")
        paths.append(p)
        if progress and i % 50 == 0:
            print(f"\r{i}/{count}", end="", file=sys.stderr)
    if progress:
        print(f"\r{count}/{count}", file=sys.stderr)
    return paths


def main(argv: Iterable[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--format", default="txt", choices=("txt", "pdf", "html", "docx"))
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(list(argv) if argv is not None else None)
    paths = make_corpus(args.out, args.count, args.format, progress=True)
    print(f"{len(paths)} reports in {args.out}")


if __name__ == "__main__":
    main()
