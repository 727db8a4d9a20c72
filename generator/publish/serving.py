"""What the plugin keeps between the rebuilds of ``mkdocs serve``: the last build's MkDocs state,
the search entries of pages a rebuild did not build, and the garbage collector's schedule."""
from __future__ import annotations

import gc
import threading
from dataclasses import dataclass

IDLE_COLLECTION_S = 1.0  # how long after a rebuild the deferred full collection runs


def merged_search_entries(built: list[dict], previous: list[dict], urls: list[str],
                          built_urls: set[str]) -> list[dict]:
    """The search entries a full build would write: for each page (``urls``, in build order) its
    entries of this build when it was built (``built_urls``), else those of the previous index."""
    def by_page(entries: list[dict]) -> dict[str, list[dict]]:
        pages: dict[str, list[dict]] = {}
        for entry in entries:
            pages.setdefault(str(entry.get("location", "")).split("#", 1)[0], []).append(entry)
        return pages
    now, before = by_page(built), by_page(previous)
    return [entry for url in urls for entry in (now if url in built_urls else before).get(url, [])]


class Collections:
    """Under ``mkdocs serve``: the garbage collector kept off the long-lived state while a rebuild
    runs, and a full collection made once the rebuilt site is served.

    At 10,000 articles the server holds tens of millions of objects (the parsed content, the
    serve cache, MkDocs' pages); each full collection walks them all, 1-2 s here, and a rebuild
    triggered one or more, in the time the editor waits. What is alive when a rebuild starts is
    frozen (left out of collections); at its end it is thawed, and a full collection runs
    ``IDLE_COLLECTION_S`` later, while the editor reads, so that the previous build's cyclic
    garbage (MkDocs' pages and files point at each other) is still freed."""

    def __init__(self, delay: float = IDLE_COLLECTION_S) -> None:
        self.delay = delay
        self.timer: threading.Timer | None = None
        self.frozen = False

    def hold(self) -> None:
        """At the start of a rebuild: cancel a pending collection, freeze what is alive."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if not self.frozen and gc.isenabled() and gc.get_freeze_count() == 0:
            gc.freeze()
            self.frozen = True

    def release(self) -> None:
        """At the end of a rebuild (or its failure): thaw, and collect once idle."""
        if not self.frozen:
            return
        gc.unfreeze()
        self.frozen = False
        self.timer = threading.Timer(self.delay, gc.collect)
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
