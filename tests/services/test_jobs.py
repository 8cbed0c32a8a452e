"""The job runner: only the lease holder works, a cancelled loop gives its lease back, a
failing round does not stop the loop, and the mail job exists only with SMTP configured."""

from __future__ import annotations

import asyncio

import pytest

from o365portal.config import get_settings
from o365portal.jobs.portal_jobs import MAIL_JOB, portal_jobs
from o365portal.jobs.runner import Job, run_loop, run_round, take_lease
from tests.builders import unique

pytestmark = pytest.mark.usefixtures("portal_env")


def _counting_job(calls: list[str], *, fail: bool = False) -> Job:
    async def work() -> None:
        calls.append("worked")
        if fail:
            raise RuntimeError("this round breaks")

    return Job(unique("job-"), interval_seconds=0.01, work=work, lease_seconds=60)


async def test_of_two_workers_only_the_lease_holder_works() -> None:
    calls: list[str] = []
    job = _counting_job(calls)

    first = await run_round(job, holder="worker-a")
    second = await run_round(job, holder="worker-b")
    again = await run_round(job, holder="worker-a")

    assert (first, second, again) == (True, False, True)
    assert calls == ["worked", "worked"]


async def test_a_cancelled_loop_releases_its_lease_for_another_worker() -> None:
    calls: list[str] = []
    job = _counting_job(calls)
    loop = asyncio.create_task(run_loop(job, holder="worker-a"))
    while not calls:
        await asyncio.sleep(0.01)

    loop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loop

    assert await asyncio.to_thread(take_lease, job, "worker-b")


async def test_a_failing_round_is_logged_and_the_loop_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[str] = []
    loop = asyncio.create_task(run_loop(_counting_job(calls, fail=True), holder="worker-a"))
    while len(calls) < 3:
        await asyncio.sleep(0.01)
    loop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loop

    assert "round failed" in caplog.text


def test_the_mail_job_runs_only_when_smtp_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    with_smtp = [job.name for job in portal_jobs(get_settings())]
    monkeypatch.delenv("SMTP_HOST")
    get_settings.cache_clear()

    assert MAIL_JOB in with_smtp
    assert MAIL_JOB not in [job.name for job in portal_jobs(get_settings())]
