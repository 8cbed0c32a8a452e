"""Settings from environment variables: the one place the portal reads its configuration.

Every variable is documented in docs/configuration.md. Build settings through `get_settings()`
(cached) so tests can set the environment first; nothing here runs at import time.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

if TYPE_CHECKING:
    from o365portal.partner_center.config import PartnerCenterConfig

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Typed portal settings; unknown environment variables are ignored."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    environment: Literal["development", "test", "production"] = Field(
        "development", validation_alias="O365PORTAL_ENV"
    )
    # The embedded default (`make run`): its data folder (SQLite file, sandbox state) and ports.
    data_dir: Path = Field(PROJECT_ROOT / "var", validation_alias="PORTAL_DATA_DIR")
    portal_port: int = Field(3000, ge=1, le=65535, validation_alias="PORTAL_PORT")
    sandbox_port: int = Field(8443, ge=1, le=65535, validation_alias="SANDBOX_PORT")
    # Empty: the SQLite file o365portal.db in data_dir.
    database_url: str = Field("", validation_alias="DATABASE_URL")

    # Partner Center connection. PARTNER_CENTER_SANDBOX_FILE (a sandbox.json written by
    # `python -m o365portal.sandbox`) fills every field below at once.
    pc_sandbox_file: Path | None = Field(None, validation_alias="PARTNER_CENTER_SANDBOX_FILE")
    pc_base_url: str = Field(
        "https://api.partnercenter.microsoft.com", validation_alias="PARTNER_CENTER_BASE_URL"
    )
    pc_authority: str | None = Field(None, validation_alias="PARTNER_CENTER_AUTHORITY")
    pc_tenant_id: str | None = Field(None, validation_alias="PARTNER_CENTER_TENANT_ID")
    pc_client_id: str | None = Field(None, validation_alias="PARTNER_CENTER_CLIENT_ID")
    pc_client_secret: SecretStr | None = Field(
        None, validation_alias="PARTNER_CENTER_CLIENT_SECRET"
    )
    pc_refresh_token: SecretStr | None = Field(
        None, validation_alias="PARTNER_CENTER_REFRESH_TOKEN"
    )
    pc_ca_file: Path | None = Field(None, validation_alias="PARTNER_CENTER_CA_FILE")
    # Client-side bound on requests per minute (also with a sandbox file); unset or empty: none.
    pc_requests_per_minute: int | None = Field(
        None, ge=1, validation_alias="PARTNER_CENTER_REQUESTS_PER_MINUTE"
    )
    # The broker's Partner Center country: the catalog (and its prices) is read for it.
    broker_country: str = Field("US", min_length=2, max_length=2, validation_alias="BROKER_COUNTRY")

    # E-mail. Without SMTP_HOST nothing is sent: the outbox stays readable by brokers.
    smtp_host: str | None = Field(None, validation_alias="SMTP_HOST")
    smtp_port: int = Field(587, validation_alias="SMTP_PORT")
    smtp_tls: Literal["starttls", "ssl", "none"] = Field("starttls", validation_alias="SMTP_TLS")
    smtp_username: str | None = Field(None, validation_alias="SMTP_USERNAME")
    smtp_password: SecretStr | None = Field(None, validation_alias="SMTP_PASSWORD")
    mail_from: str = Field("o365portal <no-reply@localhost>", validation_alias="MAIL_FROM")
    # 20 attempts, the waits doubling from 30 s up to 15 min: about 3 h 45 min of SMTP outage
    # before a message is given up, and mail goes out at most 15 min after SMTP is back.
    mail_max_attempts: int = Field(20, ge=1, validation_alias="MAIL_MAX_ATTEMPTS")
    mail_retry_base_seconds: float = Field(30.0, gt=0, validation_alias="MAIL_RETRY_BASE_SECONDS")
    mail_retry_max_seconds: float = Field(900.0, gt=0, validation_alias="MAIL_RETRY_MAX_SECONDS")

    # Redis (the production path): Reflex keeps its state there (REFLEX_REDIS_URL is Reflex's own
    # variable), and the portal's change feed (services/changes.py) publishes on it, so a change
    # committed by one process reaches the pages every worker serves. Empty: in-process feed.
    redis_url: str = Field("", validation_alias="REFLEX_REDIS_URL")

    # Background jobs (o365portal/jobs): how often each loop looks for work.
    jobs_enabled: bool = Field(True, validation_alias="JOBS_ENABLED")
    mail_job_interval_seconds: float = Field(
        10.0, gt=0, validation_alias="MAIL_JOB_INTERVAL_SECONDS"
    )
    scheduled_orders_interval_seconds: float = Field(
        60.0, gt=0, validation_alias="SCHEDULED_ORDERS_INTERVAL_SECONDS"
    )
    provisioning_interval_seconds: float = Field(
        5.0, gt=0, validation_alias="PROVISIONING_INTERVAL_SECONDS"
    )
    # Sync with Partner Center (docs/sync.md): the audit-log pass every SYNC_INTERVAL_SECONDS,
    # a full reconcile when the last one is SYNC_FULL_INTERVAL_HOURS old.
    sync_interval_seconds: float = Field(60.0, gt=0, validation_alias="SYNC_INTERVAL_SECONDS")
    sync_full_interval_hours: float = Field(24.0, gt=0, validation_alias="SYNC_FULL_INTERVAL_HOURS")
    # Webhooks: the portal's public address (Partner Center posts to
    # {PORTAL_PUBLIC_URL}/api/partner-center/events) and the pinned certificate that signs them.
    portal_public_url: str | None = Field(None, validation_alias="PORTAL_PUBLIC_URL")
    webhook_cert_file: Path | None = Field(
        None, validation_alias="PARTNER_CENTER_WEBHOOK_CERT_FILE"
    )

    @property
    def mail_enabled(self) -> bool:
        """Whether e-mail leaves the portal (an SMTP server is configured)."""
        return bool(self.smtp_host)

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()  # relative to where it was started; children agree

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'o365portal.db'}"
        return self

    @field_validator("pc_requests_per_minute", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("pc_base_url")
    @classmethod
    def _strip_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def partner_center_config(self) -> PartnerCenterConfig:
        """The Partner Center client's configuration: from PARTNER_CENTER_SANDBOX_FILE when
        set, else from the PARTNER_CENTER_* variables (tenant, client id and secret required);
        PARTNER_CENTER_REQUESTS_PER_MINUTE applies to both."""
        from o365portal.partner_center.config import PartnerCenterConfig

        if self.pc_sandbox_file is not None:
            config = PartnerCenterConfig.from_sandbox_file(self.pc_sandbox_file)
            return config.model_copy(update={"requests_per_minute": self.pc_requests_per_minute})
        if not (self.pc_tenant_id and self.pc_client_id and self.pc_client_secret):
            raise ValueError(
                "Partner Center needs PARTNER_CENTER_SANDBOX_FILE, or PARTNER_CENTER_TENANT_ID, "
                "PARTNER_CENTER_CLIENT_ID and PARTNER_CENTER_CLIENT_SECRET"
            )
        return PartnerCenterConfig(
            base_url=self.pc_base_url,
            authority=self.pc_authority,
            tenant_id=self.pc_tenant_id,
            client_id=self.pc_client_id,
            client_secret=self.pc_client_secret,
            refresh_token=self.pc_refresh_token,
            ca_file=self.pc_ca_file,
            requests_per_minute=self.pc_requests_per_minute,
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read from the environment on first use."""
    return Settings()
