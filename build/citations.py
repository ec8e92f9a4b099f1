"""Citations: "(Recommendation …)" markers in findings -> the recommendation numbers they name.

Handles every form seen in CLAS reports: singular or plural, "and"/commas/serial comma,
"Recommendation, 3.3, 7.2 and 10.1", "(see Recommendation 1.2)", square brackets, markers split
across lines (already joined by the reader) and bold markup (already stripped).
"""

from __future__ import annotations

import re

from .model import Citation, Paragraph

# A bracketed group that mentions "recommendation(s)" followed by numbers.
MARKER_RE = re.compile(
    r"[(\[]\s*(?:see\s+|refer\s+to\s+|as\s+per\s+)?recommendations?\b(?P<body>[^()\[\]]*?)[)\]]",
    re.IGNORECASE,
)
NUMBER_RE = re.compile(r"\b\d{1,2}(?:\.\d{1,2})+\b")


def parse_marker(body: str) -> list[str]:
    """Numbers named in a marker body, in order, without repeats: " 4.2 and 5.1" -> ["4.2", "5.1"]."""
    seen: list[str] = []
    for n in NUMBER_RE.findall(body):
        if n not in seen:
            seen.append(n)
    return seen


def find_markers(text: str) -> list[tuple[str, list[str]]]:
    """All citation markers in ``text`` as (marker text, numbers)."""
    out = []
    for m in MARKER_RE.finditer(text):
        numbers = parse_marker(m.group("body"))
        if numbers:
            out.append((m.group(0), numbers))
    return out


def extract_citations(findings: list[Paragraph], known: set[str]) -> list[Citation]:
    """One Citation per finding that cites recommendations; numbers not in ``known`` are kept as
    unresolved (and reported by the caller), never dropped."""
    out: list[Citation] = []
    for f in findings:
        if not f.number:
            continue
        markers = find_markers(f.text)
        if not markers:
            continue
        numbers: list[str] = []
        for _, ns in markers:
            numbers.extend(n for n in ns if n not in numbers)
        out.append(Citation(finding=f.number, numbers=numbers, marker=" ".join(m for m, _ in markers),
                            unresolved=[n for n in numbers if n not in known]))
    return out
