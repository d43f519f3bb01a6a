"""The station in German at a kiosk's 80x24: the login screen and the job list, footer included
(German words are longer; every key must still show whole). `--snapshot-update` to accept."""

from __future__ import annotations

import pytest

from station import i18n
from station.config import Settings


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


def test_login_in_german(snap_compare, station):
    assert snap_compare(station(settings=Settings(language="de")), terminal_size=(80, 24))


def test_jobs_in_german(snap_compare, station, logged_in, app):
    # Alice's language on the print server is German; two jobs selected, one switched to 2-sided.
    with app.state.store.tx() as tx:
        tx.execute("UPDATE users SET language = 'de-DE' WHERE username = 'alice'")
    steps = logged_in("1234", "space", "d", "down", "space")
    assert snap_compare(station(), run_before=steps, terminal_size=(80, 24))
