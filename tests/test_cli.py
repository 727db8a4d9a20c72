"""The factsheet command: exact output and exit codes, through click's CliRunner."""
from __future__ import annotations

import json
import sys

from click.testing import CliRunner
from conftest import write

from generator.cli import main


def run(*args, **kw):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kw)


def test_extract_reports_what_it_did_then_skips_unchanged_articles(project, monkeypatch):
    monkeypatch.chdir(project)
    first = run("extract")
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[-1].startswith("2 extracted, 0 unchanged; ")
    assert (project / "content/facts/buzzfeed-amazon-tiktok-ban.yaml").is_file()
    second = run("extract")
    assert second.output == "0 extracted, 2 unchanged; 0 added, 0 updated, 0 kept, 0 orphaned\n"


def test_check_passes_on_the_demo_and_fails_with_located_errors(project, monkeypatch):
    monkeypatch.chdir(project)
    run("extract")
    ok = run("check")
    assert ok.exit_code == 0 and ok.output.splitlines()[-1].startswith("ok: 2 articles, ")  # after the suggestions
    assert ok.output.splitlines()[-1].endswith(", 3 people, 3 events")
    facts = project / "content/facts/buzzfeed-amazon-tiktok-ban.yaml"
    text = facts.read_text()
    facts.write_text(text.replace("kind: direct", "kind: drect", 1).replace("status: extracted", "stauts: extracted", 1))
    bad = CliRunner(mix_stderr=False).invoke(main, ["check"]) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames \
        else CliRunner().invoke(main, ["check"])
    assert bad.exit_code == 1
    lines = bad.output.strip().splitlines()
    assert "error: content/facts/buzzfeed-amazon-tiktok-ban.yaml:8:5: stauts: unknown field (hint: did you mean 'status'?)" in lines
    assert any(": kind: expected one of direct, partial, mixed, indirect, got 'drect'" in line for line in lines)
    assert lines[-1] == "2 errors in content"
    assert "Traceback" not in bad.output


def test_check_on_a_missing_content_folder_suggests_the_fix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("check")
    assert result.exit_code == 1
    assert "content: the content folder does not exist (hint: create it" in result.output


def test_render_writes_markdown_pages_to_a_folder(project, monkeypatch):
    monkeypatch.chdir(project)
    run("extract")
    result = run("render", "--out", "out")
    assert result.exit_code == 0, result.output
    assert (project / "out/index.md").is_file() and (project / "out/speakers/mike-pompeo.md").is_file()
    assert (project / "content/index.md").read_text() != ""


def test_quotes_writes_the_evaluation_contract(tmp_path):
    article = write(tmp_path / "a.txt", '"We will win," the mayor said on Tuesday.\n')
    result = run("quotes", "--out", str(tmp_path / "out"), "--published", "2021-05-07", str(article))
    assert result.exit_code == 0, result.output
    preds = json.loads((tmp_path / "out/a.pred.json").read_text())
    assert preds and preds[0]["quote"].startswith("We will win")
    assert {"quote", "start", "end", "kind", "speaker", "cue", "said_on"} <= set(preds[0])
    assert preds[0]["said_on"] == "2021-05-04"


def test_parse_json_prints_metadata_and_body(tmp_path):
    article = write(tmp_path / "a.md", "---\ntitle: T\noutlet: O\npublished: 2021-05-07\n---\nFirst.\n\nSecond.\n")
    data = json.loads(run("parse", "--json", str(article)).output)
    assert data == {"title": "T", "published": "2021-05-07", "author": None, "outlet": "O", "url": None,
                    "body": "First.\n\nSecond."}


def test_bad_input_is_one_line_and_exit_1_without_traceback(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitel: x\n---\ntext\n")
    result = run("parse", "--json", str(bad))
    assert result.exit_code == 1
    assert result.output == f"error: {bad}:2: titel: unknown field (hint: did you mean 'title'?)\n"


def test_verbose_shows_the_traceback(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitel: x\n---\ntext\n")
    result = CliRunner().invoke(main, ["--verbose", "parse", str(bad)])
    assert result.exit_code == 1 and result.exception is not None


def test_serve_without_a_configuration_says_so_in_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["serve", "-f", "missing.yml"])
    assert result.exit_code == 1
    assert result.output == "error: missing.yml: could not serve the site: Config file 'missing.yml' does not exist.\n"


def test_serve_rebuilds_only_what_changed_unless_asked(monkeypatch):
    calls = []
    monkeypatch.setattr("generator.publish.serve_site", lambda *a, **k: calls.append((a, k)))
    runner = CliRunner()
    assert runner.invoke(main, ["serve", "-a", "127.0.0.1:9"]).exit_code == 0
    assert runner.invoke(main, ["serve", "--full"]).exit_code == 0
    assert [k["dirty"] for _, k in calls] == [True, False] and calls[0][0][1] == "127.0.0.1:9"


def test_serve_watches_with_the_systems_file_events(tmp_path):
    """factsheet serve's dev server reports a saved file through the system's events (inotify here),
    not by walking every watched file each 0.5 s as MkDocs' polling observer does."""
    import time

    import watchdog.observers
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    from generator.publish import native_watch

    server_class = native_watch(LiveReloadServer)
    assert native_watch(server_class) is server_class  # a second `serve` in one process wraps once
    server = server_class(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    assert isinstance(server.observer, watchdog.observers.Observer)
    if sys.platform.startswith("linux"):
        assert not isinstance(server.observer, PollingObserver)
    (tmp_path / "content").mkdir()
    server.watch(str(tmp_path / "content"))
    server.observer.start()
    try:
        time.sleep(0.2)
        (tmp_path / "content" / "a.yaml").write_text("x\n", "utf-8")
        time.sleep(0.3)
        server._want_rebuild = False
        (tmp_path / "content" / "a.yaml").read_text("utf-8")  # a rebuild reads files: no rebuild again
        time.sleep(0.3)
        assert not server._want_rebuild, "reading a file asked for a rebuild"
        (tmp_path / "content" / "a.yaml").write_text("y\n", "utf-8")
        deadline = time.monotonic() + 10
        while not server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server._want_rebuild, "the saved file did not ask for a rebuild"
    finally:
        server.observer.stop()
        server.observer.join(5)
        server.server_close()


def test_progress_is_shown_on_a_terminal_only():
    import io

    from generator.cli import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    log, tty = io.StringIO(), Terminal()
    for stream in (log, tty):
        progress = Progress(stream)
        for done in range(1, 4):
            progress(done, 3)
    assert log.getvalue() == ""
    assert "3/3 articles" in tty.getvalue() and "/s" in tty.getvalue() and "s left" in tty.getvalue()


def test_extract_output_to_a_pipe_has_no_progress(tmp_path):
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from conftest import ROOT

    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns("facts", ".factsheet*"))
    done = subprocess.run([Path(sys.executable).parent / "factsheet", "extract", "--nlp", "rules"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "articles," not in done.stderr + done.stdout and "\r" not in done.stderr + done.stdout
    assert "2 extracted" in done.stdout
