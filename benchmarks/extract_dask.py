"""Extraction on Dask against plain ``factsheet extract``: articles/s, 1 and 2 local workers.

    .venv/bin/python benchmarks/extract_dask.py --n 200            # spaCy mode (the default)
    .venv/bin/python benchmarks/extract_dask.py --n 1000 --nlp rules

Writes a corpus of N articles (``benchmarks/corpus.py``) to ``benchmarks/out/dask-nN``, extracts it
from scratch with each method (wall time includes starting the cluster and loading the model in
each worker), checks that every method wrote the same fact files byte for byte, and prints a table.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402


def timed_extract(project: Path, extra: list[str], nlp: str) -> float:
    shutil.rmtree(project / "content/facts", ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([BIN / "factsheet", "extract", "--content", "content", "--nlp", nlp, *extra], cwd=project,
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def snapshot(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (project / "content/facts").glob("*.yaml")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="articles")
    parser.add_argument("--nlp", choices=("spacy", "rules"), default="spacy")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    project = HERE / "out" / f"dask-n{args.n}"
    if not (project / "content/articles").is_dir():
        corpus.write_project(project, args.n, args.seed)
    methods = (("plain factsheet extract", []), ("--dask local, 1 worker", ["--dask", "local", "-j", "1"]),
               ("--dask local, 2 workers", ["--dask", "local", "-j", "2"]))
    rows, reference = [], None
    for name, extra in methods:
        wall = timed_extract(project, extra, args.nlp)
        files = snapshot(project)
        reference = reference or files
        rows.append((name, wall, files == reference))
    print(f"| N={args.n}, {args.nlp} | wall | articles/s | same fact files |\n|---|---|---|---|")
    for name, wall, same in rows:
        print(f"| {name} | {wall:.1f} s | {args.n / wall:.1f} | {'yes' if same else 'NO'} |")


if __name__ == "__main__":
    main()
