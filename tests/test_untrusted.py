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
