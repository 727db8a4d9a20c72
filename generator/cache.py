"""The serve cache: what one render keeps for the next, in one place and opt-in.

``factsheet build`` and ``factsheet render`` render once and keep nothing. ``mkdocs serve``
renders again after every edit, and an edit to one record should cost the pages it touches, not
the whole sheet (at 1,000 articles a one-record edit renders in ~0.1 s instead of ~1.1 s). The
MkDocs plugin therefore keeps one :class:`RenderCache` for the whole ``serve`` session and hands
it to :func:`generator.render.render_all`; nothing else holds render state between calls.

Why reuse is safe (the contract between content, merge and render):

* Records, articles and people are frozen dataclasses. :mod:`generator.content` gives the *same
  object* for a file that did not change and a new object for one that did, so "the same object"
  means "the same content".
* :mod:`generator.merge` reuses a merged statement whose records and articles are the same objects
  as in the previous merge (:attr:`RenderCache.merged`), and statements are frozen too.
* :class:`PageCache` reuses a page whose key is unchanged. The key holds the template files (path,
  modification time, size), the site options and site-wide counts, and a key per statement made
  of the statement's fields, its records and its articles' metadata. The people registry is part of
  every key: it decides how a speaker is shown and typed (a person or an organisation). Keys by ``id()`` are kept
  only together with the objects themselves (``alive``), so an id never names another object.
* A render that fails leaves the cache as it was before it (pages are stored only by
  :meth:`PageCache.close`, at the end of a render that succeeded).

Besides, a few pure functions the renderer calls hundreds of thousands of times (escaping, dates,
links) remember their answers in :class:`Bounded` memos, which forget everything when full.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Callable, Generic, Hashable, TypeVar

from generator.model import Article, Record, Statement

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

LIMIT = 200_000  # entries a module-level memo holds before it starts again


class Bounded(dict, Generic[K, V]):
    """A pure function of one hashable argument, remembered: ``memo[key]`` (or ``memo(key)``)
    is ``function(key)``, computed once. When ``limit`` answers are held it forgets them all,
    which keeps a long ``serve`` session's memory flat at the cost of a few recomputations.

    A dict subclass because a hit is then a plain dict look-up, the cheapest call Python has:
    these memos sit on paths that run once per printed value.
    """

    def __init__(self, function: Callable[[K], V], limit: int = LIMIT) -> None:
        super().__init__()
        self.function, self.limit = function, limit

    def __missing__(self, key: K) -> V:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.function(key)
        return value

    __call__ = dict.__getitem__


@dataclass
class RenderCache:
    """Everything a render keeps for the next one (the plugin keeps one per ``serve`` session)."""

    pages: dict[object, str] = field(default_factory=dict)  # page key -> Markdown or data text
    merged: object | None = None  # the previous :class:`generator.merge.Merged`
    keys: dict[int, int] = field(default_factory=dict)  # id(statement) -> its key, for the statements in ``alive``
    alive: tuple[Statement, ...] = ()
    rows: dict[int, tuple[Statement, str, str]] = field(default_factory=dict)  # id(statement) -> its JSON and CSV rows
    options: object | None = None  # the site options the rows were made with (the permalinks depend on them)
    feed: dict[int, tuple[Statement, object, object]] = field(default_factory=dict)  # id(statement) -> its feed entry
    feed_options: object | None = None  # the site options the feed entries were made with
    articles: dict[str, tuple[Article, tuple]] = field(default_factory=dict)  # article id -> (article, its key)

    def __len__(self) -> int:
        return len(self.pages)


STATEMENT_FIELDS = tuple(f.name for f in fields(Statement) if f.name != "sources")
ARTICLE_FIELDS = tuple(f.name for f in fields(Article) if f.name != "paragraphs")  # the text decides them


class PageCache:
    """One render's view of the :class:`RenderCache`: pages of one statement set (a speaker, a
    source, a month) kept from the previous render, and the keys that say whether they still hold.

    With no cache (a single render) every ``page`` call renders and nothing is kept.
    """

    def __init__(self, cache: RenderCache | None, site, template_folders: list[Path]) -> None:
        self.cache, self.fresh = cache, {}
        if cache is None:
            return
        files = sorted(f for folder in template_folders for f in folder.glob("*.j2"))
        # As text, whose hash Python keeps: every page's key holds it.
        self.base = repr((tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files),
                          site.title, len(site.statements), len(site.articles), len(site.by_speaker),
                          site.options, tuple(site.people)))  # the registry types speakers (a person, an organization)
        self.articles: dict[str, tuple[Article, tuple]] = {}  # this render's (cache.articles: the previous one's)
        self.lists: dict[object, tuple[object, ...]] = {}
        # A statement's key is a function of the (frozen) statement: kept across renders.
        old, keys = cache.keys, {}
        for statement in site.statements:
            key = old.get(id(statement))
            keys[id(statement)] = key if key is not None else self._statement_key(statement)
        self.keys, self.others = keys, {}
        cache.keys, cache.alive = keys, tuple(site.statements)

    @property
    def keyed(self) -> bool:
        """Whether pages are kept (there is a cache); when not, callers need no keys."""
        return self.cache is not None

    def article(self, article: Article | None) -> object:
        """An article's part of a page key: its metadata (its text decides its records), made
        again only for an article that is another object than in the previous render."""
        if article is None:
            return None
        hit = self.articles.get(article.id)
        if hit is None or hit[0] is not article:
            old = self.cache.articles.get(article.id)
            key = old[1] if old is not None and old[0] is article else tuple(getattr(article, f) for f in ARTICLE_FIELDS)
            hit = self.articles[article.id] = (article, key)
        return hit[1]

    def _statement_key(self, statement: Statement) -> int:
        values = [getattr(statement, f) for f in STATEMENT_FIELDS]
        values.append(tuple((s.record, self.article(s.article)) for s in statement.sources))
        return hash(tuple(values))

    def statement(self, statement: Statement) -> int:
        """A statement's key."""
        key = self.keys.get(id(statement))
        if key is None:  # not one of the site's statements (a caller's own Site): for this render only
            hit = self.others.get(id(statement))
            if hit is None:
                hit = self.others[id(statement)] = (statement, self._statement_key(statement))
            key = hit[1]
        return key

    def statements(self, name: object, statements: list[Statement]) -> tuple[int, ...]:
        """The keys of a page's statements (asked for again by the page's JSON-LD)."""
        key = self.lists.get(name)
        if key is None:
            keys = self.keys
            try:
                key = tuple([keys[id(s)] for s in statements])
            except KeyError:
                key = tuple([self.statement(s) for s in statements])
            self.lists[name] = key
        return key

    def items(self, name: object, items: list[tuple[Statement, Record]]) -> tuple[object, ...]:
        """The keys of a source page's statements, each with which of its records the page shows."""
        key = self.lists.get(name)
        if key is None:
            keys, out = self.keys, []
            for statement, record in items:
                statement_key = keys.get(id(statement))
                if statement_key is not None and statement.sources[0].record is record:
                    out.append((statement_key, 0))
                else:
                    out.append(self._item(statement, record))
            key = self.lists[name] = tuple(out)
        return key

    def _item(self, statement: Statement, record: Record) -> tuple[int, object]:
        for i, source in enumerate(statement.sources):
            if source.record is record:  # the statement's key holds its records, in order
                return self.statement(statement), i
        return self.statement(statement), record

    def page(self, page: str, key: Callable[[], object], render: Callable[[], str]) -> str:
        """The page's text: the previous render's when its key is unchanged, else ``render()``.
        ``key`` is called only when there is a cache."""
        if self.cache is None:
            return render()
        full = (self.base, page, key())
        text = self.cache.pages.get(full)
        if text is None:
            text = render()
        self.fresh[full] = text
        return text

    def close(self) -> None:
        """Keep this render's pages (and only them) for the next render."""
        if self.cache is not None:
            self.cache.pages, self.cache.articles = self.fresh, self.articles
