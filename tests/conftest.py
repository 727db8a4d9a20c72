"""Shared fixtures: a copy of the demo project in a temporary folder, and small articles."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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
