"""Scale: extraction as a pure function per article file (what a Dask bag or Ray map runs across
machines), run here through concurrent.futures; and the warm extract that never parses an
unchanged article. Fast and untimed: speed is measured by benchmarks/run.py, not asserted here."""
from __future__ import annotations

import functools
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT

from generator import content, ingest
from generator.content import parsecache

sys.path.insert(0, str(ROOT / "benchmarks"))
import corpus  # noqa: E402


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """Eight generated articles (two stories, quotes shared between outlets) in content/articles."""
    return corpus.write_project(tmp_path, 8, seed=3) / "content"


def fact_texts(root: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted((root / "facts").glob("*.yaml"))}


def test_per_file_extraction_through_a_process_pool_writes_what_extract_writes(archive, tmp_path):
    paths = ingest.article_files(content.Layout(archive).articles)
    work = functools.partial(content.extract_file, archive, mode="rules")
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(work, paths))
    assert all(not r.problems for r in results)
    assert sum(len(r.reports) for r in results) == len(paths) == 8
    distributed = fact_texts(archive)

    single = corpus.write_project(tmp_path / "single", 8, seed=3) / "content"
    content.extract_content(single, jobs=1, mode="rules")
    assert distributed == fact_texts(single)  # byte for byte: one code path, any engine
    assert sum(t.count("- id: ") for t in distributed.values()) > 20

    again = [content.extract_file(archive, p, mode="rules") for p in paths]  # the cache holds on workers too
    assert all(not r.reports and len(r.skipped) == 1 for r in again)


def test_warm_extract_skips_unchanged_articles_without_parsing_them(archive, monkeypatch):
    first = content.extract_content(archive, jobs=1, mode="rules")
    assert len(first.reports) == 8
    parsed = []
    original = ingest.load_article
    monkeypatch.setattr(ingest, "load_article", lambda path, *a, **k: parsed.append(path) or original(path, *a, **k))
    parsecache.CACHE.entries.clear()

    second = content.extract_content(archive, jobs=1, mode="rules")
    assert (len(second.reports), len(second.skipped), parsed) == (0, 8, [])

    changed = sorted((archive / "articles").glob("*.md"))[2]
    changed.write_text(changed.read_text("utf-8") + "\nThe hearing was adjourned until Monday.\n", "utf-8")
    third = content.extract_content(archive, jobs=1, mode="rules")
    assert list(third.reports) == [changed.stem] and parsed == [changed] and len(third.skipped) == 7


def test_an_id_from_front_matter_takes_the_full_path(archive):
    path = sorted((archive / "articles").glob("*.md"))[0]
    text = path.read_text("utf-8")
    path.write_text(text.replace("---\n", "---\nid: renamed-story\n", 1), "utf-8")
    content.extract_content(archive, jobs=1, mode="rules")
    assert (archive / "facts/renamed-story.yaml").is_file()
    again = content.extract_content(archive, jobs=1, mode="rules")
    assert not again.reports and "renamed-story" in again.skipped
