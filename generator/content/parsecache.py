"""The parse cache: parsed articles and fact files kept between runs, an isolated, opt-in layer.

Kept by path, modification time and size in ``~/.cache/factsheet`` (``$XDG_CACHE_HOME``,
``$FACTSHEET_CACHE_DIR``; empty: off), outside the project on purpose: it is a pickle, read only
from a private folder of the user's. Its version covers the parsing modules, the lexicons and the
parsing libraries, so a cache made by other code is ignored.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import pickle
import sys
from pathlib import Path

from generator import ingest
from generator.cache import Bounded
from generator.content.layout import Layout
from generator.errors import Problem
from generator.model import Article

log = logging.getLogger("factsheet")


class FileCache:
    """Parsed files by absolute path, reused while their modification time and size are unchanged.

    One per process (:data:`CACHE`): `factsheet build` checks the content and then the MkDocs
    plugin publishes it, and `mkdocs serve` rebuilds after every edit; each file is parsed once.
    Between runs the entries of a content folder are kept on disk (:meth:`open`, :meth:`save`),
    so a build after a one-file edit parses that file only (YAML and Markdown parsing is most of
    the load time: ~2 s of ~2.2 s at 1,000 articles).
    """

    def __init__(self) -> None:
        self.entries: dict[str, tuple[int, int, str, object]] = {}
        self.seen: set[str] = set()  # entries asked for in this process: what a save keeps
        self.opened: set[str] = set()
        self.fresh: set[str] = set()  # entries parsed since the last save
        # Under `factsheet serve`, once it watches the files: the entries no file event named
        # since they were last checked, reused without a look at the file (see watch()).
        self.watched: set[str] | None = None
        self.folders: dict[str, tuple[int, int]] = {}  # the watched folders, as they were
        # Under watch too: each watched folder's files as last listed (their paths, and the list)
        self.listings: dict[str, tuple[set[str], list[Path]]] = {}

    def watch(self, folders: list[Path]) -> None:
        """From now on, an entry checked against its file stays valid until :meth:`changed` names
        the file: for a caller that gets every change from the system's file events (the dev
        server). At 10,000 articles looking at each of 20,000 files took ~0.3 s of each edit."""
        if self.watched is None:
            self.watched = set()
            for folder in folders:
                try:
                    stat = os.stat(folder)
                    self.folders[os.path.abspath(folder)] = (stat.st_dev, stat.st_ino)
                except OSError:
                    self.folders[os.path.abspath(folder)] = (-1, -1)

    def changed(self, paths: set[str]) -> None:
        """Files (and folders) that file events named: their entries are checked again. A folder
        other than a watched one that is still the same folder (files came or went in it: their
        own events name them) drops every entry under it (a folder moved in brings files no
        event named)."""
        if self.watched is None:
            return
        self._forget_listings(paths)
        for path in paths:
            key = os.path.abspath(path)
            self.watched.discard(key)
            if key in self.folders and self.folders[key] == _identity(key):
                continue
            if os.path.isdir(key) or key in self.folders or not os.path.exists(key):
                prefix = key.rstrip(os.sep) + os.sep
                self.watched = {k for k in self.watched if not k.startswith(prefix)}

    def listing(self, folder: Path, make) -> list[Path]:
        """``make()``, the files of ``folder``; under watch, the last listing again while no event
        named a file that came or went in it (listing 20,000 files as paths took ~0.2 s an edit)."""
        key = os.path.abspath(folder)
        hit = self.listings.get(key) if self.watched is not None else None
        if hit is not None:
            return hit[1]
        found = make()
        if self.watched is not None and key in self.folders:
            self.listings[key] = ({os.path.abspath(p) for p in found}, found)
        return found

    def _forget_listings(self, paths: set[str]) -> None:
        """Drop the listing of a folder that events say changed: the folder itself is another one
        (moved), or a file in it is new or gone. An edited file that was listed keeps it, and so
        do hidden files, which no listing holds (an editor's swap and backup files)."""
        for folder in list(self.listings):
            names = self.listings[folder][0]
            inside = folder.rstrip(os.sep) + os.sep
            for path in map(os.path.abspath, paths):
                if path == folder:
                    stale = self.folders.get(folder) != _identity(folder)
                elif path.startswith(inside):
                    stale = not any(part.startswith(".") for part in path[len(inside):].split(os.sep)) \
                        and (path not in names or not os.path.isfile(path))
                else:
                    continue
                if stale:
                    del self.listings[folder]
                    break

    def get(self, path: Path, parse, label: str = "") -> object:
        key = _absolute(path)
        self.seen.add(key)
        if self.watched is not None and key in self.watched:
            hit = self.entries.get(key)
            if hit is not None and hit[2] == label:
                return hit[3]
        stat = path.stat()
        hit = self.entries.get(key)
        # A file made unreadable keeps its time and size: it is read (and refused) again.
        if not (hit and hit[0] == stat.st_mtime_ns and hit[1] == stat.st_size and hit[2] == label
                and os.access(path, os.R_OK)):
            hit = self.entries[key] = (stat.st_mtime_ns, stat.st_size, label, parse(path))
            self.fresh.add(key)
        if self.watched is not None:
            self.watched.add(key)  # checked now: valid until an event names it
        return hit[3]

    def open(self, root: Path) -> None:
        """Take in the entries kept on disk for the content folder ``root`` (once per process)."""
        root_key = os.path.abspath(root)
        target = cache_file(root)
        if root_key in self.opened or target is None:
            return
        self.opened.add(root_key)
        try:
            with open(target, "rb") as handle:
                if not _own_private_file(os.fstat(handle.fileno())):
                    log.warning(f"ignoring the parse cache {target}: it is not a private file of this user")
                    return
                # Millions of objects come back at once: collections meanwhile would only slow it down.
                enabled = gc.isenabled()
                gc.disable()
                try:
                    header, entries = pickle.load(handle)
                finally:
                    if enabled:
                        gc.enable()
        except FileNotFoundError:
            return
        except Exception as exc:  # a cache from a killed run or another version: parse again
            log.debug("ignoring the parse cache %s: %s", target, exc)
            return
        if header != (CACHE_VERSION, root_key):
            return
        for key, entry in entries.items():
            self.entries.setdefault(key, entry)

    def save(self, root: Path) -> None:
        """Keep the entries of ``root`` used in this process on disk, if any was parsed anew."""
        root_key = os.path.abspath(root)
        prefix = root_key + os.sep
        target = cache_file(root)
        fresh = {k for k in self.fresh if k.startswith(prefix)}
        if target is None or not fresh:
            return
        kept = {k: v for k, v in self.entries.items() if k in self.seen and k.startswith(prefix)}
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with open(tmp, "wb") as handle:
                pickle.dump(((CACHE_VERSION, root_key), kept), handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)  # a reader sees the old cache or the new one, never half of one
            self.fresh -= fresh
        except OSError as exc:  # a read-only home or a full disk costs speed, never the build
            log.debug("could not write the parse cache %s: %s", target, exc)
            with contextlib.suppress(OSError):
                tmp.unlink()


_NORMALIZED = Bounded(os.path.normpath)


def _absolute(path: Path) -> str:
    """``os.path.abspath(path)``, remembered for absolute paths (which no working directory
    changes): 20,000 files a load, at 10,000 articles 0.09 s of each edit under serve."""
    text = os.fspath(path)
    return _NORMALIZED[text] if os.path.isabs(text) else os.path.abspath(text)


def _identity(path: str) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (-1, -1)
    return stat.st_dev, stat.st_ino


def _own_private_file(stat: os.stat_result) -> bool:
    """True for a file of this user that nobody else may write: only such a pickle is read."""
    if not hasattr(os, "getuid"):  # Windows: the user's profile folder is private already
        return True
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


def cache_folder() -> Path | None:
    """Where parsed files are kept between runs, or None when the on-disk cache is off.

    ``$FACTSHEET_CACHE_DIR`` (empty: off), else ``$XDG_CACHE_HOME/factsheet`` or
    ``~/.cache/factsheet``. Never inside the project: the cache is a pickle, which must only ever
    be read from a folder of the user's own, never from a cloned repository; and a file written
    into the docs folder during a build would make `mkdocs serve` rebuild endlessly.
    """
    folder = os.environ.get("FACTSHEET_CACHE_DIR")
    if folder is not None:
        return Path(folder) if folder.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "factsheet"


def cache_file(root: Path) -> Path | None:
    """The cache of one content folder: named by a digest of its absolute path."""
    folder = cache_folder()
    if folder is None:
        return None
    name = hashlib.sha1(os.path.abspath(root).encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return folder / f"parsed-{name}.pickle"


# What a cached value depends on: the modules that parse articles and fact files (with everything
# they import from this package; tests/content/test_parsecache.py checks the list against their imports), the
# tables they read, and the libraries that parse. Other modules (render, the plugin) may change
# without making every file be parsed again.
# The packages and modules whose code parses content files (a test checks it against their imports).
PARSE_MODULES = ("ingest", "records", "model.py", "errors.py", "wording.py")


PARSE_LIBRARIES = ("PyYAML", "python-frontmatter", "markdown-it-py", "trafilatura", "lxml", "charset-normalizer")


def code_version() -> str:
    """A fingerprint of the code, tables and libraries that parse files: a cache made by others is ignored."""
    from importlib import metadata

    package = Path(__file__).parent.parent
    digest = hashlib.sha1(sys.version.encode())
    files = [f for name in PARSE_MODULES for f in ([package / name] if name.endswith(".py")
                                                    else sorted((package / name).glob("*.py")))]
    for path in [*files, *sorted((package / "lexicons").glob("*.yaml"))]:
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in PARSE_LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing".encode())
    return digest.hexdigest()[:16]


CACHE_VERSION = code_version()


CACHE = FileCache()


def save_cache(root: Path) -> None:
    """Keep what this process parsed of the content folder ``root`` for the next run."""
    CACHE.save(root)


def load_articles(layout: Layout, paths: list[Path]) -> tuple[list[Article], list[Problem]]:
    """Like :func:`ingest.load_articles` for the given files, through :data:`CACHE`."""
    return ingest.load_each(paths, layout.label,
                            lambda path, label: CACHE.get(path, lambda p: ingest.load_article(p, label), label))
