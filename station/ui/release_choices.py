"""How the person chose to print their jobs at this station's printer (contract 7.3, point 6).

With a `printer` set, a job can print 2-sided or 1-sided (`d`, where the server offers no script
dialog) and in black and white (`m`) whatever it was sent as. The choice travels with the release
as `releaseOptions`, and the print server prices it then. Until then the station shows what will
print (sides, colour pages, sheets) and the cost the server last gave: never a cost of its own.

Plain Python, no widget: the jobs screen holds one `ReleaseChoices` and asks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from station.api.models import Job
from station.api.release import AS_SENT, ReleaseOptions
from station.format import count
from station.i18n import _

CHOSEN_MARK = "*"  # beside a Sides or Colour cell: prints as chosen here, not as sent


class ReleaseChoices:
    """The release options chosen per job; a job not named here prints as it is listed."""

    def __init__(self) -> None:
        self._chosen: dict[int, ReleaseOptions] = {}

    def __bool__(self) -> bool:
        return bool(self._chosen)

    def of(self, job_id: int) -> ReleaseOptions:
        return self._chosen.get(job_id, AS_SENT)

    def changes(self, jobs: Iterable[Job]) -> bool:
        """Whether any of these jobs prints other than listed (so its cost is the server's to work out)."""
        return bool(self._chosen) and any(job.id in self._chosen for job in jobs)

    def printed(self, job: Job) -> Job:
        """The job as it will print: sides and colour as chosen; the cost as listed."""
        options = self.of(job.id)
        if options.as_sent:
            return job
        update: dict[str, object] = {}
        if options.duplex is not None:
            update["duplex"] = options.duplex
        if options.mono:
            update.update(color=False, color_count=0)
        return job.model_copy(update=update)

    def switch_sides(self, jobs: list[Job]) -> bool:
        """All 2-sided, unless all print 2-sided already: then all 1-sided. True: 2-sided now.
        A job that was sent that way needs no option."""
        duplex = not all(self.printed(job).duplex for job in jobs)
        for job in jobs:
            self._set(job.id, duplex=None if job.duplex == duplex else duplex)
        return duplex

    def switch_mono(self, jobs: list[Job]) -> bool | None:
        """The jobs with colour in black and white, unless all of them print so already: then in
        colour as sent again. True: black and white now; None: no job has colour to leave out."""
        coloured = [job for job in jobs if job.color]
        if not coloured:
            return None
        mono = not all(self.of(job.id).mono for job in coloured)
        for job in coloured:
            self._set(job.id, mono=mono)
        return mono

    def keep_only(self, job_ids: Iterable[int]) -> None:
        """Forget the choices for jobs no longer listed (released, canceled, gone)."""
        if not self._chosen:
            return
        keep = set(job_ids)
        for job_id in [job_id for job_id in self._chosen if job_id not in keep]:
            del self._chosen[job_id]

    def clear(self) -> None:
        self._chosen.clear()

    def how(self, jobs: list[Job]) -> str:
        """What prints how, for a confirmation (see `how_they_print`)."""
        return how_they_print([self.of(job.id) for job in jobs])

    def _set(self, job_id: int, **change: object) -> None:
        options = replace(self.of(job_id), **change)  # type: ignore[arg-type]
        if options.as_sent:
            self._chosen.pop(job_id, None)
        else:
            self._chosen[job_id] = options


def how_they_print(ways: list[ReleaseOptions]) -> str:
    """What prints how, one `ReleaseOptions` per job: `2 jobs 2-sided, 1 in black and white; the
    rest as listed`; `2-sided, black and white` (one job); `all 3 as listed`."""
    chosen = [way for way in ways if not way.as_sent]
    if not chosen:
        return _("as listed") if len(ways) == 1 else _("all {count} as listed").format(count=len(ways))
    if len(ways) == 1:
        return chosen[0].describe()
    counted = [
        (number, what)
        for number, what in (
            (sum(way.duplex is True for way in chosen), _("2-sided")),
            (sum(way.duplex is False for way in chosen), _("1-sided")),
            (sum(way.mono for way in chosen), _("in black and white")),
        )
        if number
    ]
    (first, what), others = counted[0], counted[1:]
    parts = [f"{count(first, 'job', 'jobs')} {what}", *(f"{number} {what}" for number, what in others)]
    return ", ".join(parts) + (_("; the rest as listed") if len(chosen) < len(ways) else "")
