"""Loading reuses work within a process: the cross-file checks run once for unchanged content."""
from __future__ import annotations

from generator import content
from generator.cli import main
from click.testing import CliRunner


def test_check_references_is_reused_until_a_file_changes(project, monkeypatch):
    monkeypatch.chdir(project)
    assert CliRunner().invoke(main, ["extract"], catch_exceptions=False).exit_code == 0
    calls = []
    real = content._check_references
    monkeypatch.setattr(content, "_check_references", lambda sheet: calls.append(1) or real(sheet))
    first = content.load_sheet(project / "content")
    again = content.load_sheet(project / "content")
    assert len(calls) == 1 and first.problems == again.problems and not first.errors
    facts = sorted((project / "content/facts").glob("*.yaml"))[0]
    text = facts.read_text("utf-8")
    start = text.index("    quote: ") + len("    quote: ")
    facts.write_text(text[:start] + "Words nobody wrote here " + text[start:], "utf-8")
    changed = content.load_sheet(project / "content")
    assert len(calls) == 2 and any("no longer occurs" in p.message for p in changed.errors)
