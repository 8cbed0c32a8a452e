"""Many sessions at once: simulated tabs replaying the websocket frames a real tab sent.

A Reflex tab talks to the backend over one websocket at `/_event` (Engine.IO 4 framing, the
Socket.IO namespace `/_event`): the tab's token rides in the URL's query, its first event
(`hydrate_and_load`, which loads the page) in the Socket.IO CONNECT packet (`40/_event,{...}`),
every later event in an EVENT packet (`42/_event,["event",{...}]`), and the backend answers with
EVENT packets carrying deltas; it pings (`2`), the tab answers (`3`).

`record` watches a real signed-in tab in Chromium open a page and do its actions, and keeps the
frames it sent, its cookies (the portal's session cookie), and how many deltas each action
brought. `load` then opens `sessions` websockets with that URL under a new token each and those
cookies, sends the recorded CONNECT packet, waits for the page's hydration, and has every
session replay the actions in turn, one every THINK_SECONDS (from its send), for `seconds`.
An event's latency runs from sending its frame to receiving the last of its deltas; events
per second count the events answered in that window. The client runs in this process, on
asyncio (the `websockets` library), on the same machine as the server.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

import websockets
from playwright.sync_api import BrowserContext, Page, WebSocket
from reflex_base.constants import Reflex
from websockets.typing import Subprotocol

from benchmarks.browser import timed_action, timed_load

THINK_SECONDS = 1.0  # each session sends an event a second: 100 sessions offer 100 events/s
OPEN_AT_ONCE = 10  # sessions connecting at the same time while the load ramps up
TIMEOUT_SECONDS = 30.0
SETTLE_SECONDS = 0.5
QUIET_SECONDS = 10.0
HYDRATED = '"is_hydrated_rx_state_":true'
CONNECT, EVENT, PING, PONG = "40", "42", "2", "3"


@dataclass(frozen=True)
class Step:
    """One action of a recording: what the tab does, and the text that shows it was done."""

    act: Callable[[Page], None]
    pattern: str


@dataclass(frozen=True)
class Recording:
    """What a real tab sent over its websocket while opening a page and acting on it."""

    url: str  # ws://host/_event/?token=...&EIO=4&transport=websocket
    token: str
    cookie: str  # the Cookie header (the portal's session)
    connect: str  # the CONNECT packet with the page's hydrate_and_load event
    actions: tuple[str, ...]  # one EVENT packet per action, replayed in turn
    replies: tuple[int, ...]  # the delta packets each action brought
    answers: tuple[frozenset[str], ...]  # the states each action's last delta updated


@dataclass
class _Socket:
    sent: list[str] = field(default_factory=list)
    received: list[str] = field(default_factory=list)
    url: str = ""

    def attach(self, socket: WebSocket) -> None:
        self.url = socket.url
        socket.on("framesent", lambda frame: self.sent.append(_text(frame)))
        socket.on("framereceived", lambda frame: self.received.append(_text(frame)))

    def events(self, frames: list[str], since: int = 0) -> list[str]:
        return [frame for frame in frames[since:] if frame.startswith(EVENT)]


def _text(frame: str | bytes) -> str:
    return frame if isinstance(frame, str) else frame.decode()


def record(context: BrowserContext, path: str, pattern: str, steps: Sequence[Step]) -> Recording:
    """Open `path` in a new tab of `context` until its text matches `pattern`, do `steps` in
    turn, and keep what the tab sent (the tab is closed)."""
    page = context.new_page()
    socket = _Socket()
    page.on("websocket", socket.attach)
    timed_load(page, path, pattern)
    page.wait_for_timeout(1000)  # the page's last deltas
    actions, replies, states = [], [], []
    for step in steps:
        sent, received = len(socket.sent), len(socket.received)
        timed_action(page, step.pattern, partial(step.act, page))
        page.wait_for_timeout(1000)  # late deltas
        frames = socket.events(socket.sent, sent)
        if len(frames) != 1:
            raise AssertionError(f"an action sent {len(frames)} events, not one: {frames}")
        answers = socket.events(socket.received, received)
        if not answers:
            raise AssertionError(f"an action brought no delta: {frames[0]}")
        actions.append(frames[0])
        replies.append(len(answers))
        states.append(delta_states(answers[-1]))
    token = str(page.evaluate("sessionStorage.getItem('token')"))
    page.close()
    connect = next(frame for frame in socket.sent if frame.startswith(CONNECT))
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies() if "name" in c)
    return Recording(
        socket.url, token, cookie, connect, tuple(actions), tuple(replies), tuple(states)
    )


def delta_states(frame: str) -> frozenset[str]:
    """The states an EVENT packet's delta updates (`42/_event,["event",{"delta":{...}}]`)."""
    _, body = json.loads(frame[frame.index("[") :])
    return frozenset(body.get("delta", {}))


@dataclass(frozen=True)
class Load:
    """What `sessions` simulated tabs measured in one window."""

    sessions: int
    latencies_ms: list[float]
    seconds: float
    unopened: int = 0  # tabs that did not connect or hydrate within the timeouts
    unanswered: int = 0  # tabs whose socket closed or an event went unanswered TIMEOUT_SECONDS
    wrong: int = 0  # answers that updated other states than the recorded tab's answer did
    first_wrong: str = ""  # the first of them, to show

    @property
    def events_per_second(self) -> float:
        """Events answered per second of the window."""
        return len(self.latencies_ms) / self.seconds


@dataclass
class _Run:
    recording: Recording
    sessions: int
    seconds: float
    opened: int = 0
    unopened: int = 0
    unanswered: int = 0
    wrong: int = 0
    first_wrong: str = ""
    latencies_ms: list[float] = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    start: float = 0.0

    def counted(self) -> None:
        self.opened += 1
        if self.opened == self.sessions:
            self.start = time.monotonic()
            self.ready.set()


def load(recording: Recording, sessions: int, seconds: float) -> Load:
    """`sessions` simulated tabs replaying `recording` at once for `seconds` (after all opened)."""
    time.sleep(QUIET_SECONDS)  # the last load's closed tabs are cleaned up on the server
    with ThreadPoolExecutor(1) as pool:  # Playwright owns this thread's event loop
        return pool.submit(asyncio.run, _load(recording, sessions, seconds)).result()


async def _load(recording: Recording, sessions: int, seconds: float) -> Load:
    run = _Run(recording, sessions, seconds)
    gate = asyncio.Semaphore(OPEN_AT_ONCE)
    await asyncio.gather(*(_session(run, gate) for _ in range(sessions)))
    return Load(
        sessions,
        run.latencies_ms,
        seconds,
        run.unopened,
        run.unanswered,
        run.wrong,
        run.first_wrong,
    )


async def _session(run: _Run, gate: asyncio.Semaphore) -> None:
    recording, token = run.recording, str(uuid.uuid4())
    origin = recording.url.replace("ws://", "http://").split("/_event")[0]
    headers = {"Origin": origin} | ({"Cookie": recording.cookie} if recording.cookie else {})
    opened = False
    try:
        async with websockets.connect(
            recording.url.replace(recording.token, token),
            additional_headers=headers,
            subprotocols=[Subprotocol(Reflex.VERSION)],
            max_size=None,
            open_timeout=TIMEOUT_SECONDS,
            ping_interval=None,  # Engine.IO pings in its own frames
        ) as socket:
            deltas: asyncio.Queue[tuple[float, str]] = asyncio.Queue()
            reader = asyncio.create_task(_read(socket, deltas))
            try:
                async with gate:
                    await socket.send(recording.connect.replace(recording.token, token))
                    await _until_hydrated(deltas)
                opened = True
                run.counted()
                await run.ready.wait()  # every session opened (or failed to)
                actions = [frame.replace(recording.token, token) for frame in recording.actions]
                await _replay(run, socket, deltas, actions)
            finally:
                reader.cancel()
    except (OSError, TimeoutError, websockets.WebSocketException):
        if opened:
            run.unanswered += 1
        else:
            run.unopened += 1
            run.counted()


async def _read(
    socket: websockets.ClientConnection, deltas: asyncio.Queue[tuple[float, str]]
) -> None:
    async for message in socket:
        frame = _text(message)
        if frame == PING:
            await socket.send(PONG)
        elif frame.startswith(EVENT):
            deltas.put_nowait((time.monotonic(), frame))


async def _until_hydrated(deltas: asyncio.Queue[tuple[float, str]]) -> None:
    """Until the page's hydration ends and its late deltas have come (none for SETTLE_SECONDS)."""
    async with asyncio.timeout(TIMEOUT_SECONDS * 4):
        while HYDRATED not in (await deltas.get())[1]:
            pass
    try:
        while True:
            await asyncio.wait_for(deltas.get(), SETTLE_SECONDS)
    except TimeoutError:
        return


async def _replay(
    run: _Run,
    socket: websockets.ClientConnection,
    deltas: asyncio.Queue[tuple[float, str]],
    actions: list[str],
) -> None:
    """Send `actions` in turn, one every THINK_SECONDS, until the window ends."""
    recording, end = run.recording, run.start + run.seconds
    await asyncio.sleep(random.uniform(0, THINK_SECONDS))  # spread the sessions' sends
    number = 0
    while (sent := time.monotonic()) < end:
        turn = number % len(actions)
        while not deltas.empty():  # a delta no event of this session asked for
            deltas.get_nowait()
        await socket.send(actions[turn])
        try:
            async with asyncio.timeout(TIMEOUT_SECONDS):
                for _ in range(recording.replies[turn]):
                    answered, frame = await deltas.get()
        except TimeoutError:
            run.unanswered += 1
            return
        if delta_states(frame) != recording.answers[turn]:  # an error, a redirect, ...
            run.wrong += 1
            run.first_wrong = run.first_wrong or frame
        elif answered <= end:
            run.latencies_ms.append((answered - sent) * 1000)
        number += 1
        await asyncio.sleep(max(0.0, sent + THINK_SECONDS - time.monotonic()))
