"""Partner Center client settings: where to call, how to authenticate, how to retry and pace.

`PartnerCenterConfig` is frozen and holds secrets as `SecretStr`, so printing or logging it never
shows the client secret or the refresh token. `from_sandbox_file()` reads the `sandbox.json` that
`python -m o365portal.sandbox` writes, so the same client talks to the sandbox or to Microsoft.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

PARTNER_CENTER_URL = "https://api.partnercenter.microsoft.com"
PARTNER_CENTER_SCOPE = "https://api.partnercenter.microsoft.com/.default"
MICROSOFT_LOGIN_HOSTS = frozenset(
    {
        "login.microsoftonline.com",
        "login.microsoftonline.us",
        "login.chinacloudapi.cn",
        "login.partner.microsoftonline.cn",
        "login.windows.net",
        "login.microsoft.com",
        "sts.windows.net",
    }
)


class RetryPolicy(BaseModel):
    """How one logical call is retried.

    Network errors, timeouts and 5xx responses are retried `max_attempts - 1` times with an
    exponential backoff (`backoff_base * 2**n`, capped at `backoff_max`, plus up to `jitter` of it
    at random). A 429 is retried up to `max_throttled_retries` times after waiting its
    `Retry-After`, capped at `retry_after_cap` seconds.
    """

    model_config = ConfigDict(frozen=True)

    max_attempts: int = Field(4, ge=1)
    backoff_base: float = Field(0.5, ge=0)
    backoff_max: float = Field(8.0, ge=0)
    jitter: float = Field(0.1, ge=0, le=1)
    max_throttled_retries: int = Field(5, ge=0)
    retry_after_cap: float = Field(60.0, ge=0)
    default_retry_after: float = Field(5.0, ge=0)

    def backoff(self, retry_number: int) -> float:
        """Seconds to wait before retry `retry_number` (1-based), without jitter."""
        return float(min(self.backoff_max, self.backoff_base * 2 ** (retry_number - 1)))


class Timeouts(BaseModel):
    """Per-request timeouts in seconds; a timeout counts as a network error and is retried."""

    model_config = ConfigDict(frozen=True)

    connect: float = 10.0
    read: float = 60.0
    write: float = 30.0
    pool: float = 10.0


class PartnerCenterConfig(BaseModel):
    """Everything the client needs to reach Partner Center (or the sandbox)."""

    model_config = ConfigDict(frozen=True)

    base_url: str = PARTNER_CENTER_URL
    tenant_id: str
    client_id: str
    client_secret: SecretStr
    authority: str | None = None
    refresh_token: SecretStr | None = None
    ca_file: Path | None = None
    timeouts: Timeouts = Timeouts()
    retry: RetryPolicy = RetryPolicy()
    token_renewal_margin: float = Field(300.0, ge=0)
    # At most this many requests start in any 60 s, over all clients of the app in the process
    # (rate_limit.py); None: no limit, only the pauses 429s ask for.
    requests_per_minute: int | None = Field(None, ge=1)

    @field_validator("base_url", "authority")
    @classmethod
    def _strip_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @property
    def authority_url(self) -> str:
        """The Entra authority: the configured one, else Microsoft's login for the tenant."""
        return self.authority or f"https://login.microsoftonline.com/{self.tenant_id}"

    @property
    def authority_is_microsoft(self) -> bool:
        """True for Microsoft's own login hosts (MSAL instance discovery only works there)."""
        return urlsplit(self.authority_url).hostname in MICROSOFT_LOGIN_HOSTS

    @property
    def has_app_user(self) -> bool:
        """True when a refresh token for App+User calls is configured."""
        return self.refresh_token is not None

    @classmethod
    def from_sandbox_file(cls, path: Path | str) -> PartnerCenterConfig:
        """Read a sandbox.json (`base_url, authority, client_id, client_secret,
        partner_tenant_id, ca_file, refresh_token`) written by the sandbox."""
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
        return cls(
            base_url=data["base_url"],
            authority=data["authority"],
            tenant_id=data["partner_tenant_id"],
            client_id=data["client_id"],
            client_secret=SecretStr(data["client_secret"]),
            refresh_token=SecretStr(data["refresh_token"]) if data.get("refresh_token") else None,
            ca_file=Path(data["ca_file"]) if data.get("ca_file") else None,
        )
