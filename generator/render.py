"""Stage 4, render: statements (merged from the records by :mod:`generator.merge`) to Markdown
pages (strings), through Jinja2 templates, with each page's JSON-LD and the data downloads.

Nothing here knows about MkDocs: :func:`render_site` returns ``{relative path: text}``, which the
CLI writes to a folder and the plugin hands to MkDocs as generated files.

Every value a template prints is escaped for Markdown *and* HTML by the environment's
``finalize`` hook (see :func:`escape`), so article text, quotes, names and URLs can never become
markup; templates opt out only through filters that build markup from escaped parts.
"""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import gc
import io
import json
import os
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable

import markupsafe
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    nodes,
)
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import Markup

from generator import chart, timeline
from generator.cache import Bounded, PageCache, RenderCache
from generator.errors import FactsheetError, Problem
from generator.merge import build_statements, merge_statements, page_redirects, page_slug
from generator.model import Article, Event, Person, Record, Statement
from generator.options import Rating, SiteOptions
from generator.records.fields import DEVICE_NAMES

# Characters that mean something to Markdown, its extensions, HTML or Jinja. Each is written as a
# numeric character reference, which every one of those shows as the character itself.
_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+\-!|<>&\"'~:=^$%@]|(?<=[wW]{3})\.")  # "www." too: no autolinks
# Generated page paths: relative, "/"-separated names that never start with "." (no "..", no "/etc").
_SAFE_PATH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*")
HOME_STATEMENTS = 50  # the home page shows this many of the newest statements
RATING_CSS = "assets/factsheet.css"  # the badges' colours; the plugin adds it to extra_css
REDIRECTS = ".redirect"  # a key "speakers/old.md.redirect" -> "speakers/new.md": the plugin writes a redirect


_SPECIAL_CHAR = re.compile(r"[\\`*_{}\[\]()#+\-!|<>&\"'~:=^$%@]")  # _SPECIAL without "www."
_WWW_DOT = re.compile(r"(?<=[wW]{3})\.")
_SPACES = re.compile(r"\s+")
_REFERENCES = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-!|<>&\"'~:=^$%@."}
_markup = functools.partial(str.__new__, Markup)  # Markup(text) for a str, without Markup's __html__ check


def _reference(match: re.Match[str]) -> str:
    return _REFERENCES[match.group()]


def _escape_text(text: str) -> Markup:
    # One line: a newline could start a Markdown block. Every whitespace character (what \s matches)
    # other than the space is unprintable, so printable text without two spaces in a row is unchanged.
    if "  " in text or not text.isprintable():
        text = _SPACES.sub(" ", text)
    if _SPECIAL_CHAR.search(text) is None and ("w." not in text and "W." not in text or _WWW_DOT.search(text) is None):
        return _markup(text)
    return _markup(_SPECIAL.sub(_reference, text))


_ESCAPED = Bounded(_escape_text)  # plain text seen before -> its escaped form (names, dates, labels repeat)


def escape(value: object) -> Markup:
    """Text made inert in Markdown and HTML: special characters become character references."""
    if type(value) is str:
        return _ESCAPED[value]
    if value is None:
        return _markup("")
    if isinstance(value, Markup):
        return value
    return _escape_text(str(value))


_ANCHOR = re.compile(r"[a-z0-9][a-z0-9-]*")


def anchor(value: object) -> Markup:
    """A record id as an HTML id / URL fragment; ids are validated on load, this re-checks."""
    text = str(value)
    if not _ANCHOR.fullmatch(text):
        raise ValueError(f"unsafe anchor {text!r}")
    return _markup(text)


def heading_attrs(value: object) -> Markup:
    """attr_list braces giving a statement heading its permanent id."""
    return _markup("{#" + str(anchor(value)) + " .fs-statement}")  # an anchor has nothing to escape


@functools.lru_cache(maxsize=4096)
def month_label(key: str) -> str:
    """ "2020-07" as "July 2020"."""
    return dt.date.fromisoformat(key + "-01").strftime("%B %Y")


def safe_url(url: object) -> str | None:
    """The URL if it is http(s) and well formed, else None (no javascript:, data:, ...)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not re.match(r"^https?://[^\s/$.?#<>\"'`][^\s<>\"'`]*$", url, re.I):
        return None
    return url


def external_link(url: object, text: object = None) -> Markup:
    """An outbound link that opens safely (``rel="noopener"``), or the text alone if the URL is bad."""
    if (type(url) is str or url is None) and (type(text) is str or text is None):
        return _LINKS[url, text]
    return _external_link(url, text)


def _external_link(url: object, text: object) -> Markup:
    good = safe_url(url)
    label = escape(text if text is not None else url)
    if not good:
        return Markup(label)
    href = escape(good).replace("&#58;", ":")  # keep the scheme readable; ':' is inert in an attribute
    return Markup(f'<a href="{href}" rel="noopener noreferrer" target="_blank">{label}</a>')


_LINKS = Bounded(lambda pair: _external_link(*pair))  # (url, text) -> link: an article's URL shows on many pages


# --- templates -------------------------------------------------------------------------------

def default_templates() -> Path:
    """The folder of the templates shipped with the package."""
    return Path(str(resources.files("generator.templates")))


def _finalize(value: object) -> Markup:
    """What a template prints: :func:`escape`, always of type ``Markup`` exactly (see _CodeGenerator)."""
    if type(value) is str:
        escaped = _ESCAPED.get(value)
        if escaped is not None:
            return escaped
    elif type(value) is Markup:
        return value
    out = escape(value)
    # A subclass of Markup is passed through by escape; markupsafe's escape is what autoescape applied to it.
    return out if type(out) is Markup else markupsafe.escape(out)


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, printing ``environment.finalize(x)`` where autoescape would print
    ``escape(environment.finalize(x))``: finalize (:func:`_finalize`) returns ``Markup``, which
    markupsafe's escape returns unchanged, after a type check, an attribute look-up and a copy
    for each of the ~300,000 values a sheet of 1,000 articles prints. Anything else (no finalize,
    autoescape off or switched at run time) is compiled as Jinja compiles it."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src == "environment.finalize(" \
                and self.environment.finalize is _finalize:
            self.write("(" + finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


class _Environment(Environment):
    code_generator_class = _CodeGenerator


def environment(override: Path | None = None) -> Environment:
    """The Jinja2 environment: user templates first, then the defaults; strict and escaping."""
    loaders = [FileSystemLoader(str(override))] if override and override.is_dir() else []
    loaders.append(FileSystemLoader(str(default_templates())))
    # autoescape makes macro output Markup (not escaped twice); finalize does the real escaping.
    env = _Environment(loader=ChoiceLoader(loaders), undefined=StrictUndefined, autoescape=True,
                       finalize=_finalize, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(link=external_link, day=format_day, diff=diff_markup, anchor=anchor, trusted=Markup,
                       time_of_day=timeline.time_of_day)
    env.globals.update(heading_attrs=heading_attrs, month_label=month_label)
    return env


_ENVIRONMENTS: Bounded[object, Environment] = Bounded(lambda key: environment(key[0]), limit=8)


def _shared_environment(override: Path | None) -> Environment:
    """:func:`environment`, kept between renders (``mkdocs serve``) with its compiled templates.

    Jinja reloads a template whose file changed; a template file added or removed (an override
    created, say) changes the key, and so makes a new environment.
    """
    folders = [str(override)] if override and override.is_dir() else []
    folders.append(str(default_templates()))
    return _ENVIRONMENTS[override, tuple((folder, tuple(sorted(os.listdir(folder)))) for folder in folders)]


def format_day(value: dt.date | None, precision: str = "day") -> str:
    """A date as readers read it: "6 July 2020", "week of 6 July 2020", "July 2020"."""
    if type(value) is dt.date and type(precision) is str:
        return _DAYS[value, precision]
    return _format_day(value, precision)


def _format_day(value: dt.date | None, precision: str) -> str:
    if value is None:
        return "date unknown"
    if precision == "month":
        return value.strftime("%B %Y")
    if precision == "year":
        return str(value.year)
    text = f"{value.day} {value.strftime('%B %Y')}"
    return f"week of {text}" if precision == "week" else text


_DAYS = Bounded(lambda pair: _format_day(*pair))


def diff_markup(variant: str, base: str) -> Markup:
    """``variant`` with the words that differ from ``base`` marked (escaped, then marked up)."""
    a, b = base.split(), variant.split()
    out = []
    for op, _, _, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        words = escape(" ".join(b[j1:j2]))
        if not words:
            continue
        out.append(words if op == "equal" else f"<mark>{words}</mark>")
    return Markup(" ".join(out))


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


def index_site(statements: list[Statement], articles: dict[str, Article], people: list[Person],
               overview: str = "", title: str = "Fact sheet") -> Site:
    """Group the statements by speaker and by source article."""
    site = Site(statements, articles, people, overview, title)
    registry = {p.name: p for p in people}
    by_speaker, speaker_info, by_article = site.by_speaker, site.speaker_info, site.by_article
    for statement in statements:
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


def _citation_start(pair: tuple[Statement, Record]) -> int:
    return pair[1].citation.start


def _relative(target: str, page: str) -> str:
    """A Markdown link from ``page`` to ``target`` (both paths relative to the docs root)."""
    path, _, anchor = target.partition("#")
    rel = _relpath(path, posixpath.dirname(page) or ".")
    return rel + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=65536)
def _relpath(path: str, folder: str) -> str:
    """``posixpath.relpath``, remembered: pages link to the same few thousand pages many times."""
    return posixpath.relpath(path, folder)


_LINKERS: dict[str, Callable[[object], Markup]] = {}


def _linker(folder: str) -> Callable[[object], Markup]:
    """The templates' ``rel``: a link from a page in ``folder`` to a target (a path from the docs
    root), remembered per folder: every page of a folder links to the same pages many times."""
    linker = _LINKERS.get(folder)
    if linker is not None:
        return linker
    page = posixpath.join(folder, "page.md")  # _relative looks at the page's folder only
    links = Bounded(lambda target: _markup(_relative(target, page)))

    def rel(target: object) -> Markup:
        if type(target) is not str:
            return Markup(_relative(target, page))
        return links[target]

    linker = _LINKERS[folder] = rel
    return linker


def _render(env: Environment, name: str, page: str, **context: object) -> str:
    try:
        template = env.get_template(name)
        return template.render(page=page, rel=_linker(posixpath.dirname(page)), **context)
    except TemplateSyntaxError as exc:
        raise FactsheetError(Problem(exc.filename or name, f"template syntax error: {exc.message}", exc.lineno,
                                     hint="fix the template; see the Jinja2 documentation")) from None
    except TemplateError as exc:
        where, line = _template_line(exc)
        raise FactsheetError(Problem(where or getattr(exc, "filename", None) or name, f"template error: {exc}", line,
                                     hint="the variable may be misspelled or missing; see the default template")) from None
    except RecursionError as exc:  # a macro that calls itself for ever, a template that includes itself
        where, line = _template_line(exc)
        raise FactsheetError(Problem(where or name, "template error: the template calls itself without end "
                                     "(a recursive macro or include)", line,
                                     hint="give the macro or include a condition that stops it")) from None
    except (FactsheetError, MemoryError):
        raise
    except Exception as exc:  # a filter or attribute failing inside a template: name the template and line
        where, line = _template_line(exc)
        message = " ".join(f"template error: {type(exc).__name__}: {exc}".split())
        raise FactsheetError(Problem(where or name, message, line,
                                     hint="a template may be older than this version of factsheet; "
                                          "compare it with the default template")) from exc


def _template_line(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file (as a short path) and line where ``exc`` was raised, innermost first."""
    tb = exc.__traceback__
    where, line = None, None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where, line = filename, tb.tb_lineno
        tb = tb.tb_next
    if where:
        try:
            where = os.path.relpath(where)
        except ValueError:
            pass
        if where.startswith(".."):
            where = str(Path(where).name)
    return where, line


_MONTHS = Bounded(lambda day: day.strftime("%Y-%m"))


def month_key(day: dt.date | None) -> str:
    """The month page a day belongs to ("2020-07"), or "undated"."""
    if not day:
        return "undated"
    return _MONTHS[day] if type(day) is dt.date else day.strftime("%Y-%m")


def _month_pages(site: Site, env: Environment, kept: PageCache, month: str, statements: list[Statement],
                 events: list[Event], common: dict[str, object]) -> dict[str, str]:
    """A month's timeline page (its statements and events, day by day) and the chart beside it."""
    page, svg = f"timeline/{month}.md", timeline.chart_file(month)

    def key() -> object:
        return kept.statements(page, statements), tuple(events)
    made: dict[str, object] = {}

    def drawn() -> dict[str, object]:  # the days and the chart, made once for both files
        if not made:
            days = timeline.chronology(statements, events)
            label = "undated statements" if month == "undated" else month_label(month)
            made.update(days=days, chart=timeline.month_chart(month, label, days, site.options, format_day))
        return made

    text = kept.page(page, key, lambda: _render(env, "timeline.md.j2", page, month=month, days=drawn()["days"],
                                                chart=drawn()["chart"], **common))
    return {page: text, svg: kept.page(svg, key, lambda: drawn()["chart"]["svg"])}


def _template_folders(env: Environment) -> list[Path]:
    return [Path(p) for loader in getattr(env.loader, "loaders", [env.loader])
            for p in getattr(loader, "searchpath", [])]


def render_site(site: Site, env: Environment, cache: RenderCache | None = None, *,
                data: bool = False) -> dict[str, str]:
    """Every page of the fact sheet as Markdown, keyed by its path in the docs folder.

    ``cache`` (a :class:`generator.cache.RenderCache` the caller keeps between calls, as the MkDocs
    plugin does under ``mkdocs serve``) lets unchanged speaker, source and month pages be reused
    instead of rendered again.
    With ``data``, the data files and the pages' JSON-LD too (reused the same way).
    """
    pages: dict[str, str] = {}
    common = {"site": site, "format_day": format_day}
    kept = PageCache(cache, site, _template_folders(env))
    pages["index.md"] = _render(env, "home.md.j2", "index.md", latest=site.statements[:HOME_STATEMENTS], **common)
    months: dict[str, list[Statement]] = defaultdict(list)
    for statement in site.statements:
        months[month_key(statement.said_on)].append(statement)
    month_events: dict[str, list[Event]] = defaultdict(list)
    for event in site.events:
        month_events[month_key(event.date)].append(event)
        months.setdefault(month_key(event.date), [])
    pages["timeline/index.md"] = _render(env, "timeline_index.md.j2", "timeline/index.md",
                                         months=sorted(months.items(), reverse=True), month_events=month_events,
                                         **common)
    for month, statements in months.items():
        pages.update(_month_pages(site, env, kept, month, statements, month_events.get(month, []), common))
    letters: dict[str, list[tuple[str, dict[str, object]]]] = defaultdict(list)
    for slug, info in sorted(site.speaker_info.items(), key=lambda kv: str(kv[1]["name"]).casefold()):
        initial = str(info["name"])[:1].upper()
        letters[initial if initial.isalpha() else "#"].append((slug, info))
    pages["speakers/index.md"] = _render(env, "speakers.md.j2", "speakers/index.md",
                                         speakers_by_letter=sorted(letters.items()), **common)
    for slug, statements in site.by_speaker.items():
        page = f"speakers/{slug}.md"
        info = site.speaker_info[slug]
        pages[page] = kept.page(page, lambda: (tuple(info.items()), kept.statements(("speaker", slug), statements)),
                                lambda: _render(env, "speaker.md.j2", page, speaker=info, statements=statements, **common))
    by_month: dict[str, list[Article]] = defaultdict(list)
    for article in sorted(site.articles.values(), key=lambda a: (a.published or dt.date.min, a.id), reverse=True):
        by_month[month_label(month_key(article.published)) if article.published else "Date unknown"].append(article)
    pages["sources/index.md"] = _render(env, "sources.md.j2", "sources/index.md",
                                        sources_by_month=list(by_month.items()), **common)
    for article_id, article in site.articles.items():
        page = f"sources/{article_id}.md"
        items = site.by_article.get(article_id, [])
        problems = site.problems.get(article_id, ())
        pages[page] = kept.page(page, lambda: (kept.article(article), kept.items(("source", article_id), items),
                                               problems),
                                lambda: _render(env, "source.md.j2", page, article=article, items=items,
                                                problems=problems, **common))
    pages["downloads.md"] = _render(env, "downloads.md.j2", "downloads.md", **common)
    pages["ratings.md"] = _render(env, "ratings.md.j2", "ratings.md", **common)
    pages["methodology.md"] = _render(env, "methodology.md.j2", "methodology.md", **common)
    pages[RATING_CSS] = rating_css(site.options)
    if data:
        pages[FEED] = atom_feed(site, cache)
        pages.update(data_files(site, cache))
        pages.update(jsonld_files(site, kept))
    kept.close()
    return pages


# --- structured data (schema.org JSON-LD) ------------------------------------------------------

def _agent(name: str | None, is_person: bool) -> dict[str, object] | None:
    if not name:
        return None
    return {"@type": "Person" if is_person else "Organization", "name": name}


def _news_article(article: Article | None, record: Record) -> dict[str, object]:
    data: dict[str, object] = {"@type": "NewsArticle", "identifier": record.citation.article}
    if article is None:
        return data
    for key, value in (("headline", article.title), ("datePublished", article.published),
                       ("url", safe_url(article.url)), ("author", _agent(article.author, True)),
                       ("publisher", _agent(article.outlet, False))):
        if value:
            data[key] = value.isoformat() if isinstance(value, dt.date) else value
    return data


def quotation(statement: Statement, site_name: str, sources: list[dict[str, object]] | None = None, *,
              organizations: frozenset[str] = frozenset(),
              options: SiteOptions | None = None) -> list[dict[str, object]]:
    """schema.org ``Quotation`` of a statement, and a ``ClaimReview`` where an editor gave a verdict.

    ``sources`` replaces the statement's articles (a source page cites its own article once, by reference).
    ``organizations`` are the registry's speakers of kind organization; ``options`` name the publishing
    newsroom (the review's author) and the site's URL (the review's ``url``, the statement's permalink).
    """
    is_person = statement.speaker not in organizations and \
        not (statement.speaker_org and statement.speaker and statement.speaker.startswith(statement.speaker_org))
    speaker = _agent(statement.speaker, is_person)
    if sources is None:
        sources = [_news_article(s.article, s.record) for s in statement.sources]
    quote: dict[str, object] = {"@type": "Quotation", "@id": f"#{statement.id}", "text": statement.quote,
                                "isBasedOn": sources, "citation": sources}
    if speaker:
        quote["spokenByCharacter"] = speaker
        quote["creator"] = speaker
    if statement.said_on:
        quote["dateCreated"] = statement.said_on.isoformat()
    out = [quote]
    if statement.verdict or statement.rating:
        out.append(_claim_review(statement, site_name, sources, speaker, options or SiteOptions()))
    return out


def _claim_review(statement: Statement, site_name: str, sources: list[dict[str, object]], speaker: dict[str, object] | None,
                  options: SiteOptions) -> dict[str, object]:
    author: dict[str, object] = {"@type": "Organization", "name": options.publisher or site_name}
    if options.publisher_url:
        author["url"] = options.publisher_url
    rating: dict[str, object] = {"@type": "Rating", "alternateName": statement.rating or statement.verdict}
    step = options.rating(statement.rating)
    if step is not None:  # schema.org's numbers: the scale's best is the highest
        rating.update(alternateName=step.label, ratingValue=len(options.scale) - options.scale.index(step),
                      bestRating=len(options.scale), worstRating=1)
    if statement.verdict:
        rating["description"] = statement.verdict
    review: dict[str, object] = {
        "@type": "ClaimReview", "@id": f"#{statement.id}-review", "claimReviewed": statement.quote,
        "itemReviewed": {"@type": "Claim", "text": statement.quote, "appearance": sources,
                         **({"author": speaker} if speaker else {}),
                         **({"datePublished": statement.said_on.isoformat()} if statement.said_on else {})},
        "author": author, "reviewRating": rating,
    }
    # The review's URL is the statement's permalink (its speaker's page, else its first source's).
    url = options.page_url(f"speakers/{statement.speaker_slug}.md" if statement.speaker_slug
                           else f"sources/{statement.sources[0].record.citation.article}.md", statement.id)
    if url:
        review["url"] = url
    if statement.reviewed_on:
        review["datePublished"] = statement.reviewed_on.isoformat()
    if statement.reviewed_by:
        review["contributor"] = {"@type": "Person", "name": statement.reviewed_by}
    return review


def jsonld(statements: list[Statement], site_name: str, article_id: str | None = None, *,
           known: dict[tuple[str, int], dict[str, object]] | None = None, site: Site | None = None) -> str:
    """A JSON-LD document for a page's statements, safe to place inside a <script> element.

    Each cited article is one node of the graph, which the statements refer to by ``@id`` (a
    speaker page's statements share their sources, and the JSON-LD would otherwise repeat each
    article twice per statement). With ``article_id`` (a source page), only that article is cited.
    ``known`` keeps the article nodes for the next pages (an article is cited on several).
    ``site`` gives the registry's organisations and the newsroom's options.
    """
    nodes: dict[str, dict[str, object]] = {}
    known = {} if known is None else known

    def refs(statement: Statement) -> list[dict[str, object]]:
        out: dict[str, dict[str, object]] = {}
        for source in statement.sources:
            key = source.record.citation.article
            if article_id is not None and key != article_id:
                continue
            if key not in nodes:
                node = known.get((key, id(source.article)))
                if node is None:
                    node = known[key, id(source.article)] = {**_news_article(source.article, source.record),
                                                             "@id": f"#source-{key}"}
                nodes[key] = node
            out[key] = {"@id": f"#source-{key}"}
        return list(out.values())

    organizations = frozenset(p.name for p in site.people if p.kind == "organization") if site else frozenset()
    options = site.options if site else None
    quotes = [item for statement in statements
              for item in quotation(statement, site_name, refs(statement), organizations=organizations, options=options)]
    graph = [*quotes, *nodes.values()]
    # Compact separators keep json's C encoder (``indent`` falls back to pure Python: 10x slower).
    text = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False, separators=(",", ":"))
    # "</script>" or "<!--" in a quote must not end the element: escape the characters HTML cares about.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def jsonld_files(site: Site, kept: PageCache | None = None) -> dict[str, str]:
    """JSON-LD per page that carries statements, keyed ``<page path>.jsonld`` (with ``kept``, the
    previous render's where the page's statements are unchanged)."""
    kept = kept or PageCache(None, site, [])
    out = {}
    known: dict[tuple[str, int], dict[str, object]] = {}  # article nodes (the articles live while this runs)
    for slug, statements in site.by_speaker.items():
        path = f"speakers/{slug}.md.jsonld"
        out[path] = kept.page(path, lambda: kept.statements(("speaker", slug), statements),
                              lambda: jsonld(statements, site.title, known=known, site=site))
    for article_id, items in site.by_article.items():
        path = f"sources/{article_id}.md.jsonld"
        article = site.articles.get(article_id)
        out[path] = kept.page(path, lambda: (kept.article(article), kept.items(("source", article_id), items)),
                               lambda: jsonld(list({e.id: e for e, _ in items}.values()), site.title, article_id,
                                              known=known, site=site))
    return out


# --- data downloads --------------------------------------------------------------------------

_COLUMNS = ["statement", "record", "speaker", "quote", "kind", "said_on", "venue", "article", "outlet", "title",
            "url", "published", "start", "end", "status", "verdict", "rating",
            # Added for reuse (issue 15); new columns go at the end, so that scripts reading by position keep working.
            "said_on_precision", "said_on_inferred", "speaker_role", "speaker_org", "note", "reviewed_by",
            "reviewed_on", "excerpt", "permalink", "said_at"]


_INTEGER_COLUMNS = {"start", "end"}
_BOOLEAN_COLUMNS = {"said_on_inferred"}
_DATE_COLUMNS = {"said_on", "published", "reviewed_on"}
_REQUIRED_COLUMNS = ["statement", "record", "quote", "kind", "article", "start", "end", "status", "permalink"]


def data_schema() -> str:
    """The JSON Schema of ``facts.json`` (published beside it as ``facts.schema.json``)."""
    def column(name: str) -> dict[str, object]:
        if name in _INTEGER_COLUMNS:
            return {"type": "integer", "minimum": 0}
        if name in _BOOLEAN_COLUMNS:
            return {"type": "boolean"}
        kind: dict[str, object] = {"type": ["string", "null"] if name not in _REQUIRED_COLUMNS else "string"}
        if name in _DATE_COLUMNS:
            kind["format"] = "date"
        return kind

    rows = {"type": "object", "additionalProperties": False, "required": _REQUIRED_COLUMNS,
            "properties": {name: column(name) for name in _COLUMNS}}
    rows["properties"]["kind"] = {"enum": ["direct", "partial", "mixed", "indirect"]}
    rows["properties"]["said_on_precision"] = {"enum": ["day", "week", "month", "year"]}
    named = {"type": ["object", "null"], "additionalProperties": False, "required": ["name", "url"],
             "properties": {"name": {"type": "string"}, "url": {"type": ["string", "null"], "format": "uri"}}}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "facts.json",
        "description": "Every published statement of the fact sheet, one row per citation, with the day the file "
                       "was made and the licence it is published under; the columns are described on the site's "
                       "data page.",
        "type": "object", "additionalProperties": False, "required": ["generated", "licence", "publisher", "rows"],
        "properties": {
            "generated": {"type": "string", "format": "date", "description": "The day the file was made (UTC)."},
            "licence": {**named, "description": "The licence the newsroom publishes the data under (null: none set)."},
            "publisher": {**named, "description": "The newsroom that publishes the fact sheet."},
            "rows": {"type": "array", "items": rows},
        },
    }
    return json.dumps(schema, indent=1) + "\n"


def _permalink(statement: Statement, options: SiteOptions) -> str:
    """A statement's permalink: absolute with a site URL, else the page path from the site's root."""
    page = f"speakers/{statement.speaker_slug}.md" if statement.speaker_slug \
        else f"sources/{statement.sources[0].record.citation.article}.md"
    url = options.page_url(page, statement.id)
    if url:
        return url
    return SiteOptions(site_url="https://x", directory_urls=options.directory_urls).page_url(page, statement.id)[len("https://x/"):]


def _statement_rows(statement: Statement, options: SiteOptions | None = None) -> list[dict[str, object]]:
    permalink = _permalink(statement, options or SiteOptions())
    rows = []
    for source in statement.sources:
        article = source.article
        rows.append({
            "statement": statement.id, "record": source.record.id, "speaker": source.speaker or statement.speaker, "quote": source.record.quote,
            "kind": source.record.kind, "said_on": statement.said_on.isoformat() if statement.said_on else None,
            "venue": statement.venue, "article": source.record.citation.article,
            "outlet": article.outlet if article else None, "title": article.title if article else None,
            "url": safe_url(article.url) if article else None,
            "published": article.published.isoformat() if article and article.published else None,
            "start": source.record.citation.start, "end": source.record.citation.end,
            "status": source.record.status, "verdict": statement.verdict, "rating": statement.rating,
            "said_on_precision": statement.said_on_precision, "said_on_inferred": statement.said_on_inferred,
            "speaker_role": statement.speaker_role, "speaker_org": statement.speaker_org, "note": statement.note,
            "reviewed_by": statement.reviewed_by,
            "reviewed_on": statement.reviewed_on.isoformat() if statement.reviewed_on else None,
            "excerpt": source.record.citation.excerpt, "permalink": permalink, "said_at": statement.said_at,
        })
    return rows


def _csv_cells(row: dict[str, object]) -> list[object]:
    # A cell starting with = + - @ is a formula in spreadsheets: prefix it so it stays text.
    return ["'" + v if isinstance(v, str) and v[:1] in "=+-@" else v for v in row.values()]


def generated_on() -> dt.date:
    """The day the data files are made (UTC): ``SOURCE_DATE_EPOCH`` when set, for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch.isdigit() else dt.datetime.now(dt.timezone.utc)
    return when.date()


def data_files(site: Site, cache: RenderCache | None = None) -> dict[str, str]:
    """``facts.json`` and ``facts.csv``: every published record, one row per citation.

    Each statement's rows are made as text; with ``cache`` (``mkdocs serve``) they are kept for
    the next call, which makes only the rows of statements that are new objects (records and
    articles are frozen, and so are the statements made of them).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")  # every row has the columns, in this order
    # One row per line, each encoded by json's C encoder (``indent`` would use the slow pure-Python one);
    # one encoder for all (json.dumps makes a new one per call when given options).
    encode = json.JSONEncoder(ensure_ascii=False).encode
    kept = cache.rows if cache is not None and cache.options == site.options else {}
    fresh: dict[int, tuple[Statement, str, str]] = {}
    json_parts, csv_parts = [], []
    for statement in site.statements:
        hit = kept.get(id(statement))
        if hit is None or hit[0] is not statement:
            rows = _statement_rows(statement, site.options)
            buffer.seek(0)
            buffer.truncate()
            writer.writerows([_csv_cells(row) for row in rows])
            hit = (statement, ",\n".join(map(encode, rows)), buffer.getvalue())
        fresh[id(statement)] = hit
        if hit[1]:
            json_parts.append(hit[1])
            csv_parts.append(hit[2])
    if cache is not None:
        cache.rows, cache.options = fresh, site.options
    buffer.seek(0)
    buffer.truncate()
    writer.writerow(_COLUMNS if json_parts else _COLUMNS[:4])
    csv_parts.insert(0, buffer.getvalue())
    options = site.options
    head = encode({"generated": generated_on().isoformat(),
                   "licence": {"name": options.licence, "url": options.licence_url} if options.licence else None,
                   "publisher": {"name": options.publisher, "url": options.publisher_url} if options.publisher
                   else None})
    rows = "[\n" + ",\n".join(json_parts) + "\n]" if json_parts else "[]"
    return {"facts.json": head[:-1] + ',\n"rows": ' + rows + "}\n", "facts.csv": "".join(csv_parts), "facts.schema.json": data_schema()}


FEED = "feed.xml"  # the Atom feed; the plugin links it from every page's head
_xml = chart.xml_text  # what XML cannot hold (control characters) becomes a space: the feed and the charts


def _statement_updated(statement: Statement) -> dt.datetime:
    """When a statement last changed, as far as the records tell: the latest of its review, the
    day it was said and its articles' publication (records carry no edit times)."""
    days = [d for d in (statement.reviewed_on, statement.said_on, *(s.article.published for s in statement.sources if s.article))
            if d]
    day = max(days) if days else dt.date(1970, 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def atom_feed(site: Site, cache: RenderCache | None = None) -> str:
    """The Atom feed of the statements (feedgen), one entry per statement, newest first, each
    with its permalink; an entry's ``updated`` moves when it is reviewed or newly reported.

    With ``cache`` (``mkdocs serve``) each statement's entry is kept for the next call, which
    makes only the entries of statements that are new objects, as :func:`data_files` does: at
    10,000 articles the feed's 70,000 entries were most of an edit's render (3.9 of 5.9 s).
    """
    from feedgen.feed import FeedGenerator

    options = site.options
    home = options.site_url or "./"
    fg = FeedGenerator()
    fg.id(options.site_url or f"tag:factsheet,2020:{page_slug(site.title) or 'sheet'}")
    fg.title(_xml(site.title))
    fg.link(href=home, rel="alternate")
    if options.site_url:
        fg.link(href=options.site_url.rstrip("/") + "/" + FEED, rel="self")
    fg.author({"name": _xml(options.publisher or site.title), **({"uri": options.publisher_url} if options.publisher_url else {})})
    if options.licence:
        fg.rights(options.licence + (f" ({options.licence_url})" if options.licence_url else ""))
    kept = cache.feed if cache is not None and cache.feed_options == options else {}
    entries = []
    for statement in site.statements:
        hit = kept.get(id(statement))
        if hit is None or hit[0] is not statement:
            when = _statement_updated(statement)
            hit = (statement, when, _feed_entry(statement, when, options))
        entries.append(hit)
    if cache is not None:
        cache.feed, cache.feed_options = {id(hit[0]): hit for hit in entries}, options
    fg.updated(max(hit[1] for hit in entries) if entries else dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc))
    # Newest first: the oldest-first order reversed, appended (feedgen's default, prepending each
    # entry, is a list insert per entry: quadratic).
    for _, _, entry in reversed(sorted(entries, key=lambda hit: (hit[1], hit[0].id))):
        fg.add_entry(entry, order="append")
    return fg.atom_str(pretty=True).decode("utf-8")


def _feed_entry(statement: Statement, when: dt.datetime, options: SiteOptions) -> object:
    """The feed entry of one statement (a :func:`_kept_entry` class instance)."""
    link = _permalink(statement, options)
    item = _kept_entry()()
    item.id(link if options.site_url else f"tag:factsheet,2020:{statement.id}")
    words = f"“{statement.quote}”" if statement.quoted else f"{statement.reported_verb} {statement.quote}"
    title = f"{statement.speaker or 'Unattributed'}: {words}" if statement.quoted else f"{statement.speaker or 'Someone'} {words}"
    item.title(_xml(title + (f" [{statement.rating}]" if statement.rating else "")))
    item.link(href=link, rel="alternate")
    item.updated(when)
    outlets = dict.fromkeys(s.article.outlet or s.article.title or s.article.id for s in statement.sources if s.article)
    summary = f"{format_day(statement.said_on, statement.said_on_precision)}; reported by {', '.join(outlets) or 'no article'}"
    if statement.verdict:
        summary += f". Verdict: {statement.verdict}"
    item.summary(_xml(summary))  # text, escaped by feedgen's XML writer
    return item


@functools.cache
def _kept_entry() -> type:
    """feedgen's FeedEntry, making its XML element once: feedgen makes every entry's element
    again for each feed it writes, and an entry's fields never change once it is made here.
    (The element moves into each new feed's tree; the previous feed is no longer used.)"""
    from feedgen.entry import FeedEntry

    class KeptEntry(FeedEntry):
        _element = None

        def atom_entry(self, extensions=True):
            if self._element is None:
                element = super().atom_entry(extensions)
                self.__dict__.clear()  # the fields are in the element now: memory for 70,000 entries
                self._element = element
            return self._element

    return KeptEntry


def render_all(sheet_articles: dict[str, Article], records: list[Record], people: list[Person], *,
               overview: str = "", title: str = "Fact sheet", templates: Path | None = None,
               cache: RenderCache | None = None, problems: list[Problem] = (),
               options: SiteOptions | None = None, events: list[Event] = ()) -> dict[str, str]:
    """Records to every page and data file of the site (the one call the CLI and plugin make).

    ``options`` are the newsroom's settings (publisher, rating scale, licence; see
    :func:`generator.options.site_options`); the defaults otherwise. ``cache`` is the serve cache
    (:class:`generator.cache.RenderCache`), kept by the caller between renders; none for one render.
    ``events`` are the editors' story events (``content/events.yaml``), shown on the timeline.

    Keys ending in ``.jsonld`` are the structured data of the page named before the suffix; the
    plugin puts them in that page's ``<head>``. ``problems`` with fact files are shown on their
    article's page (a placeholder, so that ``mkdocs serve`` shows the editor what to fix).
    """
    # Rendering allocates millions of short-lived objects, and each collection they trigger would
    # also walk everything the caller holds (the loaded sheet, MkDocs' state). Objects alive now
    # are set aside from collection until the pages are made (~10% of the render at 1,000
    # articles); the garbage made meanwhile is still collected. Not when someone else froze some.
    freeze = gc.isenabled() and gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        return _render_all(sheet_articles, records, people, overview, title, templates, cache, problems,
                           options or SiteOptions(), list(events))
    finally:
        if freeze:
            gc.unfreeze()


def _render_all(sheet_articles: dict[str, Article], records: list[Record], people: list[Person], overview: str,
                title: str, templates: Path | None, cache: RenderCache | None,
                problems: list[Problem], options: SiteOptions, events: list[Event]) -> dict[str, str]:
    if options.unreviewed == "hide":  # only what an editor vouches for is published
        records = [r for r in records if r.status == "reviewed"]
    merged = merge_statements(records, sheet_articles, people, cache.merged if cache is not None else None)
    if cache is not None:
        cache.merged = merged
    statements = list(merged.ordered)
    site = index_site(statements, sheet_articles, people, overview, title)
    site.options, site.events = options, events
    for problem in problems:
        article_id = Path(problem.path).stem
        if Path(problem.path).parent.name == "facts" and article_id in sheet_articles:
            site.problems[article_id] = site.problems.get(article_id, ()) + (str(problem),)
    out = render_site(site, _shared_environment(templates), cache, data=True)
    # A renamed or merged speaker's or source's old page: the plugin writes a redirect there.
    out.update({old + REDIRECTS: new for old, new in page_redirects(merged.slugs, people, sheet_articles).items()})
    for path in out:  # ids are validated on load; this is the last line of defence
        if not _SAFE_PATH.fullmatch(path) or path.split("/")[-1].split(".")[0].lower() in DEVICE_NAMES:
            raise FactsheetError(Problem(path, "refusing to write a page outside the site folder or with a "
                                               "reserved name", hint="ids are lowercase letters, digits and hyphens"))
    return out


__all__ = ["render_all", "build_statements", "index_site", "render_site", "data_files", "environment", "escape",
           "safe_url", "external_link", "page_slug"]
