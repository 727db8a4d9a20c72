"""Interrupted and concurrent runs: content/ stays loadable, site/ is the old build or the new one,
two extracts never interleave, and a fault while writing loses nothing.

Real subprocesses are killed with SIGKILL (no cleanup code runs) at several points of
`factsheet extract` and `factsheet build`; then the content is loaded and checked, and a rerun
must produce byte for byte what an uninterrupted run produces.
"""
from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from generator import content
from generator.cli import main
from generator.records import store

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FACTSHEET_NLP": "rules"}
NAMES = ["Jane Doe", "John Smith", "the mayor", "a spokesperson", "Maria Garcia"]
WORDS = ["budget", "council", "vote", "road", "school", "tax", "water", "plan", "city", "park", "bridge", "police", "housing"]


def make_articles(root: Path, n: int, seed: int = 5, start: int = 0) -> Path:
    """``n`` small articles, twelve statements each, in ``root/content/articles``."""
    rng = random.Random(seed)
    folder = root / "content" / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        paras = [f"date 2020-07-{1 + i % 28:02d}"]
        for _ in range(12):
            s = " ".join(rng.choice(WORDS) for _ in range(14))
            paras.append(f'"The {s} will change," {rng.choice(NAMES)} said on Monday. The {s} matters.')
        (folder / f"story-{i:03d}.txt").write_text("\n\n".join(paras) + "\n", "utf-8")
    return root / "content"


def fact_texts(root: Path) -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in sorted((root / "facts").glob("*.yaml"))}


def clean_run(tmp: Path, articles: Path) -> dict[str, str]:
    """The fact files an uninterrupted extract writes for the same articles."""
    shutil.copytree(articles, tmp / "content" / "articles")
    subprocess.run([BIN / "factsheet", "extract", "-j", "1"], cwd=tmp, env=ENV, check=True, capture_output=True)
    return fact_texts(tmp / "content")


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """80 articles and the fact files an uninterrupted extract writes for them (computed once)."""
    tmp = tmp_path_factory.mktemp("reference")
    articles = make_articles(tmp / "source", 80) / "articles"
    return articles, clean_run(tmp / "clean", articles)


def copy_of(reference, tmp_path: Path) -> Path:
    shutil.copytree(reference[0], tmp_path / "p" / "content" / "articles")
    return tmp_path / "p" / "content"


def wait_for(condition, seconds: float = 60, step: float = 0.002) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def assert_parses(root: Path) -> None:
    """Every fact file reads back whole (whether or not its article has changed since)."""
    for path in sorted((root / "facts").glob("*.yaml")):
        facts, problems = store.read_fact_file(path)
        assert facts is not None and not problems, (path, [str(p) for p in problems])


def assert_loadable(root: Path) -> content.Sheet:
    """Every file of the content folder parses and checks: nothing half-written (the articles a
    killed run had not reached yet have no fact file, and say so)."""
    sheet = content.load_sheet(root)
    errors = [str(p) for p in sheet.errors if "has no fact file" not in p.message]
    assert not errors, errors
    return sheet


# --- SIGKILL during extract ------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("after", [0, 1, 12, 50])
def test_sigkill_during_extract_leaves_content_loadable_and_a_rerun_loses_nothing(tmp_path, reference, after):
    root = copy_of(reference, tmp_path)
    facts = root / "facts"
    proc = subprocess.Popen([BIN / "factsheet", "extract", "-j", "1"], cwd=root.parent, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if after:
            assert wait_for(lambda: len(list(facts.glob("story-*.yaml"))) >= after or proc.poll() is not None)
        else:
            time.sleep(0.3)  # before or while the articles are read
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, "extract finished before it could be killed: give it more work"
    written = fact_texts(root)
    assert len(written) < 80
    sheet = assert_loadable(root)
    assert len(sheet.fact_files) == len(written)
    rerun = subprocess.run([BIN / "factsheet", "extract", "-j", "1"], cwd=root.parent, env=ENV,
                           capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{80 - len(written)} extracted, {len(written)} unchanged" in rerun.stdout
    assert fact_texts(root) == reference[1]  # byte for byte what an uninterrupted run writes
    assert not [p.name for p in facts.iterdir() if p.name.endswith(".tmp")]  # stale temporary files removed
    assert_loadable(root)


@pytest.mark.slow
def test_sigkill_during_a_parallel_extract(tmp_path, reference):
    root = copy_of(reference, tmp_path)
    proc = subprocess.Popen([BIN / "factsheet", "extract", "-j", "3"], cwd=root.parent, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert wait_for(lambda: len(list((root / "facts").glob("story-*.yaml"))) >= 10 or proc.poll() is not None)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the workers too
        proc.wait()
    assert_loadable(root)
    rerun = subprocess.run([BIN / "factsheet", "extract", "-j", "3"], cwd=root.parent, env=ENV, capture_output=True)
    assert rerun.returncode == 0
    assert fact_texts(root) == reference[1]


# --- two extracts at once ----------------------------------------------------------------------

@pytest.mark.slow
def test_a_second_extract_refuses_or_waits_and_never_interleaves(tmp_path):
    root = make_articles(tmp_path / "p", 150)
    first = subprocess.Popen([BIN / "factsheet", "extract", "-j", "1"], cwd=root.parent, env=ENV,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: len(list((root / "facts").glob("story-*.yaml"))) >= 1)
        refused = subprocess.run([BIN / "factsheet", "extract"], cwd=root.parent, env=ENV, capture_output=True, text=True)
        assert refused.returncode == 1
        assert refused.stderr == ("error: content/.factsheet.lock: another `factsheet extract` is running on this "
                                  "content (hint: wait for it to finish, or pass --wait SECONDS)\n")
        build = subprocess.run([BIN / "factsheet", "build"], cwd=root.parent, env=ENV, capture_output=True, text=True)
        assert build.returncode == 1 and "another `factsheet extract` is running" in build.stderr
        assert first.poll() is None, "the first extract finished too soon to test the lock"
        waiting = subprocess.Popen([BIN / "factsheet", "extract", "--wait", "120"], cwd=root.parent, env=ENV,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, err = waiting.communicate(timeout=180)
        # The first releases the lock before its process ends (it still saves the parse cache and stops
        # its parser child), so "ran after it" is shown by what the waiting one found: nothing to do.
        first.wait(timeout=120)
    finally:
        first.kill() if first.poll() is None else None
        first.wait()
    assert first.returncode == 0
    assert waiting.returncode == 0, err
    assert out.splitlines()[-1].startswith("0 extracted, 150 unchanged")
    assert fact_texts(root) == clean_run(tmp_path / "clean", root / "articles")


def test_the_lock_refuses_in_process_too(tmp_path):
    from filelock import FileLock

    from generator.errors import FactsheetError

    root = make_articles(tmp_path, 2)
    with FileLock(content.Layout(root).lock), \
            pytest.raises(FactsheetError, match="another `factsheet extract` is running on this content"):
        content.extract_content(root, jobs=1, mode="rules", wait=0.05)
    assert not (root / "facts").exists()
    assert content.extract_content(root, jobs=1, mode="rules").reports


# --- faults while writing (injected in process) -----------------------------------------------

def test_disk_full_while_writing_a_fact_file_keeps_the_old_one(tmp_path, monkeypatch):
    root = make_articles(tmp_path, 4)
    content.extract_content(root, jobs=1, mode="rules")
    before = fact_texts(root)
    make_articles(tmp_path, 4, seed=6)  # every article changes
    real_fsync = os.fsync

    def full(fd):
        if "story-002" in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_fsync(fd)

    monkeypatch.setattr(store.os, "fsync", full)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTSHEET_NLP", "rules")
    result = CliRunner().invoke(main, ["extract", "-j", "1"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert ("error: content/facts/story-002.yaml: cannot write the file: No space left on device "
            "(hint: check the free space and permissions; the previous version is unchanged)") in result.output.splitlines()
    after = fact_texts(root)
    assert after["story-002.yaml"] == before["story-002.yaml"]  # the old file, whole
    assert all(after[name] != before[name] for name in after if name != "story-002.yaml")  # the others written
    assert not [p for p in (root / "facts").iterdir() if p.name.endswith(".tmp")]
    assert_parses(root)


def test_an_interrupt_between_write_and_rename_keeps_the_old_file(tmp_path, monkeypatch):
    root = make_articles(tmp_path, 2)
    content.extract_content(root, jobs=1, mode="rules")
    before = fact_texts(root)
    make_articles(tmp_path, 2, seed=9)

    def interrupted(src, dst):
        raise KeyboardInterrupt  # Ctrl-C at the worst moment

    monkeypatch.setattr(store.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        content.extract_content(root, jobs=1, mode="rules")
    assert fact_texts(root) == before
    assert not [p for p in (root / "facts").iterdir() if p.name.endswith(".tmp")]
    assert_parses(root)


def test_a_read_only_facts_folder_is_reported_not_a_traceback(tmp_path, monkeypatch):
    root = make_articles(tmp_path, 2)
    content.extract_content(root, jobs=1, mode="rules")
    make_articles(tmp_path, 2, seed=9)

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(store.tempfile, "mkstemp", read_only)
    result = content.extract_content(root, jobs=1, mode="rules")
    assert [str(p) for p in result.problems] == [
        f"content/facts/story-00{i}.yaml: cannot write the file: Read-only file system "
        "(hint: check the free space and permissions; the previous version is unchanged)" for i in range(2)]


# --- the build: old site or new site, never half -------------------------------------------

def _project(root: Path, n: int) -> Path:
    make_articles(root, n)
    shutil.copytree(ROOT / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "mkdocs.yml").write_text("site_name: Faults\ndocs_dir: content\nsite_dir: site\nplugins:\n"
                                     "  - factsheet\nexclude_docs: |\n  articles/\n  facts/\n", "utf-8")
    return root


def site_files(root: Path) -> frozenset[str]:
    site = root / "site"
    return frozenset(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) if site.is_dir() else frozenset()


def test_a_failed_build_keeps_the_old_site_and_no_staging_folder(tmp_path, monkeypatch):
    root = _project(tmp_path, 2)
    monkeypatch.chdir(root)
    monkeypatch.setenv("FACTSHEET_NLP", "rules")
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    old = site_files(root)
    old_home = (root / "site/index.html").read_bytes()
    from mkdocs.commands import build as mkbuild

    def crash(cfg, **kwargs):  # half a site in the staging folder, then the machine "fails"
        Path(cfg.site_dir, "index.html").write_text("<html>half")
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(mkbuild, "build", crash)
    make_articles(root, 1, seed=77, start=50)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.splitlines()[-1] == (f"error: {root / 'site'}: cannot build the site: Input/output error "
                                              "(hint: check the free space and permissions; the previous site is unchanged)")
    assert site_files(root) == old and (root / "site/index.html").read_bytes() == old_home
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []
    assert oct((root / "site").stat().st_mode & 0o777) != oct(0o700)  # readable by a web server


@pytest.mark.slow
def test_sigkill_during_the_build_leaves_the_old_site_or_the_new(tmp_path):
    root = _project(tmp_path, 6)
    first = subprocess.run([BIN / "factsheet", "build"], cwd=root, env=ENV, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    old = site_files(root)
    assert "index.html" in old
    # The next build has one more article, hence more pages: a site is either exactly one or the other.
    make_articles(root, 1, seed=99, start=6)
    (root / "content/articles/story-006.txt").write_text(
        '"A brand new statement," Zelda Newcomer said on Monday.\n', "utf-8")
    start = time.monotonic()
    reference = tmp_path / "reference"
    shutil.copytree(root, reference, ignore=shutil.ignore_patterns("site", ".site-*"))
    done = subprocess.run([BIN / "factsheet", "build"], cwd=reference, env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    duration = time.monotonic() - start
    new = site_files(reference)
    assert new != old and "speakers/zelda-newcomer/index.html" in new
    outcomes = []
    for fraction in (0.1, 0.3, 0.5, 0.65, 0.8, 0.9, 0.95, 1.0, 1.1):
        proc = subprocess.Popen([BIN / "factsheet", "build"], cwd=root, env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = site_files(root)
        assert now in (old, new), f"killed at {fraction:.0%} of a build: a site that is neither old nor new"
        assert "</html>" in (root / "site/index.html").read_text("utf-8")
        outcomes.append("new" if now == new else "old")
        assert_loadable(root / "content")
    assert "old" in outcomes  # at least one kill landed mid-build
    final = subprocess.run([BIN / "factsheet", "build"], cwd=root, env=ENV, capture_output=True, text=True)
    assert final.returncode == 0 and site_files(root) == new


def test_the_parser_child_dies_with_its_parent_on_sigkill(tmp_path):
    # The parent starts the spaCy child (as `factsheet extract` in spaCy mode does), prints its
    # pid and waits; it is then killed with SIGKILL, which no handler can catch.
    script = ("import sys, time\nfrom generator.extract import EXCLUDE, MODEL_NAMES\n"
              "from generator.extract.parse import ParserProcess\n"
              "p = ParserProcess(MODEL_NAMES, EXCLUDE)\nprint(p._proc.pid, flush=True)\ntime.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    child = None
    try:
        child = int(parent.stdout.readline())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(child):
            time.sleep(0.05)
        assert not _alive(child), "the parser child outlived its parent"
    finally:
        parent.kill()
        if child is not None and _alive(child):  # a failed run leaves no 100 MB orphan behind
            os.kill(child, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for init to reap it counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ")[1][0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def test_staging_folders_left_by_killed_builds_are_removed(tmp_path, monkeypatch):
    root = _project(tmp_path, 2)
    monkeypatch.chdir(root)
    monkeypatch.setenv("FACTSHEET_NLP", "rules")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid is now free: the builder of this folder was killed
    dead = root / f".site-{gone.pid}-x1y2"
    live = root / f".site-{os.getppid()}-a3b4"  # a running process's: a build in progress, left alone
    for folder in (dead, live):
        (folder / "sources").mkdir(parents=True)
        (folder / "index.html").write_text("<html>a copy of the site")
    assert CliRunner().invoke(main, ["build"]).exit_code == 0
    assert not dead.exists() and live.is_dir()
    assert (root / "site/index.html").is_file()


@pytest.mark.slow
def test_plain_mkdocs_build_strict_on_broken_content_keeps_the_old_site(tmp_path):
    root = _project(tmp_path, 2)
    env = {**os.environ, "FACTSHEET_NLP": "rules", "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict"]
    assert subprocess.run([str(Path(sys.executable).parent / "factsheet"), "extract"], cwd=root, env=env,
                          capture_output=True).returncode == 0
    assert subprocess.run(mkdocs, cwd=root, env=env, capture_output=True).returncode == 0
    old, old_home = site_files(root), (root / "site/index.html").read_bytes()
    fact_file = next((root / "content/facts").glob("*.yaml"))
    fact_file.write_text(fact_file.read_text().replace("kind: direct", "kind: drect", 1))
    result = subprocess.run(mkdocs, cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "drect" in result.stderr and "the previous site is unchanged" in result.stderr
    assert site_files(root) == old and (root / "site/index.html").read_bytes() == old_home


@pytest.mark.slow
def test_plain_mkdocs_build_with_a_broken_template_keeps_the_old_site(tmp_path):
    """A template error stops a publishing build before MkDocs empties site/, as a content problem does."""
    root = _project(tmp_path, 2)
    env = {**os.environ, "FACTSHEET_NLP": "rules", "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = [str(Path(sys.executable).parent / "mkdocs"), "build"]
    assert subprocess.run([str(Path(sys.executable).parent / "factsheet"), "extract"], cwd=root, env=env,
                          capture_output=True).returncode == 0
    assert subprocess.run(mkdocs, cwd=root, env=env, capture_output=True).returncode == 0
    old, old_home = site_files(root), (root / "site/index.html").read_bytes()
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/home.md.j2").write_text("{{ site.no_such_thing }}\n", "utf-8")
    result = subprocess.run(mkdocs, cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "home.md.j2" in result.stderr and "the previous site is unchanged" in result.stderr
    assert site_files(root) == old and (root / "site/index.html").read_bytes() == old_home
