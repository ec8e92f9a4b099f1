"""Measure PDF text extraction libraries on PDFs of the corpus reports (the measurement behind the choice
of pypdfium2 in build/readers.py; the table is quoted in docs/README-ingest.md).

    .venv/bin/python benchmarks/compare_pdf_libs.py [--runs 3]

Each corpus report is normalised (``read.read_file``), rendered as a PDF shaped like a published CLAS
report (benchmarks/synth_reports.py: front-matter table, hanging paragraph numbers, running footers,
hyphenation, ligatures), extracted by each library, and passed through the project's own normalisation
(``read.normalise``), then compared with the text it was rendered from:

* blocks: difflib ratio over lines (paragraphs, headings, table rows) - structure and text together;
* words: difflib ratio over the words - text alone, whatever the line structure;
* numbers: share of the source's paragraph numbers ("1.5", "5.1.7") found at the start of a line, in order;
* front: front-matter rows ("Date of review: ...") found whole on one line;
* footers: "Page N of M" left in the text;
* ms/page: extraction time (library call only; median of ``--runs``).
"""

from __future__ import annotations

import argparse
import difflib
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synth_reports  # noqa: E402

from clasgraph.build import read, readers  # noqa: E402

NUM = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3}) ", re.M)


def pypdf_plain(data: bytes) -> str:
    import io

    import pypdf

    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def pypdf_layout(data: bytes) -> str:
    import io

    import pypdf

    return "\n".join(p.extract_text(extraction_mode="layout") or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def pdfplumber_text(data: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(p.extract_text() or "" for p in pdf.pages)


def pdfium_plain(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    out = []
    for i in range(len(pdf)):
        page = pdf[i]
        tp = page.get_textpage()
        out.append(tp.get_text_range())
        tp.close()
        page.close()
    pdf.close()
    return "\n".join(out)


def pdfium_layout(data: bytes) -> str:
    return readers.extract_pdf(data, "bench.pdf")[0]


LIBS: list[tuple[str, Callable[[bytes], str]]] = [
    ("pypdf 'plain'", pypdf_plain),
    ("pypdf 'layout'", pypdf_layout),
    ("pdfplumber (pdfminer.six)", pdfplumber_text),
    ("pypdfium2 get_text_range", pdfium_plain),
    ("pypdfium2 + positions (ours)", pdfium_layout),
]


def ratio(a: list[str], b: list[str]) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def measure(source: str, out: str) -> dict[str, float]:
    src_nums, out_nums = NUM.findall(source), NUM.findall(out)
    sm = difflib.SequenceMatcher(None, src_nums, out_nums, autojunk=False)
    kept = sum(b.size for b in sm.get_matching_blocks())
    front = [ln for ln in source.splitlines()[:20] if re.match(r"^[A-Z][^:]{2,90}: \S", ln)]
    lines = set(out.splitlines())
    return {
        "blocks": ratio(source.splitlines(), out.splitlines()),
        "words": ratio(source.split(), out.split()),
        "numbers": kept / len(src_nums) if src_nums else 1.0,
        "front": sum(ln in lines for ln in front) / len(front) if front else float("nan"),
        "footers": float(len(re.findall(r"Page \d+ of \d+", out))),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description="compare PDF text extraction libraries")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    root = HERE.parent
    docs = []
    with tempfile.TemporaryDirectory() as tmp:
        for src in sorted((root / "examples" / "reports").iterdir()):
            if src.suffix not in (".md", ".txt"):
                continue
            text = read.read_file(src).text
            area = synth_reports._area_of(text) or src.stem.split("-")[0].title()
            pdf = synth_reports.render_pdf(text, Path(tmp) / f"{src.stem}.pdf", area=area, seed=1)
            import pypdfium2 as pdfium

            n_pages = len(pdfium.PdfDocument(str(pdf)))
            docs.append((src.stem, text, pdf.read_bytes(), n_pages))
        print("| library | report | blocks | words | numbers | front rows | footers left | ms/page |")
        print("|---|---|---|---|---|---|---|---|")
        for name, fn in LIBS:
            for stem, text, data, n_pages in docs:
                times = []
                out = ""
                try:
                    for _ in range(args.runs):
                        t0 = time.perf_counter()
                        out = fn(data)
                        times.append(time.perf_counter() - t0)
                except ImportError as exc:
                    print(f"| {name} | not installed ({exc.name}): pip install -e '.[bench]' | | | | | | |")
                    break
                norm = read.normalise(out, "text")
                m = measure(text, norm)
                ms = 1000 * statistics.median(times) / n_pages
                front = "-" if m["front"] != m["front"] else f"{m['front']:.2f}"
                print(f"| {name} | {stem} ({n_pages} p.) | {m['blocks']:.3f} | {m['words']:.3f} | {m['numbers']:.3f} "
                      f"| {front} | {int(m['footers'])} | {ms:.1f} |", flush=True)


if __name__ == "__main__":
    main()
