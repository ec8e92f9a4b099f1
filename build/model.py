"""Plain, typed data passed between the extraction stages.

Every extracted fact carries ``source``: the number of the finding it came from ("5.1.7"), or the
key of the section ("context") when it comes from unnumbered text, so the graph can say where each
fact came from (``prov:wasDerivedFrom``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Section keys, in report order. Journey sections are "journey-1" .. "journey-4", management
# sub-sections "management-5.1" .. "management-5.3".
SECTION_KEYS = (
    "front-matter",
    "summary",
    "about",
    "method",
    "context",
    "report",
    "people",
    "journey",
    "management",
    "recommendations",
    "next-steps",
)


@dataclass
class Document:
    """A report read from disk and normalised to plain text (one paragraph per line)."""

    source: str  # path or name as given
    text: str  # normalised text: paragraphs separated by "\n", headings on their own line
    format: str  # "text", "markdown", "pdf", "html", "docx"
    sha256: str  # of the raw bytes
    warnings: list[str] = field(default_factory=list)


@dataclass
class Paragraph:
    """One paragraph of a section. ``number`` is set for numbered findings ("1.6", "5.1.7")."""

    text: str
    section: str  # section key, e.g. "context", "journey-1", "management-5.2"
    number: str | None = None
    index: int = 0  # position in the document (0-based, over all paragraphs)

    @property
    def source(self) -> str:
        return self.number or self.section


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class ReportMeta:
    area: str | None = None
    title: str | None = None
    review_start: dt.date | None = None
    review_end: dt.date | None = None
    published: dt.date | None = None
    inspectors: list[str] = field(default_factory=list)
    providers_included: list[str] = field(default_factory=list)  # names as printed
    ccgs_included: list[str] = field(default_factory=list)  # names as printed
    children_considered: int | None = None


@dataclass
class Structure:
    """The segmented report: metadata, sections and the numbered findings."""

    meta: ReportMeta
    sections: list[Section]
    recommendation_lines: list[str]  # the recommendations section, one paragraph a line

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [p for s in self.sections for p in s.paragraphs]

    @property
    def findings(self) -> list[Paragraph]:
        return [p for s in self.sections for p in s.paragraphs if p.number]

    def section(self, key: str) -> Section | None:
        for s in self.sections:
            if s.key == key:
                return s
        return None


@dataclass
class RecommendationGroup:
    number: str  # "1"
    heading: str  # "Stockport CCG and Stockport NHS Foundation Trust should ensure:"
    bodies: list[str]  # names as printed in the heading, split


@dataclass
class Recommendation:
    number: str  # "1.1" as printed
    text: str  # white space folded
    group: str  # "1"
    responsible: list[str] = field(default_factory=list)  # organisation keys (after resolution)


@dataclass
class Citation:
    finding: str  # number of the citing finding
    numbers: list[str]  # recommendation numbers in the marker, in order
    marker: str  # the marker as it appears
    unresolved: list[str] = field(default_factory=list)  # numbers with no recommendation


# Organisation types: the contract's class names.
ORG_TYPES = (
    "ClinicalCommissioningGroup",
    "NHSTrust",
    "NHSFoundationTrust",
    "LocalAuthority",
    "NationalBody",
    "VoluntaryOrganisation",
    "IndependentProvider",
    "Partnership",
    "GPPractice",
    "Organisation",
)


@dataclass
class Organisation:
    key: str  # stable slug of the canonical name: the IRI's last segment
    name: str  # canonical name
    type: str  # one of ORG_TYPES
    aliases: set[str] = field(default_factory=set)  # every other spelling/acronym as written
    sources: list[str] = field(default_factory=list)  # where it is mentioned (finding numbers / section keys)
    sites: set[str] = field(default_factory=set)  # hospital sites that belong to it
    parent: str | None = None  # key of the body it belongs to (a council's public health team)


@dataclass
class Arrangement:
    """One stated commissioning or provision arrangement (a qualified relation)."""

    relation: str  # "commissions" | "provides"
    organisation: str  # organisation key
    service: str  # service concept key (gold/services.json)
    source: str  # finding number or section key
    evidence: str  # the quote
    scope: str | None = None  # geography the statement limits itself to
    role: str | None = None  # "lead", "on-behalf-of", "employs", "input", "collaboration", "delegated"
    on_behalf_of: list[str] = field(default_factory=list)  # organisation keys
    start: str | None = None  # "2015-09" where stated
    in_review: bool = True  # False for services "not included in this CLAS review"


@dataclass
class Transfer:
    service: str
    from_org: str | None
    to_org: str
    source: str
    evidence: str
    date: str | None = None  # "2015-10"
    scope: str | None = None


@dataclass
class Gap:
    kind: str  # commissioning-capacity | service-coverage | pathway | governance | workforce
    source: str  # finding number or section key
    quote: str
    services: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)  # numbers cited by the source finding
    themes: list[str] = field(default_factory=list)
    cue: str = ""  # the language that made it a gap (for explanation)


@dataclass
class Extraction:
    """Everything extracted from one report."""

    document: Document
    structure: Structure
    groups: list[RecommendationGroup]
    recommendations: list[Recommendation]
    citations: list[Citation]
    organisations: list[Organisation]
    arrangements: list[Arrangement] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    themes: dict[str, list[str]] = field(default_factory=dict)  # finding number/section or "rec:1.1" -> theme keys
    recurring: list[list[str]] = field(default_factory=list)  # groups of recommendation numbers, same wording
    warnings: list[str] = field(default_factory=list)

    @property
    def meta(self) -> ReportMeta:
        return self.structure.meta
