"""Pick the account the release charges: each with its balance."""

from __future__ import annotations

from decimal import Decimal

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from station.api.models import Account
from station.i18n import _
from station.untrusted import plain
from station.ui.modals.base import StationModal
from station.format import money


class AccountPicker(StationModal[str | None]):
    """Answers an account id, or None when closed without a choice."""

    def __init__(
        self, accounts: list[Account], *, current: str | None, cost: Decimal | None = None, balances_known: bool = True
    ) -> None:
        super().__init__()
        self.accounts = accounts
        self.current = current
        self.cost = cost
        self.balances_known = balances_known  # False: the server lists accounts without balances

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = _("Account to charge")
            yield OptionList(*self._options(), id="accounts")
            yield Static(Content(_("Enter choose · Esc back")), classes="hint")

    def _options(self) -> list[Option]:
        names = [plain(account.name or account.id) for account in self.accounts]
        width = max(map(len, names), default=0)
        options = []
        for name, account in zip(names, self.accounts, strict=True):
            mark = "● " if account.id == self.current else "  "
            balance = money(account.balance, account.currency) if self.balances_known else _("balance not known")
            short = (
                self.balances_known and self.cost is not None and account.balance is not None
                and self.cost > account.balance
            )
            options.append(
                Option(
                    Content.assemble(
                        mark,
                        (name.ljust(width), "bold"),
                        "  ",
                        (balance.rjust(12), "$text-error" if short else ""),
                        (_("  not enough") if short else "", "$text-error"),
                    ),
                    id=account.id,
                )
            )
        return options

    def on_mount(self) -> None:
        options = self.query_one("#accounts", OptionList)
        ids = [account.id for account in self.accounts]
        if self.current in ids:
            options.highlighted = ids.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
