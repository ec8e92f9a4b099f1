"""Unit tests of tests/variants.py: the variant reports the accuracy tests rely on are sound.

Renaming must leave no old name of a body or place behind, be deterministic for a seed and keep the
gold consistent with the text; the layout transforms must keep every recommendation number and every
citation, in the finding that makes it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import variants
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

DATA = Path(__file__).parent / "data"
REPORTS = sorted(p for p in (DATA / "corpus").iterdir() if p.suffix in (".md", ".txt"))


V = variants


def _report(path: Path) -> tuple[str, dict[str, Any]]:
    return path.read_text(encoding="utf-8"), json.loads((DATA / f"{path.stem}.json").read_text(encoding="utf-8"))


def _count(name: str, text: str) -> int:
    """Whole-word, case-sensitive occurrences of ``name``."""
    return len(re.findall(r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])", text))


@pytest.fixture(scope="module", params=REPORTS, ids=lambda p: p.stem)
def report(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    return _report(request.param)


# ------------------------------------------------------------------------------------------ rename


@pytest.mark.parametrize("seed", [1, 2])
def test_rename_leaves_no_old_name(report: tuple[str, dict[str, Any]], seed: int) -> None:
    text, gold = report
    r = V.build_renaming(text, gold, seed)
    new_text, new_gold = V.rename(text, gold, seed)
    assert norm_area(gold["area"]) != norm_area(new_gold["area"])
    assert not re.search(r"\b" + re.escape(gold["area"]) + r"\b", new_text, re.IGNORECASE)
    left = []
    for org in gold["organisations"]:
        if org["type"] not in V.RENAMED_TYPES:
            continue
        for name in [org["name"], *org.get("aliases", [])]:
            renamed = name in r.acronyms or any(t.lower() in r.words for t in V._tokens(name))
            if renamed and _count(name, new_text):
                left.append(name)
    for place in V.EXTRA_PLACES:
        if _count(place, text) and _count(place, new_text):
            left.append(place)
    assert not left, f"old names left in the renamed text: {left}"
    # and none of them survives in the gold either
    gold_names = {n for o in new_gold["organisations"] for n in [o["name"], *o.get("aliases", [])]}
    assert not gold_names & set(left)


def norm_area(s: str) -> str:
    return re.sub(r"\W+", " ", s).strip().lower()


def test_rename_is_deterministic_and_seeds_differ(report: tuple[str, dict[str, Any]]) -> None:
    text, gold = report
    a = V.rename(text, gold, 7)
    b = V.rename(text, gold, 7)
    c = V.rename(text, gold, 8)
    assert a == b
    assert a[0] != c[0]
    assert a[1]["area"] != c[1]["area"]


def test_rename_keeps_gold_consistent(report: tuple[str, dict[str, Any]]) -> None:
    text, gold = report
    new_text, new_gold = V.rename(text, gold, 3)
    assert [o["key"] for o in new_gold["organisations"]] == [o["key"] for o in gold["organisations"]]
    assert [(r["number"], r["responsible"]) for r in new_gold["recommendations"]] == \
        [(r["number"], r["responsible"]) for r in gold["recommendations"]]
    assert new_gold["citations"] == gold["citations"]
    # counted on the running text: footers out, line breaks folded (renamed PDF text is re-wrapped)
    flat_old, flat_new = _flat(text), _flat(new_text)
    for old, new in zip(gold["organisations"], new_gold["organisations"], strict=True):
        for a, b in zip([old["name"], *old.get("aliases", [])], [new["name"], *new.get("aliases", [])], strict=True):
            assert _count(b, flat_new) == _count(a, flat_old), f"{a!r} -> {b!r}"
    # recommendation texts follow the text: each renamed text occurs in the renamed report (folded)
    for r in new_gold["recommendations"]:
        assert _loose_in(r["text"], new_text), r["number"]


def _flat(text: str) -> str:
    lines = [ln for ln in text.split("\n") if not V._FOOTER_PAGE.match(ln) and not V._FOOTER_TITLE.match(ln)]
    return re.sub(r"\s+", " ", "\n".join(lines))


def _short_wrapped_lines(text: str) -> int:
    """Lines well short of the page width that a paragraph nevertheless continues after."""
    lines = [ln.strip() for ln in text.split("\n")]
    lengths = sorted(len(ln) for ln in lines if len(ln) > 20)
    width = lengths[int(len(lengths) * 0.9)]
    n = 0
    for i, ln in enumerate(lines):
        if not ln or len(ln) >= 0.7 * width or ln.endswith(V._END_PUNCT):
            continue
        nxt = next((x for x in lines[i + 1:i + 4] if x), "")
        if nxt[:1].isalpha() and not V._NUM_RE.match(nxt) and not V._FOOTER_TITLE.match(nxt):
            n += 1
    return n


@pytest.mark.parametrize("seed", [1, 2])
def test_renamed_pdf_text_stays_wrapped_like_a_pdf(seed: int) -> None:
    """Shorter names must not leave half-empty lines in the middle of paragraphs."""
    text, gold = _report(DATA / "corpus" / "staffordshire-2016.txt")
    new_text, _ = V.rename(text, gold, seed)
    assert _short_wrapped_lines(new_text) <= _short_wrapped_lines(text) + 2
    assert _marker_numbers(new_text) == _marker_numbers(text)


def _loose_in(needle: str, hay: str) -> bool:
    """Is ``needle`` in ``hay`` once running footers, markup and line breaks are gone?"""
    hay = "\n".join(ln for ln in hay.splitlines()
                    if not V._FOOTER_PAGE.match(ln) and not V._FOOTER_TITLE.match(ln))
    words = lambda s: re.findall(r"[A-Za-z0-9]+", s)  # noqa: E731
    return " ".join(words(needle)) in " ".join(words(hay))


def test_rename_changes_acronyms_defined_in_parentheses() -> None:
    text = ("Services are provided by Blackmoor and Edgefield NHS Partnership Trust (BEPT). "
            "BEPT also runs the Ridgeway Hospital. The Local Safeguarding Children Board (LSCB) met.")
    gold = {"area": "Blackmoor", "organisations": [
        {"key": "bept", "name": "Blackmoor and Edgefield NHS Partnership Trust", "type": "nhs_trust",
         "aliases": ["BEPT"]}], "sites": [{"name": "Ridgeway Hospital", "organisation": "bept"}]}
    new_text, new_gold = V.rename(text, gold, 1)
    new_acr = new_gold["organisations"][0]["aliases"][0]
    assert new_acr != "BEPT" and len(new_acr) == 4 and new_acr.endswith("PT")
    new_name = new_gold["organisations"][0]["name"]
    initials = "".join(w[0] for w in new_name.split() if w not in ("and", "NHS", "Trust"))
    assert new_acr[:2] == initials[:2]
    assert f"{new_name} ({new_acr})" in new_text
    assert "Ridgeway" not in new_text and "Blackmoor" not in new_text and "Edgefield" not in new_text
    assert "(LSCB)" in new_text  # not a renamed name: kept
    assert new_text.count(new_acr) == 2


def test_rename_handles_and_ampersand_and_hyphen_variants() -> None:
    text = ("Thornbury-on-Avon City Council and Thornbury on Avon Council work with "
            "Ashcombe & Thornbury on Avon CCG, also written Ashcombe and Thornbury-on-Avon CCG.")
    gold = {"area": "Thornbury on Avon", "organisations": [
        {"key": "c", "name": "Thornbury-on-Avon City Council", "type": "local_authority",
         "aliases": ["Thornbury on Avon Council"]},
        {"key": "g", "name": "Ashcombe and Thornbury on Avon CCG", "type": "ccg",
         "aliases": ["Ashcombe & Thornbury on Avon CCG"]}]}
    new_text, new_gold = V.rename(text, gold, 4)
    for old in ("Thornbury", "Avon", "Ashcombe"):
        assert old not in new_text
    assert "-on-" in new_text and " on " in new_text and "&" in new_text
    town = new_gold["area"].split(" on ")
    assert f"{town[0]}-on-{town[1]} City Council" in new_text


# ------------------------------------------------------------------------------------------ layout

def _marker_numbers(text: str) -> Counter[str]:
    """Every recommendation number named in a "(Recommendation ...)" marker, footers removed."""
    lines = [ln for ln in text.splitlines() if not V._FOOTER_PAGE.match(ln) and not V._FOOTER_TITLE.match(ln)]
    flat = re.sub(r"\s+", " ", re.sub(r"\*\*|</?b>", "", " ".join(lines)))
    out: Counter[str] = Counter()
    for m in V._MARKER_RE.finditer(flat):
        out.update(re.findall(r"\d+\.\d+", m.group(0)))
    return out


def _findings_and_recs(paragraphs: list[str]) -> tuple[dict[str, str], set[str]]:
    """Numbered findings (unnumbered continuation paragraphs attached) and recommendation numbers."""
    findings: dict[str, str] = {}
    recs: set[str] = set()
    last: str | None = None
    in_recs = False
    for p in paragraphs:
        p = re.sub(r"\*\*|^\s*-\s+|^#+\s+", "", p.strip())
        if not p or p == "---":
            continue
        if V._SECTION_RE.fullmatch(p):
            in_recs = p.lower() == "recommendations"
            last = None
            continue
        m = V._NUM_RE.match(p)
        if m and in_recs:
            recs.add(m.group(1))
        elif m:
            last = m.group(1)
            findings.setdefault(last, p)
        elif last and not in_recs:
            findings[last] += " " + p
    return findings, recs


def _check_layout(paragraphs: list[str], gold: dict[str, Any]) -> None:
    findings, recs = _findings_and_recs(paragraphs)
    assert recs >= {r["number"] for r in gold["recommendations"]}
    for c in gold["citations"]:
        body = findings.get(c["paragraph"], "")
        named = [n for m in V._MARKER_RE.findall(re.sub(r"\s+", " ", body)) for n in re.findall(r"\d+\.\d+", m)]
        assert set(c["recommendations"]) <= set(named), (c, named)
    texts = "\n".join(paragraphs)
    for r in gold["recommendations"]:
        assert _loose_in(r["text"], texts), r["number"]


def _md_paragraphs(md: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", md) if p.strip()]


def _pdf_paragraphs(text: str) -> list[str]:
    return [b.text for b in V._pdf_paragraphs(text)]


@pytest.mark.parametrize("seed", [0, 5])
def test_md_to_pdf_text_keeps_numbers_and_citations(seed: int) -> None:
    text, gold = _report(DATA / "corpus" / "stockport-2014.md")
    pdf, new_gold = V.md_to_pdf_text(text, gold, seed=seed)
    assert new_gold == gold
    assert _marker_numbers(pdf) == _marker_numbers(text)
    assert "**" not in pdf and "<b>" not in pdf and "<sup>" not in pdf and not re.search(r"^#", pdf, re.M)
    pages = re.findall(r"^\s*Page (\d+) of (\d+)\s*$", pdf, re.M)
    assert len(pages) >= 10 and all(int(b) == int(pages[0][1]) for _, b in pages)
    assert max(len(ln) for ln in pdf.splitlines() if not V._FOOTER_TITLE.match(ln)) <= 90
    assert re.search(r"^ \d+\.\d+ ", pdf, re.M), "a page break should glue a space before a number"
    assert "•" in pdf
    _check_layout(_pdf_paragraphs(pdf), gold)


@pytest.mark.parametrize("seed", [0, 5])
def test_pdf_text_to_md_keeps_numbers_and_citations(seed: int) -> None:
    text, gold = _report(DATA / "corpus" / "staffordshire-2016.txt")
    md, new_gold = V.pdf_text_to_md(text, gold, seed=seed)
    assert new_gold == gold
    assert _marker_numbers(md) == _marker_numbers(text)
    assert not re.search(r"Page \d+ of \d+", md)
    assert re.search(r"^## Recommendations$", md, re.M)
    assert re.search(r"^\s*- \d+\.\d+ ", md, re.M)
    assert re.search(r"\*\*\(Recommendations? [^)]*\)\*\*|\(\*\*Recommendations? ", md)
    _check_layout(_md_paragraphs(md), gold)


def test_md_to_pdf_text_one_line_footer() -> None:
    text, gold = _report(DATA / "corpus" / "stockport-2014.md")
    pdf, _ = V.md_to_pdf_text(text, gold, footer="one-line")
    footers = re.findall(r"^Review of health services .* in (\S+) +Page (\d+) of (\d+) *$", pdf, re.M)
    assert len(footers) >= 10 and {f[0] for f in footers} == {gold["area"]}
    assert not re.search(r"^\s*Page \d+ of \d+\s*$", pdf, re.M)
    assert _marker_numbers(pdf) == _marker_numbers(text)
    _check_layout(_pdf_paragraphs(pdf), gold)
    with pytest.raises(ValueError):
        V.md_to_pdf_text(text, gold, footer="sideways")


def test_layouts_compose_with_renaming() -> None:
    text, gold = _report(DATA / "corpus" / "staffordshire-2016.txt")
    rt, rg = V.rename(text, gold, 2)
    md, mg = V.pdf_text_to_md(rt, rg)
    assert mg == rg
    _check_layout(_md_paragraphs(md), rg)
    text, gold = _report(DATA / "corpus" / "stockport-2014.md")
    rt, rg = V.rename(text, gold, 2)
    pdf, pg = V.md_to_pdf_text(rt, rg)
    assert f"Safeguarding in {rg['area']}" in pdf and gold["area"] not in pdf
    _check_layout(_pdf_paragraphs(pdf), rg)


# ------------------------------------------------------------------------------------ properties

_PLACE = st.builds(lambda a, b: (a + b).capitalize(),
                   st.sampled_from(["brad", "cul", "dern", "fol", "gart", "hask", "lum", "mor", "quen", "tav"]),
                   st.sampled_from(["ridge", "ington", "sey", "wick", "borne", "thwaite", "minster", "hope"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=_PLACE, b=_PLACE, seed=st.integers(0, 10_000), amp=st.booleans(), hyphen=st.booleans())
def test_rename_property_synthetic_reports(a: str, b: str, seed: int, amp: bool, hyphen: bool) -> None:
    """Invented reports: every place-derived name, and its acronym, is gone and renamed consistently."""
    assume(a != b and a[0] != "L")  # "L...shire Safeguarding Children Board (LSCB)" would really be a's acronym
    joint = f"{a} {'&' if amp else 'and'} {b}"
    trust = f"{joint} NHS Foundation Trust"
    acr = f"{a[0]}{b[0]}FT"
    b_on = f"{b}-on-Sea" if hyphen else f"{b} on Sea"
    text = (f"Review of health services for Children Looked After and Safeguarding in {a}\n"
            f"{a} CCG commissions health visiting. Services are provided by {trust} ({acr}).\n"
            f"{acr} also runs clinics in {b_on}. The {a} Safeguarding Children Board (LSCB) met in "
            f"{b}. {a} CCG and {acr} should:\n1.1 Work with {b} Council.\n")
    gold = {"area": a, "organisations": [
        {"key": "ccg", "name": f"{a} CCG", "type": "ccg", "aliases": []},
        {"key": "ft", "name": trust, "type": "foundation_trust", "aliases": [acr]},
        {"key": "council", "name": f"{b} Council", "type": "local_authority", "aliases": []}],
        "commissioning": [{"commissioner": "ccg", "service": "health-visiting", "scope": b_on}],
        "recommendations": [{"number": "1.1", "responsible": ["ccg", "ft"], "text": f"Work with {b} Council."}]}
    new_text, new_gold = V.rename(text, gold, seed)
    for old in (a, b, acr):
        assert not re.search(r"(?<![A-Za-z])" + re.escape(old) + r"(?![A-Za-z])", new_text), (old, new_text)
    new_acr = new_gold["organisations"][1]["aliases"][0]
    assert new_acr.endswith("FT") and new_acr != acr and new_text.count(new_acr) == 3
    assert f"{new_gold['organisations'][1]['name']} ({new_acr})" in new_text
    assert new_gold["area"] in new_text and "(LSCB)" in new_text
    assert new_gold["recommendations"][0]["text"] in new_text
    assert new_gold["commissioning"][0]["scope"] in new_text
    assert bool(re.search(r"[a-z]-on-[A-Z]", new_text)) == hyphen
    assert new_text == V.rename(text, gold, seed)[0]
