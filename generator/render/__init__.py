"""Stage 4, render: statements (merged from the records by :mod:`generator.merge`) to Markdown
pages (strings), through Jinja2 templates, with each page's JSON-LD and the data downloads.

Nothing here knows about MkDocs: :func:`render_site` returns ``{relative path: text}``, which the
CLI writes to a folder and the plugin hands to MkDocs as generated files.

Every value a template prints is escaped for Markdown *and* HTML by the environment's
``finalize`` hook (see :func:`escape`), so article text, quotes, names and URLs can never become
markup; templates opt out only through filters that build markup from escaped parts.

The package: this module (the environment, the pages, :func:`render_all`), ``markup`` (what a
template may print), ``site`` (what templates see), ``jsonld`` (structured data) and ``data`` (the
downloads and the feed).
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import posixpath
import re
from collections import defaultdict
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

from generator import collector, timeline
from generator.cache import Bounded, PageCache, RenderCache
from generator.errors import FactsheetError, Problem
from generator.merge import build_statements, merge_statements, page_redirects, page_slug
from generator.model import Article, Event, Person, Record, Source, Statement
from generator.options import SiteOptions
from generator.records.fields import DEVICE_NAMES
from generator.render.data import FEED, atom_feed, data_files, data_schema, generated_on  # noqa: F401
from generator.render.jsonld import jsonld, jsonld_files, quotation  # noqa: F401
from generator.render.markup import (  # noqa: F401
    ESCAPED,
    anchor,
    as_markup,
    diff_markup,
    escape,
    external_link,
    format_day,
    heading_attrs,
    month_key,
    month_label,
    safe_url,
)
from generator.render.site import RATING_CSS, Site, index_site, rating_css, reindexed  # noqa: F401

# Generated page paths: relative, "/"-separated names that never start with "." (no "..", no "/etc").
_SAFE_PATH = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*")
HOME_STATEMENTS = 50  # the home page shows this many of the newest statements
REDIRECTS = ".redirect"  # a key "speakers/old.md.redirect" -> "speakers/new.md": the plugin writes a redirect


# --- templates -------------------------------------------------------------------------------

def default_templates() -> Path:
    """The folder of the templates shipped with the package."""
    return Path(str(resources.files("generator.templates")))


def _finalize(value: object) -> Markup:
    """What a template prints: :func:`escape`, always of type ``Markup`` exactly (see _CodeGenerator)."""
    if type(value) is str:
        escaped = ESCAPED.get(value)
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


def outermost(sources: list[Source]) -> list[Source]:
    """The sources (of one article) whose cited words no other source's span holds: a record of
    "B." inside the record of '"A," she said. "B."' shows no excerpt of its own."""
    def inside(a: Source, b: Source) -> bool:
        ca, cb = a.record.citation, b.record.citation
        return cb.start <= ca.start and ca.end <= cb.end and (cb.end - cb.start) > (ca.end - ca.start)
    return [s for s in sources if not any(inside(s, other) for other in sources if other is not s)]


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
                       time_of_day=timeline.time_of_day, outermost=outermost)
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
    links = Bounded(lambda target: as_markup(_relative(target, page)))

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


def month_pages(site: Site, env: Environment, month: str, statements: list[Statement],
                events: list[Event]) -> dict[str, str]:
    """A month's timeline page (its statements and events, day by day) and the chart beside it."""
    page, svg = f"timeline/{month}.md", timeline.chart_file(month)
    days = timeline.chronology(statements, events)
    label = "undated statements" if month == "undated" else month_label(month)
    chart = timeline.month_chart(month, label, days, site.options, format_day)
    return {page: _render(env, "timeline.md.j2", page, month=month, days=days, chart=chart, **_common(site)),
            svg: chart["svg"]}


def speaker_page(site: Site, env: Environment, slug: str) -> str:
    """One speaker's page: who they are and everything they said, newest first."""
    page = f"speakers/{slug}.md"
    return _render(env, "speaker.md.j2", page, speaker=site.speaker_info[slug], statements=site.by_speaker[slug],
                   **_common(site))


def source_page(site: Site, env: Environment, article_id: str) -> str:
    """One article's page: its metadata, the statements it reports and its fact file's problems."""
    page = f"sources/{article_id}.md"
    return _render(env, "source.md.j2", page, article=site.articles[article_id],
                   items=site.by_article.get(article_id, []), problems=site.problems.get(article_id, ()),
                   **_common(site))


def _common(site: Site) -> dict[str, object]:
    return {"site": site, "format_day": format_day}


def _kept_month(site: Site, env: Environment, kept: PageCache, month: str, statements: list[Statement],
                events: list[Event]) -> dict[str, str]:
    """The month's two files, each the previous render's when its key holds (drawn once for both)."""
    page, svg = f"timeline/{month}.md", timeline.chart_file(month)
    made: dict[str, str] = {}

    def key() -> object:
        return statements, tuple(events)

    def made_file(path: str) -> str:
        if not made:
            made.update(month_pages(site, env, month, statements, events))
        return made[path]
    return {path: kept.page(path, key, functools.partial(made_file, path)) for path in (page, svg)}


def _template_folders(env: Environment) -> list[Path]:
    return [Path(p) for loader in getattr(env.loader, "loaders", [env.loader])
            for p in getattr(loader, "searchpath", [])]


def _timeline_pages(site: Site, env: Environment, kept: PageCache) -> dict[str, str]:
    """The timeline's index and each month's page and chart."""
    months = dict(site.by_month)  # a copy: the events' months join it
    month_events: dict[str, list[Event]] = defaultdict(list)
    for event in site.events:
        month_events[month_key(event.date)].append(event)
        months.setdefault(month_key(event.date), [])
    pages = {"timeline/index.md": kept.page(
        "timeline/index.md",
        lambda: tuple((month, len(statements), tuple(month_events.get(month, ()))) for month, statements in months.items()),
        lambda: _render(env, "timeline_index.md.j2", "timeline/index.md", months=sorted(months.items(), reverse=True),
                        month_events=month_events, **_common(site)))}
    for month, statements in months.items():
        pages.update(_kept_month(site, env, kept, month, statements, month_events.get(month, [])))
    return pages


def _speaker_pages(site: Site, env: Environment, kept: PageCache) -> dict[str, str]:
    """The speakers' index, by initial, and each speaker's page."""
    def index() -> str:
        letters: dict[str, list[tuple[str, dict[str, object]]]] = defaultdict(list)
        for slug, info in sorted(site.speaker_info.items(), key=lambda kv: str(kv[1]["name"]).casefold()):
            initial = str(info["name"])[:1].upper()
            letters[initial if initial.isalpha() else "#"].append((slug, info))
        return _render(env, "speakers.md.j2", "speakers/index.md", speakers_by_letter=sorted(letters.items()),
                       **_common(site))
    # a page's inputs: what it shows (the speakers' details are dicts: compared in C)
    pages = {"speakers/index.md": kept.page(
        "speakers/index.md",
        lambda: [(slug, info, len(site.by_speaker[slug])) for slug, info in site.speaker_info.items()], index)}
    for slug, statements in site.by_speaker.items():
        info = site.speaker_info[slug]
        pages[f"speakers/{slug}.md"] = kept.page(
            f"speakers/{slug}.md", lambda: (info, statements), lambda: speaker_page(site, env, slug))
    return pages


def _source_pages(site: Site, env: Environment, kept: PageCache) -> dict[str, str]:
    """The sources' index, newest month first, and each article's page."""
    def index() -> str:
        by_month: dict[str, list[Article]] = defaultdict(list)
        for article in sorted(site.articles.values(), key=lambda a: (a.published or dt.date.min, a.id), reverse=True):
            by_month[month_label(month_key(article.published)) if article.published else "Date unknown"].append(article)
        return _render(env, "sources.md.j2", "sources/index.md", sources_by_month=list(by_month.items()),
                       **_common(site))
    # the articles themselves as inputs: an unchanged one is the same object (content.load_sheet)
    pages = {"sources/index.md": kept.page(
        "sources/index.md", lambda: [(a, len(site.by_article.get(a.id) or ())) for a in site.articles.values()], index)}
    for article_id, article in site.articles.items():
        items = site.by_article.get(article_id, [])
        pages[f"sources/{article_id}.md"] = kept.page(
            f"sources/{article_id}.md", lambda: (article, items, site.problems.get(article_id, ())),
            lambda: source_page(site, env, article_id))
    return pages


def render_site(site: Site, env: Environment, cache: RenderCache | None = None, *,
                data: bool = False) -> dict[str, str]:
    """Every page of the fact sheet as Markdown, keyed by its path in the docs folder.

    ``cache`` (a :class:`generator.cache.RenderCache` the caller keeps between calls, as the MkDocs
    plugin does under ``mkdocs serve``) lets unchanged speaker, source and month pages be reused
    instead of rendered again.
    With ``data``, the data files and the pages' JSON-LD too (reused the same way).
    """
    pages: dict[str, str] = {}
    common = _common(site)
    kept = PageCache(cache, site, _template_folders(env))
    latest = site.statements[:HOME_STATEMENTS]
    pages["index.md"] = kept.page("index.md", lambda: (latest, site.overview),
                                  lambda: _render(env, "home.md.j2", "index.md", latest=latest, **common))
    pages.update(_timeline_pages(site, env, kept))
    pages.update(_speaker_pages(site, env, kept))
    pages.update(_source_pages(site, env, kept))
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


# --- data downloads --------------------------------------------------------------------------


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
    froze = collector.hold()
    try:
        return _render_all(sheet_articles, records, people, overview, title, templates, cache, problems,
                           options or SiteOptions(), list(events))
    finally:
        if froze:
            collector.release()


def _render_all(sheet_articles: dict[str, Article], records: list[Record], people: list[Person], overview: str,
                title: str, templates: Path | None, cache: RenderCache | None,
                problems: list[Problem], options: SiteOptions, events: list[Event]) -> dict[str, str]:
    if options.unreviewed == "hide":  # only what an editor vouches for is published
        records = [r for r in records if r.status == "reviewed"]
    merged = merge_statements(records, sheet_articles, people, cache.merged if cache is not None else None)
    if cache is not None:
        cache.merged = merged
    statements = list(merged.ordered)
    previous = cache.site if cache is not None else None
    site = reindexed(previous, statements, sheet_articles, people, overview, title) if previous is not None else None
    site = site or index_site(statements, sheet_articles, people, overview, title)
    site.options, site.events = options, events
    for problem in problems:
        article_id = Path(problem.path).stem
        if Path(problem.path).parent.name == "facts" and article_id in sheet_articles:
            site.problems[article_id] = site.problems.get(article_id, ()) + (str(problem),)
    out = render_site(site, _shared_environment(templates), cache, data=True)
    if cache is not None:
        cache.site = site  # what the next render's index starts from (reindexed)
    # A renamed or merged speaker's or source's old page: the plugin writes a redirect there.
    out.update({old + REDIRECTS: new for old, new in page_redirects(merged.slugs, people, sheet_articles).items()})
    for path in out:  # ids are validated on load; this is the last line of defence
        if not _SAFE_PATH.fullmatch(path) or path.split("/")[-1].split(".")[0].lower() in DEVICE_NAMES:
            raise FactsheetError(Problem(path, "refusing to write a page outside the site folder or with a "
                                               "reserved name", hint="ids are lowercase letters, digits and hyphens"))
    return out


__all__ = ["render_all", "build_statements", "index_site", "render_site", "month_pages", "speaker_page", "source_page",
           "data_files", "environment", "escape",
           "safe_url", "external_link", "page_slug"]
