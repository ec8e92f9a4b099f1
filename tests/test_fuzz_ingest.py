"""Fuzzing the reader and segmenter: random and mutated report text never crashes them and never loses
a numbered recommendation silently. Also: damaged PDF, HTML and .docx bytes give a ReportError or text,
never another exception.

Reports are generated (random area, bodies, findings and recommendations), so nothing here depends on
the corpus reports; mutations are shuffled findings, stray page headers/footers, deleted and duplicated
paragraphs, PDF-style wrapping with blank lines, and unicode noise (no-break and zero-width spaces,
ligatures, accents, dashes, emoji) inside the text.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import synth_reports
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clasgraph.build import read, readers
from clasgraph.build.errors import ReportError
from clasgraph.build.pipeline import extract_text
from clasgraph.build.recommendations import parse_recommendations
from clasgraph.build.segment import segment

WORDS = ("assessment health children looked after safeguarding plan review team services practice staff "
         "visits records supervision training referral carers young people school nurses midwives quality "
         "timely effective robust oversight pathway information sharing families consent needs support").split()
PLACES = ("Ashby", "Brackenford", "Calderwick", "Dunmore", "Eastholme", "Fernley", "Greywater", "Harrowdale")
NOISE = ("\u00a0", "\u200b", "\ufb01", "é", "—", "’", "\u0301", "😀", "\t", "ñ", "\u2009")
TITLE = "Review of health services for Children Looked After and Safeguarding in"

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def sentence(rnd: random.Random, n: int | None = None) -> str:
    words = [rnd.choice(WORDS) for _ in range(n or rnd.randint(8, 30))]
    return (" ".join(words)).capitalize() + "."


def make_report(seed: int) -> tuple[str, list[tuple[str, str]], list[str], str]:
    """(area, narrative paragraphs [(number, text)], recommendation lines, recommendations heading)."""
    rnd = random.Random(seed)
    area = rnd.choice(PLACES)
    paras: list[tuple[str, str]] = []
    for sec in range(1, 5):
        for i in range(1, rnd.randint(2, 5)):
            cite = f" (Recommendation {rnd.randint(1, 2)}.{rnd.randint(1, 3)})" if rnd.random() < 0.4 else ""
            paras.append((f"{sec}.{i}", sentence(rnd) + " " + sentence(rnd) + cite))
    rec_lines: list[str] = []
    bodies = [f"{area} CCG", f"{area} NHS Foundation Trust", f"{area} Council"]
    for g in range(1, rnd.randint(2, 4)):
        who = " and ".join(rnd.sample(bodies, rnd.randint(1, 2)))
        rec_lines.append(f"{g}. {who} should{rnd.choice(['', ' ensure'])}:")
        for i in range(1, rnd.randint(2, 7)):
            rec_lines.append(f"{g}.{i} {rnd.choice(['That', 'Ensure', 'Work with partners so'])} {sentence(rnd).lower()}")
    return area, paras, rec_lines, "Recommendations"


def render(area: str, paras: list[tuple[str, str]], rec_lines: list[str]) -> list[str]:
    lines = [f"{TITLE} {area}", "Summary of the review", sentence(random.Random(1), 20),
             "About the review", sentence(random.Random(2), 25), "The child’s journey"]
    heads = {"1": "Early help", "2": "Children in need", "3": "Child protection", "4": "Looked after children"}
    seen: set[str] = set()
    for num, text in paras:
        sec = num.split(".")[0]
        if sec not in seen:
            seen.add(sec)
            lines.append(heads[sec])
        lines.append(f"{num} {text}")
    lines.append("Recommendations")
    lines.extend(rec_lines)
    lines += ["Next steps", "An action plan addressing the recommendations above is required within 20 working days."]
    return lines


def noisy(rnd: random.Random, line: str) -> str:
    """Unicode noise inside the text, never inside the leading paragraph number."""
    m = re.match(r"^(\d+(?:\.\d+)*\.?\s+)", line)
    head, body = (m.group(1), line[m.end():]) if m else ("", line)
    words = body.split(" ")
    for _ in range(rnd.randint(1, 4)):
        i = rnd.randrange(len(words))
        words[i] = words[i] + rnd.choice(NOISE) if rnd.random() < 0.5 else rnd.choice(NOISE) + words[i]
    return head + " ".join(words)


def wrap(rnd: random.Random, line: str) -> list[str]:
    """Lay a paragraph out as PDF-extracted text: wrapped at ~80 columns, blank lines scattered inside."""
    out, cur = [], ""
    for w in line.split(" "):
        if len(cur) + len(w) > rnd.randint(60, 90) and cur:
            out.append(cur + " ")
            if rnd.random() < 0.15:
                out.append(" ")
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    out.append(cur)
    return out


def add_footers(rnd: random.Random, lines: list[str], area: str, min_page: int) -> list[str]:
    """Running footers at page breaks placed at random, pages at least ``min_page`` lines long."""
    breaks, at = [], 0
    while True:
        at += rnd.randint(min_page, min_page * 2)
        if at >= len(lines):
            break
        breaks.append(at)
    n = len(breaks)
    for k, at in reversed(list(enumerate(breaks))):
        footer = [f"{TITLE} {area} ", f"  Page {k + 1} of {n} "] if rnd.random() < 0.5 else \
            [f"{TITLE} {area}   Page {k + 1} of {n}"]
        lines[at:at] = footer
    return lines


@st.composite
def mutated_reports(draw: st.DrawFn) -> tuple[str, set[str]]:
    seed = draw(st.integers(0, 10**6))
    rnd = random.Random(seed)
    area, paras, rec_lines, _ = make_report(seed)
    if draw(st.booleans()):  # shuffled findings
        rnd.shuffle(paras)
        paras.sort(key=lambda p: p[0].split(".")[0])  # keep them inside their own section
    if draw(st.booleans()):  # deleted and duplicated findings
        paras = [p for p in paras if rnd.random() > 0.2] or paras[:1]
        for p in rnd.sample(paras, min(2, len(paras))):
            paras.insert(paras.index(p), p)
    expected_lines = list(rec_lines)
    if draw(st.booleans()):  # deleted and duplicated recommendations
        items = [ln for ln in expected_lines if re.match(r"^\d+\.\d+ ", ln)]
        gone = {ln for ln in items if rnd.random() < 0.2}
        expected_lines = [ln for ln in expected_lines if ln not in gone]
        dup = [ln for ln in expected_lines if re.match(r"^\d+\.\d+ ", ln)][:1]
        for ln in dup:
            expected_lines.insert(expected_lines.index(ln) + 1, ln)
    lines = render(area, paras, expected_lines)
    if draw(st.booleans()):  # unicode noise
        lines = [noisy(rnd, ln) if rnd.random() < 0.3 and len(ln) > 30 else ln for ln in lines]
    layout = draw(st.sampled_from(["paragraphs", "wrapped"]))
    if layout == "wrapped":
        lines = [piece for ln in lines for piece in wrap(rnd, ln)]
    if draw(st.booleans()):  # stray running headers / footers, also inside paragraphs
        lines = add_footers(rnd, lines, area, min_page=draw(st.integers(8, 30)))
    expected = {ln.split(" ", 1)[0] for ln in expected_lines if re.match(r"^\d+\.\d+ ", ln)}
    return "\n".join(lines) + "\n", expected


@SETTINGS
@given(mutated_reports())
def test_reader_and_segmenter_lose_no_recommendation(case: tuple[str, set[str]]) -> None:
    text, expected = case
    doc = read.read_text(text, source="fuzz.txt")
    structure = segment(doc.text)
    _groups, recs, warnings = parse_recommendations(structure.recommendation_lines)
    got = {r.number for r in recs}
    missing = expected - got
    assert not missing, f"recommendations lost: {sorted(missing)}; warnings: {warnings}"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_reports())
def test_whole_pipeline_survives_mutations(case: tuple[str, set[str]]) -> None:
    text, expected = case
    ex = extract_text(text, source="fuzz.txt")
    got = {r.number for r in ex.recommendations}
    assert expected <= got
    for c in ex.citations:  # every citation resolves or is kept as unresolved (and warned about)
        assert set(c.numbers) <= got | set(c.unresolved)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6))
def test_short_pages_keep_their_headings(seed: int) -> None:
    rnd = random.Random(seed)
    area, paras, rec_lines, _ = make_report(seed)
    lines = add_footers(rnd, render(area, paras, rec_lines), area, min_page=2)
    structure = segment(read.read_text("\n".join(lines), source="short-pages.txt").text)
    _g, recs, _w = parse_recommendations(structure.recommendation_lines)
    expected = {ln.split(" ", 1)[0] for ln in rec_lines if re.match(r"^\d+\.\d+ ", ln)}
    assert expected <= {r.number for r in recs}


@SETTINGS
@given(st.text(max_size=3000))
def test_reader_and_segmenter_take_any_text(text: str) -> None:
    doc = read.read_text(text, source="noise.txt")
    structure = segment(doc.text)
    parse_recommendations(structure.recommendation_lines)


# ------------------------------------------------------------------------- damaged binary input


@pytest.fixture(scope="module")
def small_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for i in range(1, 30):
        pdf.multi_cell(0, 5, f"1.{i} Health visitors saw the children at home and recorded the visit. " * 2,
                       new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@SETTINGS
@given(data=st.data())
def test_damaged_pdf_gives_report_error_or_text(small_pdf: bytes, data: st.DataObject) -> None:
    b = bytearray(small_pdf)
    kind = data.draw(st.sampled_from(["truncate", "flip", "splice"]))
    if kind == "truncate":
        b = b[: data.draw(st.integers(0, len(b)))]
    elif kind == "flip":
        for _ in range(data.draw(st.integers(1, 40))):
            i = data.draw(st.integers(0, len(b) - 1))
            b[i] = data.draw(st.integers(0, 255))
    else:
        i = data.draw(st.integers(0, len(b)))
        b[i:i] = data.draw(st.binary(max_size=200))
    try:
        text, warnings = readers.extract_pdf(bytes(b), "damaged.pdf")
    except ReportError as exc:
        assert str(exc).startswith("damaged.pdf: ")
        assert "\n" not in str(exc)
    else:
        assert isinstance(text, str) and isinstance(warnings, list)


@SETTINGS
@given(st.binary(max_size=4000), st.sampled_from(["html", "docx", "pdf"]))
def test_random_bytes_never_crash_readers(data: bytes, fmt: str) -> None:
    try:
        readers.extract(Path(f"junk.{fmt}"), data, fmt)
    except ReportError as exc:
        assert "\n" not in str(exc)


@SETTINGS
@given(st.text(max_size=2000))
def test_html_reader_takes_any_markup(text: str) -> None:
    html = f"<html><body><main><h1>{text[:50]}</h1><p>{text}</p><ul><li>{text[::-1]}</li></ul></main></body></html>"
    try:
        out, _ = readers.extract_html(html.encode("utf-8", "surrogatepass"), "page.html")
    except ReportError:
        return
    except UnicodeEncodeError:
        return
    assert "<li>" not in out and "<p>" not in out


# ------------------------------------------------------------------------- PDF layouts


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), body_size=st.sampled_from([9, 10, 11, 12]),
       para_gap=st.sampled_from([0.0, 1.0, 2.6, 6.0]), running_header=st.booleans(), footer_title=st.booleans(),
       hyphenate=st.booleans(), core_font=st.booleans())
def test_pdf_layouts_lose_no_recommendation(tmp_path_factory: pytest.TempPathFactory, seed: int, body_size: int,
                                            para_gap: float, running_header: bool, footer_title: bool,
                                            hyphenate: bool, core_font: bool) -> None:
    area, paras, rec_lines, _ = make_report(seed)
    text = "\n".join(render(area, paras, rec_lines)) + "\n"
    path = tmp_path_factory.mktemp("pdf") / "r.pdf"
    synth_reports.render_pdf(text, path, area=area, seed=seed, body_size=body_size, para_gap=para_gap,
                        running_header=running_header, footer_title=footer_title, hyphenate=hyphenate,
                        core_font=core_font)
    doc = read.read_file(path)
    assert not re.search(r"Page \d+ of \d+", doc.text)
    structure = segment(doc.text)
    _g, recs, _w = parse_recommendations(structure.recommendation_lines)
    expected = {ln.split(" ", 1)[0] for ln in rec_lines if re.match(r"^\d+\.\d+ ", ln)}
    assert expected <= {r.number for r in recs}
    assert [p.number for p in structure.findings] == [n for n, _ in paras]
