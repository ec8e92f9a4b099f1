"""Who commissions and who provides what: commissioning and provision statements, and transfers.

Reads the context section and every numbered finding, sentence by sentence, and turns the
statements reports make about services into ``Arrangement`` (commissions / provides) and
``Transfer`` records, each with its evidence quote and source ("context" or the finding number).

How a sentence is read
----------------------
1. Mentions: organisations (``OrgIndex.mentions``, collectives such as "the CCGs" through
   ``OrgIndex.expand_collective``, and names in a provider position that the index does not know
   yet, registered with ``OrgIndex.ensure``), services (``services.find_services``) and places
   ("for North Staffordshire", "in the North of the county").
2. Cues, in order of position: passive ("are commissioned [for P] by", "provided by", "carried
   out by", "employed by", "led by", "the responsibility of", "lead commissioner is"), active
   ("X commission(s)", "Y provides/delivers/runs", "Y which provides", "X commissioned Y to
   deliver"), role phrases ("X as the commissioner of", "X acting as the lead commissioner on
   behalf of Z for", "through X special commissioning", "Y became the provider of", "with input
   from Y", "known collectively as Y") and continuations ("... and by B for South X").
3. Each cue takes its organisations from the list next to it (after a passive "by", before an
   active verb), its services from its subject (or, for "for ..." lists, its object), and its
   scope from the place phrase in its own segment, else from the subject. A clause whose subject
   is only anaphoric ("This", "Inpatient services", "Lead commissioner is ...") takes the services
   of the previous statement in the same paragraph; "The provider"/"The trust" as a subject takes
   the previous provider.
4. Noun compounds in findings also state provision: "the SSSFT GUM service", "BHFT's Queens
   Hospital ED", "the adult substance misuse service, One Recovery,", "maternity services at UHNM".

Policy (as in the gold standard): one fact per (organisation, service, scope); a finding adds a
fact only for a new (organisation, service) pair or a new explicit geography; whole-area scope
("across the county", "across <area>") is recorded as no scope; commissioning is read from
present-tense statements only (not "previously commissioned", "will be commissioned", "not
commissioned"); "– not included in this CLAS review" marks a provision ``in_review=False``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from .model import Arrangement, Organisation, Paragraph, Structure, Transfer
from .prefilter import Gated, Prefilter, fold, folded_pattern, may_match, required_words
from .services import ServiceMention, mentions_each, service_mentions

# ----------------------------------------------------------------------------- interfaces


class _Mention(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def surface(self) -> str: ...

    @property
    def key(self) -> str: ...


class OrgLookup(Protocol):
    """What this module needs of ``organisations.OrgIndex``."""

    organisations: dict[str, Organisation]
    area: str | None

    def resolve(self, name: str) -> str | None: ...

    def mentions(self, text: str) -> Iterable[_Mention]: ...

    def expand_collective(self, phrase: str) -> list[str]: ...

    def ensure(self, name: str, type_hint: str | None = None, source: str = "") -> str: ...


@dataclass
class CommissioningResult:
    arrangements: list[Arrangement] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def commissioning(self) -> list[Arrangement]:
        return [a for a in self.arrangements if a.relation == "commissions"]

    @property
    def provision(self) -> list[Arrangement]:
        return [a for a in self.arrangements if a.relation == "provides"]

    def services_without_commissioner(self) -> list[str]:
        """Service keys that some body provides but no statement says who commissions."""
        commissioned = {a.service for a in self.commissioning}
        return sorted({a.service for a in self.provision} - commissioned)


# ----------------------------------------------------------------------------- mentions


class OM(NamedTuple):
    """An organisation mention: one body, or a collective expanded to several. (A named tuple, not a
    frozen dataclass: a report makes thousands, and a frozen dataclass costs three times as much to make;
    mentions are compared only with mentions, where the two agree.)"""

    start: int
    end: int
    keys: tuple[str, ...]
    surface: str
    site: bool = False  # a hospital site standing for its trust
    collective: bool = False


@dataclass(frozen=True)
class Place:
    start: int
    end: int
    text: str  # as written, without the preposition
    scope: str | None  # None for the whole area


MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1
    )
}
MONTH_RE = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DATE_RE = re.compile(
    r"\b(?:in|from|on|during|since|by|at the start of|at the end of|with effect from)\s+"
    r"(?:(?:early|mid|late|the end of|the start of)\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?"
    r"(?P<month>" + MONTH_RE + r")?,?\s*(?P<year>(?:19|20)\d\d)\b",
    re.I,
)

APOS = "['’`]"
DIRECTION = r"(?:North|South|East|West|Central|Northern|Southern|Eastern|Western)"
PLACE_WORD = r"(?:[A-Z][a-z’'`]+(?:-(?:on|upon|under|in|le)-[A-Z][a-z]+|-[A-Z][a-z]+)*)"
PLACE_NAME = (
    rf"{PLACE_WORD}(?:\s+(?:(?:on|upon|under)\s+)?{PLACE_WORD})*"
)
PLACE_CORE = (
    rf"(?:the\s+)?(?:{DIRECTION}(?:\s+{DIRECTION})?\s+(?:of\s+(?:the\s+)?)?)?"
    rf"(?:county|borough|city|district|area|region|{PLACE_NAME})"
)
PLACE_RE = re.compile(
    rf"\b(?P<prep>(?i:for|in|across|to|throughout|within|covering|serving))\s+"
    rf"(?P<place>{PLACE_CORE}(?:(?:\s*,\s*|\s+(?:and|&)\s+)(?!the\s+(?:North|South|East|West)\s+of\b){PLACE_CORE})*)"
)
NOT_PLACE_WORDS = {
    "children", "child", "young", "people", "tier", "public", "health", "nhs", "ccg", "ccgs", "council",
    "trust", "hospital", "hospitals", "unit", "board", "commissioning", "service", "services", "recommendation",
    "the", "looked", "after", "care", "level", "year", "years", "school", "team", "safeguarding",
    "partnership", "programme", "review", "clas", "cqc", "designated", "named", "lead", "general",
    "practice", "practices", "family", "nurse", "nurses", "mental", "adult", "adults", "this", "that",
}
NOT_PLACE_WORDS |= set(MONTHS)
WHOLE_AREA = {"county", "the county", "the borough", "borough", "the city", "the area", "area",
              "the region", "the district", "the local area", "england", "the whole county", "the whole area"}

COLLECTIVE_RE = Gated(re.compile(
    r"\b(?:(?:[Tt]he|[Aa]ll|[Bb]oth|[Ee]ach of the|[Aa]ll of the|[Aa]ll the)\s+)?"
    r"(?:(?:\d+|two|three|four|five|six|seven|eight)\s+)?"
    r"(?:(?:[A-Z][a-z]+|&)\s+){0,3}"
    r"(?:CCGs|Clinical Commissioning Groups|clinical commissioning groups)\b"
    r"|\b[Tt]he (?:CCG|Clinical Commissioning Group|clinical commissioning group)\b(?!['’]?s\b)"
))

# Descriptors that may precede a provider's name: "a third sector provider Addiction and ...".
DESCRIPTOR_RE = re.compile(
    r"^\s*(?:(?:the|a|an)\s+)?(?:(?:local|national|new|independent|private|third[- ]sector|voluntary(?:\s+sector)?|"
    r"charitable|social enterprise|specialist|community|nhs|not[- ]for[- ]profit)\s+)*"
    r"(?:provider|organisation|charity|agency|company|trust|enterprise|partner)\s+(?=[A-Z])",
    re.I,
)
VOLUNTARY_RE = re.compile(r"third[- ]sector|voluntary|charit|not[- ]for[- ]profit|social enterprise", re.I)
INDEPENDENT_RE = re.compile(r"\bindependent\b|\bprivate\b", re.I)

NAME_RE = re.compile(
    r"(?:[A-Z][\w’'&-]*|[A-Z]{2,}[\w&]*)(?:[ \t]+(?:(?:of|and|&|for|the|on|upon)[ \t]+)*(?:[A-Z][\w’'&-]*))*"
    r"(?:\s*\((?P<acr>[A-Z][A-Za-z&]{1,9})\))?"
)
ORG_HEAD_RE = re.compile(
    r"\b(?:Trust|Council|CCG|Group|Service|Services|Solutions|Partnership|Foundation|Hospitals?|Charity|Ltd|"
    r"Limited|CIC|Healthcare|Care|Society|Agency|Centre|Clinic|Project|Association|Alliance|Consortium)$"
)


SITE_NAME_RE = Gated(re.compile(r"\b(?:[A-Z][\w’'-]*\s+){1,5}(?:Hospital|Infirmary|Unit|Centre)\b"))
QUALIFIED_RE = re.compile(r"\b(?:community|acute|specialist|specialised|mental|universal|targeted|hospital|public|"
                          r"primary|secondary|tertiary|dental|therapy)\s+$", re.I)


SPACES_RE = re.compile(r"\s+")


def _fold(text: str) -> str:
    return SPACES_RE.sub(" ", text).strip()


SITE_WORD_RE = re.compile(r"\b(?:Hospital|Infirmary|Unit|Centre)\b")
TRUST_WORD_RE = re.compile(r"\b(?:Trust|Hospitals)\b")


def _is_site_surface(orgs: OrgLookup, key: str, surface: str) -> bool:
    org = orgs.organisations.get(key)
    if org is None:
        return False
    s = _norm(surface)
    if any(_norm(site) == s for site in org.sites):
        return True
    if not SITE_WORD_RE.search(surface) or TRUST_WORD_RE.search(surface):
        return False
    return s not in {_norm(org.name), *(_norm(a) for a in org.aliases)}


LEADING_LOWER_THE_RE = re.compile(r"^the\s+")
NOT_NAME_CHARS_RE = re.compile(r"[^a-z0-9']+")


@functools.lru_cache(maxsize=8192)  # the same names and surfaces are compared sentence after sentence
def _norm(text: str) -> str:
    text = text.lower().replace("’", "'").replace("&", " and ")
    text = LEADING_LOWER_THE_RE.sub("", text)
    return NOT_NAME_CHARS_RE.sub(" ", text).strip()


class SentenceView:
    """One sentence with its organisation, service and place mentions (places are read on first use:
    most sentences state nothing that needs them)."""

    def __init__(self, text: str, orgs: OrgLookup, area: str | None, folded: str | None = None,
                 raw_cues: list[_RawCue] | None = None, services: Sequence[ServiceMention] | None = None) -> None:
        self.raw_cues = raw_cues  # _raw_cues of the sentence, if the caller has them already
        self.text = text
        self.folded = fold(text) if folded is None else folded  # for the keyword prefilters of its patterns
        self.orgs = orgs
        self.area = area
        oms: list[OM] = []
        for mention in orgs.mentions(text):
            oms.append(OM(mention.start, mention.end, (mention.key,), mention.surface,
                          _is_site_surface(orgs, mention.key, mention.surface)))
        # hospital sites: the index resolves them to their trust, though it does not list them as mentions
        for sm in SITE_NAME_RE.finditer(text, self.folded):
            if any(o.start < sm.end() and sm.start() < o.end for o in oms):
                continue
            words = sm.group(0).split()
            for k in range(len(words) - 1):  # "We visited Queens Hospital": drop leading words one by one
                name = " ".join(words[k:])
                key = orgs.resolve(name)
                if key:
                    start = sm.end() - len(name)
                    oms.append(OM(start, sm.end(), (key,), name, site=_is_site_surface(orgs, key, name)))
                    break
        for cm in COLLECTIVE_RE.finditer(text, self.folded):
            if any(o.start < cm.end() and cm.start() < o.end for o in oms):
                continue  # a known body ("Stoke and North Staffordshire CCGs"): the index decides
            keys = tuple(orgs.expand_collective(cm.group(0)))
            if keys:
                oms.append(OM(cm.start(), cm.end(), keys, cm.group(0), collective=True))
        oms.sort(key=lambda o: o.start)
        self.oms = oms
        found = service_mentions(text) if services is None else services
        if oms:  # a service named inside an organisation's name is not a service of the sentence
            found = [s for s in found if not any(o.start <= s.start and s.end <= o.end for o in oms)]
        self.services = [
            s for s in found
            # "community/acute/specialist health services for children" is not the general commissioning
            if s.key != "childrens-health-services" or not QUALIFIED_RE.search(text[max(0, s.start - 30) : s.start])
        ]

    @functools.cached_property
    def places(self) -> list[Place]:
        return self._places(self.area)

    def _places(self, area: str | None) -> list[Place]:
        out: list[Place] = []
        area_n = _norm(area) if area else None
        for m in PLACE_RE.finditer(self.text):
            start, end = m.start("place"), m.end("place")
            place = m.group("place")
            # trim a trailing part that is an organisation or service
            cut = end
            for o in self.oms:
                if start <= o.start < cut:
                    cut = o.start
            for s in self.services:
                if start <= s.start < cut:
                    cut = s.start
            place = self.text[start:cut].rstrip(" ,&").removesuffix(" and").rstrip(" ,")
            if not place:
                continue
            words = PLACE_WORDS_RE.findall(place)
            if not words:
                continue
            low = [w.lower() for w in words]
            caps = [w for w in words if w[0].isupper()]
            if any(w in NOT_PLACE_WORDS for w in low if w not in ("the",)) and not re.search(
                r"\b(?:county|borough|city|district|area|region)$", place, re.I
            ):
                continue
            if not caps and not re.search(r"\b(?:county|borough|city|district|area|region)$", place, re.I):
                continue
            if caps and all(w.lower() in ("north", "south", "east", "west", "the") for w in words) and not re.search(
                r"\bof\b", place
            ):
                continue
            if BUILDING_BEFORE_RE.search(self.text[: m.start()]):
                continue  # "Huntercombe Hospital in Stafford": where a building is, not what a statement covers
            n = _norm(place)
            scope: str | None = _fold(LEADING_LOWER_THE_RE.sub("", place))
            if n in WHOLE_AREA or (area_n and n in (area_n, f"whole of {area_n}", f"all of {area_n}")):
                scope = None
            out.append(Place(start, start + len(place), place, scope))
        return out

    # helpers
    def oms_in(self, a: int, b: int) -> list[OM]:
        return [o for o in self.oms if a <= o.start and o.end <= b]

    def services_in(self, a: int, b: int) -> list[ServiceMention]:
        return [s for s in self.services if a <= s.start and s.end <= b]

    def places_in(self, a: int, b: int) -> list[Place]:
        return [p for p in self.places if a <= p.start and p.end <= b]

    def om_at(self, pos: int) -> OM | None:
        for o in self.oms:
            if o.start == pos:
                return o
        return None


# ----------------------------------------------------------------------------- org lists

LIST_SEP_RE = re.compile(r"\s*(?:,\s*(?:and\s+|&\s+)?|\s+and\s+|\s*&\s*|\s*/\s*|;\s*and\s+)(?:the\s+|by\s+the\s+)?")
ACR_RE = re.compile(r"\s*\([A-Z][A-Za-z&]{1,9}\)")


@dataclass
class OrgList:
    start: int
    end: int
    members: list[OM]
    hints: dict[str, str] = field(default_factory=dict)  # key -> type hint used when registering
    in_review: dict[str, bool] | None = None  # key -> False when every listing says "not included in this review"


def parse_org_list(sv: SentenceView, pos: int, source: str, allow_new: bool = False, hint: str | None = None) -> OrgList:
    """Organisations listed from ``pos`` on: "A, B and C", "the CCGs", "a third sector provider X (X)".

    With ``allow_new``, a name the index does not know yet (the object of "provided by") is
    registered with ``OrgIndex.ensure``; a descriptor before it ("a third sector provider") gives
    its type."""
    text = sv.text
    members: list[OM] = []
    hints: dict[str, str] = {}
    i = pos
    while True:
        m = LEADING_THE_RE.match(text[i:])
        j = i + (m.end() if m else 0)
        local_hint = hint
        d = DESCRIPTOR_RE.match(text[j:])
        if d:
            desc = d.group(0)
            if VOLUNTARY_RE.search(desc):
                local_hint = "VoluntaryOrganisation"
            elif INDEPENDENT_RE.search(desc):
                local_hint = "IndependentProvider"
            j += d.end()
        om = next((o for o in sv.oms if j <= o.start <= j + 1), None)
        if om is None and j != i:
            om = next((o for o in sv.oms if i <= o.start <= j), None)
        if om is not None:
            end = om.end
            a = ACR_RE.match(text[end:])
            if a:
                end += a.end()
            members.append(om)
            if local_hint:
                for k in om.keys:
                    hints[k] = local_hint
            i = end
        elif allow_new and not (members and members[-1].site):
            nm = NAME_RE.match(text[j:])
            if not nm or not _plausible_name(nm.group(0)):
                break
            raw = nm.group(0)
            om = _register(sv, j, raw, local_hint, source, hints)
            if om is None:
                break
            members.append(om)
            i = j + len(raw)
        else:
            break
        sep = LIST_SEP_RE.match(text[i:])
        if not sep:
            break
        nxt = i + sep.end()
        if not any(nxt - 4 <= o.start <= nxt + 1 for o in sv.oms):
            if not allow_new:
                break
            nm = NAME_RE.match(text[nxt:])
            if not nm or not _plausible_name(nm.group(0)):
                break
        i = nxt
        if text[i - 4 : i].lower() == "the ":
            i -= 4
    if not members:
        return OrgList(pos, pos, [])
    end = members[-1].end
    a = ACR_RE.match(text[end:])
    if a:
        end += a.end()
    return OrgList(members[0].start, end, members, hints)


NEW = "new:"  # key prefix of a body to register with OrgIndex.ensure once a fact about it is kept


def _register(sv: SentenceView, at: int, raw: str, hint: str | None, source: str, hints: dict[str, str]) -> OM | None:
    """A provider named in the text: its key if the index knows it, else a pending key
    ("new:<type hint>|<name>") that ``_emit`` registers with ``OrgIndex.ensure`` only if a fact is
    kept, so that no body is created for a statement that comes to nothing."""
    name = ACR_RE.sub("", raw).strip()
    name = re.sub(r"\s+(?:in|on|of|and|for|the|&)$", "", name)
    if any(at <= s.start < at + len(raw) for s in sv.services):
        return None  # "CAMHS provide ...": a service, not a body
    if re.search(r"\b(?:Hospital|Unit|Centre|Clinic)$", name) and not re.search(
            r"\b(?:NHS|Trust|Teaching|University|General|District|Royal|Community|Infirmary)\b", name):
        hint = hint or "IndependentProvider"  # a hospital with no NHS marks: "Larchwood Hospital"
    key = sv.orgs.resolve(raw) or sv.orgs.resolve(name)
    if key is None:
        if not name:
            return None
        key = f"{NEW}{hint or ''}|{name}"
    if hint:
        hints[key] = hint
    return OM(at, at + len(raw), (key,), raw)


FIRST_WORD_STOP = {
    "tier", "in", "for", "the", "this", "these", "they", "it", "we", "a", "an", "health", "children", "child",
    "public", "local", "nhs", "ccg", "ccgs", "gp", "gps", "looked", "young", "school", "adult", "adults",
    "community", "specialist", "north", "south", "east", "west", "central", "inpatient", "in-patient",
    "each", "all", "both", "some", "most", "other", "their", "its", "our", "his", "her", "there", "staff",
}


def _plausible_name(raw: str) -> bool:
    """Does ``raw`` look like the proper name of a body (not a place, a month or a generic phrase)?"""
    name = ACR_RE.sub("", raw).strip()
    if len(name) < 2 or MONTH_YEAR_RE.fullmatch(name):
        return False
    words = name.split()
    if ACRONYM_NAME_RE.fullmatch(name):  # an acronym: "CRI", "BPAS"
        return True
    if ORG_HEAD_RE.search(name):
        return words[0].lower() not in {"the", "this", "these", "in", "for", "tier", "a", "an"}
    if len(words) < 2 or words[0].lower() in FIRST_WORD_STOP:
        return False
    return all(w[0].isupper() or w.lower() in ("of", "and", "&", "for", "the", "on", "upon", "in") for w in words)


# ----------------------------------------------------------------------------- noun compounds

PROVIDER_TYPES = frozenset({"NHSTrust", "NHSFoundationTrust", "VoluntaryOrganisation", "IndependentProvider",
                            "Organisation", "Partnership"})
# "ORG ['s] [(ACR)] [Site] [modifiers] SERVICE"; all matched at a position of the sentence
COMPOUND_AFTER_ORG_RE = re.compile(r"(?:['’]s)?(?:\s*\([A-Z][A-Za-z&]{1,9}\))?\s+")
COMPOUND_SITE_RE = re.compile(r"(?:[A-Z][\w’'-]*\s+){0,3}(?:Hospital|Infirmary)\s+")
COMPOUND_MODIFIERS_RE = re.compile(
    r"(?:(?:safeguarding|specialist|community|integrated|local|new|existing|hospital)\s+(?:team\s+supporting\s+)?)*", re.I)
# "The adult substance misuse service, One Recovery,": searched in the sentence up to the body
NAMED_BEFORE_RE = re.compile(r"\b(?:service|team|provider)\s*,\s*(?:the\s+)?$")
NAMED_BEFORE_WORDS = required_words(NAMED_BEFORE_RE)
NAMED_AFTER_RE = re.compile(r"\s*(?:\([A-Z][A-Za-z&]{1,9}\))?\s*(?:,|has|is|provides)")
SERVICE_AT_RE = re.compile(r"\s*(?:services?|units?|clinics?|departments?)?\s+at\s+")


# ----------------------------------------------------------------------------- cues

# Cue patterns written as a lead-in and a tail (``_tailed``): every match of such a pattern ends with a
# match of its tail, so a sentence in which the tail alone finds nothing holds no match of the pattern.
# A tail that begins with a word ("led by", "commission") is found many times faster than the whole
# pattern, whose optional lead-in ("is", "are", "also", ...) is tried at every word of the sentence.
_CUE_TAILS: dict[re.Pattern[str], str] = {}  # pattern -> its tail (the alternation of its branches' tails)


def _tailed(lead_in: str, tail: str) -> re.Pattern[str]:
    """The case-insensitive pattern ``lead_in + tail``; neither part may hold a top-level ``|``. The
    pattern's text is exactly the two parts joined, so it is the pattern it always was."""
    return _tailed_branches((lead_in, tail))


def _tailed_branches(*branches: tuple[str, str]) -> re.Pattern[str]:
    """The alternation of several ``lead_in + tail`` branches (as ``_tailed``); its tail is the
    alternation of theirs."""
    rx = re.compile("|".join(lead + tail for lead, tail in branches), re.I)
    _CUE_TAILS[rx] = "|".join(tail for _lead, tail in branches)
    return rx


AUX = r"(?:(?:is|are|was|were|be|been|being|has been|have been|had been)\s+)"
ADV = (r"(?:(?:also|currently|now|jointly|separately|mainly|largely|primarily|solely|all|both|each|predominantly|"
       r"partly|directly|locally|centrally|nationally)\s+)")

# kind, relation, role, regex. The regex's end is where the object starts.
PASSIVE_CUES: list[tuple[str, str, str | None, re.Pattern[str]]] = [
    ("passive", "commissions", None,
     re.compile(rf"\b{AUX}?{ADV}*(?:jointly\s+|co-)?commissioned\s+{ADV}*(?P<mid>(?:for|in|across)\s+[^,;.]{{2,60}}?\s+)?by\b", re.I)),
    ("passive", "commissions", None,
     _tailed(rf"\b{AUX}?{ADV}*", r"(?:carried out|undertaken)\s+(?P<mid>(?:for|in|across)\s+[^,;.]{2,60}?\s+)?by\b")),
    ("passive", "provides", None,
     re.compile(rf"\b{AUX}?{ADV}*(?:provided|delivered|run|operated|hosted|managed)\s+{ADV}*"
                rf"(?P<mid>(?:for|in|across|to|at|from)\s+[^,;.]{{2,60}}?\s+)?(?:by|through)\b\s*[;:]?", re.I)),
    ("passive", "provides", "lead", _tailed(rf"\b{AUX}?{ADV}*", r"led\s+by\b")),
    ("passive", "provides", "employs", re.compile(rf"\b{AUX}?{ADV}*employed\s+by\b", re.I)),
    ("passive", "provides", None, _tailed(rf"\b{AUX}?{ADV}*", r"(?:commissioned|purchased|contracted)\s+from\b")),
    ("passive", "commissions", None,
     re.compile(r"\b(?:is|are|remains?|was|were)\s+(?:now\s+|currently\s+)?(?:the\s+)?(?:joint\s+|shared\s+|statutory\s+)?"
                r"responsibility\s+of\b", re.I)),
    ("passive", "commissions", "lead",
     re.compile(r"\b(?:the\s+)?lead\s+commissioners?(?:\s+(?:for|of)\s+[^.;]{2,80}?)?\s+(?:is|are)\b", re.I)),
    ("passive", "provides", "input", re.compile(r"\bwith\s+(?:some\s+|additional\s+|clinical\s+|specialist\s+)*input\s+from\b", re.I)),
    ("passive", "provides", "collaboration", re.compile(r"\bknown\s+(?:collectively\s+|jointly\s+)?as\b", re.I)),
]
ELLIPSIS_RE = re.compile(r"\s*,?\s*(?:and|while|whilst)\s+(?P<np>(?:the\s+)?[^,;.]{2,60}?)\s+by\b", re.I)
CONTINUE_RE = re.compile(r"\s*[,;]?\s*(?:and|or)\s+(?:also\s+)?by\b", re.I)

ACTIVE_COMMISSION_RE = _tailed(r"\b(?:jointly\s+|also\s+|currently\s+|now\s+)?(?:co-)?",
                               r"commission(?:s|ed)?\b(?!\s+(?:by|for\s+[^.]{0,60}?\s+by)\b)")
ACTIVE_PROVIDE_RE = re.compile(
    r"\b(?:also\s+|currently\s+|now\s+|still\s+)?(?:provides|provide|provided|delivers|deliver|delivered|runs|run|operates|operate|"
    r"hosts|host|employs|employ|employing|providing|delivering|offers|offer|leads|lead|"
    r"holds?\s+the\s+contracts?\s+(?:for|to\s+provide|to\s+deliver))"
    r"\b(?!\s+(?:by|through)\b)",
    re.I,
)
AS_COMMISSIONER_RE = re.compile(
    r"\b(?:as|is|are|remains?|acts?\s+as|acting\s+as)\s+(?:now\s+|currently\s+|also\s+)?(?:the\s+)?"
    r"(?:lead\s+|joint\s+|main\s+|responsible\s+|co-|sole\s+|principal\s+)?commissioners?\s+(?:of|for)\b", re.I
)
ACTING_LEAD_RE = re.compile(
    r"\b(?:acting|acts|act|is|are|has been|was)\s+(?:as\s+)?(?:the\s+)?lead\s+commissioners?\b", re.I
)
RESPONSIBLE_FOR_RE = re.compile(
    r"\b(?:(?:is|are|remains?|has\s+been|have\s+been)\s+(?:now\s+|currently\s+|also\s+)?responsible\s+for|carr(?:y|ies)\s+out|undertakes?|leads?|"
    r"(?:is|are)\s+(?:now\s+|currently\s+|also\s+)?(?:leading|undertaking))\s+(?:the\s+)?commissioning"
    r"(?:\s+and\s+(?:planning|contracting|procurement))?(?:\s+(?:of|for))?\b",
    re.I,
)
COMMISSIONER_OF_RE = re.compile(r"\b(?:the\s+)?(?:lead\s+|joint\s+|main\s+)?commissioners?\s+(?:of|for)\s+", re.I)
COMMISSIONER_OF_WORDS = required_words(COMMISSIONER_OF_RE)
NOT_A_SERVICE_OBJECT_RE = re.compile(
    r"\s*(?:(?:an?|the|some|its|their|regular|annual|additional|independent|external|joint|level\s+\d)\s+)*"
    r"(?:\w+\s+){0,2}?(?:review|audit|report|evaluation|study|consultation|analysis|inspection|investigation|"
    r"training|survey|research|supervision|update|briefing|feedback|information|advice)s?\b",
    re.I,
)
PRONOUN_OBJECT_RE = re.compile(
    r"^\s*(?:them|it|both|these(?:\s+services?)?|those(?:\s+services?)?|this(?:\s+service)?|the\s+services?|"
    r"the\s+latter|the\s+former)\b", re.I)
THROUGH_RE = re.compile(r"\b(?:through|via|by)\s+(?:the\s+)?$", re.I)
SPECIAL_COMMISSIONING_RE = re.compile(r"^\s*(?:\([A-Z]+\)\s*)?(?:special(?:ist|ised)?\s+|direct\s+)?commissioning\b", re.I)
SPECIAL_COMMISSIONING_WORDS = required_words(SPECIAL_COMMISSIONING_RE)  # {"commissioning"}
BECAME_PROVIDER_RE = _tailed_branches(
    (r"\b(?:is|are|has been|have been)\s+(?:now\s+|currently\s+|also\s+)?(?:commissioned|contracted)\s+",
     r"to\s+(?:provide|deliver|run)\b"),
    (r"(?:\b(?:became|become|becomes|has become|have become|took over as|is|are|remains?)\s+(?:now\s+|currently\s+|also\s+)?|,\s*)"
     r"(?:the\s+)?(?:new\s+|main\s+|principal\s+|sole\s+|lead\s+|local\s+|current\s+|commissioned\s+)*",
     r"providers?\s+(?:of|for)\b"),
    (r"\b", r"took\s+over\s+(?:the\s+)?(?:provision|running|delivery)\s+of\b"),
)
ACTIVE_CUES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("active-commission", "commissions", ACTIVE_COMMISSION_RE),
    ("active-provide", "provides", ACTIVE_PROVIDE_RE),
    ("as-commissioner", "commissions", AS_COMMISSIONER_RE),
    ("acting-lead", "commissions", ACTING_LEAD_RE),
    ("responsible-for", "commissions", RESPONSIBLE_FOR_RE),
    ("became", "provides", BECAME_PROVIDER_RE),
)
# Which cue patterns can match a sentence, from the words every match of a pattern contains
# (prefilter.required_words): a sentence without them is not searched with that pattern.
CUE_FILTER = Prefilter([c[3] for c in PASSIVE_CUES] + [c[2] for c in ACTIVE_CUES])
_PASSIVE_BITS = tuple(1 << i for i in range(len(PASSIVE_CUES)))  # bit of each cue in CUE_FILTER.mask
_ACTIVE_BITS = tuple(1 << (len(PASSIVE_CUES) + i) for i in range(len(ACTIVE_CUES)))


_Scan = tuple[re.Pattern[str] | None, re.Pattern[str] | None]  # (folded scan, folded tail)
_Cue = tuple[bool, str, str, str | None, re.Pattern[str], re.Pattern[str] | None, bool, re.Pattern[str] | None]


@functools.cache  # one tuple per combination of cues a sentence may hold (a handful), not per sentence
def _cues_for(mask: int) -> tuple[_Cue, ...]:
    """The cues whose bit is set in ``mask`` (a CUE_FILTER.mask), passive then active, in list order:
    (passive, kind, relation, role, pattern, its folded scan or None, has a "mid" group, its folded
    tail or None)."""
    passive_scans, active_scans = _cue_scans()
    out: list[_Cue] = []
    for (kind, relation, role, rx), bit, (scan, tail) in zip(PASSIVE_CUES, _PASSIVE_BITS, passive_scans, strict=True):
        if mask & bit:
            out.append((True, kind, relation, role, rx, scan, "mid" in rx.groupindex, tail))
    for (kind, relation, rx), bit, (scan, tail) in zip(ACTIVE_CUES, _ACTIVE_BITS, active_scans, strict=True):
        if mask & bit:
            out.append((False, kind, relation, None, rx, scan, False, tail))
    return tuple(out)


def _cue_scan(rx: re.Pattern[str]) -> _Scan:
    """``rx`` as a case-sensitive pattern run on the folded sentence (prefilter.folded_pattern: the
    same matches at the same offsets, several times faster), and its tail (``_tailed``) the same way;
    None: run the pattern itself, and no tail to try first."""
    scan = folded_pattern(rx)
    tail = _CUE_TAILS.get(rx)
    return scan, (folded_pattern(re.compile(tail, rx.flags)) if scan is not None and tail is not None else None)


@functools.cache  # compiled on first use (some ms), not at import
def _cue_scans() -> tuple[tuple[_Scan, ...], tuple[_Scan, ...]]:
    """``_cue_scan`` of the passive and of the active cue patterns."""
    return tuple(_cue_scan(c[3]) for c in PASSIVE_CUES), tuple(_cue_scan(c[2]) for c in ACTIVE_CUES)


# a cue pattern's match: (kind, relation, role, start, end, the "mid" group's text or None)
_RawCue = tuple[str, str, str | None, int, int, str | None]


def _raw_cues(text: str, folded: str, mask: int) -> list[_RawCue]:
    """Every match of the cue patterns ``mask`` (``CUE_FILTER.mask``) allows in a sentence, passive
    then active, in list order, before any is dropped for lying inside an organisation's name: read
    without the sentence's organisations, so a sentence with no match need not have them read."""
    out: list[_RawCue] = []
    for passive, kind, relation, role, rx, scan, has_mid, tail in _cues_for(mask):
        if tail is not None and tail.search(folded) is None:
            continue  # every match would end with a match of its tail
        for m in scan.finditer(folded) if scan is not None else rx.finditer(text):
            if passive:
                mid = m.span("mid") if has_mid else (-1, -1)  # its text as written
                out.append((kind, relation, role, m.start(), m.end(), text[mid[0] : mid[1]] if mid[0] >= 0 else None))
            else:
                out.append((kind, relation, None, m.start(), m.end(), None))
    return out
TRANSFER_VERB_RE = Gated(re.compile(
    r"\b(?:transferred|transfers|transfer\s+of|moved|passed|took over|transitioned)\b", re.I))
PREVIOUSLY_RE = Gated(re.compile(
    r"\b(?:previously|formerly|until then|before that)\s+(?:been\s+)?(?:commissioned\s+by|"
    r"the\s+responsibility\s+of|held\s+by|with)\s+(?:the\s+)?", re.I))

NEGATION_BEFORE_RE = re.compile(
    r"\b(?:not|no longer|never|previously|formerly|used to|had|will|would|could|should|may|might|to be|"
    r"is to|are to|due to be|planned|plans to|intends to|intended|until)\s+(?:\w+\s+){0,2}$",
    re.I,
)
FUTURE_RE = re.compile(r"\b(?:will|is due to|are due to|is to|are to|planned|plans to|expected to|intends? to|from next)\b", re.I)

ANAPHORIC_SUBJECT_RE = re.compile(
    r"^\s*(?:(?:and|but|while|whilst|which|where|,|;)\s+)*(?:(?:are|is|were|was)\s+)?"
    r"(?:(?:this|these|those|they|it|such|the|all|both|its|their|other|remaining)\s+)*"
    r"(?:(?:in-?patient|inpatient|in\s+patient|out-?patient|outpatient|community|clinical|specialist|residential|"
    r"day|hospital[- ]based|acute|tier\s*\d|universal|targeted|local)\s+)*"
    r"(?:(?:services?|provision|programmes?|teams?|beds|care|elements?|parts?|arrangements?)\s*)?"
    r"(?:(?:are|is|were|was)\s+(?:also\s+)?(?:a\s+)?)?\W*$",
    re.I,
)
ANAPHORIC_ORG_RE = re.compile(
    r"(?:^|[.;]\s+|,\s*(?:and|but)\s+)(?:the|this|that|its)\s+(?:provider|trust|foundation trust|organisation|service provider)\s*$"
    r"|(?:^|[.;]\s+)(?:it|they)\s*$",
    re.I,
)


# Patterns of the statement reading below (compiled once)
LEADING_THE_RE = re.compile(r"\s*(?:the\s+|The\s+)?")
NEGATED_CUE_RE = re.compile(r"\bnot\b|\bno longer\b|\bpreviously\b|\bformerly\b", re.I)
NEGATION_JUST_BEFORE_RE = re.compile(r"\b(?:not|no longer|previously|formerly|never)\s+(?:\w+\s+)?$", re.I)
LIST_COLON_END_RE = re.compile(r"[;:]\s*$")
TO_DELIVER_RE = re.compile(r"\s*,?\s*to\s+(?:deliver|provide|run|offer)\b", re.I)
LEADS_RE = re.compile(r"leads?", re.I)
WHICH_ALSO_RE = re.compile(r"\s*,?\s*(?:which|who)\s+(?:also\s+|now\s+|currently\s+)?")
PLACE_PREPOSITION_RE = re.compile(r"\s*,?\s*(?:for|in|across|to|throughout|within|covering)\s+")
AUX_START_RE = re.compile(rf"\s*{AUX}", re.I)
AUX_END_RE = re.compile(r"\b(?:is|are|was|were|been|being)\s+(?:\w+\s+)?$", re.I)
PARENTHESIS_RE = re.compile(r"\s*\([^)]{1,30}\)")
FOR_SERVICES_RE = re.compile(r"\s*,?\s*(?:for|covering|including)\s+", re.I)
NEW_CLAUSE_RE = re.compile(r"\s(?:and|but|while|whilst)\s+(?:the\s+)?(?:[A-Z]|are\b|is\b)")
# patterns read for many sentences, compiled once (not looked up in re's cache call after call)
UNKNOWN_SUBJECT_RE = re.compile(
    r"(?:^|(?<=[,;:(]\s)|(?<=\band\s)|(?<=\bthe\s)|(?<=\bThe\s))"
    r"(?P<name>(?!The\s)(?:[A-Z][\w’'&-]*)(?:[ \t]+(?:(?:of|and|&|for|the|on|upon)[ \t]+)*[A-Z][\w’'&-]*)*)"
    r"(?:\s*\([^)]{1,30}\))?(?:\s+in\s+[A-Z][\w’'-]+)?(?P<app>\s*,\s*(?:a|an|the)\s+[^,;()]{1,60},)?"
    r"\s*,?\s*(?:also\s+|now\s+|currently\s+)?$")
APPOSITION_RE = re.compile(r"^\s*,\s*(?:a|an|the)\s+[^,;()]{1,60},")
SUBJECT_GAP_RE = re.compile(
    r"(?:\s*\([A-Z][A-Za-z&]{1,9}\))?\s*,?\s*(?:(?:which|who|that)\s+)?"
    r"(?:(?!and\b|but\b|or\b|the\b)[a-z][\w-]*\s+){0,5}?\s*")
SEMICOLON_COLON_RE = re.compile(r"[;:]")
CARRIED_OUT_RE = re.compile(r"\bcarried out|undertaken\b", re.I)
COMMISSION_WORD_RE = re.compile(r"commission", re.I)
RESPONSIBILITY_WORD_RE = re.compile(r"responsibility", re.I)
NOT_BEFORE_CUE_RE = re.compile(r"\b(?:not|no longer|never|previously|formerly)\b", re.I)
FULL_PASSIVE_CUE_RE = re.compile(r"responsibility|lead commissioner|input|known", re.I)
LEAD_WORD_RE = re.compile(r"\blead\b", re.I)
FROM_AFTER_RE = re.compile(r"\s*,?\s*from\s+")
MONTH_YEAR_RE = re.compile(MONTH_RE + r"(?:\s+\d{4})?")
ACRONYM_NAME_RE = re.compile(r"[A-Z][A-Z&]{1,9}s?")
NOT_INCLUDED_RE = re.compile(r"not\s+(?:been\s+)?included\s+in\s+(?:this|the)\b", re.I)
PLACE_WORDS_RE = re.compile(r"[A-Za-z’'`]+")
BUILDING_BEFORE_RE = re.compile(r"\b(?:Hospital|Unit|Centre|Clinic|Infirmary|Ward|Suite)\s*,?\s*$")


@dataclass
class Fact:
    relation: str
    orgs: list[OM]
    services: list[str]
    scope: str | None
    evidence: tuple[int, int]
    role: str | None = None
    on_behalf_of: list[str] = field(default_factory=list)
    start: str | None = None
    in_review: dict[str, bool] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)


@dataclass
class _State:
    last_services: list[str] = field(default_factory=list)
    last_provider: list[OM] = field(default_factory=list)
    last_transfer_from: str | None = None
    # the scope of last_services: the first place of _scope_view if it has one, else _scope (the
    # view's places are read only if a later clause asks)
    _scope: str | None = None
    _scope_view: SentenceView | None = None

    @property
    def last_services_scope(self) -> str | None:
        if self._scope_view is not None and self._scope_view.places:
            return self._scope_view.places[0].scope
        return self._scope

    def set_services_scope(self, scope: str | None, view: SentenceView | None = None) -> None:
        self._scope, self._scope_view = scope, view


def _date(text: str) -> str | None:
    m = DATE_RE.search(text)
    if not m:
        return None
    year = m.group("year")
    if m.group("month"):
        return f"{year}-{MONTHS[m.group('month').lower()]:02d}"
    return year


# ----------------------------------------------------------------------------- sentences

ABBREV_RE = Gated(re.compile(r"\b(?:e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|St|No|approx|incl|vs)\.$", re.I))


SENTENCE_BREAK_RE = re.compile(r"[.!?][\"”’)]*\s+(?=[A-Z(“\"‘'0-9•])")  # a sentence ends after its first character
INITIAL_RE = re.compile(r"\b[A-Z]\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans; never splits at "e.g.", "St." or a decimal point."""
    return [(a, b) for a, b in _spans(text) if text[a:b].strip()]


def _sentence_texts(text: str) -> list[str]:
    """The sentences of ``split_sentences`` as text, stripped (each sliced and stripped once)."""
    return [s for s in (text[a:b].strip() for a, b in _spans(text)) if s]


def _spans(text: str) -> list[tuple[int, int]]:
    """``split_sentences`` before leaving out the spans that hold only white space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_BREAK_RE.finditer(text):
        end = m.start() + 1
        # an abbreviation or an initial ends the text before the break: search only its last few
        # characters (``\b`` still sees the character before the search window, as on the whole head)
        if ABBREV_RE.pattern.search(text, max(start, end - 8), end) or INITIAL_RE.search(text, max(start, end - 2), end):
            continue
        spans.append((start, end))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# ----------------------------------------------------------------------------- extraction

LIST_INTRO_RE = re.compile(r"\b(?:by|are|include|includes)\s*[;:]\s*$")  # "provided by;": a list follows
LEADING_PLACE_RE = re.compile(r"\s*(?:In|For|Across|Throughout|Within)\s+")


class _Extractor:
    def __init__(self, structure: Structure, orgs: OrgLookup) -> None:
        self.structure = structure
        self.orgs = orgs
        self.area = orgs.area or structure.meta.area
        self.result = CommissioningResult()
        self._seen: dict[tuple[str, str, str, str | None], Arrangement] = {}
        self._pairs: set[tuple[str, str, str]] = set()
        self._transfers: set[tuple[str, str | None, str]] = set()

    # ------------------------------------------------------------------ driver

    def run(self) -> CommissioningResult:
        paragraphs = [p for p in self.structure.paragraphs if p.section == "context" or p.number]
        i = 0
        while i < len(paragraphs):
            para = paragraphs[i]
            consumed = self._paragraph(para, paragraphs[i + 1 :])
            i += 1 + consumed
        return self.result

    def _paragraph(self, para: Paragraph, following: list[Paragraph]) -> int:
        """Read one paragraph; returns how many following paragraphs it consumed (a list)."""
        state = _State()
        consumed = 0
        sentences = _sentence_texts(para.text)
        named = mentions_each(sentences)  # the service mentions of each sentence
        for k, sentence in enumerate(sentences):
            services: Sequence[ServiceMention] | None = named[k]
            # a list introduced by "provided by;" / "provided by:" continues in the next paragraphs
            # (the sentence is stripped, so only one that ends in ";" or ":" can match)
            if k == len(sentences) - 1 and sentence.endswith((";", ":")) and LIST_INTRO_RE.search(sentence):
                items: list[str] = []
                for nxt in following:
                    if nxt.section != para.section or nxt.number:
                        break
                    if not self._looks_like_list_item(nxt.text):
                        break
                    items.append(nxt.text)
                if items:
                    consumed = len(items)
                    sentence = sentence.rstrip() + "\n" + "\n".join(items)
                    services = None  # another text: found anew
            self._sentence(sentence, para.source, state, services)
        return consumed

    def _looks_like_list_item(self, text: str) -> bool:
        first = text.split(".")[0][:300]
        sv = SentenceView(first, self.orgs, self.area)
        if sv.oms and sv.oms[0].start <= 3:
            return True
        return bool(re.match(r"\s*(?:[•\-–*]\s*)?[A-Z][\w’'&-]*(?:\s+[A-Z&][\w’'&-]*)*\s+(?:NHS\s+)?(?:Foundation\s+)?"
                             r"(?:Trust|Hospitals?|Council|CCG)\b", text))

    # ------------------------------------------------------------------ one sentence

    def _sentence(self, sentence: str, source: str, state: _State,
                  services: Sequence[ServiceMention] | None = None) -> None:
        """Read one sentence (``services``: its service mentions, if the caller has them)."""
        folded = fold(sentence)
        if services is None:
            services = service_mentions(sentence)
        mask = CUE_FILTER.mask(sentence, folded)
        if not services and not mask:
            # No service named and no cue that could take one from an earlier sentence: nothing
            # here can make a fact, a transfer or a change of state (every path below needs a
            # service of this sentence or a cue), so its organisations need not be read.
            return
        raw = _raw_cues(sentence, folded, mask)
        if not services and not raw and not may_match(SPECIAL_COMMISSIONING_WORDS, folded):
            return  # the same: no cue pattern matches (wherever the organisations are), no "through X"
        sv = SentenceView(sentence, self.orgs, self.area, folded, raw, services)
        if self._transfer(sv, source, state):
            return
        facts = self._facts(sv, source, state)
        for f in facts:
            self._emit(f, sv, source)
        self._previous_commissioner(sv, facts, source)

    def _previous_commissioner(self, sv: SentenceView, facts: list[Fact], source: str) -> None:
        """"Since April 2015 X has been responsible for commissioning S, which was previously
        commissioned by Y" states a transfer from Y to X."""
        m = PREVIOUSLY_RE.search(sv.text, sv.folded)
        if not m:
            return
        om = next((o for o in sv.oms if m.end() <= o.start <= m.end() + 1 and len(o.keys) == 1), None)
        current = [f for f in facts if f.relation == "commissions" and len(f.orgs) == 1 and len(f.orgs[0].keys) == 1]
        if om is None or not current:
            return
        date = _date(sv.text)
        for f in current:
            to_key = f.orgs[0].keys[0]
            if to_key.startswith(NEW) or to_key == om.keys[0]:
                continue
            for key in f.services:
                t = (key, om.keys[0], to_key)
                if t not in self._transfers:
                    self._transfers.add(t)
                    self.result.transfers.append(Transfer(service=key, from_org=om.keys[0], to_org=to_key, source=source,
                                                          evidence=_fold(sv.text), date=date, scope=f.scope))

    def _facts(self, sv: SentenceView, source: str, state: _State) -> list[Fact]:
        text = sv.text
        cues = self._cues(sv)
        facts: list[Fact] = []
        prev_end = 0
        prev_services: list[str] = []
        prev_start = 0  # where the statement whose services a later clause inherits begins (for the quote)
        prev_scope: str | None = None
        prev_relation: str | None = None
        lead_place = self._leading_place(sv)
        unresolved = False  # the last passive statement named a body the index does not know
        for cue in cues:
            kind, relation, role, cstart, cend, extra = cue
            if cstart < prev_end:
                continue
            if kind == "passive":
                subj_a, subj_b = prev_end, cstart
                subject = text[subj_a:subj_b]
                if role == "lead" and relation == "provides" and COMMISSION_WORD_RE.search(subject):
                    relation = "commissions"
                if relation == "commissions" and role is None and CARRIED_OUT_RE.search(text[cstart:cend]):
                    if not COMMISSION_WORD_RE.search(subject):
                        relation = "provides"  # "Initial health assessments are carried out by X"
                if relation == "commissions" and RESPONSIBILITY_WORD_RE.search(text[cstart:cend]):
                    if not COMMISSION_WORD_RE.search(subject):
                        continue
                if relation == "commissions" and NEGATION_BEFORE_RE.search(text[max(0, cstart - 40) : cstart]):
                    prev_end = cend
                    continue
                if NEGATED_CUE_RE.search(text[cstart:cend]) or (
                    relation == "provides" and NEGATION_JUST_BEFORE_RE.search(text[max(0, cstart - 30) : cstart + 1])):
                    prev_end = cend
                    continue
                hint = "Partnership" if role == "collaboration" else None
                if LIST_COLON_END_RE.search(text[cstart:cend]):
                    olist = self._list_items(sv, cend, source)
                else:
                    olist = parse_org_list(sv, cend, source, allow_new=(relation == "provides"), hint=hint)
                if not olist.members:
                    # "X are commissioned by <a body the index does not know> and provided by B": B
                    # still provides X
                    found = self._subject_services(sv, subj_a, subj_b, full_passive=self._is_full_passive(subject, text[cstart:cend]))
                    if found:
                        prev_services, prev_end, unresolved = found, cend, True
                        if relation == "commissions" and not re.match(r"\s*[;:]?\s*$", text[cend:]):
                            who = _fold(text[cend : cend + 60]).split(",")[0].split(" and ")[0].rstrip(".")
                            self.result.warnings.append(
                                f"{source}: '{_fold(text[cstart:cend])} {who}' names a commissioner that is not "
                                f"recognised; no commissioning recorded for {', '.join(found)}")
                    continue
                seg_end = olist.end
                # trailing "(Tier 3)", "for <services>", "for/in <place>"
                tail_services, tail_end = self._trailing_services(sv, seg_end)
                tail_end = self._skip_places(sv, tail_end)
                seg_places = sv.places_in(cstart, self._segment_end(sv, tail_end, cues))
                services = self._subject_services(sv, subj_a, subj_b, full_passive=self._is_full_passive(subject, text[cstart:cend]))
                # "Y (team) is commissioned by X to deliver Z": Y provides what X commissions
                commissioned_providers: list[OM] = []
                to_do = TO_DELIVER_RE.match(text[tail_end:])
                if relation == "commissions" and to_do:
                    commissioned_providers = self._subject_orgs(sv, cstart, subj_a)
                    obj_end = self._object_end(sv, tail_end + to_do.end(), cues, skip=[])
                    tail_services = _unique(tail_services + [s.key for s in sv.services_in(tail_end + to_do.end(), obj_end)])
                    seg_places = sv.places_in(cstart, obj_end)
                    tail_end = obj_end
                inherited = False
                ev_start = subj_a
                if not services and not tail_services:
                    if self._anaphoric(subject) or role in ("collaboration", "input", "lead") or (
                            unresolved and re.fullmatch(r"[^,;]{0,60}?\s+and\s+(?:(?:are|is)\s+)?(?:also\s+)?", subject)):
                        inherited = True
                        if prev_services:
                            services = prev_services
                            ev_start = min(subj_a, prev_start)
                        else:
                            services = state.last_services
                services = _unique(services + tail_services)
                if not services:
                    prev_end = max(prev_end, tail_end)
                    continue
                scope = self._scope(seg_places, sv.places_in(subj_a, subj_b), lead_place)
                if scope is None and inherited and not seg_places:
                    scope = prev_scope if prev_services else state.last_services_scope
                if role == "collaboration":
                    for om in olist.members:
                        for k in om.keys:
                            org = self.orgs.organisations.get(k)
                            if org is not None and org.type == "Organisation":
                                org.type = "Partnership"
                facts.append(Fact(relation, olist.members, services, scope, (ev_start, tail_end), role=role,
                                  in_review=self._review_flags(sv, olist), hints=olist.hints))
                frm = FROM_AFTER_RE.match(text[tail_end:]) if relation == "commissions" else None
                if frm:  # "X are commissioned by A from B"
                    ol3 = parse_org_list(sv, tail_end + frm.end(), source, allow_new=True)
                    if ol3.members:
                        facts.append(Fact("provides", ol3.members, services, scope, (subj_a, ol3.end), hints=ol3.hints))
                        tail_end = ol3.end
                if commissioned_providers:
                    facts.append(Fact("provides", commissioned_providers, services, scope, (subj_a, tail_end)))
                prev_end = tail_end
                prev_services, prev_scope, prev_relation = services, scope, relation
                prev_start = ev_start
                # "... by A for North X and by B for South X"
                while True:
                    c = CONTINUE_RE.match(text[prev_end:])
                    own: list[str] = []
                    if not c:
                        # "... is employed by A and the designated nurse by B": a new subject, same verb
                        c = ELLIPSIS_RE.match(text[prev_end:])
                        if not c:
                            break
                        own = [x.key for x in sv.services_in(prev_end + c.start("np"), prev_end + c.end("np"))]
                        if not own:
                            break
                    pos = prev_end + c.end()
                    ol2 = parse_org_list(sv, pos, source, allow_new=(prev_relation == "provides"))
                    if not ol2.members:
                        break
                    ts, te = self._trailing_services(sv, ol2.end)
                    if own:
                        ts = own + ts
                    te = self._skip_places(sv, te)
                    places2 = sv.places_in(pos, self._segment_end(sv, te, cues))
                    sc2 = self._scope(places2, sv.places_in(subj_a, subj_b), lead_place)
                    facts.append(Fact(prev_relation, ol2.members, _unique(ts if own else services + ts), sc2, (ev_start, te), role=role,
                                      in_review=self._review_flags(sv, ol2), hints=ol2.hints))
                    if sc2 != prev_scope:
                        prev_scope = None  # "by A for North X and by B for South X": what follows covers both
                    prev_end = te
                if relation == "provides":
                    state.last_provider = olist.members
            elif kind in ("active-commission", "active-provide", "as-commissioner", "acting-lead", "responsible-for", "became"):
                if kind == "active-provide" and LEADS_RE.fullmatch(text[cstart:cend].strip()) and not re.match(
                        r"\s*(?:this|it|the\s+(?:collaboration|partnership|consortium|service|provision))\b", text[cend:], re.I):
                    continue  # "lead" is a verb here only for "X leads this/the collaboration"; "GP leads" are people
                floor = prev_end
                if WHICH_ALSO_RE.fullmatch(text[prev_end:cstart]):
                    floor = 0  # "... provided by B (B), which also provides Y": B is the subject again
                subj = self._subject_orgs(sv, cstart, floor, source, register=(kind == "active-provide"))
                if not subj and kind == "active-provide":
                    if ANAPHORIC_ORG_RE.search(text[max(prev_end, 0) : cstart].rstrip()) and state.last_provider:
                        subj = state.last_provider
                if not subj:
                    continue
                if kind in ("active-commission", "active-provide") and NEGATION_BEFORE_RE.search(text[subj[-1].end : cstart]):
                    continue
                if NOT_BEFORE_CUE_RE.search(text[subj[-1].end : cstart]):
                    continue
                nso = NOT_A_SERVICE_OBJECT_RE.match(text[cend:]) if kind in ("active-commission", "active-provide") else None
                if nso and not any(cend <= x.start < cend + nso.end() for x in sv.services):
                    continue  # "commissioned a review of CAMHS", "provides training to school nurses"
                if kind in ("active-commission", "active-provide", "became") and FUTURE_RE.search(text[subj[-1].end : cstart]):
                    continue
                obj_a = cend
                on_behalf: list[str] = []
                providers: list[OM] = []
                if kind == "acting-lead":
                    ob = re.match(r"\s*on\s+behalf\s+of\s+", text[obj_a:], re.I)
                    if ob:
                        ol = parse_org_list(sv, obj_a + ob.end(), source)
                        on_behalf = [k for o in ol.members for k in o.keys]
                        obj_a = ol.end if ol.members else obj_a + ob.end()
                obj_from = obj_a
                if kind == "active-commission":
                    ol = parse_org_list(sv, obj_a, source)
                    td = re.match(r"[\s\w’'-]{0,80}?\bto\s+(?:deliver|provide|run|offer)\b", text[ol.end :]) if ol.members else None
                    if td:
                        providers = ol.members
                        obj_from = ol.end + td.end()
                if kind == "active-commission" and not providers:
                    fz = re.search(r"\bfrom\s+(?:the\s+)?", text[obj_a : self._object_end(sv, obj_a, cues, skip=[])])
                    if fz:
                        providers = parse_org_list(sv, obj_a + fz.end(), source, allow_new=True).members
                obj_b = self._object_end(sv, obj_from, cues, skip=providers)
                services = [s.key for s in sv.services_in(obj_a, obj_b)]
                pronoun = not services and bool(PRONOUN_OBJECT_RE.match(text[obj_a:obj_b]))
                if not services and kind == "active-provide" and re.match(r"\s*provid", text[cstart:cend], re.I) \
                        and re.match(r"\s*(?:the\s+)?(?:clinical\s+|specialist\s+|medical\s+)?input\b", text[obj_a:obj_b], re.I):
                    services = prev_services or state.last_services  # "with NSCHT providing the clinical input"
                if pronoun or (not services and kind in ("acting-lead", "as-commissioner")
                               and re.fullmatch(r"[\s.,;]*", text[obj_a:obj_b])):
                    # "... and B provides them", "X is the lead commissioner."
                    services = prev_services or state.last_services
                if not services:
                    continue
                services = _unique(services)
                places = sv.places_in(obj_a, obj_b)
                scope = self._scope(places, [], lead_place)
                rel = "commissions" if kind in ("active-commission", "as-commissioner", "acting-lead", "responsible-for") else "provides"
                if kind == "active-provide" and re.match(r"\s*employ", text[cstart:cend], re.I) and not services:
                    continue
                frole = "lead" if kind == "acting-lead" or LEAD_WORD_RE.search(text[cstart:cend]) else None
                if kind == "active-provide" and re.search(r"employ", text[cstart:cend], re.I):
                    frole = "employs"
                if kind == "active-provide" and re.search(r"\blead", text[cstart:cend], re.I):
                    frole = "lead"
                if kind == "active-provide" and re.search(r"input", text[obj_a:obj_b], re.I):
                    frole = "input"
                start = None
                if kind == "became" and re.search(r"became|become|took over", text[cstart:cend], re.I):
                    start = _date(text[cend : obj_b + 40])
                elif rel == "provides":
                    since = re.search(r"\bsince\s+(?:" + MONTH_RE + r"\s+)?(?:19|20)\d\d\b", text[subj[0].start : obj_b + 40])
                    if since:
                        start = _date(since.group(0))
                facts.append(Fact(rel, subj, services, scope, (subj[0].start, obj_b), role=frole,
                                  on_behalf_of=on_behalf, start=start))
                if providers:
                    facts.append(Fact("provides", providers, services, scope, (subj[0].start, obj_b)))
                if rel == "provides":
                    state.last_provider = subj
                prev_end = obj_b
                prev_services, prev_scope, prev_relation = services, scope, rel
            elif kind == "through" and isinstance(extra, OM):
                subj_a = prev_end
                services = [s.key for s in sv.services_in(subj_a, extra.start)]
                if not services:
                    continue
                facts.append(Fact("commissions", [extra], _unique(services),
                                  self._scope([], sv.places_in(subj_a, extra.start), lead_place),
                                  (subj_a, cend)))
                prev_end = cend
        # noun compounds (findings and context alike): "the SSSFT GUM service", "BHFT's Queens Hospital ED"
        facts.extend(self._compounds(sv, cues))
        if sv.services:
            named = [s.key for s in sv.services]
            state.last_services = _unique([k for f in facts for k in f.services]) or named
            scopes = [f.scope for f in facts if f.scope]
            if scopes:
                state.set_services_scope(scopes[-1])
            else:  # self._scope([], sv.places, lead_place), when asked
                state.set_services_scope(lead_place, sv)
        elif facts:
            state.last_services = _unique([k for f in facts for k in f.services])
        return facts

    # ------------------------------------------------------------------ cue finding

    def _cues(self, sv: SentenceView) -> list[tuple[str, str, str | None, int, int, object]]:
        text = sv.text
        raw = _raw_cues(text, sv.folded, CUE_FILTER.mask(text, sv.folded)) if sv.raw_cues is None else sv.raw_cues
        through = bool(sv.oms) and may_match(SPECIAL_COMMISSIONING_WORDS, sv.folded)
        if not raw and not through:
            return []  # no cue pattern matches, and no "through X special commissioning"
        oms = sv.oms
        cues: list[tuple[str, str, str | None, int, int, object]] = [
            c for c in raw if not any(o.start <= c[3] < o.end or o.start < c[4] <= o.end for o in oms)
        ]  # (not inside an organisation's name)
        for om in oms if through else ():
            if THROUGH_RE.search(text[max(0, om.start - 14) : om.start]):
                sc = SPECIAL_COMMISSIONING_RE.match(text[om.end :])
                if sc:
                    cues.append(("through", "commissions", None, om.start, om.end + sc.end(), om))
        if len(cues) < 2:
            return cues
        # overlapping cues: keep the longest at each start, and prefer role phrases over bare verbs
        cues.sort(key=lambda c: (c[3], -(c[4] - c[3])))
        out: list[tuple[str, str, str | None, int, int, object]] = []
        for c in cues:
            if out and c[3] < out[-1][4]:
                continue
            out.append(c)
        # "acting as the lead commissioner" beats the bare "commission" inside it, already by length
        return out

    # ------------------------------------------------------------------ pieces

    def _skip_places(self, sv: SentenceView, pos: int) -> int:
        """Move past place phrases that follow ``pos``: "... by A for North X and by B ..."."""
        while True:
            m = PLACE_PREPOSITION_RE.match(sv.text[pos:])
            if not m:
                return pos
            place = next((p for p in sv.places if pos + m.end() - 1 <= p.start <= pos + m.end()), None)
            if place is None:
                return pos
            pos = place.end

    def _list_items(self, sv: SentenceView, pos: int, source: str) -> OrgList:
        """"provided by; A (A) B at Site, Town C – not included in this CLAS review D – ...": every body
        of the list, each with its own in-review flag, up to the first item that is a sentence."""
        text = sv.text
        members: list[OM] = []
        hints: dict[str, str] = {}
        review: dict[str, bool] = {}
        end = pos
        for piece in re.finditer(r"(.+?)(?:\s*[-–—]?\s*not\s+(?:been\s+)?included\s+in\s+(?:this|the)\s+(?:CLAS\s+)?review|\n|$)",
                                 text[pos:]):
            a, b = pos + piece.start(1), pos + piece.end(1)
            chunk = text[a:b]
            if not chunk.strip():
                continue
            if re.search(r"\b(?:were|was|are|is|have|has|had)\b", chunk):
                break
            excluded = bool(piece.group(0)[len(piece.group(1)) :].strip())
            found = [o for o in sv.oms if a <= o.start and o.end <= b and not o.collective]
            if not found:
                for nm in NAME_RE.finditer(chunk):
                    if _plausible_name(nm.group(0)) and ORG_HEAD_RE.search(ACR_RE.sub("", nm.group(0)).strip()):
                        om = _register(sv, a + nm.start(), nm.group(0), None, source, hints)
                        if om is not None:
                            found.append(om)
            members.extend(found)
            # "not included" speaks of the last item of the piece: the last body and the mentions of it
            # (its site, its acronym) written right before it
            last: set[int] = set()
            if excluded and found:
                k = len(found) - 1
                last.add(k)
                while k > 0 and found[k - 1].keys == found[k].keys and re.fullmatch(
                        r"[\s(),–-]*", text[found[k - 1].end : found[k].start]):
                    k -= 1
                    last.add(k)
            for n, o in enumerate(found):
                for key in o.keys:
                    review[key] = review.get(key, False) or n not in last
            end = pos + piece.end()
        if not members:
            return OrgList(pos, pos, [])
        return OrgList(members[0].start, end, members, hints, review)

    def _is_full_passive(self, subject: str, cue: str) -> bool:
        if AUX_START_RE.match(cue) or AUX_END_RE.search(subject):
            return True
        return bool(FULL_PASSIVE_CUE_RE.search(cue))

    def _subject_services(self, sv: SentenceView, a: int, b: int, full_passive: bool) -> list[str]:
        found = sv.services_in(a, b)
        if full_passive:
            return [s.key for s in found]
        # reduced relative ("the midwifery service provided by X"): the service must head the phrase
        if not found:
            return []
        last = found[-1]
        gap = sv.text[last.end : b]
        if re.fullmatch(
            r"[\s,]*(?:(?:services?|teams?|programmes?|provision|units?)\b)?\s*(?:\([^)]*\))?\s*"
            r"(?:(?:in|at|across|for|to)\s+(?:the\s+)?[A-Z][\w’'&-]*(?:\s+(?:and|of|the|on|[A-Z][\w’'&-]*))*)?\s*,?\s*",
            gap,
        ):
            # a list of services right before: "CAMHS and adult mental health services provided by"
            keys = [last.key]
            k = len(found) - 2
            while k >= 0 and re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*(?:the\s+)?", sv.text[found[k].end : found[k + 1].start]):
                keys.insert(0, found[k].key)
                k -= 1
            return keys
        return []

    def _anaphoric(self, subject: str) -> bool:
        return bool(ANAPHORIC_SUBJECT_RE.fullmatch(subject))

    def _trailing_services(self, sv: SentenceView, pos: int) -> tuple[list[str], int]:
        """After an organisation list: "(Tier 3)", "for acute care, maternity ... and CAMHS"."""
        text = sv.text
        end = pos
        p = PARENTHESIS_RE.match(text[end:])
        if p:
            end += p.end()
        m = FOR_SERVICES_RE.match(text[end:])
        if not m:
            return [], end
        start = end + m.end()
        found = [s for s in sv.services if s.start >= start]
        keys: list[str] = []
        cur = start
        for s in found:
            gap = text[cur : s.start]
            if keys and not re.fullmatch(r"\s*(?:,|and|&|,\s*and|;)\s*(?:the\s+)?", gap):
                break
            if not keys and not re.fullmatch(r"\s*(?:the\s+)?", gap):
                break
            keys.append(s.key)
            cur = s.end
            t = re.match(r"\s*(?:services?|provision|teams?)\b", text[cur:], re.I)
            if t:
                cur += t.end()
        if not keys:
            return [], end
        return keys, cur

    def _segment_end(self, sv: SentenceView, pos: int, cues: list[tuple[str, str, str | None, int, int, object]]) -> int:
        """The end of a cue's segment: the next cue, "and by", or the end of the sentence."""
        end = len(sv.text)
        for c in cues:
            if c[3] >= pos:
                end = min(end, c[3])
                break
        m = CONTINUE_RE.search(sv.text, pos)
        if m:
            end = min(end, m.start())
        m = NEW_CLAUSE_RE.search(sv.text[pos:])
        if m:
            end = min(end, pos + m.start())
        return end

    def _object_end(self, sv: SentenceView, pos: int, cues: list[tuple[str, str, str | None, int, int, object]],
                    skip: list[OM]) -> int:
        end = len(sv.text)
        for c in cues:
            if c[3] >= pos:
                end = min(end, c[3])
                # "... and CRI (Tier 3) provides them": a new clause with a subject the index does not know
                if c[0].startswith("active"):
                    m = re.search(r",?\s+(?:and|while|whilst|whereas|but)\s+(?P<n>[A-Z][^,;]*?)\s*(?:\([^)]{1,30}\))?\s*"
                                  r"(?:also\s+|now\s+|currently\s+)?$", sv.text[pos : c[3]])
                    if m and _plausible_name(m.group("n")):
                        end = pos + m.start()
                break
        for o in sv.oms:
            if o.start >= pos and o not in skip:
                # "commission X and NHS England commission Y": the next organisation starts a new clause
                if re.search(r"\b(?:and|but|while|whilst|whereas|,)\s*(?:the\s+)?$", sv.text[pos : o.start]):
                    end = min(end, o.start)
                    break
        m = SEMICOLON_COLON_RE.search(sv.text[pos:end])
        if m:
            end = pos + m.start()
        return end

    def _subject_orgs(self, sv: SentenceView, cue_start: int, floor: int, source: str = "",
                      register: bool = False) -> list[OM]:
        """The organisation list that ends right before an active verb or role phrase. With
        ``register``, a proper name there that the index does not know is registered
        ("CRI provides ...", "Larchwood Hospital in Eastbrook provides ...")."""
        text = sv.text
        before = [o for o in sv.oms if floor <= o.start and o.end <= cue_start]
        if not before and register:
            m = UNKNOWN_SUBJECT_RE.search(text[floor:cue_start])
            if m and _plausible_name(m.group("name")) and not re.search(
                    r"\b(?:Unit|Ward|Centre|Clinic|Suite|Team|Teams|Programme)$", m.group("name")):
                hints: dict[str, str] = {}
                app = m.group("app") or ""
                hint = "VoluntaryOrganisation" if VOLUNTARY_RE.search(app) else (
                    "IndependentProvider" if INDEPENDENT_RE.search(app) else None)
                om = _register(sv, floor + m.start("name"), m.group("name"), hint, source, hints)
                return [om] if om is not None else []
        if not before:
            return []
        last = before[-1]
        gap = text[last.end : cue_start]
        if gap.startswith(")"):  # "Name (ACR) provides": the acronym is its own mention
            gap = gap[1:]
            if len(before) > 1 and before[-2].keys == last.keys:
                before = before[:-1]
                last = before[-1]
        gap = APPOSITION_RE.sub("", gap)  # "A, a third sector provider, leads"
        if not SUBJECT_GAP_RE.fullmatch(gap):
            if not re.fullmatch(r"(?:\s*\([A-Z][A-Za-z&]{1,9}\))?\s*,?\s*(?:(?:which|who|that)\s+)?(?:also\s+|now\s+|currently\s+)?", gap):
                return []
        members = [last]
        k = len(before) - 2
        while k >= 0:
            sep = text[before[k].end : members[0].start]
            if re.fullmatch(r"(?:\s*\([A-Z][A-Za-z&]{1,9}\))?\s*(?:,|and|&|,\s*and|/)\s*(?:the\s+)?", sep):
                members.insert(0, before[k])
                k -= 1
                continue
            break
        # "Public Health, Staffordshire County Council as the commissioner": a team written with its
        # council is one body when the index knows the combined name
        return members

    def _leading_place(self, sv: SentenceView) -> str | None:
        m = LEADING_PLACE_RE.match(sv.text)
        if not m:
            return None
        for p in sv.places:
            if p.start <= m.end() + 4:
                return p.scope
        return None

    def _scope(self, own: list[Place], subject: list[Place], lead: str | None) -> str | None:
        for places in (own, subject):
            if places:
                return places[0].scope
        return lead

    def _review_flags(self, sv: SentenceView, olist: OrgList) -> dict[str, bool]:
        """"X – not included in this CLAS review" applies to the body before it."""
        if olist.in_review is not None:
            return dict(olist.in_review)
        flags: dict[str, bool] = {}
        members = olist.members
        text = sv.text
        for om in members:
            nxt = next((o.start for o in sv.oms if o.start >= om.end and set(o.keys) != set(om.keys)), len(text))
            segment = text[om.end : nxt]
            excluded = bool(NOT_INCLUDED_RE.search(segment))
            for k in om.keys:
                flags[k] = flags.get(k, False) or not excluded
        return flags

    def _compounds(self, sv: SentenceView, cues: list[tuple[str, str, str | None, int, int, object]]) -> list[Fact]:
        """Provision stated by naming: "the SSSFT GUM service", "BHFT's Queens Hospital ED",
        "The adult substance misuse service, One Recovery,", "maternity services at UHNM"."""
        text = sv.text
        facts: list[Fact] = []
        if not sv.services:
            return facts  # each compound below names a service of this sentence
        provider_types = PROVIDER_TYPES
        named_before = may_match(NAMED_BEFORE_WORDS, sv.folded)
        for om in sv.oms:
            if om.collective or om.site or len(om.keys) != 1:
                continue
            org = self.orgs.organisations.get(om.keys[0])
            if org is None or org.type not in provider_types:
                continue
            # ORG ['s] [(ACR)] [Site] [modifiers] SERVICE
            m = COMPOUND_AFTER_ORG_RE.match(text, om.end)
            if m:
                pos = m.end()
                site = next((o for o in sv.oms if o.start == pos and o.site), None)
                if site is not None:
                    pos = site.end + len(text[site.end :]) - len(text[site.end :].lstrip())
                else:
                    sm = COMPOUND_SITE_RE.match(text, pos)
                    if sm and m.group(0).startswith(("'", "’")):
                        pos = sm.end()
                mod = COMPOUND_MODIFIERS_RE.match(text, pos)
                if mod:
                    pos = mod.end()
                svc = next((s for s in sv.services if s.start == pos), None)
                if svc is not None and svc.key not in ("primary-care", "childrens-health-services", "designated-professionals"):
                    # "UHNM midwifery" yes; but not an object of a verb that follows ("X CAMHS commissioned by")
                    facts.append(Fact("provides", [om], [svc.key], None, (om.start, svc.end)))
                    continue
            # "The adult substance misuse service, One Recovery,"
            b = NAMED_BEFORE_RE.search(text, 0, om.start) if named_before else None
            if b and NAMED_AFTER_RE.match(text, om.end):
                svc = next((s for s in sv.services if s.end >= b.start() - 1 and s.end <= b.end()), None)
                if svc is not None:
                    facts.append(Fact("provides", [om], [svc.key], None, (svc.start, om.end)))
        # "the commissioner of the school nurse service, Public Health, X Council"
        for m in COMMISSIONER_OF_RE.finditer(text) if may_match(COMMISSIONER_OF_WORDS, sv.folded) else ():
            svcs = [s for s in sv.services if s.start >= m.end()]
            if not svcs or not re.fullmatch(r"\s*(?:the\s+)?", text[m.end() : svcs[0].start]):
                continue
            k = 0
            while k + 1 < len(svcs) and re.fullmatch(r"\s*(?:,|and|&|,\s*and)\s*(?:the\s+)?", text[svcs[k].end : svcs[k + 1].start]):
                k += 1
            comma = re.match(r"\s*(?:services?|teams?|programmes?)?\s*,\s*", text[svcs[k].end :])
            if not comma:
                continue
            ol = parse_org_list(sv, svcs[k].end + comma.end(), "")
            if ol.members:
                facts.append(Fact("commissions", ol.members, _unique(s.key for s in svcs[: k + 1]), None,
                                  (m.start(), ol.end)))
        # "maternity services at UHNM and BHFT"
        for svc in sv.services:
            m = SERVICE_AT_RE.match(text, svc.end)
            if not m or svc.key in ("primary-care", "childrens-health-services", "designated-professionals"):
                continue
            ol = parse_org_list(sv, m.end(), "")
            members = [o for o in ol.members if not o.collective and not o.site and len(o.keys) == 1
                       and getattr(self.orgs.organisations.get(o.keys[0]), "type", "") in provider_types]
            if members:
                facts.append(Fact("provides", members, [svc.key], None, (svc.start, ol.end)))
        return facts

    # ------------------------------------------------------------------ transfers

    def _transfer(self, sv: SentenceView, source: str, state: _State) -> bool:
        text = sv.text
        if not sv.services:
            return False  # a transfer is recorded only for services this sentence names
        verb = TRANSFER_VERB_RE.search(text, sv.folded)
        if not verb or not re.search(r"commission", text, re.I):
            return False
        if FUTURE_RE.search(text[max(0, verb.start() - 30) : verb.end()]):
            return False
        from_key = to_key = None
        services: list[str] = []
        def body_after(word: str) -> tuple[str | None, bool]:
            """The single body right after "<word> (the)" (the first such), and whether the word occurs."""
            seen = False
            for m in re.finditer(rf"\b{word}\s+(?:the\s+)?", text[verb.start() :]):
                seen = True
                om = sv.om_at(verb.start() + m.end())
                if om is not None and len(om.keys) == 1:
                    return om.keys[0], True
            return None, seen

        from_key, fm = body_after("from")
        if re.match(r"took over", verb.group(0), re.I):
            subj = self._subject_orgs(sv, verb.start(), 0)
            to_key = subj[-1].keys[0] if subj else None
        else:
            to_key, _ = body_after("to")
        if from_key is None and not fm:
            subj = self._subject_orgs(sv, verb.start(), 0)
            if subj and not re.match(r"took over", verb.group(0), re.I):
                from_key = subj[-1].keys[0]
        if to_key is None:
            return False
        services = _unique([s.key for s in sv.services if s.end <= verb.start()]) or _unique(
            [s.key for s in sv.services if s.start >= verb.end()]
        )
        if not services:
            return False
        if from_key is None and re.search(r"\balso\b", text, re.I):
            from_key = state.last_transfer_from
        date = _date(text[verb.start() :]) or _date(text[: verb.start()])
        scope = None
        places = sv.places_in(0, verb.start())
        if places:
            scope = places[0].scope
        for key in services:
            t = (key, from_key, to_key)
            if t in self._transfers:
                continue
            self._transfers.add(t)
            self.result.transfers.append(
                Transfer(service=key, from_org=from_key, to_org=to_key, source=source, evidence=_fold(text), date=date, scope=scope)
            )
        if from_key:
            state.last_transfer_from = from_key
        state.last_services = services
        return True

    # ------------------------------------------------------------------ output

    def _emit(self, f: Fact, sv: SentenceView, source: str) -> None:
        evidence = _fold(sv.text[f.evidence[0] : f.evidence[1]]).strip(" ,;") or _fold(sv.text)
        is_finding = source[:1].isdigit()
        for om in f.orgs:
            for key in om.keys:
                listed = f.in_review.get(key, True)
                if key.startswith(NEW):
                    hint, _, name = key[len(NEW) :].partition("|")
                    key = self.orgs.ensure(name, hint or None, source)
                if key not in self.orgs.organisations:
                    continue
                for service in f.services:
                    if f.relation == "provides" and service == "childrens-health-services":
                        continue
                    seen_key = (f.relation, key, service, f.scope)
                    if seen_key in self._seen:
                        a = self._seen[seen_key]
                        a.in_review = a.in_review or listed
                        a.start = a.start or f.start
                        continue
                    if is_finding and f.scope is None and (f.relation, key, service) in self._pairs:
                        if f.start:
                            for a in self.result.arrangements:
                                if (a.relation, a.organisation, a.service) == (f.relation, key, service) and not a.start:
                                    a.start = f.start
                        continue
                    a = Arrangement(
                        relation=f.relation,
                        organisation=key,
                        service=service,
                        source=source,
                        evidence=evidence,
                        scope=f.scope,
                        role=f.role,
                        on_behalf_of=[k for k in f.on_behalf_of if k != key],
                        start=f.start,
                        in_review=listed,
                    )
                    self._seen[seen_key] = a
                    self._pairs.add((f.relation, key, service))
                    self.result.arrangements.append(a)


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def extract_arrangements(structure: Structure, orgs: OrgLookup) -> CommissioningResult:
    """Every commissioning and provision arrangement and every transfer of commissioning stated in
    the context section and the numbered findings of a report."""
    return _Extractor(structure, orgs).run()


__all__ = ["CommissioningResult", "OrgLookup", "extract_arrangements", "split_sentences"]
