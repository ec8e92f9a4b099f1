"""The extraction pipeline for one report: read -> segment -> extract -> resolve -> ``Extraction``.

    from clasgraph.build.pipeline import extract_file
    ex = extract_file("examples/reports/stockport-2014.md")

Raises ``ReportError`` (one line naming the file and the problem) for input that is not a CLAS
report; recoverable oddities (a report without recommendations, a citation of a recommendation
that does not exist) are kept as warnings on the Extraction, never dropped silently.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import services
from .citations import extract_citations
from .commissioning import extract_arrangements
from .errors import ReportError
from .gaps import extract_gaps
from .model import Document, Extraction, Recommendation, RecommendationGroup, Structure
from .organisations import OrgIndex, build_org_index, split_bodies
from .read import read_file, read_text
from .recommendations import parse_recommendations
from .segment import segment
from .themes import find_recurring, tag_themes


def extract_file(path: Path | str, max_bytes: int | None = None) -> Extraction:
    """Read and extract one report file (``max_bytes``: refuse larger files; default read.MAX_BYTES)."""
    return extract_document(read_file(path, max_bytes=max_bytes))


def extract_text(text: str, source: str = "<text>", fmt: str = "text") -> Extraction:
    return extract_document(read_text(text, source=source, fmt=fmt))


def extract_document(doc: Document) -> Extraction:
    services.start_document()
    structure = segment(doc.text)
    _check_is_report(doc, structure)
    warnings = list(doc.warnings)
    groups, recs, rec_warnings = parse_recommendations(structure.recommendation_lines)
    warnings += rec_warnings
    if structure.section("recommendations") is None:
        warnings.append("no recommendations section found")
    elif not recs:
        warnings.append("the recommendations section holds no numbered recommendations")
    orgs = build_org_index(structure)
    for name in structure.meta.ccgs_included + structure.meta.providers_included:
        key = orgs.resolve(name)
        if key:
            orgs.addressed.add(key)
    warnings += assign_responsibility(groups, recs, orgs)
    known = {r.number for r in recs}
    citations = extract_citations(structure.findings, known)
    for c in citations:
        for n in c.unresolved:
            warnings.append(f"finding {c.finding} cites recommendation {n}, which the report does not have")
    ex = Extraction(document=doc, structure=structure, groups=groups, recommendations=recs, citations=citations,
                    organisations=[], warnings=warnings)
    _extract_relations(ex, structure, orgs)
    ex.organisations = sorted(orgs.organisations.values(), key=lambda o: o.key)
    ex.warnings = [f"{Path(doc.source).name}: {w}" for w in ex.warnings]
    return ex


def _check_is_report(doc: Document, structure: Structure) -> None:
    keys = {s.key for s in structure.sections}
    signals = len(keys & {"summary", "about", "method", "context", "journey", "management", "recommendations"})
    lowered = doc.text[:20000].lower()
    clas_words = ("looked after" in lowered or "looked-after" in lowered) and "safeguarding" in lowered
    if signals < 2 and not (clas_words and structure.findings):
        raise ReportError(doc.source, "not a CLAS report (no review sections, numbered findings or recommendations found)")


def assign_responsibility(groups: list[RecommendationGroup], recs: list[Recommendation], orgs: OrgIndex) -> list[str]:
    """Resolve each group heading's bodies to organisation keys and give them to its recommendations."""
    warnings: list[str] = []
    by_group: dict[str, list[str]] = {}
    for g in groups:  # first pass: the bodies named outright (they tell which CCGs are the area's)
        for text in g.bodies:
            for name in split_bodies(text):
                if not _is_collective(name):
                    key = orgs.resolve(name)
                    if key:
                        orgs.addressed.add(key)
    for g in groups:
        keys: list[str] = []
        for text in g.bodies:
            for name in split_bodies(text):
                found = orgs.expand_collective(name) if _is_collective(name) else []
                if not found:
                    key = orgs.resolve(name)
                    if key is None:
                        key = orgs.ensure(name, source="recommendations")
                        warnings.append(f"recommendation group {g.number}: '{name}' is not named elsewhere in the report")
                    found = [key]
                keys.extend(k for k in found if k not in keys)
        by_group[g.number] = keys
        if not keys:
            warnings.append(f"recommendation group {g.number} names no body that should act")
    for r in recs:
        r.responsible = list(by_group.get(r.group, []))
    return warnings


_COLLECTIVE_RE = re.compile(r"\bCCGs\b|Clinical Commissioning Groups|^(?:the|all) CCG", re.I)


def _is_collective(name: str) -> bool:
    return bool(_COLLECTIVE_RE.search(name))


def _extract_relations(ex: Extraction, structure: Structure, orgs: OrgIndex) -> None:
    """Commissioning and provision, stated gaps, themes and recurring recommendations."""
    result = extract_arrangements(structure, orgs)
    ex.arrangements = result.arrangements
    ex.transfers = result.transfers
    ex.warnings += result.warnings
    ex.gaps = extract_gaps(structure, ex.citations, orgs, ex.arrangements)
    for f in structure.findings:
        themes = tag_themes(f.text)
        if themes:
            ex.themes[f.number or f.section] = themes
    for r in ex.recommendations:
        themes = tag_themes(r.text)
        if themes:
            ex.themes[f"rec:{r.number}"] = themes
    ex.recurring = find_recurring(ex.recommendations)
