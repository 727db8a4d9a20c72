"""What the templates see: the statements and the indexes over them (by speaker, by source, by rating)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from markupsafe import Markup

from generator.cache import replaced_in_place
from generator.model import Article, Event, Person, Record, Statement
from generator.options import Rating, SiteOptions
from generator.render.markup import escape, month_key


@dataclass
class Site:
    """What the templates see: the statements and the indexes over them."""

    statements: list[Statement]
    articles: dict[str, Article]
    people: list[Person]
    overview: str = ""
    title: str = "Fact sheet"
    by_speaker: dict[str, list[Statement]] = field(default_factory=dict)
    by_article: dict[str, list[tuple[Statement, Record]]] = field(default_factory=dict)
    by_month: dict[str, list[Statement]] = field(default_factory=dict)  # the timeline's months ("2020-07", "undated")
    speaker_info: dict[str, dict[str, object]] = field(default_factory=dict)
    # Problems with an article's records, shown on its page in place of what could not be read.
    problems: dict[str, tuple[str, ...]] = field(default_factory=dict)
    options: SiteOptions = field(default_factory=SiteOptions)
    events: list[Event] = field(default_factory=list)  # the editors' story events

    def rating_badge(self, label: str | None) -> Markup:
        """A rating as a badge, coloured by :func:`rating_css` (grey when the rating is off the scale)."""
        if not label:
            return Markup("")
        step = self.options.rating(label)
        number = self.options.scale.index(step) + 1 if step else 0
        name = escape(step.label if step else label)
        return Markup(f'<span class="fs-rating fs-rating-{number}" data-rating="{name}">{name}</span>')

    def ratings(self) -> list[tuple[Rating | None, str, list[Statement]]]:
        """The rated statements by rating, in the scale's order; ratings off the scale last, as written."""
        by: dict[str, list[Statement]] = defaultdict(list)
        for statement in self.statements:
            if statement.rating:
                step = self.options.rating(statement.rating)
                by[step.label if step else statement.rating.strip()].append(statement)
        out: list[tuple[Rating | None, str, list[Statement]]] = [(r, r.label, by.pop(r.label, [])) for r in self.options.scale]
        out += [(None, label, statements) for label, statements in sorted(by.items())]
        return out


def rating_css(options: SiteOptions) -> str:
    """The stylesheet of the rating badges and verdict cards: the scale's colours (checked hex
    colours) by class, so that no page carries a style attribute."""
    rules = [".fs-rating{display:inline-block;padding:0 .45em;border-radius:.25em;color:#fff;font-weight:700;"
             "background:#5f6368;font-size:.85em;line-height:1.6}",
             # attr_list marks the card's last paragraph (a blockquote cannot take attributes)
             "blockquote:has(> .fs-verdict){border-left:.3em solid #1a73e8;background:rgba(26,115,232,.06)}",
             # who vouches for a statement: small, and the machine's in a muted amber
             ".fs-review{font-size:.75em;padding:0 .4em;border-radius:.25em;border:1px solid currentColor}",
             ".fs-reviewed{color:#1b7f3b}.fs-partly{color:#8a6d00}.fs-unreviewed{color:#8a5300}",
             # the preview's problem banner (serve only)
             ".fs-problems{border:2px solid #b3261e;background:#fdecea;color:#5f1410;padding:.5em 1em;margin:0 0 1em}"]
    rules += [f".fs-rating-{i}{{background:{step.colour}}}" for i, step in enumerate(options.scale, 1)]
    return "\n".join(rules) + "\n"


RATING_CSS = "assets/factsheet.css"  # the badges' colours; the plugin adds it to extra_css


def index_site(statements: list[Statement], articles: dict[str, Article], people: list[Person],
               overview: str = "", title: str = "Fact sheet") -> Site:
    """Group the statements by speaker and by source article."""
    site = Site(statements, articles, people, overview, title)
    registry = {p.name: p for p in people}
    by_speaker, speaker_info, by_article, by_month = site.by_speaker, site.speaker_info, site.by_article, site.by_month
    for statement in statements:
        month = month_key(statement.said_on)
        same_month = by_month.get(month)
        if same_month is None:
            by_month[month] = [statement]
        else:
            same_month.append(statement)
        slug = statement.speaker_slug
        if slug:
            same = by_speaker.get(slug)
            if same is None:
                by_speaker[slug] = [statement]
                info = speaker_info[slug] = {"name": statement.speaker, "role": None, "organization": None, "links": (),
                                                "description": None}
            else:
                same.append(statement)
                info = speaker_info[slug]
            person = registry.get(statement.speaker) if registry else None
            if person:  # the registry is the editors' word on who a speaker is
                info.update(role=person.role, organization=person.organization, links=person.links,
                            description=person.description)
            elif statement.speaker_role and statement.speaker not in (statement.speaker_org, None):
                info["role"] = info["role"] or statement.speaker_role
                info["organization"] = info["organization"] or statement.speaker_org
        for source in statement.sources:
            record = source.record
            items = by_article.get(record.citation.article)
            if items is None:
                by_article[record.citation.article] = [(statement, record)]
            else:
                items.append((statement, record))
    for items in by_article.values():
        if len(items) > 1:
            items.sort(key=_citation_start)
    return site


def reindexed(previous: Site, statements: list[Statement], articles: dict[str, Article], people: list[Person],
              overview: str = "", title: str = "Fact sheet") -> Site | None:
    """:func:`index_site` of ``statements`` made from ``previous``, the index of the last render,
    when the statements are those of ``previous`` with a few replaced in place by statements
    that index the same way (same speaker and details, same citations): an edit of a note, a
    rating or a review. None otherwise (the caller indexes again). A pass over the 70,000
    statements of 10,000 articles took 0.2 s of each edit under serve; this compares them."""
    old = previous.statements
    replaced = replaced_in_place(old, statements) if people == previous.people else None
    if replaced is None or not all(_indexed_alike(old[i], statements[i]) for i in replaced):
        return None
    new = {id(old[i]): statements[i] for i in replaced}
    if any(id(statements[i]) in new for i in replaced):
        return None  # statements that changed places (a date moved one): the order is another
    records = {id(b.record): a.record for i in replaced for a, b in zip(statements[i].sources, old[i].sources)}
    site = Site(statements, articles, people, overview, title)
    site.by_speaker, site.speaker_info = dict(previous.by_speaker), previous.speaker_info
    site.by_article, site.by_month = dict(previous.by_article), dict(previous.by_month)
    for month in {month_key(statements[i].said_on) for i in replaced}:
        site.by_month[month] = [new.get(id(s), s) for s in site.by_month[month]]
    for slug in {statements[i].speaker_slug for i in replaced} - {None}:
        site.by_speaker[slug] = [new.get(id(s), s) for s in site.by_speaker[slug]]
    for article in {s.record.citation.article for i in replaced for s in statements[i].sources}:
        site.by_article[article] = [(new[id(s)], records[id(r)]) if id(s) in new else (s, r)
                                    for s, r in site.by_article[article]]
    return site


def _indexed_alike(was: Statement, now: Statement) -> bool:
    """Whether ``now`` takes ``was``'s places in the indexes: the same speaker, with the same
    details, the same month, and the same citations (articles and offsets: the sources pages' order)."""
    return (was.speaker_slug, was.speaker, was.speaker_role, was.speaker_org, month_key(was.said_on)) == \
        (now.speaker_slug, now.speaker, now.speaker_role, now.speaker_org, month_key(now.said_on)) \
        and [(s.record.citation.article, s.record.citation.start) for s in was.sources] == \
        [(s.record.citation.article, s.record.citation.start) for s in now.sources]


def _citation_start(pair: tuple[Statement, Record]) -> int:
    return pair[1].citation.start
