"""The undo window (issue 14): a release or cancel the person confirmed waits `undo_seconds`
before it is sent, while the undo bar counts down. `u` (or a click on the bar) takes it back:
nothing was sent, so nothing prints and nothing is charged. Logging out, the idle logout,
SIGHUP, quitting and the helpdesk leaving the person's jobs send it at once (`send_now`, which
the App awaits before the session ends): the person asked for it.

The wait runs inside the worker of the release or cancel (`await window.wait(...)`), so what
follows is the same code as without a window. The countdown reads the app's clock
(`Pacing.clock`), looked at every `Pacing.undo_tick` seconds: tests move a fake clock instead of
sleeping. `undo_seconds = 0` sends at once, as before there was a window.

While the window is open it is the one change pending: other changes are refused in words
(`refuses`); selecting, filtering, sorting and reading go on.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from contextlib import suppress
from datetime import timedelta
from typing import Any, Literal, Protocol

from textual.app import App
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.worker import NoActiveWorker, Worker, WorkerCancelled, WorkerFailed, get_current_worker

from station.api.errors import ApiError
from station.api.models import Job
from station.format import count
from station.i18n import N_, _
from station.ui.acting import ActingClient
from station.ui.context import Context
from station.ui.masking import NameMask
from station.ui.screens.jobs_requests import Requests
from station.ui.session import Session
from station.ui.widgets.status_line import Kind
from station.ui.widgets.undo_bar import UndoBar

UNDO_BINDING = "jobs.undo"
Doing = Literal["release", "cancel"]


class UndoHost(Protocol):
    context: Context
    mask: NameMask

    @property
    def app(self) -> App[Any]: ...
    @property
    def session(self) -> Session: ...
    @property
    def active_bindings(self) -> dict[str, ActiveBinding]: ...

    def say(self, message: str, kind: Kind = "info") -> None: ...
    def refresh_bindings(self) -> None: ...


class UndoWindow:
    def __init__(self, host: UndoHost, requests: Requests) -> None:
        self.host = host
        self.requests = requests
        self.bar = UndoBar(self.undo, id="undo")
        self.doing: Doing = "release"
        self.jobs: list[Job] = []
        self._go: asyncio.Event | None = None  # set when the window closes, by time, u or a logout
        self._undone = False
        self._worker: Worker[Any] | None = None  # the release or cancel that waits (then sends)
        self._left = 0

    @property
    def is_open(self) -> bool:
        return self._go is not None and not self._go.is_set()

    @property
    def busy(self) -> bool:
        """Open, or what passed it is still being sent (`send_now` waits for it)."""
        return self.is_open or (self._worker is not None and self._worker.is_running)

    def named(self) -> str:
        """`Board minutes.pdf`, `3 jobs`: the name masked while names are hidden."""
        return self.host.mask.name(self.jobs[0]) if len(self.jobs) == 1 else count(len(self.jobs), 'job', 'jobs')

    def what(self) -> str:
        """`Releasing Board minutes.pdf`, `Canceling 3 jobs`."""
        doing = _("Releasing {named}") if self.doing == "release" else _("Canceling {named}")
        return doing.format(named=self.named())

    def key(self) -> str:
        """The key that undoes (the keymap may have moved it)."""
        for active in self.host.active_bindings.values():
            if active.binding.id == UNDO_BINDING:
                return active.binding.key_display or self.host.app.get_key_display(active.binding)
        return "u"

    async def wait(self, doing: Doing, jobs: Sequence[Job]) -> bool:
        """Hold the confirmed release or cancel of `jobs` for the undo window. True: send it now
        (the window passed, or a logout asked); False: not sent, and the person was told why."""
        seconds = self.host.context.settings.undo_seconds
        if seconds <= 0:
            return True
        if not await self._reason_first():
            return False
        pacing = self.host.context.pacing
        deadline = pacing.now() + timedelta(seconds=seconds)
        self.doing, self.jobs = doing, list(jobs)
        go = self._go = asyncio.Event()
        self._undone = False
        with suppress(NoActiveWorker):
            self._worker = get_current_worker()
        self.host.refresh_bindings()
        shown: tuple[int, str, str] | None = None
        try:
            while not go.is_set():
                left = (deadline - pacing.now()).total_seconds()
                if left <= 0:
                    break
                self._left = math.ceil(left)
                now = (self._left, self.key(), self.what())
                if now != shown:  # drawn again for a new second (or key, or the names shown or hidden)
                    shown = now
                    self.bar.show(now[1], now[2], now[0])
                with suppress(TimeoutError):
                    await asyncio.wait_for(go.wait(), pacing.undo_tick)
        finally:
            go.set()
            if self.bar.is_attached:  # not when the screen went with its session
                self.bar.hide()
                self.host.refresh_bindings()
        if self._undone:
            if doing == "release":
                said = _("Taken back: {named} not released. Nothing prints and nothing is charged.")
            else:
                said = _("Taken back: {named} not canceled; still waiting for you.")
            self.host.say(said.format(named=self.named()), "success")
            return False
        return True

    async def _reason_first(self) -> bool:
        """At the helpdesk the reason is asked now, not when the window has passed (nor at a logout)."""
        client = self.host.session.client
        if not isinstance(client, ActingClient):
            return True
        try:
            await client.why()
        except ApiError as error:
            self.requests.failed(error)
            return False
        return True

    def undo(self) -> None:
        """`u`: take back what waits; nothing was sent."""
        if self._go is not None and not self._go.is_set():
            self._undone = True
            self._go.set()

    def refuses(self) -> bool:
        """Another change while the window is open: refused, in words (True)."""
        if not self.is_open:
            return False
        self.host.say(
            _("{what} in {left} s ({key} takes it back): other changes wait until it is sent.").format(
                what=self.what(), left=self._left, key=self.key(),
            ),
            "busy",
        )
        return True

    async def send_now(self) -> None:
        """What waits is sent at once (a logout, the helpdesk leaving); returns once it was sent,
        refused or failed. Nothing to do when nothing waits."""
        worker = self._worker
        if self._go is not None:
            self._go.set()
        if worker is not None and worker.is_running:
            with suppress(WorkerFailed, WorkerCancelled):
                await worker.wait()

    def not_sent(self) -> str:
        """The session ended under an open window: what was not sent, by count (no name: the next
        person at a kiosk reads the login screen). Empty when nothing waits."""
        if not self.is_open:
            return ""
        if self.doing == "release":
            said = _("Not released: {count} (the session ended before it was sent).")
        else:
            said = _("Not canceled: {count} (the session ended before it was sent).")
        return said.format(count=count(len(self.jobs), 'job', 'jobs'))


class UndoScreen(Screen[None]):
    """A screen whose release and cancel wait an undo window (the jobs screen, and so the
    helpdesk's screen of a person's jobs): `u` undoes, offered (footer, help) only while it can."""

    BINDINGS = [Binding("u", "undo", N_("undo"), id=UNDO_BINDING)]
    undo: UndoWindow

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo":
            return self.undo.is_open
        return super().check_action(action, parameters)

    def action_undo(self) -> None:
        self.undo.undo()
