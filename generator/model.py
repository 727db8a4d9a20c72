"""The data every stage shares: small frozen dataclasses, no behaviour beyond derived values.

Offsets are character offsets into ``Article.text``: for plain text and Markdown that is the file
exactly as read (decoded, newlines kept, front matter included), for HTML the main text that
trafilatura extracted. One coordinate system, so a citation span can always be checked again.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

KINDS = ("direct", "partial", "mixed", "indirect")
STATUSES = ("extracted", "reviewed", "rejected")
PRECISIONS = ("day", "week", "month", "year")


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` of an article's text."""

    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an article; ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    """An ingested article: its text, where its paragraphs are, and what is known about it."""

    id: str
    path: str
    text: str
    paragraphs: tuple[Paragraph, ...]
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    author: str | None = None
    retrieved: dt.date | None = None
    # Metadata fields that were guessed from the text rather than given by the editor.
    guessed: frozenset[str] = frozenset()
    digest: str = ""

    @property
    def body(self) -> str:
        """The main text, paragraphs separated by blank lines."""
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True)
class Speaker:
    """Who made a statement: a person, an organisation, or a role within one."""

    name: str | None = None
    role: str | None = None
    organization: str | None = None

    @property
    def label(self) -> str | None:
        """The name readers see: "Mike Pompeo", "TikTok spokesperson", "Amazon"."""
        if self.name:
            return self.name
        if self.organization and self.role:
            return f"{self.organization} {self.role}"
        return self.organization or self.role


@dataclass(frozen=True)
class SaidOn:
    """When a statement was made, and how sure the text is about it."""

    date: dt.date
    precision: str = "day"
    inferred: bool = False  # True when the text does not date the statement itself


@dataclass(frozen=True)
class Attribution:
    """What the extractor finds in one article: what was said, by whom, when, and where in the text.

    The names of the stages (the README's glossary): extraction finds an ``Attribution`` (the
    field's term: content, source and cue); the store keeps it as a :class:`Record`, which editors
    own; merging joins the records of the same words into one :class:`Statement`, which the site
    shows with every :class:`Source` that reports it.
    """

    quote: str
    spans: tuple[Span, ...]
    kind: str
    speaker: Speaker | None = None
    speaker_span: Span | None = None
    cue: str | None = None
    cue_span: Span | None = None
    said_on: SaidOn | None = None
    venue: str | None = None
    speaker_inferred: bool = False  # no attribution in the text: the speaker is a guess from the context

    @property
    def start(self) -> int:
        return self.spans[0].start

    @property
    def end(self) -> int:
        return self.spans[-1].end


@dataclass(frozen=True)
class Citation:
    """Where a record comes from: an article and a span of its text."""

    article: str
    start: int
    end: int
    excerpt: str = ""


@dataclass(frozen=True)
class Record:
    """A record as stored in ``content/facts/``: an attribution plus the editor's decisions."""

    id: str
    quote: str
    kind: str
    citation: Citation
    status: str = "extracted"
    speaker: str | None = None
    speaker_role: str | None = None
    speaker_org: str | None = None
    cue: str | None = None
    said_on: dt.date | None = None
    said_on_precision: str = "day"
    said_on_inferred: bool = False
    venue: str | None = None
    note: str | None = None
    speaker_inferred: bool = False  # the extractor guessed the speaker: no attribution in the text
    verdict: str | None = None
    rating: str | None = None
    reviewed_by: str | None = None  # who checked the statement (the verdict card says so)
    reviewed_on: dt.date | None = None
    links: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()
    not_same_as: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    line: int | None = field(default=None, compare=False)  # where the record starts in its file


@dataclass(frozen=True)
class Person:
    """An entry of the people registry: one speaker with every name it goes by."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    organization: str | None = None
    kind: str = "person"  # person | organization
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """One citation of a statement on the site: the record and the article it comes from."""

    record: Record
    article: Article | None

    @property
    def excerpt(self) -> str:
        """What a citation shows of its article: the excerpt, else the record's words."""
        return self.record.citation.excerpt or self.record.quote


# Past-tense cues that read well before a paraphrase with no object ("Amazon asked all employees ...");
# "told" needs one ("told reporters"), so it is not here.
_REPORTING_VERBS = frozenset({"said", "asked", "confirmed", "added", "stated", "warned", "claimed", "insisted",
                              "explained", "noted", "argued", "announced", "suggested", "denied", "admitted",
                              "wrote", "replied", "agreed", "acknowledged", "maintained"})


@dataclass(frozen=True)
class Statement:
    """A statement as the site shows it: one or more records of the same words, merged.

    ``id`` is the id of the earliest record, so anchors stay put when sources are added;
    ``filled`` says which source gave a detail that others lacked (field -> article id).
    """

    id: str
    quote: str
    kind: str
    speaker: str | None
    speaker_slug: str | None
    sources: tuple[Source, ...]
    said_on: dt.date | None = None
    said_on_precision: str = "day"
    said_on_inferred: bool = False
    venue: str | None = None
    speaker_role: str | None = None
    speaker_org: str | None = None
    variants: tuple[tuple[str, str], ...] = ()  # (article id, wording) where wordings differ
    filled: tuple[tuple[str, str], ...] = ()
    note: str | None = None
    verdict: str | None = None
    rating: str | None = None
    reviewed_by: str | None = None
    reviewed_on: dt.date | None = None
    links: tuple[str, ...] = ()
    speaker_inferred: bool = False  # the speaker shown is the extractor's guess, not yet reviewed

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.record.id for s in self.sources)

    @property
    def articles(self) -> tuple[str, ...]:
        """The distinct articles reporting the statement, in source order (two sentences of one
        article are one source to a reader)."""
        return tuple(dict.fromkeys(s.record.citation.article for s in self.sources))

    @property
    def outlets(self) -> int:
        """How many distinct outlets report the statement (an unknown outlet counts per article)."""
        return len({(s.article.outlet if s.article and s.article.outlet else s.record.citation.article).casefold()
                    for s in self.sources})

    @property
    def quoted(self) -> bool:
        """Whether the statement's words are the speaker's own, to be shown in quotation marks:
        reported speech is a paraphrase, and a mixed one carries its own marks on the quoted part."""
        return self.kind in ("direct", "partial")

    @property
    def reported_verb(self) -> str:
        """The verb reported speech is introduced with: the source's own ("asked") where it is a
        past-tense one, else "said"."""
        cue = self.sources[0].record.cue if self.sources else None
        return cue if cue in _REPORTING_VERBS else "said"
