"""The detail line under the job table: the highlighted job's whole name, and what the table
may have no room for (when it came, when it expires, its project and queue).

The name is text from the server: made plain (`station.untrusted.plain`), then shown as the
letters it holds, never as markup; masked while names are hidden (the rows' `shown_name`). It
gets a line of its own and wraps onto a second one when it is longer; a name longer than two
lines (only a hostile one is) ends in an ellipsis. The widget's height never changes with the job
(its style gives it one), so following the cursor costs no layout: one `update` per move, when
the table says its highlighted job is another or was drawn anew (its `highlighted` signal).

When columns of the table gave way to the name, the line's top border says so, in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.content import Content
from textual.widgets import Static

from station.api.models import Job
from station.format import ago, expiring, time_left
from station.i18n import N_, _, ngettext
from station.untrusted import plain
from station.ui.widgets.job_table import JobTable, RowContext
from station.ui.widgets.row_table import Column

NAME_LINES = 2  # the most lines of a name; the facts take the line after it
MOST = 2000  # the characters of a name read at all: more than two lines of any terminal

NO_JOB = N_("No job to show: the highlighted job's whole name and details show here.")


def hidden_notice(columns: Sequence[Column[Any]]) -> str:
    """What the detail's border says when columns gave way ("" when none did)."""
    if not columns:
        return ""
    return ngettext(
        "{count} column hidden ({names}): widen the window", "{count} columns hidden ({names}): widen the window",
        len(columns),
    ).format(count=len(columns), names=", ".join(column.label for column in columns))


def name_lines(name: str, width: int, most: int = NAME_LINES) -> list[Content]:
    """The name wrapped to `width` cells, in at most `most` lines, the last cut with an ellipsis."""
    width = max(width, 2)
    lines = Content(name).wrap(width)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1].truncate(width - 1) + Content("…")
    return lines


def facts(job: Job, rows: RowContext, width: int) -> Content:
    """When the job came, when it expires, its project and its queue, in one line of `width`
    (the project's short name where its title leaves no room)."""
    now = rows.now()
    said: list[tuple[str, str]] = []  # (words, style)
    if job.date_time is not None:
        said.append((_("submitted {ago}").format(ago=ago(job.date_time, now)), ""))
    if job.expires_at is not None:
        left = time_left(job.expires_at, now)
        at = _("expires in {left}") if job.expires_at.tzinfo else _("expires {left}")  # in 3 h; at 14:03
        when = left if left == _("expired") else at.format(left=left)
        said.append((when, "$text-error" if expiring(job.expires_at, now) else ""))
    queue = [(_("queue {queue}").format(queue=plain(job.queue)), "")] if job.queue else []
    for project in (rows.project_title, rows.project_label) if job.project_id else (None,):
        named = _("project {project}").format(project=project(job.project_id)) if project else _("no project")
        parts = [*said, (named, ""), *queue]
        parts[0] = (parts[0][0][:1].upper() + parts[0][0][1:], parts[0][1])  # a sentence: "Submitted 3 h ago · ..."
        line = Content(" · ").join(Content.styled(words, style) for words, style in parts)
        if line.cell_length <= width:
            break
    return line.truncate(width, ellipsis=True)


class JobDetail(Static):
    """The highlighted job of `table`, whole."""

    def __init__(self, table: JobTable, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.table = table  # the highlighted job, and what its rows know (the mask, the clock), are read there

    def on_mount(self) -> None:
        self.table.highlighted.subscribe(self, lambda _key: self.show(), immediate=True)

    def on_resize(self) -> None:
        self.show()

    def show(self) -> None:
        """Say what the table highlights now. Nothing of the job is kept but the text shown."""
        table = self.table
        self.border_title = Content(hidden_notice(table.hidden_columns))
        key = table.cursor_key
        job = table.rows.get(key) if key is not None else None
        width = self.content_size.width
        if job is None or not width:
            self.update(Content("") if table.rows else Content.styled(_(NO_JOB), "$text-muted"), layout=False)
            return
        rows = table.context
        name = rows.shown_name(plain(job.name[:MOST]) or _("job {id}").format(id=job.id))
        lines = [line.stylize("bold") for line in name_lines(name, width)]
        self.update(Content("\n").join([*lines, facts(job, rows, width)]), layout=False)
