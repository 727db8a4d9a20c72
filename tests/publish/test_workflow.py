"""The Pages workflow: its structure (pull requests checked, never published; pip cached; the
site's address from actions/configure-pages) and its own shell steps, run on a local repository:
it never publishes records that nobody committed, and builds for the address Pages gives."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, write

BIN = Path(sys.executable).parent
WORKFLOW = ROOT / ".github/workflows/pages.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def _steps() -> list[dict]:
    return [s for job in _workflow()["jobs"].values() for s in job.get("steps", [])]


def _step(name: str) -> str:
    return next(s["run"] for s in _steps() if s.get("name") == name)


def test_pull_requests_run_check_and_the_build_but_never_publish():
    workflow = _workflow()
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    assert ".venv/bin/factsheet check" in _step("Check the content")
    publishing = [s for s in _steps() if "upload-pages-artifact" in s.get("uses", "") or
                  "configure-pages" in s.get("uses", "")]
    assert len(publishing) == 2 and all(s["if"] == "github.event_name != 'pull_request'" for s in publishing)
    assert workflow["jobs"]["deploy"]["if"] == "github.event_name != 'pull_request'"


def test_pip_downloads_are_cached():
    setup = next(s for s in _steps() if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip" and (ROOT / setup["with"]["cache-dependency-path"]).is_file()


def test_the_site_url_is_the_address_configure_pages_gives(monkeypatch):
    from generator import options

    pages = next(s for s in _steps() if s.get("uses", "").startswith("actions/configure-pages"))
    build = next(s for s in _steps() if s.get("name", "").startswith("Build"))
    assert build["env"]["PAGES_URL"] == "${{ steps.%s.outputs.base_url }}" % pages["id"]
    assert 'export SITE_URL="${PAGES_URL%/}/"' in build["run"]
    monkeypatch.setenv("SITE_URL", "https://owner.github.io/repo/")
    assert options.from_mkdocs_yml(ROOT / "mkdocs.yml").site_url == "https://owner.github.io/repo/"
    monkeypatch.delenv("SITE_URL")
    assert options.from_mkdocs_yml(ROOT / "mkdocs.yml").site_url == "https://factsheet.example.org/"


def _run_step(project: Path) -> subprocess.CompletedProcess:
    script = _step("Every article's records are committed").replace(".venv/bin/", f"{BIN}/")
    return subprocess.run(["bash", "-e", "-c", script], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "FACTSHEET_NLP": "rules"})


@pytest.mark.slow
def test_the_workflow_fails_when_extraction_would_add_uncommitted_records(project):
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([BIN / "factsheet", "extract", "--nlp", "rules"], cwd=project, check=True, capture_output=True)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "records"], cwd=project, check=True)
    assert _run_step(project).returncode == 0
    write(project / "content/articles/new.txt", '"Other words," the governor said on Monday.\n')
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "an article without its records"], cwd=project, check=True)
    result = _run_step(project)
    assert result.returncode == 1
    assert "factsheet extract changed content/facts" in result.stdout and "new.yaml" in result.stdout


@pytest.mark.slow
def test_the_build_step_builds_for_the_pages_address(project):
    script = _step("Build (check, mkdocs build --strict)").replace(".venv/bin/", f"{BIN}/")
    env = {**os.environ, "FACTSHEET_NLP": "rules", "PAGES_URL": "https://owner.github.io/repo"}
    env.pop("SITE_URL", None)
    result = subprocess.run(["bash", "-e", "-c", script], cwd=project, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "<loc>https://owner.github.io/repo/speakers/amazon/</loc>" in (project / "site/sitemap.xml").read_text("utf-8")
    # The 404 page is served at any depth: its assets are addressed from the site's own folder.
    assert 'href="/repo/assets/stylesheets/' in (project / "site/404.html").read_text("utf-8")
