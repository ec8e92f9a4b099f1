"""Reading and normalisation (build/read.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clasgraph.build.errors import ReportError
from clasgraph.build.read import decode, normalise, read_file, strip_markdown


def test_pdf_text_wrapped_lines_join_and_footers_drop():
    raw = (
        "1.4 We visited the birth unit in the town which takes low risk \n"
        "\n"
        "cases only. The pathway was reported to be working well. \n"
        "\n"
        "\n"
        "Review of health services for Children Looked After and Safeguarding in Wexmoor \n"
        "  Page 3 of 9 \n"
        "\n"
        " 1.5 Pregnant women generally access maternity services at the trust through \n"
        "their GP practice. (Recommendations \n"
        "1.3 and 6.2) \n"
        "\n"
        "Review of health services for Children Looked After and Safeguarding in Wexmoor \n"
        "  Page 4 of 9 \n"
        "1.6 Next finding. \n"
    )
    lines = normalise(raw, "text").splitlines()
    assert lines[0] == ("1.4 We visited the birth unit in the town which takes low risk cases only. "
                        "The pathway was reported to be working well.")
    assert lines[1].startswith("1.5 Pregnant women") and lines[1].endswith("(Recommendations 1.3 and 6.2)")
    assert lines[2] == "1.6 Next finding."
    assert not any("Page" in ln or "Review of health services" in ln for ln in lines)


def test_markdown_markup_is_stripped_structure_kept():
    raw = (
        "# **Review of health services for Children Looked After and Safeguarding in Wexmoor**\n\n"
        "<b>Date of review:</b>\t1 <sup>st</sup> December 2014\n\n"
        "## Recommendations\n\n"
        "1. **Wexmoor CCG and Wexmoor NHS Foundation Trust should ensure:**\n"
        "  - 1.1 That a robust process is established\n"
        "- 1.2 That **training** is *monitored*\n"
        "- \n"
        "1.3 We saw this. (**Recommendation 1.2**)\n"
    )
    lines = normalise(raw, "markdown").splitlines()
    assert lines[0] == "Review of health services for Children Looked After and Safeguarding in Wexmoor"
    assert lines[1] == "Date of review: 1st December 2014"
    assert "Recommendations" in lines
    assert "1. Wexmoor CCG and Wexmoor NHS Foundation Trust should ensure:" in lines
    assert "1.1 That a robust process is established" in lines
    assert "1.2 That training is monitored" in lines
    assert "1.3 We saw this. (Recommendation 1.2)" in lines


def test_strip_markdown_inline_forms():
    assert strip_markdown("**(Recommendation 1.16)**") == "(Recommendation 1.16)"
    assert strip_markdown("see [CQC](mailto:x@y.z) <b>now</b>") == "see CQC now"


def test_decode_cp1252_and_bom_without_loss():
    assert decode("Children’s services – café".encode("cp1252"), "x") == "Children’s services – café"
    assert decode(b"\xef\xbb\xbfhello", "x") == "hello"
    assert decode(b"\x81ok", "x") == "\x81ok"  # an undefined cp1252 byte is kept, not dropped


@pytest.mark.parametrize("content,problem", [(b"", "empty file"), (b"\x00\x01\x02binary" * 50, "binary data")])
def test_bad_files_raise_one_clear_error(tmp_path, content, problem):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(ReportError) as err:
        read_file(p)
    assert problem in str(err.value) and "bad.txt" in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(ReportError, match="no such file"):
        read_file(tmp_path / "nope.txt")


WORDY = st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL .,;:()-•*#'’\"")), max_size=80)


@settings(max_examples=80, deadline=None)
@given(st.lists(WORDY, max_size=40), st.sampled_from(["text", "markdown"]))
def test_normalise_never_crashes_and_loses_no_words(lines, fmt):
    """Without page numbers there is no page furniture to drop: every letter of the input survives,
    in order (markup characters, line breaks and, in text, list markers such as "o " and "b) " — the
    bullet glyphs PDFs give as letters — may go)."""
    import re

    from clasgraph.build.read import BULLET_RE

    raw = "\n".join(lines)
    out = normalise(raw, fmt)
    kept = [BULLET_RE.sub("", line, count=1) for line in lines] if fmt == "text" else lines
    assert re.sub(r"[^A-Za-z]", "", out) == re.sub(r"[^A-Za-z]", "", "\n".join(kept))


def test_letter_list_markers_are_dropped_as_bullets():
    assert normalise("o :", "text") == ":\n"  # "o " at a line's start is a bullet glyph (PDF Symbol fonts)
    assert normalise("b) the health visitors", "text") == "the health visitors\n"
