"""The parse cache kept between runs: a second run parses only the files that changed, gets the
same sheet as a run without the cache, and survives a missing, broken or foreign cache file."""
from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from generator import content, ingest
from generator.content import parsecache, quotes
from generator.records import store

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402


@pytest.fixture
def archive(tmp_path: Path, monkeypatch) -> Path:
    """Six generated articles with their fact files, and a cache folder of their own."""
    monkeypatch.setenv("FACTSHEET_CACHE_DIR", str(tmp_path / "cache"))
    root = corpus.write_project(tmp_path / "project", 6, seed=5) / "content"
    content.extract_content(root, jobs=1, mode="rules")
    return root


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """Names of the files parsed from here on, by a fresh process-wide cache (a new run)."""
    names: list[str] = []
    article, facts = ingest.load_article, store.read_fact_file
    monkeypatch.setattr(ingest, "load_article", lambda p, *a, **k: names.append(p.name) or article(p, *a, **k))
    monkeypatch.setattr(store, "read_fact_file", lambda p, *a, **k: names.append(p.name) or facts(p, *a, **k))
    monkeypatch.setattr(parsecache, "CACHE", content.FileCache())
    return names


def new_run(monkeypatch) -> None:
    monkeypatch.setattr(parsecache, "CACHE", content.FileCache())


def summary(sheet: content.Sheet) -> tuple:
    return (sorted(sheet.articles.items()), sheet.fact_files, sheet.people, [str(p) for p in sheet.problems])


def test_a_second_run_parses_nothing_and_loads_the_same_sheet(archive, parsed, monkeypatch):
    first = content.load_sheet(archive)
    content.save_cache(archive)
    assert len(parsed) == 12  # six articles, six fact files
    assert content.cache_file(archive).is_file()

    new_run(monkeypatch)
    parsed.clear()
    second = content.load_sheet(archive)
    assert parsed == []
    assert summary(second) == summary(first)


def test_only_the_changed_file_is_parsed_again(archive, parsed, monkeypatch):
    content.load_sheet(archive)
    content.save_cache(archive)
    fact_file = sorted((archive / "facts").glob("*.yaml"))[1]
    fact_file.write_text(fact_file.read_text("utf-8").replace("  - id: ", "  - note: checked\n    id: ", 1), "utf-8")

    new_run(monkeypatch)
    parsed.clear()
    sheet = content.load_sheet(archive)
    assert parsed == [fact_file.name]
    assert "checked" in [f.note for f in sheet.records]
    fresh = content.FileCache()
    monkeypatch.setattr(parsecache, "CACHE", fresh)
    monkeypatch.setenv("FACTSHEET_CACHE_DIR", "")
    assert summary(content.load_sheet(archive)) == summary(sheet)  # the same as with no cache at all


def test_a_file_edited_to_the_same_size_is_parsed_again(archive, parsed, monkeypatch):
    content.load_sheet(archive)
    content.save_cache(archive)
    article = sorted((archive / "articles").glob("*.md"))[0]
    text = article.read_text("utf-8")
    stat = article.stat()
    article.write_text(text.replace("said", "sad", 1).replace("\n", " \n", 1), "utf-8")  # same length
    os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert article.stat().st_size == stat.st_size

    new_run(monkeypatch)
    parsed.clear()
    content.load_sheet(archive)
    assert parsed == [article.name]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other version", "other folder", "empty"])
def test_a_broken_or_foreign_cache_is_ignored(archive, parsed, monkeypatch, damage):
    expected = summary(content.load_sheet(archive))
    content.save_cache(archive)
    path = content.cache_file(archive)
    data = path.read_bytes()
    header, entries = pickle.loads(data)
    path.write_bytes({
        "truncated": data[: len(data) // 2],
        "garbage": b"\x80\x05not a pickle at all",
        "other version": pickle.dumps((("old", header[1]), entries)),
        "other folder": pickle.dumps(((header[0], "/elsewhere"), entries)),
        "empty": b"",
    }[damage])

    new_run(monkeypatch)
    parsed.clear()
    assert summary(content.load_sheet(archive)) == expected
    assert len(parsed) == 12


def test_an_empty_setting_turns_the_cache_off(archive, parsed, monkeypatch, tmp_path):
    monkeypatch.setenv("FACTSHEET_CACHE_DIR", "")
    content.load_sheet(archive)
    content.save_cache(archive)
    assert content.cache_file(archive) is None
    assert not (tmp_path / "cache").exists()


def test_an_unwritable_cache_folder_costs_speed_not_the_build(archive, parsed, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("FACTSHEET_CACHE_DIR", str(blocker / "cache"))
    sheet = content.load_sheet(archive)
    content.save_cache(archive)  # no exception
    assert len(sheet.articles) == 6 and not sheet.errors


def test_the_cache_lives_outside_the_project(tmp_path, monkeypatch):
    monkeypatch.delenv("FACTSHEET_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert content.cache_folder() == tmp_path / "xdg" / "factsheet"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert content.cache_folder() == tmp_path / "home" / ".cache" / "factsheet"


def test_factsheet_check_keeps_the_cache_for_the_next_run(archive, tmp_path):
    """Two real runs of the command: the second reads the cache the first wrote."""
    env = {**os.environ, "FACTSHEET_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "generator.cli", "check", "--content", str(archive)]
    first = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    assert first.returncode == 0, first.stderr
    cached = content.cache_file(archive)
    assert cached.is_file()
    before = cached.stat().st_mtime_ns
    second = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    assert second.stdout == first.stdout and second.returncode == 0
    assert cached.stat().st_mtime_ns == before  # nothing new parsed: nothing written


def test_a_cache_file_others_could_write_is_never_read(archive, parsed, monkeypatch, caplog):
    content.load_sheet(archive)
    content.save_cache(archive)
    path = content.cache_file(archive)
    path.chmod(0o666)  # e.g. a cache folder set to a shared /tmp: someone else could plant a pickle
    new_run(monkeypatch)
    parsed.clear()
    content.load_sheet(archive)
    assert len(parsed) == 12
    assert "not a private file" in caplog.text


def test_the_cache_version_covers_every_module_the_parsers_import():
    """A change to any module that parses (or that they import from the package) invalidates the cache."""
    import ast

    package = ROOT / "generator"

    def where(module: str) -> str:
        """generator.records.store -> records (a package the version covers), generator.model -> model.py"""
        parts = module.split(".")[1:]
        return parts[0] if (package / parts[0]).is_dir() else f"{parts[0]}.py"

    def files(unit: str) -> list[Path]:
        return [package / unit] if unit.endswith(".py") else sorted((package / unit).glob("*.py"))
    todo, seen = ["ingest", "records"], set()
    while todo:
        unit = todo.pop()
        if unit in seen:
            continue
        seen.add(unit)
        for path in files(unit):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                assert not (isinstance(node, ast.ImportFrom) and node.level), f"{path}: a relative import"
                if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator."):
                    todo.append(where(node.module))
                elif isinstance(node, ast.ImportFrom) and node.module == "generator":
                    todo += [where(f"generator.{a.name}") for a in node.names]
    assert seen <= set(parsecache.PARSE_MODULES)


def test_a_change_to_the_renderer_keeps_the_cache(monkeypatch, tmp_path):
    """Editing render.py or the plugin must not make a 10,000-article build parse everything again."""
    package = tmp_path / "generator"
    shutil.copytree(ROOT / "generator", package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(parsecache, "__file__", str(package / "content" / "parsecache.py"))
    before = parsecache.code_version()
    (package / "render" / "__init__.py").write_text("# changed\n", "utf-8")
    (package / "publish" / "plugin.py").write_text("# changed\n", "utf-8")
    assert parsecache.code_version() == before
    yamlio = package / "records" / "yamlio.py"
    yamlio.write_text(yamlio.read_text("utf-8") + "\n# changed\n", "utf-8")
    assert parsecache.code_version() != before


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st


def _by_pattern(quote: str, text: str, verbatim: bool = False) -> bool:
    """quote_in_text without its fast path: the reference."""
    return quotes.slow_match(quote, text, verbatim)


@pytest.mark.parametrize("quote, text, found", [
    ("the ban", "Amazon said the ban was an error", True), ("he ban", "the ban", False),
    ("ban wa", "the ban was", False), ("", "anything", False), ("...", "so ... what", False),
    ("so ... what", "so ... what", True), ("STRASSE", "die straße", True), ("A, B", "A, she said, B", False),
    ("A, B", "A,\" she said, \"B", True), ("_x", "a_x", False), ("x_", "x_y", False), ("é", "café", False),
    ("ß", "Fuß", False), ("2", "12", False), ("“Yes”", "“Yes”, he said", True), ("“Yes”", "Yes, he said", True),
    ("morning's email", "This morning’s  email", True),
])
def test_quote_in_text(quote, text, found):
    assert content.quote_in_text(quote, text) is found
    assert _by_pattern(quote, text) is found


_TEXT = st.text(alphabet=st.sampled_from(list("ab _-.ßSsÉé1“”\u0301\u00a0İi")), max_size=12)


@settings(max_examples=500, deadline=None)
@given(_TEXT, _TEXT, _TEXT, st.booleans())
def test_quote_in_text_fast_path_never_changes_the_answer(before, quote, after, verbatim):
    for text in (before + quote + after, before + after, quote):
        assert content.quote_in_text(quote, text, verbatim) == _by_pattern(quote, text, verbatim)


def test_content_files_are_listed_as_pathlib_would(tmp_path):
    """The os.walk listing keeps pathlib's order (by path parts) and skips hidden files and folders."""
    for name in ["a/b.md", "a-b.md", "a.md", "A.txt", ".h/x.md", "z/.y.md", "z/y/x.txt", "b b.md", "é.md",
                 "a/b/c.md", "a0.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "folder.md").mkdir()
    os.symlink(tmp_path / "a.md", tmp_path / "link.md")
    os.symlink(tmp_path / "nowhere", tmp_path / "broken.md")
    reference = sorted(p for p in tmp_path.rglob("*") if p.is_file()
                       and not any(part.startswith(".") for part in p.relative_to(tmp_path).parts))
    assert ingest.article_files(tmp_path) == reference
    assert [p.relative_to(tmp_path).as_posix() for p in reference][:4] == ["A.txt", "a/b/c.md", "a/b.md", "a-b.md"]
    (tmp_path / "x.yaml").write_text("x")
    (tmp_path / ".x.yaml").write_text("x")
    assert store.fact_files(tmp_path) == [tmp_path / "x.yaml"]


def _edit(path: Path) -> None:
    path.write_text(path.read_text("utf-8").replace("  - id: ", "  - note: checked\n    id: ", 1), "utf-8")


def test_watched_files_are_read_again_only_when_an_event_names_them(archive, parsed, monkeypatch):
    cache = parsecache.CACHE
    layout = content.Layout(archive)
    content.load_sheet(archive)
    cache.watch([layout.articles, layout.facts])
    content.load_sheet(archive)  # each file checked once more, from now on trusted
    fact_file = sorted(layout.facts.glob("*.yaml"))[1]
    _edit(fact_file)
    parsed.clear()
    assert "checked" not in [f.note for f in content.load_sheet(archive).records]  # no event: no look
    assert parsed == []
    cache.changed({str(layout.facts), str(fact_file)})  # what inotify names for a save
    sheet = content.load_sheet(archive)
    assert parsed == [fact_file.name] and "checked" in [f.note for f in sheet.records]
    monkeypatch.setattr(parsecache, "CACHE", content.FileCache())
    assert summary(content.load_sheet(archive)) == summary(sheet)  # the same as without the events


def test_a_folder_an_event_names_has_the_files_under_it_read_again(archive, parsed):
    cache = parsecache.CACHE
    layout = content.Layout(archive)
    inner = layout.articles / "more" / "inner.txt"  # a folder moved in: no event names its files
    inner.parent.mkdir()
    shutil.copy(sorted(layout.articles.glob("*.*"))[0], inner)
    cache.watch([layout.articles, layout.facts])
    content.load_sheet(archive)
    inner.write_text(inner.read_text("utf-8") + "\nOne more paragraph.\n", "utf-8")
    fact_file = sorted(layout.facts.glob("*.yaml"))[0]
    _edit(fact_file)
    parsed.clear()
    cache.changed({str(layout.facts)})  # the watched folder itself, the same folder: files came or went
    content.load_sheet(archive)
    assert parsed == []  # their own events name them
    cache.changed({str(inner.parent)})
    content.load_sheet(archive)
    assert parsed == ["inner.txt"]
    parsed.clear()
    copy = layout.facts.with_name("facts-new")
    shutil.copytree(layout.facts, copy)
    shutil.rmtree(layout.facts)
    copy.rename(layout.facts)  # the watched folder replaced by another: every file in it checked again
    cache.changed({str(layout.facts)})
    content.load_sheet(archive)
    assert parsed == [fact_file.name]  # each checked again: the one edited (copied with its times) parsed


def test_a_watched_folder_is_listed_again_only_when_files_come_or_go(archive, parsed, monkeypatch):
    cache = parsecache.CACHE
    layout = content.Layout(archive)
    listed: list[str] = []
    for module, name in ((ingest, "article_files"), (store, "fact_files")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda folder, *a, real=real: listed.append(folder.name) or real(folder, *a))
    cache.watch([layout.articles, layout.facts])
    content.load_sheet(archive)
    assert sorted(listed) == ["articles", "facts"]
    fact_files = sorted(layout.facts.glob("*.yaml"))
    _edit(fact_files[0])
    (layout.facts / ".swap.yaml.swp").write_text("an editor's swap file", "utf-8")
    listed.clear()
    cache.changed({str(layout.facts), str(fact_files[0]), str(layout.facts / ".swap.yaml.swp")})
    assert "checked" in [f.note for f in content.load_sheet(archive).records]
    assert listed == []  # a listed file edited, a hidden file: the same files
    fact_files[1].unlink()
    cache.changed({str(layout.facts), str(fact_files[1])})
    sheet = content.load_sheet(archive)
    assert listed == ["facts"] and len(sheet.fact_files) == len(fact_files) - 1
    monkeypatch.setattr(parsecache, "CACHE", content.FileCache())
    assert summary(content.load_sheet(archive)) == summary(sheet)  # the same as without the events
