"""The content folder as a whole: loading and checking all of it (this module), with one module
per other job: ``layout`` (where things live, the loaded ``Sheet``), ``people`` (the registry),
``events`` (the story events), ``parsecache`` (the opt-in cache of parsed files), ``quotes`` (a
record's words against its article), ``anchor`` (moving records after a correction), ``jobs``
(extraction) and ``add`` (a statement added by hand). Their public names are importable from here.

This is the library the CLI and the MkDocs plugin share; it imports nothing from MkDocs.

    content/
      index.md        the editor's overview of the story (optional)
      articles/       the source articles (.txt, .md, .html); never published
      facts/          one YAML fact file per article, written by `factsheet extract`
      people.yaml     the people registry (optional)
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from generator import ingest
from generator.content import events, parsecache
from generator.content.add import add_statement, find_article  # noqa: F401
from generator.content.jobs import SCHEMAS, ExtractResult, extract_content, extract_file, schema_ref  # noqa: F401
from generator.content.layout import Layout, Sheet  # noqa: F401
from generator.content.parsecache import (  # noqa: F401
    CACHE,
    CACHE_VERSION,
    PARSE_LIBRARIES,
    PARSE_MODULES,
    FileCache,
    cache_file,
    cache_folder,
    load_articles,
    save_cache,
)
from generator.content.people import canonical_speakers, parse_people, read_people  # noqa: F401
from generator.content.quotes import VERBATIM_KINDS, excerpt_in, quote_difference, quote_in_text  # noqa: F401
from generator.errors import FactsheetError, Problem
from generator.model import Article, Event, Person, Record
from generator.records import store

log = logging.getLogger("factsheet")


# --- people ----------------------------------------------------------------------------------


def read_events(layout: Layout, article_ids: set[str]) -> tuple[list[Event], list[Problem]]:
    """The story's events of a content folder, checked (nothing when there is no events.yaml)."""
    if not layout.events.is_file():
        return [], []
    label = layout.label(layout.events)
    problems: list[Problem] = []
    text = store.read_utf8(layout.events, label, problems)
    if text is None:
        return [], problems
    found, problems = events.parse_events(text, label)
    return found, problems + events.check_sources(found, article_ids, label)


# --- loading and checking --------------------------------------------------------------------


def load_sheet(root: Path) -> Sheet:
    """Load and check a whole content folder. Problems are collected, never raised.

    Files come from :data:`CACHE` (kept between runs once :func:`save_cache` is called), so only
    new or changed files are parsed.
    """
    layout = Layout(root)
    sheet = Sheet()
    if not root.is_dir():
        sheet.problems.append(Problem(str(root), "the content folder does not exist",
                                      hint="create it with an articles/ folder, or set the plugin's content option"))
        return sheet
    parsecache.CACHE.open(root)
    try:
        paths = parsecache.CACHE.listing(layout.articles, lambda: ingest.article_files(layout.articles, layout.label))
    except FactsheetError as exc:
        sheet.problems.extend(exc.problems)
        paths = []
    loaded, problems = load_articles(layout, paths)
    sheet.problems.extend(problems)
    sheet.articles = {a.id: a for a in loaded}
    named = set()
    for path in parsecache.CACHE.listing(layout.facts, lambda: store.fact_files(layout.facts)):
        ff, problems = parsecache.CACHE.get(path, lambda p: store.read_fact_file(p, layout.label(p)), layout.label(path))
        sheet.problems.extend(problems)
        named.add(path.stem)  # a broken fact file is reported as such, not as missing
        if ff is not None:
            sheet.fact_files.append(ff)
            named.add(ff.article)
    sheet.problems.extend(Problem(a.path, f"article '{a.id}' has no fact file: run `factsheet extract`",
                                  hint="without one its statements would be missing from the site, silently")
                          for a in sheet.articles.values() if a.id not in named)
    sheet.people, problems = read_people(layout)
    sheet.problems.extend(problems)
    sheet.events, problems = read_events(layout, set(sheet.articles))
    sheet.problems.extend(problems)
    if layout.overview.is_file():
        sheet.overview = store.read_utf8(layout.overview, layout.label(layout.overview), sheet.problems) or ""
    sheet.problems.extend(check_references(sheet))
    return sheet


# The span and quote checks of each fact file against its article, by the identity of both (they
# are immutable and come from parsecache.CACHE): `factsheet build` checks the content and then the plugin
# loads it again, and `mkdocs serve` loads it after every edit; only a changed file is checked again.
_CHECKED: dict[tuple[int, int], tuple[store.FactFile, Article | None, _Checked]] = {}


@dataclass(frozen=True)
class _Checked:
    """What one fact file's check found: its records' problems in order, the records naming
    others (same_as, not_same_as: checked again each time, their targets may change), its ids."""

    problems: tuple[Problem, ...]
    referring: tuple[Record, ...]
    ids: tuple[str, ...]


def _checked(ff: store.FactFile, article: Article | None) -> _Checked:
    per_fact = check_file(ff, article)
    return _Checked(tuple(p for found in per_fact for p in found),
                    tuple(f for f in ff.records if f.same_as or f.not_same_as), tuple(f.id for f in ff.records))


def check_references(sheet: Sheet) -> list[Problem]:
    """Cross-file checks: articles exist, spans fit, quotes still occur, same_as targets exist.

    Each file's own checks are kept by the identity of the file and its article (both immutable):
    at 10,000 articles a pass over the 84,000 records took 0.2 s of each edit under serve."""
    problems: list[Problem] = []
    current = {}
    for ff in sheet.fact_files:
        article = sheet.articles.get(ff.article)
        key = (id(ff), id(article))
        hit = _CHECKED.get(key)
        current[key] = hit if hit and hit[0] is ff and hit[1] is article else (ff, article, _checked(ff, article))
    given = _duplicate_ids(sheet.fact_files, [current[(id(ff), id(sheet.articles.get(ff.article)))][2]
                                              for ff in sheet.fact_files])
    ids: dict[str, Record] | None = None
    registry: dict[str, Person] | None = None
    for ff in sheet.fact_files:
        article = sheet.articles.get(ff.article)
        checked = current[(id(ff), id(article))][2]
        problems.extend(given.get(ff.path, ()))
        if article is None:
            problems.append(Problem(ff.path, f"no article with id '{ff.article}'", 1, field="article",
                                    hint="the article file was renamed or removed; restore it or delete this file"))
            continue
        problems.extend(checked.problems)
        for fact in checked.referring:  # most records name none (84,000 at 10,000 articles)
            ids = {f.id: f for f in sheet.records} if ids is None else ids
            problems.extend(_check_targets(ff.path, fact, ids))
            if fact.same_as:
                registry = canonical_speakers(sheet.people) if registry is None else registry
                problems.extend(_check_same_speaker(ff.path, fact, ids, registry))
    _CHECKED.clear()
    _CHECKED.update(current)
    return problems


def _duplicate_ids(fact_files: list[store.FactFile], checked: list[_Checked]) -> dict[str, list[Problem]]:
    """The problems of ids given in more than one fact file, by the file of the later record."""
    seen: dict[str, None] = {}
    for c in checked:
        seen.update(dict.fromkeys(c.ids))
    if len(seen) == sum(len(c.ids) for c in checked):
        return {}  # every id once: the usual case, found without a look at each record
    out: dict[str, list[Problem]] = {}
    first: dict[str, tuple[store.FactFile, Record]] = {}  # record id -> the record first given it, and its file
    for ff in fact_files:
        for fact in ff.records:
            given = first.setdefault(fact.id, (ff, fact))
            if given[1] is not fact and given[0].path != ff.path:
                out.setdefault(ff.path, []).append(Problem(
                    ff.path, f"id '{fact.id}' is also used by {given[0].path}:{given[1].line}", fact.line,
                    field="id", hint="give one of the records a new id: ids are permalinks"))
    return out


CHANGED_HINT = ("the article changed since `factsheet extract` last ran: run it to move the records' offsets, "
                "then fix what it reports")


def check_file(ff: store.FactFile, article: Article | None) -> list[list[Problem]]:
    """The problems of each record of ``ff`` with its article's text (none without an article)."""
    if article is None:
        return []
    changed = bool(ff.digest and article.digest and ff.digest != article.digest)
    return [_check_fact(ff.path, fact, article, changed) for fact in ff.records]


def _check_fact(path: str, fact: Record, article: Article, changed: bool = False) -> list[Problem]:
    """The record's problems with its article; ``changed``: the article is not the text the fact
    file was last extracted from (`factsheet extract` would move the editors' records)."""
    cit = fact.citation
    if cit.article != article.id:
        return [Problem(path, f"cites article '{cit.article}', but the file is for '{article.id}'", fact.line,
                        field="citation.article", hint="move the record to the fact file of its article")]
    moved = CHANGED_HINT if changed else None
    if cit.end > len(article.text):
        return [Problem(path, f"span {cit.start}..{cit.end} is past the end of the article "
                              f"({len(article.text)} characters)", fact.line, field="citation.end",
                        hint=moved or "correct the offsets to where the quote is, or set status: rejected")]
    exact = fact.kind in VERBATIM_KINDS
    span = article.text[cit.start:cit.end]
    if fact.status != "rejected" and not quote_in_text(fact.quote, span, exact):
        if "orphaned" in fact.flags:  # the machine's record of words a corrected article no longer has
            # An error, not a warning: a plain `mkdocs build` would publish words the source no longer says.
            moved = ("the extractor no longer finds this statement in the article: set status: rejected, "
                     "or correct the quote and offsets")
        return [Problem(path, f"quote {fact.id} does not match {article.path} at {cit.start}..{cit.end}: "
                              f"{quote_difference(fact.quote, span, exact)}",
                        fact.line, field="quote",
                        hint=moved or "a quote must be the source's exact words (mark omissions with ...): "
                                      "fix the quote or the offsets, or set status: rejected")]
    if fact.status != "rejected" and cit.excerpt and not excerpt_in(cit.excerpt, article.text):
        return [Problem(path, f"the excerpt of {fact.id} does not occur in {article.path}", fact.line,
                        field="citation.excerpt", hint=moved or "an excerpt is the source's words: copy it from "
                                                                "the article, or delete the line")]
    return []


def _check_same_speaker(path: str, record: Record, ids: dict[str, Record], registry: dict[str, Person]) -> list[Problem]:
    """A warning for each same_as target of another named speaker: the site would show both
    records as one statement of one speaker."""
    def who(r: Record) -> str | None:
        person = registry.get(r.speaker.casefold()) if r.speaker else None
        return person.name if person else r.speaker

    mine = who(record)
    out = []
    for other_id in record.same_as:
        other = ids.get(other_id)
        theirs = who(other) if other is not None else None
        if mine and theirs and mine.casefold() != theirs.casefold():
            out.append(Problem(path, f"{record.id} ({mine}) is made one statement with {other_id} ({theirs}): the site "
                                     "shows both under one speaker", record.line, field="same_as", severity="warning",
                               hint="correct the speaker of one of them, or remove the same_as"))
    return out


def _check_targets(path: str, fact: Record, ids: set[str]) -> list[Problem]:
    both = [other for other in fact.same_as if other in fact.not_same_as or other == fact.id]
    return [Problem(path, f"no statement with id '{other}'", fact.line, field="same_as",
                    hint="use the id of a record in content/facts/")
            for other in (*fact.same_as, *fact.not_same_as) if other not in ids] + \
        [Problem(path, f"'{other}' is named in both same_as and not_same_as" if other != fact.id
                 else "a record cannot be the same as itself", fact.line, field="same_as",
                 hint="keep it in one of the two lists") for other in both]


