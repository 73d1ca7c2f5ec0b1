"""The layout's rules, checked on the source: no import cycle, training never imports a task, no Streamlit
outside the UI package, no module over 700 lines.

The import graph is read with ``ast`` from every module of ``dl_apps`` and counts every import statement,
at module level AND inside functions (a lazy import is still a dependency).  Importing ``a.b.c`` also
imports the packages ``a.b`` and ``a`` (their ``__init__`` runs), so those edges count too.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dl_apps"
MAX_LINES = 700


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


@lru_cache(maxsize=1)
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _owner(name: str, known: dict[str, Path]) -> str | None:
    """The dl_apps module that ``name`` (a module or ``module.attribute``) resolves to."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imported_names(path: Path) -> list[tuple[str, int]]:
    """(fully qualified name, line) of every import in a file, function-level ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno))
            found.extend((f"{module}.{alias.name}", node.lineno) for alias in node.names)
    return found


@lru_cache(maxsize=1)
def import_graph() -> dict[str, dict[str, int]]:
    """module → {dl_apps module it imports: first line}, with the parent packages an import runs."""
    known = modules()
    graph: dict[str, dict[str, int]] = {}
    for name, path in known.items():
        edges: dict[str, int] = {}
        for imported, line in imported_names(path):
            if not imported.startswith("dl_apps"):
                continue
            target = _owner(imported, known)
            while target:  # importing dl_apps.a.b runs dl_apps/a/__init__.py too
                if target != name and not name.startswith(target + "."):  # a package's own parents are already imported
                    edges.setdefault(target, line)
                target = target.rpartition(".")[0] if "." in target else None
        graph[name] = edges
    return graph


def find_cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan), as sorted lists."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_graph_sees_function_level_imports():
    """The checker itself: a lazy import inside a function is an edge (explain reads the breast-cancer data lazily)."""
    graph = import_graph()
    assert "dl_apps.datasets.breast_cancer" in graph["dl_apps.tasks.explain.inputs"]
    assert "dl_apps.nets" in graph["dl_apps.train.mnist_cnn"]  # `from dl_apps.nets import digit_cnn` runs the package
    assert find_cycles({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    graph = import_graph()
    cycles = find_cycles(graph)
    described = []
    for component in cycles:
        members = set(component)
        edges = [f"{a} -> {b} (line {graph[a][b]})" for a in component for b in graph[a] if b in members]
        described.append("\n    ".join(edges))
    assert not cycles, "import cycles:\n  " + "\n  ".join(described)


def test_training_code_never_imports_a_task():
    """dl_apps/train/* builds on networks (dl_apps.nets) and data readers (dl_apps.datasets), not on a task's API."""
    offending = [
        f"{module} imports {target} (line {line})"
        for module, edges in import_graph().items()
        if module.startswith("dl_apps.train")
        for target, line in edges.items()
        if target.startswith("dl_apps.tasks")
    ]
    assert not offending, "\n".join(offending)


def test_networks_and_data_readers_never_import_a_task():
    offending = [
        f"{module} imports {target}"
        for module, edges in import_graph().items()
        if module.startswith(("dl_apps.nets", "dl_apps.datasets", "dl_apps.media"))
        for target in edges
        if target.startswith(("dl_apps.tasks", "dl_apps.ui", "dl_apps.tools", "dl_apps.train"))
    ]
    assert not offending, "\n".join(offending)


def test_only_the_ui_package_imports_streamlit():
    offending = [
        f"{name} (line {line})"
        for name, path in modules().items()
        if not name.startswith("dl_apps.ui")
        for imported, line in imported_names(path)
        if imported == "streamlit" or imported.startswith("streamlit.")
    ]
    assert not offending, "Streamlit imported outside dl_apps/ui: " + ", ".join(offending)


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_over_700_lines(name):
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{modules()[name].relative_to(ROOT)} has {lines} lines (limit {MAX_LINES}): split it by concern"


def test_task_packages_import_light_at_top_level():
    """A task's __init__ imports only the stdlib, numpy and dl_apps at module level (heavy libraries inside functions)."""
    heavy = ("torch", "transformers", "cv2", "PIL", "sklearn", "scipy", "shap", "lime", "diffusers", "onnxruntime", "pydicom", "mediapipe", "ray", "streamlit", "pandas")
    offending = []
    for name, path in modules().items():
        if not name.startswith("dl_apps.tasks.") or path.name != "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offending.extend(f"{name}: {n}" for n in names if n.split(".")[0] in heavy)
    assert not offending, "\n".join(offending)
