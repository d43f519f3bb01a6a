"""Small dialogs, each a typed `ModalScreen[T]` that answers through `dismiss`.

Each dialog is imported when first asked for (`from station.ui.modals import ReleaseConfirm`),
not with the package: the login screen needs a few of its modules and none of the others
before its first frame.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from station.ui.modals.account_picker import AccountPicker
    from station.ui.modals.confirm import CancelConfirm, ConfirmModal, ReleaseConfirm
    from station.ui.modals.help import HelpModal
    from station.ui.modals.owner_picker import OwnerPicker
    from station.ui.modals.project_picker import NO_PROJECT, ProjectPicker
    from station.ui.modals.question import QuestionModal
    from station.ui.modals.reason import ReasonModal

# Each name, and the module of this package that holds it.
_HOMES = {
    "NO_PROJECT": "project_picker",
    "AccountPicker": "account_picker",
    "CancelConfirm": "confirm",
    "ConfirmModal": "confirm",
    "HelpModal": "help",
    "OwnerPicker": "owner_picker",
    "ProjectPicker": "project_picker",
    "QuestionModal": "question",
    "ReasonModal": "reason",
    "ReleaseConfirm": "confirm",
}

__all__ = [
    "NO_PROJECT",
    "AccountPicker",
    "CancelConfirm",
    "ConfirmModal",
    "HelpModal",
    "OwnerPicker",
    "ProjectPicker",
    "QuestionModal",
    "ReasonModal",
    "ReleaseConfirm",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # asked once
    return value
