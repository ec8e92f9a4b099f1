"""Stated gaps: sentences of a report that say an arrangement falls short.

A *gap* is a statement that a service, capacity, commissioning arrangement, pathway, policy,
governance/oversight arrangement or workforce arrangement (training, supervision, staffing) is
missing, not commissioned, commissioned only in part, not fit for purpose, or not in place.

The rules follow the language of shortfall, clause by clause:

* **cues** (``CUE_RULES``) carry a shortfall, each with a force — *absence* (negated existence
  "there is no ...", "not in place", "lack of", "not commissioned", restriction "commissioned ...
  only", "only 50%"), *deficit* ("underdeveloped", "not robust", "insufficient", "not routinely",
  "remains interim", "vacant") or *doubt* ("problematic", "it was not clear ...", "unable to") — and
  a frame saying where the thing that falls short is written: after the cue ("lack of <oversight>"),
  before it ("<governance> ... is weak") or either side of a negated verb. A bare negation is the
  weakest cue: it needs an arrangement right after it, or a habit adverb ("routinely").
* the thing that falls short must be an **arrangement** (a pathway, process, policy, tool, record
  system, training, supervision, capacity, oversight, group, post ...) named where the frame points.
* **what cancels a cue**: a negated negative ("no waiting list", "no longer", "not only", "not
  afraid"); future or work in progress ("will", "being developed", "plans to"); the reviewers' own
  limits ("we were unable to review ... due to") and scope notes ("not included in this review"); a
  single case ("in one case", "Child T"); individual practice slips ("some midwives were not
  compliant") unless an arrangement is absent; hypothetical frames ("only if ... unable to attend",
  "to mitigate the risk of any lack of ..."); hedged improvement remarks ("could be strengthened",
  "scope to develop") unless something is stated to be absent or underdeveloped.
* **contrast**: sentences are cut into clauses at "however", "but", "although", "whilst" and ";". A
  fronted concession before praise ("Although some had not ..., ... this is positive") does not
  count; a shortfall after praise ("good access ... although there are no clinics") does.

Each gap gets a kind (``GAP_KINDS``) from the arrangement words where its cue points (most specific
first), the services it concerns (the one named nearest the cue first) and the bodies the sentence
names, the quote (its sentence), the finding it came from, the recommendations that finding cites,
its themes, and ``cue``: the words that made it a gap.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from .model import Arrangement, Citation, Gap, Paragraph, Structure
from .prefilter import Gated, fold, relaxed_pattern, required_words
from .services import find_services

GAP_KINDS = ("commissioning-capacity", "service-coverage", "pathway", "governance", "workforce")

# Sections whose unnumbered text can state gaps (numbered findings always can).
GAP_SECTIONS = ("context",)


class _Mention(Protocol):
    key: str


class OrgMentions(Protocol):
    """What gap extraction needs of ``OrgIndex``: the bodies a piece of text names."""

    def mentions(self, text: str) -> Sequence[_Mention]: ...


# --------------------------------------------------------------------------- sentences and clauses

# Gated: run only on text holding one of the words every match contains (see prefilter)
_ABBREV = Gated(re.compile(r"\b(?:e\.g|i\.e|eg|ie|etc|vs|no|nos|dr|mr|mrs|ms|st|approx|incl)\.$", re.I))
_MARKER = re.compile(r"\(\s*\**\s*Recommendations?\b[^)]*\)\**", re.I)


_CONTRACTION = Gated(re.compile(r"\b(is|are|was|were|has|have|had|does|do|did|could|would|should)n[’']t\b", re.I))
_CANNOT = Gated(re.compile(r"\b([Cc])an[’']t\b"))
_APOSTROPHE_T = ("'t", "’t", "'T", "’T")  # (no other character is "t" to a case-insensitive pattern)


def strip_markers(text: str) -> str:
    """Remove "(Recommendation 1.2)" markers and Markdown emphasis; spell out "isn't" as "is not"."""
    text = _MARKER.sub(" ", text)
    text = text.replace("**", " ").replace("__", " ")
    a, b, c, d = _APOSTROPHE_T
    if a in text or b in text or c in text or d in text:  # every contraction ends in one of them
        text = _CONTRACTION.sub(lambda m: m.group(1) + " not", text)
        text = _CANNOT.sub(r"\1annot", text)
    # = re.sub(r"\s+", " ", text).strip(): str.split() and \s agree on what whitespace is. A printable
    # text has no whitespace but " " (every other whitespace character is a control or a separator,
    # which str.isprintable refuses; tests/test_gaps_speed3.py checks all of Unicode), so without a
    # double, leading or trailing space it is its own normal form (most paragraphs are).
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


_SENTENCE_END = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[A-Z0-9“\"‘(•\-])")
_INITIAL = re.compile(r"\b[A-Z]\.$")
# The longest match of _ABBREV ("approx.") plus the character its \b looks at: a match at the end of a
# text lies in this many last characters, and is found there as in the whole text.
_ABBREV_TAIL = 8
# Every character that a case-insensitive _ABBREV accepts before its final "." (the last letters of its
# words: "e.g" ends in g, "approx" in x; "ſ" is "s" to it). tests/test_gaps_speed3.py checks all of Unicode.
_ABBREV_LAST = frozenset("gecsortxlGECSORTXL\u017f")


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences (keeps "e.g.", "1.13" and initials together)."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        chunk = text[start:m.end()].strip()
        # (both patterns end in "$": only the last characters of the text can match; _ABBREV only
        # after one of its last letters and ".", _INITIAL only after a capital and ".")
        end = m.start()
        if (text[end] == "." and end > start and text[end - 1] in _ABBREV_LAST
                and _ABBREV.pattern.search(text[start:end + 1].strip()[-_ABBREV_TAIL:])):
            continue
        if chunk[-1:] == "." and "A" <= chunk[-2:-1] <= "Z" and _INITIAL.search(chunk[-3:]):
            continue
        if chunk:
            out.append(chunk)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


_CONCESSIVE = re.compile(r"^(?:although|though|whilst|while|despite|even though|notwithstanding)\b", re.I)
_CLAUSE_CUT = re.compile(
    r";\s*|,?\s+\bhowever\b,?\s*|^however,?\s*|,\s*but\s+|\s+but\s+(?=(?:there|this|these|it|the|they|we|no|not)\b)"
    r"|,\s*(?=(?:although|though|whilst|while|despite)\b)"
    r"|\.\s*",
    re.I,
)


@dataclass
class Clause:
    text: str
    concessive: bool
    fronted: bool = False  # a concessive clause that opens its sentence ("Although A, B")


# Every match of _CLAUSE_CUT but those at ";" and "." holds one of these (in folded text); a sentence
# without them is cut by _STOP_CUT exactly as by _CLAUSE_CUT.
_CONTRAST_WORDS = ("however", "but", "though", "whil", "despite")
_STOP_CUT = re.compile(r"[;.]\s*")


def split_clauses(sentence: str, folded: str | None = None) -> list[Clause]:
    """Cut a sentence at contrast and ";": "Although A, B" -> [A (concessive), B]. ``folded``:
    ``fold(sentence)``, if the caller has it."""
    if folded is None:
        folded = fold(sentence)
    contrast = False
    for w in _CONTRAST_WORDS:
        if w in folded:
            contrast = True
            break
    parts = [q for q in (p.strip(" ,") for p in (_CLAUSE_CUT if contrast else _STOP_CUT).split(sentence) if p) if q]
    out: list[Clause] = []
    for i, part in enumerate(parts):
        if _CONCESSIVE.match(part):
            # "Although A, B": A is concessive, B (after the first comma) is the main clause.
            body = _CONCESSIVE.sub("", part, count=1).strip(" ,")
            head, sep, rest = body.partition(", ")
            out.append(Clause(head, True, fronted=i == 0))
            if sep and rest:
                out.append(Clause(rest, False))
        else:
            out.append(Clause(part, False))
    return out


# --------------------------------------------------------------------------- the language of shortfall

# Arrangement words: what a gap is about. Each maps to the kind it suggests.
_KIND_TERMS: dict[str, str] = {
    "commissioning-capacity": (
        r"commission\w*|non-commission\w*|under-commission\w*|fund(?:ed|ing)|(?<!team )(?<!teams )capacity|"
        r"waiting (?:times?|lists?)|fit for purpose|eligible population|resourc\w+|access to [\w\- ]{0,40}(?:care|beds|services?)|"
        r"health (?:representation|presence|input)|administrative support|(?:specialist|health) support"
    ),
    "service-coverage": (
        r"offered|offer of|not available|available to|clinics?|specialist service|service in place|"
        r"contacts?|universal\w*|coverage|reach\w*|opportunity to see|benefit+ing from|boroughs|districts|"
        r"provision of (?:a |any )?service"
    ),
    "workforce": (
        r"train\w*|e-learning|supervis\w+|staffing|staff availability|competenc\w+|preceptorship|awareness|"
        r"understood|understanding|knowledge|named gp|member of staff|culture|level (?:one|two|three|four|[1-4]) "
        r"|capacity (?:of|in) (?:the )?(?:\w+ )?safeguarding teams?|safeguarding teams?[^.]{0,40}capacity|"
        r"capacity in the combined role|stretch capacity|designated (?:nurse|doctor|professional)s?|named (?:nurse|doctor|midwife|GP|professional)s?|"
        r"in post|posts?\b|roles?\b|vacan\w+|based in|"
        r"capacity is currently limited|paediatric nurse cover"
    ),
    "governance": (
        r"oversight|assur\w+|audit\w*|governance|monitor\w*|performance|data\b|reporting|report on|"
        r"accountab\w+|leadership|grip|clear picture|complete picture|escalat\w+|polic(?:y|ies)|strategy|"
        r"quality assurance|framework|board|responsible for|picked up|lessons learnt|agreement|interim|overview|health needs|"
        r"leads forum|performance group|constituted group|case record auditing|compliance"
    ),
    "pathway": (
        r"pathways?|protocols?|procedures?|process(?:es)?|prompts?|tools?|risk assessments?|notif\w+|"
        r"inform\w*|shar\w+|sen[dt]s?|receiv\w+|invited|attend\w*|contribut\w+|liais\w+|records?|"
        r"recording|referrals?|systems?|IT\b|electronic|flag\w*|alerts?|portal|criteria|guidance|documentation|"
        r"plans?|forums?|panels?|meetings?|consent|follow\w*[ -]up|followed up|communicat\w+|secured|"
        r"joint working|arrangements for|facility|questions|submission|reports?\b|birth plans?|(?:initial |review )?health assessments?|"
        r"asked about|routine enquiry|enquir\w+|screening"
    ),
}

# Anything in this list is an "arrangement": the object a bare negation must reach for a gap.
_ARRANGEMENT_TERMS = (*_KIND_TERMS.values(), r"arrangements?\b", r"in place\b", r"services?\b")
_ARRANGEMENT = re.compile("|".join(rf"(?:\b(?:{v}))" for v in _ARRANGEMENT_TERMS), re.I)


def _top_alternatives(source: str) -> list[str]:
    """The alternatives of a pattern's source at its top level ("a|(?:b|c)|d" -> a, (?:b|c), d)."""
    out: list[str] = []
    depth, in_class, start, i = 0, False, 0, 0
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            out.append(source[start:i])
            start = i + 1
        i += 1
    out.append(source[start:])
    return out


def _grouped_by_first_letter(alternatives: Iterable[str]) -> str:
    """One alternation of ``alternatives`` in which those that begin with the same (unrepeated) letter
    share it: "ca|cb|d|(?:x)" -> "c(?:a|b)|d(?:)|(?:x)". It matches somewhere exactly when one of the
    alternatives does (not necessarily with the same alternative or span), and a case-insensitive
    pattern reads each letter once instead of once per alternative."""
    groups: dict[str, list[str]] = {}
    rest: list[str] = []
    for alt in alternatives:
        if alt[:1].isascii() and alt[:1].isalpha() and alt[1:2] not in ("?", "*", "+", "{"):
            groups.setdefault(alt[0], []).append(alt[1:])
        else:
            rest.append(alt)
    return "|".join([f"{first}(?:{'|'.join(tails)})" for first, tails in sorted(groups.items())] + rest)


# _ARRANGEMENT where only whether it matches counts (every use): the same terms behind one \b, grouped
# by first letter. (tests/test_speed_gaps_themes.py checks the two agree.)
_ARRANGEMENT_ANY = re.compile(
    r"\b(?:" + _grouped_by_first_letter(a for terms in _ARRANGEMENT_TERMS for a in _top_alternatives(terms)) + ")", re.I
)

# Cues. ``force``: "absence" (something is not there: "there is no", "lack of", "not commissioned",
# "only 50%"), "deficit" (it is there but falls short: "not robust", "underdeveloped", "limited") or
# "soft" (a difficulty or doubt: "problematic", "not clear", "unable to"). ``frame`` says where the
# thing that falls short is written: after the cue ("pre": "lack of <oversight>"), before it ("post":
# "<governance> is weak") or either side of a negated verb ("verb": "<midwives> do not routinely
# receive <notifications>").


@dataclass(frozen=True)
class CueRule:
    name: str
    pattern: re.Pattern[str]
    force: str
    frame: str


def _rule(name: str, pattern: str, force: str, frame: str) -> CueRule:
    return CueRule(name, re.compile(pattern, re.I), force, frame)


CUE_RULES: tuple[CueRule, ...] = (
    _rule("not commissioned", r"\b(?:not|never) (?:been |currently |yet )*commissioned\b|\bnon-commission\w*|\bunder-commission\w*|\buncommissioned\b", "absence", "post"),
    _rule("commissioned only in part", r"\bcommissioned\b[^.;]{0,60}\bonly\b|\bonly (?:been )?commissioned\b", "absence", "post"),
    _rule("offered only in part", r"\b(?:offered|available|provided|delivered|funded|runs?|operates?)\b[^.;]{0,50}\b(?:only|solely)\b|\bonly (?:offered|available|provided|runs?|operates?)\b", "absence", "post"),
    _rule("only part reached", r"\bonly (?:about |around |approximately )?\d+(?:\.\d+)?\s?(?:%|per ?cent)|\bonly \d+ (?:of|out of)\b|\b(?:about |approximately )?\d+\s?% of [\w\s]{0,40}\bnot\b", "absence", "post"),
    _rule("only part trained", r"\b(?:level (?:one|two|1|2)|online|e-learning)\b[^.;]{0,40}\bonly\b|\bonly (?:undertaken |completed |had |received )?(?:level (?:one|two|1|2)|online|e-learning)\b", "absence", "pre"),
    _rule("not fit for purpose", r"\bnot fit for purpose\b|\bunfit for\b", "absence", "post"),
    _rule("there is no", r"\bthere (?:is|are|was|were|has been|have been|had been) (?:currently |still |also |at present |yet )?(?:no|not (?:an?|any|yet an?))\b|\bthere is not\b|\bthere (?:is|was) nothing\b", "absence", "pre"),
    _rule("not ... any", r"\b(?:not|n't) (?:\w+ ){0,3}any\b|\bnever\b", "absence", "verb"),
    _rule("no ...", r"(?:^|[,:]\s*|\b(?:is|are|was|were|has|have|had|with|and|or|of|offers?|holds?|includes?|because|as|since|so|that|when)\s)no\s(?!\w+ (?:longer|doubt)\b)", "absence", "pre"),
    _rule("none", r"\bnone of\b", "absence", "pre"),
    _rule("not in place", r"\bnot (?:yet |currently |always |all |been |put )*in place\b", "absence", "post"),
    _rule("lack of", r"\black(?:s|ed|ing)?\b(?! of (?:concern|delay))", "absence", "pre"),
    _rule("absence of", r"\babsence of\b|\babsent\b(?! from)|\bnot present\b", "absence", "pre"),
    _rule("missing", r"\bmissing\b|\bmissed opportunit\w+|\bmissing the opportunity\b", "soft", "post"),
    _rule("a gap", r"\b(?:is|are|was|represents?|remains?|creates?|leaves?|this is) (?:a |an |another )?(?:significant |notable |key |clear )?gaps?\b|\bgap in\b", "absence", "post"),
    _rule("underdeveloped", r"\bunder-?developed\b|\bnot (?:yet |fully |well |sufficiently |formally )?(?:developed|established|embedded|implemented|in use|formali[sz]ed|agreed)\b|\bnot (?:a |an )?(?:formal|formali[sz]ed)\b|\bnot formally (?:adopted|established|agreed)\b", "deficit", "post"),
    _rule("not robust", r"\bnot (?:sufficiently |always |yet |as |very |fully |consistently )?(?:robust|effective|adequate|sufficient|strong|well secured|sensitive enough|frequent enough)\b|\bineffective\b", "deficit", "post"),
    _rule("insufficient", r"\binsufficient\w*|\binadequa\w+|\bnot sufficiently\b|\bunlikely to be sufficient\w*|\bnot sufficient\b|\bnot enough\b", "deficit", "post"),
    _rule("weak", r"\bweak(?:ness(?:es)?)?\b|\bpoor(?:ly)? (?:developed|co-ordinated|coordinated)\b|\bfragmented\b", "deficit", "post"),
    _rule("limited", r"\b(?:is|are|was|were|remains?|been) (?:currently |very |also |too |still |severely )?(?:limited|restricted)\b|\blimited (?:capacity|arrangements|opportunit\w+|evidence|access|provision|number of|availability|resources?)\b|\blimitations?\b", "deficit", "post"),
    _rule("over-reliance", r"\bover[ -]?relian\w+|\breliance on\b|\breliant on\b", "deficit", "post"),
    _rule("remains", r"\bremains? (?:overall )?(?:interim|an area for (?:\w+ )?improvement|outstanding|unresolved|a (?:concern|challenge|risk))", "deficit", "post"),
    _rule("not in line with guidance", r"\bnot in (?:line|accordance|keeping) with\b|\bnon-?complian\w+|\bnot compliant\b|\bbelow (?:the )?(?:expected|required|recommended)\b", "deficit", "post"),
    _rule("waiting", r"\bnegatively (?:impacted|affected)\b|\b(?:long|lengthy|excessive) (?:waiting|waits?|delays?)\b|"
          r"\bwait(?:ing)? (?:times?|lists?)\b[^.;]{0,60}\b(?:are|were|is|remains?) (?:\w+ )?(?:long|lengthy|excessive|growing|increasing)\b|"
          r"\bdelays? in (?:access|accessing)\b", "deficit", "post"),
    _rule("stretched", r"\bstretch(?:es|ed)? (?:the )?capacity\b|\bdeficit\b(?! hyperactivity)|\bshortfall\b|\bshortages?\b|\bunder-?staff\w*|\bunder-?resourced\b|\bover-?stretched\b", "deficit", "post"),
    _rule("not routinely", r"\bnot (?:being |been )?(?:fully|consistently|routinely|always|currently|regularly|formally|actively|generally|reliably|all|yet|systematically|completely|entirely|wholly|universally)\b", "deficit", "verb"),
    _rule("not shared", r"\bnot (?:being |been )?(?:invited|informed|notified|shared|sent|received|included|consulted|involved|communicated|escalated|recorded|used|picked up|undertaken|trained)\b", "soft", "verb"),
    _rule("unclear", r"\bunclear\b|\bnot (?:\w+ )?clear\b|\black of clarity\b|\bnot apparent\b|\bdifficult to identify\b|\bnot (?:\w+ )?evident\b", "soft", "verb"),
    _rule("difficulty", r"\bproblematic\b|\bhampered\b|\bdifficult to\b|\bdifficult(?:y|ies) (?:in|with)\b|\bfound it difficult\b|\bbreak\w*down\b|\bthere (?:were|are|is) (?:commonly |some |also )?issues?\b", "soft", "post"),
    _rule("vacant", r"\bvacan(?:t|cy|cies)\b|\bunfilled\b|\bnot (?:been )?(?:filled|recruited to|appointed)\b", "absence", "post"),
    _rule("below target", r"\bbelow (?:the )?(?:\d+\s?% )?(?:target|standard|threshold|expected|required|recommended|national average|trajectory)\b", "deficit", "post"),
    _rule("delays", r"\b(?:significant |considerable |long |lengthy |frequent )?delays? in (?:the )?(?:completion|completing|sharing|receiving|sending|access\w*|receipt|provision|notif\w+|allocation|assessments?|transfer\w*)\b", "deficit", "pre"),
    _rule("not met", r"\b(?:needs|standards?|requirements?|targets?) (?:are|is|were|was|have|has) not (?:being |been )?met\b", "deficit", "post"),
    _rule("does not take place", r"\bnot (?:take|taking|taken|took) place\b|\bnot (?:being )?(?:held|happening|happen|occur\w*)\b", "deficit", "post"),
    _rule("high risk", r"\brisk\b[^.;]{0,120}\b(?:is|was|remains|were) (?:very )?high\b|\b(?:created|creates|are|were|is) (?:\w+ )?barriers? to\b", "deficit", "verb"),
    _rule("a concern", r"\b(?:was|is|remains|were) a (?:\w+ )?concern\b", "soft", "post"),
    _rule("unable", r"\bunable to\b|\bnot (?:been )?able to\b|\bcannot\b|\bcan ?not\b", "soft", "verb"),
    _rule("no evidence", r"\bno evidence\b|\bdid not see (?:any )?evidence\b|\blittle evidence\b|\bnot (?:see|find) evidence\b", "soft", "pre"),
    _rule("less confident", r"\bless confident\b|\black of confidence\b|\bnot confident\b", "soft", "verb"),
)

# A bare negation: weakest cue; needs an arrangement right after it, or a habit adverb.
_WEAK_RE = re.compile(r"\b(?:not|no|never|n't|without)\b(?! (?:find|feel|think|believe|consider)\b)", re.I)
_HABIT = Gated(re.compile(r"\b(?:routinely|consistently|currently|regularly|formally|at present|systematically)\b", re.I))

# What cancels a cue. The costlier patterns are ``Gated``: run only on text that holds one of the words
# every match of them contains (prefilter.required_words); they answer as the bare patterns would.
_PRAISE_NEG = Gated(re.compile(
    r"\b(?:no|without|not|nor|any) (?:\w+ ){0,2}(?:waiting lists?|waits?|delays?|backlogs?|concerns?|issues|difficult\w*|"
    r"detriment|gaps|barriers|problems|harm|exceptions?|doubt|drift)\b|\bno longer\b|\bnot only\b|\bnot least\b|\bnot just\b"
    r"|\bnot (?:\w+ )?(?:required|needed|necessary|want|wish|prefer)\w*\b|\bprefer\w* not\b|\bno (?:recall|recourse)\b"
    r"|\bdo not attend\b|\bdid not attend\b|\bwas not attending\b|\bnot (?:a |an )?(?:problem|issue|barrier)\b"
    r"|\bnot (?:afraid|reluctant|hesitant|hesitate)\b|\bnot (?:\w+ )?(?:missed|failed|lost|declined)\b|\bnot have to\b"
    r"|\b(?:children|young people|families|women|cases|those|people)\b[^.;]{0,40}\bwhere there (?:is|are) no\b",
    re.I,
))
_HYPOTHETICAL = re.compile(
    r"\b(?:if|unless|in case|in the event)\b[^,;]{0,60}$|\b(?:risks? of|mitigate|avoid\w*|prevent\w*|reduc\w+)\b[^,;]{0,25}$"
    r"|\bin (?:their|his|her) $|\bensure (?:that )?(?:there (?:is|are) )?$",
    re.I,
)
_PRAISE = Gated(re.compile(
    r"\b(?:good|very good|excellent|effective(?:ly)?|strong|robust|positive|well[ -](?:established|developed|embedded|supported|co-?ordinated)|"
    r"outstanding|impressive|commendable|notable practice|good practice|(?:are|were|is) being met|appropriate)\b",
    re.I,
))
_NEGATED_PRAISE = Gated(re.compile(
    r"\b(?:not|no|lack of|absence of|nor)\b(?: \w+){0,3} (?:good|effective|strong|robust|positive|appropriate|well)\b", re.I
))
_FUTURE = Gated(re.compile(
    r"(?<!expectation that )(?<!expected that )\b(?:will|shall)\b(?! not)(?! be expected)|\b(?:is|are|was|were) (?:being|currently being) (?:developed|established|reviewed|implemented|"
    r"introduced|rolled out|considered|piloted|planned|addressed|put in place|progressed)\b|\bplans? (?:to|are)\b|\b(?:is|are) planned\b|"
    r"\bin (?:the )?future\b|\bnot yet (?:been )?(?:evaluated|known|clear how)\b|\bdue to (?:start|begin|be)\b|\bproposed\b|"
    r"\bwork is (?:underway|ongoing)\b|\bin development\b|\bwas considering\b|\btoo soon to\b",
    re.I,
))
_HEDGED_IMPROVEMENT = Gated(re.compile(
    r"\bcould (?:be )?(?:further )?(?:strengthen\w*|develop\w*|improv\w*|enhanc\w*|benefit)\b|\b(?:more |further |some )?scope (?:to|for)\b|"
    r"\bopportunit(?:y|ies) to (?:further )?(?:strengthen|develop|improve|enhance|build)\b|\bwould benefit\b|"
    r"\bmay (?:need|require|benefit)\b|\bidentified as an area for\b|\bfurther strengthen\w*\b|\bless consistent\b|"
    r"\bcould be (?:more|better)\b|\bis an area for (?:further )?(?:development|improvement|strengthening)\b",
    re.I,
))
_METHOD = Gated(re.compile(
    r"\bwe (?:were|are) (?:unable|not able) to (?:review|look|see|evaluate|assess|examine|access|confirm|verify|meet|speak)\b"
    r"(?![^.;]*\b(?:as|because) (?:the|this|there)\b[^.;]*\b(?:does not|do not|is not|no)\b)"
    r"|\bnot (?:included|part of|within the scope of|covered by|considered in|reviewed as part of) (?:in )?(?:this|the) (?:\w+ )?review\b"
    r"|\bnot included in (?:this|the) (?:\w+ )?(?:review|inspection)\b|\b(?:were|was) not (?:inspected|reviewed)\b|\bdue to IT problems\b",
    re.I,
))
_SINGLE_CASE_WORDS = (  # (in any case)
    r"\bin (?:one|this|that|a single|another) (?:case|instance|example|record)\b|\bone (?:case|young person|child|care leaver|mother|"
    r"family|parent|practitioner)\b|\bcase example\b|\b(?:a|one|another) case (?:sampled|seen|reviewed|tracked|examined)\b|\b(?:of|in|for) this (?:encounter|episode|incident|visit|attendance|young person|child|family|mother|baby)\b"
)
_SINGLE_CASE_NAME = r"\b(?:Child|Young person|Baby) [A-Z]\b"  # (as written)
_SINGLE_CASE = re.compile(f"(?i:{_SINGLE_CASE_WORDS})|{_SINGLE_CASE_NAME}")
# The name part written literal-first (\bC... is C(?<!\wC)...: the character before is no word
# character), so the engine skips to a capital C, Y or B instead of trying every position.
_SINGLE_CASE_NAME_FAST = re.compile(r"(?:C(?<!\wC)hild|Y(?<!\wY)oung person|B(?<!\wB)aby) [A-Z]\b")


class _SplitCase:
    """Whether _SINGLE_CASE matches a text: its case-insensitive part as a twin on the folded text, or
    its name part on the text (an alternation matches where one of its alternatives does)."""

    __slots__ = ()

    def search(self, text: str, folded: str) -> bool:
        return _single_case_words().search(text, folded) is not None or _SINGLE_CASE_NAME_FAST.search(text) is not None


@functools.cache
def _single_case_words() -> _Twin:
    return _Twin(re.compile(_SINGLE_CASE_WORDS, re.I))


_SINGLE_CASE_SPLIT = _SplitCase()
_PRACTICE_SLIP = Gated(re.compile(
    r"\b(?:some|a few|a number of|individual) (?:\w+ ){0,2}(?:midwives|practitioners|staff|nurses|doctors|clinicians|GPs|workers|cases|records|notes|forms|referrals)\b[^;]{0,30}\b(?:were|was|did|had|are)\b"
    r"|\bnot (?:always |all )?(?:fully )?(?:completed|articulated|documented|signed|dated|legible)\b",
    re.I,
))


@dataclass
class CueHit:
    rule: CueRule
    start: int
    end: int

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def force(self) -> str:
        return self.rule.force


_WEAK_RULE = CueRule("negation of an arrangement", _WEAK_RE, "weak", "verb")


class _GateIndex(NamedTuple):
    always: int  # the bits of the patterns that need no word
    scan: re.Pattern[str] | None  # the trie of the words: the longest word starting where it is tried
    prefixes: dict[str, int]  # trie word -> the bits of the words that begin it (itself included)
    # trie word -> the bits of the words " " + w for the trie words w that begin it: they are in the
    # text where it is found after a space (the trie holds no word that begins with a space, so
    # spaces, a sixth of a text, are skipped by the scan without a try)
    after_space: dict[str, int]
    inside: dict[str, int]  # trie word -> the bits of the words written anywhere in it (itself included)
    # trie word -> (offset k, the characters that may follow the word) for each offset inside the word
    # where another trie word may start that runs on past the word's end (it begins with the word's
    # last letters)
    straddles: dict[str, tuple[tuple[int, str], ...]]


class PatternGates:
    """Which of a family of patterns can match a text, from one scan of its folded text.

    Every match of a pattern contains one of its words (``prefilter.required_words``); a text without
    them is not searched with it. One regular expression (a trie of all the words, those that begin
    with a space without it) finds the longest word at the first place one starts, then at the first
    place after it, and so on (``finditer``). Every word the text holds begins where a found word
    begins (it is a prefix of the longest one there), or inside a found word: then it lies within that
    word, or it runs on past its end, and that is looked at only where the found word's last letters
    begin another word and the next character can continue it. So the words a text holds -- and the
    patterns that may match it, as a bit mask -- come from one scan instead of one ``in`` test per
    word. Built on first use."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)

    @functools.cached_property
    def _index(self) -> _GateIndex:
        always = 0
        by_word: dict[str, int] = {}
        for i, rx in enumerate(self.patterns):
            words = required_words(rx)
            if words is None:
                always |= 1 << i
                continue
            for w in words:  # (an empty set of words: the pattern never matches, its bit is never set)
                by_word[w] = by_word.get(w, 0) | 1 << i
        plain: dict[str, int] = {}  # the words, and the words after a leading space (" good" -> "good")
        spaced: dict[str, int] = {}
        for w, bits in by_word.items():
            if w[:1] == " " and w[1:2] not in ("", " "):
                spaced[w[1:]] = spaced.get(w[1:], 0) | bits
            else:
                plain[w] = plain.get(w, 0) | bits
        trie_words = set(plain) | set(spaced)
        prefixes = {w: _or(bits for v, bits in plain.items() if w.startswith(v)) for w in trie_words}
        after_space = {w: _or(bits for v, bits in spaced.items() if w.startswith(v)) for w in trie_words}
        inside = {w: _or(bits for v, bits in by_word.items() if v in w) for w in trie_words}
        straddles: dict[str, tuple[tuple[int, str], ...]] = {}
        for w in trie_words:
            offsets = []
            for k in range(1, len(w)):
                tail = w[k:]
                after = {v[len(tail)] for v in trie_words if len(v) > len(tail) and v.startswith(tail)}
                if after:
                    offsets.append((k, "".join(sorted(after))))
            if offsets:
                straddles[w] = tuple(offsets)
        scan = re.compile(_trie(trie_words)) if trie_words else None
        return _GateIndex(always, scan, prefixes, after_space, inside, straddles)

    def mask(self, text: str) -> int:
        """Bit ``i`` set: ``self.patterns[i]`` may match ``text``; clear: it certainly does not."""
        return self.mask_folded(fold(text))

    def mask_folded(self, folded: str) -> int:
        """``mask`` of a text from its ``prefilter.fold``."""
        always, scan, prefixes, after_space, inside, straddles = self._index
        out = always
        if scan is None:
            return out
        for m in scan.finditer(folded):
            w = m.group()
            out |= inside[w]
            spaced = after_space[w]
            if spaced:
                start = m.start()
                if start and folded[start - 1] == " ":
                    out |= spaced
            offsets = straddles.get(w)
            if offsets is not None:
                end = m.end()
                following = folded[end:end + 1]
                if following:
                    for k, after in offsets:
                        if following in after:
                            longer = scan.match(folded, m.start() + k)
                            if longer is not None:
                                found = longer.group()
                                out |= prefixes[found]
                                if folded[m.start() + k - 1] == " ":
                                    out |= after_space[found]
        return out


def _or(bits: Iterable[int]) -> int:
    out = 0
    for b in bits:
        out |= b
    return out


# Letters by how often English text has them: a trie's alternatives are tried in this order (each
# begins with its own character, so the order changes which is tried first, never what matches).
_LETTER_ORDER = {ch: i for i, ch in enumerate("etaoinsrhldcumfpgwybvkxjqz")}


def _trie(words: Iterable[str]) -> str:
    """A pattern matching, at a position, the longest of ``words`` that starts there."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        order = sorted(node.items(), key=lambda kv: (_LETTER_ORDER.get(kv[0], len(_LETTER_ORDER)), kv[0]))
        alts = [re.escape(ch) + build(child) for ch, child in order if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer word first

    return build(root)


# The patterns run on every clause, gated together: the cue rules (bit i = CUE_RULES[i]), then these.
_GATED_PER_CLAUSE = (_WEAK_RE, _PRAISE_NEG.pattern, _HABIT.pattern, _PRAISE.pattern, _NEGATED_PRAISE.pattern,
                     _FUTURE.pattern, _HEDGED_IMPROVEMENT.pattern, _METHOD.pattern, _PRACTICE_SLIP.pattern)
_GATES = PatternGates([r.pattern for r in CUE_RULES] + list(_GATED_PER_CLAUSE))
_RULE_BITS = (1 << len(CUE_RULES)) - 1
(_WEAK_BIT, _PRAISE_NEG_BIT, _HABIT_BIT, _PRAISE_BIT, _NEGATED_PRAISE_BIT, _FUTURE_BIT, _HEDGED_BIT, _METHOD_BIT,
 _PRACTICE_SLIP_BIT) = (1 << (len(CUE_RULES) + i) for i in range(len(_GATED_PER_CLAUSE)))
_CUE_BITS = _RULE_BITS | _WEAK_BIT  # a text without any of these has no shortfall cue


# --------------------------------------------------------------------------- patterns on folded text

# A case-insensitive pattern spends most of its time matching letters case-insensitively (and cannot
# skip an alternative by its first letter). Its *twin* -- the same pattern in lower case, case-sensitive
# -- run on ``prefilter.fold(text)`` matches there exactly where and as the pattern matches in the text
# (same spans: fold keeps offsets), because fold maps every character that a case-insensitive ASCII
# literal accepts to that literal in lower case and no other character to it, and keeps what \w, \s and
# \d accept (tests/test_speed_gaps_themes.py checks this for every character). A pattern is twinned only
# if it is written in ASCII letters (other characters caseless), with no escapes but \b \w \s \d,
# their capitals and escaped punctuation, and no inline flags or named groups.
_TWINNABLE_ESCAPE = re.compile(r"\\(?:[bBwWsSdDAZ]|[^0-9A-Za-z])")
_INLINE_FLAGS = re.compile(r"\(\?[A-Za-z\-]")


def _lower_case_twin(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    """The twin of ``rx`` for folded text, or None when ``rx`` is not case-insensitive or not written
    so that lower-casing it is safe."""
    if not rx.flags & re.IGNORECASE or _INLINE_FLAGS.search(rx.pattern):
        return None
    plain = _TWINNABLE_ESCAPE.sub("", rx.pattern)
    if "\\" in plain or any(not ch.isascii() and (ch.lower() != ch or ch.upper() != ch) for ch in plain):
        return None
    # lower-case every character but the escapes (\W stays \W)
    out: list[str] = []
    i = 0
    src = rx.pattern
    while i < len(src):
        if src[i] == "\\":
            out.append(src[i:i + 2])
            i += 2
        else:
            out.append(src[i].lower())
            i += 1
    lowered = "".join(out)
    return re.compile(lowered, rx.flags & ~re.IGNORECASE)


class _Twin:
    """A pattern and its twin (built on first use): ``search``/``finditer`` take the text and its fold
    and answer as ``pattern`` does on the text."""

    __slots__ = ("_folded", "pattern")

    def __init__(self, pattern: re.Pattern[str] | Gated) -> None:
        self.pattern = pattern.pattern if isinstance(pattern, Gated) else pattern
        self._folded: re.Pattern[str] | None | bool = False  # False: not built yet

    def _twin(self) -> re.Pattern[str] | None:
        if self._folded is False:
            self._folded = _lower_case_twin(self.pattern)
        return self._folded  # type: ignore[return-value]

    def search(self, text: str, folded: str) -> re.Match[str] | None:
        twin = self._folded if self._folded is not False else self._twin()
        return twin.search(folded) if twin is not None else self.pattern.search(text)  # type: ignore[union-attr]

    def finditer(self, text: str, folded: str) -> Iterator[re.Match[str]]:
        twin = self._folded if self._folded is not False else self._twin()
        return twin.finditer(folded) if twin is not None else self.pattern.finditer(text)  # type: ignore[union-attr]


_RULE_TWINS = tuple(_Twin(r.pattern) for r in CUE_RULES)
# Sharper than the words for two rules that run on many clauses: every match of "no ..." holds "no"
# and a space after it, every match of "only part reached" a digit (in folded text, as the twins see it).
_RULE_NEEDS: dict[str, re.Pattern[str]] = {"no ...": re.compile(r"no\s"), "only part reached": re.compile(r"\d")}
_RULE_EXTRA = tuple(_RULE_NEEDS.get(r.name) for r in CUE_RULES)
_T_WEAK, _T_PRAISE_NEG, _T_HABIT, _T_PRAISE, _T_NEGATED_PRAISE, _T_FUTURE, _T_HEDGED, _T_METHOD, _T_PRACTICE_SLIP = (
    _Twin(rx) for rx in _GATED_PER_CLAUSE)
_T_HYPOTHETICAL = _Twin(_HYPOTHETICAL)
_T_ARRANGEMENT_ANY = _Twin(_ARRANGEMENT_ANY)


# --------------------------------------------------------------------------- cues a sentence's clauses can hold

# A clause is a piece of its sentence whose ends keep their word boundaries: _CLAUSE_CUT and _STOP_CUT
# cut where a separator begins with ";", ",", "." or a space and ends with one of those or with a
# space, or with "however" followed (by its \b) by a character that is not a word character;
# stripping " ," and a concessive word (ending in \b) and cutting at ", " keep that. The exception is
# "^however,?\s*" at a sentence that opens with "however" glued to a word ("Howeverthe ..."): there a
# clause may begin with a word character after the "r", and no cue is ruled out.
_GLUED_HOWEVER = re.compile(r"however\w")


@functools.cache
def _relaxed_cues() -> tuple[tuple[re.Pattern[str] | None, ...], re.Pattern[str] | None]:
    """Per cue rule, and for the bare negation, ``prefilter.relaxed_pattern`` of its twin: where it
    finds nothing in a folded sentence, the rule matches no clause of the sentence (None: not known)."""
    def relaxed(twin: _Twin) -> re.Pattern[str] | None:
        rx = twin._twin()
        return None if rx is None else relaxed_pattern(rx)

    return tuple(relaxed(t) for t in _RULE_TWINS), relaxed(_T_WEAK)


def _possible_cues(gates: int, folded: str) -> int:
    """``gates`` (a sentence's ``_GATES.mask``; ``folded``: the sentence's fold) without the bits of the
    cue rules and the bare negation that match no clause of the sentence: those whose relaxed pattern
    finds nothing in the whole sentence."""
    if _GLUED_HOWEVER.match(folded):
        return gates
    rules, weak = _relaxed_cues()
    out = gates & ~_CUE_BITS
    if gates & _WEAK_BIT and (weak is None or weak.search(folded)):
        out |= _WEAK_BIT
    todo = gates & _RULE_BITS
    while todo:
        low = todo & -todo
        todo ^= low
        i = low.bit_length() - 1
        extra, rx = _RULE_EXTRA[i], rules[i]
        if (extra is None or extra.search(folded)) and (rx is None or rx.search(folded)):
            out |= low
    return out


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    lo, hi = a
    for x, y in spans:  # (a loop, not any() over a generator: most lists are empty or short)
        if lo < y and x < hi:
            return True
    return False


def shortfall_cues(clause: str, gates: int | None = None, folded: str | None = None) -> list[CueHit]:
    """Shortfall cues in one clause, in text order. Negated negatives ("no waiting list") and cues in
    a hypothetical frame ("if a midwife is unable to attend", "the risk of any lack of ...") are left out.
    ``folded`` (``fold(clause)``) and ``gates`` (``_GATES.mask``), if the caller has them."""
    if folded is None:
        folded = fold(clause)
    if gates is None:
        gates = _GATES.mask_folded(folded)
    cancelled = [m.span() for m in _T_PRAISE_NEG.finditer(clause, folded)] if gates & _PRAISE_NEG_BIT else []
    hits: list[CueHit] = []
    taken: list[tuple[int, int]] = []
    rules = gates & _RULE_BITS
    while rules:
        low = rules & -rules
        rules ^= low
        i = low.bit_length() - 1
        extra = _RULE_EXTRA[i]
        if extra is not None and extra.search(folded) is None:
            continue
        for m in _RULE_TWINS[i].finditer(clause, folded):
            span = m.span()
            if (cancelled and _overlaps(span, cancelled)) or (taken and _overlaps(span, taken)):
                continue
            if _T_HYPOTHETICAL.search(clause[: span[0]], folded[: span[0]]):
                continue
            hits.append(CueHit(CUE_RULES[i], *span))
            taken.append(span)
    if not hits and gates & _WEAK_BIT:
        for m in _T_WEAK.finditer(clause, folded):
            start, end = m.span()
            if (cancelled and _overlaps((start, end), cancelled)) or _T_HYPOTHETICAL.search(clause[:start], folded[:start]):
                continue
            if _T_ARRANGEMENT_ANY.search(clause[end: end + 90], folded[end: end + 90]) or (
                    gates & _HABIT_BIT and _T_HABIT.search(clause, folded)):
                hits.append(CueHit(_WEAK_RULE, start, end))
                break
    hits.sort(key=lambda h: h.start)
    return hits


@dataclass
class ClauseVerdict:
    is_gap: bool
    hits: list[CueHit] = field(default_factory=list)
    reason: str = ""  # why the cues were cancelled


def _cue_label(clause: str, hit: CueHit) -> str:
    return f"{hit.name}: \u201c{clause[hit.start:hit.end].strip()}\u201d"


def _object_window(text: str, hit: CueHit) -> str:
    """Where the thing that falls short is written, by the cue's frame (the cue itself included)."""
    cue = text[hit.start:hit.end]
    after = text[hit.end: hit.end + 100]
    before = text[max(0, hit.start - 120): hit.start]
    if hit.rule.frame == "pre":
        return cue + " " + after
    if hit.rule.frame == "post":
        return before + " " + cue + " " + after[:40]
    return before[-60:] + " " + cue + " " + after


_ANAPHOR = re.compile(r"^(?:this|that|these|those|which|such)\b(?! (?:is|was) (?:why|how|when|where)\b)", re.I)


class _Lazy:
    """A yes/no question about a text, answered on first asking (``bool(pattern.search(text))``,
    certainly no when ``possible`` is false; a ``_Twin`` is asked with the text and its fold)."""

    __slots__ = ("_answer", "_folded", "_pattern", "_text")

    def __init__(self, pattern: _Twin | Gated | _SplitCase, text: str, possible: bool = True, folded: str = "") -> None:
        self._pattern = pattern
        self._text = text
        self._folded = folded
        self._answer: bool | None = None if possible else False

    def __bool__(self) -> bool:
        if self._answer is None:
            p = self._pattern
            if isinstance(p, _SplitCase):
                self._answer = p.search(self._text, self._folded)
            else:
                found = p.search(self._text, self._folded) if isinstance(p, _Twin) else p.search(self._text)
                self._answer = found is not None
        return self._answer


def judge_clause(
    clause: Clause, sentence: str, before: str = "", *, gates: int | None = None, single_case: _Lazy | None = None,
    folded: str | None = None,
) -> ClauseVerdict:
    """Does this clause state a shortfall in an arrangement? ``before`` is the previous sentence
    (for "This is not in accordance with ...", whose arrangement was named just before).
    ``folded`` (``fold`` of the clause), ``gates`` (its ``_GATES.mask``) and ``single_case``
    (``_SINGLE_CASE`` in the sentence), if the caller has them."""
    text = clause.text
    if folded is None:
        folded = fold(text)
    if gates is None:
        gates = _GATES.mask_folded(folded)
    hits = shortfall_cues(text, gates, folded)
    if not hits:
        return ClauseVerdict(False)
    anaphoric = bool(_ANAPHOR.match(text))
    practice_before = anaphoric and bool(_PRACTICE_SLIP.search(before) or _SINGLE_CASE.search(before))
    # what cancels cues, read once for the clause (not once per cue), when a cue first asks
    method = _Lazy(_T_METHOD, text, bool(gates & _METHOD_BIT), folded)
    future = _Lazy(_T_FUTURE, text, bool(gates & _FUTURE_BIT), folded)
    hedged = _Lazy(_T_HEDGED, text, bool(gates & _HEDGED_BIT), folded)
    in_sentence = single_case if single_case is not None else _Lazy(_SINGLE_CASE_SPLIT, sentence, folded=fold(sentence))
    practice_slip = _Lazy(_T_PRACTICE_SLIP, text, bool(gates & _PRACTICE_SLIP_BIT), folded)
    habit_possible = bool(gates & _HABIT_BIT)  # a window of the clause holds the words only if the clause does

    def keep(h: CueHit) -> bool:
        lo, hi = max(0, h.start - 40), h.end + 40
        habit = habit_possible and bool(_T_HABIT.search(text[lo:hi], folded[lo:hi]))
        if h.force != "absence" and method:
            return False
        if h.force in ("soft", "weak", "deficit") and future:
            return False
        if h.force in ("soft", "weak") and hedged:
            return False
        if not habit and (practice_before or in_sentence):
            return False
        if h.force != "absence" and h.name != "not shared" and not habit and practice_slip:
            return False
        # the thing missing or in doubt must be an arrangement, written where the cue's frame puts it
        # (an anaphor -- "This is insufficient" -- points back to the previous sentence)
        if _T_ARRANGEMENT_ANY.search(_object_window(text, h), _object_window(folded, h)):
            return True
        if not (anaphoric and h.force in ("absence", "deficit")):
            return False
        around = before + " " + sentence
        return _T_ARRANGEMENT_ANY.search(around, fold(around)) is not None

    kept = [h for h in hits if keep(h)]
    if not kept:
        return ClauseVerdict(False, hits, "cancelled: method, future, hedge, single case or no arrangement")
    if all(h.force in ("soft", "weak") for h in kept):
        rest, rest_folded = text, folded
        for h in kept:
            blank = " " * (min(len(text), h.end + 100) - h.start)
            rest = rest[: h.start] + blank + rest[h.end + 100:]
            rest_folded = rest_folded[: h.start] + blank + rest_folded[h.end + 100:]
        if _T_PRAISE.search(rest, rest_folded) and not (
                gates & _NEGATED_PRAISE_BIT and _T_NEGATED_PRAISE.search(text, folded)):
            return ClauseVerdict(False, kept, "praise")
    return ClauseVerdict(True, kept)


def _is_praise(text: str, folded: str, gates: int) -> bool:
    """``_PRAISE`` and not ``_NEGATED_PRAISE`` in a clause (``folded``: its fold, ``gates``: its ``_GATES.mask``)."""
    return bool(gates & _PRAISE_BIT and _T_PRAISE.search(text, folded)) and not (
        gates & _NEGATED_PRAISE_BIT and _T_NEGATED_PRAISE.search(text, folded))


def _main_clause_is_praise(
    clauses: list[Clause], verdicts: list[ClauseVerdict], folded: Sequence[str] | None = None,
    gates: Sequence[int] | None = None,
) -> bool:
    for i, (c, v) in enumerate(zip(clauses, verdicts, strict=True)):
        if c.concessive or v.is_gap:
            continue
        f = fold(c.text) if folded is None else folded[i]
        if _is_praise(c.text, f, _GATES.mask_folded(f) if gates is None else gates[i]):
            return True
    return False


@dataclass
class GapSentence:
    sentence: str
    clause: str
    cue: str
    kind: str
    cue_at: int = 0  # offset of the cue in the sentence
    previous: str = ""  # the sentence before (what "This is not commissioned" points back to)


def gap_sentences(text: str) -> list[GapSentence]:
    """The sentences of a paragraph that state a gap, one per sentence and kind, with cue and kind."""
    return _gap_sentences(strip_markers(text))


def _gap_sentences(plain: str) -> list[GapSentence]:
    """``gap_sentences`` of a paragraph already passed through ``strip_markers``."""
    out: list[GapSentence] = []
    seen: set[tuple[str, str]] = set()
    previous = ""
    for sentence in split_sentences(plain):
        folded_sentence = fold(sentence)
        # The sentence's gates stand for each clause's: a clause holds no word its sentence lacks, so
        # no pattern the sentence rules out can match a clause (and a sentence without a cue word has
        # no gap at all).
        gates = _GATES.mask_folded(folded_sentence)
        if gates & _CUE_BITS:
            gates = _possible_cues(gates, folded_sentence)  # (which cues the words allow, which can match)
        if not gates & _CUE_BITS:
            previous = sentence
            continue
        clauses = split_clauses(sentence, folded_sentence)
        folded = [fold(c.text) for c in clauses]
        single_case = _Lazy(_SINGLE_CASE_SPLIT, sentence, folded=folded_sentence)  # looked for once, if a cue asks
        verdicts = [judge_clause(c, sentence, previous, gates=gates, single_case=single_case, folded=f)
                    for c, f in zip(clauses, folded, strict=True)]
        praise_main: bool | None = None  # asked only of a fronted concession that states a gap
        for clause, verdict, clause_folded in zip(clauses, verdicts, folded, strict=True):
            if not verdict.is_gap:
                continue
            if clause.fronted:
                if praise_main is None:
                    praise_main = _main_clause_is_praise(clauses, verdicts, folded, [gates] * len(clauses))
                if praise_main:
                    continue
            kind_gates: int | None = None  # the clause's, read once for all its cues
            for hit in verdict.hits:
                if kind_gates is None and hit.rule.name not in _COMMISSIONING_RULES:
                    kind_gates = _KIND_GATES.mask_folded(clause_folded)
                kind = classify_hit(clause.text, hit, sentence, clause_folded, kind_gates)
                if (sentence, kind) in seen:
                    continue
                seen.add((sentence, kind))
                at = max(sentence.find(clause.text), 0) + hit.start
                out.append(GapSentence(sentence, clause.text, _cue_label(clause.text, hit), kind, at, previous))
        previous = sentence
    return out


# --------------------------------------------------------------------------- kinds

# Arrangement words by kind, most specific first: the first pattern that matches in the window
# around a cue names the kind ("capacity of the safeguarding team" is workforce, "commissioned
# capacity" is commissioning).
_KIND_ORDER: tuple[tuple[str, Gated], ...] = tuple(
    (kind, Gated(re.compile(p, re.I)))
    for kind, p in (
        ("workforce", r"\bvacan(?:t|cy|cies)\b|\bin post\b|\bunfilled\b|\b(?:named|designated) \w+ (?:post|role)\b|\bthe post of\b|\bunder-?resourced\b|\bunder-?staffed\b|\bover-?stretched\b|"
                      r"\b(?:no|lack of|absence of) (?:a )?(?:\w+ )?(?:designated|named) (?:nurse|doctor|midwife|GP|professional)s?\b|"
                      r"\bno (?:\w+ )?(?:health )?practitioners? (?:is|are) based\b|"
                      r"\bsafeguarding teams? (?:is|are) (?:\w+ )?(?:stretched|under)|\bcapacity (?:of|in) (?:the )?(?:\w+ )?(?:safeguarding team|combined role)|\b(?:safeguarding|named|designated) (?:team|nurse|midwife|doctor|lead|role)s?\b[^.;]{0,40}\bcapacity\b|"
                      r"\bcapacity\b[^.;]{0,60}\b(?:safeguarding (?:team|agenda|lead)|named|designated)\b|\bstretch\w* (?:the )?capacity\b|\bnamed gp role\b|\bmember of staff\b|\bpaediatric nurse cover\b|\bstaffing\b"),
        ("governance", r"\bnot (?:\w+ )?clear (?:if|what|who|whether)\b|\bcannot assure\b|\bassure itself\b|\b(?:an |any )?overview of\b|\bmanagers? (?:do|does|did) not (?:review|check|monitor)\b"),
        ("commissioning-capacity", r"\b(?:not|non-|un|under-|lack of |only )commission\w*|\bcommissioned (?:to|in|for|only)\b|\bcommissioned capacity\b|"
                                   r"\bfit for purpose\b|\bwaiting (?:times?|lists?)\b|\bfund(?:ed|ing)\b|(?<!parenting )(?<!team )\bcapacity\b|"
                                   r"\baccess to [\w\- ]{0,40}(?:care|beds)\b|(?<!the )\bcommission(?:ed|ing)\b(?! health provider)|"
                                   r"\bhealth (?:representation|presence|input)\b|\b(?:administrative|specialist|health) support\b"),
        ("workforce", r"\b(?:train\w*|e-learning|supervision|staffing|competenc\w+|preceptorship|awareness|culture)\b|\bnot clearly understood\b|"
                      r"\bformally adopted\b|\blevel (?:one|two|three|four|[1-4])\b"),
        ("service-coverage", r"\b(?:offered|offer of|offer|not available to|clinics?|specialist service|contacts|universally|coverage|"
                             r"opportunity to see|benefit+ing from|boroughs|districts|eligible)\b"),
        ("governance", r"\b(?:oversight|assur\w+|audit\w*|governance|performance|grip|accountab\w+|escalat\w+|monitor\w*|strategy|interim|"
                       r"lessons learnt|data|picture|leadership|agreement|responsible for|picked up|leads forum|constituted group)\b|\breport(?:ing)? on\b|\breporting\b"),
        ("pathway", r"\b(?:pathways?|protocols?|prompts?|tools?|notif\w+|shar(?:e|ed|ing)|flag\w*|alerts?|portal|criteria|records?|"
                    r"risk assessments?|liaison|liaise|invited|contribut\w+|sen[dt]|receiv\w+|informed?|information|consent|system|IT|forum|panels?|"
                    r"meetings?|followed up|follow-up|secured|submission|joint working|documentation|guidance|process(?:es)?|plans?|attend\w*)\b"),
        ("governance", r"\bpolic(?:y|ies)\b|\bboard\b|\bframework\b"),
    )
)


_POLICY_OR_PATHWAY = Gated(re.compile(r"\bpolicy or pathway\b|\bpathway or policy\b", re.I))


# The kind patterns gated together: bit 0 is _POLICY_OR_PATHWAY, bit i + 1 is _KIND_ORDER[i].
_KIND_GATES = PatternGates([_POLICY_OR_PATHWAY.pattern] + [rx.pattern for _kind, rx in _KIND_ORDER])
_T_POLICY_OR_PATHWAY = _Twin(_POLICY_OR_PATHWAY)
_KIND_TWINS = tuple((kind, _Twin(rx)) for kind, rx in _KIND_ORDER)


def _kind_in(window: str, folded: str | None = None, gates: int | None = None) -> str | None:
    """The kind the first matching kind pattern names in ``window`` (``folded``: its fold, ``gates``:
    its ``_KIND_GATES.mask``)."""
    if folded is None:
        folded = fold(window)
    if gates is None:
        gates = _KIND_GATES.mask_folded(folded)
    if gates & 1 and _T_POLICY_OR_PATHWAY.search(window, folded):
        return "pathway"
    for i, (kind, rx) in enumerate(_KIND_TWINS, 1):
        if gates >> i & 1 and rx.search(window, folded):
            return kind
    return None


_COMMISSIONING_RULES = frozenset(("not commissioned", "commissioned only in part", "not fit for purpose"))
_INNER_BOUNDARY = re.compile(r",|\b(?:and|that|which|due to|because|as|but|while|whilst|where|resulting in)\b", re.I)
_SPECIFIC = 2  # the first entries of _KIND_ORDER are specific enough to decide from the whole clause


def classify_hit(
    clause: str, hit: CueHit, sentence: str = "", folded: str | None = None, gates: int | None = None,
) -> str:
    """The kind of the gap a cue states, from the arrangement words where its frame puts them.
    ``folded``: ``fold(clause)``, and ``gates``: its ``_KIND_GATES.mask``, if the caller has them."""
    if hit.rule.name in _COMMISSIONING_RULES:
        return "commissioning-capacity"
    if folded is None:
        folded = fold(clause)
    clause_gates = _KIND_GATES.mask_folded(folded) if gates is None else gates
    for i, (kind, rx) in enumerate(_KIND_TWINS[:_SPECIFIC], 1):
        if clause_gates >> i & 1 and rx.search(clause, folded):
            return kind
    # the windows are spans of the clause: its kind gates (a superset of each window's) gate them too
    after = (hit.end, min(len(clause), hit.end + 100))
    before = (max(0, hit.start - 120), hit.start)
    # the subject of a predicate starts after the last clause-internal boundary ("... and that <the
    # pathway of notification> is not fully effective")
    before_text = clause[before[0]:before[1]]
    cut = list(_INNER_BOUNDARY.finditer(before_text))
    subject = (before[0] + cut[-1].end(), hit.start) if cut and len(before_text[cut[-1].end():].split()) >= 2 else before
    if hit.rule.frame == "pre":
        windows = [(hit.start, hit.end), after, before]
    elif hit.rule.frame == "post":
        windows = [(hit.start, hit.end), subject, before, after]
    else:  # a negated verb: its object first (the cue itself is only the verb)
        windows = [(hit.end, min(after[1], hit.end + 60)), subject, after, before]
    for lo, hi in windows:
        found = _kind_in(clause[lo:hi], folded[lo:hi], clause_gates)
        if found:
            return found
    return _kind_in(clause, folded, clause_gates) or _kind_in(sentence) or "pathway"


# --------------------------------------------------------------------------- services

ServiceFinder = Callable[[str], list[tuple[str, int]]]  # text -> (service key, offset) in text order

def service_finder(text: str) -> list[tuple[str, int]]:
    """(service key, offset) of every service a text is about, in text order: the service lexicon of
    ontology/services.ttl with its topical cues ("midwives" -> maternity, "the MASH" -> its health
    presence)."""
    return [(m.key, m.start) for m in find_services(text, topical=True)]


def default_service_finder() -> ServiceFinder:
    return service_finder


def _keys(found: list[tuple[str, int]], near: int | None = None) -> list[str]:
    """Service keys, the one nearest ``near`` first (the service the shortfall is about), then text order."""
    order = sorted(found, key=lambda kv: abs(kv[1] - near)) if near is not None else found
    keys: list[str] = []
    for key, _ in order[:1] + sorted(order[1:], key=lambda kv: kv[1]):
        if key not in keys:
            keys.append(key)
    return keys


# --------------------------------------------------------------------------- paragraphs -> gaps


def _org_keys(orgs: OrgMentions | None, text: str) -> list[str]:
    if orgs is None:
        return []
    keys: list[str] = []
    for m in orgs.mentions(text):
        if m.key not in keys:
            keys.append(m.key)
    return keys


def _gap_paragraphs(structure: Structure) -> list[Paragraph]:
    out = list(structure.findings)
    for key in GAP_SECTIONS:
        sec = structure.section(key)
        if sec is not None:
            out.extend(p for p in sec.paragraphs if not p.number)
    return out


def extract_gaps(
    structure: Structure,
    citations: list[Citation],
    orgs: OrgMentions | None,
    arrangements: list[Arrangement] | None = None,
    *,
    find_services: ServiceFinder | None = None,
) -> list[Gap]:
    """Every stated gap in the findings and the context section, in report order.

    ``arrangements`` (stated commissioning and provision) give the bodies behind a service when the
    paragraph names none: a gap about a service concerns its commissioners and providers too.
    """
    finder = find_services or default_service_finder()
    cited: dict[str, list[str]] = {}
    for c in citations:
        nums = cited.setdefault(c.finding, [])
        nums.extend(n for n in c.numbers if n not in nums)
    provided: dict[str, list[str]] = {}
    for a in arrangements or []:
        if a.relation == "provides" and a.service not in provided.setdefault(a.organisation, []):
            provided[a.organisation].append(a.service)

    from .themes import tag_themes

    gaps: list[Gap] = []
    for para in _gap_paragraphs(structure):
        plain = strip_markers(para.text)
        found = _gap_sentences(plain)
        if not found:
            continue
        para_orgs: list[str] | None = None  # the paragraph's bodies, read only if a sentence names none
        mentioned = finder(plain)  # once per paragraph: sentences take their share by offset
        para_services = _keys(mentioned)

        def within(sentence: str, found_in: list[tuple[str, int]] = mentioned, text: str = plain) -> list[tuple[str, int]]:
            start = text.find(sentence)
            if start < 0:
                return finder(sentence)
            return [(k, at - start) for k, at in found_in if start <= at < start + len(sentence)]

        for gs in found:
            services = _keys(within(gs.sentence), gs.cue_at)
            bodies = _org_keys(orgs, gs.sentence)
            if not bodies:
                if para_orgs is None:
                    para_orgs = _org_keys(orgs, plain)
                bodies = para_orgs
            if not services and gs.previous:
                services = _keys(within(gs.previous), len(gs.previous))
            if not services:
                # a body the sentence names that provides just one service names that service
                own = [provided[b][0] for b in bodies if len(provided.get(b, [])) == 1]
                services = _keys([(k, 0) for k in own]) or para_services
            gaps.append(
                Gap(
                    kind=gs.kind,
                    source=para.source,
                    quote=gs.sentence,
                    services=list(services),
                    organisations=list(bodies),
                    recommendations=list(cited.get(para.number or "", [])),
                    themes=tag_themes(gs.sentence),
                    cue=gs.cue,
                )
            )
    return gaps
