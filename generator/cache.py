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
* :class:`PageCache` reuses a page whose inputs are equal to the previous render's: the
  statements it shows (the same objects, when unchanged: comparing them is a pointer compare
  each) and what else it shows, with the template files (path, modification time, size), the
  site options, site-wide counts and the people registry compared once per render (the
  registry decides how a speaker is shown and typed: a person or an organisation).
* A render that fails leaves the cache as it was before it (pages are stored only by
  :meth:`PageCache.close`, at the end of a render that succeeded).

Besides, a few pure functions the renderer calls hundreds of thousands of times (escaping, dates,
links) remember their answers in :class:`Bounded` memos, which forget everything when full.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Generic, Hashable, TypeVar

from generator.model import Statement

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

    pages: dict[str, tuple[object, str]] = field(default_factory=dict)  # page path -> (its inputs, its text)
    base: str | None = None  # the site-wide part of every page's inputs, as the pages were made with
    merged: object | None = None  # the previous :class:`generator.merge.Merged`
    site: object | None = None  # the previous render's :class:`generator.render.site.Site` (its indexes)
    rows: dict[int, tuple[Statement, str, str]] = field(default_factory=dict)  # id(statement) -> its JSON and CSV rows
    options: object | None = None  # the site options the rows were made with (the permalinks depend on them)
    data: tuple | None = None  # the last data files: (their statements, the files, where each statement's rows are)
    feed: dict[int, tuple[Statement, object, object, tuple]] = field(default_factory=dict)  # id(statement) -> its feed entry
    feed_options: object | None = None  # the site options the feed entries were made with
    feed_state: tuple | None = None  # the last feed: (its statements, its pieces, each entry's piece, its updated)

    def __len__(self) -> int:
        return len(self.pages)


MAX_REPLACED = 64  # statements replaced in place beyond which making an index or a file again costs no more


def replaced_in_place(old: list[Statement], new: list[Statement]) -> list[int] | None:
    """The positions where ``new`` holds another statement than ``old``, when the two are as long
    and those are few (an edit in place: a note, a rating); else None. A pointer compare per
    statement: what lets the serve render patch its indexes and files instead of making them."""
    if len(old) != len(new):
        return None
    replaced = [i for i, (a, b) in enumerate(zip(old, new)) if a is not b]
    return replaced if len(replaced) <= MAX_REPLACED else None


class PageCache:
    """One render's view of the :class:`RenderCache`: pages of one statement set (a speaker, a
    source, a month) kept from the previous render, and the inputs that say whether they still hold.

    A page's inputs are the statements it shows (the list itself: an unchanged statement is the
    same object, so comparing two lists is a pointer compare per statement, in C) and what else
    it shows (a speaker's details, an article's metadata). At 10,000 articles, making a hashed
    key of every statement of every page again took 0.5 s of each edit.

    With no cache (a single render) every ``page`` call renders and nothing is kept.
    """

    def __init__(self, cache: RenderCache | None, site, template_folders: list[Path]) -> None:
        self.cache, self.fresh = cache, {}
        if cache is None:
            return
        files = sorted(f for folder in template_folders for f in folder.glob("*.j2"))
        base = repr((tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files),
                     site.title, len(site.statements), len(site.articles), len(site.by_speaker),
                     site.options, tuple(site.people)))  # the registry types speakers (a person, an organization)
        # compared once here, not for every page: another base makes every page again
        self.kept = cache.pages if cache.base == base else {}
        self.base = base

    def page(self, page: str, key: Callable[[], object], render: Callable[[], str]) -> str:
        """The page's text: the previous render's when its inputs (``key()``) are equal to the
        previous ones, else ``render()``. ``key`` is called only when there is a cache."""
        if self.cache is None:
            return render()
        inputs = key()
        hit = self.kept.get(page)
        text = hit[1] if hit is not None and hit[0] == inputs else render()
        self.fresh[page] = (inputs, text)
        return text

    def close(self) -> None:
        """Keep this render's pages (and only them) for the next render."""
        if self.cache is not None:
            self.cache.pages, self.cache.base = self.fresh, self.base
