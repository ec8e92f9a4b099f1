"""Property tests: statements generated from templates, with any services of the taxonomy and any of
a set of bodies, are read back exactly; no text makes the extractor fail."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clasgraph.build.commissioning import extract_arrangements
from clasgraph.build.model import Paragraph, ReportMeta, Section, Structure
from clasgraph.build.services import find_services, load_lexicon


def _rules_module():
    name = "clasgraph_test_commissioning_rules"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parent / "test_commissioning_rules.py")
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


R = _rules_module()
BODIES = R.BODIES
COMMISSIONERS = ["ncc", "rcc", "north-ccg", "south-ccg", "nhse"]
PROVIDERS = ["wct", "ehft", "mht"]

# Labels that name exactly one service on their own (the general "most health services for children"
# is commissioning only, so it is left out of the provider templates' choices).
LABELS = sorted({
    lab for c in load_lexicon().concepts.values() for lab in c.alt_labels
    if c.key != "childrens-health-services" and [m.key for m in find_services(lab)] == [c.key]
    and find_services(lab)[0].surface == lab
})


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _name(key: str, short: bool) -> str:
    name, _, aliases = BODIES[key]
    return aliases[0] if short and aliases else name


TEMPLATES = {
    "passive-both": "{S} are commissioned by {A} and provided by {B}.",
    "passive-commission": "{S} are commissioned by {A}.",
    "active-commission": "{A} commissions {S}.",
    "responsible": "{A} is responsible for commissioning {S}.",
    "passive-provide": "{S} are provided by {B}.",
    "active-provide": "{B} provides {S}.",
    "active-both": "{A} commissions {S} from {B}.",
    "reduced-provide": "{S}, provided by {B}, were praised by families.",
    "which-provides": "We met staff from {B}, which provides {S}.",
    "provider-of": "{B} is the main provider of {S}.",
    "commissioned-to-provide": "{B} has been commissioned to provide {S}.",
    "delivered-by": "{S} are delivered by {B}.",
    "runs": "{B} runs {S}.",
    "lead-commissioner": "{A} is the lead commissioner for {S}.",
    "as-commissioner": "This was raised with {A} as the commissioner of {S}.",
}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    template=st.sampled_from(sorted(TEMPLATES)),
    services=st.lists(st.sampled_from(LABELS), min_size=1, max_size=3, unique_by=lambda lab: find_services(lab)[0].key),
    commissioner=st.sampled_from(COMMISSIONERS),
    provider=st.sampled_from(PROVIDERS),
    short=st.booleans(),
)
def test_generated_statements_are_read_back(template: str, services: list[str], commissioner: str, provider: str,
                                            short: bool) -> None:
    text = TEMPLATES[template].format(S=_join(services), A=_name(commissioner, short), B=_name(provider, short))
    text = _cap(text)
    keys = {find_services(lab)[0].key for lab in services}
    res, _ = R.run(text)
    want_c = {(commissioner, k) for k in keys} if "{A}" in TEMPLATES[template] else set()
    want_p = {(provider, k) for k in keys} if "{B}" in TEMPLATES[template] else set()
    assert R.pairs(res, "commissions") == want_c, text
    assert R.pairs(res, "provides") == want_p, text
    for a in res.arrangements:
        assert a.evidence in text.replace("\n", " "), (a.evidence, text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=40), st.sampled_from([
    "are commissioned by", "provided by", "NCC", "WCT", "the CCGs", "CAMHS", "school nursing", ";", ".", ",", "and by",
    "for North Northshire", "Lead commissioner is", "transferred from", "to", "in October 2015", "(Tier 3)",
    "as the commissioner of", "known collectively as", "with input from", "not included in this CLAS review",
])), max_size=25))
def test_never_fails(parts: list[str]) -> None:
    text = " ".join(parts)
    structure = Structure(meta=ReportMeta(area="Northshire"),
                          sections=[Section("context", "Context", [Paragraph(text, "context")])],
                          recommendation_lines=[])
    res = extract_arrangements(structure, R.TinyIndex(BODIES, sites=R.SITES))
    for a in res.arrangements:
        assert a.relation in ("commissions", "provides") and a.service in load_lexicon().concepts
    for t in res.transfers:
        assert t.service in load_lexicon().concepts and t.to_org


PLACES = ["North Northshire", "South Northshire", "East Riverton", "the West of the county", "Lowfield"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    form=st.sampled_from(["scope-front", "scope-subject", "two-scopes", "two-commissioners", "scope-after-provider"]),
    services=st.lists(st.sampled_from(LABELS), min_size=1, max_size=2, unique_by=lambda lab: find_services(lab)[0].key),
    bodies=st.lists(st.sampled_from(COMMISSIONERS), min_size=2, max_size=2, unique=True),
    provider=st.sampled_from(PROVIDERS),
    places=st.lists(st.sampled_from(PLACES), min_size=2, max_size=2, unique=True),
)
def test_generated_scopes(form: str, services: list[str], bodies: list[str], provider: str, places: list[str]) -> None:
    a, a2 = (_name(k, False) for k in bodies)
    b = _name(provider, False)
    s = _join(services)
    p1, p2 = places
    keys = {find_services(lab)[0].key for lab in services}

    def scope(p: str) -> str:
        return p.removeprefix("the ")

    if form == "scope-front":
        text = f"In {p1}, {s} are provided by {b}."
        want_c: set = set()
        want_p = {(provider, k, scope(p1)) for k in keys}
    elif form == "scope-subject":
        text = f"{_cap(s)} for {p1} are commissioned by {a}."
        want_c, want_p = {(bodies[0], k, scope(p1)) for k in keys}, set()
    elif form == "two-scopes":
        text = f"{_cap(s)} are commissioned by {a} for {p1} and by {a2} for {p2}."
        want_c = {(bodies[0], k, scope(p1)) for k in keys} | {(bodies[1], k, scope(p2)) for k in keys}
        want_p = set()
    elif form == "two-commissioners":
        text = f"{a} and {a2} commission {s}."
        want_c, want_p = {(x, k, None) for x in bodies for k in keys}, set()
    else:
        text = f"{_cap(s)} are provided by {b} in {p1}."
        want_c, want_p = set(), {(provider, k, scope(p1)) for k in keys}
    res, _ = R.run(text)
    assert R.facts(res, "commissions") == want_c, text
    assert R.facts(res, "provides") == want_p, text


MONTHS = {"January": "01", "April": "04", "October": "10", "December": "12"}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    form=st.sampled_from([
        "Responsibility for the commissioning of {S} transferred from {A} to {B} in {D}.",
        "In {D}, {B} took over responsibility for commissioning {S} from {A}.",
        "{A} transferred the commissioning of {S} to {B} in {D}.",
        "Commissioning responsibility for {S} passed from {A} to {B} in {D}.",
    ]),
    services=st.lists(st.sampled_from(LABELS), min_size=1, max_size=2, unique_by=lambda lab: find_services(lab)[0].key),
    bodies=st.lists(st.sampled_from(COMMISSIONERS), min_size=2, max_size=2, unique=True),
    month=st.sampled_from(sorted(MONTHS)),
    year=st.integers(min_value=2012, max_value=2019),
)
def test_generated_transfers(form: str, services: list[str], bodies: list[str], month: str, year: int) -> None:
    text = _cap(form.format(S=_join(services), A=_name(bodies[0], False), B=_name(bodies[1], False),
                            D=f"{month} {year}"))
    keys = {find_services(lab)[0].key for lab in services}
    res, _ = R.run(text)
    date = f"{year}-{MONTHS[month]}"
    assert {(t.service, t.from_org, t.to_org, t.date) for t in res.transfers} == {
        (k, bodies[0], bodies[1], date) for k in keys}, text
    assert R.pairs(res, "commissions") == set(), text
