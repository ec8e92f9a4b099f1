"""The service lexicon: the SKOS concept scheme in ``ontology/services.ttl`` as a text matcher.

``find_services(text)`` returns every service mention in a sentence or paragraph, leftmost and
longest first, non-overlapping, each mapped to its concept key (the concept's ``skos:notation``).

The scheme is parsed once per process with pyoxigraph (a few milliseconds, no rdflib import) and the
label table is cached. Matching compares words, not characters, so it is fast (one dictionary
look-up per word position and label length) and forgiving in the ways reports vary:

- case-insensitive, except label words written as acronyms ("CASH", "GUM", "ED", "MIUs"), which
  must be capitals in the text too, so that "cash" or "ed" in running text never count;
- hyphens separate words ("looked-after" = "looked after", "Genito-Urinary" = "genito urinary");
- "and" and "&" alike; apostrophes ignored ("children's", "children’s", "childrens");
- a plural or possessive "s" on a word is ignored ("unit" = "units" = "unit's").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress, count
from pathlib import Path
from typing import Literal

from ..graph.vocab import SERVICE_SCHEME, SKOS

SERVICES_TTL = Path(__file__).resolve().parent.parent / "ontology" / "services.ttl"

_PREF = SKOS + "prefLabel"
_ALT = SKOS + "altLabel"
_HIDDEN = SKOS + "hiddenLabel"
_NOTATION = SKOS + "notation"
_BROADER = SKOS + "broader"
_IN_SCHEME = SKOS + "inScheme"

TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:['’`][A-Za-z]+)*|&")


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


@dataclass(frozen=True)
class Label:
    key: str
    text: str  # as written in services.ttl
    caps: tuple[bool, ...]  # per word: must be written in capitals (an acronym)


@dataclass
class ServiceLexicon:
    concepts: dict[str, ServiceConcept]
    labels: dict[tuple[str, ...], Label]  # normalised words -> label (names of services)
    longest: int  # words in the longest label
    topics: dict[tuple[str, ...], Label] = field(default_factory=dict)  # labels + skos:hiddenLabel cues
    topics_longest: int = 0

    def key_for(self, surface: str) -> str | None:
        """The concept a whole phrase names ("School nurse services" -> "school-nursing"), or None."""
        toks = TOKEN_RE.findall(surface)
        label = self.labels.get(tuple(norm_token(t) for t in toks))
        if label is None or any(c and not is_acronym_token(t) for c, t in zip(label.caps, toks, strict=True)):
            return None
        return label.key

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


def _normalise(tok: str) -> str:
    t = tok.lower()
    if "’" in t or "'" in t or "`" in t:
        t = t.replace("’", "").replace("'", "").replace("`", "")
    if t == "&":
        return "and"
    if len(t) > 3 and t[-1] == "s" and not t.endswith(("ss", "ics")):
        t = t[:-1]
    return t


# A label trie: word -> (the label these words make, or None; the words that may follow)
_Trie = dict[str, tuple["Label | None", "_Trie"]]
_Entry = tuple["Label | None", _Trie]  # a word's place in the trie: the label it ends, the words after it


class _Begins(dict[str, "_Entry | Literal[False]"]):
    """word -> the entry in a label trie of the labels that begin with it, or False; a word not seen
    before is looked up when first asked for (``__missing__``, so a text's words are read with one
    ``map`` and no second pass for the new ones)."""

    def __init__(self, table: _WordTable, topical: bool) -> None:
        super().__init__()
        self.norm, self.topical = table.norm, topical
        self.trie: _Trie | None = None  # _label_trie(topical), fetched on first use

    def __missing__(self, word: str) -> _Entry | Literal[False]:
        norm = self.norm.get(word)
        if norm is None:
            norm = self.norm[word] = _normalise(word)
        trie = self.trie
        if trie is None:
            trie = self.trie = _label_trie(self.topical)
        entry = self[word] = trie.get(norm, False)
        return entry


class _Acronyms(dict[str, bool]):
    """word -> ``is_acronym_token(word)``, worked out on first use."""

    def __missing__(self, word: str) -> bool:
        yes = self[word] = is_acronym_token(word)
        return yes


class _WordTable:
    """``norm_token`` with a memory of the words seen (a report has a few thousand distinct words;
    each is normalised once) and of the labels (or labels and topical cues) each begins: its entry in
    the label trie, or False."""

    LIMIT = 65536  # words remembered before starting afresh

    def __init__(self) -> None:
        self.norm: dict[str, str] = {}
        # topical -> word -> the trie entry of the labels that begin with it, or False
        self.begins: dict[bool, _Begins] = {False: _Begins(self, False), True: _Begins(self, True)}
        self.acronym = _Acronyms()  # word -> is_acronym_token(word)

    def __call__(self, tok: str) -> str:
        norm = self.norm.get(tok)
        if norm is None:
            norm = self.norm[tok] = _normalise(tok)
        return norm

    def entries(self, words: list[str], topical: bool) -> list[_Entry | Literal[False]]:
        """Per word: the trie entry of the labels (with ``topical``, labels and topical cues) that
        begin with it, or False (most words of a text begin none)."""
        if len(self.norm) > self.LIMIT:
            self.cache_clear()  # before reading the entries (a text's own words may pass the limit)
        return list(map(self.begins[topical].__getitem__, words))

    def cache_clear(self) -> None:
        self.norm.clear()
        self.acronym.clear()
        for begins in self.begins.values():
            begins.clear()


norm_token = _WordTable()


_PLURAL_END_RE = re.compile(r"['’`]?s$")


def is_acronym_token(tok: str) -> bool:
    core = _PLURAL_END_RE.sub("", tok) if len(tok) > 2 else tok
    return len(core) >= 2 and core.isupper() and core.replace("&", "").isalpha()


@functools.lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> ServiceLexicon:
    """Parse ``services.ttl`` (or ``path``) once and build the label table."""
    import pyoxigraph  # 10 ms import; the ontology file is tiny

    ttl = Path(path) if path else SERVICES_TTL
    notation: dict[str, str] = {}
    pref: dict[str, str] = {}
    alts: dict[str, list[str]] = {}
    hidden: dict[str, list[str]] = {}
    broader: dict[str, list[str]] = {}
    in_scheme: set[str] = set()
    for t in pyoxigraph.parse(path=str(ttl), format=pyoxigraph.RdfFormat.TURTLE):
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
        elif p == _HIDDEN:
            hidden.setdefault(sv, []).append(o.value)
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
    table: dict[tuple[str, ...], Label] = {}
    for key, c in concepts.items():
        for text in [*c.alt_labels, c.pref_label]:
            if "(" in text or "/" in text:
                continue  # a descriptive preferred label: "Most health services for children (general ...)"
            toks = TOKEN_RE.findall(text)
            words = tuple(norm_token(t) for t in toks)
            if not words:
                continue
            old = table.get(words)
            if old is not None and old.key != key:
                raise ValueError(f"services.ttl: label {text!r} is used by both {old.key} and {key}")
            caps = tuple(is_acronym_token(t) for t in toks)
            # the same words written as an acronym and in words ("A&E", "A and E"): the looser wins
            if old is None or sum(caps) < sum(old.caps):
                table[words] = Label(key, text, caps)
    if not table:
        raise ValueError(f"{ttl}: no service concepts in scheme {SERVICE_SCHEME}")
    # topical cues (skos:hiddenLabel): the people and words that put a text on a service's ground
    # ("midwives", "GPs", "pregnant women") without naming the service; never used for statements
    topics = dict(table)
    iri_key = {c.iri: k for k, c in concepts.items()}
    for iri, texts in hidden.items():
        key = iri_key.get(iri)
        if key is None:
            continue
        for text in texts:
            toks = TOKEN_RE.findall(text)
            words = tuple(norm_token(t) for t in toks)
            if words and words not in topics:
                topics[words] = Label(key, text, tuple(is_acronym_token(t) for t in toks))
    return ServiceLexicon(concepts=concepts, labels=table, longest=max(len(w) for w in table), topics=topics,
                          topics_longest=max(len(w) for w in topics))


def start_document() -> None:
    """Forget the last report's sentences: ``find_services`` remembers a sentence's answer while one
    report is extracted (several stages read each sentence), not across reports."""
    _find_services.cache_clear()


def find_services(text: str, topical: bool = False) -> list[ServiceMention]:
    """All service mentions in ``text``, in order; where two would overlap the longer wins.

    With ``topical`` the service's topical cues (skos:hiddenLabel: "midwives" for maternity, "GPs"
    for primary care) count too: for saying what a finding is about, not who provides what."""
    return list(_find_services(text, topical))


def service_mentions(text: str, topical: bool = False) -> tuple[ServiceMention, ...]:
    """``find_services`` as a tuple: the remembered answer itself, not a copy (for a caller that reads
    a sentence's mentions several times)."""
    return _find_services(text, topical)


@functools.lru_cache(maxsize=2)
def _label_trie(topical: bool) -> _Trie:
    """The labels (or labels and topical cues) as a trie over their normalised words."""
    lex = load_lexicon()
    root: _Trie = {}
    for words, label in (lex.topics if topical else lex.labels).items():
        node = root
        for k, w in enumerate(words):
            here, below = node.get(w, (None, {}))
            node[w] = (label if k == len(words) - 1 else here, below)
            node = below
    return root


# The words of a text as TOKEN_RE finds them (the same list; tested), in one pass that steps over the
# characters between words instead of trying to start a word at each of them; the empty word that
# ``\Z`` gives at the end is dropped. Possessive repeats: a word is read whole, as TOKEN_RE reads it.
_WORD = r"[A-Za-z0-9]++(?:['’`][A-Za-z]++)*+|&"
_BETWEEN = r"[^A-Za-z0-9&]*+"  # what cannot begin a word
_WORDS_RE = re.compile(rf"{_BETWEEN}({_WORD}|\Z)")
_STEP_MAX = 32  # words stepped over by one match at most


class _StepPatterns(dict[int, re.Pattern[str]]):
    """n -> a pattern for ``n`` words from a position where a word ends (or 0): the end of its match is
    the end of the n-th word (compiled on first use)."""

    def __missing__(self, n: int) -> re.Pattern[str]:
        rx = self[n] = re.compile(rf"(?>{_BETWEEN}(?:{_WORD})){{{n}}}")
        return rx


_STEPS = _StepPatterns()


# ASCII letters and digits kept, every other ASCII character made a space: in ASCII text with no
# apostrophe and no "&" a word is a run of letters and digits, so ``translate`` and ``split`` (no
# regular expression) give the words (most sentences)
_SPACE_OUT = str.maketrans({chr(c): chr(c) if chr(c).isascii() and chr(c).isalnum() else " " for c in range(128)})


def _words(text: str) -> list[str]:
    """``TOKEN_RE.findall(text)``."""
    if text.isascii() and "'" not in text and "&" not in text and "`" not in text:
        return text.translate(_SPACE_OUT).split()
    words = _WORDS_RE.findall(text)
    while words and not words[-1]:
        words.pop()
    return words


def _step_over(text: str, pos: int, n: int) -> int:
    """Where the ``n``-th word after ``pos`` (0 or where a word ends) ends; ``n`` >= 1 and there are
    that many words: several words are stepped over by one match (no match per word)."""
    while n > _STEP_MAX:
        m = _STEPS[_STEP_MAX].match(text, pos)
        assert m is not None
        pos, n = m.end(), n - _STEP_MAX
    m = _STEPS[n].match(text, pos)
    assert m is not None
    return m.end()


@functools.lru_cache(maxsize=16384)
def _find_services(text: str, topical: bool) -> tuple[ServiceMention, ...]:
    words = _words(text)
    entries = norm_token.entries(words, topical)
    # most sentences name no service: none of their words begins a label
    return _walk(text, words, entries) if any(entries) else ()


def mentions_each(texts: Iterable[str], topical: bool = False) -> list[tuple[ServiceMention, ...]]:
    """``service_mentions`` of each of ``texts`` (a paragraph's sentences) in one call, not remembered:
    the same mentions, without a call and a memo look-up per text."""
    table = norm_token
    if len(table.norm) > table.LIMIT:
        table.cache_clear()  # before reading entries (as in entries(); a paragraph's words may pass the limit)
    entry = table.begins[topical].__getitem__
    out: list[tuple[ServiceMention, ...]] = []
    for text in texts:
        words = _words(text)
        entries = list(map(entry, words))
        out.append(_walk(text, words, entries) if any(entries) else ())
    return out


def _walk(text: str, words: list[str], entries: list[_Entry | Literal[False]]) -> tuple[ServiceMention, ...]:
    """The mentions in ``text``, whose words are ``words`` and their trie entries ``entries``."""
    table = norm_token
    norm, acronym = table.norm, table.acronym
    n_words = len(words)
    out: list[ServiceMention] = []
    free = 0  # the first word not inside a mention already found
    # where words end, read only for the words of mentions: ``done`` words read, the last ending at ``pos``
    done = pos = 0
    # the word positions where some label begins (most words of a sentence begin none)
    for i in compress(count(), entries):
        if i < free:
            continue
        # every label that starts here (walking the trie), then the longest whose acronyms are capitals
        label, node = entries[i]  # type: ignore[misc]  # compress() passes only the entries that are there
        if label is None and (i + 1 == n_words or norm[words[i + 1]] not in node):
            continue  # the commonest case: a word that begins only longer labels, none of which follow
        found: list[tuple[int, Label]] = [(1, label)] if label is not None else []
        j = i + 1
        while j < n_words:
            step = node.get(norm[words[j]])
            if step is None:
                break
            label, node = step
            j += 1
            if label is not None:
                found.append((j - i, label))
        for n, label in reversed(found):
            if True in label.caps and any(c and not acronym[words[i + k]] for k, c in enumerate(label.caps)):
                continue
            pos = _step_over(text, pos, i + 1 - done)  # i >= free == done
            start = pos - len(words[i])
            if n > 1:
                pos = _step_over(text, pos, n - 1)
            done = free = i + n
            out.append(ServiceMention(start, pos, label.key, text[start:pos]))
            break
    return tuple(out)


def service_label(key: str) -> str:
    lex = load_lexicon()
    return lex.concepts[key].pref_label if key in lex.concepts else key


def service_keys() -> list[str]:
    return list(load_lexicon().concepts)


__all__ = [
    "Label",
    "ServiceConcept",
    "ServiceLexicon",
    "ServiceMention",
    "find_services",
    "load_lexicon",
    "mentions_each",
    "service_keys",
    "service_mentions",
    "service_label",
]
