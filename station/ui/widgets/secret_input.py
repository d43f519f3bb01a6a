"""A masked field for a secret (PIN, password, card number): shown as dots, never copied.

Textual's `Input` copies its selection on ctrl+c and cuts it on ctrl+x, masked or not, so a PIN
selected with shift+Home could be pasted in clear. Here both keys leave the secret where it is.
(Selecting the screen with the mouse never reads an `Input`'s text.)
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input
from station.i18n import N_, _

NOT_COPIED = N_("A PIN, password or card number is never copied.")


class SecretInput(Input):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(password=True, **kwargs)

    def action_copy(self) -> None:
        self._refuse()

    def action_cut(self) -> None:
        self._refuse()

    def _refuse(self) -> None:
        if self.selected_text:
            self.notify(_(NOT_COPIED), markup=False)
