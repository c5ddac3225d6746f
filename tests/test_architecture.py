"""The package's wings depend only downwards, and no module imports another in a cycle.

The import graph is read from the source with :mod:`ast` (every ``import`` statement, including
the lazy ones inside functions), so the test needs no extra tool and sees what import-linter's
static analysis would, with rules we can state in a few lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "forecastkit"

#: What each wing may import besides itself (the order of docs/architecture.md).
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "records": {"errors"},
    "scoring": {"errors"},
    "validation": {"errors", "records"},
    "extraction": {"errors", "records"},
    "editing": {"errors", "records", "validation"},
    "reports": {"errors", "records", "scoring"},
    "cli": {
        "errors",
        "records",
        "scoring",
        "validation",
        "extraction",
        "editing",
        "reports",
        "__init__",
    },
    "__init__": {"errors", "records"},
    # ``python -m forecastkit``: the command's other entry point, beside the console script
    "__main__": {"cli"},
}
#: Single modules a wing may use from a wing it otherwise may not: scoring works on claims
#: tables as they stood on a date, and the snapshot is pure pandas over such tables (no files).
ALLOWED_MODULES: dict[str, set[str]] = {"scoring": {"forecastkit.records.snapshot"}}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` except those under ``if TYPE_CHECKING:`` (annotations only: such
    an import never runs, so it is neither a dependency nor part of a cycle)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            test = child.test if isinstance(child, ast.If) else None
            if test is not None and ast.unparse(test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
                stack.extend(child.orelse)
                continue
            stack.append(child)


def imports_of(path: Path, known: set[str], name: str | None = None) -> set[str]:
    """The forecastkit modules a file imports, at any depth of the file."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if target in known and target != name:
                found.add(target)
    return found


def wing(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


GRAPH = {name: imports_of(path, set(modules())) for name, path in modules().items()}


def test_the_graph_is_read():
    # Guards the test itself: a parser that found nothing would pass every rule below.
    assert len(GRAPH) > 30
    assert "forecastkit.records.corpus" in GRAPH["forecastkit.reports.views"]
    assert "forecastkit.scoring.scores" in GRAPH["forecastkit.scoring.grouped"]
    # lazy imports inside functions count too
    assert "forecastkit.reports.runner" in GRAPH["forecastkit.cli.reports"]


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_wings_depend_only_downwards(module):
    mine = wing(module)
    assert mine in ALLOWED, f"{module}: wing {mine!r} is not in docs/architecture.md's order"
    upward = sorted(
        t
        for t in GRAPH[module]
        if wing(t) != mine
        and wing(t) not in ALLOWED[mine]
        and t not in ALLOWED_MODULES.get(mine, set())
    )
    assert not upward, f"{module} imports {upward}: {mine} may import only {sorted(ALLOWED[mine])}"


def test_nothing_imports_the_cli():
    offenders = sorted(
        m
        for m, targets in GRAPH.items()
        if wing(m) not in ("cli", "__main__") and any(wing(t) == "cli" for t in targets)
    )
    assert not offenders


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles():
    assert cycles(GRAPH) == []


def test_annotation_only_imports_are_not_dependencies(tmp_path):
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from forecastkit.reports.views import Record\n"
        "else:\n    from forecastkit.errors import ForecastkitError\n"
    )
    found = imports_of(source, set(modules()), name="forecastkit.scoring.m")
    assert found == {"forecastkit.errors"}


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_a_lazy_upward_import_is_caught(tmp_path):
    # The parser and the rule applied to a file that breaks it inside a function.
    bad = tmp_path / "scores.py"
    bad.write_text("def f():\n    from ..records.corpus import load\n    return load\n")
    found = imports_of(bad, set(modules()), name="forecastkit.scoring.scores")
    assert found == {"forecastkit.records.corpus"}
    assert all(wing(t) not in ALLOWED["scoring"] for t in found)


def private_imports(path: Path) -> list[str]:
    """``module.name`` for each underscore name ``path`` imports from another forecastkit
    module: a helper other modules use is part of its module's interface, and says so."""
    found = []
    for node in _runtime_nodes(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("forecastkit"):
            found += [
                f"{node.module}.{alias.name}"
                for alias in node.names
                if alias.name.startswith("_") and not alias.name.startswith("__")
            ]
    return found


def test_no_module_imports_another_modules_private_names():
    """editing/edit.py's helpers (_read_for_edit, _write_checked, _as_date ...) were imported
    by six modules under their private names; a rename inside edit.py looked safe and was not."""
    found = {name: private_imports(path) for name, path in modules().items()}
    assert {name: names for name, names in found.items() if names} == {}


def test_a_private_import_is_caught(tmp_path):
    bad = tmp_path / "claims.py"
    bad.write_text("def f():\n    from forecastkit.editing.edit import _as_date, slugify\n")
    assert private_imports(bad) == ["forecastkit.editing.edit._as_date"]
