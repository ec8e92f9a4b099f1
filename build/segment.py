"""Structure: normalised text -> sections, numbered findings and report metadata.

Sections follow the CLAS template (summary, about, method, context, the report, what people told
us, the child's journey 1-4, management 5.1-5.3, recommendations, next steps). A numbered line
starts a finding only when its number fits the sequence (it follows the previous finding's
number); anything else, such as a wrapped citation tail or a marker on a line of its own, is
continued into the previous paragraph, never lost.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from .model import Paragraph, ReportMeta, Section, Structure

SECTION_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("summary", re.compile(r"^summary of (?:the |this )?review$", re.I)),
    ("about", re.compile(r"^about (?:the|this) review$", re.I)),
    ("method", re.compile(r"^how we carried out (?:the|this) review$", re.I)),
    ("context", re.compile(r"^context of (?:the|this) review$", re.I)),
    ("report", re.compile(r"^the report$", re.I)),
    ("people", re.compile(r"^what (?:people|children(?: and young people)?|parents and carers) told us$", re.I)),
    ("journey", re.compile(r"^the child['’`]?s journey$", re.I)),
    ("management", re.compile(r"^management$", re.I)),
    ("recommendations", re.compile(r"^recommendations$", re.I)),
    ("next-steps", re.compile(r"^next steps$", re.I)),
    ("contents", re.compile(r"^contents$", re.I)),
]
JOURNEY_RE = re.compile(
    r"^(\d)\.?\s+(early help|children in need|child protection|looked[ -]after children|"
    r"children looked after|care leavers)\s*:?$", re.I)
JOURNEY_TITLES = {"early help": 1, "children in need": 2, "child protection": 3, "looked after children": 4,
                  "looked-after children": 4, "children looked after": 4}
MANAGEMENT_RE = re.compile(r"^(5\.\d)\.?\s+([A-Z][\w ,&'’-]{2,60})$")
MANAGEMENT_TITLES = {"leadership and management": "5.1", "leadership & management": "5.1", "governance": "5.2",
                     "training and supervision": "5.3"}
NUMBERED_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(.*)$", re.S)
# longer than any line SECTION_PATTERNS, JOURNEY_TITLES or MANAGEMENT_TITLES match (tested)
HEADING_MAX = 64
FINDING_SECTIONS = ("journey", "management")
_SENTENCE_START_RE = re.compile(r"^[A-Z“\"‘'(]")
_CONTINUATION_RE = re.compile(r"^(?:and|or|to|,)\b")

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9


@functools.lru_cache(maxsize=1024)  # a few hundred numbers ("4.12"), the same in every report
def number_key(number: str) -> tuple[int, ...]:
    return tuple(int(x) for x in number.split("."))


def _fits_after(prev: str | None, number: str, section_num: str | None, capitalised: bool = True) -> bool:
    """Does finding ``number`` plausibly follow ``prev`` (within the current section)? A paragraph
    may have been deleted, so a forward jump is accepted when the text starts like a sentence."""
    key = number_key(number)
    if section_num is not None:
        prefix = number_key(section_num)
        if key[: len(prefix)] != prefix or len(key) <= len(prefix):
            return False
    if prev is None:
        return True
    pk = number_key(prev)
    if key <= pk:
        return False
    # the next number differs from the previous one in the last position by a small step
    if len(key) == len(pk) and key[:-1] == pk[:-1]:
        return capitalised or key[-1] - pk[-1] <= 2
    return True


def segment(text: str) -> Structure:
    """Split normalised text into sections with their paragraphs and numbered findings."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    sections: list[Section] = []
    current = Section("front-matter", "Front matter")
    sections.append(current)
    last_number: str | None = None
    section_num: str | None = None  # "1" .. "4", "5.1" .. : the prefix findings of this section carry
    index = 0
    recommendation_lines: list[str] = []

    def start(key: str, title: str) -> Section:
        sec = Section(key, title)
        sections.append(sec)
        return sec

    for line in lines:
        # a line too long for a section heading or a title (SECTION_PATTERNS, JOURNEY_TITLES,
        # MANAGEMENT_TITLES); the numbered headings and findings (JOURNEY_RE, MANAGEMENT_RE, NUMBERED_RE)
        # start with a digit: a long line that does not is text, and none of them is tried on it
        long = len(line) > HEADING_MAX and line[-1] != ":"
        digit = line[0].isdecimal()
        if digit or not long:
            key = None if long else _section_key(line)
            if key == "contents":
                current = start("contents", line)
                continue
            if key:
                current = start(key, line)
                section_num = None
                if key == "management":
                    section_num = "5"
                continue
            jm = JOURNEY_RE.match(line) if digit else None
            if jm and current.key in ("journey", "report", "people", "contents") or (
                jm and current.key.startswith("journey")
            ):
                if current.key != "contents":
                    num = jm.group(1)
                    current = start(f"journey-{num}", line)
                    section_num = num
                    continue
            title_num = None if long else JOURNEY_TITLES.get(line.lower().rstrip(":"))
            if title_num and (current.key == "journey" or current.key.startswith("journey-")):
                current = start(f"journey-{title_num}", line)
                section_num = str(title_num)
                continue
            mm = MANAGEMENT_RE.match(line) if digit else None
            if current.key.startswith("management") and (
                (mm and not line.rstrip().endswith(".") and len(line.split()) <= 8)
                or (not long and line.lower() in MANAGEMENT_TITLES)
            ):
                num = mm.group(1) if mm else MANAGEMENT_TITLES[line.lower()]
                current = start(f"management-{num}", line)
                section_num = num
                continue
        if current.key == "contents":
            continue
        if current.key == "recommendations":
            recommendation_lines.append(line)
        number = None
        body = line
        nm = NUMBERED_RE.match(line) if digit else None
        in_findings = current.key.split("-")[0] in FINDING_SECTIONS
        if nm and in_findings:
            cand = nm.group(1)
            rest = nm.group(2)
            capitalised = bool(_SENTENCE_START_RE.match(rest))
            if _fits_after(last_number, cand, section_num, capitalised) and not _CONTINUATION_RE.match(rest):
                number, body = cand, nm.group(2)
                last_number = cand
        if in_findings and number is None and current.paragraphs and current.paragraphs[-1].number:
            prev = current.paragraphs[-1]
            prev.text = f"{prev.text} {line}".strip()
            continue
        current.paragraphs.append(Paragraph(text=body.strip(), section=current.key, number=number, index=index))
        index += 1
    sections = [s for s in sections if s.key != "contents"]
    meta = extract_meta(text, sections)
    return Structure(meta=meta, sections=sections, recommendation_lines=recommendation_lines)


# the section patterns as one alternation, a group each, tried in order as the list is
SECTION_RE = re.compile("|".join(f"({pat.pattern})" for _, pat in SECTION_PATTERNS), re.I)
assert all(pat.flags == SECTION_RE.flags and pat.groups == 0 for _, pat in SECTION_PATTERNS)


def _section_key(line: str) -> str | None:
    clean = line.strip().rstrip(":").strip()
    m = SECTION_RE.match(clean)
    return SECTION_PATTERNS[m.lastindex - 1][0] if m and m.lastindex else None


# ------------------------------------------------------------------------------ metadata


def parse_date(text: str) -> dt.date | None:
    """"1st December 2014", "1 st Dec 2014", "01/12/2014", "2014-12-01" -> date."""
    t = re.sub(r"(\d)\s*(st|nd|rd|th)\b", r"\1", text.strip(), flags=re.I)
    m = re.search(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b", t)
    if m and m.group(2).lower() in MONTHS:
        try:
            return dt.date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        except ValueError:
            return None
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", t)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = re.search(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", t)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    return None


def parse_date_range(text: str) -> tuple[dt.date | None, dt.date | None]:
    """"1st December 2014 – 5th December 2014", "1 - 5 December 2014", "29 Feb to 4 March 2016"."""
    t = re.sub(r"(\d)\s*(st|nd|rd|th)\b", r"\1", text, flags=re.I)
    parts = re.split(r"\s*(?:–|—|-|\bto\b|\buntil\b)\s*", t, maxsplit=1)
    if len(parts) != 2:
        d = parse_date(t)
        return d, d
    end = parse_date(parts[1])
    start = parse_date(parts[0])
    if start is None and end is not None:
        m = re.match(r"^\s*(\d{1,2})(?:\s+([A-Za-z]{3,9}))?\s*$", parts[0])
        if m:
            month = MONTHS.get((m.group(2) or "").lower(), end.month)
            try:
                start = dt.date(end.year, month, int(m.group(1)))
            except ValueError:
                start = None
    return start, end


FIELD_RE = re.compile(r"^(?P<label>[A-Z][\w()/' ,]{2,80}?)\s*:\s*(?P<value>.+)$")


def extract_meta(text: str, sections: list[Section]) -> ReportMeta:
    meta = ReportMeta()
    fields: dict[str, str] = {}
    for line in text.split("\n", 200)[:200]:  # the first 200 lines (the text is not split further)
        m = FIELD_RE.match(line.strip())
        if m:
            fields.setdefault(m.group("label").strip().lower(), m.group("value").strip())
    for label, value in fields.items():
        if label.startswith("date of review") or label.startswith("dates of review") or label == "review dates":
            meta.review_start, meta.review_end = parse_date_range(value)
        elif label.startswith("date of publication") or label.startswith("publication date"):
            meta.published = parse_date(value)
        elif "inspector" in label and "chief" not in label:
            meta.inspectors = [n.strip() for n in re.split(r",|\band\b|;", value) if n.strip()]
        elif label.startswith("provider services included") or label.startswith("providers included"):
            meta.providers_included = split_org_list(value)
        elif label.startswith("ccgs included") or label.startswith("ccg included"):
            meta.ccgs_included = [c if re.search(r"\bCCG\b|Commissioning Group", c) else f"{c} CCG"
                                  for c in split_org_list(value)]
    head = re.sub(r"\s+", " ", text[:6000])
    date_words = r"\d{1,2}\s*(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"
    if meta.review_start is None:  # labels and values may be laid out apart (a PDF's two-column table)
        m = re.search(r"Dates? of (?:the )?review\s*:?\s*(" + r"(?:\d{1,2}\s*(?:st|nd|rd|th)?\s*(?:[A-Za-z]{3,9}\s*)?"
                      r"(?:\d{4}\s*)?)?(?:–|—|-|to|until)\s*" + date_words + ")", head, re.I)
        if m:
            meta.review_start, meta.review_end = parse_date_range(m.group(1))
    if meta.published is None:
        m = re.search(r"Date of publication\s*:?\s*(" + date_words + ")", head, re.I)
        if m:
            meta.published = parse_date(m.group(1))
    first_lines = [ln.strip() for ln in text.split("\n", 40)[:40] if ln.strip()]
    for ln in first_lines:
        m = re.search(r"safeguarding in (.+)$", ln, re.I)
        if m and "review of health services" in ln.lower():
            meta.area = _place_phrase(m.group(1))
            if meta.area:
                meta.title = ln[: m.start(1)] + meta.area
            break
    for pattern in (r"The role of health services in ", r"looked after children services in ",
                    r"Children Looked After and Safeguarding in "):
        if meta.area is not None:
            break
        m = re.search(pattern + r"(.{2,80})", head)
        if m:
            meta.area = _place_phrase(m.group(1))
    m = re.search(r"experiences of (\d[\d,]*)\s+(?:children|young people|cases)", text, re.I)
    if m:
        meta.children_considered = int(m.group(1).replace(",", ""))
    return meta


AREA_STOP = {"Date", "Page", "Contents", "Children", "Review", "Summary", "It", "The", "This"}


def _place_phrase(text: str) -> str | None:
    """The place name at the start of ``text``: capitalised words and the joiners inside names
    ("Cheshire East", "Stoke-on-Trent", "Brighton and Hove", "Kingston upon Thames")."""
    words: list[str] = []
    for w in re.findall(r"[\w'’&-]+|[^\w\s]", text):
        if w[:1].isupper() and w not in AREA_STOP:
            words.append(w)
        elif w in ("and", "&", "upon", "on", "of", "under") and words:
            words.append(w)
        else:
            break
    while words and words[-1] in ("and", "&", "upon", "on", "of", "under"):
        words.pop()
    return " ".join(words) or None


ORG_END_RE = re.compile(r"(NHS Foundation Trust|Foundation Trust|NHS Trust|Partnership Trust|Healthcare Trust|"
                        r"CCG|Clinical Commissioning Group|Council|Trust)\b")


def split_org_list(value: str) -> list[str]:
    """Split a front-matter list of bodies, which may run together with no separator."""
    parts = [p.strip() for p in re.split(r"[,;]", value) if p.strip()]
    out: list[str] = []
    for p in parts:
        pieces: list[str] = []
        pos = 0
        for m in ORG_END_RE.finditer(p):
            piece = re.sub(r"^(?:and|&)\s+", "", p[pos: m.end()].strip())
            if piece:
                pieces.append(piece)
            pos = m.end()
        rest = p[pos:].strip()
        if rest:
            pieces.append(rest)
        out.extend(pieces or [p])
    return out
