"""The package's shape: the stages import each other one way, and a module imports another
inside a function only to load something heavy or optional late (never to dodge a cycle)."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# Imported late on purpose: the extractor loads spaCy, content.dask needs the [dask] extra,
# publish.engine picks MkDocs or ProperDocs, and the CLI loads only what a command needs.
# Heavy or optional: spaCy, Dask, and the MkDocs layer (the plugin imports MkDocs, which must be
# imported after publish.engine has chosen MkDocs or ProperDocs).
LATE = {"generator.extract", "generator.content.dask", "generator.publish.engine", "generator.publish.plugin"}
LATE_ANYTHING = {"generator.cli"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(node: ast.AST, modules: set[str]) -> set[str]:
    """The generator modules an import statement names (``from generator import x`` names x)."""
    found = set()
    if isinstance(node, ast.Import):
        found = {a.name for a in node.names}
    elif isinstance(node, ast.ImportFrom) and node.module:
        found = {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                 for a in node.names}
    return {m for m in found if m in modules}


def graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    files = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(f) for f in files}
    top, late = {}, {}
    for f in files:
        tree = ast.parse(f.read_text("utf-8"))
        name = module_name(f)
        top[name] = set().union(*(imports(n, modules) for n in tree.body)) - {name}
        inner = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        late[name] = set().union(*(imports(n, modules) for fn in inner for n in ast.walk(fn))) - {name}
    return top, late


def cycle(top: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for other in sorted(top.get(node, ())):
            if state.get(other) == 1:
                return path + [other]
            if other not in state and (found := visit(other, path + [other])):
                return found
        state[node] = 2
        return None

    for node in sorted(top):
        if node not in state and (found := visit(node, [node])):
            return found
    return None


def test_the_modules_import_each_other_without_a_cycle():
    top, _ = graph()
    # A package's __init__ importing its own submodules is how a package is made, not a cycle.
    edges = {m: {o for o in deps if not o.startswith(m + ".")} for m, deps in top.items()}
    assert cycle(edges) is None, " -> ".join(cycle(edges))


def test_late_imports_are_only_of_heavy_or_optional_modules():
    _, late = graph()
    wrong = {m: sorted(deps - LATE) for m, deps in late.items() if m not in LATE_ANYTHING and deps - LATE}
    assert not wrong, wrong


def test_the_checker_sees_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


ROOT = PACKAGE.parent


def private_uses(files: list[Path]) -> list[str]:
    """Where a file uses another generator module's private name: ``from m import _x`` or ``m._x``
    (``m`` a generator module bound by an import). Dunder names are not private."""
    files_of = {module_name(f): f for f in PACKAGE.rglob("*.py")}
    found = []
    for f in files:
        tree = ast.parse(f.read_text("utf-8"))
        own = module_name(f) if f.is_relative_to(PACKAGE) else None
        bound: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
                for alias in node.names:
                    if _private(alias.name) and node.module != own:
                        found.append(f"{_shown(f)}:{node.lineno}: {node.module}.{alias.name}")
                    if f"{node.module}.{alias.name}" in files_of:
                        bound.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                bound |= {alias.asname or alias.name.split(".")[0] for alias in node.names
                          if alias.name.startswith("generator")}
        found += [f"{_shown(f)}:{node.lineno}: {node.value.id}.{node.attr}" for node in ast.walk(tree)
                  if isinstance(node, ast.Attribute) and _private(node.attr)
                  and isinstance(node.value, ast.Name) and node.value.id in bound]
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_module_uses_another_modules_private_name():
    files = [f for folder in ("generator", "tests", "benchmarks") for f in sorted((ROOT / folder).rglob("*.py"))]
    assert private_uses(files) == []


def test_the_private_name_check_sees_both_forms(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from generator.records import store\nfrom generator.merge import _x\nstore._y\nstore.__file__\n")
    assert [line.split(": ", 1)[1] for line in private_uses([bad])] == ["generator.merge._x", "store._y"]


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def test_the_test_folders_mirror_the_packages():
    tests = ROOT / "tests"
    folders = {p.name for p in tests.iterdir() if p.is_dir() and any(p.glob("test_*.py"))}
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert folders and folders <= packages, sorted(folders - packages)
