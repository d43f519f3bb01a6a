"""The RowTable driven by keys, clicks and the wheel in a small app: what it shows and which key
the cursor holds.

"What it shows" is read through the table's line API (`render_line`, what the table hands the
screen for each of its lines): line 0 is the heading, then one line per row in view.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual import events
from textual.app import App, ComposeResult
from textual.message import Message

from station.ui.widgets.row_table import Column, RowTable, TableMessage


@dataclass(frozen=True)
class Person:
    id: int
    user: str
    name: str
    jobs: int
    mail: str = ""


COLUMNS: tuple[Column[Person], ...] = (
    Column("user", "User", 10, sort=lambda p: p.user, text=lambda p: p.user),
    Column("name", "Name", least=16, sort=lambda p: p.name.casefold(), text=lambda p: p.name),
    Column("jobs", "Jobs", 6, right=True, give_way=2, descending_first=True, sort=lambda p: p.jobs,
           text=lambda p: str(p.jobs)),
    Column("mail", "Mail", 16, give_way=1, text=lambda p: p.mail),
)


def people(count: int) -> list[Person]:
    """Names sort in id order: person 0 first."""
    return [
        Person(i, f"u{i:03d}", f"Person {i:03d}", jobs=(i * 7) % 10, mail=f"p{i}@example.org") for i in range(count)
    ]


class Host(App[None]):
    def __init__(self, rows: list[Person], columns: tuple[Column[Person], ...] = COLUMNS) -> None:
        super().__init__()
        self.rows = rows
        self.columns = columns

    def compose(self) -> ComposeResult:
        yield RowTable(self.columns, lambda p: p.id, sort_column="name")

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        table.sync(self.rows)
        table.focus()


def run(rows: list[Person], seen: list[TableMessage], size: tuple[int, int] = (60, 12)):
    def hook(message: Message) -> None:  # called at each node a message bubbles through: once is enough
        if isinstance(message, TableMessage) and all(message is not other for other in seen):
            seen.append(message)

    return Host(rows).run_test(size=size, message_hook=hook)


def lines(table: RowTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.scrollable_content_region.height)]


def cursor_line(table: RowTable) -> str:
    """The line the cursor is on (its style is the cursor's), as text."""
    cursor = table.get_component_rich_style("row-table--cursor")
    found = [
        strip.text for strip in map(table.render_line, range(1, table.scrollable_content_region.height))
        if any(segment.style is not None and segment.style.bgcolor == cursor.bgcolor for segment in strip)
    ]
    assert len(found) == 1, found
    return found[0]


def moved(seen: list[TableMessage]) -> list[object]:
    return [message.key for message in seen if isinstance(message, RowTable.CursorMoved)]


async def test_keys_move_the_cursor_and_the_view_follows():
    seen: list[TableMessage] = []
    async with run(people(100), seen) as pilot:
        table = pilot.app.query_one(RowTable)
        await pilot.pause()
        page = table.scrollable_content_region.height - 1  # rows in view under the heading
        assert lines(table)[0].split() == ["User", "Name▲", "Jobs", "Mail"]
        assert table.cursor_key == 0 and "Person 000" in cursor_line(table)
        await pilot.press("down", "down")
        assert table.cursor_key == 2 and "Person 002" in cursor_line(table)
        await pilot.press("up")
        assert table.cursor_key == 1 and "Person 001" in cursor_line(table)
        await pilot.press("pagedown")
        assert table.cursor_key == 1 + page and f"Person {1 + page:03d}" in cursor_line(table)
        await pilot.press("end")
        assert table.cursor_key == 99 and lines(table)[-1].startswith(" u099")  # scrolled to the end
        await pilot.press("pageup")
        assert table.cursor_key == 99 - page and f"Person {99 - page:03d}" in cursor_line(table)
        await pilot.press("home")
        assert table.cursor_key == 0 and lines(table)[1].startswith(" u000")
        await pilot.press("up")  # nothing above the first row
        assert table.cursor_key == 0
        await pilot.pause()
        assert moved(seen) == [0, 1, 2, 1, 1 + page, 99, 99 - page, 0]


async def test_enter_and_a_click_on_the_cursor_row_select_it_a_click_elsewhere_moves_the_cursor():
    seen: list[TableMessage] = []
    async with run(people(20), seen) as pilot:
        table = pilot.app.query_one(RowTable)
        await pilot.press("down", "enter")
        await pilot.click(RowTable, offset=(3, 4))  # line 4: the fourth row
        assert table.cursor_key == 3 and "Person 003" in cursor_line(table)
        await pilot.click(RowTable, offset=(20, 4))  # the cursor row again
        await pilot.pause()
        selected = [message.key for message in seen if isinstance(message, RowTable.RowSelected)]
        assert selected == [1, 3]


async def test_a_click_on_a_heading_sorts_and_the_cursor_keeps_its_row():
    seen: list[TableMessage] = []
    async with run(people(30), seen) as pilot:
        table = pilot.app.query_one(RowTable)
        await pilot.press("down", "down", "down")  # person 3: 1 job
        jobs_x = lines(table)[0].index("Jobs")
        await pilot.click(RowTable, offset=(jobs_x, 0))
        assert table.sort_column == "jobs" and table.sort_reverse  # most first
        assert lines(table)[0].split()[2] == "Jobs▼" and lines(table)[0].split()[1] == "Name"
        shown_jobs = [int(line.split()[3]) for line in lines(table)[1:]]
        assert shown_jobs == sorted(shown_jobs, reverse=True)
        assert table.cursor_key == 3 and "Person 003" in cursor_line(table)  # scrolled to it
        await pilot.click(RowTable, offset=(jobs_x, 0))  # again: the other way round
        shown_jobs = [int(line.split()[3]) for line in lines(table)[1:]]
        assert lines(table)[0].split()[2] == "Jobs▲" and shown_jobs == sorted(shown_jobs)
        assert table.cursor_key == 3 and "Person 003" in cursor_line(table)
        await pilot.pause()
        assert [m.column for m in seen if isinstance(m, RowTable.HeaderSelected)] == ["jobs", "jobs"]


async def test_sync_adds_drops_and_changes_rows_by_key():
    seen: list[TableMessage] = []
    async with run(people(5), seen) as pilot:
        table = pilot.app.query_one(RowTable)
        await pilot.press("down", "down")  # person 2
        rows = people(5)
        rows[4] = replace(rows[4], name="Aaron First")  # sorts to the top now
        rows[1] = replace(rows[1], mail="new@example.org")
        table.sync([*rows, Person(7, "u007", "Person 001b", 3)])
        await pilot.pause()
        names = [line[10:36].strip() for line in lines(table)[1:7]]
        assert names == ["Aaron First", "Person 000", "Person 001", "Person 001b", "Person 002", "Person 003"]
        assert "new@example.org" in lines(table)[3]
        assert table.cursor_key == 2 and "Person 002" in cursor_line(table)  # the cursor kept its row
        table.sync([row for row in rows if row.id != 2])  # the cursor's row goes: the next takes its place
        await pilot.pause()
        assert table.row_count == 4 and table.cursor_key == 3 and "Person 003" in cursor_line(table)
        table.sync([])
        await pilot.pause()
        assert table.cursor_key is None and not any(line.strip() for line in lines(table)[1:])
        await pilot.press("enter", "down")  # nothing to select, nowhere to go
        await pilot.pause()
        assert moved(seen) == [0, 1, 2, 3, None]
        assert not [m for m in seen if isinstance(m, RowTable.RowSelected)]


async def test_narrow_tables_let_columns_give_way_in_order_and_say_which():
    seen: list[TableMessage] = []
    async with run(people(3), seen, size=(60, 12)) as pilot:
        table = pilot.app.query_one(RowTable)
        await pilot.pause()
        assert lines(table)[0].split() == ["User", "Name▲", "Jobs", "Mail"]
        assert table.hidden_columns == ()
        await pilot.resize_terminal(45, 12)  # the name would get 11: the mail gives way first
        await pilot.pause()
        assert lines(table)[0].split() == ["User", "Name▲", "Jobs"]
        assert [column.key for column in table.hidden_columns] == ["mail"]
        await pilot.resize_terminal(30, 12)  # then the jobs
        await pilot.pause()
        assert lines(table)[0].split() == ["User", "Name▲"] and "Person 000" in lines(table)[1]
        table.hide(["user"])  # the owner's choice: not counted as given way
        await pilot.pause()
        assert lines(table)[0].split() == ["Name▲", "Jobs"]
        await pilot.pause()
        hidden = [[column.key for column in m.columns] for m in seen if isinstance(m, RowTable.ColumnsHidden)]
        assert hidden == [["mail"], ["jobs", "mail"], ["mail"]]


async def test_the_wheel_scrolls_the_view_and_the_cursor_keeps_its_row():
    seen: list[TableMessage] = []
    async with run(people(100), seen) as pilot:
        table = pilot.app.query_one(RowTable)
        await pilot.pause()
        for _ in range(5):
            table.post_message(events.MouseScrollDown(table, 5, 5, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert table.scroll_y > 0 and not lines(table)[1].startswith(" u000")
        assert table.cursor_key == 0
        await pilot.press("down")  # the cursor moves on from its row and comes back into view
        assert table.cursor_key == 1 and "Person 001" in cursor_line(table)


async def test_only_the_rows_in_view_are_built_and_redraw_shows_what_changed_outside():
    built: list[int] = []
    flagged: set[int] = set()

    def name(person: Person) -> str:
        built.append(person.id)
        return person.name + (" !" if person.id in flagged else "")

    app = Host([], columns=(COLUMNS[0], replace(COLUMNS[1], text=name)))
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RowTable)
        await pilot.pause()
        table.sync(people(10_000))
        await pilot.pause()
        in_view = table.scrollable_content_region.height - 1
        assert table.row_count == 10_000 and 0 < len(set(built)) <= in_view
        flagged.add(2)
        table.redraw([2])
        await pilot.pause()
        assert lines(table)[3].rstrip().endswith("Person 002 !")


async def test_text_from_outside_shows_literally():
    rows = [Person(1, "[b]x[/b]", "[bold red]PAID[/] \\[not markup]", 1)]
    async with run(rows, []) as pilot:
        table = pilot.app.query_one(RowTable)
        await pilot.pause()
        assert lines(table)[1].split()[:4] == ["[b]x[/b]", "[bold", "red]PAID[/]", "\\[not"]
        assert not any(cell.spans or cell.style for cell in table.cells(1))  # no style came from the text
