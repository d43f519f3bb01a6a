"""The QR code must scan. Each test draws it in a Textual app, reads back the cells the screen
shows (the characters and their colours), turns them into a black-and-white image with Pillow,
and decodes that with a real decoder (zxing-cpp). The image is framed in black, as the dark
screen around the code is: the code's own light quiet zone must be enough."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import segno
import zxingcpp
from PIL import Image
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.widget import Widget

from station.api.models import Account, Job
from station.ui.kiosk import HIGH_CONTRAST, HIGH_CONTRAST_NAME
from station.ui.modals.receipt import ReceiptModal
from station.ui.receipt import QR_BYTES, Receipt, utf8_size
from station.ui.styles import stylesheets
from station.ui.widgets.qr import BYTES_AT_LEVEL_L, QUIET_ZONE, QRCode

from .support import until

THEMES = [pytest.param("textual-dark", id="default"), pytest.param(HIGH_CONTRAST_NAME, id="high-contrast")]
CREDIT = Account(id="credit", name="Personal credit", balance=Decimal("12.50"), currency="EUR")
CENTRE = Account(id="cc:7", type="costCenter", name="Účtárna Straße", balance=None, currency="CZK")
FRAME = 6  # pixels of black around the drawn code


def jobs_named(names: list[str]) -> list[Job]:
    return [Job(id=n, name=name, page_count=n + 1, cost=Decimal("0.06") * (n + 1)) for n, name in enumerate(names)]


def long_session() -> Receipt:
    """40 jobs switched to 2-sided and one canceled: the text is cut and counted."""
    paper = Receipt(lambda: datetime(2026, 3, 2, 9, 30, tzinfo=UTC), co2e_grams_per_sheet=4.6)
    jobs = jobs_named([f"Chapter {n}: results, discussion and the appendix.pdf" for n in range(1, 42)])
    paper.seen(jobs)
    paper.released([job.model_copy(update={"duplex": True}) for job in jobs[:-1]], charged=Decimal("49.20"),
                   account=CREDIT, balance=Decimal("9.30"), printer="Floor 2")
    paper.canceled(jobs[-1:])
    return paper


def accents_session() -> Receipt:
    """Names (and an account) with é, č, ß, short enough that every job is in the text."""
    paper = Receipt(lambda: datetime(2026, 3, 2, 9, 30, tzinfo=UTC), co2e_grams_per_sheet=4.6)
    jobs = jobs_named(["Café.pdf", "Účet za elektřinu.pdf", "Maße.docx"])
    paper.released(jobs, charged=Decimal("0.36"), account=CENTRE)
    return paper


LONG, ACCENTS = long_session(), accents_session()


class QRApp(App[None]):
    CSS_PATH = stylesheets()

    def __init__(self, text: str, theme: str) -> None:
        super().__init__()
        self.text, self.theme_name = text, theme

    def compose(self) -> ComposeResult:
        yield QRCode(self.text)

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = self.theme_name


def dark(segment: Segment, half: str) -> bool:
    """Whether the top or bottom half of this cell is drawn dark, by the colours it is drawn in."""
    style = segment.style
    ink = segment.text in ("▀█" if half == "top" else "▄█")
    colour = style.color if ink else style.bgcolor
    assert colour is not None, f"{segment!r} is drawn in the terminal's own colours"
    red, green, blue = colour.get_truecolor()
    return 0.299 * red + 0.587 * green + 0.114 * blue < 128


def drawn(app: App, widget: Widget) -> Image.Image:
    """The cells of `widget` as the screen shows them, two pixels a cell, framed in black."""
    strips = app.screen._compositor.render_strips()  # what reaches the terminal (Textual's snapshots read it too)
    region = widget.region
    image = Image.new("L", (region.width + 2 * FRAME, 2 * region.height + 2 * FRAME), 0)
    for row in range(region.height):
        cells = [Segment(char, segment.style) for segment in strips[region.y + row].crop(region.x, region.right)
                 for char in segment.text]  # the code's cells are one character each
        assert len(cells) == region.width
        for column, cell in enumerate(cells):
            for half, y in (("top", 0), ("bottom", 1)):
                image.putpixel((FRAME + column, FRAME + 2 * row + y), 0 if dark(cell, half) else 255)
    return image.resize((image.width * 4, image.height * 4), Image.Resampling.NEAREST)


def decoded(image: Image.Image) -> str:
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1, "no QR code found in what was drawn"
    return found[0].text


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("paper", [pytest.param(LONG, id="long"), pytest.param(ACCENTS, id="accents")])
async def test_the_drawn_code_scans_as_the_receipt_text(paper: Receipt, theme: str):
    text = paper.as_text()
    app = QRApp(text, theme)
    async with app.run_test(size=(80, 40)) as pilot:
        qr = app.query_one(QRCode)
        await until(pilot, lambda: qr.region.height > 0)
        assert qr.region.height <= 27  # fits beside the receipt at 100x30
        assert decoded(drawn(app, qr)) == text


def test_the_texts_are_what_the_tests_mean():
    assert "and " in LONG.as_text() and LONG.as_text().endswith("more jobs")  # cut and counted
    assert utf8_size(LONG.as_text()) <= QR_BYTES
    accents = ACCENTS.as_text(limit=10_000)
    assert ACCENTS.as_text() == accents  # short enough to hold every job
    for name in ("Café.pdf", "Účet za elektřinu.pdf", "Maße.docx", "Účtárna Straße"):
        assert name in accents


def test_the_control_a_code_without_its_quiet_zone_is_not_found():
    """Framed in black with no light border, the decoder finds nothing: the drawn quiet zone is
    what makes the codes above scan."""
    code = segno.make_qr(LONG.as_text(), error="l", encoding="utf-8")
    rows = list(code.matrix_iter(scale=1, border=0))
    image = Image.new("L", (len(rows[0]) + 2 * FRAME, len(rows) + 2 * FRAME), 0)
    for y, row in enumerate(rows):
        for x, module in enumerate(row):
            image.putpixel((FRAME + x, FRAME + y), 0 if module else 255)
    image = image.resize((image.width * 4, image.height * 4), Image.Resampling.NEAREST)
    assert zxingcpp.read_barcodes(image) == []


def test_capacities_are_segnos():
    for version, size in BYTES_AT_LEVEL_L.items():
        assert segno.make_qr("a" * size, error="l", encoding="utf-8").version == version
        assert segno.make_qr("a" * (size + 1), error="l", encoding="utf-8").version == version + 1
    assert QUIET_ZONE >= 2


class ModalApp(App[None]):
    CSS_PATH = stylesheets()

    def __init__(self, paper: Receipt) -> None:
        super().__init__()
        self.paper = paper

    def on_mount(self) -> None:
        self.push_screen(ReceiptModal(self.paper))


@pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
async def test_the_modal_code_scans(size: tuple[int, int]):
    app = ModalApp(LONG)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReceiptModal) and app.screen.query_one(QRCode).text)
        modal = app.screen
        qr = modal.query_one(QRCode)
        await until(pilot, lambda: qr.region.height > 0 and str(modal.query_one("#receipt-hint").render()))
        text = decoded(drawn(app, qr))
        hint = str(modal.query_one("#receipt-hint").render())
    assert qr.region.bottom <= size[1] and qr.region.right <= size[0]
    first = LONG.as_text().splitlines()[0]
    if size == (100, 30):
        assert text == LONG.as_text()
        assert hint.startswith("Scan the code")
    else:  # a smaller code: the same receipt, cut sooner, and the dialog says so
        assert text.splitlines()[0] == first and utf8_size(text) < utf8_size(LONG.as_text())
        assert hint.startswith("A taller window gives a longer QR code")
