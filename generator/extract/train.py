"""Train the reported-speech tagger: ``python -m generator.extract.train [--data DIR]``.

Reads an annotated folder in the evaluation format (``<id>.txt`` and ``<id>.gold.json``, by
default ``../shared/eval/polnear-train``), labels every token of every sentence with the speech
records' spans (content ``C``, cue ``Q``, source ``S``, as B-/I- tags; beliefs, polls and reports
stay ``O``), trains a CRF with CRFsuite (deterministic: L-BFGS from zero weights, no shuffling)
and writes it into the package (``generator/extract/models/speech.crfsuite``). It prints the
model's span figures on the training folder and, when present, on ``../shared/eval/polnear-dev``,
beside an alternative (``--compare``: an averaged perceptron, and the CRF without its context
features). The training data never enters the repository: only the model does.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from generator import ingest
from generator.extract.core import prepare
from generator.extract.features import CUE_WORD_RE, FEATURE_SET, TaggedSentence, article_sentences
from generator.extract.tagger import CUES_FILE, MODEL_FILE, lexicon_cues

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "polnear-train"
DEFAULT_DEV = ROOT.parent / "shared" / "eval" / "polnear-dev"
MODEL_PATH = Path(__file__).parent / "models" / MODEL_FILE
SPEECH_CUES = ("speech", "according_to", "punctuation")  # the scorer's speech subset
SEED = 0  # CRFsuite's L-BFGS is deterministic; the perceptron shuffles with this seed
CRF_PARAMS = {"c1": 3.0, "c2": 0.01, "max_iterations": 120, "feature.minfreq": 3,
              "feature.possible_transitions": True}
AP_PARAMS = {"max_iterations": 12, "feature.minfreq": 2}
CONTEXT_PREFIXES = ("w-", "w+", "cue-", "cue+", "q-", "q+", "bi-", "bi+", "lcue", "rcue", "that", "comma")


def load_folder(folder: Path, limit: int | None = None) -> list[tuple[list[TaggedSentence], list[list[str]]]]:
    """Per article of ``folder``: its sentences with features, and their gold labels."""
    out = []
    golds = sorted(folder.glob("*.gold.json"))[:limit]
    for gold_path in golds:
        txt = gold_path.with_name(gold_path.name[: -len(".gold.json")] + ".txt")
        article = ingest.load_article(txt)
        gold = json.loads(gold_path.read_text("utf-8"))
        sents = article_sentences(article.text, prepare(article).split)
        out.append((sents, [labels(s, gold) for s in sents]))
    return out


def cue_words(data, min_count: int = 3, min_share: float = 0.05) -> frozenset[str]:
    """The words that were part of a cue at least ``min_count`` times and in ``min_share`` of their
    occurrences, beyond the lexicon's: a sentence with none of them (or the lexicon's) is not tagged."""
    seen: Counter[str] = Counter()
    cue: Counter[str] = Counter()
    for sents, tags in data:
        for s, t in zip(sents, tags):
            for tok, tag in zip(s.toks, t):
                for w in CUE_WORD_RE.findall(tok.lower):
                    seen[w] += 1
                    cue[w] += tag.endswith("-Q")
    lexical = lexicon_cues()
    return frozenset(w for w, n in cue.items() if n >= min_count and n >= min_share * seen[w] and w not in lexical)


def labels(sent: TaggedSentence, gold: list[dict]) -> list[str]:
    """The B-/I- tag of each token from the speech records (cue over source over content)."""
    tags = [""] * len(sent.toks)
    for part, key in (("Q", "cue_spans"), ("S", "speaker_spans"), ("C", "quote_spans")):
        for g in gold:
            if g.get("cue_class") not in SPEECH_CUES:
                continue
            for sp in g.get(key) or ():
                if sp["end"] <= sent.sentence.start or sp["start"] >= sent.sentence.end:
                    continue
                prev_in = False
                for i, t in enumerate(sent.toks):
                    inside = t.start < sp["end"] and sp["start"] < t.end and any(c.isalnum() for c in t.text) \
                        or (sp["start"] <= t.start and t.end <= sp["end"])
                    if inside and not tags[i]:
                        tags[i] = ("I-" if prev_in else "B-") + part
                    prev_in = inside
    return [t or "O" for t in tags]


def _strip_context(feats: list[list[str]]) -> list[list[str]]:
    return [[f for f in fs if not f.startswith(CONTEXT_PREFIXES)] for fs in feats]


def with_cues(data, cues: frozenset[str]):
    """``data`` with only the sentences the tagger reads at run time (those with a cue word)."""
    out = []
    for sents, tags in data:
        keep = [i for i, s in enumerate(sents) if not cues.isdisjoint(CUE_WORD_RE.findall(" ".join(t.lower for t in s.toks)))]
        out.append(([sents[i] for i in keep], [tags[i] for i in keep]))
    return out


def train_model(data, path: Path, algorithm: str = "lbfgs", context: bool = True,
                params: dict | None = None) -> None:
    """Train CRFsuite on ``data`` (from ``load_folder``) and write the model to ``path``
    (``params`` overrides some of the algorithm's parameters: the held-out benchmark's)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.select(algorithm, "crf1d")
    params = {**(CRF_PARAMS if algorithm == "lbfgs" else AP_PARAMS), **(params or {})}
    if algorithm == "ap":
        params["shuffle_seed"] = SEED
    try:
        trainer.set_params(params)
    except ValueError:  # an older CRFsuite without shuffle_seed
        params.pop("shuffle_seed", None)
        trainer.set_params(params)
    for sents, tags in data:
        for s, t in zip(sents, tags):
            trainer.append(s.features if context else _strip_context(s.features), t)
    path.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(path))


def spans(tags: list[str], part: str) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` tagged ``part`` (a B- tag or a change of tag starts a new one)."""
    out, start = [], None
    for i, t in enumerate([*tags, "O"]):
        if start is not None and (t != "I-" + part):
            out.append((start, i))
            start = None
        if t in ("B-" + part, "I-" + part) and start is None:
            start = i
    return out


def figures(path: Path, data, context: bool = True) -> dict[str, float]:
    """Exact span precision, recall and F1 of content (``C``) and cue (``Q``) spans, in percent."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    counts = {p: [0, 0, 0] for p in "CQ"}  # true positives, predicted, gold
    for sents, tags in data:
        for s, gold in zip(sents, tags):
            pred = tagger.tag(s.features if context else _strip_context(s.features))
            for p in "CQ":
                g, q = set(spans(gold, p)), set(spans(pred, p))
                counts[p][0] += len(g & q)
                counts[p][1] += len(q)
                counts[p][2] += len(g)
    out = {}
    for p, (tp, n_pred, n_gold) in counts.items():
        P, R = tp / n_pred if n_pred else 0.0, tp / n_gold if n_gold else 0.0
        out.update({f"{p}_P": 100 * P, f"{p}_R": 100 * R, f"{p}_F1": 200 * P * R / (P + R) if P + R else 0.0})
    return out


def _line(name: str, f: dict[str, float]) -> str:
    return (f"{name:28} content P/R/F1 {f['C_P']:5.1f} {f['C_R']:5.1f} {f['C_F1']:5.1f}   "
            f"cue P/R/F1 {f['Q_P']:5.1f} {f['Q_R']:5.1f} {f['Q_F1']:5.1f}")


def main(argv: list[str] | None = None) -> int:
    """The command line: train, write the model, print its figures."""
    ap = argparse.ArgumentParser(prog="python -m generator.extract.train", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="annotated training folder (default: %(default)s)")
    ap.add_argument("--dev", type=Path, default=DEFAULT_DEV, help="folder to report figures on, when it exists")
    ap.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the model (default: in the package)")
    ap.add_argument("--limit", type=int, default=None, help="read only the first N articles (a quick check)")
    ap.add_argument("--compare", action="store_true", help="also train and measure the alternatives")
    args = ap.parse_args(argv)
    if not args.data.is_dir() or not any(args.data.glob("*.gold.json")):
        print(f"error: {args.data}: no <id>.gold.json files to train on", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    data = load_folder(args.data, args.limit)
    dev = load_folder(args.dev, args.limit) if args.dev.is_dir() and any(args.dev.glob("*.gold.json")) else None
    n_tokens = sum(len(s.toks) for sents, _ in data for s in sents)
    cues = cue_words(data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_name(CUES_FILE).write_text("".join(w + "\n" for w in sorted(cues)), encoding="utf-8")
    cues |= lexicon_cues()
    data = with_cues(data, cues)
    dev = with_cues(dev, cues) if dev else None
    n_kept = sum(len(s.toks) for sents, _ in data for s in sents)
    print(f"training data: {args.data} ({len(data)} articles, {n_tokens} tokens, {n_kept} in sentences with "
          f"one of {len(cues)} cue words), features {FEATURE_SET}")
    train_model(data, args.out)
    size = args.out.stat().st_size
    print(f"model: {args.out} ({size / 1e6:.2f} MB, {time.perf_counter() - t0:.0f} s)")
    print(_line("CRF (train)", figures(args.out, data)))
    if dev:
        print(_line("CRF (dev)", figures(args.out, dev)))
    if args.compare:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            for name, algorithm, context in (("perceptron", "ap", True), ("CRF without context", "lbfgs", False)):
                alt = Path(tmp) / f"{algorithm}-{context}.crfsuite"
                train_model(data, alt, algorithm, context)
                for split, d in (("train", data), ("dev", dev)):
                    if d:
                        print(_line(f"{name} ({split})", figures(alt, d, context)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
