"""Shared fixtures: a copy of the demo project in a temporary folder, and small articles."""
from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from generator import ingest
from generator.model import Citation, Record

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # the venv's commands: factsheet, mkdocs
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# The parse cache of every content folder the tests build goes to a folder of this run, not ~/.cache.
if "FACTSHEET_CACHE_DIR" not in os.environ:
    os.environ["FACTSHEET_CACHE_DIR"] = tempfile.mkdtemp(prefix="factsheet-cache-")
    atexit.register(shutil.rmtree, os.environ["FACTSHEET_CACHE_DIR"], True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The demo project (content/, templates/, mkdocs.yml) copied to a temporary folder,
    without any fact files, so each test starts from the articles."""
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("facts", ".factsheet*"))
    shutil.copytree(ROOT / "templates", tmp_path / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write a test file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding, newline="")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The demo project, built once with `factsheet build` (extract, check, mkdocs build --strict)."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(ROOT / "content", root / "content", ignore=shutil.ignore_patterns("facts", ".factsheet*"))
    shutil.copytree(ROOT / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    result = subprocess.run([BIN / "factsheet", "build"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout
    return root


def fact(fid: str, quote: str, article: str, speaker: str = "Amazon", **kw) -> Record:
    """A record of ``quote`` (a direct quote by default), cited at the start of ``article``."""
    return Record(id=fid, quote=quote, kind=kw.pop("kind", "direct"), citation=Citation(article, 0, len(quote), quote),
                  speaker=speaker, **kw)


def articles(*ids: str) -> dict:
    """Articles of 400 characters published on 10 July 2020, by id."""
    return {i: ingest.article_from_text("x" * 400, f"{i}.txt", article_id=i, published=dt.date(2020, 7, 10))
            for i in ids}


def texts(pages: dict) -> dict[str, str]:
    """render_all's pages with the serve cache's :class:`~generator.render.data.Chunks` as text."""
    from generator.render.data import Chunks

    return {path: value.text() if isinstance(value, Chunks) else value for path, value in pages.items()}
