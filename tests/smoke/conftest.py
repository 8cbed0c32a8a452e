"""The smoke stage: the README's run command (`make run`) on a fresh data folder and its own ports,
walked in Chromium as a newcomer would with the README's sign-ins.

Nothing is arranged behind the portal's back: the stack is exactly what the README's command
starts, with only PORTAL_DATA_DIR, PORTAL_PORT and SANDBOX_PORT set (docs/configuration.md), so it
never collides with a running portal or the other test stages.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from o365portal.config import Settings
from tests.e2e.conftest import browser_page
from tests.e2e.stack import ROOT, StackError, chromium, free_port, wait_until_serving

README = (ROOT / "README.md").read_text()
BANNER_END = "Press Ctrl+C to stop."
# What would point the stack away from the embedded default (or make it a child of this make).
FOREIGN = {"REFLEX_REDIS_URL", "GRANIAN_WORKERS", "MAKEFLAGS", "MFLAGS", "MAKELEVEL"}


@dataclass(frozen=True)
class ReadmeSignIn:
    """One row of the README's sign-in table."""

    role: str
    email: str
    password: str
    organization: str  # the customer's organization; empty for the broker


def readme_run_command() -> list[str]:
    """The first command of the README's first code block (documented to run the portal)."""
    block = re.search(r"```bash\n(.*?)```", README, re.DOTALL)
    assert block, "README.md has no ```bash block with the run command"
    line = block.group(1).splitlines()[0]
    command, _, comment = line.partition("#")
    assert "run the portal" in comment, f"README's first command is not the run command: {line}"
    return shlex.split(command)


def readme_sign_ins() -> list[ReadmeSignIn]:
    """The README's demo sign-ins: `| broker | e-mail | password |` and `| customer (Org) | ...`."""
    row = re.compile(
        r"^\| (broker|customer) ?(?:\((.+)\))? \| (\S+@\S+) \| (\S+) \|$", re.MULTILINE
    )
    found = [
        ReadmeSignIn(role, email, password, org)
        for role, org, email, password in row.findall(README)
    ]
    assert [s.role for s in found].count("broker") == 1, "README lists no (or several) brokers"
    assert any(s.role == "customer" for s in found), "README lists no demo customer"
    return found


SIGN_INS = readme_sign_ins()
BROKER = next(s for s in SIGN_INS if s.role == "broker")
CUSTOMERS = [s for s in SIGN_INS if s.role == "customer"]


@dataclass(frozen=True)
class Stack:
    """The running `make run`: the process group it leads, where it listens and writes."""

    process: subprocess.Popen[bytes]
    url: str
    ports: tuple[int, int]  # portal, sandbox
    data_dir: Path
    log: Path


def _newcomer_environment(data_dir: Path, portal_port: int, sandbox_port: int) -> dict[str, str]:
    """This environment without the portal's own settings (so the embedded default applies),
    plus the data folder and the two ports."""
    aliases = {str(f.validation_alias).upper() for f in Settings.model_fields.values()}
    env = {k: v for k, v in os.environ.items() if k.upper() not in aliases | FOREIGN}
    return env | {
        "PORTAL_DATA_DIR": str(data_dir),
        "PORTAL_PORT": str(portal_port),
        "SANDBOX_PORT": str(sandbox_port),
    }


def _two_free_ports() -> tuple[int, int]:
    while (ports := (free_port(), free_port()))[0] == ports[1]:
        pass
    return ports


def stop(stack: Stack, seconds: float = 30) -> int | None:
    """Ctrl+C: SIGINT to the process group of the run command; its exit code (None: still up)."""
    os.killpg(stack.process.pid, signal.SIGINT)
    try:
        return stack.process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return None


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The README's run command, started once and answering; stopped (at the latest) at the end."""
    base = tmp_path_factory.mktemp("make-run")
    data_dir, log = base / "data", base / "make-run.log"
    portal_port, sandbox_port = _two_free_ports()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            readme_run_command(),
            cwd=ROOT,
            env=_newcomer_environment(data_dir, portal_port, sandbox_port),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as in a terminal
        )
    running = Stack(
        process, f"http://127.0.0.1:{portal_port}", (portal_port, sandbox_port), data_dir, log
    )
    try:
        try:
            wait_until_serving(running.url, process, log)
        except StackError as error:
            pytest.fail(str(error))
        deadline = time.monotonic() + 15
        while BANNER_END not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        yield running
    finally:
        if process.poll() is None and stop(running) is None:
            os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def walk(browser: Browser, stack: Stack, viewport: str, name: str) -> Iterator[Page]:
    """A fresh page at the viewport's size; on failure a screenshot beside make run's output."""
    with browser_page(browser, stack.url, viewport) as page:
        try:
            yield page
        except BaseException:
            shot = stack.log.with_name(f"{name}-{viewport}.png")
            page.screenshot(path=shot, full_page=True)
            print(f"Screenshot: {shot}\nOutput of make run: {stack.log}")
            raise


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, launched once."""
    with chromium() as launched:
        yield launched
