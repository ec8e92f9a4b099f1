"""Organisations: find every body a report names and resolve its spellings onto one node.

Mentions come from four kinds of evidence, all driven by the language of names, not by a list of
local bodies:

1. names that end in an organisational head ("… CCG", "… Clinical Commissioning Group",
   "… NHS Foundation Trust", "… Trust", "… City Council", "… Safeguarding Children Board",
   "… Forum", "… Medical Practice"…);
2. a small lexicon of national bodies and standard multi-agency arrangements that every CLAS
   report uses (NHS England, Public Health England, CQC, Ofsted, DfE, MASH, MARAC, MAPPA, LSCB…);
3. acronyms defined in parentheses after a name ("… NHS Partnership Trust (SSOTP)"), wherever
   they are used later;
4. the objects of role statements ("provided by X", "led by a third sector provider X",
   "known collectively as X") and the bodies named in recommendation headings.

Resolution merges spellings of one body: "&"/"and", "Staffs"/"Staffordshire", "Hospital(s)",
"Clinical Commissioning Group"/"CCG", an optional leading "NHS", shortened forms whose words are a
subsequence of a fuller name of the same kind ("Birmingham Community NHS Trust" ~ "Birmingham
Community Healthcare NHS Foundation Trust"), typos (close string match), and acronyms. Hospital
sites named next to their trust belong to that trust. Every spelling is kept as an alias.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import NamedTuple

from ..graph.vocab import slug
from .model import Organisation, Structure

# ------------------------------------------------------------------------- lexicons

NATIONAL = [
    # (canonical, type, aliases)
    ("NHS England", "NationalBody", ["NHSE"]),
    ("NHS England area team", "NationalBody", ["NHS England area team", "NHS England Area Team", "Local Area Team",
                                                "Local Area Teams", "LAT", "LATs", "area team of NHS England"]),
    ("Public Health England", "NationalBody", ["PHE"]),
    ("Care Quality Commission", "NationalBody", ["CQC"]),
    ("Ofsted", "NationalBody", ["OFSTED", "Office for Standards in Education"]),
    ("Department for Education", "NationalBody", ["DfE", "DFE"]),
    ("Department of Health", "NationalBody", ["DH", "DoH"]),
    ("NHS Improvement", "NationalBody", []),
    ("Health Education England", "NationalBody", ["HEE"]),
    ("Youth Justice Board", "NationalBody", ["YJB"]),
]
PARTNERSHIPS = [
    ("Multi-agency safeguarding hub", ["multi-agency safeguarding hub", "multi agency safeguarding hub",
                                       "Multi Agency Safeguarding Hub", "multi-agency safeguarding hubs", "MASH"]),
    ("Multi-agency risk assessment conference", ["multi-agency risk assessment conference",
                                                 "multi agency risk assessment conference",
                                                 "multi-agency risk assessment conferences", "MARAC", "MARACs"]),
    ("Multi-agency public protection arrangements", ["multi-agency public protection arrangements",
                                                     "multi agency public protection arrangements", "MAPPA"]),
    ("Multi-agency sexual exploitation group", ["multi agency sexual exploitation group",
                                                "multi-agency sexual exploitation group",
                                                "multi agency sexual exploitation", "multi-agency sexual exploitation",
                                                "MASE"]),
    ("Local Safeguarding Children Board", ["Local Safeguarding Children Board", "LSCB", "LSCBs"]),
    ("Health and Wellbeing Board", ["Health and Wellbeing Board", "Health and Well-being Board", "HWB", "HWBB"]),
]
GENERIC_PARTNERSHIP_HEADS = {"Local Safeguarding Children Board": "Safeguarding Children Board",
                             "Health and Wellbeing Board": "Health and Wellbeing Board"}

COUNTY_ABBREVIATIONS = {
    "staffs": "staffordshire", "lancs": "lancashire", "notts": "nottinghamshire", "herts": "hertfordshire",
    "bucks": "buckinghamshire", "beds": "bedfordshire", "cambs": "cambridgeshire", "glos": "gloucestershire",
    "hants": "hampshire", "leics": "leicestershire", "lincs": "lincolnshire", "northants": "northamptonshire",
    "oxon": "oxfordshire", "wilts": "wiltshire", "worcs": "worcestershire", "yorks": "yorkshire",
    "berks": "berkshire", "derbys": "derbyshire", "warks": "warwickshire", "shrops": "shropshire",
}

# Heads of organisation names, longest first. (regex, family, type)
HEADS: list[tuple[str, str, str]] = [
    (r"Clinical Commissioning Groups", "ccg-plural", "ClinicalCommissioningGroup"),
    (r"Clinical Commissioning Group", "ccg", "ClinicalCommissioningGroup"),
    (r"CCGs", "ccg-plural", "ClinicalCommissioningGroup"),
    (r"CCG", "ccg", "ClinicalCommissioningGroup"),
    (r"NHS Foundation Trust", "trust", "NHSFoundationTrust"),
    (r"Foundation Trust", "trust", "NHSFoundationTrust"),
    (r"NHS Partnership Trust", "trust", "NHSTrust"),
    (r"Partnership NHS Trust", "trust", "NHSTrust"),
    (r"Partnership Trust", "trust", "NHSTrust"),
    (r"NHS Trust", "trust", "NHSTrust"),
    (r"Trust", "trust", "NHSTrust"),
    (r"Metropolitan Borough Council", "council", "LocalAuthority"),
    (r"County Borough Council", "council", "LocalAuthority"),
    (r"Borough Council", "council", "LocalAuthority"),
    (r"District Council", "council", "LocalAuthority"),
    (r"County Council", "council", "LocalAuthority"),
    (r"City Council", "council", "LocalAuthority"),
    (r"Council", "council", "LocalAuthority"),
    (r"Safeguarding Children Board", "board", "Partnership"),
    (r"Safeguarding Children Partnership", "board", "Partnership"),
    (r"Safeguarding Adults Board", "board", "Partnership"),
    (r"Health and Wellbeing Board", "board", "Partnership"),
    (r"Board", "board", "Partnership"),
    (r"Forum", "board", "Partnership"),
    (r"Panel", "board", "Partnership"),
    (r"Core Group", "board", "Partnership"),
    (r"Medical Practice", "gp", "GPPractice"),
    (r"Medical Centre", "gp", "GPPractice"),
    (r"Surgery", "gp", "GPPractice"),
]
HEAD_RE = re.compile(r"\b(?:" + "|".join(h for h, _, _ in HEADS) + r")\b")
HEAD_INFO = {h: (fam, typ) for h, fam, typ in HEADS}
# HEAD_RE without its leading \b: a pattern that starts with an alternation of literals lets ``re`` skip
# ahead to the alternatives' first letters (a leading \b or look-behind makes it try every position);
# ``_scan`` checks the left boundary itself.
HEAD_SCAN_RE = re.compile(r"(?:" + "|".join(h for h, _, _ in HEADS) + r")\b")
_WORD_CHAR_RE = re.compile(r"\w")


def _scan_from(pattern: re.Pattern[str], text: str, starts: re.Pattern[str],
               not_after: re.Pattern[str] | None = None) -> Iterator[re.Match[str]]:
    """``finditer`` of ``pattern`` (after a left neighbour that is not a ``not_after``) where every match
    of ``pattern`` begins with a match of ``starts``: ``pattern`` is tried only where ``starts`` matches,
    leftmost first, so the matches are the same and in the same order."""
    pos = 0
    while True:
        s = starts.search(text, pos)
        if s is None:
            return
        at = s.start()
        if not_after is None or at == 0 or not not_after.match(text, at - 1):
            m = pattern.match(text, at)
            if m is not None:
                yield m
                pos = m.end()
                continue
        pos = at + 1


def _scan_at(pattern: re.Pattern[str], text: str, starts: Iterable[int],
             not_after: re.Pattern[str] | None = None) -> Iterator[re.Match[str]]:
    """``finditer`` of ``pattern`` (after a left neighbour that is not a ``not_after``) when its matches
    can start only at ``starts`` (increasing): the same matches in the same order."""
    pos = 0
    for at in starts:
        if at < pos or (not_after is not None and at > 0 and not_after.match(text, at - 1)):
            continue
        m = pattern.match(text, at)
        if m is not None:
            yield m
            pos = m.end()


def _scan(pattern: re.Pattern[str], text: str, not_after: re.Pattern[str], pos: int = 0,
          endpos: int | None = None) -> Iterator[re.Match[str]]:
    """The matches of ``(?<!X)`` + ``pattern`` in ``text[pos:endpos]``, X being the one-character pattern
    ``not_after``: the same matches, in the same order, as ``finditer`` of the pattern with the look-behind
    in front (a match whose left neighbour is an X is dropped and the search resumes one character on)."""
    end = len(text) if endpos is None else endpos
    while True:
        m = pattern.search(text, pos, end)
        if m is None:
            return
        start = m.start()
        if start > 0 and not_after.match(text, start - 1):
            pos = start + 1
            continue
        yield m
        pos = m.end()


CONNECTORS = {"and", "&", "of", "on", "upon", "under", "in", "the", "for"}
NAME_TOKEN_RE = re.compile(r"[A-Z][\w’'\-]*|&|and|of|on|upon|under|the|in|for|[A-Z]{2,}[\w&]*")
# Sentence words that are capitalised only because they start a sentence or are roles.
STOP_LEADING = {
    "In", "At", "Within", "Across", "Both", "All", "Whilst", "While", "Although", "However", "Staff", "Practitioners",
    "Midwives", "Managers", "Where", "When", "Since", "Following", "For", "From", "By", "With", "Through", "Under",
    "Over", "During", "After", "Before", "This", "These", "That", "Those", "Our", "We", "Some", "Many", "Most", "Each",
    "Every", "Other", "Also", "Additionally", "Further", "Furthermore", "Similarly", "Likewise", "Currently",
    "Recently", "Overall", "Generally", "Despite", "As", "If", "So", "Therefore", "Thus", "Only", "Not", "There",
    "Here", "It", "Their", "Its", "The", "A", "An", "And", "Of", "On", "Neither", "Either", "Inspectors", "Leaders", "Commissioners", "Senior", "Designated", "Named", "Lead", "Chief", "Director", "Head",
    "Nurse", "Nurses", "Doctor", "Doctors", "GP", "GPs", "Health", "Visitors", "School", "Community", "Acute",
    "Commissioning", "Responsibility", "Specialist", "Adult", "Child", "Children", "Young", "Looked", "Recommendations",
    "Recommendation", "Action", "Review", "Reviews", "Safeguarding", "Services", "Service", "Including",
    "Governance", "Leadership", "Management", "Training", "Supervision", "Joint", "Integrated", "Local",
}
KEEP_LEADING = {"North", "South", "East", "West", "Central", "Greater", "Royal", "City", "County", "University",
                "New", "Great", "Upper", "Lower", "Mid", "Inner", "Outer", "Saint", "St", "NHS", "Community",
                "Birmingham", "Public", "Black", "Isle"}
FILLER = {"nhs", "the", "and", "of", "on", "upon", "in", "for"}
HEAD_WORDS = {"ccg", "clinical", "commissioning", "group", "groups", "ccgs", "foundation", "trust", "partnership",
              "council", "city", "county", "borough", "district", "metropolitan", "board", "forum", "panel"}
SOFT_WORDS = {"healthcare", "health", "hospital", "community", "services", "care", "teaching", "combined", "nhs",
              "trent"}

# searched with ``_scan`` (which checks the left word boundary): no leading \b, so ``re`` can skip to
# the first letters of the verbs
ROLE_OBJECT_RE = re.compile(
    r"(?:provided by|delivered by|run by|led by|commissioned from|in partnership with|employed by|"
    r"hosted by|managed by|known (?:collectively )?as|contracted to|input from|support from|commissions?|"
    r"commissioned)\s+"
    r"(?:a |an |the )?(?:(?:third[- ]sector|voluntary|independent|private|charitable|national)\s+"
    r"(?:sector\s+)?(?:provider|organisation|charity|company)\s+)?"
    r"(?P<name>(?:[A-Z][\w’'\-]*|&)(?:\s+(?:[A-Z][\w’'\-]*|&|and|of|for|on)){0,7})"
)
# every role statement starts with one of these: no match of ROLE_OBJECT_RE starts before the first
ROLE_VERB_STARTS = ("provided by", "delivered by", "run by", "led by", "commission", "in partnership with",
                    "employed by", "hosted by", "managed by", "known ", "contracted to", "input from",
                    "support from")
ACRONYM_DEF_RE = re.compile(r"(?:’s|'s)?\s*\((?P<acr>[A-Z][A-Za-z&]{1,9}s?)\)")
ACRONYM_RE = re.compile(r"^[A-Z][A-Za-z&]*[A-Z][A-Za-z&]*s?$")
ACRONYM_NAME_RE = re.compile(r"(?P<name>(?:[A-Z][\w’'\-]*|&)(?:\s+(?:[A-Z][\w’'\-]*|&|and|of|for|on|to|the|in)){1,8})"
                             r"(?:’s|'s)?\s*\((?P<acr>[A-Z][A-Za-z&]{1,9})\)")

PAREN_CAPITAL_RE = re.compile(r"\([A-Z]")
LEADING_THE_RE = re.compile(r"^(?:the|The)\s+")
POSSESSIVE_END_RE = re.compile(r"(?:’s|'s)$")
ACRONYM_HEAD_RE = re.compile(r"([A-Z][A-Z&]{1,9})\s+(?:Trust|NHS Trust|Foundation Trust|CCG)")
_WORD_OR_AMPERSAND_RE = re.compile(r"[\w&]")

SITE_HEAD_RE = re.compile(r"\b(?:Hospital|Infirmary|Unit|Centre|Clinic|Hospice)\b")
VOLUNTARY_CUE_RE = re.compile(r"third[- ]sector|voluntary|charit|not[- ]for[- ]profit", re.I)
INDEPENDENT_CUE_RE = re.compile(r"\bindependent\b|\bprivate\b|\bLtd\b|\bLimited\b|\bplc\b|\bLLP\b", re.I)
PARTNERSHIP_CUE_RE = re.compile(r"known (?:collectively )?as|collaboration|consortium|partnership of", re.I)
GEOGRAPHIC_BEFORE_RE = re.compile(r"(?:boundar(?:y|ies)|borders?|footprint|areas?|districts?|parts?|wards?|localit(?:y|ies)|towns?) of (?:the )?$", re.I)

# patterns used once per name or candidate, compiled once
_POSSESSIVE_S_RE = re.compile(r"'s\b")
_NOT_NAME_WORD_RE = re.compile(r"[^A-Za-z0-9' ]+")
_SPACES_RE = re.compile(r"\s+")
_LEADING_NHS_RE = re.compile(r"^NHS\s+")
_CCG_LONG_RE = re.compile(r"Clinical Commissioning Groups?")
_HEADING_BODIES_RE = re.compile(r"^\d{1,2}\.?\s+(.+?)\s+(?:should|must)\b")
_CAPITALS_RE = re.compile(r"[A-Z]{2,}")
_TRAILING_CONNECTOR_RE = re.compile(r"\s+(?:and|&|of|for|on)$")
_LEADING_CAPITAL_THE_RE = re.compile(r"^(?:The)\s+")
_NOT_CAPITAL_RE = re.compile(r"[^A-Z]")
_SPACE_OR_HYPHEN_RE = re.compile(r"[\s\-]+")
_BODY_SEPARATOR_RE = re.compile(r",\s*(?:and\s+)?|\s+and\s+(?=(?:[A-Z]|the\b))")
_COLLECTIVE_START_RE = re.compile(r"^(?:All|The|the|Both|Four|Five|Six|\d+)\b")
_ACRONYM_HEADED_RE = re.compile(r"[A-Z][A-Z&]{1,9}\s+(?:NHS\s+)?(?:Foundation\s+)?(?:Trust|CCG|Council)")
_PLURAL_CCG_END_RE = re.compile(r"\s*(?:CCGs|Clinical Commissioning Groups)$")
_CONJUNCT_RE = re.compile(r",\s*|\s+and\s+|\s*&\s*")
_SITE_LEAD_RE = re.compile(r"^(?:The|At|At the|In|the)\s+")


@functools.lru_cache(maxsize=8192)
def norm_words(name: str) -> tuple[str, ...]:
    """Lower-case words of a name for comparison."""
    text = name.replace("&", " and ").replace("’", "'")
    text = _POSSESSIVE_S_RE.sub("", text)
    text = _NOT_NAME_WORD_RE.sub(" ", text).lower()
    words = []
    for w in text.split():
        w = COUNTY_ABBREVIATIONS.get(w, w)
        if w == "hospitals":
            w = "hospital"
        words.append(w)
    return tuple(words)


NOT_CORE = frozenset(FILLER | HEAD_WORDS)
# core words of the names of the report being built (cleared by build_org_index: names are looked up
# over and over while clusters form, but each report has its own)
_core_memo: dict[str, tuple[str, ...]] = {}


_normed_memo: dict[str, str] = {}  # likewise, the normalised form of each name


def _normed(name: str) -> str:
    """A name's words as compared: ``" ".join(norm_words(name))``."""
    normed = _normed_memo.get(name)
    if normed is None:
        normed = _normed_memo[name] = " ".join(norm_words(name))
    return normed


def core_words(name: str) -> tuple[str, ...]:
    """Distinctive words of a name: no fillers, no organisational head words."""
    words = _core_memo.get(name)
    if words is None:
        words = _core_memo[name] = tuple(w for w in norm_words(name) if w not in NOT_CORE)
    return words


class _RatioBound:
    """Upper bounds of ``SequenceMatcher(None, a, b).ratio()`` for one ``a`` and many ``b``: matching
    characters are at most the shorter length and at most the characters the two have in common."""

    def __init__(self, a: str, threshold: float) -> None:
        self.a = a
        self.counts = Counter(a)
        self.threshold = threshold

    def may_beat(self, b: str, best: float) -> bool:
        """False when the ratio of ``b`` is surely below the threshold or not above ``best``."""
        la, lb = len(self.a), len(b)
        bound = 2.0 * min(la, lb) / (la + lb)
        if bound < self.threshold or bound <= best:
            return False
        common = sum((self.counts & Counter(b)).values())
        bound = 2.0 * common / (la + lb)
        return not (bound < self.threshold or bound <= best)

    def better_ratio(self, words: Sequence[str], best: float) -> float | None:
        """The ratio of ``a`` to the name made of ``words``, if it may reach the threshold and beats
        ``best`` (the ratio is only computed where the bounds allow it)."""
        b = " ".join(words)
        if not self.may_beat(b, best):
            return None
        score = SequenceMatcher(None, self.a, b).ratio()
        return score if score > best else None


def is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    it = iter(long)
    return all(w in it for w in short)


GENERIC_REFERENCES = {
    "council": "LocalAuthority", "local authority": "LocalAuthority", "the council": "LocalAuthority",
    "ccg": "ClinicalCommissioningGroup", "clinical commissioning group": "ClinicalCommissioningGroup",
}


@dataclass
class OrgMention:
    start: int
    end: int
    surface: str
    key: str


@dataclass
class _Cand:
    name: str
    family: str  # ccg, trust, council, board, gp, national, partnership, provider, public-health, site
    type: str
    source: str
    geographic: bool = False
    acronym: str | None = None


# The mentions of an index's surface forms in a text are what ``_scan`` of ``mention_regex`` of them
# (longest first) finds. Compiling that alternation costs ~3 ms a report (each report names other
# bodies, so ``re``'s cache never has it), more than all the report's scans with it; ``_MentionScanner``
# finds the same matches with a table of the surfaces by the word run they start with.
_WORD_RUN_RE = re.compile(r"\w+")
_SPACE_PART = " "  # a part of a surface's loose form that matches \s+ (a word part is never white space)
_AND_PART = "&"  # a part that matches "&" or "and" (a word part is never "&" alone)


def mention_regex(alts: Sequence[str]) -> re.Pattern[str]:
    """The alternation of the surfaces' loose regexes in this order, not followed by a word character
    or "&"; searched with ``_scan`` (which checks that no word character or "&" comes before)."""
    return re.compile(r"(?:" + _alternation(list(alts)) + r")(?![\w&])" if alts else r"(?!x)x")


def _surface_table(alts: Sequence[str]) -> dict[str, list[tuple[str, ...]]] | None:
    r"""The surfaces' loose forms as parts (words, ``_SPACE_PART``, ``_AND_PART``) by the word run
    (``\w+``) the surface starts with, in ``alts`` order (a repeated loose form kept once: it never
    matches where its first occurrence failed); None when a surface does not start with a word
    character or &/and, or ends in white space (``mention_regex`` must find those)."""
    table: dict[str, list[tuple[str, ...]]] = {}
    seen: set[tuple[str, ...]] = set()
    for surface in alts:
        parts = _loose_parts(surface)
        first = parts[0][1]
        if first is None or parts[-1][1] is None:
            return None
        run = _WORD_RUN_RE.match(first)
        if run is None:
            return None
        form = tuple(word if word is not None else _SPACE_PART if regex == r"\s+" else _AND_PART
                     for regex, word in parts)
        if form not in seen:
            seen.add(form)
            table.setdefault(run.group(0), []).append(form)
    return table


def _match_parts(parts: tuple[str, ...], text: str, at: int, end: int) -> int:
    r"""Where the loose form ``parts`` matched at ``at`` ends (with ``text`` ending at ``end``), its
    match not followed by a word character or "&"; -1 where it does not match. (``\s+`` is matched
    greedily: a word part never starts with white space, so ``re`` would not give any back.)"""
    i = at
    for part in parts:
        if part == _SPACE_PART:
            if i >= end or not text[i].isspace():
                return -1
            i += 1
            while i < end and text[i].isspace():
                i += 1
        elif part == _AND_PART:
            if text.startswith("&", i, end):
                i += 1
            elif text.startswith("and", i, end):
                i += 3
            else:
                return -1
        elif text.startswith(part, i, end):
            i += len(part)
        else:
            return -1
    if i < end and _WORD_OR_AMPERSAND_RE.match(text, i):
        return -1
    return i


def _run_pattern(runs: Iterable[str]) -> re.Pattern[str]:
    r"""Where one of ``runs`` (word runs, ``\w+``) is the rest of a word run: at a run's start, its run
    if that is one of them (no two match at one place; grouped by first character for ``re``)."""
    groups: dict[str, list[str]] = {}
    for run in runs:
        groups.setdefault(run[0], []).append(re.escape(run[1:]))
    return re.compile("(?:" + "|".join(re.escape(first) + "(?:" + "|".join(rests) + ")"
                                       for first, rests in groups.items()) + r")(?!\w)")


class _MentionScanner:
    r"""Finds the matches of the mention surfaces ``alts`` (longest first) in texts: what ``_scan`` of
    ``mention_regex(alts)`` finds in each.

    A match starts a word run (``\w+``) that some surface starts with and that does not follow "&":
    a small pattern of those runs finds such places (it costs a tenth of the alternation of all the
    surfaces to compile), and at each, the surfaces that start with the run are tried in ``alts``
    order, the first that matches taken (as the alternation does). Where a surface does not fit the
    table (see ``_surface_table``) the alternation is compiled and searched."""

    def __init__(self, alts: Sequence[str], previous: _MentionScanner | None = None) -> None:
        """``previous``: the scanner of the index before bodies or spellings were registered; its
        run patterns are kept, and only the runs that none of them knows get a pattern of their own."""
        table = _surface_table(alts)
        self.table: dict[str, list[tuple[str, ...]]] = table or {}
        self.pattern = mention_regex(alts) if table is None else None
        self.runs: list[re.Pattern[str]] = []  # their runs: ``known``, none in two of them
        self.known: frozenset[str] = frozenset()
        if self.table:
            if previous is not None and previous.runs:
                self.runs, self.known = list(previous.runs), previous.known
            added = [run for run in self.table if run not in self.known]
            if len(added) > MAX_ADDED_RUNS or (added and len(self.runs) >= MAX_RUN_PATTERNS):
                self.runs, self.known, added = [], frozenset(), list(self.table)
            if added:
                self.runs.append(_run_pattern(added))
                self.known |= frozenset(added)

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """The matches in ``text[start:end]``, as if it were the whole text, as spans of ``text``."""
        end = len(text) if end is None else end
        if self.pattern is not None:
            sub = text[start:end] if start or end != len(text) else text
            return [(m.start() + start, m.end() + start) for m in _scan(self.pattern, sub, _WORD_OR_AMPERSAND_RE)]
        out: list[tuple[int, int]] = []
        if not self.runs:
            return out
        table = self.table
        places: Iterable[re.Match[str]] = self.runs[0].finditer(text, start, end)
        if len(self.runs) > 1:  # the runs added since the first pattern are rarely in a text
            added = [m for runs in self.runs[1:] for m in runs.finditer(text, start, end)]
            if added:
                places = sorted([*places, *added], key=_match_start)
        pos = start
        for m in places:
            at = m.start()
            if at < pos or (at > start and _WORD_OR_AMPERSAND_RE.match(text, at - 1)):
                continue  # inside a match found, or not at the start of a run, or after "&"
            for parts in table.get(m.group(), ()):  # a run of a surface no longer known: none
                stop = _match_parts(parts, text, at, end)
                if stop >= 0:
                    out.append((at, stop))
                    pos = stop
                    break
        return out


# more runs new to a rebuilt scanner than this, or more patterns: one pattern of all its runs anew
MAX_ADDED_RUNS = 40
MAX_RUN_PATTERNS = 4


def _match_start(m: re.Match[str]) -> int:
    return m.start()


@dataclass
class OrgIndex:
    """All organisations of one report, with every spelling that resolves to each."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    area: str | None = None
    _surface: dict[str, str] = field(default_factory=dict)  # normalised surface -> key
    _acronyms: dict[str, str] = field(default_factory=dict)  # exact acronym -> key
    _family: dict[str, str] = field(default_factory=dict)  # key -> family
    # finds the surfaces below in texts; None when bodies or spellings were registered since (made anew
    # by the next ``mentions``)
    _scanner: _MentionScanner | None = None
    _previous_scanner: _MentionScanner | None = None  # the last one made (its run patterns are kept)
    _sites: dict[str, str] = field(default_factory=dict)  # normalised site name -> key
    _weak: set[str] = field(default_factory=set)  # labels as written that are not safe to match in text
    addressed: set[str] = field(default_factory=set)  # keys named in recommendation headings / front matter
    _match_cache: dict[str, str | None] = field(default_factory=dict)
    # what each surface ``mentions`` found resolves to, while the index is unchanged (every change
    # resets ``_scanner``, and the next ``mentions`` forgets these)
    _mention_keys: dict[str, str | None] = field(default_factory=dict)

    # ------------------------------------------------------------------ lookup

    def resolve(self, name: str) -> str | None:
        name = name.strip().strip(",.;:()")
        if not name:
            return None
        name = LEADING_THE_RE.sub("", name)
        name = POSSESSIVE_END_RE.sub("", name)
        if name in self._acronyms:
            return self._acronyms[name]
        m = ACRONYM_HEAD_RE.fullmatch(name)
        if m and m.group(1) in self._acronyms:
            return self._acronyms[m.group(1)]
        normed = _normed(name)
        key = self._surface.get(normed)
        if key:
            return key
        generic = GENERIC_REFERENCES.get(name.lower())
        if generic:  # "the council", "the local authority", "the CCG": the one such body, if only one
            keys = [k for k, o in self.organisations.items() if o.type == generic and o.parent is None]
            return keys[0] if len(keys) == 1 else None
        site = self._sites.get(normed)
        if site:
            return site
        return self._match(name)

    def _match(self, name: str) -> str | None:
        if name in self._match_cache:
            return self._match_cache[name]
        key = self._match_uncached(name)
        self._match_cache[name] = key
        return key

    def _match_uncached(self, name: str) -> str | None:
        fam = _family_of(name)
        words = core_words(name)
        if not words:
            return None
        a = " ".join(words)
        # a close match needs 8 characters of core words: a shorter name only matches exactly
        bound = _RatioBound(a, 0.92) if len(a) >= 8 else None
        best, best_score = None, 0.0
        for key, org in self.organisations.items():
            ofam = self._family.get(key, "")
            if fam and ofam and fam != ofam and not (fam == "ccg-plural" and ofam == "ccg"):
                continue
            for label in [org.name, *org.aliases]:
                lw = core_words(label)
                if not lw:
                    continue
                if lw == words:
                    return key
                score = bound.better_ratio(lw, best_score) if bound is not None else None
                if score is not None:
                    best, best_score = key, score
        if best is not None and best_score >= 0.92:
            return best
        return None

    def mentions(self, text: str) -> list[OrgMention]:
        """The bodies named in ``text``: each match of a surface form (longest first, any white space
        and &/and), not inside a word, whose surface resolves."""
        return self.mentions_in(text)

    def mentions_in(self, text: str, start: int = 0, end: int | None = None) -> list[OrgMention]:
        """``mentions(text[start:end])``, with offsets in the slice (the slice is searched in place,
        its ends taken as the text's ends)."""
        scanner = self._scanner
        if scanner is None:
            scanner = self._scanner = self._previous_scanner = _MentionScanner(self._surface_forms(),
                                                                               self._previous_scanner)
            self._mention_keys.clear()
        out: list[OrgMention] = []
        keys = self._mention_keys
        for at, stop in scanner.spans(text, start, end):
            surface = text[at:stop]
            if surface in keys:
                key = keys[surface]
            else:
                key = keys[surface] = self.resolve(surface)
            if key:
                out.append(OrgMention(at - start, stop - start, surface, key))
        return out

    def _surface_forms(self) -> list[str]:
        """Every surface form a mention can have (of two characters or more), longest first."""
        surfaces = set()
        for org in self.organisations.values():
            surfaces.add(org.name)
            surfaces.update(a for a in org.aliases if a not in self._weak)
        surfaces |= set(self._acronyms)
        surfaces |= {site for org in self.organisations.values() for site in org.sites}
        surfaces = {s for s in surfaces if len(s) >= 2}
        return sorted(surfaces, key=len, reverse=True)

    def area_ccgs(self) -> list[str]:
        """The area's CCGs: those the report addresses (named in recommendation headings or listed as
        included in the review) when it names any, else every CCG it mentions."""
        ccgs = [k for k, o in self.organisations.items() if o.type == "ClinicalCommissioningGroup"]
        named = [k for k in ccgs if k in self.addressed]
        return named or ccgs

    def expand_collective(self, phrase: str) -> list[str]:
        p = phrase.lower()
        if re.search(r"\bccgs\b|clinical commissioning groups", p):
            ccgs = self.area_ccgs()
            m = re.search(r"\b(north|south|east|west)(?:ern)?\b", p)
            if m and not re.search(r"\b(all|the)\s+(\d+|four|five|six)?\s*ccgs", p):
                part = [k for k in ccgs if m.group(1) in norm_words(self.organisations[k].name)]
                return part or ccgs
            return ccgs
        if re.search(r"\bthe ccg\b", p):
            ccgs = self.area_ccgs()
            return ccgs if len(ccgs) == 1 else []
        return []

    def ensure(self, name: str, type_hint: str | None = None, source: str = "",
               aliases: tuple[str, ...] | list[str] = ()) -> str:
        """Find or register the body ``name`` (with any acronyms or other spellings in ``aliases``)."""
        key = self.resolve(name)
        if key is None:
            key = next((k for k in (self.resolve(a) for a in aliases) if k), None)
        if key:
            if source and source not in self.organisations[key].sources:
                self.organisations[key].sources.append(source)
            self._register_aliases(key, aliases)
            return key
        name = LEADING_THE_RE.sub("", name.strip())
        typ = type_hint or _type_of(name, "")
        key = _key_for(name, typ)
        if key in self.organisations:
            key = f"{key}-{len(self.organisations)}"
        self.organisations[key] = Organisation(key=key, name=name, type=typ, sources=[source] if source else [])
        self._family[key] = _family_of(name) or "provider"
        self._surface[_normed(name)] = key
        self._register_aliases(key, aliases)
        self._scanner = None
        self._match_cache.clear()
        return key

    def _register_aliases(self, key: str, aliases: tuple[str, ...] | list[str]) -> None:
        org = self.organisations[key]
        for alias in aliases:
            if not alias or alias == org.name or self.resolve(alias) not in (None, key):
                continue
            org.aliases.add(alias)
            if ACRONYM_RE.match(alias) and len(alias) <= 10:
                self._acronyms.setdefault(alias, key)
            self._surface.setdefault(_normed(alias), key)
            self._scanner = None

    # ---------------------------------------------------------------- building

    def _add(self, key: str, org: Organisation, family: str, weak: set[str] | None = None) -> None:
        self._match_cache.clear()
        self.organisations[key] = org
        self._family[key] = family
        self._weak |= weak or set()
        for s in [org.name, *org.aliases]:
            if s in self._weak:
                continue
            if ACRONYM_RE.match(s) and len(s) <= 10:
                self._acronyms.setdefault(s, key)
            self._surface.setdefault(_normed(s), key)
        self._scanner = None


def _fold(surface: str) -> str:
    return _SPACES_RE.sub(" ", surface.replace("&", "and")).lower()


FOLDED_GATE = ("agency", "board")
_WORD_OR_HYPHEN_RE = re.compile(r"[\w-]")
# ASCII letters that match case-insensitively only themselves and their upper case, so that where
# ``re.I`` matches a run of them, ``str.lower()`` gives the run in lower case (not so i: ı İ, s: ſ)
_PLAIN_FOLD_LETTERS = frozenset("abcdefghjklmnopqrtuvwxyz")


class _Lexicon(NamedTuple):
    exact: re.Pattern[str]  # acronyms and proper names, case-sensitive, searched with ``_scan``
    exact_capital: re.Pattern[str]  # the same without the forms that start in lower case ...
    lower_words: tuple[tuple[str, ...], ...]  # ... each of which needs all of these words in a text
    folded: re.Pattern[str]  # partnership descriptions in any case (look-behind included)
    folded_starts: re.Pattern[str]  # the first words the folded matches start with (any case)
    folded_prefixes: tuple[str, ...] | None  # lower-case beginnings of those words (see _PLAIN_FOLD_LETTERS)
    lookup: dict[str, tuple[str, str]]  # family/type of each folded surface form
    # the forms of ``exact`` that start in lower case: where none matches, ``exact`` and
    # ``exact_capital`` find the same (those forms fail wherever they are tried)
    exact_lower: re.Pattern[str] | None


@functools.lru_cache(maxsize=1)
def _lexicon_patterns() -> _Lexicon:
    """The national bodies' and partnerships' surface forms as compiled alternations."""
    exact: list[str] = []
    folded: list[str] = []
    lookup: dict[str, tuple[str, str]] = {}
    for canonical, typ, aliases in NATIONAL:
        for surface in (canonical, *aliases):
            exact.append(surface)
            lookup.setdefault(_fold(surface), ("national:" + canonical, typ))
    for canonical, aliases in PARTNERSHIPS:
        for surface in (canonical, *aliases):
            (exact if ACRONYM_RE.match(surface) else folded).append(surface)
            lookup.setdefault(_fold(surface), ("partnership:" + canonical, "Partnership"))

    def alternation(alts: list[str], flags: int, behind: str) -> re.Pattern[str]:
        return re.compile(behind + r"(?:" + "|".join(_loose(a) for a in alts) + r")(?![\w-])", flags)

    exact_alts = sorted(set(exact), key=len, reverse=True)
    # "area team of NHS England": the one form that starts in lower case makes ``re`` try the whole
    # alternation at every "a"; texts without its words are searched without it
    lower_start = [a for a in exact_alts if not a[:1].isupper()]
    lower_words = tuple(tuple(w for w in a.split() if w not in ("&", "and")) for a in lower_start)

    # every folded surface holds a gate word within one of its words, so a text without any gate word
    # (in lower case: the gate words' letters have no other case-insensitive equivalents) holds none
    assert all(g.isascii() and set(g) <= _PLAIN_FOLD_LETTERS for g in FOLDED_GATE)
    assert all(any(g in w for g in FOLDED_GATE for w in f.lower().split()) for f in folded)
    firsts = {f.split()[0].lower() for f in folded}
    assert not firsts & {"&", "and"}  # _loose turns these into an alternation
    folded_starts = re.compile("|".join(re.escape(w) for w in sorted(firsts)), re.I)
    prefixes = {re.match(r"[abcdefghjklmnopqrtuvwxyz]*", w).group(0) for w in firsts}  # type: ignore[union-attr]
    return _Lexicon(alternation(exact_alts, 0, ""),
                    alternation([a for a in exact_alts if a not in lower_start], 0, ""), lower_words,
                    alternation(sorted(set(folded), key=len, reverse=True), re.I, r"(?<![\w-])"), folded_starts,
                    None if "" in prefixes else tuple(sorted(prefixes)), lookup,
                    alternation(lower_start, 0, "") if lower_start else None)


@functools.lru_cache(maxsize=4096)
def _loose_parts(surface: str) -> tuple[tuple[str, str | None], ...]:
    """The parts of ``_loose(surface)``: each a regex and the literal word it matches (None for white
    space and for &/and)."""
    parts: list[tuple[str, str | None]] = []
    for tok in re.split(r"(\s+)", surface):
        if not tok:
            continue
        if tok.isspace():
            parts.append((r"\s+", None))
        elif tok in ("&", "and"):
            parts.append((r"(?:&|and)", None))
        else:
            parts.append((re.escape(tok), tok))
    return tuple(parts)


@functools.lru_cache(maxsize=4096)
def _loose(surface: str) -> str:
    """Regex for a surface form allowing any white space and &/and variation."""
    return "".join(regex for regex, _ in _loose_parts(surface))


def _alternation(surfaces: list[str]) -> str:
    """The alternation of the surfaces' loose regexes, in this order, grouped by first character.

    Alternatives that start with different characters never match at one place, and each group keeps
    its alternatives in order, so the alternation matches as the flat one would; ``re`` then tries
    one group's alternatives where a flat alternation tries them all. A repeated regex (“A & B”,
    “A and B”) is kept once: a repeat never matches where its first occurrence failed."""
    groups: dict[str, dict[str, None]] = {}
    for surface in surfaces:
        parts = _loose_parts(surface)
        first, word = parts[0]
        rest = "".join(regex for regex, _ in parts[1:])
        if word is not None:
            variants = [(word[0], re.escape(word[1:]) + rest)]
        elif first == r"(?:&|and)":
            variants = [("&", rest), ("a", "nd" + rest)]
        else:  # starts with white space: no grouping
            return "|".join(dict.fromkeys(_loose(s) for s in surfaces))
        for char, remainder in variants:
            groups.setdefault(char, {}).setdefault(remainder, None)
    return "|".join(re.escape(char) + "(?:" + "|".join(alts) + ")" for char, alts in groups.items())


def _last_head(name: str) -> re.Match[str] | None:
    """The organisational head that ends ``name``, if any."""
    heads = list(HEAD_RE.finditer(name))
    if not heads or heads[-1].end() < len(name.rstrip()) - 1:
        return None
    return heads[-1]


def _family_of(name: str) -> str:
    m = _last_head(name)
    return HEAD_INFO[m.group(0)][0] if m else ""


def _type_of(name: str, context: str) -> str:
    fam_m = _last_head(name)
    if fam_m is not None:
        typ = HEAD_INFO[fam_m.group(0)][1]
        if typ == "NHSTrust" and "Foundation" in name:
            return "NHSFoundationTrust"
        return typ
    if PARTNERSHIP_CUE_RE.search(context):
        return "Partnership"
    if VOLUNTARY_CUE_RE.search(context):
        return "VoluntaryOrganisation"
    if INDEPENDENT_CUE_RE.search(context) or INDEPENDENT_CUE_RE.search(name) or SITE_HEAD_RE.search(name):
        return "IndependentProvider"
    return "VoluntaryOrganisation"


def _key_for(name: str, typ: str) -> str:
    n = name
    if typ == "ClinicalCommissioningGroup":
        n = _LEADING_NHS_RE.sub("", n)
        n = _CCG_LONG_RE.sub("CCG", n)
    words = norm_words(n)
    return slug(" ".join(words))


# ---------------------------------------------------------------------- candidates


def _trim_leading(tokens: list[str], at_sentence_start: bool, lower_words: Container[str]) -> list[str]:
    while tokens:
        t = tokens[0]
        if t in CONNECTORS or t in ("&",):
            tokens = tokens[1:]
            continue
        if t in STOP_LEADING and t not in KEEP_LEADING:
            tokens = tokens[1:]
            at_sentence_start = False
            continue
        # the look-up of the word in lower case last: the others are cheaper and most often decide
        if at_sentence_start and t not in KEEP_LEADING and not t.isupper() and t.lower() in lower_words:
            tokens = tokens[1:]
            at_sentence_start = False
            continue
        break
    while tokens and tokens[-1] in CONNECTORS:
        tokens = tokens[:-1]
    return tokens


WALK_CONNECTORS = {"and", "&", "of", "on", "upon", "under"}
HEAD_TOKENS = {"CCG", "CCGs", "Trust", "Trusts", "Council", "Councils", "Board", "Forum", "Panel"}


NAME_TOKEN_SPLIT_RE = re.compile(r"[\w’'&\-]+|[^\w\s]")
# characters before a head tokenised, first the fewest: a name's walk seldom reads more than 50 (the
# whole prefix, the last, is never cut short)
NAME_WINDOWS = (64, 160, 1 << 62)


def _walk_back(tokens: list[re.Match[str]], head_start: int, cut: bool) -> list[re.Match[str]] | None:
    """The name tokens before a head, last first; None when the walk would read ``tokens[0]`` and
    ``cut`` says that token may be cut short."""
    i = len(tokens) - 1
    taken: list[re.Match[str]] = []
    ands = 0
    while i >= 0:
        if cut and i == 0:
            return None
        t = tokens[i].group(0)
        prev_end = taken[-1].start() if taken else head_start
        if tokens[i].end() < prev_end - 2:
            break
        if t in WALK_CONNECTORS:
            if ands >= 1 and t in ("and", "&"):
                break
            if cut and i == 1:
                return None
            nxt = tokens[i - 1].group(0) if i > 0 else ""
            if t in ("and", "&") and (nxt in HEAD_TOKENS or (ACRONYM_RE.match(nxt) and nxt != "NHS")):
                break
            ands += t in ("and", "&")
            taken.append(tokens[i])
            i -= 1
            continue
        if t[:1].isupper():
            if t in HEAD_TOKENS and taken:
                break
            taken.append(tokens[i])
            i -= 1
            if ACRONYM_RE.match(t) and t != "NHS" and len(t) > 1:
                break
            continue
        break
    return taken


def _name_before(text: str, end: int, lower_words: Container[str],
                 head_start: int | None = None) -> tuple[str, int] | None:
    """The capitalised name that ends at ``end`` (the end of a head), walking back over name tokens.

    The walk stops at a lower-case word, punctuation, another body's head word ("… Council and X
    County Council"), past an acronym ("CSE Forum" keeps CSE, "UHNM and Burton …" does not), and
    at a second "and" (names hold at most one). ``head_start``: where the first head that a search
    of the 45 characters before ``end`` finds ending at ``end`` starts, if the caller knows."""
    if head_start is None:
        head_m = None
        for head_m in _scan(HEAD_SCAN_RE, text, _WORD_CHAR_RE, max(0, end - 45), end):
            if head_m.end() == end:
                break
        head_start = head_m.start() if head_m is not None and head_m.end() == end else end
    # the tokens of text[:head_start], read from the end: those of a window before the head are the
    # same except perhaps the window's first (cut) one, so the walk falls back to a wider window only
    # when it reaches that token
    taken = None
    for window in NAME_WINDOWS:
        lo = max(0, head_start - window)
        taken = _walk_back(list(NAME_TOKEN_SPLIT_RE.finditer(text, lo, head_start)), head_start, lo > 0)
        if taken is not None:
            break
    assert taken is not None
    taken.reverse()
    if not taken:
        return None
    start_pos = taken[0].start()
    last = start_pos - 1  # the last character before the name that is not white space
    while last >= 0 and text[last].isspace():
        last -= 1
    at_start = last < 0 or text[last] in ".;:!?\n“\"(" or text[last] == "–"
    words = _trim_leading([t.group(0) for t in taken], at_start, lower_words)
    if not words:
        return None
    n_dropped = len(taken) - len(words)
    start = taken[n_dropped].start()
    return text[start:end], start


LOWER_WORD_RE = re.compile(r"\b[a-z][a-z’'\-]+\b")
_LOWER_WORD_SHAPE_RE = re.compile(r"[a-z][a-z’'\-]+")
_LOWER_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz’'-")


class _LowerWords:
    """The words ``LOWER_WORD_RE.findall(text)`` finds in a text, as a set answered a word at a time:
    the few words asked about are looked up where they occur instead of listing every word."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.known: dict[object, bool] = {}

    def __contains__(self, word: object) -> bool:
        found = self.known.get(word)
        if found is None:
            found = self.known[word] = isinstance(word, str) and self._find(word)
        return found

    def _find(self, word: str) -> bool:
        if not _LOWER_WORD_SHAPE_RE.fullmatch(word):
            return False  # findall finds only words of this shape
        text = self.text
        at = text.find(word)
        while at >= 0:
            # findall's matches are runs of these characters: from the start of the run holding ``at``
            # (which no earlier match can cover) its matches are the ones a scan of the whole text finds
            run = at
            while run > 0 and text[run - 1] in _LOWER_WORD_CHARS:
                run -= 1
            for m in LOWER_WORD_RE.finditer(text, run):
                if m.start() >= at:
                    if m.start() == at and m.end() == at + len(word):
                        return True
                    break
            at = text.find(word, at + 1)
        return False


def find_candidates(structure: Structure) -> list[_Cand]:
    texts: list[tuple[str, str]] = []  # (source, text)
    for sec in structure.sections:
        for p in sec.paragraphs:
            texts.append((p.source, p.text))
    all_text = "\n".join(t for _, t in texts)
    lower_words = _LowerWords(all_text)
    # where role verbs and folded lexicon words occur, found in the whole report at once (none holds
    # the joining newline, so each occurrence lies in one text)
    offsets: list[int] = []
    at = 0
    for _, t in texts:
        offsets.append(at)
        at += len(t) + 1
    role_at = _split_starts(_literal_starts(all_text, ROLE_VERB_STARTS), offsets)
    lex = _lexicon_patterns()
    lowered = all_text.lower()
    folded_at: list[list[int]] | list[None] = [None] * len(texts)
    prefixes = lex.folded_prefixes
    if prefixes is not None and len(lowered) == len(all_text):  # lower case kept the positions
        gated = _split_starts(_literal_starts(lowered, FOLDED_GATE), offsets)
        folded_at = [_literal_starts(lowered[offsets[i]: offsets[i] + len(texts[i][1])], prefixes) if gated[i] else []
                     for i in range(len(texts))]
    # heads and capitalised lexicon names, scanned in the whole report at once: joined by a NUL,
    # which no match holds and which, like a text's ends, is neither a word character nor white space
    # nor "-", so the scan finds in each text what a scan of the text alone finds
    joined = "\x00".join(t for _, t in texts)
    heads = _split_found(_scan(HEAD_SCAN_RE, joined, _WORD_CHAR_RE), offsets)
    exact = _split_found(_scan(lex.exact_capital, joined, _WORD_OR_HYPHEN_RE), offsets)
    # a lexicon form that starts in lower case matches in a text only if it matches in the report
    # (the joining newline, like a text's end, passes its closing look-ahead)
    lower_start = lex.exact_lower is not None and lex.exact_lower.search(all_text) is not None
    cands: list[_Cand] = []
    for i, (source, text) in enumerate(texts):
        if source == "recommendations":
            m = _HEADING_BODIES_RE.match(text)
            if m:
                for name in split_bodies(m.group(1)):
                    cands.append(_Cand(name=name, family=_family_of(name) or "heading", type=_type_of(name, ""),
                                       source="recommendations"))
                continue
        cands.extend(_candidates_in(text, source, lower_words,
                                    _Starts(role_at[i], folded_at[i], heads[i], exact[i], lower_start)))
    return cands


_Found = tuple[int, int, str]  # start, end and text of a match


class _Starts(NamedTuple):
    """What the scans of the whole report found in one of its texts: where matches of the role and
    folded lexicon patterns can start, the heads, and the lexicon's names that start in capitals."""

    role: list[int]
    folded: list[int] | None  # None: not known, search the text (empty when it holds no gate word)
    heads: list[_Found] | None = None  # None: not known, search the text
    exact: list[_Found] | None = None
    lower_start: bool = True  # False: no lexicon form that starts in lower case matches in the text


def _holds_lower_start(text: str, lex: _Lexicon) -> bool:
    """Does ``text`` hold all the words of a lexicon form that starts in lower case?"""
    return any(all(w in text for w in words) for words in lex.lower_words)


def _split_found(matches: Iterable[re.Match[str]], offsets: list[int]) -> list[list[_Found]]:
    """Matches in texts joined by one character (at ``offsets``), none of which holds a joining
    character, as the matches of each text."""
    out: list[list[_Found]] = [[] for _ in offsets]
    i = 0
    for m in matches:
        at = m.start()
        while i + 1 < len(offsets) and offsets[i + 1] <= at:
            i += 1
        out[i].append((at - offsets[i], m.end() - offsets[i], m.group(0)))
    return out


def _literal_starts(text: str, literals: Iterable[str]) -> list[int]:
    """Every position where one of ``literals`` starts, in order."""
    found: set[int] = set()
    for lit in literals:
        at = text.find(lit)
        while at >= 0:
            found.add(at)
            at = text.find(lit, at + 1)
    return sorted(found)


def _split_starts(positions: list[int], offsets: list[int]) -> list[list[int]]:
    """Positions in texts joined by one character (at ``offsets``), as positions in each text;
    none of them may be a joining character."""
    out: list[list[int]] = [[] for _ in offsets]
    i = 0
    for at in positions:
        while i + 1 < len(offsets) and offsets[i + 1] <= at:
            i += 1
        out[i].append(at - offsets[i])
    return out


def _candidates_in(text: str, source: str, lower_words: Container[str], starts: _Starts | None = None) -> list[_Cand]:
    out: list[_Cand] = []
    prev_start = prev_end = 0
    heads = starts.heads if starts is not None else None
    if heads is None:
        heads = [(m.start(), m.end(), m.group(0)) for m in _scan(HEAD_SCAN_RE, text, _WORD_CHAR_RE)]
    for head_start, head_end, head in heads:
        # the head must end the name: skip "Trust" in "Trust board" is fine, but skip heads followed by
        # another head word of a longer head (handled by alternation order)
        window = max(0, head_end - 45)
        # a search of the heads from ``window`` finds the ones this scan finds from there (and so
        # this one) unless it starts inside the head found before (heads are under 45 characters)
        known = None if prev_start < window < prev_end else head_start
        prev_start, prev_end = head_start, head_end
        found = _name_before(text, head_end, lower_words, known)
        if not found:
            continue
        name, start = found
        if name.startswith("Public Health"):
            continue
        fam, typ = HEAD_INFO[head]
        if len(core_words(name)) == 0 and not _CAPITALS_RE.search(name.replace("CCG", "").replace("NHS", "")):
            continue
        if typ == "NHSTrust" and "Foundation" in name:
            typ = "NHSFoundationTrust"
        before = text[max(0, start - 40): start]
        geographic = bool(GEOGRAPHIC_BEFORE_RE.search(before))
        acr = ACRONYM_DEF_RE.match(text, head_end)
        out.append(_Cand(name=name, family=fam, type=typ, source=source, geographic=geographic,
                         acronym=acr.group("acr") if acr else None))
    # public health teams of councils
    if "Public Health" in text:
        out.extend(_public_health_candidates(text, source))
    # lexicon: national bodies and standard multi-agency arrangements
    lex = _lexicon_patterns()
    exact = starts.exact if starts is not None else None  # found with exact_capital
    lower_start = (starts is None or starts.lower_start) and _holds_lower_start(text, lex)
    if exact is None or lower_start:
        pattern = lex.exact if lower_start else lex.exact_capital
        exact = [(m.start(), m.end(), m.group(0)) for m in _scan(pattern, text, _WORD_OR_HYPHEN_RE)]
    for _, _, surface in exact:
        family, typ = lex.lookup[_fold(surface)]
        out.append(_Cand(name=surface, family=family, type=typ, source=source))
    folded_at = starts.folded if starts is not None else None
    if folded_at is None:
        lowered = text.lower()
        matches: Iterable[re.Match[str]] = (_scan_from(lex.folded, text, lex.folded_starts)
                                            if any(g in lowered for g in FOLDED_GATE) else ())
    else:
        matches = _scan_at(lex.folded, text, folded_at)
    for mm in matches:
        family, typ = lex.lookup[_fold(mm.group(0))]
        out.append(_Cand(name=mm.group(0), family=family, type=typ, source=source))
    return _role_and_acronym_candidates(text, source, out, None if starts is None else starts.role)


COUNCIL_PUBLIC_HEALTH_RE = re.compile(r"\b(?P<council>[A-Z][\w\-]+(?: [A-Z][\w\-]+)*) Public Health\b(?! England)")
COUNCIL_RUN_RE = re.compile(r"[\w\- ]*")  # the characters of such a match


def _council_public_health_matches(text: str) -> Iterator[re.Match[str]]:
    """``COUNCIL_PUBLIC_HEALTH_RE.finditer(text)``, searched only in the runs of its characters that
    hold " Public Health" (the look-ahead reads at most 9 characters past a run)."""
    pos = 0
    runs = _Runs(text, COUNCIL_RUN_RE)
    while True:
        at = text.find(" Public Health", pos)
        if at < 0:
            return
        start = runs.start(at, pos)
        end = COUNCIL_RUN_RE.match(text, at).end()  # type: ignore[union-attr]
        m = COUNCIL_PUBLIC_HEALTH_RE.search(text, start, min(len(text), end + 9))
        if m is None:
            pos = end
            continue
        yield m
        pos = m.end()


# "\bPublic Health…" without the leading \b, which ``_scan`` checks: a pattern that starts with a
# literal is searched for that literal, one that starts with \b is tried at every position
PUBLIC_HEALTH_OF_RE = re.compile(r"Public Health(?:,\s*|\s+(?:in|at|within|team (?:in|at|of))\s+(?:the\s+)?)"
                                 r"(?P<council>[A-Z][\w’'\- ]*?(?:Council|[A-Z]{2,}))(?![\w])")
PUBLIC_HEALTH_ALONE_RE = re.compile(r"Public Health\b(?!,| England| in | at | team| within|\s+[A-Z])")


def _public_health_candidates(text: str, source: str) -> list[_Cand]:
    out: list[_Cand] = []
    for m in _scan(PUBLIC_HEALTH_OF_RE, text, _WORD_CHAR_RE):
        out.append(_Cand(name=m.group(0), family="public-health", type="LocalAuthority", source=source))
    for m in _council_public_health_matches(text):
        if m.group("council") not in STOP_LEADING:
            out.append(_Cand(name=m.group(0), family="public-health", type="LocalAuthority", source=source))
    for _ in _scan(PUBLIC_HEALTH_ALONE_RE, text, _WORD_CHAR_RE):
        out.append(_Cand(name="Public Health", family="public-health", type="LocalAuthority", source=source))
    return out


def _role_and_acronym_candidates(text: str, source: str, out: list[_Cand],
                                 role_at: list[int] | None = None) -> list[_Cand]:
    """Objects of role statements ("provided by X") and names defined with an acronym, appended to ``out``
    (``role_at``: where role verbs start in ``text``, if known)."""
    # role objects
    if role_at is None:
        role_at = _literal_starts(text, ROLE_VERB_STARTS)
    for m in _scan_at(ROLE_OBJECT_RE, text, role_at, _WORD_CHAR_RE):
        name = m.group("name").strip()
        longer = ACRONYM_NAME_RE.match(text, m.start("name"))
        defined = None
        if longer and _acronym_fits(longer.group("acr"), longer.group("name")):
            name = longer.group("name")  # "Pathways to Recovery (PTR)": the defined name, connectors and all
            defined = longer.group("acr")
        head_m = HEAD_RE.search(name)
        if head_m:
            name = name[: head_m.end()]
        name = _TRAILING_CONNECTOR_RE.sub("", name)
        name = _LEADING_CAPITAL_THE_RE.sub("", name)
        if not name or name in STOP_LEADING or len(name) < 2:
            continue
        after = ACRONYM_DEF_RE.match(text, m.end("name"))
        out.append(_Cand(name=name, family="role", type=_type_of(name, m.group(0)), source=source,
                         acronym=defined or (after.group("acr") if after else None)))
    # acronym definitions after any capitalised name: "British Pregnancy Advisory Service (BPAS)"
    for m in _acronym_name_matches(text):
        name = POSSESSIVE_END_RE.sub("", m.group("name"))
        acronym = m.group("acr")
        if _acronym_fits(acronym, name):
            out.append(_Cand(name=name, family="acronym-def", type=_type_of(name, ""), source=source,
                             acronym=acronym))
    return out


class _Runs:
    """Runs of the characters of one class in a text, measured back from a position."""

    def __init__(self, text: str, run_re: re.Pattern[str]) -> None:
        self.text = text
        self.run_re = run_re  # ``[class]*``
        self._reversed: str | None = None

    def start(self, at: int, floor: int) -> int:
        """Where the run of class characters that ends at ``at`` starts (``floor`` at the earliest)."""
        if self._reversed is None:
            self._reversed = self.text[::-1]
        m = self.run_re.match(self._reversed, len(self.text) - at)
        assert m is not None
        return max(floor, at - (m.end() - m.start()))


NAME_RUN_RE = re.compile(r"[\w’'\-&\s]*")  # the characters of a defined name up to its "("
ACRONYM_PAREN_RE = re.compile(r"\((?P<acr>[A-Z][A-Za-z&]{1,9})\)")  # the end of every ACRONYM_NAME_RE match


def _acronym_name_matches(text: str) -> Iterator[re.Match[str]]:
    """``ACRONYM_NAME_RE.finditer(text)``, tried only just before each "(": a match that starts
    before a "(" ends in that bracket's acronym (at most 12 characters on), and starts within the run
    of name characters that ends at it."""
    pos = 0
    runs = _Runs(text, NAME_RUN_RE)
    while True:
        paren = text.find("(", pos)
        if paren < 0:
            return
        if not ACRONYM_PAREN_RE.match(text, paren):  # no acronym in this bracket: no match ends in it
            pos = paren + 1
            continue
        start = runs.start(paren, pos)
        m = ACRONYM_NAME_RE.search(text, start, paren + 12)
        if m is not None and m.start() < paren:
            yield m
            pos = m.end()
        else:
            pos = paren + 1


def _acronym_fits(acr: str, name: str) -> bool:
    letters = _NOT_CAPITAL_RE.sub("", acr.upper())
    if len(letters) < 2:
        return False
    words = [w for w in _SPACE_OR_HYPHEN_RE.split(name.replace("&", " ")) if w]
    caps = "".join(w[0].upper() for w in words if w[:1].isalpha())
    it = iter(caps)
    return bool(caps) and all(ch in it for ch in letters) and letters[0] == caps[0]


def split_bodies(text: str) -> list[str]:
    """Split a recommendation heading's list of bodies: commas, "and"; names containing "and"
    ("Stafford and Surrounds CCG") stay whole because a part without a head word is joined to the
    next part when together they end in a head."""
    text = _SPACES_RE.sub(" ", text).strip()
    parts = [p.strip() for p in _BODY_SEPARATOR_RE.split(text) if p.strip()]
    out: list[str] = []
    i = 0
    while i < len(parts):
        p = parts[i]
        if not _family_of(p) and i + 1 < len(parts) and not _is_known_shape(p):
            nxt = parts[i + 1]
            joined = f"{p} and {nxt}"
            if _family_of(nxt) and len(core_words(nxt)) <= 2 and not _family_of(p):
                # "Stafford and Surrounds CCG": the first part alone is not a body
                out.append(joined)
                i += 2
                continue
        out.append(p)
        i += 1
    return out


def _is_known_shape(part: str) -> bool:
    if ACRONYM_RE.match(part):
        return True
    if any(part.lower() == c.lower() for c, _, _ in NATIONAL):
        return True
    return len(core_words(part)) >= 3


# ---------------------------------------------------------------------- resolution


def build_org_index(structure: Structure) -> OrgIndex:
    """Find and resolve every organisation of a report."""
    _core_memo.clear()
    _normed_memo.clear()
    index = OrgIndex(area=structure.meta.area)
    cands = find_candidates(structure)
    headed = [c for c in cands if c.family in ("ccg", "trust", "council", "board", "gp")]
    clusters: list[dict] = []  # {"family", "names": {name: count}, "type", "sources", "acronyms", "geo_only"}
    # find_cluster's exact tests by key: per family, each normalised name and each (non-empty) tuple of
    # core words of a cluster's names, to the position of the first cluster (in ``clusters``) holding
    # one. Clusters are only appended, and names only added, while find_cluster is used.
    first_with: dict[tuple[str, bool, object], int] = {}
    position: dict[int, int] = {}  # id of each cluster -> its position in ``clusters``

    def new_cluster(cl: dict) -> dict:
        position[id(cl)] = len(clusters)
        clusters.append(cl)
        return cl

    def add_name(cl: dict, name: str) -> None:
        cl["names"][name] = cl["names"].get(name, 0) + 1
        pos = position[id(cl)]
        words = core_words(name)
        for key in ((cl["family"], False, _normed(name)), (cl["family"], True, words)):
            if (key[1] is False or words) and first_with.get(key, pos) >= pos:
                first_with[key] = pos

    def find_cluster(name: str, family: str) -> dict | None:
        words = core_words(name)
        nw = _normed(name)
        # the first cluster of the family one of whose names has the same normalised form or the same
        # (non-empty) core words
        same = first_with.get((family, False, nw))
        if words:
            by_words = first_with.get((family, True, words))
            if by_words is not None and (same is None or by_words < same):
                same = by_words
        if same is not None:
            return clusters[same]
        best, best_score = None, 0.0
        a = " ".join(words)
        # a close match needs 8 characters of core words: for a shorter name only the word tests count
        bound = _RatioBound(a, 0.9) if len(a) >= 8 else None
        for cl in clusters:
            if cl["family"] != family:
                continue
            for other in cl["names"]:
                ow = core_words(other)
                if not words or not ow:
                    continue
                short, long_ = (words, ow) if len(words) <= len(ow) else (ow, words)
                if short[0] == long_[0] and is_subsequence(short, long_):
                    extra = [w for w in long_ if w not in short]
                    if len(short) >= 2 or all(w in SOFT_WORDS for w in extra):
                        if not _conflicts(short, long_, cl, clusters, family):
                            return cl
                score = bound.better_ratio(ow, best_score) if bound is not None else None
                if score is not None:
                    best, best_score = cl, score
        if best is not None and best_score >= 0.9:
            return best
        return None

    # 1. names with heads, longest first so that short forms join full ones
    deferred: list[_Cand] = []
    for c in sorted(headed, key=lambda c: -len(core_words(c.name))):
        if c.family == "ccg" and _COLLECTIVE_START_RE.match(c.name):
            continue
        if _ACRONYM_HEADED_RE.fullmatch(c.name):
            deferred.append(c)  # "SSSFT Trust": resolved through the acronym once acronyms are known
            continue
        cl = find_cluster(c.name, c.family)
        if cl is None:
            cl = new_cluster({"family": c.family, "names": {}, "types": [], "sources": [], "acronyms": set(),
                              "geo": [], "plain": set()})
        add_name(cl, c.name)
        cl["types"].append(c.type)
        cl["sources"].append(c.source)
        cl["geo"].append(c.geographic)
        if c.acronym:
            cl["acronyms"].add(c.acronym)

    # plural CCG phrases: "Stoke and North Staffordshire CCGs" distribute over the conjuncts
    for c in cands:
        if c.family != "ccg-plural":
            continue
        body = _PLURAL_CCG_END_RE.sub("", c.name)
        conj = [p.strip() for p in _CONJUNCT_RE.split(body) if p.strip()]
        if len(conj) < 2:
            continue
        known = [find_cluster(f"{p} CCG", "ccg") for p in conj]
        if not any(known):
            continue
        for p, cl in zip(conj, known, strict=True):
            if cl is None:
                cl = new_cluster({"family": "ccg", "names": {}, "types": ["ClinicalCommissioningGroup"],
                                  "sources": [c.source], "acronyms": set(), "geo": [False], "plain": set()})
                add_name(cl, f"{p} CCG")
                cl["weak"] = {p}  # the conjunct as written ("Stoke"): a label, not a mention pattern

    # 2. acronym definitions and headless names (headings, role objects) join a cluster whose core
    #    words they share, else become bodies of their own (role objects and headings only)
    def attach_plain(name: str, c: _Cand) -> dict | None:
        """A name without a head of its own joins the one cluster whose names share its words."""
        words = core_words(name)
        fam = _family_of(name)
        if not words:
            return None
        hits = []
        for cl in clusters:
            if fam and cl["family"] != fam:
                continue
            for other in cl["names"]:
                ow = core_words(other)
                if ow == words or (ow and len(words) >= 2 and words[0] == ow[0] and is_subsequence(words, ow)
                                   and len(words) >= len(ow) - 1):
                    hits.append(cl)
                    break
        return hits[0] if len(hits) == 1 else None

    for c in cands:
        if c.family not in ("heading", "role", "acronym-def"):
            continue
        if c.family == "heading" and _family_of(c.name):
            continue
        cl = attach_plain(c.name, c)
        if cl is not None:
            cl["plain"].add(c.name)
            if c.acronym:
                cl["acronyms"].add(c.acronym)
            cl["sources"].append(c.source)
            cl["geo"].append(False)

    # 3. acronyms defined after headed names
    acr_to_cluster: dict[str, dict] = {}
    for cl in clusters:
        for a in cl["acronyms"]:
            acr_to_cluster.setdefault(a, cl)

    for c in deferred:
        acr = c.name.split()[0]
        cl = acr_to_cluster.get(acr)
        if cl is not None:
            cl["plain"].add(c.name)
            cl["sources"].append(c.source)
            cl["geo"].append(False)
        else:
            cl = {"family": c.family, "names": {c.name: 1}, "types": [c.type], "sources": [c.source],
                  "acronyms": {acr}, "geo": [c.geographic], "plain": set()}
            clusters.append(cl)
            acr_to_cluster[acr] = cl

    # 4. national bodies and partnerships
    lexicon: dict[str, dict] = {}
    for c in cands:
        if c.family.startswith(("national:", "partnership:")):
            canonical = c.family.split(":", 1)[1]
            cl = lexicon.get(canonical)
            if cl is None:
                cl = {"family": c.family, "names": {canonical: 0}, "types": [c.type], "sources": [], "acronyms": set(),
                      "geo": [], "plain": set()}
                lexicon[canonical] = cl
            cl["plain"].add(c.name)
            cl["sources"].append(c.source)
            cl["geo"].append(False)
    # a local board ("Staffordshire Safeguarding Children Board") absorbs the generic one
    for generic, head in GENERIC_PARTNERSHIP_HEADS.items():
        if generic not in lexicon:
            continue
        local = [cl for cl in clusters if any(n.endswith(head) and n != generic for n in cl["names"])]
        if len(local) == 1:
            local[0]["plain"] |= lexicon[generic]["plain"]
            local[0]["sources"] += lexicon[generic]["sources"]
            local[0]["geo"] += lexicon[generic]["geo"]
            del lexicon[generic]
        else:
            for cl in list(clusters):
                if any(n == generic or n.lower() == generic.lower() for n in cl["names"]):
                    lexicon[generic]["plain"] |= set(cl["names"])
                    clusters.remove(cl)
    # headed board names that are just the generic lexicon entry
    lexicon_normed = [(_normed(canonical), lcl) for canonical, lcl in lexicon.items()]
    for cl in list(clusters):
        normed_names = {_normed(n) for n in cl["names"]}
        for canonical_normed, lcl in lexicon_normed:
            if canonical_normed in normed_names:
                lcl["plain"] |= set(cl["names"])
                lcl["sources"] += cl["sources"]
                if cl in clusters:
                    clusters.remove(cl)
    clusters.extend(lexicon.values())

    # 5. role objects and headings that matched nothing: bodies of their own
    for c in cands:
        if c.family not in ("role", "heading"):
            continue
        if c.family == "heading" and _family_of(c.name):
            continue
        name = c.name
        if any(name in cl["plain"] or name in cl["names"] for cl in clusters):
            continue
        if _resolve_in_clusters(name, clusters, acr_to_cluster):
            continue
        if not _plausible_body(name, c):
            continue
        cl = {"family": "provider", "names": {name: 1}, "types": [c.type], "sources": [c.source],
              "acronyms": {c.acronym} if c.acronym else set(), "geo": [False], "plain": set()}
        clusters.append(cl)
        if c.acronym:
            acr_to_cluster.setdefault(c.acronym, cl)

    # 6. public health teams
    councils = [cl for cl in clusters if cl["family"] == "council"]
    ph_clusters: dict[int, dict] = {}
    for c in cands:
        if c.family != "public-health":
            continue
        m = re.search(r"Public Health(?:,\s*|\s+(?:in|at|within|team (?:in|at|of))\s+(?:the\s+)?)(?P<c>.+)$", c.name)
        council_name = m.group("c") if m else re.sub(r"\s*Public Health$", "", c.name)
        target = None
        if council_name and council_name != "Public Health":
            target = _resolve_in_clusters(council_name, councils, acr_to_cluster)
            if target is None:
                for cl in councils:
                    if any(is_subsequence(core_words(council_name), core_words(n)) and core_words(council_name)
                           for n in cl["names"]):
                        target = cl
                        break
        if target is None:
            target = _area_council(councils, structure.meta.area)
        if target is None:
            continue
        ph = ph_clusters.get(id(target))
        if ph is None:
            ph = {"family": "public-health", "names": {}, "types": ["LocalAuthority"], "sources": [],
                  "acronyms": set(), "geo": [], "plain": set(), "parent": target}
            ph_clusters[id(target)] = ph
        ph["plain"].add(c.name)
        ph["sources"].append(c.source)
        ph["geo"].append(False)
    clusters.extend(ph_clusters.values())

    # 7. sites: hospitals named beside their trust belong to it
    _attach_sites(structure, clusters, acr_to_cluster)

    # 8. materialise
    for cl in clusters:
        if cl.get("drop"):
            continue
        sources = [s for s, g in zip(cl["sources"], cl["geo"], strict=False) if not g] if cl["geo"] else cl["sources"]
        if not sources and cl["family"] not in ("ccg",):
            continue
        names = dict(cl["names"])
        if cl["family"] == "public-health":
            parent = cl["parent"]
            pname = _canonical(parent)
            canonical = f"Public Health, {pname}"
        else:
            canonical = _canonical(cl) if names else sorted(cl["plain"], key=len)[-1]
        typ = _cluster_type(cl)
        key = _key_for(canonical, typ)
        if cl["family"].startswith(("national:", "partnership:")):
            key = slug(canonical)
        if key in index.organisations:
            org = index.organisations[key]
            org.aliases |= set(names) | cl["plain"] | cl["acronyms"]
            continue
        aliases = (set(names) | cl["plain"] | cl["acronyms"]) - {canonical}
        aliases |= cl.get("weak", set())
        org = Organisation(key=key, name=canonical, type=typ, aliases=aliases,
                           sources=sorted(set(sources), key=str), sites=set(cl.get("sites", set())))
        if cl["family"] == "public-health":
            org.parent = _key_for(_canonical(cl["parent"]), "LocalAuthority")
        index._add(key, org, cl["family"].split(":")[0], weak=cl.get("weak", set()))
    for key, org in index.organisations.items():
        for site in org.sites:
            index._sites.setdefault(_normed(site), key)
    return index


def _canonical(cl: dict) -> str:
    names = cl["names"]
    if not names:
        return sorted(cl["plain"], key=len)[-1]
    if cl["family"].startswith(("national:", "partnership:")):
        return next(iter(names))

    def score(n: str) -> tuple[int, int, int, int]:
        has_head = 1 if _family_of(n) else 0
        typo_penalty = 0
        short = _CCG_LONG_RE.sub("CCG", n)  # one spelling of the head
        return (has_head, len(core_words(n)) + len(norm_words(short)), names[n], -typo_penalty)

    return max(names, key=score)


def _cluster_type(cl: dict) -> str:
    types = cl["types"]
    if not types:
        return "Organisation"
    if "NHSFoundationTrust" in types:
        return "NHSFoundationTrust"
    order = ["ClinicalCommissioningGroup", "NHSTrust", "LocalAuthority", "NationalBody", "Partnership",
             "GPPractice", "IndependentProvider", "VoluntaryOrganisation"]
    counts = {t: types.count(t) for t in set(types)}
    return max(counts, key=lambda t: (counts[t], -order.index(t) if t in order else -99))


def _resolve_in_clusters(name: str, clusters: list[dict], acronyms: dict[str, dict]) -> dict | None:
    """The one cluster a name belongs to (same family when the name has a head), else None."""
    name = LEADING_THE_RE.sub("", name.strip())
    if name in acronyms:
        return acronyms[name]
    fam = _family_of(name)
    nw = _normed(name)
    words = core_words(name)
    hits: list[dict] = []
    for cl in clusters:
        if fam and cl["family"] != fam:
            continue
        for other in list(cl["names"]) + list(cl["plain"]) + list(cl["acronyms"]):
            if _normed(other) == nw:
                return cl
            ow = core_words(other)
            if words and ow and ow == words and cl not in hits:
                hits.append(cl)
    return hits[0] if len(hits) == 1 else None


def _conflicts(short: Sequence[str], long_: Sequence[str], cl: dict, clusters: list[dict], family: str) -> bool:
    """A short form is ambiguous when it is a subsequence of names in two different clusters."""
    hits = 0
    for other_cl in clusters:
        if other_cl["family"] != family:
            continue
        if any(is_subsequence(short, core_words(n)) and core_words(n)[:1] == short[:1] for n in other_cl["names"]):
            hits += 1
    return hits > 1


def _plausible_body(name: str, c: _Cand) -> bool:
    words = name.split()
    if not words or len(words) > 8:
        return False
    if all(w.lower() in {"health", "services", "service", "team", "teams", "the", "and", "of"} for w in words):
        return False
    # service and team words are not bodies: "Family Nurse Partnership", "Health Visiting"
    if not core_words(name) and not ACRONYM_RE.match(name):
        return False
    if name.upper() == name and name in HEAD_TOKENS | {"NHS", "CCG", "CCGs"}:
        return False
    if re.search(r"\b(?:Services|Team|Teams|Programme|Pathway|Nurse|Nurses|Nursing|Visiting|Visitors?|Unit|"
                 r"Clinic|Health Assessments?|CAMHS|Tier|Tiers|Policy|Plan|Strategy|Protocol|Guidance|Act|"
                 r"Mental Health|Health Visit\w*|School|Midwi\w*|Maternity|Immunisation|Screening)\b", name):
        return False
    if re.fullmatch(r"[A-Z]{2,6}", name) and c.family == "heading":
        return True
    if c.family == "role":
        return True
    return c.family == "heading" and len(words) >= 2


def _area_council(councils: list[dict], area: str | None) -> dict | None:
    if not councils:
        return None
    if area:
        aw = core_words(area)
        for cl in councils:
            for n in cl["names"]:
                if core_words(n) == aw:
                    return cl
    return councils[0] if len(councils) == 1 else None


SITE_HEADS = ("Hospital", "Infirmary", "Unit", "Centre")
SITE_RE = re.compile(r"(?P<site>(?:[A-Z][\w’'\-]*\s+){1,5}(?:" + "|".join(SITE_HEADS) + r"))\b")


SITE_HEAD_WORD_RE = re.compile("|".join(SITE_HEADS))
SITE_RUN_RE = re.compile(r"[\w’'\-\s]*")  # the characters a site name is made of


def _site_matches(text: str) -> Iterator[re.Match[str]]:
    """``SITE_RE.finditer(text)``, searched only in the runs of name characters that hold a site head
    word: a match lies within one such run (its closing \b may look at the character after)."""
    pos = 0
    runs = _Runs(text, SITE_RUN_RE)
    while True:
        head = SITE_HEAD_WORD_RE.search(text, pos)
        if head is None:
            return
        start = runs.start(head.start(), pos)
        end = SITE_RUN_RE.match(text, head.start()).end()  # type: ignore[union-attr]
        yield from SITE_RE.finditer(text, start, min(len(text), end + 1))
        pos = end


def _owner_patterns(n: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The trust name ``n`` just before a site (``before``) or just after it (``after``)."""
    name = re.escape(n)
    before = re.compile(r"(?<![\w])" + name + r"(?![\w])\)?(?:’s|'s)?\s+(?:at\s+)?$|"
                        r"(?<![\w])" + name + r"(?![\w])(?:’s|'s)?\s*$")
    after = re.compile(r"^\s*(?:\(|,\s*(?:[A-Z][\w]+,\s*)?)\s*" + name + r"\b")
    return before, after


def _attach_sites(structure: Structure, clusters: list[dict], acronyms: dict[str, dict]) -> None:
    """A hospital site named next to a trust (or with the trust's acronym in brackets, or after a
    possessive of the trust) belongs to that trust; such a site is never an organisation."""
    owners: list[tuple[str, dict]] = []  # longest name first
    for cl in clusters:
        if cl["family"] in ("trust",):
            for n in list(cl["names"]) + list(cl["plain"]) + list(cl["acronyms"]):
                if n:
                    owners.append((n, cl))
    if not owners:
        return
    owners.sort(key=lambda x: -len(x[0]))
    for p in structure.paragraphs:
        if not SITE_HEAD_WORD_RE.search(p.text):  # every site name ends in one of them
            continue
        for m in _site_matches(p.text):
            site = _SITE_LEAD_RE.sub("", m.group("site").strip())
            window_before = p.text[max(0, m.start() - 60): m.start()]
            window_after = p.text[m.end(): m.end() + 70]
            owner = None
            for n, cl in owners:
                if n not in window_before and n not in window_after:
                    continue
                before, after = _owner_patterns(n)
                if before.search(window_before) or after.match(window_after):
                    owner = cl
                    break
            # a site named beside its trust is the trust's, even where a statement elsewhere made a
            # provider of it ("delivered by County Hospital obstetricians"); a body with a head of its
            # own ("X Hospital NHS Trust") is never a site
            if owner is not None and not any(site in c["names"] for c in clusters
                                             if c is not owner and c["family"] != "provider"):
                owner.setdefault("sites", set()).add(site)
    for cl in clusters:
        for site in cl.get("sites", set()):
            # drop any headless provider cluster that is really this site
            for other in clusters:
                if other is not cl and other["family"] == "provider" and site in other["names"]:
                    other["drop"] = True
