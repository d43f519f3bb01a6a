"""What every dialog shares: a framed box in the middle, Escape to close without an answer."""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen
from station.i18n import N_

T = TypeVar("T")


class StationModal(ModalScreen[T]):
    """A dialog. Escape answers None (or the class's `ESCAPE_ANSWER`)."""

    BINDINGS = [Binding("escape", "close", N_("close"), id="modal.close")]
    ESCAPE_ANSWER: object = None

    def on_mount(self) -> None:
        if getattr(self.app, "demo", False):
            from station.ui.demo import DemoMarker

            self.mount(DemoMarker())

    def action_close(self) -> None:
        self.dismiss(self.ESCAPE_ANSWER)  # type: ignore[arg-type]
