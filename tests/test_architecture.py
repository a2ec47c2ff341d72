"""The package's shape: no import cycles, and folders import only from layers below them.

Reads every module's imports with `ast` (top-level and function-level alike, so
a lazy import cannot hide a cycle) and checks them against the layer order that
docs/architecture.md draws.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "scaffold"

# Lowest first. A module may import from its own layer's folder or any layer below it.
LAYERS = [
    {"errors", "bounded_reads", "__init__", "interrupts", "scratch"},
    {"git"},
    {"project"},
    {"render"},
    {"update", "check"},
    {"fleet"},  # uses check's report and rules; update and check never import it
    {"authoring"},
    {"commands"},
    {"cli", "console", "__main__", "pytest_plugin", "answer_migrations"},
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            found.update(target for target in targets if target in modules and target != name)
        graph[name] = found
    return graph


def _layer_of(module: str) -> int:
    top = module.split(".")[1] if "." in module else "__init__"
    for index, layer in enumerate(LAYERS):
        if top in layer:
            return index
    raise AssertionError(f"{module} is in no layer of tests/test_architecture.py")


def test_no_module_imports_a_module_that_imports_it() -> None:
    graph = _imports()
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        for imported in sorted(graph[module]):
            if imported in trail:
                cycles.append(" -> ".join([*trail[trail.index(imported) :], imported]))
            elif len(trail) < 30:
                visit(imported, [*trail, imported])

    for module in graph:
        visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(sorted(set(cycles)))


def test_folders_import_only_from_layers_below() -> None:
    upward = [
        f"{module} imports {imported}"
        for module, imported_modules in _imports().items()
        for imported in imported_modules
        if _layer_of(imported) > _layer_of(module)
    ]
    assert not upward, "imports that reach up a layer:\n" + "\n".join(sorted(upward))


def test_every_module_opens_with_a_docstring() -> None:
    missing = [
        str(path.relative_to(PACKAGE.parent))
        for path in PACKAGE.rglob("*.py")
        if not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not missing, f"modules without a docstring: {missing}"
