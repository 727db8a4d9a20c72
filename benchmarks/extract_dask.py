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
    log = project / "extract.log"  # Dask's scheduler and workers log at length
    start = time.perf_counter()
    with open(log, "w") as out:
        done = subprocess.run([BIN / "factsheet", "extract", "--content", "content", "--nlp", nlp, *extra],
                              cwd=project, stdout=out, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"factsheet extract {' '.join(extra)} failed ({done.returncode}); see {log}")
    return wall


def snapshot(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (project / "content/facts").glob("*.yaml")}


METHODS = (("plain factsheet extract", []), ("--dask local, 1 worker", ["--dask", "local", "-j", "1"]),
           ("--dask local, 2 workers", ["--dask", "local", "-j", "2"]))


def measure(n: int, nlp: str = "spacy", seed: int = 8, workdir: Path = HERE / "out") -> list[dict[str, object]]:
    """Extract a corpus of ``n`` articles from scratch with each of :data:`METHODS`; one row each."""
    project = workdir / f"dask-n{n}"
    if not (project / "content/articles").is_dir():
        corpus.write_project(project, n, seed)
    rows, reference = [], None
    for name, extra in METHODS:
        wall = timed_extract(project, extra, nlp)
        files = snapshot(project)
        reference = reference or files
        rows.append({"n": n, "nlp": nlp, "method": name, "wall_s": round(wall, 1),
                     "per_s": round(n / wall, 1), "same": files == reference})
    return rows


def table(rows: list[dict[str, object]]) -> str:
    """The Markdown table of :func:`measure`'s rows."""
    lines = [f"| N={rows[0]['n']}, {rows[0]['nlp']} | wall | articles/s | same fact files |", "|---|---|---|---|"]
    lines += [f"| {r['method']} | {r['wall_s']} s | {r['per_s']} | {'yes' if r['same'] else 'NO'} |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="articles")
    parser.add_argument("--nlp", choices=("spacy", "rules"), default="spacy")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    print(table(measure(args.n, args.nlp, args.seed)))


if __name__ == "__main__":
    main()
