"""Readers for PDF, HTML and .docx reports: bytes -> text that ``read.normalise`` turns into a Document.

``extract(path, data, fmt) -> (raw_text, warnings)`` is the one entry point (``read.read_file`` calls it).
Every problem is a ``ReportError`` whose message is one line naming the file and the problem.

PDF (pypdfium2, chosen by measurement: see docs/README-ingest.md). Text is taken with its position on the
page, so that layout decides what plain extraction has to guess:

* lines are rebuilt from PDFium's text rectangles; pieces of one line far apart become ``label<TAB>value``
  (the two-column front-matter table: date of review, inspectors, providers and CCGs included), wrapped
  value cells are joined onto their row and wrapped labels onto their label;
* running headers and footers (a page's outermost lines, in its top or bottom band, recurring on a quarter
  of the pages once digits are ignored) and page numbers ("Page 12 of 31") are dropped, never a numbered
  paragraph;
* paragraphs are rebuilt from vertical gaps, hanging paragraph numbers and bullets, and line breaks that
  a following word would have fitted into; the output has one block per line, blank lines between;
* hyphens at line ends are repaired using the document's own vocabulary ("safe-/guarding" ->
  "safeguarding", "multi-/agency" -> "multi-agency"); ligatures (ﬁ ﬂ) and soft hyphens are resolved;
* a PDF with no text layer is refused with a message naming OCR as the way forward; an encrypted PDF
  that needs a password and a damaged one are refused; a PDF cut short is read as far as it goes, with
  a warning.

HTML (beautifulsoup4, html.parser): the page's main content (``<main>``/``<article>``/``<body>``) without
scripts, styles, navigation, forms and site footers; headings, paragraphs, list items and table rows each
become a block (Markdown-like, so ``read.normalise(..., "markdown")`` keeps the structure).

.docx (python-docx): the body's paragraphs and tables in document order (headers and footers are separate
parts and never read); Word's automatic numbering ("1.1", "5.2.3"), which python-docx leaves out of the
text, is rebuilt from the numbering definitions; bullets become "- " items, table rows ``label<TAB>value``.
"""

from __future__ import annotations

import io
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ReportError

LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
             "\ufb06": "st"}
# Words commonly written with a hyphen: a line-end hyphen after one of these is kept ("multi-/agency").
HYPHEN_PREFIXES = frozenset(
    "anti co cross ex full half inter long multi non part post pre re self semi short sub under well "
    "over out follow face one two three four five six year month week day".split())
PAGE_NO = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
PAGE_NO_TAIL = re.compile(r"\bpage\s+\d{1,4}\s+of\s+\d{1,4}\s*$", re.I)
PARA_NO = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\.?$")
GROUP_NO = re.compile(r"^\d{1,2}\.$")
SOLID_BULLETS = "•●▪■◦‣∙·"
DASH_BULLETS = ("o", "-", "–", "*")
BULLETS = SOLID_BULLETS + "".join(DASH_BULLETS)


def extract(path: Path, data: bytes, fmt: str) -> tuple[str, list[str]]:
    """Text of a PDF, HTML or .docx report (raw: ``read.normalise`` finishes it) and warnings."""
    source = str(path)
    if fmt == "pdf":
        return extract_pdf(data, source)
    if fmt == "html":
        return extract_html(data, source)
    if fmt == "docx":
        return extract_docx(data, source)
    raise ReportError(source, f"no reader for format {fmt!r}")


# Word writes bullets in the Symbol and Wingdings fonts; PDFs then carry private-use code points for them.
SYMBOL_BULLETS = dict.fromkeys(map(ord, "\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e\uf0a8\u27a2\u2751\u25aa"), "•")


# the characters fix_chars changes, "\r" aside (removed with one replace): most texts hold none of them
_FIX_CHARS_RE = re.compile("[" + "".join(LIGATURES) + "".join(map(chr, SYMBOL_BULLETS)) + "\x02\ufffe]")


def fix_chars(text: str) -> str:
    if not _FIX_CHARS_RE.search(text):
        return text.replace("\r", "")
    for lig, rep in LIGATURES.items():
        text = text.replace(lig, rep)
    text = text.translate(SYMBOL_BULLETS)
    # PDFium reports a hyphen at a line end as U+0002 (whether the word was split there or is a compound:
    # the vocabulary decides, see _dehyphenate); U+00AD is a soft hyphen: the word was split there.
    return text.replace("\x02", "-").replace("\ufffe", "-").replace("\r", "")


# ---------------------------------------------------------------------------------------------- PDF


@dataclass
class Seg:
    x0: float
    x1: float
    bottom: float
    top: float
    text: str
    size: float = 0.0  # font size in points (0 when PDFium does not say)
    stream: bool = False  # text cut from the page's text stream (which has its own spaces) rather than read by box

    @property
    def height(self) -> float:
        return self.top - self.bottom


@dataclass
class Line:
    """One line of a page: its pieces left to right. A line is fixed once built, so its measures are taken
    then (all of them are used for every line; a cached property takes a lock on each first use in Python 3.11)."""

    page: int
    segs: list[Seg] = field(default_factory=list)
    kind: str = "text"  # "text" | "furniture"
    x0: float = field(init=False, repr=False, compare=False)
    x1: float = field(init=False, repr=False, compare=False)
    top: float = field(init=False, repr=False, compare=False)
    bottom: float = field(init=False, repr=False, compare=False)
    size: float = field(init=False, repr=False, compare=False)
    """Font size of the line's longest piece (glyph boxes vary with ascenders; font sizes do not)."""
    plain: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        segs = self.segs
        if not segs:
            return
        if len(segs) == 1:  # most lines are one piece
            only = segs[0]
            self.x0, self.x1, self.top, self.bottom, self.size = only.x0, only.x1, only.top, only.bottom, only.size
            self.plain = self.text()
            return
        self.x0 = min(s.x0 for s in segs)
        self.x1 = max(s.x1 for s in segs)
        self.top = max(s.top for s in segs)
        self.bottom = min(s.bottom for s in segs)
        self.size = max(segs, key=lambda s: len(s.text.strip())).size
        self.plain = self.text()

    def text(self, tab_gap: float = 1.4) -> str:
        """The line's text. Pieces further apart than ``tab_gap`` ems are joined by a tab (table cells);
        pieces that touch (a bold word, a font change inside a word, a superscript "st") by nothing;
        others by a space."""
        out = ""
        prev: Seg | None = None
        for s in self.segs:
            if prev is not None:
                gap = s.x0 - prev.x1
                em = max(s.size, prev.size)
                spaced = prev.text[-1:].isspace() or s.text[:1].isspace()
                raised = s.size < 0.85 * prev.size and s.bottom > prev.bottom + 0.15 * prev.size
                if gap > tab_gap * em:
                    sep = "\t"
                elif spaced:
                    sep = " "
                elif gap < 0.15 * em or (raised and gap < 0.35 * em) or (prev.stream and s.stream and gap < 0.22 * em):
                    sep = ""  # touching, or the text stream puts no space between them (kerned, re-positioned)
                else:
                    sep = " "
                out = out.rstrip(" ") + sep
            out += s.text.strip(" ") if out else s.text.strip(" ")
            prev = s
        return out


def _pdf_segments(data: bytes, source: str) -> tuple[list[list[Seg]], list[tuple[float, float]], bool]:
    """Text rectangles of each page (PDF coordinates, y up), page sizes, and whether pages carry images."""
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ReportError(source, f"PDF support needs pypdfium2 ({exc})") from None
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise ReportError(source, "encrypted PDF that needs a password: save an unprotected copy and build that") \
                from None
        raise ReportError(source, "not a readable PDF (damaged or not a PDF at all)") from None
    pages: list[list[Seg]] = []
    sizes: list[tuple[float, float]] = []
    has_images = False
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            sizes.append(page.get_size())
            tp = page.get_textpage()
            segs = _page_segments(tp, pdfium_c)
            if not segs and not has_images:
                has_images = any(o.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for o in page.get_objects())
            pages.append(segs)
            tp.close()
            page.close()
    except pdfium.PdfiumError:
        raise ReportError(source, "not a readable PDF (its pages cannot be parsed)") from None
    finally:
        pdf.close()
    return pages, sizes, has_images


def _page_segments(tp, pdfium_c) -> list[Seg]:  # type: ignore[no-untyped-def]
    """A page's text rectangles with their text and font size.

    PDFium lists rectangles in character order, so a rectangle's text is the run of the page's characters
    from its first character to the next rectangle's: one text read for the page instead of a bounded read
    per rectangle (which costs time in proportion to the page's characters, each time, and repeats the
    characters of glyphs that overlap a neighbour, such as ligatures). A rectangle whose first character
    cannot be placed is read on its own, and its text taken off the end of the run before it; where the
    page's text does not map one to one onto its characters (rare), every rectangle is read on its own."""
    rects = [tp.get_rect(r) for r in range(tp.count_rects())]
    n = tp.count_chars()
    full = tp.get_text_range(0, n) if n > 0 else ""
    aligned = len(full) == n
    starts: list[int] = []
    last = -1
    for left, bottom, right, top in rects:  # None (pypdfium2 5) or -1 (4): no character there
        x, y = left + 0.5, (top + bottom) / 2
        # PDFium returns the first character whose box holds the point, and only when none does the nearest
        # within the tolerance; a lookup without tolerance does not measure distances along the way, so it is
        # tried first (same answer whenever it finds one; a text page has a few thousand characters)
        idx = tp.get_index(x, y, 0, 0)
        if idx is None or idx == -1:
            idx = tp.get_index(x, y, 2.0, max(1.0, (top - bottom) / 2))
        start = idx if isinstance(idx, int) and idx > last else -1
        if start < 0 and aligned:  # e.g. a "." or "–" first: find the rectangle's text after the last start
            head = tp.get_text_bounded(left, bottom, right, top).strip()[:4]
            found = full.find(head, last + 1) if head else -1
            start = found if found > last else -1
        starts.append(start)
        last = max(last, start)
    placed = [k for k, st in enumerate(starts) if st >= 0] if aligned else []
    placed_set = set(placed)
    raws: dict[int, str] = {}
    for i, k in enumerate(placed):
        end = starts[placed[i + 1]] if i + 1 < len(placed) else n
        raw = full[starts[k]:end]
        cut = raw.find("\r\n")  # a rectangle lies on one line: a run that goes on past a line end has
        if cut >= 0 and raw[cut + 2:].strip():  # swallowed rectangles that could not be placed
            raw = raw[: cut + 2]
        raws[k] = raw
    prev_placed = -1
    for k, (left, bottom, right, top) in enumerate(rects):
        if k in raws:
            prev_placed = k
            continue
        raws[k] = tp.get_text_bounded(left, bottom, right, top)
        piece = raws[k].strip()
        if prev_placed >= 0 and piece:  # its characters ended up in the run before it: take them off
            before = raws[prev_placed].rstrip()
            if before.endswith(piece):
                raws[prev_placed] = before[: len(before) - len(piece)]
    segs = []
    for k, (left, bottom, right, top) in enumerate(rects):
        text = fix_chars(raws[k]).replace("\n", " ")
        if not text.strip():
            continue
        idx = starts[k]
        size = pdfium_c.FPDFText_GetFontSize(tp.raw, idx) if idx >= 0 else 0.0
        segs.append(Seg(left, right, bottom, top, text, float(size) or (top - bottom), stream=k in placed_set))
    return segs


def _covers(a: Seg, b: Seg) -> bool:
    """Two pieces overlap horizontally by more than half the narrower one: they cannot share a line (a
    ligature's box or kerning may overlap its neighbour's by a little)."""
    overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
    return overlap > 0.5 * max(0.1, min(a.x1 - a.x0, b.x1 - b.x0))


def _lines_of(segs: list[Seg], page: int) -> list[Line]:
    """Group a page's text rectangles into lines (vertical overlap), top to bottom, left to right."""
    groups: list[tuple[list[float], list[Seg]]] = []  # ([bottom, top], pieces)
    for s in sorted(segs, key=lambda s: (-s.top, s.x0)):
        mid = (s.top + s.bottom) / 2
        for span, members in reversed(groups[-4:]):
            if span[0] - 0.5 <= mid <= span[1] + 0.5 and not any(_covers(o, s) for o in members):
                members.append(s)
                span[0], span[1] = min(span[0], s.bottom), max(span[1], s.top)
                break
        else:
            groups.append(([s.bottom, s.top], [s]))
    lines = [Line(page, sorted(members, key=lambda s: s.x0)) for _span, members in groups]
    lines.sort(key=lambda ln: -ln.top)
    return lines


TAB_EMS = 1.4  # pieces of one line further apart than this many ems are separate cells


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def _mark_furniture(pages: list[list[Line]], sizes: list[tuple[float, float]]) -> None:
    """Running headers/footers: among the outermost lines of a page (its first two and last three) lying in
    the top or bottom 12 %, those recurring on a quarter of the pages (digits ignored, so "Page 3 of 31"
    matches "Page 4 of 31"), and page numbers ("3", "Page 3 of 31"). A numbered paragraph never is."""

    def candidates(p: int) -> list[Line]:
        lines, h = pages[p], sizes[p][1]
        outer = lines[:2] + [ln for ln in lines[-3:] if ln not in lines[:2]]
        return [ln for ln in outer if (ln.bottom > h * 0.88 or ln.top < h * 0.12)
                and not PARA_NO.match(ln.plain.split(" ", 1)[0].split("\t", 1)[0])]

    band: dict[str, set[int]] = {}
    for p in range(len(pages)):
        for ln in candidates(p):
            band.setdefault(_furniture_key(ln.plain), set()).add(p)
    need = 2 if len(pages) < 6 else max(2, len(pages) // 4)
    running = {k for k, ps in band.items() if len(ps) >= need}
    for p, lines in enumerate(pages):
        for ln in candidates(p):
            t = ln.plain
            if _furniture_key(t) in running or PAGE_NO.match(t.strip()):
                ln.kind = "furniture"
        for ln in lines:
            t = ln.plain
            if ln.kind != "furniture" and "\t" in t and len(t) < 160 and PAGE_NO_TAIL.search(t):
                ln.kind = "furniture"  # "Review of ... in X<TAB>Page 12 of 31" wherever it is


def _is_new_item(text: str) -> bool:
    """The line starts a numbered paragraph ("1.5 ...", hanging "1.5<TAB>..."), a group ("1.<TAB>...") or a
    bullet ("• ..."; a dash or "o" only when a gap follows it, as a hanging bullet)."""
    head, tab, _rest = text.partition("\t")
    head = head.strip()
    first = text.split(" ", 1)[0]
    if PARA_NO.match(first) or (tab and (PARA_NO.match(head) or GROUP_NO.match(head))):
        return True
    if len(text) > 2 and first in SOLID_BULLETS:
        return True
    return bool(tab) and head in DASH_BULLETS


def _dehyphenate(a: str, b: str, vocab: Counter[str]) -> str:
    """Join line ``a`` and its continuation ``b``, repairing a word split across the line end.

    "safe-" + "guarding" -> "safeguarding" (the joined word is used elsewhere, or the pieces are not
    words); "looked-" + "after" -> "looked-after" (the hyphenated form is used elsewhere, or both pieces
    are words of the document, or the first is a common prefix such as "multi")."""
    if a.endswith("\u00ad"):
        return a[:-1] + b
    if not a.endswith("-"):
        return f"{a} {b}"
    m = re.search(r"([A-Za-z]+)-$", a[-80:])
    n = re.match(r"([a-z]+)", b)
    if m and n:
        head, tail = m.group(1).lower(), n.group(1)
        joined, hyph = head + tail, f"{head}-{tail}"
        if vocab.get(hyph, 0) > vocab.get(joined, 0):
            return a + b
        if vocab.get(joined, 0):
            return a[:-1] + b
        if head in HYPHEN_PREFIXES or (vocab.get(head, 0) and vocab.get(tail, 0) and len(head) > 2 and len(tail) > 2):
            return a + b
        return a[:-1] + b
    if re.search(r"[\w)]-$", a[-3:]) and b[:1].isalnum():  # "Monday-" + "Friday", "16-" + "18 year olds"
        return a + b
    return f"{a} {b}"


@dataclass
class _Metrics:
    body_size: float  # the commonest font size: body text
    pitch: float  # baseline-to-baseline distance of body text
    right: float  # right edge of the text column
    char_w: float  # mean character width of body text (spaces included)

    def em(self, ln: Line) -> float:
        return (ln.size or self.body_size) / self.body_size


def _metrics(body: list[Line], texts: list[str]) -> _Metrics:
    sizes = Counter(round(ln.size, 1) for ln in body)
    body_size = sizes.most_common(1)[0][0] or 10.0
    same = [(a, b) for a, b in zip(body, body[1:], strict=False)
            if a.page == b.page and abs(a.size - body_size) < 0.5 and abs(b.size - body_size) < 0.5]
    pitches = [a.bottom - b.bottom for a, b in same if 0 < a.bottom - b.bottom < 3 * body_size]
    pitch = statistics.median(pitches) if pitches else 1.2 * body_size
    right = sorted(ln.x1 for ln in body)[int(len(body) * 0.9)]
    widths = [(ln.x1 - ln.x0) / len(t) for ln, t in zip(body, texts, strict=False)
              if len(t) > 30 and abs(ln.size - body_size) < 0.5 and "\t" not in t]
    char_w = statistics.median(widths) if widths else 0.5 * body_size
    return _Metrics(body_size, pitch, right, char_w)


def _short(prev_text: str, text: str, prev: Line, m: _Metrics) -> bool:
    """The previous line ended early: the next line's first word would have fitted on it."""
    if prev_text.rstrip().endswith(("-", "\u00ad")):
        return False
    first = text.strip().split(" ", 1)[0].split("\t", 1)[0]
    cw = m.char_w * m.em(prev)  # an estimate: allow for wide letters
    return prev.x1 + (1.3 * len(first) + 1) * cw < m.right - cw


def _cells(ln: Line) -> list[list[Seg]]:
    cells: list[list[Seg]] = [[ln.segs[0]]]
    for a, b in zip(ln.segs, ln.segs[1:], strict=False):
        if b.x0 - a.x1 > TAB_EMS * max(a.size, b.size):
            cells.append([b])
        else:
            cells[-1].append(b)
    return cells


VOCAB_WORD_RE = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*-?")
HANGING_NUMBER_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3}\.?)\t")
HANGING_BULLET_RE = re.compile(rf"^([{re.escape(BULLETS)}])\t")


def _layout_text(pages: list[list[Line]]) -> str:
    body = [ln for lines in pages for ln in lines if ln.kind != "furniture"]
    if not body:
        return ""
    texts = [ln.plain for ln in body]
    # words and hyphenated words, not counting a word cut at the line end (no word runs across a "\n")
    words = VOCAB_WORD_RE.findall("\n".join(texts))
    vocab: Counter[str] = Counter(map(str.lower, [w for w in words if not w.endswith("-")]))
    inner = [w.strip("-") for w in words if "-" in w]  # a hyphen inside the word, once its ends are cut
    vocab.update(p.lower() for w in inner if "-" in w for p in w.split("-"))
    m = _metrics(body, texts)

    blocks: list[str] = []
    cur = ""
    row: tuple[float, float] | None = None  # (label x, value x) of the table row being read
    prev: Line | None = None
    prev_text = ""
    for ln, t in zip(body, texts, strict=False):
        if "\t" in t and not _is_new_item(t):
            cells = _cells(ln)
            label = t.split("\t", 1)[0].rstrip()
            same_table = row is not None and abs(cells[1][0].x0 - row[1]) < 4
            if label.endswith(":") or same_table:  # a "Label:<TAB>value" row of a two-column table
                if cur:
                    blocks.append(cur)
                cur, row = t, (cells[0][0].x0, cells[1][0].x0)
                prev, prev_text = ln, t
                continue
            t = t.replace("\t", " ")  # a wide gap inside running text (justified type), not a table
        if row is not None and prev is not None and ln.page == prev.page \
                and prev.bottom - ln.bottom < 2.2 * m.pitch * m.em(ln):
            label_x, value_x = row
            label, _, value = cur.partition("\t")
            if abs(ln.x0 - value_x) < 4:  # a wrapped or listed value
                if not value:
                    value = t.strip()
                elif _short(prev_text, t, prev, m):  # a list: the line broke before it had to
                    value = f"{value}, {t.strip()}"
                else:
                    value = _dehyphenate(value, t.strip(), vocab)
                cur = f"{label}\t{value}"
                prev, prev_text = ln, t
                continue
            if abs(ln.x0 - label_x) < 4 and not label.rstrip().endswith(":") and len(t) < 80:
                cur = f"{label} {t.strip()}\t{value}"  # a wrapped label
                prev, prev_text = ln, t
                continue
        row = None
        new = (
            not cur
            or prev is None
            or _is_new_item(t)
            or abs(ln.size - prev.size) > 0.5
            or (ln.page == prev.page and prev.bottom - ln.bottom > 1.3 * m.pitch * max(m.em(ln), m.em(prev)))
            or _short(prev_text, t, prev, m)
        )
        if new:
            if cur:
                blocks.append(cur)
            cur = t
        else:
            cur = _dehyphenate(cur, t.lstrip(), vocab)
        prev, prev_text = ln, t
    if cur:
        blocks.append(cur)
    out = []
    for b in blocks:
        if "\t" in b:
            b = HANGING_NUMBER_RE.sub(r"\1 ", b)  # hanging paragraph number
            b = HANGING_BULLET_RE.sub(r"\1 ", b)
        out.append(b.replace("\u00ad", ""))
    return "\n\n".join(out) + "\n"


def extract_pdf(data: bytes, source: str) -> tuple[str, list[str]]:
    warnings: list[str] = []
    if b"%PDF-" not in data[:1024]:
        raise ReportError(source, "not a PDF (no %PDF header): is the file misnamed or damaged?")
    pages_segs, sizes, has_images = _pdf_segments(data, source)
    if b"%%EOF" not in data[-2048:]:
        warnings.append(f"{source}: PDF looks truncated (no end-of-file marker); text may be incomplete")
    if not pages_segs:
        raise ReportError(source, "PDF has no pages")
    n_chars = sum(len(s.text.strip()) for segs in pages_segs for s in segs)
    if n_chars < 20 * len(pages_segs) and n_chars < 200:
        what = "image-only (scanned) PDF" if has_images or n_chars == 0 else "PDF with almost no text"
        raise ReportError(source, f"{what} with no text layer: run it through OCR first (for example "
                                  "`ocrmypdf in.pdf out.pdf`) and build the OCR'd copy")
    pages = [_lines_of(segs, i) for i, segs in enumerate(pages_segs)]
    _mark_furniture(pages, sizes)
    empty = [i + 1 for i, segs in enumerate(pages_segs) if not segs]
    if empty and len(empty) < len(pages_segs):
        shown = ", ".join(map(str, empty[:8])) + ("…" if len(empty) > 8 else "")
        warnings.append(f"{source}: page(s) {shown} have no text layer (images only?); their text is missing")
    return _layout_text(pages), warnings


# ---------------------------------------------------------------------------------------------- HTML

_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "nav", "form", "button", "iframe", "select",
              "head", "canvas", "object")
_BLOCK_TAGS = frozenset("p div section article main header aside blockquote pre h1 h2 h3 h4 h5 h6 ul ol dl dt dd "
                        "figure figcaption address caption table tbody thead tfoot body html li tr hr".split())


def extract_html(data: bytes, source: str) -> tuple[str, list[str]]:
    try:
        from bs4 import BeautifulSoup, Comment, NavigableString, Tag
    except ImportError as exc:  # pragma: no cover
        raise ReportError(source, f"HTML support needs beautifulsoup4 ({exc})") from None
    from .read import decode

    text = _decode_html(data, source, decode)
    soup = BeautifulSoup(text, "html.parser")
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all("footer"):
        tag.decompose()
    hidden_roles = {"navigation", "search", "contentinfo", "dialog", "alert"}
    for tag in [t for t in soup.find_all(True) if isinstance(t, Tag)]:
        # inside a tag decomposed just before: bs4's ``decomposed`` property reads this flag with getattr,
        # which for a tag that has no flag falls into Tag.__getattr__, a search of the tag's subtree
        if vars(tag).get("_decomposed", False):
            continue
        if tag.get("role") in hidden_roles or tag.get("aria-hidden") == "true":
            tag.decompose()
    for tag in soup.find_all(["sup", "sub"]):  # "1<sup>st</sup>" is one word: "1st"
        tag.replace_with(tag.get_text())
    soup.smooth()
    root: Tag = soup.find("main") or soup.find("article") or soup.body or soup  # type: ignore[assignment]
    title_h1 = soup.find("h1")
    blocks: list[str] = []
    if isinstance(title_h1, Tag) and title_h1 not in root.descendants and root is not soup:
        blocks.append("# " + title_h1.get_text(" ", strip=True))

    buf: list[str] = []
    prefix = [""]

    def flush() -> None:
        s = re.sub(r"\s+", " ", "".join(buf)).strip()
        buf.clear()
        if s:
            blocks.append(prefix[0] + s)
        prefix[0] = ""

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                buf.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name == "br":
                flush()
                continue
            if name == "tr":
                flush()
                cells = [c.get_text(" ", strip=True) for c in child.find_all(["th", "td"], recursive=False)]
                cells = [re.sub(r"\s+", " ", c) for c in cells if c]
                if cells:
                    blocks.append("\t".join(cells))
                continue
            if name in _BLOCK_TAGS:
                flush()
                if re.fullmatch(r"h[1-6]", name):
                    prefix[0] = "#" * int(name[1]) + " "
                elif name == "li":
                    prefix[0] = "- "
                walk(child)
                flush()
                continue
            walk(child)

    walk(root)
    flush()
    out = "\n\n".join(_unmark_numbered_bullet(b) for b in blocks)
    if not out.strip():
        raise ReportError(source, "HTML page has no text")
    return fix_chars(out) + "\n", []


def _unmark_numbered_bullet(block: str) -> str:
    """A list item that carries its own paragraph number ("- 1.4 That ...") is a numbered paragraph."""
    m = re.match(r"^- (\d{1,2}(?:\.\d{1,2}){1,3}\s)", block)
    return block[2:] if m else block


def _decode_html(data: bytes, source: str, decode: object) -> str:
    head = data[:4096].decode("ascii", "ignore")
    m = re.search(r"""charset\s*=\s*["']?([\w-]+)""", head, re.I)
    if m and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        enc = m.group(1).lower()
        if enc not in ("utf-8", "utf8"):
            try:
                return data.decode("cp1252" if enc in ("iso-8859-1", "latin-1", "windows-1252") else enc)
            except (LookupError, UnicodeDecodeError):
                pass
    return decode(data, source)  # type: ignore[operator, no-any-return]


# ---------------------------------------------------------------------------------------------- DOCX


def extract_docx(data: bytes, source: str) -> tuple[str, list[str]]:
    import zipfile

    try:
        import docx
        from docx.styles.style import ParagraphStyle
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover
        raise ReportError(source, f".docx support needs python-docx ({exc})") from None
    if not data.startswith(b"PK"):
        raise ReportError(source, "not a .docx file (not a zip package): is it an old .doc or misnamed?")
    try:
        d = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReportError(source, f"not a readable .docx file ({type(exc).__name__})") from None
    except Exception as exc:  # python-docx / lxml raise many kinds on damaged packages
        raise ReportError(source, f"not a readable .docx file ({type(exc).__name__})") from None
    warnings: list[str] = []
    blocks: list[str] = []
    numbering = _DocxNumbering(d)
    # a paragraph's style depends only on its style id; python-docx resolves it afresh for every paragraph
    # (the default style by a scan of all the document's styles), so it is resolved once per id here
    styles: dict[str | None, tuple[ParagraphStyle | None, str]] = {}  # style id -> (style, its name or "")
    body = d.element.body
    for el in body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(el, d)
            text = p.text.strip()
            style_id = el.style  # ./w:pPr/w:pStyle/@w:val, as Paragraph.style reads it
            if style_id not in styles:
                resolved = p.style
                styles[style_id] = (resolved, (resolved.name if resolved is not None else "") or "")
            p_style, style = styles[style_id]
            label = numbering.label(el, p_style)  # Word's automatic numbering: not in the text, rebuilt here
            if not text:
                continue
            if style.lower().startswith("heading") or style.lower() == "title":
                level = re.search(r"\d", style)
                head = f"{label} " if label and label != "•" else ""
                blocks.append("#" * (int(level.group()) if level else 1) + " " + head + text)
            elif label == "•" or (label is None and "list" in style.lower()):
                blocks.append("- " + text)
            elif label:
                blocks.append(f"{label} {text}")
            else:
                blocks.append(text)
        elif tag == "tbl":
            t = Table(el, d)
            for r in t.rows:
                cells: list[str] = []
                for c in r.cells:
                    ct = re.sub(r"\s+", " ", c.text).strip()
                    if ct and (not cells or cells[-1] != ct):  # merged cells repeat
                        cells.append(ct)
                if cells:
                    blocks.append("\t".join(cells))
    if numbering.unknown:
        warnings.append(f"{source}: {numbering.unknown} numbered paragraphs use a numbering this reader cannot "
                        "rebuild; their numbers may be missing (save the document as PDF and build that)")
    out = "\n\n".join(blocks)
    if not out.strip():
        raise ReportError(source, ".docx document has no text")
    return fix_chars(unicodedata.normalize("NFC", out)) + "\n", warnings


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


class _DocxNumbering:
    """Word's automatic paragraph numbering ("1.1", "5.2.3", bullets), which python-docx does not render:
    counters per numbering definition and level, formatted by each level's ``lvlText`` ("%1.%2")."""

    def __init__(self, document) -> None:  # type: ignore[no-untyped-def]
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId -> ilvl -> (start, fmt, text)
        self.num_to_abstract: dict[str, str] = {}
        self.start_override: dict[tuple[str, int], int] = {}
        self.counters: dict[str, list[int]] = {}
        self.unknown = 0
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError, ValueError):
            return
        for ab in root.findall(_w("abstractNum")):
            aid = ab.get(_w("abstractNumId"))
            lv: dict[int, tuple[int, str, str]] = {}
            for lvl in ab.findall(_w("lvl")):
                ilvl = int(lvl.get(_w("ilvl"), "0"))
                start = _val(lvl.find(_w("start")), "1")
                fmt = _val(lvl.find(_w("numFmt")), "decimal")
                text = _val(lvl.find(_w("lvlText")), "")
                lv[ilvl] = (int(start) if start.isdigit() else 1, fmt, text)
            self.levels[aid] = lv
        for num in root.findall(_w("num")):
            nid = num.get(_w("numId"))
            ref = num.find(_w("abstractNumId"))
            if nid is None or ref is None:
                continue
            self.num_to_abstract[nid] = ref.get(_w("val"))
            for ov in num.findall(_w("lvlOverride")):
                so = ov.find(_w("startOverride"))
                if so is not None and _val(so, "").isdigit():
                    self.start_override[(nid, int(ov.get(_w("ilvl"), "0")))] = int(_val(so, "1"))

    def _num_pr(self, el, style):  # type: ignore[no-untyped-def]
        pr = el.find(f"{_w('pPr')}/{_w('numPr')}")
        if pr is None and style is not None:
            pr = style.element.find(f"{_w('pPr')}/{_w('numPr')}")
        return pr

    def label(self, el, style) -> str | None:  # type: ignore[no-untyped-def]
        """The paragraph's number ("1.2") or "•" for a bullet; None when it is not numbered. ``style`` is the
        paragraph's style (its numbering applies when the paragraph has none of its own)."""
        pr = self._num_pr(el, style)
        if pr is None:
            return None
        nid = _val(pr.find(_w("numId")), "")
        ilvl = int(_val(pr.find(_w("ilvl")), "0") or 0)
        if nid in ("", "0"):
            return None  # numbering switched off
        aid = self.num_to_abstract.get(nid)
        levels = self.levels.get(aid or "", {})
        if ilvl not in levels:
            self.unknown += 1
            return None
        start, fmt, text = levels[ilvl]
        if fmt == "bullet" or fmt == "none":
            return "•" if fmt == "bullet" else None
        counters = self.counters.setdefault(aid or nid, [0] * 10)
        if counters[ilvl] == 0:
            counters[ilvl] = self.start_override.get((nid, ilvl), start)
        else:
            counters[ilvl] += 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = 0

        def fmt_level(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            n = counters[k] or levels.get(k, (1, "decimal", ""))[0]
            f = levels.get(k, (1, "decimal", ""))[1]
            if f == "lowerLetter":
                return chr(ord("a") + (n - 1) % 26)
            if f == "upperLetter":
                return chr(ord("A") + (n - 1) % 26)
            if f == "lowerRoman":
                return _roman(n)
            if f == "upperRoman":
                return _roman(n).upper()
            return str(n)

        out = re.sub(r"%(\d)", fmt_level, text).strip()
        return out or None


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


def _val(el, default: str) -> str:  # type: ignore[no-untyped-def]
    if el is None:
        return default
    v = el.get(_w("val"))
    return v if v is not None else default
