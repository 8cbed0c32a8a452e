"""Reflex's own floor: a one-counter app built and served like the portal, in the same run.

Written to a temporary folder with the portal's Reflex version, its Radix Themes plugin and its
npm lock (reflex.lock/), then started with `reflex run --env prod` on one free port
(REFLEX_USE_NPM=1, the venv's node first on PATH) as tests/e2e/stack.py starts the portal.
Its page loads a state value in `on_load` (as every portal page loads its data), has one
button that adds one and a link to a second page, whose `on_load` counts the visits it shows:
the floor of an in-page navigation (a click on a link to a page that loads its data).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.e2e.stack import (
    REDIS_URL,
    ROOT,
    STARTUP_SECONDS,
    Stack,
    StackError,
    free_port,
    stop_group,
)

LOADED = "Loaded"  # shown once on_load has run
COUNT = "Count: {n}"
BUTTON = "Add one"
OTHER_PAGE = "Other page"  # the link to the second page
VISITED = "Visit {n}(?!\\d)"  # the second page, after its on_load ran for the n-th time
APP = f'''"""One counter: the floor of a Reflex page load and event round trip."""

import reflex as rx


class Counter(rx.State):
    """The count, and whether the page's on_load has run."""

    count: int = 0
    loaded: bool = False
    visits: int = 0

    @rx.event
    def load(self) -> None:
        """on_load: mark the page loaded."""
        self.loaded = True

    @rx.event
    def visit(self) -> None:
        """on_load of the other page: count the visit."""
        self.visits += 1

    @rx.event
    def increment(self) -> None:
        """Add one."""
        self.count += 1


def index() -> rx.Component:
    """The counter and its button."""
    return rx.vstack(
        rx.cond(Counter.loaded, rx.text("{LOADED}")),
        rx.text("Count: ", Counter.count),
        rx.button("{BUTTON}", on_click=Counter.increment),
        rx.link("{OTHER_PAGE}", href="/other"),
    )


def other() -> rx.Component:
    """The second page: how many visits its on_load counted."""
    return rx.vstack(rx.text("Visit ", Counter.visits), rx.link("Home", href="/"))


app = rx.App()
app.add_page(index, route="/", on_load=Counter.load)
app.add_page(other, route="/other", on_load=Counter.visit)
'''
CONFIG = """import reflex as rx

config = rx.Config(
    app_name="floor",
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
    telemetry_enabled=False,
    show_built_with_reflex=False,
)
"""


def write_app(folder: Path) -> None:
    """The floor app's files in `folder`."""
    (folder / "floor").mkdir()
    (folder / "floor" / "__init__.py").write_text("")
    (folder / "floor" / "floor.py").write_text(APP)
    (folder / "rxconfig.py").write_text(CONFIG)
    shutil.copytree(ROOT / "reflex.lock", folder / "reflex.lock")


@contextmanager
def floor_app(stack: Stack) -> Iterator[str]:
    """The floor app built and served on a free port, on the stack's state manager and workers
    (production: Redis and two workers); its URL. Stopped afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as name:
        folder = Path(name)
        write_app(folder)
        port, log = free_port(), folder / "floor.log"
        bin_dir = str(Path(sys.executable).parent)
        env = os.environ | {
            "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
            "REFLEX_USE_NPM": "1",
            "REFLEX_TELEMETRY_ENABLED": "false",
        }
        env.pop("REFLEX_REDIS_URL", None)
        if stack == "production":
            env |= {"REFLEX_REDIS_URL": REDIS_URL, "GRANIAN_WORKERS": "2"}
        command = [str(Path(sys.executable).with_name("reflex")), "run", "--env", "prod"]
        command += ["--frontend-port", str(port), "--backend-port", str(port)]
        with log.open("wb") as sink:
            process = subprocess.Popen(
                command, cwd=folder, env=env, stdout=sink, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(url, process, log)
            yield url
        finally:
            stop_group(process)


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackError(f"the floor app exited:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            if httpx.get(f"{url}/ping", timeout=2).is_success and httpx.get(url).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise StackError(f"the floor app did not start:\n{log.read_text(errors='replace')[-4000:]}")
