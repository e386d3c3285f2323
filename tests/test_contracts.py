"""Contracts that fail loudly: every issue code is raised by exactly one module that declares
it, and produced and asserted by some test; the package's imports point one way, with no
cycle and no import hidden in a function."""

from __future__ import annotations

import ast
import inspect
from collections import Counter
from pathlib import Path
from types import ModuleType

from reporter import api, master, master_axes, master_rules, master_sheets
from reporter.checks import batch, cells, cross, identity
from reporter.checks import history as history_checks
from reporter.checks import indicators as indicator_checks
from reporter.core.catalogue import CATALOGUE
from reporter.intake import read, scan
from tests.conftest import ROOT

EMITTERS: tuple[ModuleType, ...] = (master, master_axes, master_rules, master_sheets, read, scan, identity, cells,
                                    cross, batch, history_checks, indicator_checks, api)
TESTS = ROOT / "tests"


def test_every_code_is_declared_by_exactly_one_module_and_raised_there() -> None:
    declared = Counter(code for module in EMITTERS for code in module.CODES)
    assert [c for c, n in declared.items() if n > 1] == []
    assert sorted(declared) == sorted(CATALOGUE), "a code in the catalogue that no module declares, or the reverse"
    for module in EMITTERS:
        source = inspect.getsource(module)
        for code in module.CODES:  # once in CODES, at least once where it is raised
            assert source.count(f'"{code}"') >= 2, (module.__name__, code)


def test_every_code_is_produced_and_asserted_by_a_test() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.glob("test_*.py")
                     if p.name not in ("test_contracts.py", "test_docs.py"))
    untested = [code for code in CATALOGUE if f'"{code}"' not in text]
    assert untested == []


def _imports(path: Path) -> tuple[list[str], list[tuple[str, int]]]:
    """(modules of reporter imported at the top level, imports of reporter inside functions)."""
    top: list[str] = []
    inner: list[tuple[str, int]] = []

    def visit(node: ast.AST, in_function: bool, typing_only: bool) -> None:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reporter"):
            if in_function:
                inner.append((node.module, node.lineno))
            elif not typing_only:
                top.extend([node.module, *(f"{node.module}.{a.name}" for a in node.names)])
        function = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        typing = typing_only or (isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test))
        for child in ast.iter_child_nodes(node):
            visit(child, function, typing)

    visit(ast.parse(path.read_text(encoding="utf-8")), False, False)
    return top, inner


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


# The imports inside a function, each for a reason other than a cycle: the build stage (pandas,
# matplotlib, docxtpl) is loaded when a build starts, so that `reporter check` starts in a
# fraction of the time; the entry point imports the command line where a missing package can be
# named in Japanese.
LAZY = {("reporter.api", "reporter.outputs.build.publish"), ("reporter.launch", "reporter.cli")}


def test_imports_point_one_way_without_cycles_or_hidden_imports() -> None:
    modules = {_module_name(p): p for p in (ROOT / "reporter").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        top, inner = _imports(path)
        assert {(name, m) for m, _ in inner} <= LAZY, (name, inner)
        graph[name] = {m for m in top if m in modules and m != name}
    # core is pure: it imports nothing of the tool outside core
    for name, targets in graph.items():
        if name.startswith("reporter.core"):
            assert all(t.startswith("reporter.core") for t in targets), (name, targets)
    # the command line knows the public functions and the exceptions only (and click's Japanese)
    assert graph["reporter.cli"] <= {"reporter", "reporter.api", "reporter.errors", "reporter.cli_ja"}, \
        graph["reporter.cli"]
    # no cycle
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                raise AssertionError(" → ".join([*trail, node, nxt]))
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])


def test_no_module_is_left_that_nothing_imports() -> None:
    modules = {_module_name(p): p for p in (ROOT / "reporter").rglob("*.py") if p.name != "__init__.py"}
    used: set[str] = set()
    for path in (ROOT / "reporter").rglob("*.py"):
        top, inner = _imports(path)
        used.update(top)
        used.update(m for m, _ in inner)
    assert sorted(set(modules) - used - {"reporter.launch"}) == []


def test_every_folder_of_the_package_is_a_package_and_none_is_ignored_by_git() -> None:
    """A folder without __init__.py is left out of a normal (not editable) install, and a file
    that .gitignore matches never reaches a clone: both once broke the README's first command."""
    import subprocess

    package = ROOT / "reporter"
    folders = {p.parent for p in package.rglob("*.py") if "__pycache__" not in p.parts}
    assert sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").is_file()) == []
    files = [str(p.relative_to(ROOT)) for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *files], cwd=ROOT, capture_output=True, text=True)
    assert ignored.stdout.split() == []
