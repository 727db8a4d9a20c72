"""``factsheet extract --dask local``: the same fact files as a plain extract, a failed article named."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from conftest import ROOT

from generator import extract
from generator.cli import main
from generator.content import dask as extract_dask

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow


def demo_content(path):
    shutil.copytree(ROOT / "content", path, ignore=shutil.ignore_patterns("facts", ".factsheet*"))
    return path


def fact_files(content):
    return {p.name: p.read_bytes() for p in sorted((content / "facts").glob("*.yaml"))}


@pytest.mark.parametrize("nlp", ["rules", "spacy"])
def test_a_local_cluster_writes_the_same_bytes_as_plain_extract(tmp_path, nlp):
    plain, on_dask = demo_content(tmp_path / "plain"), demo_content(tmp_path / "dask")
    first = CliRunner().invoke(main, ["extract", "--content", str(plain), "--nlp", nlp])
    assert first.exit_code == 0, first.output
    second = CliRunner().invoke(main, ["extract", "--content", str(on_dask), "--nlp", nlp, "--dask", "local", "-j", "2"])
    assert second.exit_code == 0, second.output
    assert fact_files(plain) and fact_files(on_dask) == fact_files(plain)
    assert "2 extracted" in second.output


def test_a_failed_article_is_named_and_the_others_are_written(tmp_path, monkeypatch):
    content = demo_content(tmp_path / "content")
    real = extract.extract

    def broken(article, nlp=None):
        if article.id.startswith("buzzfeed"):
            raise RuntimeError("boom")
        return real(article, nlp)

    # Workers of a LocalCluster are new processes: the broken extractor must travel with the task.
    monkeypatch.setattr(extract_dask, "extract_on_worker", lambda article, _mode: broken(article, None))
    result = CliRunner().invoke(main, ["extract", "--content", str(content), "--nlp", "rules", "--dask", "local", "-j", "1"])
    assert result.exit_code == 1
    assert "buzzfeed-amazon-tiktok-ban" in result.output and "RuntimeError: boom" in result.output
    assert list(fact_files(content)) == ["independent-amazon-tiktok-ban.yaml"]


def test_no_scheduler_at_the_address_is_one_line(tmp_path):
    content = demo_content(tmp_path / "content")
    result = CliRunner().invoke(main, ["extract", "--content", str(content), "--dask", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "--dask tcp://127.0.0.1:9" in result.output and "Traceback" not in result.output
