"""The demo data set (contract section 6): deterministic given the clock.

Credentials (all stored as hashes): alice PIN 1234, card 04A1B2C3, password alice-pw;
bob PIN 5678, card 04B0B0B0; carol (helpdesk) user carol, password carol-pw; dave PIN 9012.
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from decimal import Decimal
from typing import Protocol

from station.server.pricing import job_cost, prices_from, to_cents
from station.server.settings import ServerSettings
from station.server.times import seconds, to_us

ALICE, BOB, CAROL, DAVE = 7, 8, 9, 10

USERS = [
    # id, username, full name, role, accounting, project required, default account, pin, card, pwd
    (ALICE, "alice", "Alice Martin", "user", "costCenter", False, "credit", "1234", "04A1B2C3", "alice-pw"),
    (BOB, "bob", "Bob Keller", "user", "group", True, "credit", "5678", "04B0B0B0", None),
    (CAROL, "carol", "Carol Nguyen", "helpdesk", None, False, None, None, None, "carol-pw"),
    (DAVE, "dave", "Dave Okafor", "user", "group", False, "credit", "9012", None, None),
]

DEMO_LOGINS: list[tuple[str, tuple[tuple[str, str], ...]]] = [
    ("Alice Martin (alice)", (("pin", "1234"), ("card", "04A1B2C3"), ("password", "alice-pw"))),
    ("Bob Keller (bob)", (("pin", "5678"), ("card", "04B0B0B0"))),
    ("Carol Nguyen (carol, helpdesk)", (("user", "carol"), ("password", "carol-pw"))),
    ("Dave Okafor (dave)", (("pin", "9012"),)),
]
"""(who, ways to log in) of the demo data set, for the demo's login screen: each way a kind (pin,
card, user, password: named on the screen in its language) and what to type."""

ACCOUNTS = [
    # user, id, type, name, balance (None: no limit)
    (ALICE, "credit", "credit", "Personal credit", Decimal("12.50")),
    (ALICE, "cc:marketing", "costCenter", "Marketing", None),
    (BOB, "credit", "credit", "Personal credit", Decimal("0.80")),
    (DAVE, "credit", "credit", "Personal credit", Decimal("5.00")),
]

PROJECTS = [
    (1, "Marketing Q4 campaign", "MKT-Q4"),
    (2, "Product launch", "PL-NEXT"),
    (3, "Annual report", "AR-2026"),
    (4, "Trade fair Hamburg", "TF-HAM"),
    (5, "Customer workshop", "CW-11"),
    (6, "Internal training", "IT-TRN"),
]
PROJECTS_OF = {ALICE: [1, 3, 5], BOB: [1, 2, 3, 4, 5, 6]}

QUEUES = [("secure", 10), ("direct", None)]
"""Queue name, and the page count over which a new job is held with the duplex question."""

PRINTERS = [(1, "Floor 2 east"), (2, "Floor 3 west")]
"""Printer id and name: where a person releases jobs (`/v3/printers/{id}/...`)."""

FIRST_JOB_ID = 101

# Names as long as people's (three of over 70 characters), so that a demo shows what the table
# cuts and the detail line under it gives whole.
REPORT = "Quarterly report Q3 – revenue, costs and outlook for the supervisory board.docx"
AGENDA = "Team offsite agenda – Lisbon, 14 to 16 October, with travel and room plan.docx"
HANDOUT = "Workshop handout – customer onboarding, exercises and model solutions.pdf"

# owner, name, age, pages, colour pages, copies, duplex, queue, state, favorite, project, size
JOBS = [
    (ALICE, "Board minutes.pdf", timedelta(minutes=12), 4, 0, 1, False, "direct", "ready", False, 0, 182_344),
    (ALICE, "Campaign slides.pptx", timedelta(hours=1), 12, 12, 1, False, "secure", "paused", False, 0, 8_412_006),
    (ALICE, "Flyer.pdf", timedelta(hours=2), 2, 2, 10, True, "direct", "ready", False, 1, 2_310_512),
    (ALICE, "Train tickets Berlin.pdf", timedelta(minutes=25), 2, 0, 1, False, "direct", "ready", False, 0, 96_870),
    (ALICE, REPORT, timedelta(hours=3), 18, 3, 2, True, "direct", "ready", False, 3, 4_002_118),
    (ALICE, "Expense claim.xlsx", timedelta(hours=5), 1, 0, 1, False, "direct", "ready", False, 0, 41_207),
    (ALICE, AGENDA, timedelta(hours=20), 3, 1, 3, False, "direct", "ready", False, 0, 120_775),
    (ALICE, "Weekly status template.docx", timedelta(days=2), 2, 0, 1, True, "direct", "printed", True, 0, 58_310),
    (ALICE, "Boarding pass.pdf", timedelta(days=3), 1, 1, 1, False, "direct", "printed", False, 0, 310_442),
    (BOB, "Shipping labels.pdf", timedelta(minutes=40), 3, 0, 1, False, "direct", "ready", False, 0, 77_019),
    (BOB, HANDOUT, timedelta(hours=2, minutes=30), 8, 2, 2, True, "secure", "ready", False, 5, 1_204_330),
    (BOB, "Parking permit.pdf", timedelta(hours=4), 1, 1, 1, False, "direct", "ready", False, 0, 205_118),
    (BOB, "Invoice INV-0412.pdf", timedelta(hours=6), 2, 0, 1, False, "direct", "ready", False, 0, 64_992),
]


class Hasher(Protocol):
    """How the store keeps secrets (`Store.hash_secret`, `Store.hash_password`)."""

    def hash_secret(self, kind: str, value: str) -> str: ...

    def hash_password(self, username: str, password: str) -> str: ...


def seed_demo(db: sqlite3.Connection, hasher: Hasher, settings: ServerSettings) -> None:
    """Write the demo data set, inside the caller's transaction."""
    now = settings.now().replace(microsecond=0)
    prices = prices_from(settings)
    for uid, username, full_name, role, accounting, required, default, pin, card, pwd in USERS:
        db.execute(
            "INSERT INTO users (id, username, full_name, email, language, role, accounting,"
            " project_required, default_account, pin_hash, card_hash, pwd_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                uid,
                username,
                full_name,
                f"{username}@example.org",
                settings.seed_language,
                role,
                accounting,
                int(required),
                default,
                hasher.hash_secret("pin", pin) if pin else None,
                hasher.hash_secret("card", card) if card else None,
                hasher.hash_password(username, pwd) if pwd else None,
            ),
        )
    for position, (uid, aid, kind, name, balance) in enumerate(ACCOUNTS):
        db.execute(
            "INSERT INTO accounts (user_id, id, type, name, balance_cents, currency, position)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (uid, aid, kind, name, None if balance is None else to_cents(balance),
             settings.currency, position),
        )
    db.executemany("INSERT INTO projects (id, name, code) VALUES (?, ?, ?)", PROJECTS)
    db.executemany(
        "INSERT INTO user_projects (user_id, project_id) VALUES (?, ?)",
        [(uid, pid) for uid, pids in PROJECTS_OF.items() for pid in pids],
    )
    db.executemany("INSERT INTO queues (name, duplex_question_over) VALUES (?, ?)", QUEUES)
    db.executemany("INSERT INTO printers (id, name) VALUES (?, ?)", PRINTERS)
    ttl = timedelta(seconds=seconds(settings.job_ttl))
    for offset, job in enumerate(JOBS):
        owner, name, age, pages, colour, copies, duplex, queue, state, fav, project, size = job
        submitted = now - age
        cost = job_cost(prices, page_count=pages, color_count=colour, copies=copies, duplex=duplex)
        printed = state == "printed"
        db.execute(
            "INSERT INTO jobs (id, owner_id, name, submitted_us, favorite, duplex, color,"
            " page_count, color_count, copies, paper_state, state, project_id, account, queue,"
            " size, computer, uuid, expires_us, interaction, version, cost_cents, charged_cents,"
            " charged_account, print_done_us)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 5, ?, ?, ?, ?, ?, ?, NULL, ?, ?, 1, ?, ?, ?, ?)",
            (
                FIRST_JOB_ID + offset,
                owner,
                name,
                to_us(submitted),
                int(fav),
                int(duplex),
                int(colour > 0),
                pages,
                colour,
                copies,
                state,
                project,
                "credit" if printed else None,
                queue,
                size,
                f"PC-{owner:03d}",
                None if printed else to_us(max(submitted + ttl, now + timedelta(minutes=5))),
                int(state == "paused"),
                to_cents(cost),
                to_cents(cost) if printed else None,
                "credit" if printed else None,
                to_us(submitted + timedelta(minutes=1)) if printed else None,
            ),
        )
