"""The session receipt: its sums against the real server's answers, the savings of a switch,
masked names, the cut of a long session's text, and the wipe. The modal: any key closes it, and
it closes by itself when told to."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from textual.app import App

from station.api.client import StationClient
from station.api.models import Account, Job
from station.server.pricing import Prices, job_cost
from station.ui.modals.receipt import ReceiptModal
from station.ui.receipt import MASK, NAME_IN_QR, QR_BYTES, Receipt, fit_lines, utf8_size
from station.ui.styles import stylesheets
from station.format import NAME_IN_TEXT, money
from station.untrusted import plain

from .support import until

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FACTOR = 4.6
CREDIT = Account(id="credit", name="Personal credit", balance=Decimal("12.50"), currency="EUR")
MARKETING = Account(id="cc:marketing", type="costCenter", name="Marketing", balance=None, currency="EUR")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def receipt(**options: object) -> Receipt:
    return Receipt(Clock(), co2e_grams_per_sheet=FACTOR, **options)  # type: ignore[arg-type]


def priced(job: Job, **changes: object) -> Job:
    """The job with `changes`, its cost as the embedded server's price list makes it."""
    job = job.model_copy(update=changes)
    cost = job_cost(Prices(), page_count=job.page_count, color_count=job.color_count, copies=job.copies,
                    duplex=job.duplex)
    return job.model_copy(update={"cost": cost})


@pytest.fixture
async def alice(app: object) -> AsyncIterator[StationClient]:
    async with StationClient("http://station.test", transport=httpx.ASGITransport(app=app)) as client:
        await client.login_pin("1234")
        yield client


# --- the sums ---------------------------------------------------------------------------------


def as_said(job: Job) -> str:
    """A job's name as the receipt keeps it (the demo has names longer than a sentence takes)."""
    return plain(job.name, limit=NAME_IN_TEXT)


async def test_sums_of_a_session_on_the_real_server(alice: StationClient):
    """Switch one job to 2-sided, release it and another to credit, a third to Marketing,
    cancel a fourth: the receipt adds up what the server answered."""
    me = await alice.me()
    credit, marketing = me.account("credit"), me.account("cc:marketing")
    assert credit is not None and marketing is not None and marketing.balance is None
    arrived = {job.id: job for job in (await alice.jobs()).jobs}
    ready = [job for job in arrived.values() if job.state == "ready"]
    single = next(job for job in ready if not job.duplex and job.page_count > 1)
    others = [job for job in ready if job.id != single.id]
    paper = Receipt(Clock(), co2e_grams_per_sheet=FACTOR)
    paper.seen(arrived.values())

    switched = await alice.set_duplex(single.id, True)
    first = await alice.process([single.id, others[0].id], owner="alice", account="credit")
    paper.released(first.jobs, charged=first.charged, account=credit, balance=first.balance)
    second = await alice.process([others[1].id], owner="alice", account="cc:marketing")
    paper.released(second.jobs, charged=second.charged, account=marketing, balance=second.balance)
    await alice.cancel_jobs([others[2].id])
    paper.canceled([arrived[others[2].id]])

    printed = first.jobs + second.jobs
    assert [job.name for job in paper.printed] == [as_said(job) for job in printed]  # cut as in a sentence
    assert paper.pages == sum(job.pages for job in printed)
    assert paper.sheets == sum(job.sheets for job in printed)
    assert paper.accounts["credit"].charged == first.charged == sum(job.cost for job in first.jobs)
    assert paper.accounts["credit"].balance == first.balance == credit.balance - first.charged
    assert paper.accounts["cc:marketing"].charged == second.charged
    # The one switch: what it saved, in money and sheets, against the job as it arrived.
    line = next(job for job in paper.printed if job.name == as_said(single))
    assert line.switched == ("2-sided",)
    assert line.saved == single.cost - switched.cost > 0
    assert line.sheets_saved == single.sheets - switched.sheets > 0
    assert paper.saved() == {"EUR": line.saved}
    assert paper.sheets_saved == line.sheets_saved
    assert paper.co2e_grams == pytest.approx(line.sheets_saved * FACTOR)
    assert [job.name for job in paper.dropped] == [as_said(others[2])]

    text = paper.as_text()
    assert f"Personal credit: {money(first.charged, 'EUR')}, {money(first.balance)} left" in text
    assert f"Marketing: {money(second.charged, 'EUR')}, no limit" in text
    assert f"Saved {money(line.saved, 'EUR')}, {line.sheets_saved} sheets" in text
    assert f"Released {len(printed)} jobs: {paper.pages} pages, {paper.sheets} sheets" in text
    assert "Canceled 1 job" in text


def test_black_and_white_and_both_switches_save_against_the_job_as_it_arrived():
    colour = priced(Job(id=1, name="Poster.pdf", page_count=6, color_count=4, color=True, copies=2))
    both = priced(Job(id=2, name="Slides.pdf", page_count=9, color_count=3, color=True))
    paper = receipt()
    paper.seen([colour, both])
    mono = priced(colour, color=False, color_count=0)
    mono_duplex = priced(both, color=False, color_count=0, duplex=True)
    paper.released([mono, mono_duplex], charged=None, account=CREDIT, printer="Floor 2")

    first, second = paper.printed
    assert first.switched == ("black and white",)
    assert first.saved == colour.cost - mono.cost > 0
    assert first.sheets_saved == 0  # black and white saves toner and money, not paper
    assert second.switched == ("2-sided", "black and white")
    assert second.saved == both.cost - mono_duplex.cost
    assert second.sheets_saved == both.sheets - mono_duplex.sheets > 0
    # No `charged` from the server (a release at a printer): the costs as released are summed.
    assert paper.accounts["credit"].charged == mono.cost + mono_duplex.cost
    assert paper.accounts["credit"].balance_words() == ""  # not said by the server: not guessed
    assert "Released 2 jobs at printer Floor 2:" in paper.as_text()


def test_a_job_released_as_it_arrived_saved_nothing():
    job = priced(Job(id=1, name="Memo.pdf", page_count=3))
    paper = receipt()
    paper.seen([job])
    paper.seen([job.model_copy(update={"duplex": True})])  # read again later: the first version stays
    paper.released([job], charged=job.cost, account=CREDIT)
    assert paper.printed[0].switched == () and paper.printed[0].saved == 0 and paper.sheets_saved == 0
    assert "Saved" not in paper.as_text()


def test_start_and_end_of_the_session():
    clock = Clock()
    paper = Receipt(clock, co2e_grams_per_sheet=FACTOR)
    clock.now += timedelta(minutes=11)
    paper.end()
    clock.now += timedelta(hours=2)  # after the end, the time shown does not move
    start, end = START.astimezone(), (START + timedelta(minutes=11)).astimezone()
    assert paper.when() == f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"
    assert paper.as_text().splitlines()[0] == f"Receipt {paper.when()}"


# --- names ------------------------------------------------------------------------------------


def test_masked_names_show_nowhere():
    jobs = [priced(Job(id=n, name=f"Salary review {n}.xlsx", page_count=2)) for n in (1, 2)]
    shown, masked = receipt(), receipt(mask_names=True)
    for paper in (shown, masked):
        paper.released(jobs[:1], charged=None, account=CREDIT)
        paper.canceled(jobs[1:])
    assert "Salary review 1.xlsx" in shown.as_text()  # the control: unmasked, the name is there
    assert "Salary review" not in masked.as_text()
    assert [job.name for job in masked.jobs] == [MASK, MASK]


def test_untrusted_names_stay_text():
    job = priced(Job(id=1, name="\x1b]8;;http://evil\x07[bold red]PAID[/]\x1b[2J\u202eexe.pdf", page_count=1))
    paper = receipt()
    paper.released([job], charged=None, account=CREDIT)
    text = paper.as_text()
    assert "\x1b" not in text and "\u202e" not in text and "evil" not in text
    assert "[bold red]PAID[/]" in text  # markup is kept as the letters it is


# --- the text for the QR code -------------------------------------------------------------------


def test_a_long_session_is_cut_and_counted():
    jobs = [priced(Job(id=n, name=f"Chapter {n} of the thesis, corrected.pdf", page_count=n)) for n in range(1, 41)]
    paper = receipt()
    paper.released(jobs, charged=None, account=CREDIT)
    text = paper.as_text()
    assert utf8_size(text) <= QR_BYTES
    lines = text.splitlines()
    shown = [line for line in lines if line.startswith("- ")]
    assert shown == [f"- {job.name[: NAME_IN_QR - 1]}…: {job.page_count} p, {money(job.cost)}"
                     for job in jobs[: len(shown)]]
    assert lines[-1] == f"and {len(jobs) - len(shown)} more jobs"
    assert lines[: len(paper.summary()) + 1] == [f"Receipt {paper.when()}", *paper.summary()]
    # with room for everything, nothing is cut
    assert "more jobs" not in paper.as_text(limit=10_000)
    assert len([line for line in paper.as_text(limit=10_000).splitlines() if line.startswith("- ")]) == 40


def test_a_head_too_long_for_the_limit_is_cut_line_by_line():
    head = ["Receipt 2026-03-02 09:30-09:41", "Released 3 jobs: 9 pages, 9 sheets", "Zürich account: 1.00 EUR"]
    for limit in (200, 60, 20, 5):
        text = fit_lines(head, ["- a: 1 p, 0.06"], limit)
        assert utf8_size(text) <= limit
    assert fit_lines(head, ["- a: 1 p, 0.06"], 60) == f"{head[0]}\n…"


# --- the wipe ---------------------------------------------------------------------------------


def test_wipe_leaves_nothing():
    job = priced(Job(id=7, name="Divorce papers.pdf", page_count=8, color_count=1, color=True))
    paper = receipt()
    paper.seen([job])
    paper.released([priced(job, duplex=True)], charged=None, account=CREDIT, printer="Lobby")
    paper.canceled([job])
    assert "Divorce papers.pdf" in paper.as_text(limit=1000) and "Lobby" in paper.as_text()  # the control
    paper.wipe()
    everything = repr(vars(paper))
    for trace in ("Divorce", "Lobby", "Personal credit", "2026"):
        assert trace not in everything and trace not in paper.as_text()
    assert paper.as_text() == "Receipt\nNothing released or canceled"


# --- the modal --------------------------------------------------------------------------------


class ReceiptApp(App[None]):
    CSS_PATH = stylesheets()

    def __init__(self, modal: ReceiptModal) -> None:
        super().__init__()
        self.modal = modal

    def on_mount(self) -> None:
        self.push_screen(self.modal)


def hint(app: App) -> str:
    """What the receipt says to do (empty until it has measured the window)."""
    return str(app.screen.query_one("#receipt-hint").render()) if isinstance(app.screen, ReceiptModal) else ""


def small_receipt() -> Receipt:
    paper = receipt()
    paper.released([priced(Job(id=1, name="Board minutes.pdf", page_count=4))], charged=None, account=CREDIT)
    return paper


@pytest.mark.parametrize("key", ["x", "enter", "escape", "down", "space"])
async def test_any_key_closes_the_receipt(key: str):
    app = ReceiptApp(ReceiptModal(small_receipt()))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "Any key closes." in hint(app), "the hint")
        await pilot.press(key)
        await until(pilot, lambda: not isinstance(app.screen, ReceiptModal), "the receipt closed")


async def test_the_receipt_closes_by_itself_when_told():
    stays, goes = ReceiptModal(small_receipt()), ReceiptModal(small_receipt(), close_after=0.3)
    closed: list[str] = []
    app = ReceiptApp(stays)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen is stays)
        app.push_screen(goes, callback=lambda _: closed.append("goes"))
        await until(pilot, lambda: closed == ["goes"], "the receipt closed by itself")
        assert app.screen is stays  # the control: one without `close_after` is still there


async def test_the_countdown_is_said():
    app = ReceiptApp(ReceiptModal(small_receipt(), close_after=30))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: hint(app), "the hint")
        assert hint(app).endswith("Any key closes (closing in 30 s).")
