"""The layers of `app/` as the machine sees them: no import cycles, Textual only under `app/ui/`.

Imports are read with `ast` from the source, every one of them wherever it stands (module level, inside
a function, under `TYPE_CHECKING`): an import moved into a function still couples two modules, it only
hides the cycle until the function runs.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "app"

KNOWN_MODULE_EDGES: frozenset[tuple[str, str]] = frozenset()
"""Module imports that close a cycle and are being removed this session. Remove an entry with its import."""

KNOWN_LAYER_EDGES: frozenset[tuple[str, str]] = frozenset()
"""Imports between top-level packages that close a cycle and are being removed (none left)."""

BLOCK_TEXTUAL = """
import importlib.abc, sys
class BlockTextual(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "textual" or name.startswith("textual."):
            raise ImportError("the core must not import textual")
        return None
sys.meta_path.insert(0, BlockTextual())
import app.events, app.ws_events, app.slot_construction, app.bus, app.model, app.streams, app.connections, app.run
import app.connections.http_worker, app.connections.websocket
import app.streams.sse, app.streams.ndjson, app.streams.json_array, app.streams.merge
import app.model.collection, app.model.resolve, app.interop.curl_import, app.interop.curl_export
import app.cli.main, app.cli.run_command, app.cli.collection_run, app.demo.server, app.demo.app
print("ok")
"""


@cache
def modules() -> dict[str, Path]:
    """Every module of `app` by dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for path in APP.rglob("*.py"):
        parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported_names(module: str, path: Path) -> Iterator[str]:
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            # `from app.x import y` imports the module app.x.y when there is one.
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _module_of(name: str) -> str | None:
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


@cache
def import_graph() -> dict[str, frozenset[str]]:
    """Module → the modules of `app` it imports anywhere in its source."""
    graph: dict[str, frozenset[str]] = {}
    for module, path in modules().items():
        targets = {_module_of(name) for name in _imported_names(module, path) if name.split(".")[0] == "app"}
        graph[module] = frozenset(target for target in targets if target is not None and target != module)
    return graph


def imports_anything(path: Path, top_level: str) -> list[str]:
    return [
        name
        for name in _imported_names("", path)
        if name == top_level or name.startswith(f"{top_level}.")
    ]


def cycles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
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


def without(graph: dict[str, frozenset[str]], edges: frozenset[tuple[str, str]]) -> dict[str, frozenset[str]]:
    return {source: frozenset(t for t in targets if (source, t) not in edges) for source, targets in graph.items()}


def layer_graph() -> dict[str, frozenset[str]]:
    """Top-level package (`app.model`, `app.streams`, …) → the ones it imports. The root `app`
    (`__version__`) is below everything and left out."""

    def layer(module: str) -> str:
        return ".".join(module.split(".")[:2])

    layers: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        if module == "app":
            continue
        edges = layers.setdefault(layer(module), set())
        edges.update(layer(target) for target in targets if target != "app" and layer(target) != layer(module))
    return {name: frozenset(targets) for name, targets in layers.items()}


def test_no_import_cycle_between_modules() -> None:
    graph = import_graph()
    assert cycles(without(graph, KNOWN_MODULE_EDGES)) == []
    stale = [edge for edge in KNOWN_MODULE_EDGES if edge[1] not in graph.get(edge[0], ())]
    assert stale == [], "these imports are gone: remove them from KNOWN_MODULE_EDGES"


def test_no_import_cycle_between_layers() -> None:
    graph = layer_graph()
    assert cycles(without(graph, KNOWN_LAYER_EDGES)) == []
    stale = [edge for edge in KNOWN_LAYER_EDGES if edge[1] not in graph.get(edge[0], ())]
    assert stale == [], "these imports are gone: remove them from KNOWN_LAYER_EDGES"


def test_cycle_finder_sees_a_cycle_through_a_function_level_import(tmp_path: Path) -> None:
    first = tmp_path / "first.py"
    first.write_text("import app.second\n")
    second = tmp_path / "second.py"
    second.write_text("def later():\n    from app import first\n")
    graph = {
        "app.first": frozenset(name for name in _imported_names("app.first", first) if name == "app.second"),
        "app.second": frozenset(name for name in _imported_names("app.second", second) if name == "app.first"),
    }
    assert cycles(graph) == [["app.first", "app.second"]]


def test_textual_is_imported_only_under_app_ui() -> None:
    offenders = {
        module: imports_anything(path, "textual")
        for module, path in modules().items()
        if not module.startswith("app.ui") and imports_anything(path, "textual")
    }
    assert offenders == {}


def test_nothing_outside_the_ui_imports_the_ui_but_the_entry_point() -> None:
    offenders = [
        module
        for module, targets in import_graph().items()
        if not module.startswith("app.ui") and module != "app.cli.main" and any(t.startswith("app.ui") for t in targets)
    ]
    assert offenders == []


def test_core_layers_import_without_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_TEXTUAL], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
