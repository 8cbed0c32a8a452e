"""The job runner: only the lease holder works, a worker forked from the process that imported
the runner holds leases under a name of its own, a cancelled loop gives its lease back, a
failing round does not stop the loop, and the mail job exists only with SMTP configured."""

from __future__ import annotations

import asyncio
import os

import pytest

from o365portal.config import get_settings
from o365portal.db.engine import get_engine
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


def _take_lease_in_a_forked_worker(job: Job) -> bool:
    """What `take_lease(job)` answers in a child forked from this process (as Granian forks
    its workers from the process that imported the app)."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the worker: new connections (never the parent's), answer, and go
        answer = b"?"
        try:
            get_engine().dispose(close=False)
            answer = b"1" if take_lease(job) else b"0"
        finally:
            os.write(write, answer)
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        answer = pipe.read()
    os.waitpid(child, 0)
    assert answer in (b"0", b"1"), "the forked worker could not ask for the lease"
    return answer == b"1"


def test_a_forked_worker_does_not_hold_the_lease_of_the_process_it_came_from() -> None:
    job = _counting_job([])
    assert take_lease(job)  # this process (the first worker) holds it

    assert not _take_lease_in_a_forked_worker(job)
    assert take_lease(job)  # still this process's


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
