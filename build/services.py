"""The service lexicon: the SKOS concept scheme in ``ontology/services.ttl`` as a text matcher.

``find_services(text)`` returns every service mention in a sentence or paragraph, longest match
first and non-overlapping, each mapped to its concept key (the concept's ``skos:notation``).

The scheme is parsed once per process with pyoxigraph (a few milliseconds, no rdflib import) and the
compiled matcher is cached. Matching rules, applied to every ``skos:prefLabel`` and ``skos:altLabel``:

- case-insensitive, except labels written as acronyms ("CASH", "GUM", "ED", "MIUs"), which must
  match in capitals so that "cash" or "ed" in running text never count;
- a hyphen, a space or nothing between the parts of a hyphenated word ("looked-after",
  "looked after"; "new-born", "new born"), any run of white space between words;
- "and" and "&" alike; "'", "’" and no apostrophe alike ("children's", "childrens");
- an optional plural or possessive ending on the last word ("unit" also matches "units").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..graph.vocab import SERVICE_SCHEME, SKOS, service_concept_iri

SERVICES_TTL = Path(__file__).resolve().parent.parent / "ontology" / "services.ttl"

_PREF = SKOS + "prefLabel"
_ALT = SKOS + "altLabel"
_NOTATION = SKOS + "notation"
_BROADER = SKOS + "broader"
_IN_SCHEME = SKOS + "inScheme"


@dataclass(frozen=True)
class ServiceMention:
    start: int
    end: int
    key: str  # concept key (skos:notation)
    surface: str  # the text as written


@dataclass
class ServiceConcept:
    key: str
    iri: str
    pref_label: str
    alt_labels: list[str] = field(default_factory=list)
    broader: list[str] = field(default_factory=list)  # keys


@dataclass
class ServiceLexicon:
    concepts: dict[str, ServiceConcept]
    pattern: re.Pattern[str]  # case-insensitive labels
    acronyms: re.Pattern[str] | None  # case-sensitive labels
    by_norm: dict[str, str]  # normalised label -> key

    def key_for(self, surface: str) -> str | None:
        return self.by_norm.get(_norm_label(surface))

    def ancestors(self, key: str) -> list[str]:
        """Every broader concept of ``key``, nearest first."""
        out: list[str] = []
        todo = list(self.concepts[key].broader) if key in self.concepts else []
        while todo:
            k = todo.pop(0)
            if k not in out:
                out.append(k)
                todo.extend(self.concepts[k].broader if k in self.concepts else [])
        return out


def _norm_label(text: str) -> str:
    text = text.lower().replace("’", "'").replace("`", "'").replace("&", " and ")
    text = re.sub(r"[\s\-‐–]+", " ", text).replace("'", "")
    return re.sub(r"\s+", " ", text).strip()


def is_acronym_label(label: str) -> bool:
    """"CASH", "GUM", "MIUs", "MIU's", "A&E", "Tier 4 CAMHS" stay case-sensitive; "Tier 4 beds" does not."""
    words = label.split()
    return any(re.fullmatch(r"[A-Z&]{2,}(?:s|'s|’s)?", w) for w in words) and not any(
        re.fullmatch(r"[a-z]{3,}", w) for w in words
    )


def _label_regex(label: str) -> str:
    words: list[str] = []
    for word in re.split(r"\s+", label.strip()):
        if word.lower() in ("and", "&"):
            words.append(r"(?:and|&)")
            continue
        pieces = []
        for piece in (p for p in re.split(r"[-‐–]", word) if p):
            esc = "".join(r"(?:\s*&\s*|\s+and\s+)" if ch == "&" else re.escape(ch) for ch in piece)
            pieces.append(esc.replace("'", "['’`]?").replace(r"\'", "['’`]?"))
        words.append(r"(?:\s*[-‐–]\s*|\s)?".join(pieces))
    body = r"\s+".join(words)
    ending = r"(?:s|['’]s|s['’])?" if re.search(r"[a-z]$", label) else r"(?:s|['’]s)?"
    return r"(?<![\w&-])" + body + ending + r"(?![\w&])"


def _compile(labels: list[str], flags: int) -> re.Pattern[str] | None:
    if not labels:
        return None
    ordered = sorted(set(labels), key=lambda s: (-len(s), s))
    return re.compile("|".join(f"(?:{_label_regex(lab)})" for lab in ordered), flags)


@functools.lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> ServiceLexicon:
    """Parse ``services.ttl`` (or ``path``) once and build the matcher."""
    import pyoxigraph  # 10 ms import; the ontology file is tiny

    ttl = Path(path) if path else SERVICES_TTL
    triples = pyoxigraph.parse(path=str(ttl), format=pyoxigraph.RdfFormat.TURTLE)
    notation: dict[str, str] = {}
    pref: dict[str, str] = {}
    alts: dict[str, list[str]] = {}
    broader: dict[str, list[str]] = {}
    in_scheme: set[str] = set()
    for t in triples:
        s, p, o = t.subject, t.predicate.value, t.object
        if not isinstance(s, pyoxigraph.NamedNode):
            continue
        sv = s.value
        if p == _NOTATION:
            notation[sv] = o.value
        elif p == _PREF:
            pref[sv] = o.value
        elif p == _ALT:
            alts.setdefault(sv, []).append(o.value)
        elif p == _BROADER and isinstance(o, pyoxigraph.NamedNode):
            broader.setdefault(sv, []).append(o.value)
        elif p == _IN_SCHEME and isinstance(o, pyoxigraph.NamedNode) and o.value == SERVICE_SCHEME:
            in_scheme.add(sv)
    concepts: dict[str, ServiceConcept] = {}
    for iri in sorted(in_scheme):
        key = notation.get(iri)
        if not key:
            continue
        concepts[key] = ServiceConcept(
            key=key,
            iri=iri,
            pref_label=pref.get(iri, key),
            alt_labels=sorted(alts.get(iri, [])),
            broader=sorted(notation[b] for b in broader.get(iri, []) if b in notation),
        )
    by_norm: dict[str, str] = {}
    label_key: dict[str, str] = {}
    for key, c in concepts.items():
        for label in [*c.alt_labels, c.pref_label]:
            n = _norm_label(label)
            if n in by_norm and by_norm[n] != key:
                raise ValueError(f"services.ttl: label {label!r} is used by both {by_norm[n]} and {key}")
            by_norm[n] = key
            label_key[label] = key
    # Preferred labels that describe rather than name ("Most health services for children (general
    # commissioning)") would never match; labels with brackets are left to their alt labels.
    labels = [lab for lab in label_key if "(" not in lab and "/" not in lab]
    sensitive = [lab for lab in labels if is_acronym_label(lab)]
    insensitive = [lab for lab in labels if not is_acronym_label(lab)]
    pattern = _compile(insensitive, re.IGNORECASE)
    assert pattern is not None
    return ServiceLexicon(
        concepts=concepts,
        pattern=pattern,
        acronyms=_compile(sensitive, 0),
        by_norm=by_norm,
    )


def find_services(text: str) -> list[ServiceMention]:
    """All service mentions in ``text``, in order, longest first where two overlap."""
    lex = load_lexicon()
    found: list[ServiceMention] = []
    for pat in (lex.pattern, lex.acronyms):
        if pat is None:
            continue
        for m in pat.finditer(text):
            key = lex.key_for(_strip_ending(m.group(0)))
            if key is None:
                continue
            found.append(ServiceMention(m.start(), m.end(), key, m.group(0)))
    found.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[ServiceMention] = []
    for s in found:
        if out and s.start < out[-1].end:
            if s.end - s.start > out[-1].end - out[-1].start:
                out[-1] = s
            continue
        out.append(s)
    return out


def _strip_ending(surface: str) -> str:
    lex = load_lexicon()
    if _norm_label(surface) in lex.by_norm:
        return surface
    for suffix in ("'s", "’s", "s'", "s’", "s"):
        if surface.endswith(suffix) and _norm_label(surface[: -len(suffix)]) in lex.by_norm:
            return surface[: -len(suffix)]
    return surface


def service_label(key: str) -> str:
    lex = load_lexicon()
    return lex.concepts[key].pref_label if key in lex.concepts else key


def service_keys() -> list[str]:
    return list(load_lexicon().concepts)


__all__ = [
    "ServiceConcept",
    "ServiceLexicon",
    "ServiceMention",
    "find_services",
    "load_lexicon",
    "service_concept_iri",
    "service_keys",
    "service_label",
]
