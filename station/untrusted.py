"""Untrusted text made safe to show: server and user text never acts on a terminal."""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences (CSI, OSC, DCS, ...) are removed whole, not just their ESC byte,
# so that "\x1b]8;;http://x\x07" leaves nothing behind that looks like a link or a title.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, DCS, SOS, PM, APC ... BEL or ST
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x90\x9d\x9e\x9f][^\x07\x9c]*(?:\x07|\x9c)?"  # 8-bit OSC, DCS, PM, APC
)


def plain(text: object, *, limit: int | None = None) -> str:
    """The text with escape sequences removed and other control characters (and bidi
    overrides, which can make text read backwards) turned into spaces; newlines too.
    With `limit`, longer text is cut and ends with an ellipsis."""
    value = _ESCAPE_SEQUENCE.sub("", str(text))
    value = "".join(" " if _is_control(ch) else ch for ch in value)
    if limit is not None and len(value) > limit:
        value = value[: max(0, limit - 1)] + "…"
    return value


def _is_control(ch: str) -> bool:
    category = unicodedata.category(ch)
    if category == "Cc":
        return True
    # Format characters that reorder text (bidi overrides and isolates) could disguise a name.
    return category == "Cf" and ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
