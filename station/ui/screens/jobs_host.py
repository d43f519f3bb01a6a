"""What the parts of the jobs screen (requests, changes, release) may ask of the screen.

The parts are plain objects the screen holds; they reach the screen through this protocol
only, so none of them imports the screen (no import circle) and each can be read alone.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from typing import Any, Protocol

from textual.app import App
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.worker import Worker

from station.api.models import Job
from station.ui.context import Context
from station.ui.jobs_model import JobsModel
from station.ui.masking import NameMask
from station.ui.session import Session
from station.ui.widgets.banner import ConnectionBanner
from station.ui.widgets.job_table import JobTable
from station.ui.widgets.progress import PrintProgress
from station.ui.widgets.status_line import Kind


class JobsHost(Protocol):
    context: Context
    model: JobsModel
    mask: NameMask

    @property
    def app(self) -> App[Any]: ...
    @property
    def session(self) -> Session: ...
    @property
    def table(self) -> JobTable: ...
    @property
    def banner(self) -> ConnectionBanner: ...
    @property
    def progress(self) -> PrintProgress: ...

    def say(self, message: str, kind: Kind = "info") -> None: ...
    def confirmation_preface(self) -> list[tuple[str, Content | str]]: ...
    def printer(self) -> str | None: ...
    def targets(self) -> list[Job]: ...
    def apply(self, jobs: Iterable[Job]) -> None: ...
    def show_jobs(self) -> None: ...
    def show_header(self) -> None: ...
    def show_totals(self) -> None: ...
    def set_timer(self, delay: float, callback: Callable[[], Any] | None = None) -> Timer: ...
    def post_message(self, message: Message) -> bool: ...
    def call_after_refresh(self, callback: Callable[..., Any], *args: Any) -> bool: ...
    def run_worker(
        self, work: Coroutine[Any, Any, Any], *, group: str = "default", exclusive: bool = False,
        exit_on_error: bool = True,
    ) -> Worker[Any]: ...
