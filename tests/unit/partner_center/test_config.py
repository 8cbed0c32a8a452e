"""Building the client's configuration from sandbox.json and from the portal's settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from o365portal.config import Settings
from o365portal.partner_center import PartnerCenterConfig

SANDBOX_JSON = {
    "base_url": "https://127.0.0.1:8443/",
    "authority": "https://127.0.0.1:8443/11111111-2222-3333-4444-555555555555",
    "client_id": "app-id",
    "client_secret": "app-secret",
    "partner_tenant_id": "11111111-2222-3333-4444-555555555555",
    "ca_file": "/var/sandbox/ca.pem",
    "refresh_token": "rt-secret",
    "portal_client_id": "ignored",
}


def write_sandbox_file(folder: Path) -> Path:
    path = folder / "sandbox.json"
    path.write_text(json.dumps(SANDBOX_JSON), encoding="utf-8")
    return path


def test_a_sandbox_file_gives_every_connection_setting(tmp_path: Path) -> None:
    config = PartnerCenterConfig.from_sandbox_file(write_sandbox_file(tmp_path))
    assert config.base_url == "https://127.0.0.1:8443"
    assert config.authority_url == SANDBOX_JSON["authority"]
    assert not config.authority_is_microsoft
    assert config.tenant_id == SANDBOX_JSON["partner_tenant_id"]
    assert config.client_secret.get_secret_value() == "app-secret"
    assert config.refresh_token is not None and config.has_app_user
    assert config.ca_file == Path("/var/sandbox/ca.pem")
    assert "app-secret" not in repr(config) and "rt-secret" not in repr(config)


def test_without_an_authority_microsoft_login_of_the_tenant_is_used() -> None:
    config = PartnerCenterConfig(tenant_id="t1", client_id="c", client_secret="s")  # type: ignore[arg-type]
    assert config.authority_url == "https://login.microsoftonline.com/t1"
    assert config.authority_is_microsoft and not config.has_app_user


def test_settings_prefer_the_sandbox_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNER_CENTER_SANDBOX_FILE", str(write_sandbox_file(tmp_path)))
    monkeypatch.setenv("PARTNER_CENTER_CLIENT_ID", "other")
    assert Settings().partner_center_config().client_id == "app-id"


def test_settings_build_a_production_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARTNER_CENTER_SANDBOX_FILE", raising=False)
    monkeypatch.setenv("PARTNER_CENTER_TENANT_ID", "partner-tenant")
    monkeypatch.setenv("PARTNER_CENTER_CLIENT_ID", "client")
    monkeypatch.setenv("PARTNER_CENTER_CLIENT_SECRET", "secret")
    monkeypatch.setenv("PARTNER_CENTER_REFRESH_TOKEN", "refresh")
    config = Settings().partner_center_config()
    assert config.base_url == "https://api.partnercenter.microsoft.com"
    assert config.authority_url == "https://login.microsoftonline.com/partner-tenant"
    assert config.has_app_user


def test_settings_without_credentials_say_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SANDBOX_FILE", "TENANT_ID", "CLIENT_ID", "CLIENT_SECRET"):
        monkeypatch.delenv(f"PARTNER_CENTER_{name}", raising=False)
    with pytest.raises(ValueError, match="PARTNER_CENTER_CLIENT_SECRET"):
        Settings().partner_center_config()


def test_the_rate_limit_comes_from_the_environment_with_or_without_a_sandbox_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTNER_CENTER_REQUESTS_PER_MINUTE", " ")
    monkeypatch.setenv("PARTNER_CENTER_SANDBOX_FILE", str(write_sandbox_file(tmp_path)))
    assert Settings().partner_center_config().requests_per_minute is None
    monkeypatch.setenv("PARTNER_CENTER_REQUESTS_PER_MINUTE", "450")
    assert Settings().partner_center_config().requests_per_minute == 450
    monkeypatch.delenv("PARTNER_CENTER_SANDBOX_FILE")
    for name, value in (("TENANT_ID", "t"), ("CLIENT_ID", "c"), ("CLIENT_SECRET", "s")):
        monkeypatch.setenv(f"PARTNER_CENTER_{name}", value)
    assert Settings().partner_center_config().requests_per_minute == 450


@pytest.mark.parametrize("value", ["0", "-5", "fast"])
def test_a_rate_limit_that_is_not_a_positive_whole_number_is_refused(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTNER_CENTER_REQUESTS_PER_MINUTE", value)
    with pytest.raises(ValidationError, match="PARTNER_CENTER_REQUESTS_PER_MINUTE"):
        Settings()
