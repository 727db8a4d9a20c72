"""The scale benchmarks themselves (benchmarks/run.py), so that they cannot silently rot: the
helpers that pick edits and add up where the time went, the memory sampler, and a smoke run of
every part at 20 articles. No speed figure is asserted: benchmarks measure, tests check that
they still can."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import run  # noqa: E402


def fact_row(statement: str, record: str, permalink: str, article: str = "a1") -> dict[str, str]:
    return {"statement": statement, "record": record, "article": article, "permalink": permalink}


def test_edits_go_to_single_record_statements_on_speaker_pages_past_the_first_third():
    rows = [fact_row("s-1", "s-1", "speakers/ann/#s-1"),  # in the first third: skipped
            fact_row("s-2", "s-2", "speakers/ann/#s-2"), fact_row("s-2", "s-2b", "speakers/ann/#s-2"),  # two records
            fact_row("s-3", "s-3", "timeline/2024-01/#s-3"),  # not a speaker page
            fact_row("s-4", "s-4", "http://127.0.0.1:8000/speakers/bob/#s-4", "a4"),  # absolute, as under serve
            fact_row("s-5", "s-5", "speakers/cy/#s-5", "a5")]
    home = "http://127.0.0.1:8000/"
    assert run.edit_targets(rows, 5, home) == [("a4", "s-4", home + "speakers/bob/"),
                                               ("a5", "s-5", home + "speakers/cy/")]
    assert run.edit_targets(rows, 1, home) == [("a4", "s-4", home + "speakers/bob/")]


def test_a_note_goes_under_its_record_and_replaces_an_earlier_runs(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text(textwrap.dedent("""\
        article: a
        statements:
          - id: s-1
            quote: One.
          - id: s-2
            note: Benchmark edit 0 123
            quote: Two.
        """), "utf-8")
    run.add_note(path, "s-2", "Benchmark edit 1 456")
    text = path.read_text("utf-8")
    assert "Benchmark edit 0" not in text
    assert "  - id: s-2\n    note: Benchmark edit 1 456\n    quote: Two.\n" in text
    assert text.startswith("article: a\nstatements:\n  - id: s-1\n    quote: One.\n")


def test_record_ids_used_twice_across_fact_files_are_counted_and_nothing_is_changed(tmp_path):
    facts = tmp_path / "facts"
    facts.mkdir()
    first = "article: a\nstatements:\n  - id: s-abc123\n    quote: One.\n  - id: s-def456\n    quote: Two.\n"
    second = ("article: b\nstatements:\n  - id: s-def456\n    quote: Three.\n"
              "  - id: s-def456-2\n    quote: Four.\n  - id: s-abc123\n    quote: Five.\n")
    (facts / "a.yaml").write_text(first, "utf-8")
    (facts / "b.yaml").write_text(second, "utf-8")
    assert run.duplicate_ids(facts) == 2
    assert (facts / "a.yaml").read_text("utf-8") == first and (facts / "b.yaml").read_text("utf-8") == second
    (facts / "b.yaml").write_text(second.replace("s-abc123", "s-b-abc123"), "utf-8")
    assert run.duplicate_ids(facts) == 1


def test_where_the_time_went_is_split_between_mkdocs_factsheet_and_the_rest():
    builds = [[{"build": 2.0, "config": 0.1, "hook.on_files": 0.5, "hook.on_post_page": 0.1, "in.load": 0.2,
                "in.merge_render": 0.25}],
              [{"build": 3.0, "config": 0.1, "hook.on_files": 0.7, "in.load": 0.3, "in.merge_render": 0.3},
               {"build": 1.0, "config": 0.1, "hook.on_files": 0.1}]]  # one edit, two rebuilds
    summary = run.rebuild_summary(builds, [2.5, 4.6])
    assert summary["mkdocs_build_s"] == pytest.approx(3.0)  # the median of 2.0 and 4.0
    assert summary["factsheet_s"] == pytest.approx(0.7)  # of 0.6 and 0.8
    assert summary["mkdocs_own_s"] == pytest.approx(2.3)  # of 1.4 and 3.2
    assert summary["rest_s"] == pytest.approx(0.4)  # 2.5 - 2.0 - 0.1 and 4.6 - 4.0 - 0.2
    assert summary["builds"] == pytest.approx(1.5)
    assert set(summary["hooks"]) == {"hook.on_files", "hook.on_post_page"}


def test_a_partial_rebuild_counts_its_render_as_factsheets_work():
    # The plugin's partial rebuild: no MkDocs build call; the render runs outside any hook.
    builds = [[{"rebuild": 1.5, "load": 0.3, "in.load": 0.3, "in.merge_render": 0.6, "hook.on_post_page": 0.05,
                "hook.on_post_build": 0.05, "in.pages": 0.2, "in.post_build": 0.3}]]
    summary = run.rebuild_summary(builds, [1.7])
    assert summary["rebuild_s"] == pytest.approx(1.5) and summary["partial"] == 1
    assert summary["mkdocs_build_s"] == 0
    assert summary["factsheet_s"] == pytest.approx(1.0)  # load 0.3 + render 0.6 + hooks 0.1
    assert summary["mkdocs_own_s"] == pytest.approx(0.5)
    assert summary["rest_s"] == pytest.approx(0.2)


def test_peak_memory_counts_the_children_of_the_process():
    pytest.importorskip("psutil")
    grandchild = "import time; x = bytearray(150 * 2**20); x[::4096] = b'x' * len(x[::4096]); time.sleep(3)"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}])"
    proc = subprocess.Popen([sys.executable, "-c", child])
    with run.PeakMemory(proc.pid, interval=0.05) as memory:
        proc.wait(30)
    assert memory.peak_mb > 150  # the grandchild's 150 MB, touched page by page, and two interpreters


def test_the_tables_show_every_part_a_row_holds():
    rows = [{"n": 10000, "pagefind": {"build_s": 300, "indexing_s": 20, "own_s": 30, "rss_mb": 1500, "index_mb": 30.5,
                                      "index_files": 4000},
             "search": [{"engine": "material", "index_mb": 24.9, "first_results_s": 12.0, "each_s": [12, 12, 13],
                         "page_load_s": 1.1, "results": 10, "query_kb": 25000, "query": "said", "in_page_s": 11.5,
                         "each_in_page_s": [11.5, 11, 12], "loaded_s": 0.4, "typed_s": 0.5, "page_kb": 25400,
                         "requests": 14, "query_parts_kb": {"index chunks": 24800.0, "scripts and styles": 200.0}},
                        {"engine": "pagefind", "index_mb": 30.5, "first_results_s": 0.9, "each_s": [1, 0.9, 0.8],
                         "page_load_s": 0.5, "results": 5, "query_kb": 300, "query": "said", "in_page_s": 0.7,
                         "each_in_page_s": [0.7, 0.6, 0.8], "loaded_s": 0.3, "typed_s": 0.4, "page_kb": 650,
                         "requests": 19, "query_parts_kb": {"fragments": 10.8, "index chunks": 20.2}}],
             "serve": [{"mode": "factsheet serve", "edit_to_served_s": 1.9, "each_s": [1.9, 2, 1.8], "rebuild_s": 1.2,
                        "partial": 1, "builds": 1, "mkdocs_build_s": 0.0, "factsheet_s": 0.4, "load_s": 0.1,
                        "merge_render_s": 0.2, "mkdocs_own_s": 0.8, "pages_s": 0.3, "post_build_s": 0.5,
                        "config_s": 0.05, "rest_s": 0.6, "peak_mb": 1800, "first_build_s": 290}]},
            {"n": 1000, "floor_s": 24.2, "floor_rss_mb": 106, "floor_site_mb": 45.0},
            {"n": "dask-200", "dask": [{"n": 200, "nlp": "spacy", "method": "plain factsheet extract", "wall_s": 9.0,
                                        "per_s": 22.2, "same": True}]}]
    text = run.table(rows)
    assert "| 10,000 | 300 s | 20 s | 30 s | 1500 MB | 30.5 MB (4,000) |" in text
    assert ("| 10,000 | Pagefind | 30.5 MB | 0.90 s | [1, 0.9, 0.8] | 0.70 s [0.7, 0.6, 0.8] | 0.30 / 0.40 s | 5 "
            "| 300 KB | fragments 10.8 KB, index chunks 20.2 KB | 650 KB (19 files) |") in text
    assert "| 10,000 | Pagefind | 30.5 MB | 0.90 s |" in text and "| 10,000 | Material (lunr) | 24.9 MB | 12.00 s |" in text
    assert ("| 10,000 | `factsheet serve` | 1.9 s | [1.9, 2, 1.8] | 1.2 s (1/1) | 0.4 s (0.1 / 0.2 / 0 s) "
            "| 0.8 s (0.3 / 0.5 s) | 0.05 s | 0.6 s | 1,800 MB |") in text
    assert "| plain factsheet extract | 9.0 s | 22.2 | yes |" in text
    assert "| 1,000 | 24.2 s | 106 MB | 45.0 MB |" in text  # the floor measured alone
    assert "factsheet build | plain mkdocs build" not in text  # no build part in these rows


@pytest.mark.slow
def test_every_part_runs_at_20_articles(tmp_path):
    """`run.py` end to end at N = 20 (rules extraction): builds, Pagefind, search in a browser
    (when there is one), the edit loop under both serve modes, Dask; every table is printed."""
    pytest.importorskip("psutil")
    pytest.importorskip("distributed")
    sys.path.insert(0, str(ROOT / "tests"))
    import browser

    parts = ["build", "pagefind", "serve", "dask"] + ([] if browser.missing() else ["search"])
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks/run.py"), "--n", "20", "--workdir", str(tmp_path),
                           "--nlp", "rules", "--serve-n", "20", "--serve-full-n", "20", "--edits", "1",
                           "--search-repeat", "1", "--dask-n", "20", "--parts", *parts],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    out = done.stdout
    assert "| 20 | " in out.split("factsheet build | plain mkdocs build")[1].split("\n")[2]
    assert "`factsheet serve` |" in out and "`factsheet serve --full` |" in out
    assert "| --dask local, 2 workers |" in out and "| NO |" not in out
    results = {str(r["n"]): r for r in json.loads((tmp_path / "results.json").read_text("utf-8"))}
    row = results["20"]
    assert row["pagefind"]["index_files"] > 0 and (tmp_path / "n20/site-pagefind/pagefind/pagefind-entry.json").is_file()
    assert all(s["edits"] == 1 and s["peak_mb"] > 0 and s["builds"] >= 1 for s in row["serve"])
    if "search" in parts:
        assert [s["engine"] for s in row["search"]] == ["material", "pagefind"]
        assert all(s["results"] > 0 and s["query_kb"] > 0 for s in row["search"])
