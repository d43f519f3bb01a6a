"""Release options chosen at the station (`ReleaseChoices`): plain Python, no app, no server."""

from __future__ import annotations

from decimal import Decimal

from station.api.models import Job
from station.api.release import AS_SENT, ReleaseOptions
from station.ui.release_choices import ReleaseChoices, how_they_print
from station.ui.session import Totals


def a_job(job_id: int, *, pages: int = 4, colour: int = 0, copies: int = 1, duplex: bool = False) -> Job:
    return Job(id=job_id, name=f"job {job_id}", pageCount=pages, colorCount=colour, color=colour > 0,
               copies=copies, duplex=duplex, cost=Decimal("1.00"))


def test_sides_switch_to_2_sided_then_back_and_a_job_sent_that_way_needs_no_option():
    single, double = a_job(1, pages=5), a_job(2, pages=4, duplex=True)
    choices = ReleaseChoices()
    assert choices.switch_sides([single, double]) is True  # mixed: all 2-sided
    assert choices.of(1) == ReleaseOptions(duplex=True) and choices.of(2) == AS_SENT
    assert [choices.printed(job).duplex for job in (single, double)] == [True, True]
    assert Totals.of(choices.printed(job) for job in (single, double)).sheets == 3 + 2
    assert choices.switch_sides([single, double]) is False  # all 2-sided: all 1-sided
    assert choices.of(1) == AS_SENT and choices.of(2) == ReleaseOptions(duplex=False)
    assert Totals.of(choices.printed(job) for job in (single, double)).sheets == 5 + 4
    assert choices.switch_sides([double]) is True and not choices  # back as listed: nothing chosen


def test_black_and_white_leaves_the_colour_out_of_coloured_jobs_only():
    colour, mono = a_job(1, pages=6, colour=4, copies=2), a_job(2, pages=3)
    choices = ReleaseChoices()
    assert choices.switch_mono([colour, mono]) is True
    assert choices.of(1) == ReleaseOptions(mono=True) and choices.of(2) == AS_SENT  # nothing to leave out
    printed = choices.printed(colour)
    assert (printed.color, printed.color_count, printed.pages, printed.cost) == (False, 0, 12, Decimal("1.00"))
    assert colour.color_count == 4  # the listed job itself is untouched
    assert choices.switch_mono([colour, mono]) is False and not choices
    assert choices.switch_mono([mono]) is None and not choices


def test_choices_of_jobs_no_longer_listed_are_forgotten():
    choices = ReleaseChoices()
    choices.switch_sides([a_job(1), a_job(2)])
    choices.keep_only([2, 3])
    assert choices.of(1) == AS_SENT and choices.of(2) == ReleaseOptions(duplex=True)
    assert choices.changes([a_job(2)]) and not choices.changes([a_job(1), a_job(3)])


def test_what_prints_how_in_words():
    two, mono, both = ReleaseOptions(duplex=True), ReleaseOptions(mono=True), ReleaseOptions(duplex=True, mono=True)
    assert how_they_print([AS_SENT]) == "as listed"
    assert how_they_print([AS_SENT, AS_SENT, AS_SENT]) == "all 3 as listed"
    assert how_they_print([both]) == "2-sided, black and white"
    assert how_they_print([two, two, mono]) == "2 jobs 2-sided, 1 in black and white"
    assert how_they_print([two, both, AS_SENT]) == "2 jobs 2-sided, 1 in black and white; the rest as listed"
    assert how_they_print([mono, AS_SENT]) == "1 job in black and white; the rest as listed"
    assert how_they_print([ReleaseOptions(duplex=False), AS_SENT]) == "1 job 1-sided; the rest as listed"
