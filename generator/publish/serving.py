"""What the plugin keeps between the rebuilds of ``mkdocs serve``: the last build's MkDocs state,
every page's search entries, and the garbage collector's schedule."""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from generator import collector

IDLE_COLLECTION_S = 1.0  # how long after a rebuild the deferred full collection runs


def _encode_entry(entry: dict) -> str:
    # As Material's search plugin encodes its whole index (json.dumps, these separators, default=str):
    # the entries' texts joined with "," are then the text of its "docs" list.
    return json.dumps(entry, separators=(",", ":"), default=str)


class SearchPieces:
    """Under ``mkdocs serve``: the search index as each page's entries in JSON text, by page url.

    Under ``serve --dirty`` MkDocs builds only the pages an edit changed, and Material's search
    plugin indexes only the pages built: the index the preview serves would lose every other
    page. The plugin keeps every page's entries here, takes the built pages' entries after each
    build and has the search plugin write the whole index from them (:meth:`attach`). As text,
    not entry dicts: at 10,000 articles the index is 25 MB, which as dicts took ~0.4 s of each
    edit to merge and encode again, and several times its size in memory.
    """

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        self.urls: list[str] = []

    def update(self, entries: list[dict], urls: list[str], built_urls: set[str]) -> None:
        """After a build of the pages ``urls`` (in build order), of which ``built_urls`` were
        built and indexed into ``entries``: their entries replace their previous ones."""
        pages: dict[str, list[dict]] = {}
        for entry in entries:
            pages.setdefault(str(entry.get("location", "")).split("#", 1)[0], []).append(entry)
        for url in built_urls | pages.keys():
            found = pages.get(url)
            if found:
                self.texts[url] = ",".join(map(_encode_entry, found))
            else:
                self.texts.pop(url, None)
        self.urls = list(urls)
        for url in self.texts.keys() - set(urls):  # pages gone from the site
            del self.texts[url]

    def docs(self) -> str:
        """The text of the index's ``docs`` list: every page's entries, in build order."""
        return "[" + ",".join(text for text in map(self.texts.get, self.urls) if text) + "]"

    def attach(self, index) -> None:
        """Make Material's ``index`` write its file with these entries (it holds none itself:
        its ``generate_search_index`` makes the text with an empty list, which this splices)."""
        index.entries = []
        generate = type(index).generate_search_index

        def generate_search_index(prev=None) -> str:  # noqa: ARG001 (the previous index: every page is here)
            text = generate(index, None)
            head, found, tail = text.rpartition('"docs":[]')
            if not found:  # another version of the plugin: whole entries, as it expects them
                index.entries = json.loads(self.docs())
                return generate(index, None)
            return head + '"docs":' + self.docs() + tail
        index.generate_search_index = generate_search_index


class Collections:
    """Under ``mkdocs serve``: the garbage collector kept off the long-lived state while a rebuild
    runs, and a full collection made once the rebuilt site is served.

    At 10,000 articles the server holds tens of millions of objects (the parsed content, the
    serve cache, MkDocs' pages); each full collection walks them all, 1-2 s here, and a rebuild
    triggered one or more, in the time the editor waits. What is alive when a rebuild starts is
    frozen (left out of collections); at its end it is thawed, and a full collection runs
    ``IDLE_COLLECTION_S`` later, while the editor reads, so that the previous build's cyclic
    garbage (MkDocs' pages and files point at each other) is still freed, and handed back to the
    system (:func:`generator.collector.collect`)."""

    def __init__(self, delay: float = IDLE_COLLECTION_S) -> None:
        self.delay = delay
        self.timer: threading.Timer | None = None
        self.frozen = False

    def hold(self) -> None:
        """At the start of a rebuild: cancel a pending collection, freeze what is alive."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if not self.frozen and collector.hold():
            self.frozen = True

    def release(self, now: bool = False) -> None:
        """At the end of a rebuild (or its failure): thaw, and collect once idle; ``now``: before
        returning (after the first build, whose garbage is the most: at 10,000 articles 560 MB
        handed back, which the server would otherwise hold while it serves the first pages)."""
        if not self.frozen:
            return
        collector.release()
        self.frozen = False
        if now:
            collector.collect()
            return
        self.timer = threading.Timer(self.delay, collector.collect)
        self.timer.daemon = True
        self.timer.start()


@dataclass
class Built:
    """What the last build under ``serve`` made, for rebuilding some of its pages."""

    config: object  # the MkDocsConfig of that build
    files: object  # its Files, after the plugins changed them
    nav: object  # its Navigation
    env: object = None  # the theme's Jinja environment, once MkDocs made it


def search_index(config):
    """The search index Material's search plugin (or MkDocs') fills as pages are built, if any."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(search, "search_index", None)
    return index if isinstance(getattr(index, "entries", None), list) else None
