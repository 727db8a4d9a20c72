"""What extraction misses on an evaluation set, grouped by construction (for tuning the rules).

Usage, from the project root:
    python benchmarks/misses.py [SET] [--mode spacy|rules] [--show N] [--group KEY]

SET defaults to polnear-train (the set to tune on). It extracts every article in process, matches
predictions to the gold records as ``../shared/eval/score.py`` does (ggt0.3, one-to-one) and prints:

* the gold direct and mixed quotations that no prediction matches, grouped by a rough
  construction label (where the cue is: before or after the quotation; the cue's word; what was
  predicted over it, if anything);
* the matched speech records whose speaker is wrong, grouped by the kind of mention predicted
  (a pronoun, a role noun, a name) and the kind of gold speaker.

Each group lists its size and up to N examples (``--show``) with the sentence around them.
The gold stays in ``../shared``; nothing is written.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import importlib.util
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = Path(os.environ.get("FACTSHEET_EVAL") or ROOT.parent / "shared" / "eval")
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "one", "who"}


def _scorer():
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _load(set_name: str):
    sys.path.insert(0, str(ROOT))
    from generator import ingest

    manifest = json.loads((EVAL / set_name / "manifest.json").read_text("utf-8"))
    for d in manifest["docs"]:
        pub = d.get("published")
        path = EVAL / set_name / (d["doc_id"] + ".txt")
        article = ingest.load_article(path, published=dt.date.fromisoformat(pub) if pub else None)
        gold = json.loads((EVAL / set_name / (d["doc_id"] + ".gold.json")).read_text("utf-8"))
        yield d["doc_id"], article, gold


def _around(text: str, start: int, end: int, width: int = 110) -> str:
    a = max(0, text.rfind("\n", 0, start) + 1, start - width)
    b = text.find("\n", end)
    b = min(b if b >= 0 else len(text), end + width)
    return " ".join(text[a:b].split())


def _kind_of(mention: str | None) -> str:
    if not mention:
        return "none"
    low = mention.lower().split()
    if len(low) == 1 and low[0] in PRONOUNS:
        return "pronoun"
    if any(w[:1].isupper() for w in mention.split()):
        return "name"
    return "noun"


def _miss_label(g: dict, overlapping: list[dict]) -> str:
    """A rough construction label for a missed gold quotation."""
    cue = (g.get("cue") or "").lower()
    where = "no cue"
    if g.get("cue_start") is not None:
        where = "cue before" if g["cue_start"] < g["start"] else "cue after"
    got = "nothing predicted"
    if overlapping:
        p = max(overlapping, key=lambda p: len(set(range(*p["spans"][0])) & set(range(g["start"], g["end"]))))
        got = f"predicted {p.get('kind')} too small/shifted"
    word = cue.split()[-1] if cue else "-"
    return f"{g['type']} | {where} | {word} | {got}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set", nargs="?", default="polnear-train")
    ap.add_argument("--mode", default="spacy", choices=("spacy", "rules"))
    ap.add_argument("--show", type=int, default=3)
    ap.add_argument("--group", default="", help="only the groups whose label contains this text")
    ap.add_argument("--top", type=int, default=25, help="how many groups to print")
    args = ap.parse_args()
    score = _scorer()
    sys.path.insert(0, str(ROOT))
    from generator import extract

    docs = list(_load(args.set))
    results = extract.extract_many([a for _, a, _ in docs], jobs=1, mode=args.mode)
    misses: dict[str, list[str]] = collections.defaultdict(list)
    wrong: dict[str, list[str]] = collections.defaultdict(list)
    n_quoted = n_speech = 0
    for (doc_id, article, gold), (_a, statements) in zip(docs, results):
        text = article.text
        preds = []
        for s in statements:
            j = extract.as_json(s)
            j["spans"] = [(sp.start, sp.end) for sp in s.spans]
            j["text"] = s.quote
            preds.append(j)
        used: set[int] = set()
        for g in gold:
            best, best_i = 0.0, None
            for i, p in enumerate(preds):
                if i in used:
                    continue
                sc = score.crit_score(g, p, "ggt0.3")
                if score.passes(sc, "ggt0.3") and sc > best:
                    best, best_i = sc, i
            subs = score.subsets_of(g)
            if best_i is None:
                if "quoted" in subs:
                    n_quoted += 1
                    over = [p for p in preds if p["spans"][0][0] < g["end"] and g["start"] < p["spans"][-1][1]]
                    misses[_miss_label(g, over)].append(
                        f"{doc_id}: [{g.get('speaker')} / {g.get('cue')}] {_around(text, g['start'], g['end'])}")
                continue
            used.add(best_i)
            p = preds[best_i]
            if "speech" in subs and not score.speaker_ok(g, p):
                n_speech += 1
                mention = text[p["speaker_start"]:p["speaker_end"]] if p.get("speaker_start") is not None else None
                label = (f"predicted {_kind_of(mention)}{' (inferred)' if p.get('speaker_inferred') else ''} -> "
                         f"gold {_kind_of(g.get('speaker'))} | {p.get('kind')}")
                wrong[label].append(f"{doc_id}: gold={g.get('speaker')!r} ({g.get('speaker_coref_auto')}) "
                                    f"pred={p.get('speaker')!r} from {mention!r}: "
                                    f"{_around(text, g['start'], g['end'])}")
    for title, groups, total in (("MISSED QUOTED (direct + mixed)", misses, n_quoted),
                                 ("WRONG SPEAKERS (speech)", wrong, n_speech)):
        print(f"\n=== {title}: {total} ===")
        for label, items in sorted(groups.items(), key=lambda kv: -len(kv[1]))[:args.top]:
            if args.group and args.group not in label:
                continue
            print(f"\n{len(items):4d}  {label}")
            for item in items[:args.show]:
                print("      " + re.sub(r"\s+", " ", item)[:400])


if __name__ == "__main__":
    main()
