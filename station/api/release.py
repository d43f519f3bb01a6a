"""How jobs print when they are released at a printer (contract 7.1, `releaseOptions`).

`POST /v3/printers/{printer}/jobs/release` takes integer options. The values are inferred
from the order of the vendor's job policy settings (not documented for the API): `duplex` 0 as
sent, 1 single-sided, 2 long edge, 3 short edge; `color` 0 as sent, 1 colour, 2 black and
white; `copies` 0 as sent, N that many. Station offers the choices a person makes at a kiosk:
2-sided or 1-sided, black and white, a number of copies; everything else prints as sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.i18n import _, ngettext

DUPLEX_AS_SENT, DUPLEX_SINGLE, DUPLEX_LONG_EDGE = 0, 1, 2
COLOR_AS_SENT, COLOR_MONO = 0, 2
MAX_COPIES = 999


@dataclass(frozen=True)
class ReleaseOptions:
    """`duplex`: True 2-sided, False 1-sided, None as sent. `mono`: black and white.
    `copies`: that many copies, None as sent."""

    duplex: bool | None = None
    mono: bool = False
    copies: int | None = None

    def __post_init__(self) -> None:
        if self.copies is not None and not 1 <= self.copies <= MAX_COPIES:
            raise ValueError(f"copies must be between 1 and {MAX_COPIES}")

    @property
    def as_sent(self) -> bool:
        return self.duplex is None and not self.mono and self.copies is None

    def wire(self) -> dict[str, int]:
        """The `releaseOptions` object of the request."""
        duplex = DUPLEX_AS_SENT if self.duplex is None else (DUPLEX_LONG_EDGE if self.duplex else DUPLEX_SINGLE)
        return {
            "duplex": duplex,
            "color": COLOR_MONO if self.mono else COLOR_AS_SENT,
            "copies": self.copies or 0,
        }

    def describe(self) -> str:
        """`as sent`, or what changes: `2-sided, black and white, 3 copies`."""
        if self.as_sent:
            return _("as sent")
        parts = []
        if self.duplex is not None:
            parts.append(_("2-sided") if self.duplex else _("1-sided"))
        if self.mono:
            parts.append(_("black and white"))
        if self.copies is not None:
            parts.append(ngettext("{count} copy", "{count} copies", self.copies).format(count=self.copies))
        return ", ".join(parts)


AS_SENT = ReleaseOptions()
