"""Demo mode: DEMO on every screen and dialog, F5 puts the data back as seeded, `j` sends a new
job that the audience watches arrive, printing shows its progress."""

from __future__ import annotations

from typing import Any

from station.config import Settings
from station.server.seed import JOBS
from station.ui.demo import DemoMarker, new_job
from station.ui.kiosk import AdminExit, IdleWarning
from station.ui.modals import AccountPicker, CancelConfirm, HelpModal, ProjectPicker, ReleaseConfirm
from station.ui.screens.jobs import JobsScreen
from station.ui.screens.login import LoginScreen

from .support import log_in, names, settle, shown, store, table, until

LOGINS = [("Alice Martin (alice)", (("pin", "1234"),))]


def demo(station: Any, app: Any, **options: Any) -> Any:
    return station(demo=True, demo_logins=LOGINS, demo_reset=app.state.store.reset_to_seed, **options)


def marked(pilot: Any) -> bool:
    screen = pilot.app.screen
    return any("DEMO" in str(marker.render()) for marker in [*screen.query(".demo-marker"), *screen.query(DemoMarker)])


def server_jobs(app: Any) -> list[tuple[str, str]]:
    with store(app).read() as db:
        return [(row["name"], row["state"]) for row in db.all("SELECT name, state FROM jobs ORDER BY id")]


async def test_demo_is_marked_on_every_screen_and_dialog(station, app):
    ui = demo(station, app, settings=Settings(kiosk=True, idle_timeout=20, admin_exit_pin="4711"), idle_scale=1000)
    async with ui.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        assert marked(pilot)
        await pilot.press("f10")
        await until(pilot, lambda: isinstance(ui.screen, AdminExit))
        assert marked(pilot)
        await pilot.press("escape")
        await log_in(pilot)
        assert marked(pilot)
        for key, modal in [("question_mark", HelpModal), ("p", ProjectPicker), ("c", AccountPicker),
                           ("r", ReleaseConfirm), ("x", CancelConfirm)]:
            await pilot.press(key)
            await until(pilot, lambda modal=modal: isinstance(ui.screen, modal), modal.__name__)
            await pilot.pause()
            assert marked(pilot), modal.__name__
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(ui.screen, JobsScreen))
            await settle(pilot)
        for _ in range(10):
            ui.kiosk.idle.tick()
        await until(pilot, lambda: isinstance(ui.screen, IdleWarning) and marked(pilot), "DEMO on the countdown")


async def test_f5_puts_the_demo_data_back_as_seeded(station, app):
    ui = demo(station, app)
    async with ui.run_test(size=(100, 30)) as pilot:
        seeded = server_jobs(app)
        assert len(seeded) == len(JOBS)
        await log_in(pilot)
        await pilot.press("x")  # cancel Board minutes.pdf
        await until(pilot, lambda: ui.screen.query("#yes"))
        await pilot.press("left", "enter")  # "Keep" has the focus: go to "Cancel job"
        await until(pilot, lambda: "Canceled 1 job" in shown(pilot, "#status"))
        await pilot.press("j")
        await until(pilot, lambda: len(server_jobs(app)) == len(JOBS) + 1, "the new job")
        await settle(pilot)
        assert server_jobs(app) != seeded
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen) and server_jobs(app) == seeded, "the reset")
        await settle(pilot)
        assert "demo data is back" in shown(pilot, "#login-message")
        screen = await log_in(pilot)  # the same logins work again
        assert "Board minutes.pdf" in names(pilot) and len(screen.jobs) == 7


async def test_a_new_demo_job_arrives_in_the_list(station, app):
    ui = demo(station, app)
    async with ui.run_test(size=(140, 30)) as pilot:
        screen = await log_in(pilot)
        before = set(screen.jobs)
        await pilot.press("j")
        await until(pilot, lambda: len(screen.jobs) == len(before) + 1, "the new job")
        await settle(pilot)
        (new_id,) = set(screen.jobs) - before
        new = screen.jobs[new_id]
        assert table(pilot).cursor_job_id == new_id
        assert new.name in names(pilot) and f"A new job arrived: {new.name}." in shown(pilot, "#status")
        assert (new.name, "ready") in server_jobs(app)
        with store(app).read() as db:
            owner = db.scalar(
                "SELECT u.username FROM jobs j JOIN users u ON u.id = j.owner_id WHERE j.id = ?", (new_id,)
            )
        assert owner == "alice"


async def test_demo_keys_only_in_a_demo(station, app):
    ui = station()
    async with ui.run_test(size=(100, 30)) as pilot:
        screen = await log_in(pilot)
        count = len(screen.jobs)
        await pilot.press("j", "f5")
        await settle(pilot)
        assert isinstance(ui.screen, JobsScreen) and len(screen.jobs) == count
        assert len(server_jobs(app)) == len(JOBS)
        keys = {key.description for key in ui.screen.query("FooterKey")}
        assert "new job (demo)" not in keys and "reset demo" not in keys
    ui = demo(station, app)
    async with ui.run_test(size=(100, 30)) as pilot:
        await log_in(pilot)
        keys = {key.description for key in ui.screen.query("FooterKey")}
        assert {"new job (demo)", "reset demo", "fit my balance"} <= keys


def test_new_demo_jobs_look_like_what_people_print():
    import random

    rng = random.Random(7)
    for _ in range(50):
        name, info = new_job(rng)
        assert name.rsplit(".", 1)[-1] in {"pdf", "docx", "xlsx", "pptx"} and "{" not in name
        assert info["pageCount"] >= 1 and 0 <= info["colorCount"] <= info["pageCount"]
        assert info["color"] == (info["colorCount"] > 0)


async def test_a_kiosk_demo_says_on_its_login_screen_how_it_ends(station, app):
    ui = demo(station, app, settings=Settings(kiosk=True, admin_exit_pin="4711"))
    async with ui.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        assert "F10 and the admin PIN end the demo." in shown(pilot, "#demo-logins")
        assert "4711" not in shown(pilot, "#demo-logins")
    ui = demo(station, app, settings=Settings(kiosk=True))
    async with ui.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        assert "no admin exit (setting admin_exit_pin): close its terminal" in shown(pilot, "#demo-logins")
    ui = demo(station, app)  # outside a kiosk ctrl+q quits, as anywhere: no line for it
    async with ui.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(ui.screen, LoginScreen))
        assert "Alice Martin" in shown(pilot, "#demo-logins") and "F10" not in shown(pilot, "#demo-logins")
