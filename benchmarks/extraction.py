"""Extraction benchmark: speed and quality of both modes on the shared evaluation sets.

Usage, from the project root:  python benchmarks/extraction.py [--sets polnear-train polnear-dev seeds]

By default it measures polnear-train (the set rules are tuned on, ~1 minute a mode), polnear-dev
(the check that a change generalises) and the seeds, side by side.

For each mode (spacy, rules) and set it runs ``../shared/eval/evaluate.py`` (the whole
``factsheet quotes`` command, start-up included, on all cores) and prints the headline figures,
then the in-process extraction speed (articles already read, model already loaded, one core).
Needs ``../shared/eval`` beside the project (or ``FACTSHEET_EVAL=DIR``); prints a note and skips
those sets when it is missing.

Then one large generated article (~900 KB, 14,000 statements) in each mode: extraction must stay
linear in the article's length (``--large-only`` runs just that; ``--paragraphs`` sets its size).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("FACTSHEET_EVAL") or ROOT.parent / "shared" / "eval")  # elsewhere: FACTSHEET_EVAL=DIR
COLUMNS = ("docs_per_s", "direct_e2e_F1", "quoted_R", "speech_R", "precision", "speech_speaker_acc",
           "exact_speech_F1", "resolved_speaker_acc", "said_on_acc")


def headline(set_name: str, mode: str) -> dict[str, str]:
    """The last line of evaluate.py for one set and mode, as a dict."""
    env = dict(os.environ, FACTSHEET_NLP=mode)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    proc = subprocess.run([sys.executable, str(EVAL / "evaluate.py"), set_name], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    last = proc.stdout.strip().splitlines()[-1]
    return dict(item.split("=", 1) for item in last.split())


def in_process(set_name: str, mode: str) -> tuple[int, float]:
    """Articles per second of ``extract`` alone (no start-up, one core)."""
    sys.path.insert(0, str(ROOT))
    from generator import extract, ingest

    files = sorted((EVAL / set_name).glob("*.txt"))
    articles = [ingest.load_article(f) for f in files]
    nlp = extract.load_nlp(mode)
    t0 = time.perf_counter()
    for article in articles:
        extract.extract(article, nlp)
    return len(articles), time.perf_counter() - t0


def large_text(paragraphs: int) -> str:
    """A long article of attributed quotations and reported speech (two statements a paragraph)."""
    para = ('"The council {i} will vote on the budget and the roads," Jane Doe said on Monday. '
            "The mayor said that the plan {i} was final.")
    return "\n\n".join(para.format(i=i) for i in range(paragraphs)) + "\n"


def large(paragraphs: int) -> None:
    """Articles per second for one large article, per mode (read, model loaded, one core)."""
    sys.path.insert(0, str(ROOT))
    from generator import extract, ingest

    text = large_text(paragraphs)
    article = ingest.article_from_text(text, "large.txt")
    rows = []
    for mode in ("spacy", "rules"):
        try:
            nlp = extract.load_nlp(mode)
        except OSError as exc:
            print(f"{mode}: {exc}")
            continue
        t0 = time.perf_counter()
        statements = extract.extract(article, nlp)
        seconds = time.perf_counter() - t0
        rows.append([mode, f"{len(text.encode()) / 1000:.0f}", str(len(statements)), f"{seconds:.2f}",
                     f"{1 / seconds:.3f}"])
    names = ["mode", "article_KB", "statements", "seconds", "articles_per_s"]
    widths = [max(len(r[i]) for r in rows + [names]) for i in range(len(names))]
    for row in [names] + rows:
        print("  ".join(v.rjust(w) for v, w in zip(row, widths)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=["polnear-train", "polnear-dev", "seeds"])
    ap.add_argument("--large-only", action="store_true", help="only the large generated article")
    ap.add_argument("--paragraphs", type=int, default=7000, help="size of the large article (7000: ~900 KB)")
    args = ap.parse_args()
    if not args.large_only:
        sets(args.sets)
        print()
    large(args.paragraphs)


def sets(names: list[str]) -> None:
    """Quality and speed on the shared evaluation sets."""
    if not EVAL.is_dir():
        print(f"no evaluation sets at {EVAL}; nothing to measure")
        return
    rows = []
    for set_name in names:
        for mode in ("spacy", "rules"):
            head = headline(set_name, mode)
            n, seconds = in_process(set_name, mode)
            rows.append([set_name, mode] + [head.get(c, "-") for c in COLUMNS] + [f"{n / seconds:.1f}"])
    names = ["set", "mode"] + list(COLUMNS) + ["extract_docs_per_s"]
    widths = [max(len(str(r[i])) for r in rows + [names]) for i in range(len(names))]
    for row in [names] + rows:
        print("  ".join(str(v).rjust(w) for v, w in zip(row, widths)))


if __name__ == "__main__":
    main()
