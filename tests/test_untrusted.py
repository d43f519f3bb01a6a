"""Untrusted text is shown literally and never acts on the terminal."""

import pytest

from station.untrusted import plain


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Report.pdf", "Report.pdf"),
        ("[bold red]PAID[/]", "[bold red]PAID[/]"),  # markup is not ours to strip: it stays text
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b]8;;http://evil.example\x07click\x1b]8;;\x07", "click"),
        ("\x1b]0;new title\x1b\\name", "name"),
        ("a\x07b\x08c\x00d", "a b c d"),
        ("line\nbreak\r", "line break "),
        ("\x9b31mc1", "c1"),
        ("abc\u202edcb.exe", "abc dcb.exe"),
        ("שלום.pdf", "שלום.pdf"),
        ("表計算📊.xlsx", "表計算📊.xlsx"),
    ],
)
def test_plain(raw, shown):
    assert plain(raw) == shown


def test_plain_cuts_long_text_with_an_ellipsis():
    assert plain("x" * 10_000, limit=20) == "x" * 19 + "…"
    assert plain("short", limit=20) == "short"


def test_every_control_character_and_bidi_override_becomes_a_space_and_nothing_else_does():
    """Unicode's control characters (Cc) and the bidi overrides and isolates (which can make a name
    read backwards), checked over every code point; the introducers of escape sequences (ESC, 8-bit
    CSI, OSC, DCS ...) are left out here, as the tests above take them whole with what follows."""
    import unicodedata

    bidi = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    introducers = {0x1B, 0x90, 0x9B, 0x9D, 0x9E, 0x9F}
    every = "".join(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF and cp not in introducers)
    expected = "".join(" " if unicodedata.category(ch) == "Cc" or ch in bidi else ch for ch in every)
    assert plain(every) == expected
