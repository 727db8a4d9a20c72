"""Time ``render.render_all`` (merge + render, factsheet's share of a build) and check its output.

From the project root, after ``benchmarks/run.py`` has made a corpus (``benchmarks/out/n1000``)::

    .venv/bin/python benchmarks/render.py --n 1000 --repeat 7
    # old against new, measured in the same process, output compared page by page
    # (d747c2e: the last commit before render was made faster):
    mkdir -p /tmp/base && git archive d747c2e generator templates | tar -x -C /tmp/base
    .venv/bin/python benchmarks/render.py --n 1000 --repeat 7 --against /tmp/base

``--against DIR`` imports the whole ``generator`` package of another checkout (``DIR/generator``,
its templates ``DIR/templates`` as the defaults) beside this one, loads the content with each
package's own loader, renders with both (alternating, so a noisy machine affects both alike),
prints the medians and fails if any page or data file differs. The first
call of each is the one a ``mkdocs build`` makes (templates compiled, caches empty); later calls
reuse what the first kept, as ``mkdocs serve`` does.
``--save FILE`` / ``--compare FILE`` keep and check the output as a pickle instead.
Nothing here is a test: it measures and prints.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import pickle
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import render  # noqa: E402


def _ours() -> dict[str, object]:
    return {name: m for name, m in sys.modules.items() if name == "generator" or name.startswith("generator.")}


class Checkout:
    """One checkout's ``generator`` package: its own loader and renderer (and all they import).

    Two packages named ``generator`` cannot be in ``sys.modules`` at once, and both import lazily
    inside functions; so each call runs with its own package's modules in place (:meth:`active`).
    """

    def __init__(self, modules: dict[str, object], templates: Path | None = None):
        self.modules = modules
        self.content, self.render = modules["generator.content"], modules["generator.render"]
        if templates is not None:
            self.render.default_templates = lambda: templates

    @contextlib.contextmanager
    def active(self):
        saved = _ours()
        for name in saved:
            del sys.modules[name]
        sys.modules.update(self.modules)
        try:
            yield self
        finally:
            self.modules = _ours()  # with whatever it imported meanwhile
            for name in self.modules:
                del sys.modules[name]
            sys.modules.update(saved)


def load_other(folder: Path) -> Checkout:
    """Import the whole ``generator`` package of another checkout, beside the one already loaded."""
    saved = _ours()
    for name in saved:
        del sys.modules[name]
    sys.path.insert(0, str(folder))
    try:
        importlib.import_module("generator.content")
        importlib.import_module("generator.render")
        other = _ours()
        if not Path(other["generator"].__file__).resolve().is_relative_to(folder):
            raise SystemExit(f"{folder} has no generator package")
    finally:
        sys.path.remove(str(folder))
        for name in _ours():
            del sys.modules[name]
        sys.modules.update(saved)
    return Checkout(other, folder / "templates")


def _records(sheet) -> list:
    """A sheet's records, by either name (``Sheet.facts`` before the renaming of #12)."""
    return sheet.records if hasattr(sheet, "records") else sheet.facts


def call(module, sheet, templates: Path | None) -> tuple[float, dict[str, str]]:
    """One render of ``sheet`` by a render module: seconds taken, and the files made."""
    records = _records(sheet)
    start = time.perf_counter()
    out = module.render_all(sheet.articles, records, sheet.people, overview=sheet.overview, title="T",
                            templates=templates, problems=sheet.problems)
    return time.perf_counter() - start, out


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(set(a) ^ set(b)) + sorted(k for k in set(a) & set(b) if a[k] != b[k])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="corpus size (benchmarks/out/nN/content)")
    parser.add_argument("--content", type=Path, help="a content folder instead of the corpus")
    parser.add_argument("--templates", type=Path, help="a folder of template overrides")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--against", type=Path, help="a checkout (generator/render.py, templates/) to compare with")
    parser.add_argument("--save", type=Path, help="write the output (a pickled dict) here")
    parser.add_argument("--compare", type=Path, help="fail unless the output equals this pickle")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one call")
    args = parser.parse_args()
    folder = args.content or ROOT / "benchmarks" / "out" / f"n{args.n}" / "content"
    checkouts = {"new": Checkout(_ours())}
    if args.against:
        checkouts = {"old": load_other(args.against.resolve()), **checkouts}
    sheets = {}
    for name, checkout in checkouts.items():
        start = time.perf_counter()
        with checkout.active():
            sheets[name] = checkout.content.load_sheet(folder)
        print(f"{name}: {folder}: {len(sheets[name].articles)} articles, {len(_records(sheets[name]))} records, "
              f"loaded in {time.perf_counter() - start:.2f} s")
    sheet = sheets["new"]
    times: dict[str, list[float]] = {name: [] for name in checkouts}
    outputs: dict[str, dict[str, str]] = {}
    for _ in range(args.repeat):
        for name, checkout in checkouts.items():
            with checkout.active():
                seconds, outputs[name] = call(checkout.render, sheets[name], args.templates)
            times[name].append(seconds)
    for name, values in times.items():
        print(f"{name}: median {statistics.median(values):.3f} s, min {min(values):.3f} s over {len(values)} "
              f"({', '.join(f'{v:.2f}' for v in values)})")
    out = outputs["new"]
    print(f"{len(out)} files, {sum(map(len, out.values())):,} characters")
    failed = False
    if args.against:
        diff = differences(outputs["old"], out)
        print(f"old vs new: {'identical' if not diff else f'{len(diff)} files differ, e.g. {diff[:5]}'}")
        failed |= bool(diff)
        print(f"speed-up: {statistics.median(times['old']) / statistics.median(times['new']):.2f}x")
    if args.save:
        args.save.write_bytes(pickle.dumps(out))
    if args.compare:
        diff = differences(pickle.loads(args.compare.read_bytes()), out)
        print(f"against {args.compare}: {'identical' if not diff else f'{len(diff)} files differ, e.g. {diff[:5]}'}")
        failed |= bool(diff)
    if args.profile:
        import cProfile
        import pstats
        profiler = cProfile.Profile()
        profiler.runcall(call, render, sheet, args.templates)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
