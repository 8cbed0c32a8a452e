"""The embedded default's data folder and ports come from the environment
(docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from o365portal.config import PROJECT_ROOT, Settings


@pytest.fixture(autouse=True)
def _unset(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "PORTAL_DATA_DIR", "PORTAL_PORT", "SANDBOX_PORT"):
        monkeypatch.delenv(name, raising=False)


def test_without_variables_the_embedded_default_uses_var_and_ports_3000_and_8443() -> None:
    settings = Settings()
    assert settings.data_dir == PROJECT_ROOT / "var"
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'o365portal.db'}"
    assert (settings.portal_port, settings.sandbox_port) == (3000, 8443)


def test_the_data_folder_holds_the_sqlite_file_unless_database_url_is_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    assert Settings().database_url == f"sqlite:///{tmp_path / 'data' / 'o365portal.db'}"
    monkeypatch.setenv("DATABASE_URL", "postgresql://portal@db.example/portal")
    assert Settings().database_url == "postgresql://portal@db.example/portal"


def test_a_relative_data_folder_is_taken_from_where_the_command_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PORTAL_DATA_DIR", "demo")
    assert Settings().data_dir == tmp_path.resolve() / "demo"


def test_ports_come_from_the_environment_and_must_be_ports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_PORT", "3100")
    monkeypatch.setenv("SANDBOX_PORT", "8543")
    assert (Settings().portal_port, Settings().sandbox_port) == (3100, 8543)
    monkeypatch.setenv("SANDBOX_PORT", "70000")
    with pytest.raises(ValidationError, match="SANDBOX_PORT"):
        Settings()
