"""Building the site with MkDocs, so that a build never leaves a half-written ``site/``.

The core (load, check, render) knows nothing of MkDocs; this module and the plugin do. The site is
built into a staging folder beside the target and swapped in only when the build succeeded.
"""
from __future__ import annotations

import functools
import logging
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from generator.errors import FactsheetError, Problem
from generator.records.store import current_umask


def serve_site(config_file: Path, dev_addr: str | None = None, *, dirty: bool = True) -> None:
    """``mkdocs serve`` (``--dirty`` unless ``dirty`` is false) until interrupted."""
    from generator.publish import engine

    engine.use_available()
    from mkdocs.commands import serve as mkserve
    from mkdocs.exceptions import Abort, ConfigurationError

    options = {"dev_addr": dev_addr} if dev_addr else {}
    mkserve.LiveReloadServer = native_watch(mkserve.LiveReloadServer)
    if dirty:
        # MkDocs warns that a dirty build may leave stale menus in pages it did not rebuild; the
        # fact sheet's menu holds only its fixed sections, so the warning would only mislead.
        logging.getLogger("mkdocs.commands.build").addFilter(
            lambda record: not record.getMessage().startswith("A 'dirty' build is being performed"))
    try:
        mkserve.serve(str(config_file), build_type="dirty" if dirty else None, **options)
    except (Abort, ConfigurationError, OSError) as exc:
        raise FactsheetError(Problem(str(config_file), f"could not serve the site: {exc}")) from None


def native_watch(server_class: type) -> type:
    """MkDocs' dev server class, watching with the operating system's file events (inotify on
    Linux, FSEvents, ReadDirectoryChangesW: watchdog's ``Observer``) instead of its polling
    observer, and rebuilding only the changed pages when the changes allow it.

    The poller walks and stats every watched file each 0.5 s: 20,000 content files at 10,000
    articles take ~0.8 s a walk on a loaded machine, which the editor waits for after each save,
    and which competes with the rebuild for the interpreter meanwhile. Where watchdog has no
    native observer, its ``Observer`` is the poller again.

    The server notes the paths each change names; a rebuild first offers them to the factsheet
    plugin (:meth:`~generator.publish.plugin.FactsheetPlugin.rebuild_changed`), which rebuilds
    the pages an edit of the content changed, and runs MkDocs' build otherwise (anything else
    changed, pages added or removed, a template).
    """
    if getattr(server_class, "native_watch", False):
        return server_class
    import watchdog.events as ev
    import watchdog.observers

    # What the poller reports; not a file opened, or closed unwritten (inotify tells those too):
    # each rebuild reads the edited fact file, which would ask for another rebuild.
    changes = [ev.FileCreatedEvent, ev.FileModifiedEvent, ev.FileDeletedEvent, ev.FileMovedEvent,
               ev.DirCreatedEvent, ev.DirModifiedEvent, ev.DirDeletedEvent, ev.DirMovedEvent]

    class ChangesObserver(watchdog.observers.Observer):
        def __init__(self, changed: Changed) -> None:
            super().__init__()
            self.changed = changed

        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
            handler = NotingHandler(event_handler, self.changed)
            return super().schedule(handler, path, recursive=recursive, event_filter=event_filter or changes,
                                    follow_symlink=follow_symlink)

    class NativeWatchServer(server_class):
        native_watch = True

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.changed = Changed()
            self.observer = ChangesObserver(self.changed)  # before any watch() schedules a path
            self.builder = functools.partial(rebuild, self.builder, self.changed)

    return NativeWatchServer


class Changed:
    """The paths that file events named since the last rebuild took them (events come on the
    observer's thread, rebuilds run on the server's)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.paths: set[str] = set()

    def note(self, *paths: str) -> None:
        with self.lock:
            self.paths.update(os.path.abspath(p) for p in paths if p)

    def take(self) -> set[str]:
        with self.lock:
            paths, self.paths = self.paths, set()
        return paths


class NotingHandler:
    """A watchdog event handler that notes each event's paths, then hands the event on."""

    def __init__(self, handler, changed: Changed) -> None:
        self.handler, self.changed = handler, changed

    def dispatch(self, event) -> None:
        self.changed.note(os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or ""))
        self.handler.dispatch(event)


def rebuild(full, changed: Changed, config=None) -> None:
    """One rebuild of the dev server: the plugin's rebuild of the changed pages when it can make
    one (see :func:`native_watch`), else ``full``, MkDocs' build (always the first build)."""
    from generator.publish.plugin import FactsheetPlugin

    paths = changed.take()
    plugin = FactsheetPlugin.serving
    if plugin is not None:
        plugin.note_changes(paths)
    if config is None and plugin is not None and plugin.rebuild_changed(paths):
        return
    full(config)


def build_site(config_file: Path, site_dir: Path | None = None, *, verbose: bool = False) -> Path:
    """Run a strict ``mkdocs build`` in this process and swap the result into place.

    Raises :class:`FactsheetError` for a bad configuration, a build MkDocs aborts (warnings under
    ``--strict``), or a disk or permission error; the previous site is then left as it was.
    """
    from generator.publish import engine

    engine.use_available()
    from mkdocs import config as mkconfig
    from mkdocs.commands import build as mkbuild
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        cfg = mkconfig.load_config(str(config_file), strict=True, **({"site_dir": str(site_dir)} if site_dir else {}))
    except (ConfigurationError, OSError) as exc:
        raise FactsheetError(Problem(str(config_file), str(exc))) from None
    final = Path(cfg.site_dir)
    staging = _staging_folder(final)
    cfg.site_dir = str(staging)
    try:
        cfg.plugins.on_startup(command="build", dirty=False)
        mkbuild.build(cfg)
    except (Abort, ConfigurationError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise FactsheetError(Problem(str(config_file), f"the site was not built: {exc}")) from None
    except OSError as exc:  # disk full, permissions: one line, and the previous site stays
        shutil.rmtree(staging, ignore_errors=True)
        if verbose:
            raise
        raise FactsheetError(Problem(str(exc.filename or final), f"cannot build the site: {exc.strerror or exc}",
                                     hint="check the free space and permissions; the previous site is unchanged")) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        cfg.plugins.on_shutdown()
    _swap_in(staging, final)
    return final


def _staging_folder(final: Path) -> Path:
    final.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(final.parent)
    # The builder's process id in the name: a folder whose builder is gone was left by a kill.
    staging = Path(tempfile.mkdtemp(prefix=f".site-{os.getpid()}-", dir=final.parent))
    staging.chmod(0o777 & ~current_umask())  # mkdtemp's 0700 would hide the site from the web server's user
    return staging


def _remove_abandoned(folder: Path) -> None:
    """Remove the staging folders of builds that were killed (each a copy of the site)."""
    for entry in folder.glob(".site-*-*"):
        pid = entry.name.split("-")[1]
        if not (entry.is_dir() and pid.isdigit()) or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # its builder still runs: a build in progress
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except PermissionError:  # someone else's running process
            continue


def _swap_in(staging: Path, final: Path) -> None:
    """Replace ``final`` by ``staging``: atomically where the system can, else in two renames."""
    if final.is_dir() and _exchange(staging, final):  # one atomic step: never a moment without a site
        shutil.rmtree(staging, ignore_errors=True)  # it holds the old site now
        return
    old = final.with_name(f".{final.name}-old")
    if final.exists():
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
