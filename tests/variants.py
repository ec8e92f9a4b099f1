"""Variant reports with matching gold, so extraction accuracy can be measured on reports unlike ours.

A library for the accuracy tests (not a test module). Each transform takes a report's text and its
gold annotation (the dict of ``tests/data/<stem>.json``) and returns ``(new_text, new_gold)``:

- :func:`rename` gives every body, place, hospital site and person an invented name, consistently
  in the text and in the gold (names, aliases, area, scopes, evidence, sites, recommendation texts).
  Acronyms that stand for a renamed name ("SSOTP", "(SES&S)") get the new name's initials.
- :func:`md_to_pdf_text` lays a Markdown report out as PDF-extracted text: markup stripped, lines
  wrapped at about 85 characters with stray blank lines, page breaks with the running
  "Review of health services ... in <Area>" / "Page N of M" footer, bullets as "•".
- :func:`pdf_text_to_md` does the reverse: paragraphs joined, footers dropped, "## " headings,
  bold citation markers, recommendation items as "- 1.14 ..." bullets.

Nothing here knows the corpus reports: names to change come from the gold (organisations, sites,
teams, area, scopes, inspectors), from :data:`EXTRA_PLACES` (places the reports mention in passing)
and from acronyms defined in parentheses after a renamed name. Everything is deterministic for a
given seed.
"""

from __future__ import annotations

import copy
import random
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

# Places the reports name in passing (districts, towns, regions), beyond those in gold names/scopes.
EXTRA_PLACES = (
    "Newcastle-under-Lyme", "Staffordshire Moorlands", "Cannock", "Rugeley", "Heath Hayes",
    "Huntington", "Great Wyrley", "Cheslyn Hay", "Utoxeter", "Burton on Trent", "Tutbury", "Brewood", "Penkridge", "Tamworth", "Lichfield", "Litchfield",
    "Seisdon", "Stafford", "Shropshire", "Birmingham", "Sandwell", "Walsall", "Wolverhampton",
    "Dudley", "Derby", "Bristol", "Greater Manchester", "Manchester", "Lancashire", "Stockport",
    "Stepping Hill", "Pennine", "Stoke", "Trent", "North Midlands", "West Midlands",
)

# Words of organisation names that are not names: kept as they are.
GENERIC = frozenset("""
nhs trust trusts foundation clinical commissioning group groups ccg ccgs council councils county city
district borough metropolitan hospital hospitals university healthcare health care community
partnership partnerships public services service board safeguarding children child unit mother baby
teaching combined north south east west northern southern central mid upper lower great greater royal
the of and on upon under in at for st saint sir team teams local authority england english national
department education commission quality ofsted multi agency hub risk assessment conference
conferences protection public arrangements forum core vulnerability wellbeing peninsula
mental integrated family nurse cafe café young people youth integrated specialist services limited
ltd plc cic new old city's county's
""".split())

# Organisation types whose distinctive words are renamed; national bodies keep their names.
RENAMED_TYPES = frozenset({"ccg", "nhs_trust", "foundation_trust", "local_authority", "voluntary",
                           "independent", "partnership", "gp_practice", "other"})

_PREFIXES = ("Harrow", "Wex", "Ashen", "Brack", "Calder", "Dun", "Elm", "Fen", "Gorse", "Hals", "Ivel",
             "Kes", "Lang", "Marl", "Nether", "Oak", "Pen", "Quar", "Rad", "Sal", "Thorn", "Ul",
             "Ver", "Wyn", "Yar", "Alder", "Bram", "Corn", "Dray", "Eller", "Fal", "Grim", "Hep",
             "Kel", "Lyd", "Mel", "Nor", "Ock", "Pol", "Rook", "Sted", "Tal", "Wold", "Brin", "Cas",
             "Dal", "Eb", "Frem", "Gil", "Hax", "Isel", "Kirt", "Loth", "Mard", "Orm", "Rux", "Scar")
_SUFFIXES = ("field", "moor", "ton", "bury", "ley", "worth", "ford", "ham", "wick", "stead", "by",
             "mouth", "combe", "dale", "hurst", "well", "borough", "cester", "bridge", "minster",
             "holme", "thorpe", "wold", "croft")
_KEEP_ENDINGS = ("shire", "lands", "port")
_BRANDS = ("Beacon", "Compass", "Horizon", "Lantern", "Kestrel", "Meadow", "Anchor", "Harbour",
           "Willow", "Juniper", "Falcon", "Heron", "Bramble", "Clover", "Linnet", "Rowan", "Hazel",
           "Thistle", "Aspen", "Skylark", "Larch", "Cedar", "Marigold", "Osprey", "Pebble", "Quill",
           "Saffron", "Tansy", "Wren", "Yarrow", "Bluebell", "Foxglove", "Harebell", "Kingfisher")
_FIRST = ("Alison", "Martin", "Priya", "Owen", "Grace", "Tomasz", "Helen", "Rashid", "Nadia", "Colin",
          "Fiona", "Gareth", "Imogen", "Declan", "Bernadette", "Kieran", "Ruth", "Dilip")
_SURNAMES = ("Ashworth", "Pembury", "Kettleby", "Oldroyd", "Farrant", "Quayle", "Trevethan",
             "Mobberley", "Haighton", "Ruddock", "Gillibrand", "Yeardley", "Nettleship", "Coverdale",
             "Blamire", "Sowerby", "Tunnicliffe", "Witherspoon")

_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")
_NB = r"(?<![A-Za-z0-9À-ÿ])"  # not preceded by a word character
_NA = r"(?![A-Za-z0-9À-ÿ])"  # not followed by one


def _tokens(name: str) -> list[str]:
    """Words of a name, split on spaces, hyphens and apostrophes; "&" is a word."""
    return re.findall(r"[A-Za-zÀ-ÿ]+|&", name)


def _case_like(model: str, word: str) -> str:
    if len(model) > 1 and model.isupper():
        return word.upper()
    if model.islower():
        return word.lower()
    return word[:1].upper() + word[1:]


def _is_acronym(s: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Za-z&]{1,7}", s)) and sum(c.isupper() for c in s) >= 2 \
        and not re.fullmatch(r"[A-Z][a-z]+", s)


@dataclass
class Renaming:
    """The mapping one seed produced (exposed for tests and debugging)."""

    words: dict[str, str] = field(default_factory=dict)  # lower-case old word -> new word
    acronyms: dict[str, str] = field(default_factory=dict)  # old acronym -> new acronym
    phrases: list[str] = field(default_factory=list)  # every old name that is rewritten
    old_names: list[str] = field(default_factory=list)  # old names that must be gone afterwards
    pattern: re.Pattern[str] | None = None

    def apply(self, text: str) -> str:
        if self.pattern is None or not text:
            return text
        return self.pattern.sub(self._replace, text)

    def _replace(self, m: re.Match[str]) -> str:
        s = m.group(0)
        if s in self.acronyms:
            return self.acronyms[s]
        stem = s[:-1] if s.endswith("s") and s[:-1] in self.acronyms else None
        if stem is not None:
            return self.acronyms[stem] + "s"

        def word(w: re.Match[str]) -> str:
            new = self.words.get(w.group(0).lower())
            return _case_like(w.group(0), new) if new else w.group(0)

        return _WORD.sub(word, s)


def _phrase_pattern(phrase: str, bounded: bool = True) -> str:
    """Regex for a name: any case, hyphens/spaces/line breaks between words, "&" = "and"."""
    parts = []
    for tok in _tokens(phrase):
        if tok in ("&",) or tok.lower() == "and":
            parts.append(r"(?:and|&)")
        else:
            parts.append(re.escape(tok))
    # between words: white space (also across lines), hyphens, apostrophes
    return (_NB if bounded else "") + r"(?:[\s\-’']*)".join(parts) + _NA


def _align(acronym: str, words: list[str]) -> list[int] | None:
    """Indices of the words whose initials spell ``acronym`` (in order, words may be skipped)."""
    letters = [c for c in acronym if c.isalpha() or c == "&"]
    if letters and letters[-1] == "s" and len(letters) > 2:  # plural "LATs"
        letters = letters[:-1]

    def go(i: int, j: int) -> list[int] | None:
        if i == len(letters):
            return []
        for k in range(j, len(words)):
            w = words[k]
            hit = (w in ("&", "and") and letters[i] == "&") or (
                letters[i] != "&" and w[:1].lower() == letters[i].lower())
            if hit:
                rest = go(i + 1, k + 1)
                if rest is not None:
                    return [k, *rest]
        return None

    return go(0, 0)


def _text_words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


class _Namer:
    """Invents words that do not occur in the text and never contain one another."""

    def __init__(self, rng: random.Random, forbidden: set[str], old: set[str]) -> None:
        self.rng = rng
        self.forbidden = forbidden
        self.old = old
        self.made: list[str] = []

    def _ok(self, w: str) -> bool:
        lw = w.lower()
        if lw in self.forbidden or len(lw) < 4:
            return False
        if any(o in lw or lw in o for o in self.old if len(o) >= 4):
            return False
        return not any(lw in m.lower() or m.lower() in lw for m in self.made)

    def _pick(self, make: Callable[[], str]) -> str:
        for _ in range(2000):
            w = make()
            if self._ok(w):
                self.made.append(w)
                return w
        raise RuntimeError("could not invent a fresh name")

    def place(self, old: str) -> str:
        ending = next((e for e in _KEEP_ENDINGS if old.lower().endswith(e) and len(old) > len(e) + 2), "")
        def make() -> str:
            head, tail = self.rng.choice(_PREFIXES), ending or self.rng.choice(_SUFFIXES)
            return head + tail if head[-1] != tail[0] else head + tail[1:]

        return self._pick(make)

    def brand(self, old: str) -> str:
        return self._pick(lambda: self.rng.choice(_BRANDS)
                          if self.rng.random() < 0.7 else self.rng.choice(_PREFIXES) + self.rng.choice(_SUFFIXES))

    def first(self, old: str) -> str:
        return self._pick(lambda: self.rng.choice(_FIRST))

    def surname(self, old: str) -> str:
        return self._pick(lambda: self.rng.choice(_SURNAMES))


def _typo_of(new: str, old_canon: str, old_slip: str) -> str:
    """A slip of ``new`` like the one ``old_slip`` is of ``old_canon`` (a letter doubled or dropped)."""
    ops = [op for op in SequenceMatcher(None, old_canon, old_slip).get_opcodes() if op[0] != "equal"]
    if not ops:
        return new
    tag, i1, _, _, _ = ops[0]
    p = max(1, min(len(new) - 2, round(i1 * len(new) / max(1, len(old_canon)))))
    if tag == "delete" and len(new) > 5:
        return new[:p] + new[p + 1:]
    if tag == "insert":
        return new[:p] + new[p] + new[p:]
    return new[:p] + ("e" if new[p] != "e" else "a") + new[p + 1:]


def _walk_strings(obj: Any, fn: Callable[[str], str], skip: frozenset[str], under: str = "") -> Any:
    if isinstance(obj, dict):
        return {k: _walk_strings(v, fn, skip, k) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_walk_strings(v, fn, skip, under) for v in obj]
    if isinstance(obj, str) and under not in skip:
        return fn(obj)
    return obj


# Gold fields that hold keys, numbers or codes, never names.
_KEY_FIELDS = frozenset({"key", "type", "service", "services", "commissioner", "provider", "from", "to",
                         "organisation", "organisations", "responsible", "kind", "paragraph", "number",
                         "recommendations", "date", "providers_included", "ccgs_included",
                         "review_start", "review_end", "publication_date"})


def _people(text: str, gold: dict[str, Any]) -> list[str]:
    names = list(gold.get("inspectors") or [])
    # names given after "Inspector:" labels in front matter ("... Inspector ...: Sue Smith")
    for m in re.finditer(r"[Ii]nspectors?\b[^:\n]{0,80}:\s*(?:</b>)?\s*([^\n]+)", text[:5000]):
        value = re.sub(r"<[^>]+>|\*", "", m.group(1))
        for part in re.split(r",|\band\b|&", value):
            part = part.strip()
            if re.fullmatch(r"(?:[A-Z][a-z]+\.? )?[A-Z][a-zA-Z'’\-]+(?: [A-Z][a-zA-Z'’\-]+){0,2}", part):
                names.append(part)
    return sorted(set(names), key=names.index)


def build_renaming(text: str, gold: dict[str, Any], seed: int) -> Renaming:
    """Work out every name to change and what it becomes, for ``seed``."""
    text_words = _text_words(text)
    lower_words = set(re.findall(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])", text))

    def distinctive(word: str) -> bool:
        """A name rather than an ordinary word: never written in lower case in the text."""
        return word.lower() not in GENERIC and word.lower() not in lower_words

    kinds: dict[str, str] = {}  # lower word -> "place" | "brand" | "first" | "surname"
    phrases: list[str] = []
    standalone: set[str] = set()  # words renamed wherever they appear, not only inside a name

    def add_phrase(name: str, kind: str, all_words: bool) -> None:
        toks = [t for t in _tokens(name) if t != "&"]
        mapped = False
        for t in toks:
            lt = t.lower()
            if not t[:1].isupper() or lt in GENERIC or len(t) < 3 or (t.isupper() and len(t) <= 6):
                continue  # ordinary words, and acronyms (handled apart)
            if not all_words and not distinctive(t):
                continue
            kinds.setdefault(lt, kind)
            mapped = True
        if mapped:
            phrases.append(name)

    place_names = [gold.get("area") or ""]
    for key in ("commissioning", "provision"):
        place_names += [e.get("scope") or "" for e in gold.get(key, [])]
    place_names += [e.get("scope") or "" for e in gold.get("unmapped", []) if isinstance(e, dict)]
    place_names += list(EXTRA_PLACES)
    for name in place_names:
        if name:
            add_phrase(name, "place", all_words=False)

    acronym_aliases: list[tuple[str, list[str], str]] = []
    for org in gold.get("organisations", []):
        if org.get("type") not in RENAMED_TYPES:
            continue
        names = [org["name"], *org.get("aliases", [])]
        longs = [n for n in names if not _is_acronym(n)]
        for n in longs:
            brandish = org.get("type") in ("voluntary", "independent", "partnership")
            add_phrase(n, "brand" if brandish else "place", all_words=True)
        for n in names:
            if _is_acronym(n):
                acronym_aliases.append((n, longs, org.get("type", "")))
    for site in gold.get("sites", []) or []:
        add_phrase(site["name"], "place", all_words=True)
    for team in gold.get("teams", []) or []:
        add_phrase(team["name"], "brand", all_words=False)
    people = _people(text, gold)
    for person in people:
        toks = _tokens(person)
        for i, t in enumerate(toks):
            kinds.setdefault(t.lower(), "first" if i == 0 and len(toks) > 1 else "surname")
        phrases.append(person)

    # single words that are names in their own right are renamed wherever they stand
    for name in place_names:
        for t in _tokens(name):
            if t.lower() in kinds and distinctive(t):
                standalone.add(t)
    for name in phrases:
        for t in _tokens(name):
            if t.lower() in kinds and distinctive(t) and (kinds[t.lower()] in ("place", "surname")):
                standalone.add(t)

    # only the stretch from the first to the last renamed word of a name needs matching
    cores = {_core(p, kinds) for p in phrases} - {""}
    all_phrases = sorted(cores | standalone | set(_subphrases(phrases, kinds)), key=len, reverse=True)
    phrase_re = re.compile(_NB + "(?:" + "|".join(_phrase_pattern(p, bounded=False) for p in all_phrases) + ")",
                           re.IGNORECASE) if all_phrases else None

    def renamed_words(s: str) -> set[str]:
        """Lower-case words of ``s`` that renaming will change (they sit inside a known name)."""
        if phrase_re is None:
            return set()
        return {w.lower() for m in phrase_re.finditer(s) for w in _tokens(m.group(0)) if w.lower() in kinds}

    # the words that make up the renamed names, in first-seen order
    order = list(kinds)
    old_set = set(order)
    counts = Counter(w.lower() for w in _WORD.findall(text))
    for attempt in range(50):
        rng = random.Random(f"{seed}:{attempt}")
        namer = _Namer(rng, forbidden=text_words, old=old_set)
        words: dict[str, str] = {}
        # abbreviations ("Staffs" of "Staffordshire") and typos ("Surounds") follow their word
        derived: dict[str, tuple[str, str]] = {}
        for w in order:
            longer = [o for o in order if o != w and w.endswith("s") and len(w) >= 5
                      and o.startswith(w[:-1]) and len(o) > len(w) + 2]
            if longer:  # "Staffs" shortens the most used word it begins
                derived[w] = (max(longer, key=lambda o: counts[o]), "abbrev")
                continue
            near = [o for o in order if o != w and o[0] == w[0] and abs(len(w) - len(o)) <= 1
                    and len(w) >= 6 and SequenceMatcher(None, w, o).ratio() >= 0.85
                    and (counts[o], -order.index(o)) > (counts[w], -order.index(w))]
            if near:  # "Surounds" is a slip for "Surrounds": it keeps being a slip of the new name
                derived[w] = (max(near, key=lambda o: counts[o]), "typo")
        for w, (base, _) in list(derived.items()):
            if base in derived:
                del derived[w]
        for w in order:
            if w in derived:
                continue
            kind = kinds[w]
            words[w] = {"place": namer.place, "brand": namer.brand, "first": namer.first,
                        "surname": namer.surname}[kind](w)
        for w, (base, how) in derived.items():
            nb = words[base]
            if how == "abbrev":
                ending = next((e for e in _KEEP_ENDINGS if nb.lower().endswith(e)), "")
                stem = nb[: len(nb) - len(ending)] if ending and len(nb) - len(ending) >= 2 else nb[: len(w) - 1]
                words[w] = stem + "s"
            else:
                words[w] = _typo_of(nb, base, w)

        acronyms: dict[str, str] = {}
        # acronyms in the gold and acronyms defined in parentheses after a renamed name
        pairs = [(a, longs) for a, longs, _ in acronym_aliases]
        n_gold = len(pairs)
        for m in re.finditer(r"((?:[A-Za-z&'’\-]+\s+){1,10})\(\s*([A-Z][A-Za-z&]{1,7})\s*\)", text):
            if _is_acronym(m.group(2)):
                before = m.group(1).split()
                pairs.append((m.group(2), [" ".join(before[i:]) for i in range(len(before))][::-1]))
        for n_pair, (acr, longs) in enumerate(pairs):
            if acr in acronyms:
                continue
            for long in longs:
                ws = _tokens(long)
                idx = _align(acr, ws)
                if idx is None or not any(ws[i].lower() in words for i in idx):
                    continue
                if n_pair >= n_gold and (idx[0] != 0 or idx[-1] < len(ws) - 2
                                         or not any(ws[i].lower() in renamed_words(long) for i in idx)):
                    continue  # in running text: an expansion just before "(ACR)" that gets renamed
                letters = [c for c in acr if c.isalpha() or c == "&"]
                new = list(acr)
                pos = [i for i, c in enumerate(acr) if c.isalpha() or c == "&"]
                for n, k in enumerate(idx):
                    w = ws[k]
                    if w.lower() in words and n < len(letters):
                        c = words[w.lower()][0]
                        new[pos[n]] = c.upper() if letters[n].isupper() else c.lower()
                acronyms[acr] = "".join(new)
                break
        # names that are only an acronym ("CRI") of renamed kinds get fresh letters
        for acr, longs, typ in acronym_aliases:
            if acr not in acronyms and not [n for n in longs if n != acr] and typ in ("voluntary", "independent"):
                acronyms[acr] = "".join(rng.choice("BCDFGHJKLMNPRSTVW") for _ in acr)
        new_acrs = list(acronyms.values())
        clash = len(set(new_acrs)) != len(new_acrs) or any(
            a.lower() in text_words or a in acronyms for a in new_acrs)
        if not clash:
            break
    else:  # pragma: no cover - 50 attempts never all clash in practice
        raise RuntimeError("could not find clash-free acronyms")

    alts = [r"(?-i:" + re.escape(a) + r"s?" + _NA + ")" for a in sorted(acronyms, key=len, reverse=True)]
    alts += [_phrase_pattern(p, bounded=False) for p in all_phrases]
    # one word-start check, then the alternatives (longest first): fast on long reports
    pattern = re.compile(_NB + "(?:" + "|".join(alts) + ")", re.IGNORECASE) if alts else None
    old_names = [p for p in all_phrases if any(t.lower() in words for t in _tokens(p))]
    return Renaming(words=words, acronyms=acronyms, phrases=all_phrases,
                    old_names=old_names + list(acronyms), pattern=pattern)


def _core(phrase: str, kinds: dict[str, str]) -> str:
    """``phrase`` from its first to its last renamed word ("NHS North Staffs CCG" -> "Staffs")."""
    toks = _tokens(phrase)
    idx = [i for i, t in enumerate(toks) if t.lower() in kinds]
    return " ".join(toks[idx[0]: idx[-1] + 1]) if idx else ""


def _subphrases(phrases: Iterable[str], words: dict[str, str]) -> list[str]:
    """Runs of renamed words inside names ("Stepping Hill" in "Stepping Hill Hospital")."""
    out = []
    for p in phrases:
        toks = _tokens(p)
        run: list[str] = []
        for t in [*toks, ""]:
            if t and (t.lower() in words or (run and t.lower() in ("and", "&", "on", "under", "upon", "of"))):
                run.append(t)
                continue
            while run and run[-1].lower() not in words:
                run.pop()
            if len(run) > 1:
                out.append(" ".join(run))
            run = []
    return out


def rename(text: str, gold: dict[str, Any], seed: int) -> tuple[str, dict[str, Any]]:
    """Rename every body, place, hospital site and person, consistently in text and gold."""
    r = build_renaming(text, gold, seed)
    new_gold = _walk_strings(copy.deepcopy(gold), r.apply, _KEY_FIELDS)
    new_text = r.apply(text)
    if not _looks_markdown(text):
        new_text = _reflow(text, new_text)
    return new_text, new_gold


# ---------------------------------------------------------------------------------------- layout

TITLE = "Review of health services for Children Looked After and Safeguarding in {area}"

# Section titles of a CLAS report (the fixed template every CLAS report follows).
_SECTION_TITLES = (
    r"Summary of the review", r"About the review", r"How we carried out the review",
    r"Context of the review", r"The report", r"What people told us", r"The child['’]s journey",
    r"\d\.\s+(?:Early help|Children in need|Child protection|Looked after children)",
    r"Management", r"5\.\d\s+(?:Leadership (?:and|&) management|Governance|Training (?:and|&) supervision)",
    r"Recommendations", r"Next steps",
)
_SECTION_RE = re.compile(r"(?:" + "|".join(_SECTION_TITLES) + r")", re.IGNORECASE)
_NUM_RE = re.compile(r"^(\d+(?:\.\d+){1,2})\s")
_GROUP_RE = re.compile(r"^(\d{1,2})\.\s+\S")
_END_PUNCT = tuple(".:;!?)”\"'’")
_MARKER_RE = re.compile(r"\(\s*Recommendations?\b[^)]*\)", re.IGNORECASE | re.DOTALL)


def _strip_md_inline(s: str) -> str:
    s = re.sub(r"\s*<sup>\s*(.*?)\s*</sup>", r"\1", s)
    s = re.sub(r"</?(?:b|strong|i|em|u|span)[^>]*>", "", s)
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = s.replace("**", "").replace("__", "")
    return s


@dataclass
class _Block:
    kind: str  # "heading" | "para" | "bullet" | "sub" | "front"
    text: str


def _md_blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    prev_blank = True
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip() or re.fullmatch(r"\s*(?:-{3,}|\*{3,}|_{3,})\s*", line):
            prev_blank = True
            continue
        follows, prev_blank = not prev_blank, False
        if follows and blocks and blocks[-1].kind == "para" and re.match(r"\s*(?:\*\*)?\(|\s*[a-z]", line):
            # a Markdown paragraph continues on the next line ("...delivery.  \n**(Recommendation 2.1)**")
            blocks[-1].text += " " + _strip_md_inline(line).strip()
            continue
        m = re.match(r"^(\s*)[-*+]\s+(.*)$", line) or re.match(r"^(\s*)[-*+]$", line)
        if m:
            body = _strip_md_inline(m.group(2) if m.lastindex and m.lastindex >= 2 else "").strip()
            if not body:
                continue
            if _NUM_RE.match(body):  # "- 1.14 That ..." recommendation items: plain in a PDF
                blocks.append(_Block("para", body))
            else:
                blocks.append(_Block("sub" if len(m.group(1)) >= 2 else "bullet", body))
            continue
        h = re.match(r"^#{1,6}\s+(.*)$", line)
        body = _strip_md_inline(h.group(1) if h else line).strip()
        body = re.sub(r"\s*\t\s*", "  ", body)
        if h:
            blocks.append(_Block("heading", body))
        elif _SECTION_RE.fullmatch(body):
            blocks.append(_Block("heading", body))
        else:
            blocks.append(_Block("para", body))
    return blocks


def md_to_pdf_text(text: str, gold: dict[str, Any], seed: int = 0, width: int = 85,
                   page_lines: int = 45, footer: str = "two-line") -> tuple[str, dict[str, Any]]:
    """Lay a Markdown report out as the text a PDF extraction gives (see the module docstring).

    ``footer``: "two-line" puts the running title and "Page N of M" on lines of their own (as
    ``pdftotext -raw`` often does); "one-line" puts them on one line ("... in Area     Page 3 of 9").
    """
    if footer not in ("two-line", "one-line"):
        raise ValueError(f"footer must be 'two-line' or 'one-line', not {footer!r}")
    rng = random.Random(f"pdf:{seed}")
    area = gold.get("area") or ""
    blocks = _md_blocks(text)
    # front matter: everything before the first section heading proper ("Summary of the review")
    first_section = next((i for i, b in enumerate(blocks)
                          if b.kind == "heading" and _SECTION_RE.fullmatch(b.text)), 0)
    pages: list[list[str]] = [[]]
    for b in blocks[:first_section]:
        if b.kind == "heading" and b.text.lower() == "contents":
            pages.append([])  # the cover page ends; the contents page follows
        pages[-1] += [ln + " " for ln in textwrap.wrap(b.text, width=width, break_long_words=False) or [""]]
        if b.kind == "heading":
            pages[-1].append(" ")
    pages.append([])

    body: list[str] = []
    for b in blocks[first_section:]:
        if b.kind == "heading":
            body += [" ", " " + b.text + "  ", " ", " "]
            continue
        prefix = {"bullet": "• ", "sub": "o "}.get(b.kind, "")
        lines = textwrap.wrap(b.text, width=width - len(prefix), break_long_words=False,
                              break_on_hyphens=False) or [""]
        out = [prefix + lines[0]] + lines[1:]
        for i, ln in enumerate(out):
            body.append(ln + " ")
            # PDF extraction drops blank lines inside paragraphs now and then
            if i < len(out) - 1 and not ln.endswith(_END_PUNCT) and rng.random() < 0.12:
                body.append(" ")
        body.append(" ")

    # paginate the body
    for i in range(0, len(body), page_lines):
        chunk = body[i:i + page_lines]
        while chunk and not chunk[0].strip():
            chunk = chunk[1:]
        if chunk:
            pages.append(chunk)
    pages = [p for p in pages if p]
    total = len(pages)
    out_lines: list[str] = []
    for n, page in enumerate(pages, start=1):
        page = list(page)
        if n > 2 and page and not page[0].startswith(" "):
            page[0] = " " + page[0]  # a page break glues a space before the first line
        out_lines += page
        if n > 1:
            if footer == "one-line":
                out_lines += ["", "", TITLE.format(area=area) + f"     Page {n} of {total} ", ""]
            else:
                out_lines += ["", "", TITLE.format(area=area) + " ", f"  Page {n} of {total} ", ""]
        else:
            out_lines += ["", ""]
    return "\n".join(out_lines) + "\n", copy.deepcopy(gold)


_FOOTER_PAGE = re.compile(r"^.*\bPage\s+\d+\s+of\s+\d+\s*$", re.IGNORECASE)
_FOOTER_TITLE = re.compile(r"^\s*Review of health services for Children Looked After and Safeguarding in\b.*$",
                           re.IGNORECASE)


def _pdf_paragraphs(text: str) -> list[_Block]:
    return [b for b, _ in _pdf_paragraph_lines(text)]


def _pdf_paragraph_lines(text: str) -> list[tuple[_Block, list[int]]]:
    """Paragraphs of PDF-extracted text, each with the indices of the lines it was joined from."""
    lines = [ln.replace("\f", "").rstrip() for ln in text.split("\n")]
    footer = set()
    for i, ln in enumerate(lines):
        if _FOOTER_PAGE.match(ln) or (_FOOTER_TITLE.match(ln) and any(_FOOTER_PAGE.match(x) for x in lines[i + 1:i + 3])):
            footer.add(i)
    blocks: list[tuple[_Block, list[int]]] = []
    cur: list[str] = []
    idx: list[int] = []
    kind = "para"

    def flush() -> None:
        nonlocal cur, idx, kind
        if cur:
            blocks.append((_Block(kind, re.sub(r"\s+", " ", " ".join(cur)).strip()), idx))
        cur, idx, kind = [], [], "para"

    blank_before = False
    for i, ln in enumerate(lines):
        if i in footer:
            continue
        s = ln.strip()
        if not s:
            blank_before = True
            continue
        prev = " ".join(cur).rstrip()
        complete = not cur or prev.endswith(_END_PUNCT)
        bullet = re.match(r"^([•o▪])\s+(.*)$", s)
        if _SECTION_RE.fullmatch(s) and complete:
            flush()
            blocks.append((_Block("heading", s), [i]))
        elif bullet and complete:
            flush()
            kind = "sub" if bullet.group(1) == "o" else "bullet"
            cur, idx = [bullet.group(2)], [i]
        else:
            numbered = bool(_NUM_RE.match(s) or _GROUP_RE.match(s))
            starts = numbered or (blank_before and (s[:1].isupper() or s[:1] in "“\""))
            # a numbered line after a blank starts a paragraph even when the last one lacks its full
            # stop, unless the last line ends like a wrapped citation ("(Recommendations" / "1.3 and")
            tail = re.search(r"(?:Recommendations?|\band|,)\s*$", prev, re.IGNORECASE)
            if cur and ((complete and starts) or (numbered and blank_before and not tail)):
                flush()
            cur.append(s)
            idx.append(i)
        blank_before = False
    flush()
    return blocks


def _looks_markdown(text: str) -> bool:
    return bool(re.search(r"^#{1,6} |\*\*\S", text, re.M))


def _reflow(original: str, renamed: str) -> str:
    """Re-wrap the renamed text's paragraphs as the original's were wrapped.

    Renaming changes word lengths; in PDF-extracted text that would leave lines far shorter (or
    longer) than the page width, which a real PDF never has. Each wrapped paragraph of the original
    (every line but the last filled to the margin) is wrapped again to its own width, its lines put
    back into the same places (blank lines and running footers in between stay where they were).
    """
    old_lines = original.split("\n")
    new_lines = renamed.split("\n")
    if len(old_lines) != len(new_lines):  # renaming never adds or removes line breaks
        return renamed
    lengths = sorted(len(ln.strip()) for ln in old_lines if len(ln.strip()) > 20)
    page_width = lengths[int(len(lengths) * 0.9)] if lengths else 85
    out: list[str | None] = list(new_lines)
    for block, idx in _pdf_paragraph_lines(original):
        if block.kind == "heading" or len(idx) < 2:
            continue
        widths = [len(old_lines[i].strip()) for i in idx]
        if min(widths[:-1]) < 0.6 * page_width:
            continue  # not a wrapped paragraph (a table, an address block): leave it alone
        words = " ".join(new_lines[i].strip() for i in idx).split()
        wrapped = textwrap.wrap(" ".join(words), width=max(widths), break_long_words=False,
                                break_on_hyphens=False)
        for n, i in enumerate(idx):
            lead = re.match(r"\s*", new_lines[i]).group(0)  # type: ignore[union-attr]
            trail = new_lines[i][len(new_lines[i].rstrip()):]
            if n < len(wrapped):
                out[i] = lead + wrapped[n] + trail
                if n == len(idx) - 1 and len(wrapped) > len(idx):
                    out[i] = "\n".join([out[i] or ""] + [w + trail for w in wrapped[n + 1:]])
            else:
                out[i] = None  # fewer lines needed: the line goes
    return "\n".join(ln for ln in out if ln is not None)


def pdf_text_to_md(text: str, gold: dict[str, Any], seed: int = 0) -> tuple[str, dict[str, Any]]:
    """Turn PDF-extracted text into Markdown as a converter would (see the module docstring)."""
    rng = random.Random(f"md:{seed}")
    out: list[str] = []
    in_recs = False
    item = "- "
    for b in _pdf_paragraphs(text):
        if b.kind == "heading":
            level = "###" if re.match(r"\d", b.text) else "##"
            in_recs = b.text.lower() == "recommendations"
            out += [f"{level} {b.text}", "", "---", ""]
            continue
        if b.kind in ("bullet", "sub"):
            out += [("  - " if b.kind == "sub" else "- ") + b.text, ""]
            continue
        t = b.text
        if in_recs and _NUM_RE.match(t):
            out += [item + t, ""]
            continue
        if in_recs and _GROUP_RE.match(t):
            g = _GROUP_RE.match(t)
            assert g is not None
            item = "  - " if rng.random() < 0.5 else "- "  # a converter indents a group's items alike
            head = t[len(g.group(1)) + 1:].strip()
            out += [f"{g.group(1)}. **{head}**" if rng.random() < 0.5 else f"**{t}**", ""]
            continue

        def bold(m: re.Match[str]) -> str:
            inner = m.group(0)[1:-1].strip()
            r = rng.random()
            if r < 0.4:
                return f"**{m.group(0)}**"
            if r < 0.8:
                return f"(**{inner}**)"
            return m.group(0)

        out += [_MARKER_RE.sub(bold, t), ""]
    return "\n".join(out) + "\n", copy.deepcopy(gold)
