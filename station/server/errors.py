"""The server's error: one exception that becomes the contract's error body."""

from __future__ import annotations

from typing import Any

from station.api.models import Reason


class Problem(Exception):
    """A refused request: `{"code": status, "message": message, "data": items}`.

    `items` lists one object per failing thing (each with its `reason`); when none is given,
    one object with `reason` and the `extra` fields is sent.
    """

    def __init__(
        self,
        status: int,
        reason: Reason,
        message: str,
        *,
        items: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.items = items or [{"reason": reason.value, **extra}]
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"code": self.status, "message": self.message, "data": self.items}


def not_found(what: str = "job", **extra: Any) -> Problem:
    return Problem(404, Reason.NOT_FOUND, f"There is no such {what}.", **extra)
