"""The held-out benchmark of the tagger (benchmarks/tagger_cv.py): its halves, its copies of the
gold and the key that decides when a fold model is trained again. The whole run (two trainings on
420 articles) is a benchmark, never a test."""
from __future__ import annotations

import json
import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import tagger_cv  # noqa: E402

from generator.extract import train  # noqa: E402

MANIFEST = {"source": "test", "docs": [{"doc_id": f"d{n}", "published": "2020-01-01"} for n in (3, 1, 0, 2, 4)]}


def test_halves_alternate_by_sorted_id_and_cover_every_article_once():
    first, second = tagger_cv.halves(MANIFEST)
    assert [d["doc_id"] for d in first] == ["d0", "d2", "d4"]
    assert [d["doc_id"] for d in second] == ["d1", "d3"]


def test_a_half_folder_holds_copies_and_a_manifest_of_its_articles(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for d in MANIFEST["docs"]:
        (data / (d["doc_id"] + ".txt")).write_text("Ann Lee said it.\n", encoding="utf-8")
        (data / (d["doc_id"] + ".gold.json")).write_text("[]", encoding="utf-8")
    half = tagger_cv.halves(MANIFEST)[1]
    folder = tagger_cv.subset_folder(data, MANIFEST, half, tmp_path / "half")
    assert sorted(p.name for p in folder.glob("*.txt")) == ["d1.txt", "d3.txt"]
    assert not any(p.is_symlink() for p in folder.iterdir())  # the reader refuses links out of a folder
    assert json.loads((folder / "manifest.json").read_text("utf-8"))["docs"] == half


def test_a_fold_model_is_trained_again_when_its_articles_or_parameters_change():
    first, second = tagger_cv.halves(MANIFEST)
    params = dict(train.CRF_PARAMS)
    key = tagger_cv.model_key(first, params)
    assert key == tagger_cv.model_key(first, dict(params))
    assert key != tagger_cv.model_key(second, params)
    assert key != tagger_cv.model_key(first, {**params, "max_iterations": 10})
