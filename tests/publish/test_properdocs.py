"""``factsheet build`` with ProperDocs installed instead of MkDocs (generator/publish/engine.py).

The project's own environment has both; the build runs in a child Python that sees the same
packages except ``mkdocs`` itself, and its site must equal MkDocs' but for the generator tag.
"""
from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import ROOT

pytest.importorskip("properdocs")
pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
CHILD = """import sys, glob, importlib
for pth in glob.glob(sys.argv[1] + '/__editable__*factsheet*.pth'):
    exec(open(pth).read())  # the editable install's import hook (site.py is off in this child)
print('mkdocs importable:', importlib.util.find_spec('mkdocs') is not None, file=sys.stderr)
sys.argv = ['factsheet', 'build']
from generator.cli import main
main()
"""


def demo(path: Path) -> Path:
    shutil.copytree(ROOT / "content", path / "content", ignore=shutil.ignore_patterns(".factsheet*"))
    shutil.copytree(ROOT / "templates", path / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", path / "mkdocs.yml")
    return path


def without_mkdocs(tmp_path: Path) -> Path:
    """A folder of links to every installed package but MkDocs."""
    packages = Path(sysconfig.get_paths()["purelib"])
    hidden = tmp_path / "packages"
    hidden.mkdir()
    for entry in packages.iterdir():
        if entry.name == "mkdocs" or re.fullmatch(r"mkdocs-[\d.]+\.dist-info", entry.name):
            continue
        (hidden / entry.name).symlink_to(entry)
    return hidden


def test_build_with_properdocs_matches_mkdocs(tmp_path):
    with_mkdocs, with_properdocs = demo(tmp_path / "mkdocs"), demo(tmp_path / "properdocs")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([BIN / "factsheet", "build"], cwd=with_mkdocs, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    packages = without_mkdocs(tmp_path)
    child = subprocess.run([sys.executable, "-S", "-c", CHILD, str(packages)], cwd=with_properdocs,
                           capture_output=True, text=True, env={**env, "PYTHONPATH": str(packages)})
    assert child.returncode == 0, child.stderr
    assert "mkdocs importable: False" in child.stderr
    ours, theirs = with_properdocs / "site", with_mkdocs / "site"
    compared = filecmp.dircmp(ours, theirs)
    assert not compared.left_only and not compared.right_only
    tag = re.compile(r'<meta name="generator" content="[^"]*">')
    for page in theirs.rglob("*"):
        if page.is_file():
            a, b = page.read_bytes(), (ours / page.relative_to(theirs)).read_bytes()
            if page.suffix == ".html":
                a, b = tag.sub("", a.decode()), tag.sub("", b.decode())
            assert a == b, page.relative_to(theirs)
    assert "ProperDocs" in (ours / "index.html").read_text("utf-8")
