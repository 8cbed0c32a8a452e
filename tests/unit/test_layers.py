"""The layering of docs/architecture.md, enforced: imports flow downward only."""

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
    "services": {"ui", "sandbox", "api", "jobs"},
    "mail": {"ui", "sandbox", "services", "api", "jobs"},
    "jobs": {"ui", "sandbox"},
    "api": {"ui", "sandbox"},
    "ui": {"db", "partner_center", "sandbox", "domain"},
}
# third-party packages a layer must not import
FORBIDDEN_LIBRARIES: dict[str, set[str]] = {
    "domain": {"reflex", "sqlmodel", "sqlalchemy", "httpx", "msal", "pydantic"},
    "services": {"reflex"},
    "ui": {"sqlmodel", "sqlalchemy", "httpx", "msal"},
    "sandbox": {"reflex", "sqlmodel"},
}


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
