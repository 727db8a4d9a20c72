"""The Pages workflow's own shell steps, run on a local repository: it never publishes records
that nobody committed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, write

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow


def _step(name: str) -> str:
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text("utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job.get("steps", [])]
    return next(s["run"] for s in steps if s.get("name") == name)


def _run_step(project: Path) -> subprocess.CompletedProcess:
    script = _step("Every article's records are committed").replace(".venv/bin/", f"{BIN}/")
    return subprocess.run(["bash", "-e", "-c", script], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "FACTSHEET_NLP": "rules"})


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
