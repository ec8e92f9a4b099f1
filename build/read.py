"""Reading: bytes on disk -> ``Document`` with normalised text (one paragraph per line).

Plain text (including text extracted from PDFs: wrapped lines, blank lines inside paragraphs,
running headers and footers, page-break debris) and Markdown are handled here. PDF, HTML and
.docx are turned into text by ``readers`` and then go through the same normalisation.

The normalised text has one block per line: a heading, a paragraph (wrapped lines joined), a
bullet item or a front-matter line ("Date of review: ..."). Nothing is dropped except markup and
page furniture (running headers/footers, page numbers, horizontal rules).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from .errors import ReportError
from .model import Document

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
MAX_BYTES = 40 * 1024 * 1024  # a CLAS report is well under 1 MB of text; PDFs a few MB

# Standard CLAS template headings. Used to recognise headings in text without markup.
HEADING_RE = re.compile(
    r"^(?:summary of (?:the )?review|about (?:the|this) review|how we carried out (?:the|this) review"
    r"|context of (?:the|this) review|the report|what people told us|the child['’`]?s journey"
    r"|(?:\d\.?\s+)?(?:early help|children in need|child protection|looked[ -]after children)"
    r"|management|(?:5\.\d\.?\s+)?(?:leadership (?:and|&) management|governance|training and supervision)"
    r"|recommendations|next steps|contents)\s*:?$",
    re.IGNORECASE,
)

LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000\t"), " ")
ZERO_WIDTH = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
CHAR_TABLE: dict[int, str | None] = {**SPACES, **ZERO_WIDTH}
# CHAR_TABLE as (character, replacement) pairs: a str.translate with a dict looks up every character of the
# report, while a replace per character present (most are absent) only scans the text
CHAR_REPLACEMENTS = tuple((chr(code), rep or "") for code, rep in CHAR_TABLE.items())
# "&" glued to the next name ("&Shropshire"), after a space: found from the "&" (a pattern that starts with
# the look-behind would be tried at every position of the text)
GLUED_AMPERSAND_RE = re.compile(r"&(?<=\s&)(?=[A-Z])")
MULTI_SPACE_RE = re.compile(r"[ ]{2,}")
RULE_ONLY_RE = re.compile(r"[-–—_=*•\s]+")

PAGE_NUMBER_RE = re.compile(r"(?:^|\s)(?:page\s+\d+\s+of\s+\d+|page\s+\d+|\d+\s+of\s+\d+)\s*$", re.IGNORECASE)
BULLET_RE = re.compile(r"^\s*(?:[•●▪■◦‣∙·o\-–*]|\d+\)|[a-z]\))\s+")
PARA_NUMBER_RE = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(\S)")
GROUP_HEADING_RE = re.compile(r"^\s*\d{1,2}\.\s+\S")
TERMINAL_RE = re.compile(r"[.:;?!)\]”\"’'*]\s*$")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), else cp1252 without loss (undefined bytes kept as latin-1)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReportError(source, "not valid UTF-16 text") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out = []
    for byte in data:  # cp1252, falling back to latin-1 for its five undefined bytes
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


NOT_CONTROL = bytes(range(32, 256)) + b"\t\n\x0c\r"


def looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = len(head.translate(None, NOT_CONTROL))  # bytes below 32 other than tab, LF, FF, CR
    return control > max(8, len(head) // 50)


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return TEXT_SUFFIXES[suffix]
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix == ".docx":
        return "docx"
    return "text"


def read_file(path: Path | str, max_bytes: int | None = None) -> Document:
    """Read a report file of any supported format into a normalised ``Document``; files larger than
    ``max_bytes`` (default ``MAX_BYTES``) are refused."""
    limit = MAX_BYTES if max_bytes is None else max_bytes
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise ReportError(source, "no such file")
    if path.is_dir():
        raise ReportError(source, "is a directory, not a report file")
    size = path.stat().st_size
    if size == 0:
        raise ReportError(source, "empty file")
    if size > limit:
        raise ReportError(source, f"file is {size / 1048576:.0f} MB; reports over {limit // 1048576} MB are refused")
    fmt = detect_format(path)
    data = path.read_bytes()
    if fmt in ("pdf", "html", "docx"):
        from . import readers

        raw, warnings = readers.extract(path, data, fmt)
        text_fmt = "markdown" if fmt in ("html", "docx") else "text"
        text = normalise(raw, text_fmt)
        doc = Document(source=source, text=text, format=fmt, sha256=sha256_bytes(data), warnings=warnings)
    else:
        if looks_binary(data):
            raise ReportError(source, "binary data, not a text report (supported: .txt .md .pdf .html .docx)")
        doc = read_text(decode(data, source), source=source, fmt=fmt, sha256=sha256_bytes(data))
    if not doc.text.strip():
        raise ReportError(source, "no text found")
    return doc


def read_text(raw: str, source: str = "<text>", fmt: str = "text", sha256: str | None = None) -> Document:
    if fmt == "text" and _looks_markdown(raw):
        fmt = "markdown"
    text = normalise(raw, fmt)
    return Document(source=source, text=text, format=fmt,
                    sha256=sha256 or sha256_bytes(raw.encode("utf-8")))


MD_HEADING_LINE_RE = re.compile(r"^#{1,4} \S", re.M)


def _looks_markdown(raw: str) -> bool:
    sample = raw[:20000]
    return ("#" in sample and bool(MD_HEADING_LINE_RE.search(sample))) or sample.count("**") >= 4 or "<b>" in sample


# ---------------------------------------------------------------------------- normalisation


def clean_chars(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # each replacement only where its character occurs: a search for one character is cheaper than
    # a replace() that finds none (which counts the whole text for a longer replacement)
    for lig, rep in LIGATURES.items():
        if lig in text:
            text = text.replace(lig, rep)
    for char, rep in CHAR_REPLACEMENTS:  # the same as text.translate(CHAR_TABLE)
        if char in text:
            text = text.replace(char, rep)
    if "&" in text:
        text = GLUED_AMPERSAND_RE.sub("& ", text)  # "&Shropshire" -> "& Shropshire"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\f", "\n\f\n") if "\f" in text else text


SUP_ORDINAL_RE = re.compile(r"\s*<sup>\s*(st|nd|rd|th)\s*</sup>", re.I)
INLINE_TAG_RE = re.compile(r"</?(?:b|strong|i|em|u|sup|sub|span|br|p|div)[^>]*>", re.I)
MD_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
MD_LINK_RE = re.compile(r"\[([^\]]+)\]\([^)]*\)")
MD_STRONG_RE = re.compile(r"\*\*|__")
MD_EM_STAR_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
MD_EM_UNDERSCORE_RE = re.compile(r"(?<!\w)_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)")
MD_ESCAPE_RE = re.compile(r"\\[\\`*_{}\[\]()#+\-.!]")


def strip_markdown(line: str) -> str:
    """Remove inline Markdown/HTML markup from one line, keep its words. (Each pattern is tried only when
    the line holds a character every match of it needs: most lines have no markup.)"""
    if "<" in line:
        line = SUP_ORDINAL_RE.sub(r"\1", line)
        line = INLINE_TAG_RE.sub("", line)
    if "[" in line:
        line = MD_IMAGE_RE.sub("", line)
        line = MD_LINK_RE.sub(r"\1", line)
    if "*" in line or "_" in line:
        line = MD_STRONG_RE.sub("", line)
        line = MD_EM_STAR_RE.sub(r"\1", line)
        line = MD_EM_UNDERSCORE_RE.sub(r"\1", line)
    line = line.replace("\\", "") if "\\" in line and MD_ESCAPE_RE.search(line) else line
    line = line.replace("`", "")
    return line


def normalise(raw: str, fmt: str = "text") -> str:
    """Normalise report text to one block per line (see module docstring)."""
    text = clean_chars(raw)
    lines = text.split("\n")
    if fmt == "markdown":
        blocks = [(MULTI_SPACE_RE.sub(" ", b) if "  " in b else b).strip() for b in _markdown_blocks(lines)]
    else:
        # _text_blocks joins stripped lines whose white space it made single spaces: its blocks are
        # already so (tested), with nothing to strip
        blocks = _text_blocks(_drop_page_furniture(lines))
    out = [b for b in blocks if b and not RULE_ONLY_RE.fullmatch(b)]
    return "\n".join(out) + "\n"


MD_RULE_RE = re.compile(r"(?:-{3,}|\*{3,}|_{3,})")
MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
MD_BOLD_ROW_RE = re.compile(r"^\s*<b>")
MD_BULLET_RE = re.compile(r"^\s*(?:[-*+•]|\d+\))\s+(.*)$")
MD_NUMBERED_RE = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+\S")


def _markdown_blocks(lines: list[str]) -> list[str]:
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(" ".join(s.strip() for s in current))
            current.clear()

    for line in lines:
        if line.strip() == "\f":
            continue
        stripped = line.strip()
        if not stripped or MD_RULE_RE.fullmatch(stripped):
            flush()
            continue
        m = MD_HEADING_RE.match(line) if "#" in line else None
        if m:
            flush()
            blocks.append(strip_markdown(m.group(1)))
            continue
        if "\t" in line or MD_BOLD_ROW_RE.match(line):  # front-matter table rows / tab-separated rows
            flush()
            blocks.append(strip_markdown(line.replace("\t", "  ")))
            continue
        body = strip_markdown(line)
        bullet = MD_BULLET_RE.match(body)
        numbered = MD_NUMBERED_RE.match(body)
        if bullet:
            flush()
            item = bullet.group(1).strip()
            if item:
                current.append(item)
            continue
        if numbered or HEADING_RE.match(body.strip()):
            flush()
        current.append(body)
    flush()
    return blocks


def _drop_page_furniture(lines: list[str]) -> list[str]:
    """Remove running headers/footers and page numbers of PDF-extracted text.

    A page number line ("Page 12 of 31", "12") is furniture. A line is a running header/footer when
    the same text recurs on several pages next to page breaks (within three lines of a page number
    line or a form feed). Nothing else is removed.
    """
    n = len(lines)
    stripped = [ln.strip() for ln in lines]
    # a page number line is short and (stripped) ends in its number: only those are searched
    breaks = [i for i, s in enumerate(stripped) if s == "\f" or (s and len(s) < 140 and s[-1].isdecimal()
                                                                  and PAGE_NUMBER_RE.search(s) and _is_page_line(s))]
    break_set = set(breaks)
    near_idx: set[int] = set()
    for i in breaks:
        for j in range(max(0, i - 3), min(n, i + 4)):
            if stripped[j] and j not in break_set:
                near_idx.add(j)
    near: dict[str, int] = {}  # distinct occurrences of a line next to a page break
    for j in near_idx:
        near[stripped[j]] = near.get(stripped[j], 0) + 1
    total: dict[str, int] = {}
    for s in stripped:
        if s in near:
            total[s] = total.get(s, 0) + 1
    # a running header/footer recurs next to page breaks, and (almost) only there: a sentence of the
    # report that happens to sit by a break twice (a recommendation repeated for several groups) is not;
    # only its occurrences by a break are dropped (before the first break: the cover page)
    needed = max(2, len(breaks) // 4)
    running = {s for s, c in near.items() if c >= needed and c >= 0.7 * total[s] and len(s) < 160
               and not PARA_NUMBER_RE.match(s)}
    first_break = breaks[0] if breaks else n
    drop = set(break_set)
    for i, s in enumerate(stripped):
        if s in running and (i in near_idx or i < first_break):
            drop.add(i)
    # a page-number line may carry the running header before it: "Review of ... in X   Page 3 of 9"
    return [("" if i in drop else ln) if not (i in drop and stripped[i] == "\f") else "" for i, ln in enumerate(lines)]


def _is_page_line(s: str) -> bool:
    if re.fullmatch(r"(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?", s, re.I):
        return True
    return bool(re.search(r"\bpage\s+\d+\s+of\s+\d+\s*$", s, re.I))


def _text_blocks(lines: list[str]) -> list[str]:
    """Join wrapped lines of PDF-extracted text into paragraphs.

    A line starts a new block when it is a heading, a bullet, a front-matter ``Label: value`` row,
    or a paragraph number ("1.5 Pregnant ...", even with a leading space left by a page break), unless
    the text so far leaves a parenthesis open or ends mid-marker (a wrapped "(Recommendations" /
    "1.3 and 6.2)" tail is a continuation, never a paragraph). Otherwise a line continues the current
    block when the block does not end a sentence, or when the line starts in lower case; blank lines
    (which PDF extraction scatters inside paragraphs) only end a block that ends a sentence.
    """
    blocks: list[str] = []
    current: list[str] = []
    blank_before = False
    seen_heading = False
    prev_len = 0
    lengths = sorted(len(ln.strip()) for ln in lines if len(ln.strip()) > 20)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 80

    # running state of the current block, so each line costs the same however long the block is
    depth = 0  # "(" minus ")" in the block
    has_should = False  # one of the block's first ``checked`` lines holds "should" / "must"
    checked = 0
    size = 0  # characters in the block

    def flush() -> None:
        nonlocal depth, has_should, checked, size
        if current:
            blocks.append(" ".join(current))
            current.clear()
        depth, has_should, checked, size = 0, False, 0, 0

    def add(line: str) -> None:
        nonlocal depth, size
        current.append(line)
        depth += line.count("(") - line.count(")")
        size += len(line) + (1 if size else 0)

    def block_has_should() -> bool:
        """A line of the block holds "should" / "must" (lines searched once each, and only when asked)."""
        nonlocal has_should, checked
        while not has_should and checked < len(current):
            has_should = bool(SHOULD_RE.search(current[checked]))
            checked += 1
        return has_should

    for raw in lines:
        s = raw.strip()
        if not s:
            blank_before = True
            continue
        if "  " in s or not s.isprintable():  # a run of spaces or other whitespace (all but " " is unprintable)
            s = " ".join(s.split())  # whitespace runs -> one space (str.split's whitespace is the regex's \s)
        open_paren = depth > 0
        # lines are stripped and joined with one space: a match at the block's end lies in its last line
        ends_mid_marker = bool(current) and bool(_search_end(ENDS_MID_MARKER_RE, current[-1], 15))
        is_number = bool(PARA_NUMBER_RE.match(s)) or bool(GROUP_HEADING_RE.match(s))
        is_heading = bool(HEADING_RE.match(s))
        is_bullet = bool(BULLET_RE.match(s)) and not is_number
        field_line = bool(FIELD_LINE_RE.match(s))
        is_field = field_line and (not current or blank_before or bool(FIELD_LINE_RE.match(current[0])))
        # in the front matter (before the first heading) a title line followed by a blank line ends
        if not seen_heading and blank_before and current and _titleish(current[-1]) and len(current) == 1:
            flush()
        short_prev = prev_len < 0.7 * width
        # a recommendation group heading runs until its "should:" ("1. A CCG, B &\nC Trust should:")
        head = " ".join(current[:2])  # the block's start (a number may stand alone on its first line)
        open_heading = bool(current) and bool(GROUP_HEADING_RE.match(head)) and not PARA_NUMBER_RE.match(
            head) and size < 400 and not block_has_should()
        if current and (open_paren or ends_mid_marker or open_heading) and not is_heading and not _number_follows(
                s, _Joined(current)) and not (open_heading and is_number):
            add(s)
        elif is_heading or is_number or is_bullet or is_field:
            flush()
            add(BULLET_RE.sub("", s, count=1) if is_bullet else s)
        elif not current:
            add(s)
        elif s[0].islower() or s[0] in ",;)–-":
            add(s)
        elif not short_prev and not _search_end(TERMINAL_RE, current[-1], 1):
            add(s)
        elif blank_before or short_prev or raw[:1].isspace():
            flush()
            add(s)
        else:
            add(s)
        blank_before = False
        prev_len = len(s)
        if is_heading:
            flush()
            seen_heading = True
    flush()
    return blocks


ENDS_MID_MARKER_RE = re.compile(r"(?:\b(?:recommendations?|and)|[,&])\s*$", re.I)
SHOULD_RE = re.compile(r"\b(?:should|must)\b", re.I)


def _search_end(pattern: re.Pattern[str], line: str, span: int) -> re.Match[str] | None:
    """``pattern.search(line)`` for a pattern anchored at the end (``...\\s*$``) whose match, trailing
    whitespace aside, is at most ``span`` characters long: only the line's tail is tried (a search from
    ``pos`` still sees the characters before it, for ``\\b``)."""
    return pattern.search(line, max(0, len(line.rstrip()) - span))


class _Joined:
    """The current block as one string, built only when a rule needs it."""

    def __init__(self, parts: list[str]) -> None:
        self.parts = parts
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            self._text = " ".join(self.parts)
        return self._text


def _number_follows(s: str, block: _Joined | str) -> bool:
    """A numbered line after an open parenthesis is a new paragraph only if the parenthesis is not a
    citation marker still being written ("(Recommendations" + "1.3 and 6.2)")."""
    joined = str(block)
    tail = joined[joined.rfind("(") :] if "(" in joined else ""
    if re.search(r"recommendation", tail, re.I):
        return False
    return bool(PARA_NUMBER_RE.match(s)) and bool(re.match(r"^\s*\d+(?:\.\d+)+\s+[A-Z]", s)) and len(tail) > 200


FIELD_LINE_RE = re.compile(r"^[A-Z][\w()/' ,]{2,60}:\s+\S")
SMALL_WORDS = {"and", "of", "for", "in", "the", "to", "on", "a", "an", "&"}


def _titleish(line: str) -> bool:
    """A title or heading line: short, no closing punctuation, most words capitalised."""
    if len(line) > 110 or TERMINAL_RE.search(line) or FIELD_LINE_RE.match(line):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if w.lower() not in SMALL_WORDS]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _starts_sentence(s: str) -> bool:
    return bool(re.match(r"^[A-Z“\"‘'(]", s))
