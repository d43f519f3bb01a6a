"""Secrets in a copied database (issue 11, item 10).

The issue's method: PINs, cards and passwords were one HMAC keyed with a value kept in the same
SQLite file, so trying every 4-digit PIN (and a short word list of passwords) against the file
gave them all back. `recover` is that method, run on a database file alone; given the key file
as well, the same search (now keyed, and scrypt for passwords) finds them: the control that the
search would see them if they were there.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import httpx
import pytest

from station.cli import main
from station.server.app import ServerSettings, create_app
from station.server.store import StoreError

from .support import API, CLIENT_ID, CLIENT_SECRET, reason

DATA = Path(__file__).parent / "data"
DEMO_PINS = {"1234": "alice", "5678": "bob", "9012": "dave"}
DEMO_CARDS = {"04A1B2C3": "alice", "04B0B0B0": "bob"}
WORDS = ["password", "alice-pw", "carol-pw", "station"]  # the issue: "two passwords from a 4-word list"
# The session kept in schema1.sql (see data/make_schema1.py): alice, PIN login, at the test clock's start.
V1_ACCESS = "ORsPcqrFOJ-lpSuTNgD9ux5gd-u43m7A-5Gmu9xVFbI"
V1_REFRESH = "XKS_PTcD9MS7rvor6sRB249QUgHxzYBxa4vvDRkUB4c"


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _scrypt_matches(material: str, stored: str) -> bool:
    kind, n, r, p, salt, digest = stored.split("$")
    assert kind == "scrypt"
    made = hashlib.scrypt(material.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                          maxmem=256 * int(n) * int(r) * int(p) + 1_000_000, dklen=32)
    return hmac.compare_digest(made, base64.b64decode(digest))


def recover(db: Path, key_file: Path | None = None) -> dict[str, str]:
    """Every demo PIN, card and password found in the database file (with the key file, if given)."""
    conn = sqlite3.connect(db)
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        users = conn.execute("SELECT username, pin_hash, card_hash, pwd_hash FROM users").fetchall()
    finally:
        conn.close()
    file_keys = [bytes(meta[name]) for name in ("salt", "secret_key") if name in meta]
    outer = bytes.fromhex(key_file.read_text().strip()) if key_file else None

    def stored_form(key: bytes, kind: str, value: str) -> str:
        inner = _mac(key, f"{kind}\x00{value}")
        return _mac(outer, inner) if outer else inner

    found: dict[str, str] = {}
    pins = {row[1]: row[0] for row in users if row[1]}
    cards = {row[2]: row[0] for row in users if row[2]}
    for key in file_keys:
        for n in range(10_000):
            if (owner := pins.get(stored_form(key, "pin", f"{n:04d}"))) is not None:
                found[f"{n:04d}"] = owner
        for card in DEMO_CARDS:
            if (owner := cards.get(stored_form(key, "card", card))) is not None:
                found[card] = owner
        for username, _, _, pwd_hash in users:
            for word in WORDS:
                if not pwd_hash:
                    continue
                material = stored_form(key, "pwd", f"{username.casefold()}\x00{word}")
                same = _scrypt_matches(material, pwd_hash) if pwd_hash.startswith("scrypt$") else material == pwd_hash
                if same:
                    found[word] = username
    return found


EVERYTHING = {**DEMO_PINS, **DEMO_CARDS, "alice-pw": "alice", "carol-pw": "carol"}


def test_a_copy_of_the_database_gives_back_no_pin_card_or_password(tmp_path, clock):
    db = tmp_path / "station.db"
    create_app(ServerSettings(db=str(db), clock=clock)).state.store.close()
    stolen = tmp_path / "stolen"
    stolen.mkdir()
    shutil.copy(db, stolen / "station.db")  # the database alone, as a backup or a copy would carry it
    assert recover(stolen / "station.db") == {}
    # The control: with the key file too, the same search finds every one of them.
    assert recover(stolen / "station.db", key_file=tmp_path / "station.db.key") == EVERYTHING


def test_the_key_file_is_made_beside_the_database_and_only_the_server_may_read_it(tmp_path, clock):
    create_app(ServerSettings(db=str(tmp_path / "station.db"), clock=clock)).state.store.close()
    key_file = tmp_path / "station.db.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(bytes.fromhex(key_file.read_text())) == 32
    assert key_file.read_text().strip().encode() not in (tmp_path / "station.db").read_bytes()
    # Or where a setting says.
    elsewhere = tmp_path / "keys"
    elsewhere.mkdir()
    create_app(ServerSettings(db=str(tmp_path / "other.db"), clock=clock,
                              key_file=str(elsewhere / "other.key"))).state.store.close()
    assert (elsewhere / "other.key").exists() and not (tmp_path / "other.db.key").exists()


def test_a_database_in_memory_keeps_its_key_in_memory(tmp_path, clock, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = create_app(ServerSettings(clock=clock))
    app.state.store.close()
    assert list(tmp_path.iterdir()) == []


def test_passwords_get_a_slow_salted_hash(tmp_path, clock):
    app = create_app(ServerSettings(db=str(tmp_path / "station.db"), clock=clock))
    store = app.state.store
    try:
        with store.read() as db:
            hashes = dict(db.all("SELECT username, pwd_hash FROM users WHERE pwd_hash IS NOT NULL"))
        assert set(hashes) == {"alice", "carol"}
        for stored in hashes.values():
            assert stored.startswith("scrypt$16384$8$1$")  # the server's cost, 30-50 ms a check here
        salts = {stored.split("$")[4] for stored in hashes.values()}
        assert len(salts) == 2
        # A salt per hash: the same password twice gives two hashes, and both match.
        first, second = store.hash_password("erin", "same-pw"), store.hash_password("erin", "same-pw")
        assert first != second
        assert store.password_matches("erin", "same-pw", first) and store.password_matches("erin", "same-pw", second)
        assert not store.password_matches("erin", "other-pw", first)
    finally:
        store.close()


def test_a_database_without_its_key_file_is_refused_in_a_sentence(tmp_path, clock, capsys):
    db = tmp_path / "station.db"
    create_app(ServerSettings(db=str(db), clock=clock)).state.store.close()
    key_file = tmp_path / "station.db.key"
    saved = key_file.read_text()
    key_file.unlink()
    with pytest.raises(StoreError, match=r"key file .* is missing"):
        create_app(ServerSettings(db=str(db), clock=clock))
    assert not key_file.exists()  # not silently replaced by a new one
    assert main(["serve", "--db", str(db), "--port", "0"]) == 1
    assert "is missing" in capsys.readouterr().err
    # Another database's key file.
    create_app(ServerSettings(db=str(tmp_path / "other.db"), clock=clock)).state.store.close()
    shutil.copy(tmp_path / "other.db.key", key_file)
    with pytest.raises(StoreError, match="does not belong to the database"):
        create_app(ServerSettings(db=str(db), clock=clock))
    # Its own key file, but readable by everyone.
    key_file.write_text(saved)
    os.chmod(key_file, 0o644)
    with pytest.raises(StoreError, match="can be read by other users"):
        create_app(ServerSettings(db=str(db), clock=clock))
    os.chmod(key_file, 0o600)
    create_app(ServerSettings(db=str(db), clock=clock)).state.store.close()  # the control


def schema1_database(folder: Path) -> Path:
    db = folder / "station.db"
    conn = sqlite3.connect(db)
    conn.executescript((DATA / "schema1.sql").read_text(encoding="utf-8"))
    conn.close()
    return db


def test_the_issues_method_works_on_a_database_of_the_old_schema(tmp_path):
    """The control of the upgrade test below: the old file gives everything back."""
    assert recover(schema1_database(tmp_path)) == EVERYTHING


async def test_a_database_of_the_old_schema_is_upgraded_in_place(tmp_path, clock):
    db = schema1_database(tmp_path)
    app = create_app(ServerSettings(db=str(db), clock=clock))
    try:
        assert stat.S_IMODE((tmp_path / "station.db.key").stat().st_mode) == 0o600
        with app.state.store.read() as tx:
            assert tx.meta("schema") == b"2"
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://station.test") as http:
            # The session of before the upgrade goes on; its refresh token works (once).
            me = await http.get(f"{API}/users/me", headers={"Authorization": f"Bearer {V1_ACCESS}"})
            assert me.status_code == 200 and me.json()["username"] == "alice"
            refresh = {"grant_type": "refresh_token", "refresh_token": V1_REFRESH, "client_id": CLIENT_ID,
                       "client_secret": CLIENT_SECRET}
            assert (await http.post("/api/auth/token", json=refresh)).status_code == 200
            assert (await http.post("/api/auth/token", json=refresh)).status_code == 401
            # Every demo login still works; alice's card is still locked by its five failures.
            for info in ({"type": 2, "pin": "1234"}, {"type": 2, "pin": "9012"}, {"type": 1, "card": "04B0B0B0"},
                         {"type": 3, "user": "carol", "pwd": "carol-pw"},
                         {"type": 3, "user": "alice", "pwd": "alice-pw"}):
                response = await http.post("/api/auth/token", json={
                    "grant_type": "login_info", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                    "scope": "jobs", "login_info": info})
                assert response.status_code == 200, (info, response.text)
            locked = await http.post("/api/auth/token", json={
                "grant_type": "login_info", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "scope": "jobs", "login_info": {"type": 1, "card": "04A1B2C3"}})
            assert locked.status_code == 429 and reason(locked) == "locked_out"
    finally:
        app.state.store.close()
    assert recover(db) == {}
    assert recover(db, key_file=tmp_path / "station.db.key") == EVERYTHING


def test_a_database_of_a_newer_station_is_refused(tmp_path, clock):
    db = tmp_path / "station.db"
    create_app(ServerSettings(db=str(db), clock=clock)).state.store.close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (b"3",))
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="made by a newer station"):
        create_app(ServerSettings(db=str(db), clock=clock))
