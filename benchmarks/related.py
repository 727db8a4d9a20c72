"""How often `factsheet check`'s related-statement suggestions are right (generator/related.py).

Two measurements, each printed as suggested pairs, right ones, precision and recall:

- **demo**: the demo's records, labelled by hand below (which records report one statement);
- **corpus**: a generated multi-outlet archive (``benchmarks/corpus.py``), whose generator knows
  which paragraph carries which statement: records found in the same statement's paragraphs of
  two articles are one statement (the second sentence of a quote is a statement of its own).

Only pairs that merging has not already joined count, from two articles: a suggestion is right
when both records report one statement; recall is the share of such pairs suggested.

    .venv/bin/python benchmarks/related.py --n 200
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

import corpus  # noqa: E402

from generator import content, merge, related, wording  # noqa: E402

# The demo's records by the statement they report (a hand reading of the two articles). A record
# that carries two statements (the Independent's whole walk-back quote) has both labels.
DEMO_LABELS = {
    "s-68a794": {"email-delete"}, "s-f4eca5": {"email-text"}, "s-396209": {"email-risks"},
    "s-30576e": {"email-risks"}, "s-b94067": {"email-laptops"},
    "s-650150": {"in-error"}, "s-9f5992": {"in-error"}, "s-9f59926": {"in-error"}, "s-0954c7": {"in-error"},
    "s-fb76db": {"in-error", "no-change"}, "s-489d80": {"no-change"}, "s-9ac74b": {"no-change"},
    "s-803716": {"still-usable"},
    "s-b62490": {"not-told"}, "s-7b787e": {"not-told"}, "s-f5d5b4": {"not-told", "dialogue"},
    "s-968aac": {"dialogue"}, "s-fd1429": {"proud"},
    "s-7c1c3d": {"looking-at-ban"}, "s-2a8599": {"looking-at-ban"}, "s-dfa981": {"looking-at-ban"},
    "s-824c4f": {"get-it-right"},
}


def score(records: list, people: list, labels: dict[str, set]) -> dict[str, float]:
    """Suggested pairs, right ones, pairs to find, precision and recall, and the time taken."""
    start = time.perf_counter()
    suggestions = related.suggest(records, people)
    seconds = time.perf_counter() - start
    visible = [r for r in records if r.status != "rejected"]
    group_of = {r.id: n for n, group in enumerate(merge.group_records(visible, content.canonical_speakers(people)))
                for r in group}
    truth = {frozenset((a.id, b.id)) for a, b in combinations(visible, 2)
             if a.citation.article != b.citation.article and group_of[a.id] != group_of[b.id]
             and labels.get(a.id, set()) & labels.get(b.id, set())}
    suggested = {frozenset((s.first.id, s.second.id)) for s in suggestions}
    right = suggested & truth
    return {"records": len(visible), "suggested": len(suggested), "right": len(right), "to find": len(truth),
            "precision": len(right) / len(suggested) if suggested else float("nan"),
            "recall": len(right) / len(truth) if truth else float("nan"), "seconds": seconds}


def corpus_labels(sheet: content.Sheet, truth: dict[str, list[tuple[str, object, str]]]) -> dict[str, set]:
    """Each record's statement, from the paragraph it is in (and which sentence of the quote)."""
    labels: dict[str, set] = {}
    by_article = {Path(a.path).name: a for a in sheet.articles.values()}
    spans: dict[str, list[tuple[int, int, object, str]]] = {}
    for name, paragraphs in truth.items():
        article = by_article.get(name)
        if article is None:
            continue
        found, at = [], 0
        for paragraph, key, second in paragraphs:
            pos = article.text.find(paragraph, at)
            if pos >= 0:
                found.append((pos, pos + len(paragraph), key, second))
                at = pos + len(paragraph)
        spans[article.id] = found
    for record in sheet.records:
        for start, end, key, second in spans.get(record.citation.article, ()):
            if start <= record.citation.start < end:
                part = "second" if wording.word_key(record.quote) in wording.word_key(second) else "first"
                labels[record.id] = {(key, part)}
    return labels


def measure_corpus(n: int, seed: int) -> dict[str, float]:
    truth: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = corpus.write_project(Path(tmp), n, seed, truth=truth)
        env = {**os.environ, "FACTSHEET_CACHE_DIR": ""}
        done = subprocess.run([str(Path(sys.executable).parent / "factsheet"), "extract", "--nlp", "rules",
                               "--content", str(root / "content")], capture_output=True, text=True, env=env)
        if done.returncode != 0:
            raise SystemExit(done.stderr or done.stdout)
        sheet = content.load_sheet(root / "content")
        return score(sheet.records, sheet.people, corpus_labels(sheet, truth))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="articles in the generated corpus")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    demo = content.load_sheet(ROOT / "content")
    rows = [("demo (2 articles, hand-labelled)", score(demo.records, demo.people, DEMO_LABELS)),
            (f"corpus (n={args.n}, seed {args.seed})", measure_corpus(args.n, args.seed))]
    print("| set | records | suggested | right | pairs to find | precision | recall | time |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in rows:
        print(f"| {name} | {r['records']} | {r['suggested']} | {r['right']} | {r['to find']} | "
              f"{r['precision']:.1%} | {r['recall']:.1%} | {r['seconds']:.2f} s |")


if __name__ == "__main__":
    main()
