"""The portal's jobs, built from the settings, and the lifespan task that runs them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from o365portal.config import Settings, get_settings
from o365portal.jobs.licences import pending_licences_job
from o365portal.jobs.provisioning import provisioning_job
from o365portal.jobs.runner import Job, run_jobs
from o365portal.jobs.scheduled_orders import scheduled_orders_job
from o365portal.jobs.sync import sync_jobs
from o365portal.mail import smtp
from o365portal.mail.delivery import DeliveryReport, RetryPolicy, SecretUnavailable, deliver_due
from o365portal.mail.templates import (
    M365_USER_SOURCE,
    PORTAL_ACCOUNT_SOURCE,
    TENANT_ADMIN_SOURCE,
)
from o365portal.services import changes
from o365portal.services.accounts import issue_account_password
from o365portal.services.errors import NotFound
from o365portal.services.tenants import issue_admin_password
from o365portal.services.users import issue_user_password

MAIL_JOB = "mail-delivery"


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def issue_secret(source: str) -> str:
    """The secret a queued e-mail needs, issued now by the feature its `secret_source` names."""
    if source.startswith(TENANT_ADMIN_SOURCE):
        return await issue_admin_password(source)
    if source.startswith(M365_USER_SOURCE):
        return await issue_user_password(source)
    account = source.removeprefix(PORTAL_ACCOUNT_SOURCE)
    if source.startswith(PORTAL_ACCOUNT_SOURCE) and account.isdigit():
        try:
            return issue_account_password(int(account))
        except NotFound as error:
            raise SecretUnavailable(str(error)) from error
    raise SecretUnavailable(f"unknown secret source {source!r}")


def mail_job(settings: Settings, now: Callable[[], datetime] = _utc_now) -> Job:
    """Send due outbox messages over the configured SMTP server (`now`: what is due)."""
    server = smtp.SmtpServer.from_settings(settings)
    policy = RetryPolicy(
        settings.mail_max_attempts,
        settings.mail_retry_base_seconds,
        settings.mail_retry_max_seconds,
    )

    async def work() -> DeliveryReport:
        report = await deliver_due(
            server=server,
            policy=policy,
            now=now(),
            send=smtp.send,
            resolve=issue_secret,
        )
        if report.failed:
            changes.announce(None, changes.BADGES)  # the brokers' Outbox badge counts them
        return report

    return Job(MAIL_JOB, settings.mail_job_interval_seconds, work)


def portal_jobs(settings: Settings) -> list[Job]:
    """Every job this configuration needs (mail only when SMTP is configured)."""
    if not settings.jobs_enabled:
        return []
    mail = [mail_job(settings)] if settings.mail_enabled else []
    return [
        *mail,
        scheduled_orders_job(settings),
        provisioning_job(settings),
        pending_licences_job(settings),
        *sync_jobs(settings),
    ]


async def run_portal_jobs() -> None:
    """Lifespan task registered on the Reflex app: runs until the server shuts down."""
    await run_jobs(portal_jobs(get_settings()))
