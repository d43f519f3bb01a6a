"""One person's jobs, for the helpdesk acting for them: the jobs screen with three more keys.

Everything the person can do works here the same way (sides, project, account, release,
cancel, favourite), through an `ActingClient`: reads name the owner, and each change carries the
reason the helpdesk gave for this visit (asked before the first change; `w` gives another).
`o` hands the jobs to another owner; `b` (and `l`, which would log a person out) goes back to
where the visit started: the people list, or all jobs. The staff's session is not this screen's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from station.api.models import User
from station.i18n import N_, _, ngettext
from station.untrusted import plain
from station.ui.acting import ActingClient, clean_reason
from station.ui.context import Context
from station.ui.modals.owner_picker import OwnerPicker
from station.ui.modals.reason import ReasonModal
from station.ui.screens.jobs import JobsScreen
from station.ui.widgets.status_line import Kind
from station.ui.session import Session
from station.format import count

if TYPE_CHECKING:
    from station.api.models import Job, JobList

BACK_TO = ("people", "all jobs")  # where a visit starts, and `b` goes back to

BACK_WORDS = {"people": N_("back to people"), "all jobs": N_("back to all jobs")}


def _back_bindings() -> list[BindingType]:
    """`b` back, one binding per place (check_action keeps the true one); `l` too, unshown: at
    the helpdesk it leaves the person (as a person's `l` leaves the station), never the desk."""
    bindings: list[BindingType] = []
    for place in BACK_TO:
        suffix = "" if place == "people" else "_to_all_jobs"
        back = f"back('{place}')"
        bindings.append(Binding("b", back, BACK_WORDS[place], key_display="b/l", id=f"helpdesk.back{suffix}"))
        # l leaves too (the helpdesk's l is not a log out here); help shows both keys in one row.
        leave = Binding("l", back, BACK_WORDS[place], key_display="b/l", show=False, id=f"helpdesk.leave{suffix}")
        bindings.append(leave)
    return bindings


class OwnerJobsScreen(JobsScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "give", N_("give to…"), id="helpdesk.give"),
        Binding("w", "why", N_("reason"), id="helpdesk.reason"),
        *_back_bindings(),
    ]

    def __init__(
        self, context: Context, session: Session, jobs: JobList, *,
        focus_job: int | None = None, back_to: str = "people",
    ) -> None:
        super().__init__(context, session, jobs)
        self.focus_job = focus_job
        self.back_to = back_to
        self.acting.ask_reason = self.ask_reason

    @property
    def acting(self) -> ActingClient:
        return self.session.client  # type: ignore[return-value]

    @property
    def owner_name(self) -> str:
        return plain(self.session.user.full_name or self.session.user.username)

    def on_mount(self) -> None:
        # Textual calls JobsScreen.on_mount after this one (handlers run down the MRO): greet
        # once it has run, so that its status line does not overwrite ours.
        self.call_after_refresh(self._greet)

    def _greet(self) -> None:
        self.say(_("Acting for {owner_name}: each change asks why first (w gives the reason now).").format(
            owner_name=self.owner_name,
        ))
        if self.focus_job is not None:
            self._focus_job()

    def _focus_job(self) -> None:
        if self.focus_job in self.table.jobs and self.table.row_count:
            self.table.move_to_job(self.focus_job)
        elif self.focus_job not in self.jobs:
            self.say(_("That job is no longer waiting: it was released, canceled or handed on meanwhile."))
        else:
            self.call_after_refresh(self._focus_job)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "give" and not self.jobs:
            return None
        if action == "back":
            return parameters == (self.back_to,)
        return super().check_action(action, parameters)

    def say(self, message: str, kind: Kind = "info") -> None:
        super().say(message, kind)
        if self.acting.reason != getattr(self, "_shown_reason", None):  # given with a change
            self.show_header()

    def show_header(self) -> None:
        self._shown_reason = self.acting.reason
        staff = self.session.staff
        helper = plain(staff.full_name or staff.username) if staff else _("the helpdesk")
        line = _("{account_line} · helpdesk: {helper}").format(account_line=self.session.account_line(), helper=helper)
        if self.acting.reason:
            line += _(" · why: {reason}").format(reason=self.acting.reason)
        self.query_one("#header").show(self.session.name, line)  # type: ignore[attr-defined]

    def show_jobs(self) -> None:
        super().show_jobs()
        if not self.jobs:
            self.query_one("#empty", Static).update(
                Content.assemble(
                    (_("Nothing is waiting for {owner_name}.").format(owner_name=self.owner_name), "bold"),
                    "\n\n" + _("b goes back to {back_place}.").format(back_place=self._back_place()),
                )
            )

    def _back_place(self) -> str:
        return _("the people list") if self.back_to == "people" else _("all jobs")

    # --- the reason -----------------------------------------------------------------------------

    async def ask_reason(self) -> str | None:
        """Asked by the acting client before its first change: the status line says that the
        station waits for the helpdesk person (no spinner, which would say it waits for the server)."""
        self.say(_("Why? Say it in the dialog: nothing is sent for {owner_name} before.").format(
            owner_name=self.owner_name,
        ))
        return await self.app.push_screen_wait(ReasonModal(self.owner_name))

    def action_why(self) -> None:
        self._ask_why()

    @work(exclusive=True, group="why", exit_on_error=False)
    async def _ask_why(self) -> None:
        answer = await self.app.push_screen_wait(
            ReasonModal(self.owner_name, current=self.acting.reason or "")
        )
        reason = clean_reason(answer)
        if not reason:
            self.say(
                _("Reason unchanged.") if self.acting.reason else _("No reason yet: the next change asks for one.")
            )
            return
        self.acting.reason = reason
        self.show_header()
        self.say(_("Changes for {owner_name} now say why: {reason}").format(
            owner_name=self.owner_name, reason=reason,
        ), "success")

    # --- handing jobs to another owner ------------------------------------------------------------

    def action_give(self) -> None:
        jobs = self._targets_or_say(_("No job to give to someone else."))
        if jobs and self._start(_("Choosing the new owner…")):
            self._give(jobs)

    @work(group="change", exit_on_error=False)
    async def _give(self, jobs: list[Job]) -> None:
        try:
            if len(jobs) == 1:
                title = _("Give {name} to…").format(name=plain(jobs[0].name))
            else:
                title = ngettext("Give {count} job to…", "Give {count} jobs to…", len(jobs)).format(count=len(jobs))
            picker = OwnerPicker(self.acting.client, exclude=self.session.user.id, title=title)
            new_owner: User | None = await self.app.push_screen_wait(picker)
        finally:
            self._busy = ""
        if new_owner is None:
            self.say(_("No job was handed on."))
            return
        name = plain(new_owner.full_name or new_owner.username)
        async with self._request(_("Giving {count} to {name}…").format(
            count=count(len(jobs), 'job', 'jobs'), name=name,
        )):
            await self.acting.patch_jobs([job.id for job in jobs], owner_id=new_owner.id)
            self._remove(job.id for job in jobs)
            what = plain(jobs[0].name) if len(jobs) == 1 else count(len(jobs), 'job', 'jobs')
            said = (
                _("{what} now belongs to {name} ({username}).") if len(jobs) == 1
                else _("{what} now belong to {name} ({username}).")
            )
            self.say(said.format(what=what, name=name, username=plain(new_owner.username)), "success")
        self.show_header()

    # --- leaving ------------------------------------------------------------------------------------

    def action_back(self, place: str) -> None:
        if self.undo.busy:
            self._leave()
        else:
            self.dismiss()

    @work(exclusive=True, group="leave", exit_on_error=False)
    async def _leave(self) -> None:
        """A release or cancel in its undo window is sent as the helpdesk leaves (as at a logout)."""
        await self.undo.send_now()
        self.dismiss()

    # --- the release confirmation: for whom, and why ---------------------------------------------------

    def confirmation_preface(self) -> list[tuple[str, Content | str]]:
        username = self.session.user.username
        owner = f"{self.owner_name} ({plain(username)})" if username else self.owner_name
        why = self.acting.reason or _("asked next, before anything is sent (w gives it now)")
        return [(_("For"), owner), (_("Why"), plain(why))]
