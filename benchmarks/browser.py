"""Timing by the page's own clock, and what a tab receives over its websocket.

Every page of a benchmark context runs INIT_SCRIPT before its own scripts: a MutationObserver
notes (as epoch milliseconds, `performance.timeOrigin + performance.now()`) when the page's text
first matches each watched pattern, and a capturing listener notes the last click or input in
sessionStorage, so the instant survives a navigation the action causes.

- a page load runs from the navigation's start (`performance.timeOrigin`) to the text;
- an action runs from its last click or input event to the text, which must be absent before.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from playwright.sync_api import Browser, BrowserContext, Page, WebSocket
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

TIMEOUT_MS = 60_000
INIT_SCRIPT = """(() => {
    const bench = (window.__bench = {patterns: new Map(), seen: {}});
    const stamp = () => performance.timeOrigin + performance.now();
    const acted = () => sessionStorage.setItem("benchActedAt", String(stamp()));
    addEventListener("click", acted, true);
    addEventListener("input", acted, true);
    const look = () => {
        const text = document.body ? document.body.textContent : "";
        for (const [source, pattern] of bench.patterns) {
            if (!(source in bench.seen) && pattern.test(text)) bench.seen[source] = stamp();
        }
    };
    bench.watch = source => {
        bench.patterns.set(source, new RegExp(source));
        delete bench.seen[source];
        look();
    };
    for (const source of PATTERNS) bench.patterns.set(source, new RegExp(source));
    new MutationObserver(look).observe(document, {
        subtree: true, childList: true, characterData: true,
    });
})();"""
SHOWN = "source => window.__bench && window.__bench.seen[source]"
ABSENT = "source => !new RegExp(source).test(document.body ? document.body.textContent : '')"


def bench_context(browser: Browser, base_url: str, patterns: Iterable[str]) -> BrowserContext:
    """A fresh context (no cache, no cookies) whose pages watch `patterns` from their start."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1440, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(INIT_SCRIPT.replace("PATTERNS", json.dumps(list(patterns))))
    return context


def timed_load(page: Page, path: str, pattern: str) -> float:
    """Milliseconds from navigating to `path` to the page's text matching `pattern` (a
    pattern of the context's)."""
    page.goto(path, wait_until="commit")
    shown = float(page.wait_for_function(SHOWN, arg=pattern).json_value())
    return shown - float(page.evaluate("performance.timeOrigin"))


def timed_action(page: Page, pattern: str, act: Callable[[], None]) -> float:
    """Milliseconds from the last click or input of `act` to the page's text matching
    `pattern` (which must not match before)."""
    page.wait_for_function(ABSENT, arg=pattern)
    page.evaluate("source => window.__bench.watch(source)", pattern)
    act()
    try:
        shown = float(page.wait_for_function(SHOWN, arg=pattern).json_value())
    except PlaywrightTimeoutError as error:
        text = page.locator("body").inner_text()[:2000]
        raise AssertionError(f"the page never showed /{pattern}/; it shows:\n{text}") from error
    return shown - float(page.evaluate("Number(sessionStorage.getItem('benchActedAt'))"))


@dataclass
class FrameBytes:
    """Bytes of the websocket frames a page receives (UTF-8 for text frames)."""

    received: int = 0
    frames: int = 0
    _sockets: list[WebSocket] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        """Count the frames of every websocket `page` opens from now on."""
        page.on("websocket", self._socket)

    def _socket(self, socket: WebSocket) -> None:
        self._sockets.append(socket)
        socket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        self.frames += 1
        self.received += len(payload.encode() if isinstance(payload, str) else payload)


def received_on_load(
    context: BrowserContext, path: str, pattern: str, settle_seconds: float = 1.0
) -> tuple[FrameBytes, str]:
    """What a new tab of `context` receives over its websocket while opening `path`, until
    its text matches `pattern` and `settle_seconds` after (late deltas), and the tab's Reflex
    token (its state's key); the tab is closed."""
    page = context.new_page()
    counted = FrameBytes()
    counted.attach(page)
    timed_load(page, path, pattern)
    time.sleep(settle_seconds)
    token = str(page.evaluate("sessionStorage.getItem('token')"))
    page.close()
    return counted, token
