"""Untrusted text made safe to show: server and user text never acts on a terminal."""

from __future__ import annotations

import re

# ESC-introduced sequences (CSI, OSC, DCS, ...) are removed whole, not just their ESC byte,
# so that "\x1b]8;;http://x\x07" leaves nothing behind that looks like a link or a title.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, DCS, SOS, PM, APC ... BEL or ST
    r"|\x1b[@-Z\\-_]"  # two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x90\x9d\x9e\x9f][^\x07\x9c]*(?:\x07|\x9c)?"  # 8-bit OSC, DCS, PM, APC
)


# Control characters (Unicode's Cc) and the bidi overrides and isolates, which can make text read
# backwards and disguise a name: one regex, not a Python loop over every character (names are shown
# by the thousand: a release of 500 jobs). tests/test_untrusted.py checks it against every code point.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: object, *, limit: int | None = None) -> str:
    """The text with escape sequences removed and other control characters (and bidi
    overrides, which can make text read backwards) turned into spaces; newlines too.
    With `limit`, longer text is cut and ends with an ellipsis."""
    value = _CONTROL.sub(" ", _ESCAPE_SEQUENCE.sub("", str(text)))
    if limit is not None and len(value) > limit:
        value = value[: max(0, limit - 1)] + "…"
    return value

