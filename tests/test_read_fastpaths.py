"""The readers' fast paths give exactly what the plain forms they stand for give.

Reading was sped up by skipping work that cannot change the result (a replace per character present
instead of a translate, end-anchored patterns searched from the line's tail, markup patterns tried only
when their characters occur, a PDF character lookup without tolerance first). Each fast path is checked
here against the plain form, on generated text that is dense in the characters that matter.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import synth_reports
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clasgraph.build import read, readers

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# characters the normalisation treats specially, and enough ordinary ones to make words and markers
SPECIAL = "".join(read.LIGATURES) + "".join(map(chr, read.CHAR_TABLE)) + "".join(map(chr, readers.SYMBOL_BULLETS))
ALPHABET = (SPECIAL + "\x02\ufffe\r\n\f\x0b\x1c\x85\u2028\u205f \t&*_[]()!<>#`\\.,;:?'\"’”-–•"
            "abcdASDKR0123 \u0130\u212a\u017fé\u0301")
texts = st.text(alphabet=ALPHABET, max_size=200)
WORDS = ["recommendation", "Recommendations", "and", "AND", "should", "must", "ſhould", "page", "of", "12", "3",
         "<b>", "</b>", "<sup>", "st", "</sup>", "**", "*", "_", "[x](y)", "![i](j)", "\\*", "`", "&", "&A", ",",
         ".", ")", "”", " ", "  ", "\t", "\u00a0", "\u2009", "-"]
lines = st.lists(st.sampled_from(WORDS), max_size=25).map("".join) | texts
MARKUP = ["a", "b", "C", " ", " ", "*", "_", "**", "__", "[", "]", "(", ")", "!", "<b>", "</B>", "<sup>", "st", "</sup>",
          "<span x>", "`", "\\", ".", "#", "\t"]
markup_lines = st.lists(st.sampled_from(MARKUP), max_size=30).map("".join)


def plain_clean_chars(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    for lig, rep in read.LIGATURES.items():
        text = text.replace(lig, rep)
    text = text.translate(read.CHAR_TABLE)
    text = re.sub(r"(?<=\s)&(?=[A-Z])", "& ", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\f\n")


def plain_strip_markdown(line: str) -> str:
    line = re.sub(r"\s*<sup>\s*(st|nd|rd|th)\s*</sup>", r"\1", line, flags=re.I)
    line = re.sub(r"</?(?:b|strong|i|em|u|sup|sub|span|br|p|div)[^>]*>", "", line, flags=re.I)
    line = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", line)
    line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)
    line = re.sub(r"\*\*|__", "", line)
    line = re.sub(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"\1", line)
    line = re.sub(r"(?<!\w)_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)", r"\1", line)
    line = line.replace("\\", "") if "\\" in line and re.search(r"\\[\\`*_{}\[\]()#+\-.!]", line) else line
    return line.replace("`", "")


def plain_fix_chars(text: str) -> str:
    for lig, rep in readers.LIGATURES.items():
        text = text.replace(lig, rep)
    text = text.translate(readers.SYMBOL_BULLETS)
    return text.replace("\x02", "-").replace("\ufffe", "-").replace("\r", "")


@SETTINGS
@given(texts)
def test_clean_chars_is_the_translate_form(text: str) -> None:
    assert read.clean_chars(text) == plain_clean_chars(text)


@SETTINGS
@given(markup_lines | lines)
def test_strip_markdown_is_the_unguarded_form(line: str) -> None:
    assert read.strip_markdown(line) == plain_strip_markdown(line)


@SETTINGS
@given(texts)
def test_fix_chars_is_the_replace_form(text: str) -> None:
    assert readers.fix_chars(text) == plain_fix_chars(text)


@SETTINGS
@given(lines)
def test_end_anchored_searches_from_the_tail(line: str) -> None:
    for pattern, span in ((read.ENDS_MID_MARKER_RE, 15), (read.TERMINAL_RE, 1)):
        fast, full = read._search_end(pattern, line, span), pattern.search(line)
        assert (fast and fast.span()) == (full and full.span())


@SETTINGS
@given(lines)
def test_whitespace_collapse_and_page_number_precheck(line: str) -> None:
    s = line.strip()
    if not s:
        return
    collapsed = " ".join(s.split()) if "  " in s or not s.isprintable() else s
    assert collapsed == re.sub(r"\s+", " ", s)
    if read.PAGE_NUMBER_RE.search(s):  # a page-number line ends in a digit once stripped
        assert s[-1].isdecimal()


@SETTINGS
@given(st.binary(max_size=300) | st.lists(st.integers(0, 40), max_size=9000).map(bytes))
def test_control_byte_count(data: bytes) -> None:
    head = data[:8192]
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    assert read.looks_binary(data) == (b"\x00" in head or control > max(8, len(head) // 50))


@pytest.mark.parametrize("hyphenate", [True, False])
def test_pdf_character_lookup_without_tolerance_first(tmp_path: Path, hyphenate: bool) -> None:
    """PDFium's lookup without tolerance finds the same character as the one with tolerance whenever it
    finds one (both return the first character whose box holds the point)."""
    import pypdfium2 as pdfium

    text = synth_reports.generated_report(7, area="Ashby")
    path = synth_reports.render_pdf(text, tmp_path / "r.pdf", area="Ashby", hyphenate=hyphenate, core_font=not hyphenate)
    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        checked = 0
        for i in range(len(pdf)):
            tp = pdf[i].get_textpage()
            for r in range(tp.count_rects()):
                left, bottom, _right, top = tp.get_rect(r)
                x, y = left + 0.5, (top + bottom) / 2
                fast = tp.get_index(x, y, 0, 0)
                if fast is not None and fast != -1:
                    assert fast == tp.get_index(x, y, 2.0, max(1.0, (top - bottom) / 2))
                    checked += 1
            tp.close()
        assert checked > 50
    finally:
        pdf.close()
