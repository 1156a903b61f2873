"""The shape of the code (issue 16): use cases on one screen, no import cycles, rules and sheet
names in one place each.

These read the source as text (ast); they run nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from debiteuren.workbook import schema

SRC = Path(__file__).resolve().parents[1] / "src" / "debiteuren"
#: Lines a use case's function may take: one screen.
SCREEN = 60


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in sorted(SRC.rglob("*.py"))}


def _tree(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text(encoding="utf-8"))


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            yield node.name, start, node.end_lineno - start + 1  # type: ignore[operator]


def test_every_function_in_service_fits_on_one_screen():
    long = [
        f"{module}.{name} (regel {start}): {length} regels"
        for module in MODULES
        if module.startswith("debiteuren.service")
        for name, start, length in _functions(_tree(module))
        if length > SCREEN
    ]
    assert not long, "langer dan één scherm:\n" + "\n".join(long)


def test_the_screen_rule_can_fail():
    source = "def f():\n" + "    x = 1\n" * SCREEN
    ((name, _, length),) = _functions(ast.parse(source))
    assert name == "f" and length == SCREEN + 1 > SCREEN


def _type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _imports(module: str) -> set[str]:
    """Return the modules of the package ``module`` imports, at any level of the file (an
    import inside a function is a dependency too), except under ``if TYPE_CHECKING``."""
    package = module if MODULES[module].name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    stack: list[ast.AST] = [_tree(module)]
    while stack:
        node = stack.pop()
        if _type_checking(node):
            continue
        stack.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else base)
    return {m for m in found if m in MODULES and m != module}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    graph = {module: _imports(module) for module in MODULES}
    assert _cycles(graph) == []


def test_a_cycle_is_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_the_core_imports_no_outer_layer():
    outer = (
        "debiteuren.workbook",
        "debiteuren.service",
        "debiteuren.letters",
        "debiteuren.outputs",
        "debiteuren.cli",
        "debiteuren.excel",
    )
    wrong = [
        f"{module} -> {dep}"
        for module in MODULES
        if module.startswith("debiteuren.core")
        for dep in _imports(module)
        if dep.startswith(outer)
    ]
    assert wrong == []


def test_no_country_comparison_outside_the_rules():
    """A legal decision per country is made in core/rules: nobody else compares countries."""
    found = []
    for module in MODULES:
        if module.startswith("debiteuren.core.rules"):
            continue
        for node in ast.walk(_tree(module)):
            if isinstance(node, ast.Compare):
                texts = [n for n in (node.left, *node.comparators) if isinstance(n, ast.Constant)]
                names = ast.unparse(node)
                if any(t.value in ("NL", "BE") for t in texts) or "Country." in names:
                    found.append(f"{module}: {names}")
    assert found == []


SHEET_NAMES = {s.name for s in schema.SHEETS}


@pytest.mark.parametrize("module", [m for m in MODULES if m != "debiteuren.workbook.schema"])
def test_sheets_are_named_through_the_schema(module):
    """A sheet of the workbook is named through ``schema`` (``schema.ACTIES``), never by a
    string literal passed on: a renamed sheet changes in one place."""
    found = []
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Call):
            callee = ast.unparse(node.func)
            if callee.endswith(("excel_action", "Col")):
                continue  # a button's title, a column header in a file we make
            args = [*node.args, *(k.value for k in node.keywords)]
        elif isinstance(node, ast.Subscript):
            args = [node.slice]
        elif isinstance(node, ast.Compare):
            args = [node.left, *node.comparators]
        else:
            continue
        found += [
            f"regel {node.lineno}: {ast.unparse(node)}"
            for a in args
            if isinstance(a, ast.Constant) and a.value in SHEET_NAMES
        ]
    assert found == []


def test_every_module_with_examples_has_its_doctests_collected():
    """A docstring example is a test: every module that has one is on pytest's ``testpaths``."""
    import tomllib

    root = SRC.parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    paths = config["tool"]["pytest"]["ini_options"]["testpaths"]
    missing = [
        str(path.relative_to(root))
        for path in MODULES.values()
        if ">>> " in path.read_text(encoding="utf-8")
        and not any(path.relative_to(root).as_posix().startswith(p) for p in paths)
    ]
    assert missing == []
