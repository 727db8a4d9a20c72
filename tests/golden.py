"""The golden output of the demo: what ``factsheet render`` makes of ``content/`` (pages, JSON-LD,
data files), checked in under ``tests/golden/demo/`` and compared file by file by
``tests/test_golden.py`` (pelican's ``tests/output`` pattern).

When a change to the output is intended, regenerate it with one command and review the diff::

    .venv/bin/python tests/golden.py
    git diff tests/golden/
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "demo"
# A fixed moment for anything the output dates (reproducible-builds convention).
EPOCH = "1594400000"


def render_demo(out: Path) -> dict[str, str]:
    """Render the demo content into ``out`` with the real CLI; the files written, by relative path."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory() as work:
        # A copy, so that rendering can never touch the checked-in demo.
        shutil.copytree(ROOT / "content", Path(work) / "content")
        shutil.copytree(ROOT / "templates", Path(work) / "templates", ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "mkdocs.yml", Path(work) / "mkdocs.yml")  # the newsroom's options: publisher, licence
        factsheet = Path(sys.executable).parent / "factsheet"
        result = subprocess.run([str(factsheet), "render", "--out", str(out)], cwd=work, env=env,
                                capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"factsheet render failed: {result.stderr.strip() or result.stdout.strip()}")
    return {p.relative_to(out).as_posix(): p.read_text("utf-8")
            for p in sorted(out.rglob("*")) if p.is_file()}


def main() -> int:
    """Regenerate ``tests/golden/demo/`` from the current code and templates."""
    with tempfile.TemporaryDirectory() as tmp:
        files = render_demo(Path(tmp) / "out")
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in files.items():
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8", newline="")
    print(f"{len(files)} files written to {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
