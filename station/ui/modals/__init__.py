"""Small dialogs, each a typed `ModalScreen[T]` that answers through `dismiss`."""

from station.ui.modals.account_picker import AccountPicker
from station.ui.modals.confirm import CancelConfirm, ConfirmModal, ReleaseConfirm
from station.ui.modals.help import HelpModal
from station.ui.modals.owner_picker import OwnerPicker
from station.ui.modals.project_picker import NO_PROJECT, ProjectPicker
from station.ui.modals.question import QuestionModal
from station.ui.modals.reason import ReasonModal

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
