"""Held-out figures for the train split: 2-fold cross-validation of the reported-speech tagger.

Usage, from the project root:
    python benchmarks/tagger_cv.py [--data DIR] [--max-iterations N] [--keep DIR]

The shipped tagger is trained on all of ``polnear-train``, so the train row of the README's
figures is in-sample. This benchmark splits the split in two halves (its articles alternately,
by sorted id), trains the tagger on one half with ``generator.extract.train``'s own code and
parameters, and scores the whole extractor (``factsheet quotes`` with that model, the scorer's
figures, as ``../shared/eval/evaluate.py`` prints them) on the other half; then the other way
round. It prints, per half and for both halves together (all 840 articles, each scored by the
model that never saw it), the held-out figures beside the shipped model's (in-sample) on the
same articles. ``--max-iterations`` lowers L-BFGS's iterations (printed with the figures);
``--keep DIR`` keeps the two fold models there and reuses them while the features, lexicons,
training code and parameters are unchanged (then only the extraction runs again).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.extract import train  # noqa: E402
from generator.extract.tagger import CUES_FILE, MODEL_ENV, lexicon_cues  # noqa: E402

EVAL = Path(os.environ.get("FACTSHEET_EVAL") or ROOT.parent / "shared" / "eval")
TRAINING_CODE = ("features.py", "text.py", "lexicon.py", "train.py")  # what a fold model is made with
COLUMNS = ("direct_e2e_F1", "quoted_R", "speech_R", "precision", "speech_speaker_acc", "exact_speech_F1")


def halves(manifest: dict) -> list[list[dict]]:
    """The manifest's documents in two halves, alternately by sorted id (no publisher or date block)."""
    docs = sorted(manifest["docs"], key=lambda d: d["doc_id"])
    return [docs[0::2], docs[1::2]]


def subset_folder(data: Path, manifest: dict, docs: list[dict], folder: Path) -> Path:
    """A folder of copies of ``docs``' text and gold, with their own manifest (what the scorer reads;
    copies, as the reader refuses a link to a file outside its folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    for d in docs:
        for ext in (".txt", ".gold.json"):
            copy = folder / (d["doc_id"] + ext)
            if not copy.exists():
                shutil.copyfile(data / (d["doc_id"] + ext), copy)
    (folder / "manifest.json").write_text(json.dumps({**manifest, "docs": docs}), encoding="utf-8")
    return folder


def model_key(docs: list[dict], params: dict) -> str:
    """What a fold model depends on: its training articles, the parameters and the code that makes
    its sentences, features and labels (not the rules or the tagger's combination with them)."""
    digest = hashlib.sha1(json.dumps([[d["doc_id"] for d in docs], params], sort_keys=True).encode())
    extract = ROOT / "generator" / "extract"
    code = [*(extract / name for name in TRAINING_CODE), *(ROOT / "generator" / "lexicons").glob("*.yaml")]
    for path in sorted(code):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def train_fold(folder: Path, model: Path, params: dict) -> float:
    """Train the tagger on the articles of ``folder`` as ``train.main`` does; seconds taken."""
    t0 = time.perf_counter()
    data = train.load_folder(folder)
    cues = train.cue_words(data)
    model.parent.mkdir(parents=True, exist_ok=True)
    model.with_name(CUES_FILE).write_text("".join(w + "\n" for w in sorted(cues)), encoding="utf-8")
    train.train_model(train.with_cues(data, cues | lexicon_cues()), model, params=params)
    return time.perf_counter() - t0


def predict(docs: list[dict], data: Path, out: Path, model: Path | None) -> None:
    """``factsheet quotes`` over ``docs`` into ``out``, with ``model`` (None: the shipped one)."""
    env = {k: v for k, v in os.environ.items() if k not in (MODEL_ENV, "FACTSHEET_NLP")}
    if model is not None:
        env[MODEL_ENV] = str(model)
    by_date = defaultdict(list)
    for d in docs:
        by_date[d.get("published") or ""].append(str(data / (d["doc_id"] + ".txt")))
    cmd = [str(Path(sys.executable).parent / "factsheet"), "quotes", "--out", str(out)]
    for date, files in sorted(by_date.items()):
        subprocess.run(cmd + (["--published", date] if date else []) + files, env=env, check=True)


def headline(pred: Path, gold: Path) -> dict[str, float]:
    """The scorer's headline figures (as evaluate.py computes them) of ``pred`` against ``gold``."""
    proc = subprocess.run([sys.executable, str(EVAL / "score.py"), str(pred), "--gold", str(gold), "--json"],
                          capture_output=True, text=True, check=True)
    r = json.loads(proc.stdout)["criteria"]
    return {
        "direct_e2e_F1": 100 * r["cov0.5"]["direct"]["e2e_F1"], "quoted_R": 100 * r["ggt0.3"]["quoted"]["R"],
        "speech_R": 100 * r["ggt0.3"]["speech"]["R"], "precision": 100 * r["cov0.5"]["all"]["P"],
        "speech_speaker_acc": 100 * r["ggt0.3"]["speech"]["speaker_acc"],
        "exact_speech_F1": 100 * r["exact"]["speech"]["F1"],
    }


def main(argv: list[str] | None = None) -> int:
    """Train the two folds, extract, score, print."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=EVAL / "polnear-train", help="annotated folder (default: %(default)s)")
    ap.add_argument("--max-iterations", type=int, default=train.CRF_PARAMS["max_iterations"],
                    help="L-BFGS iterations of the fold models (default: the shipped model's, %(default)s)")
    ap.add_argument("--keep", type=Path, default=None, help="keep (and reuse) the fold models in this folder")
    args = ap.parse_args(argv)
    if not (args.data / "manifest.json").is_file():
        print(f"error: {args.data}: no manifest.json (set FACTSHEET_EVAL or --data)", file=sys.stderr)
        return 2
    manifest = json.loads((args.data / "manifest.json").read_text("utf-8"))
    params = {**train.CRF_PARAMS, "max_iterations": args.max_iterations}
    parts = halves(manifest)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = args.keep or tmp / "models"
        folders = [subset_folder(args.data, manifest, docs, tmp / f"half{i}") for i, docs in enumerate(parts)]
        models = [store / f"fold{i}-{model_key(parts[i], params)}" / train.MODEL_FILE for i in range(2)]
        todo = [i for i in range(2) if not models[i].is_file()]
        with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, len(todo))) as pool:
            jobs = {i: pool.submit(train_fold, folders[i], models[i], params) for i in todo}
            for i, job in jobs.items():
                print(f"fold {i}: trained on half {i} ({len(parts[i])} articles) in {job.result():.0f} s, "
                      f"{models[i].stat().st_size / 1e6:.2f} MB")
        for i in range(2):
            if i not in todo:
                print(f"fold {i}: reused {models[i]}")
        both = subset_folder(args.data, manifest, parts[0] + parts[1], tmp / "both")
        rows = []
        for kind in ("held-out", "in-sample"):
            out = tmp / kind
            for test in range(2):
                predict(parts[test], args.data, out, models[1 - test] if kind == "held-out" else None)
            for test in range(2):
                rows.append((f"half {test}, {kind}", headline(out, folders[test])))
            rows.append((f"both halves, {kind}", headline(out, both)))
    print(f"\n{args.data.name}: 2-fold, {params['max_iterations']} iterations (held-out: the half scored by the model "
          "trained on the other half; in-sample: the shipped model, trained on both)")
    print(f"{'':24} " + " ".join(f"{c:>18}" for c in COLUMNS))
    for name, fig in sorted(rows, key=lambda r: r[0]):
        print(f"{name:24} " + " ".join(f"{fig[c]:18.1f}" for c in COLUMNS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
