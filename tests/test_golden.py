"""The demo's rendered output equals the checked-in golden copy, file by file.

Regenerate after an intended change with ``.venv/bin/python tests/golden.py`` and review ``git diff``.
"""
from __future__ import annotations

import difflib
from pathlib import Path

from golden import GOLDEN, render_demo

REGENERATE = "if the change is intended, run `.venv/bin/python tests/golden.py` and review `git diff tests/golden`"


def golden_files() -> dict[str, str]:
    return {p.relative_to(GOLDEN).as_posix(): p.read_text("utf-8")
            for p in sorted(GOLDEN.rglob("*")) if p.is_file()}


def test_demo_render_equals_the_golden_copy(tmp_path: Path):
    expected = golden_files()
    assert expected, f"no golden output in {GOLDEN}: {REGENERATE}"
    actual = render_demo(tmp_path / "out")
    assert sorted(actual) == sorted(expected), f"files differ: {REGENERATE}"
    for name in expected:
        if actual[name] != expected[name]:
            diff = "".join(difflib.unified_diff(expected[name].splitlines(True), actual[name].splitlines(True),
                                                f"golden/{name}", f"rendered/{name}", n=2))
            raise AssertionError(f"{name} differs ({REGENERATE}):\n{diff[:4000]}")
