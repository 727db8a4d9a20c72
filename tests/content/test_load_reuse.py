"""Loading reuses work within a process: the cross-file checks run again only for changed files."""
from __future__ import annotations

from click.testing import CliRunner

from generator import content
from generator.cli import main


def test_check_references_is_reused_until_a_file_changes(project, monkeypatch):
    monkeypatch.chdir(project)
    assert CliRunner().invoke(main, ["extract"], catch_exceptions=False).exit_code == 0
    checked = []
    real = content.check_file
    monkeypatch.setattr(content, "check_file", lambda ff, article: checked.append(ff.article) or real(ff, article))
    first = content.load_sheet(project / "content")
    again = content.load_sheet(project / "content")
    assert len(checked) == 2 and first.problems == again.problems and not first.errors  # two fact files, once
    facts = sorted((project / "content/facts").glob("*.yaml"))[0]
    text = facts.read_text("utf-8")
    start = text.index("    quote: ") + len("    quote: ")
    facts.write_text(text[:start] + "Words nobody wrote here " + text[start:], "utf-8")
    checked.clear()
    changed = content.load_sheet(project / "content")
    assert checked == [facts.stem] and any("does not match" in p.message for p in changed.errors)


def test_a_same_as_target_is_checked_against_the_current_ids(project, monkeypatch):
    """The per-file reuse must not keep a same_as check from before its target was removed."""
    monkeypatch.chdir(project)
    assert CliRunner().invoke(main, ["extract"], catch_exceptions=False).exit_code == 0
    first, second = sorted((project / "content/facts").glob("*.yaml"))
    target = next(line.split(": ")[1] for line in second.read_text("utf-8").splitlines() if "- id: " in line)
    text = first.read_text("utf-8")
    first.write_text(text.replace("  - id: ", f"  - same_as: [{target}]\n    id: ", 1), "utf-8")
    assert not content.load_sheet(project / "content").errors
    second.write_text(second.read_text("utf-8").replace(f"- id: {target}\n", "- id: renamed-record\n"), "utf-8")
    errors = content.load_sheet(project / "content").errors
    assert [e.field for e in errors] == ["same_as"] and target in errors[0].message
