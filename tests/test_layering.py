"""The layering rule, read from the imports themselves (every import, at any depth).

    records, errors, ontology      nothing of ours (records may name errors' InputError)
    actors, verbs, classifier,
    formats, store                 only the shared layer above
    pipeline                       actors, verbs, classifier
    batch                          pipeline
    ingest                         batch, formats, store
    evaluate, analysis             pipeline, store, formats
    web                            analysis, ingest, store, formats
    cli                            everything (and it alone imports click)

See docs/architecture.md. A failure names the module and the import that breaks the rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "allegiance"
SHARED = {"errors", "records", "ontology", "registry", "_lazy", "_cache", "data"}
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "records": {"errors"},
    "ontology": {"errors"},
    "registry": {"errors"},
    "_lazy": set(),
    "_cache": set(),
    "data": set(),
    **{layer: SHARED for layer in ("actors", "verbs", "classifier", "formats", "store")},
    "pipeline": SHARED | {"actors", "verbs", "classifier"},
    "batch": SHARED | {"pipeline"},
    "ingest": SHARED | {"batch", "formats", "store"},
    **{layer: SHARED | {"pipeline", "store", "formats"} for layer in ("evaluate", "analysis")},
    "web": SHARED | {"analysis", "ingest", "store", "formats"},
}
TOP = {"__init__", "__main__", "cli"}  # the public surface and the command line: anything


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every import of an allegiance module in the file."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    return _imports_from(path.read_text(encoding="utf-8"), package)


def _imports_from(source: str, package: str) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names
                        if a.name.startswith("allegiance"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            if name.startswith("allegiance"):
                yield node.lineno, name


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_each_module_imports_only_layers_below_it(path: Path) -> None:
    mine = _layer(_module_name(path))
    if mine in TOP:
        return
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    wrong = _violations(mine, path.read_text(encoding="utf-8"), package)
    assert not wrong, f"{mine} may import only {sorted(ALLOWED[mine] | {mine})}; found {wrong}"


def test_only_the_cli_imports_click() -> None:
    users = []
    for path in _sources():
        if _layer(_module_name(path)) == "cli":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "click" or n.startswith("click.") for n in names):
                users.append(str(path.relative_to(SRC)))
    assert not users, f"click outside cli/: {users}"


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in _sources()}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for _, imported in _imports(path):
            # `from allegiance.x import y` may name a submodule y or a name in x.
            targets.add(imported if imported in modules else imported.rsplit(".", 1)[0])
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles() -> None:
    # Package __init__ files that only re-export their own submodules are left out:
    # importing a submodule runs its package's __init__, which Python handles.
    graph = _graph()
    for name in list(graph):
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def _violations(mine: str, source: str, package: str) -> list[str]:
    allowed = ALLOWED[mine] | {mine}
    return [f"line {line}: {name}" for line, name in _imports_from(source, package)
            if name != "allegiance" and _layer(name) not in allowed]


def test_the_rule_sees_violations() -> None:
    # The scan itself works: relative, absolute and function-level imports are all read.
    source = ("from ..pipeline.coder import Coder\n"
              "def f():\n    import allegiance.ingest.api\n"
              "from allegiance.records import Event\n")
    assert _violations("store", source, "allegiance.store") == [
        "line 1: allegiance.pipeline.coder", "line 3: allegiance.ingest.api"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
