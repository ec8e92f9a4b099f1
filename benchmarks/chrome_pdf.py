"""PDFs of the corpus reports from a second producer: headless Chromium (Skia) printing the HTML rendering
with justified, hyphenated text and a running footer, to check the PDF reader on a layout it was not
written against. Needs Chromium (``make chromium``) and playwright (dev extra).

    .venv/bin/python benchmarks/chrome_pdf.py --out /tmp/chrome-pdfs
    .venv/bin/clasgraph build /tmp/chrome-pdfs/stockport-2014.pdf -o /tmp/s.ttl
    .venv/bin/python tests/score_reference.py --graph /tmp/s.ttl --gold tests/data/stockport-2014.json
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth_reports  # noqa: E402

from clasgraph.build import read  # noqa: E402

CSS = ("<style>body{font-family:'DejaVu Serif',serif;font-size:10.5pt;text-align:justify;hyphens:auto}"
       "th{text-align:left;width:40%;vertical-align:top} p{margin:0 0 6pt 0} nav,footer{display:none}</style>")


def chrome_pdf(text: str, out: Path, area: str, executable: str | None = None) -> Path:
    """Print normalised report text as a PDF from headless Chromium (``out`` ends in .pdf)."""
    from playwright.sync_api import sync_playwright

    exe = executable or shutil.which("chromium") or shutil.which("chromium-browser")
    html = synth_reports.render_html(text, out.with_suffix(".html"), area=area)
    html.write_text(html.read_text(encoding="utf-8").replace("</head>", CSS + "</head>")
                    .replace("<html>", "<html lang='en'>"), encoding="utf-8")
    footer = ('<div style="font-size:8px;width:100%;padding:0 20mm;display:flex;justify-content:space-between">'
              f"<span>{synth_reports.TITLE_PREFIX} {area}</span>"
              '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(html.resolve().as_uri())
        page.pdf(path=str(out), format="A4", display_header_footer=True, header_template="<span></span>",
                 footer_template=footer, margin={"top": "20mm", "bottom": "22mm", "left": "20mm", "right": "20mm"})
        browser.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for src in sorted((HERE.parent / "examples" / "reports").iterdir()):
        if src.suffix not in (".md", ".txt"):
            continue
        text = read.read_file(src).text
        area = synth_reports._area_of(text) or src.stem.split("-")[0].title()
        print(chrome_pdf(text, args.out / f"{src.stem}.pdf", area))


if __name__ == "__main__":
    main()
