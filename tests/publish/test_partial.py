"""`factsheet serve` rebuilds only the pages an edit of the content changed (the plugin's
``rebuild_changed``), and the site it leaves is byte for byte the site MkDocs' whole build makes."""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.publish import engine

engine.use_available()
from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from generator.publish.plugin import FactsheetPlugin  # noqa: E402

BIN = Path(sys.executable).parent
SERVE_URL = "http://127.0.0.1:8000/"
FACTS = "content/facts/buzzfeed-amazon-tiktok-ban.yaml"


def serve_build(project: Path, site: Path) -> FactsheetPlugin:
    """The first build of `factsheet serve` (dirty, preview address), in this process."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    config.site_url = SERVE_URL
    build(config, serve_url=SERVE_URL, dirty=True)
    plugin = FactsheetPlugin.serving
    assert plugin is not None and plugin.built is not None
    return plugin


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ or exist on one side only, between two site folders."""
    out = []
    for folder, _, names in os.walk(a):
        for name in names:
            left = Path(folder, name)
            right = b / left.relative_to(a)
            if not right.is_file() or not filecmp.cmp(left, right, shallow=False):
                out.append(str(left.relative_to(a)))
    out += [str(p.relative_to(b)) for p in b.rglob("*") if p.is_file() and not (a / p.relative_to(b)).exists()]
    return sorted(n for n in out if not n.endswith("sitemap.xml.gz"))  # gzip stamps the time


@pytest.fixture
def extracted(project):
    subprocess.run([BIN / "factsheet", "extract", "--nlp", "rules"], cwd=project, check=True, capture_output=True)
    return project


def edit(project: Path, old: str, new: str) -> Path:
    path = project / FACTS
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


@pytest.mark.parametrize("change", [
    ("speaker: Mike Pompeo", "note: Checked against the transcript.\n    speaker: Mike Pompeo"),  # one page's text
    ("status: extracted", "status: reviewed"),  # a record reviewed: its pages, the data files, the feed
    ("said_on: 2020-07-06", "said_on: 2020-07-07"),  # a date: the timeline and the speaker's page
])
def test_a_partial_rebuild_leaves_the_site_a_whole_build_makes(extracted, tmp_path, change, monkeypatch):
    from generator import publish
    from generator.content import FileCache, parsecache

    monkeypatch.setattr(parsecache, "CACHE", FileCache())  # the dev server's trusts the file events
    plugin = serve_build(extracted, tmp_path / "served")
    whole = []
    changed = publish.Changed()
    for old, new in (change, ("venue: BuzzFeed News", "venue: BuzzFeed News online")):  # the second: events trusted
        path = edit(extracted, old, new)
        changed.note(str(path), str(path.parent))  # inotify names the folder too when a file in it is replaced
        publish.rebuild(whole.append, changed)
        assert whole == [], "the edit needed MkDocs' whole build"
    assert plugin.built.config.site_dir == str(tmp_path / "served")
    # (MkDocs keeps the plugin instance for the next build in this process: the whole build last.)
    serve_build(extracted, tmp_path / "fresh")
    assert differences(tmp_path / "served", tmp_path / "fresh") == []


def test_the_partial_rebuild_writes_only_what_changed(extracted, tmp_path):
    plugin = serve_build(extracted, tmp_path / "served")
    site = tmp_path / "served"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    path = edit(extracted, "speaker: Mike Pompeo", "note: Checked against the transcript.\n    speaker: Mike Pompeo")
    assert plugin.rebuild_changed({str(path)})
    rewritten = sorted(str(p.relative_to(site)) for p, t in before.items() if p.stat().st_mtime_ns != t)
    assert "speakers/mike-pompeo/index.html" in rewritten
    assert "speakers/index.html" not in rewritten and len(rewritten) < len(before) / 3, rewritten


@pytest.mark.parametrize("what", ["template", "page set", "outside", "page written by hand", "nothing"])
def test_a_change_the_partial_rebuild_cannot_make_asks_for_the_whole_build(extracted, tmp_path, what):
    plugin = serve_build(extracted, tmp_path / "served")
    paths = {str(extracted / FACTS)}
    if what == "template":
        paths.add(str(extracted / "templates/speaker.md.j2"))
    elif what == "page set":  # a speaker renamed: a page comes and one goes
        edit(extracted, "speaker: Mike Pompeo", "speaker: Michael R. Pompeo")
    elif what == "outside":
        paths = {str(extracted / "mkdocs.yml")}
    elif what == "page written by hand":
        paths.add(str(extracted / "content/about.md"))
    else:
        paths = set()
    assert not plugin.rebuild_changed(paths)


def test_after_a_failed_build_the_next_rebuild_is_whole(extracted, tmp_path):
    plugin = serve_build(extracted, tmp_path / "served")
    plugin.on_build_error(error=RuntimeError("a theme error"))
    assert not plugin.rebuild_changed({str(extracted / FACTS)})


def test_the_collector_leaves_the_server_state_alone_during_a_rebuild_and_collects_after():
    import gc
    import weakref

    from generator.publish.serving import Collections

    class Node:
        pass

    collections = Collections(delay=0.05)
    node = Node()
    node.self = node  # a cycle: only the collector frees it
    gone = weakref.ref(node)
    collections.hold()  # the node is frozen with everything alive
    try:
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()
        assert gone() is not None, "a frozen object was collected during the rebuild"
    finally:
        collections.release()
    assert gc.get_freeze_count() == 0
    collections.timer.join(5)
    assert gone() is None, "the previous build's garbage was not collected after the rebuild"
    collections.hold()  # a rebuild starting before the collection cancels it
    collections.release()
    collections.hold()
    assert collections.timer is None
    collections.release()


def test_the_data_files_are_kept_as_each_statement_s_pieces_and_written_from_them(extracted, tmp_path):
    from generator.render.data import Chunks

    plugin = serve_build(extracted, tmp_path / "served")
    before = plugin.pages["facts.json"]
    assert isinstance(before, Chunks) and isinstance(plugin.pages["feed.xml"], Chunks)
    assert plugin.built.files.get_file_from_path("facts.json").content_bytes == (tmp_path / "served/facts.json").read_bytes()
    path = edit(extracted, "status: extracted", "status: reviewed")
    assert plugin.rebuild_changed({str(path)})
    after = plugin.pages["facts.json"]
    # The statements of the file not edited keep their rows (the same objects).
    rows = {id(piece) for piece in before if len(piece) > 10}
    assert after != before and any(id(piece) in rows for piece in after)
    serve_build(extracted, tmp_path / "fresh")
    assert differences(tmp_path / "served", tmp_path / "fresh") == []


def test_a_page_written_by_hand_in_the_way_leaves_the_whole_build_everything_to_compare(extracted, tmp_path):
    """The edit changes a page that a hand-written one replaces: the partial rebuild gives up, and
    MkDocs' build after it still writes every other file the edit changed (none is taken for kept)."""
    from conftest import write

    write(extracted / "content/speakers/mike-pompeo.md", "# Mike Pompeo\n\nWritten by hand.\n")
    plugin = serve_build(extracted, tmp_path / "served")
    path = edit(extracted, "speaker: Mike Pompeo", "note: Checked against the transcript.\n    speaker: Mike Pompeo")
    assert not plugin.rebuild_changed({str(path)})
    config = plugin.built.config
    build(config, serve_url=SERVE_URL, dirty=True)  # what the dev server runs then
    serve_build(extracted, tmp_path / "fresh")
    assert differences(tmp_path / "served", tmp_path / "fresh") == []


def test_a_data_file_is_written_from_its_first_changed_piece_unless_it_changed_on_disk(extracted, tmp_path, monkeypatch):
    import builtins

    from generator.publish import plugin as plugin_module

    opened = []

    def spy(file, mode="r", *args, **kwargs):
        opened.append((Path(file).name, mode))
        return builtins.open(file, mode, *args, **kwargs)

    plugin = serve_build(extracted, tmp_path / "served")
    monkeypatch.setattr(plugin_module, "open", spy, raising=False)
    path = edit(extracted, "status: extracted", "status: reviewed")
    assert plugin.rebuild_changed({str(path)})
    assert ("facts.json", "r+b") in opened  # the rows before the edited statement's stay on disk
    opened.clear()
    (tmp_path / "served/facts.json").write_bytes(b"changed behind the server's back")
    path = edit(extracted, "speaker: Mike Pompeo", "note: Checked against the transcript.\n    speaker: Mike Pompeo")
    assert plugin.rebuild_changed({str(path)})
    assert ("facts.json", "wb") in opened  # not as it was left: written whole
    serve_build(extracted, tmp_path / "fresh")
    assert differences(tmp_path / "served", tmp_path / "fresh") == []


def test_holding_the_collector_never_counts_the_frozen_objects(monkeypatch):
    # gc.get_freeze_count() walks every frozen object (0.08 s a call at 10,000 articles): once
    # held, holding again (render_all does, inside a serve rebuild) never asks gc
    import gc

    from generator import collector

    assert collector.hold()
    try:
        monkeypatch.setattr(gc, "get_freeze_count", lambda: pytest.fail("counted the frozen objects"))
        assert collector.held() and not collector.hold()  # already held: not held again
    finally:
        monkeypatch.undo()
        collector.release()
    assert not collector.held() and gc.get_freeze_count() == 0


def test_the_idle_collection_hands_the_freed_memory_back(monkeypatch):
    from generator import collector

    trimmed = []
    monkeypatch.setattr(collector, "_malloc_trim", lambda: trimmed.append)
    collector.collect()
    assert trimmed == [0]  # malloc_trim(0): all that can go back to the system


def test_after_the_first_build_the_garbage_is_collected_before_serving(monkeypatch):
    import weakref

    from generator import collector
    from generator.publish.serving import Collections

    class Node:
        pass

    trimmed = []
    monkeypatch.setattr(collector, "_malloc_trim", lambda: trimmed.append)
    collections = Collections(delay=60)
    node = Node()
    node.self = node
    gone = weakref.ref(node)
    collections.hold()
    del node
    collections.release(now=True)  # the first build's end: no timer, collected and trimmed here
    assert gone() is None and collections.timer is None and trimmed == [0]
