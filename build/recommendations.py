"""Recommendations: the recommendations section -> groups (with the bodies that should act) and items.

A group heading is a numbered line that ends in "should:", "should ensure:", "should ensure that:"…
("1. Stockport CCG and Stockport NHS Foundation Trust should ensure:"). Items are numbered within the
group ("1.1 …", "- 1.14 …", "4.3 that …"). Text that follows an item without a number (a wrapped
line, a second sentence) belongs to that item.
"""

from __future__ import annotations

import re

from .model import Recommendation, RecommendationGroup

HEADING_RE = re.compile(
    r"^(?:(?P<num>\d{1,2})\.?\s+)?(?P<bodies>[A-Z].+?)\s+(?:should|must|are (?:asked|required) to)\b"
    r"(?P<tail>[^.]{0,40}?):\s*$|"
    r"^(?P<num2>\d{1,2})\.?\s+(?P<bodies2>.+?)\s+(?:should|must|are (?:asked|required) to)\b[^.]{0,40}?:?\s*$",
    re.S,
)
ITEM_RE = re.compile(r"^(?P<num>\d{1,2}\.\d{1,2})\.?\s+(?P<text>.*)$", re.S)


_CLOSING_RE = re.compile(r"^(?:an action plan|please submit)", re.I)


def fold(text: str) -> str:
    """White space runs as one space, none at the ends (``re.sub(r"\\s+", " ", text).strip()``, written
    as a split and a join: ``str.split`` and ``\\s`` know the same white space)."""
    return " ".join(text.split())


def parse_recommendations(lines: list[str]) -> tuple[list[RecommendationGroup], list[Recommendation], list[str]]:
    """Parse the recommendations section's lines. Returns (groups, recommendations, warnings)."""
    groups: list[RecommendationGroup] = []
    recs: list[Recommendation] = []
    warnings: list[str] = []
    group: RecommendationGroup | None = None
    last: Recommendation | None = None
    by_number: dict[str, Recommendation] = {}  # the first recommendation of each number
    for raw in lines:
        line = fold(raw)
        if not line:
            continue
        h = HEADING_RE.match(line)
        if h and not ITEM_RE.match(line):
            # numbered ("1. X should:") or not ("X and Y should ensure:"; numbered by its first item)
            number = h.group("num") or h.group("num2") or ""
            bodies = (h.group("bodies") or h.group("bodies2") or "").strip()
            group = RecommendationGroup(number=number, heading=line, bodies=[bodies])
            groups.append(group)
            last = None
            continue
        item = ITEM_RE.match(line)
        if item:
            num = item.group("num")
            if group is not None and group.number == "" and not any(r.group == num.split(".")[0] for r in recs):
                group.number = num.split(".")[0]
            if group is None or num.split(".")[0] != group.number:
                # an item whose number does not belong to the open group: make an implicit group
                gnum = num.split(".")[0]
                group = next((g for g in groups if g.number == gnum), None)
                if group is None:
                    group = RecommendationGroup(number=gnum, heading="", bodies=[])
                    groups.append(group)
                    warnings.append(f"recommendation {num} has no group heading naming who should act")
            prev = by_number.get(num)
            if prev is not None:
                warnings.append(f"recommendation {num} appears twice; both texts kept under one number")
                prev.text = fold(prev.text + " " + item.group("text"))
                last = prev
                continue
            last = Recommendation(number=num, text=fold(item.group("text")), group=group.number)
            recs.append(last)
            by_number[num] = last
            continue
        if last is not None and not _CLOSING_RE.match(line):
            last.text = fold(last.text + " " + line)
    return groups, recs, warnings
