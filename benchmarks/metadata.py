"""How often factsheet gets an HTML article's metadata right: title, date, outlet and author.

Compares what the ingester finds in each news-dev page with the values checked by hand in
``metadata_expected.json`` (beside this script) and prints the share right per field, then the
misses. Run from the project root::

    .venv/bin/python benchmarks/metadata.py            # the shared news-dev set beside the repo
    .venv/bin/python benchmarks/metadata.py --set DIR  # another folder of <id>.html pages
    .venv/bin/python benchmarks/metadata.py --json     # machine-readable

Comparison forgives what a reader would not call a difference: letter case, punctuation and
quote style; the order of several authors; "The", "www." and a ".com" in an outlet's name.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELDS = ("title", "published", "outlet", "author")
_OUTLET_NOISE = {"the", "www", "com", "co", "uk", "ca", "info", "net", "org"}


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text).casefold()
    return re.findall(r"[^\W_]+", text)


def normalize(field: str, value: object) -> object:
    """The comparable form of a metadata value (None stays None)."""
    if value is None:
        return None
    text = str(value)
    if field == "published":
        return text[:10]
    if field == "outlet":
        return "".join(t for t in _tokens(text) if t not in _OUTLET_NOISE)
    if field == "author":
        names = re.split(r";|,|\band\b|&", re.sub(r"^\s*by\s+", "", text, flags=re.I))
        return frozenset("".join(_tokens(n)) for n in names if _tokens(n))
    return "".join(_tokens(text))


def measure(folder: Path, expected: dict[str, dict[str, object]]) -> tuple[dict[str, list[bool]], list[str]]:
    """Per field, whether each checked page is right; and a line per miss."""
    sys.path.insert(0, str(HERE.parent))
    from generator.errors import FactsheetError
    from generator.ingest import load_article

    results: dict[str, list[bool]] = {f: [] for f in FIELDS}
    misses = []
    for page, truth in sorted(expected.items()):
        try:
            article = load_article(folder / f"{page}.html")
            got = {f: getattr(article, f) for f in FIELDS}
        except FactsheetError as exc:
            got = dict.fromkeys(FIELDS)
            misses.append(f"{page[:8]} error: {exc}")
        for field in FIELDS:
            if field not in truth:
                continue
            right = normalize(field, got[field]) == normalize(field, truth[field])
            results[field].append(right)
            if not right:
                misses.append(f"{page[:8]} {field}: got {got[field]!s:.70} expected {truth[field]!s:.70}")
    return results, misses


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=HERE.parent.parent / "shared" / "eval" / "news-dev",
                    help="folder with the <id>.html pages (default: ../shared/eval/news-dev)")
    ap.add_argument("--expected", type=Path, default=HERE / "metadata_expected.json")
    ap.add_argument("--json", action="store_true", help="print the shares as JSON")
    args = ap.parse_args()
    if not args.set.is_dir():
        print(f"error: {args.set}: no such folder (hint: pass --set with the news-dev pages)", file=sys.stderr)
        return 2
    expected = json.loads(args.expected.read_text("utf-8"))["pages"]
    results, misses = measure(args.set, expected)
    shares = {f: round(100 * sum(r) / len(r), 1) if r else None for f, r in results.items()}
    counts = {f: f"{sum(r)}/{len(r)}" for f, r in results.items()}
    if args.json:
        print(json.dumps({"shares": shares, "counts": counts, "misses": misses}, indent=1))
        return 0
    for line in misses:
        print(line)
    print(f"pages={len(expected)} " + " ".join(f"{f}={shares[f]}% ({counts[f]})" for f in FIELDS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
