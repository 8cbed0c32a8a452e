"""The layering of docs/architecture.md, enforced: imports flow downward only, pages and jobs use
the feature packages' exports (never a private module), and no module imports itself in a loop."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "o365portal"

# layer -> modules (first-level names under o365portal) it must never import
FORBIDDEN: dict[str, set[str]] = {
    "domain": {
        "db",
        "services",
        "ui",
        "partner_center",
        "sandbox",
        "mail",
        "api",
        "jobs",
        "config",
    },
    "db": {"services", "ui", "partner_center", "sandbox", "mail", "api", "jobs"},
    "partner_center": {"db", "services", "ui", "sandbox", "domain", "mail", "api", "jobs"},
    "services": {"ui", "sandbox", "api", "jobs", "demo"},
    "mail": {"ui", "sandbox", "services", "api", "jobs"},
    "jobs": {"ui", "sandbox"},
    "api": {"ui", "sandbox"},
    "ui": {"db", "partner_center", "sandbox", "domain", "demo"},
    "demo": {"ui", "sandbox", "api", "jobs"},
}
# services modules every layer above may use directly: the shared kernel of the features
SHARED_SERVICES = {"errors", "principal", "clock", "number_format", "changes"}
# third-party packages a layer must not import
FORBIDDEN_LIBRARIES: dict[str, set[str]] = {
    "domain": {"reflex", "sqlmodel", "sqlalchemy", "httpx", "msal", "pydantic"},
    "services": {"reflex"},
    "ui": {"sqlmodel", "sqlalchemy", "httpx", "msal"},
    "sandbox": {"reflex", "sqlmodel"},
}


def _imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) for `from module import name`, (module, "") for `import module`."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.module, alias.name) for alias in node.names]
    return found


def _imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules_of(layer: str) -> list[Path]:
    folder = PACKAGE / layer
    return sorted(folder.rglob("*.py")) if folder.is_dir() else []


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_never_imports_the_layers_above_it(layer: str) -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules_of(layer)
        for name in _imported_names(path)
        if name.startswith("o365portal.") and name.split(".")[1] in FORBIDDEN[layer]
    ]
    assert offenders == []


@pytest.mark.parametrize("layer", sorted(FORBIDDEN_LIBRARIES))
def test_a_layer_uses_only_the_libraries_it_may(layer: str) -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules_of(layer)
        for name in _imported_names(path)
        if name.split(".")[0] in FORBIDDEN_LIBRARIES[layer]
    ]
    assert offenders == []


def test_nothing_outside_the_sandbox_imports_it() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}"
        for path in PACKAGE.rglob("*.py")
        if "sandbox" not in path.relative_to(PACKAGE).parts
        and any(name.startswith("o365portal.sandbox") for name in _imported_names(path))
    ]
    assert offenders == []


def test_the_sandbox_imports_nothing_else_of_the_portal() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules_of("sandbox")
        for name in _imported_names(path)
        if name.startswith("o365portal.") and not name.startswith("o365portal.sandbox")
    ]
    assert offenders == []


def _feature_packages() -> set[str]:
    return {p.parent.name for p in (PACKAGE / "services").glob("*/__init__.py")}


@pytest.mark.parametrize("layer", ["ui", "jobs"])
def test_pages_and_jobs_use_only_what_a_feature_package_exports(layer: str) -> None:
    features = _feature_packages()
    offenders = []
    for path in [*_modules_of(layer), PACKAGE / "o365portal.py"]:
        for module, name in _imports(path):
            parts = module.split(".")
            if parts[:2] != ["o365portal", "services"]:
                continue
            target = parts[2] if len(parts) > 2 else name
            allowed = len(parts) <= 3 and (target in features or target in SHARED_SERVICES)
            if not allowed or name.startswith("_"):
                offenders.append(f"{path.relative_to(PACKAGE)}: from {module} import {name}")
    assert offenders == []


def test_each_feature_has_one_ui_folder_and_one_services_package() -> None:
    ui_folders = {p.parent.name for p in (PACKAGE / "ui").glob("*/__init__.py")}
    assert ui_folders - {"components"} == _feature_packages()


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_module_imports_itself_through_others_type_checking_included() -> None:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = {
        name: {
            f"{module}.{imported}" if f"{module}.{imported}" in modules else module
            for module, imported in _imports(path)
            if module.startswith("o365portal")
        }
        & modules.keys()
        for name, path in modules.items()
    }
    assert _cycles(graph) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import loops (strongly connected components of more than one module), Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_the_loop_finder_finds_a_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
