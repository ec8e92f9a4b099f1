"""Segmentation, recommendations and citations (build/segment.py, recommendations.py, citations.py)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from clasgraph.build.citations import find_markers, parse_marker
from clasgraph.build.read import normalise
from clasgraph.build.recommendations import parse_recommendations
from clasgraph.build.segment import parse_date, parse_date_range, segment

REPORT = """Review of health services for Children Looked After and Safeguarding in Wexmoor
Date of review: 29th February 2016 – 4th March 2016
Date of publication: 1st June 2016
Name(s) of CQC inspector: Ann Smith, Bob Jones and Cat Lee
CCGs included: Wexmoor
Summary of the review
This report records the findings of the review.
Context of the review
Wexmoor CCG commissions most services.
In total, we took into account the experiences of 1,203 children and young people.
The child's journey
1. Early help
1.1 First finding. (Recommendation 1.1)
1.2 Second finding names 1.3 and 6.2 in passing.
1.3 and this is a wrapped tail, not a finding.
2. Children in need
2.1 A finding. (Recommendations 1.1, 1.2, and 2.1)
Management
5.1 Leadership and management
5.1.1 Leaders lead. (Recommendation, 1.2 and 9.9)
5.2 Governance
5.2.1 Governance governs.
Recommendations
1. Wexmoor CCG and Wexmoor NHS Foundation Trust should:
1.1 Do one thing.
1.2 Do another thing
across two lines.
2. Wexmoor Council should ensure that:
2.1 that a third thing is done.
Next steps
An action plan is required.
"""


def test_sections_findings_and_numbers():
    s = segment(REPORT)
    keys = [sec.key for sec in s.sections]
    assert keys == ["front-matter", "summary", "context", "journey", "journey-1", "journey-2", "management",
                    "management-5.1", "management-5.2", "recommendations", "next-steps"]
    numbers = [f.number for f in s.findings]
    assert numbers == ["1.1", "1.2", "2.1", "5.1.1", "5.2.1"]
    f12 = next(f for f in s.findings if f.number == "1.2")
    assert f12.text.endswith("and this is a wrapped tail, not a finding.") or "1.3 and this" in f12.text
    assert next(f for f in s.findings if f.number == "5.1.1").section == "management-5.1"


def test_metadata():
    m = segment(REPORT).meta
    assert m.area == "Wexmoor"
    assert (m.review_start, m.review_end) == (dt.date(2016, 2, 29), dt.date(2016, 3, 4))
    assert m.published == dt.date(2016, 6, 1)
    assert m.inspectors == ["Ann Smith", "Bob Jones", "Cat Lee"]
    assert m.ccgs_included == ["Wexmoor CCG"]
    assert m.children_considered == 1203


def test_metadata_null_where_not_said():
    m = segment("Summary of the review\nSome text about looked after children services in Wexmoor.\n").meta
    assert m.review_start is None and m.published is None and m.children_considered is None
    assert m.area == "Wexmoor"


def test_dates():
    assert parse_date("8 th May 2015") == dt.date(2015, 5, 8)
    assert parse_date("2015-05-08") == dt.date(2015, 5, 8)
    assert parse_date_range("1 - 5 December 2014") == (dt.date(2014, 12, 1), dt.date(2014, 12, 5))


def test_recommendation_groups_and_items():
    s = segment(REPORT)
    groups, recs, warnings = parse_recommendations(s.recommendation_lines)
    assert [g.number for g in groups] == ["1", "2"]
    assert groups[0].bodies == ["Wexmoor CCG and Wexmoor NHS Foundation Trust"]
    assert groups[1].bodies == ["Wexmoor Council"]
    assert [(r.number, r.group) for r in recs] == [("1.1", "1"), ("1.2", "1"), ("2.1", "2")]
    assert recs[1].text == "Do another thing across two lines."
    assert recs[2].text == "that a third thing is done."
    assert not warnings


def test_recommendation_items_without_heading_warn():
    _, recs, warnings = parse_recommendations(["3.1 Orphan item."])
    assert recs[0].number == "3.1" and warnings


def test_marker_forms():
    assert find_markers("x. (Recommendation 4.2 and 5.1)") == [("(Recommendation 4.2 and 5.1)", ["4.2", "5.1"])]
    assert find_markers("(Recommendations 2.1, 3.8, 4.14, 5.3, 6.6, 7.3, and 8.5)")[0][1] == [
        "2.1", "3.8", "4.14", "5.3", "6.6", "7.3", "8.5"]
    assert find_markers("(Recommendation, 3.3, 7.2 and 10.1)")[0][1] == ["3.3", "7.2", "10.1"]
    assert find_markers("[see recommendation 1.2]")[0][1] == ["1.2"]
    assert find_markers("(recommendations 1.3 and\n6.2)")[0][1] == ["1.3", "6.2"]
    assert find_markers("in 2015 (see page 3) we recommended 1.2") == []


def test_marker_split_across_pdf_lines_is_one_paragraph():
    text = normalise("4.4 Training is essential. (Recommendations \n1.3 and 6.2) \n4.5 Next.\n", "text")
    assert text.splitlines()[0].endswith("(Recommendations 1.3 and 6.2)")


NUMS = st.lists(st.from_regex(r"\A[1-9][0-9]?\.[1-9][0-9]?\Z"), min_size=1, max_size=8, unique=True)


@settings(max_examples=150, deadline=None)
@given(NUMS, st.sampled_from(["Recommendation", "Recommendations", "recommendation", "RECOMMENDATIONS"]),
       st.sampled_from([", ", " and ", ", and ", " & ", "; ", ",\n"]), st.sampled_from(["", ",", " :"]),
       st.sampled_from(["()", "[]"]), st.booleans())
def test_marker_parser_property(nums, word, sep, after_word, brackets, bold):
    body = sep.join(nums) if len(nums) > 1 else nums[0]
    marker = f"{brackets[0]}{word}{after_word} {body}{brackets[1]}"
    if bold:
        marker = f"**{marker}**"
    text = f"Some finding text with 12 numbers 3.5 and dates 2015. {marker} More."
    found = find_markers(text)
    assert len(found) == 1
    assert found[0][1] == nums
    assert parse_marker(" " + body) == nums


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=25, unique=True))
def test_numbering_property(items):
    """Numbered findings in a journey section come out in order, each once, whatever their count."""
    items = sorted(items)
    lines = ["The child's journey", "3. Child protection"]
    for i in items:
        lines.append(f"3.{i} Finding number {i} text. (Recommendation 1.{i})")
        lines.append(f"continuation of {i} with 1.{i} and 2.{i}) tail")
    s = segment("\n".join(lines))
    assert [f.number for f in s.findings] == [f"3.{i}" for i in items]
    for f in s.findings:
        assert "continuation of" in f.text


def test_metadata_from_a_pdf_table_laid_out_as_one_run():
    text = ("Children Looked After and Safeguarding The role of health services in Cheshire East Date of review: "
            "4 July 2016 to 8 July 2016 Date of publication: 15 November 2016 Name(s) of CQC inspector: "
            "Provider services included: CCGs included:\nSummary of the review\nText.\n")
    m = segment(text).meta
    assert m.area == "Cheshire East"
    assert (m.review_start, m.review_end, m.published) == (dt.date(2016, 7, 4), dt.date(2016, 7, 8),
                                                            dt.date(2016, 11, 15))


def test_unnumbered_group_headings_take_their_items_number():
    lines = ["Wexmoor CCG and Wexmoor Council should ensure:", "1.1 That one thing is done.",
             "Wexmoor NHS Trust should:", "2.1 Do a second thing.", "2.2 Do a third thing."]
    groups, recs, warnings = parse_recommendations(lines)
    assert [(g.number, g.bodies) for g in groups] == [("1", ["Wexmoor CCG and Wexmoor Council"]),
                                                     ("2", ["Wexmoor NHS Trust"])]
    assert [(r.number, r.group) for r in recs] == [("1.1", "1"), ("2.1", "2"), ("2.2", "2")]
    assert not warnings
