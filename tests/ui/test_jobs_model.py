"""The jobs screen's model on its own: plain Python, no Textual, no app."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

from station.api.models import Job, JobList
from station.api.release import ReleaseOptions
from station.ui.jobs_model import SORTABLE, JobsModel, next_sort
from station.ui.masking import MASK, NameMask

PROJECTS = {0: "no project", 5: "Marketing (MKT-Q4)"}


def model(*jobs: Job, count: int | None = None) -> JobsModel:
    listed = JobList(jobs=list(jobs), count=len(jobs) if count is None else count)
    return JobsModel(listed, lambda project_id: PROJECTS.get(project_id, f"project #{project_id}"))


def job(job_id: int, name: str, cost: str = "1.00", **fields: object) -> Job:
    return Job(id=job_id, name=name, cost=Decimal(cost), page_count=2, **fields)  # type: ignore[arg-type]


def test_the_model_imports_no_textual():
    code = "import sys, station.ui.jobs_model, station.ui.masking; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_the_filter_matches_names_and_projects_case_blind():
    jobs = model(job(1, "Flyer.pdf", project_id=5), job(2, "Board minutes.pdf"), job(3, "Market [bold]x[/]"))
    jobs.set_filter("  MARKET ")
    assert [j.id for j in jobs.visible()] == [1, 3]  # the project of 1, the name of 3
    jobs.set_filter("")
    assert [j.id for j in jobs.visible()] == [1, 2, 3]


def test_targets_are_the_shown_selection_in_table_order_else_the_cursor():
    jobs = model(job(1, "a"), job(2, "b"), job(3, "c"))
    assert jobs.targets([3, 2, 1], cursor=2) == ([jobs.jobs[2]], False)
    jobs.toggle(1)
    jobs.toggle(3)
    assert jobs.targets([3, 2, 1], cursor=2) == ([jobs.jobs[3], jobs.jobs[1]], True)
    # a selection the filter hides does not count: the cursor's job is the target again
    assert jobs.targets([2], cursor=2) == ([jobs.jobs[2]], False)
    assert jobs.targets([], cursor=None) == ([], False)


def test_select_all_then_none():
    jobs = model(job(1, "a"), job(2, "b"))
    jobs.select_all([1, 2])
    assert jobs.selected == {1, 2}
    jobs.select_all([1, 2])
    assert jobs.selected == set()


def test_totals_count_sheets_and_colour_as_chosen_and_the_cost_as_listed():
    flyer = job(1, "Flyer.pdf", "4.20", color=True, color_count=2, copies=10)
    jobs = model(flyer)
    assert jobs.totals([flyer]).colour == 20 and jobs.totals([flyer]).sheets == 20
    jobs.choices.switch_sides([flyer])
    jobs.choices.switch_mono([flyer])
    assert jobs.chosen(1) == ReleaseOptions(duplex=True, mono=True)
    totals = jobs.totals([flyer])
    assert (totals.colour, totals.sheets, totals.cost) == (0, 10, Decimal("4.20"))


def test_a_saving_is_the_change_since_the_job_was_first_listed():
    jobs = model(job(1, "a", "0.24"))
    jobs.update([job(1, "a", "0.20", duplex=True)])
    assert jobs.saving(1) == Decimal("-0.04")
    assert jobs.saving(99) == Decimal("0")


def test_jobs_that_leave_take_their_selection_and_choices_with_them():
    a, b = job(1, "a", color=True, color_count=1), job(2, "b")
    jobs = model(a, b)
    jobs.toggle(1)
    jobs.toggle(2)
    jobs.choices.switch_mono([a])
    changes = jobs.changes
    jobs.update([job(2, "b", state="processing")])  # no longer pending: it leaves
    assert list(jobs.jobs) == [1] and jobs.selected == {1}
    jobs.replace([a, job(3, "c")], leave_out=[1])  # released here, followed to the printer
    assert list(jobs.jobs) == [3] and jobs.selected == set() and not jobs.choices
    assert jobs.changes == changes + 2  # a refresh that raced these is dropped
    jobs.remove([3])
    assert jobs.jobs == {}


def test_fit_selects_what_the_balance_pays_for_among_the_jobs_shown():
    jobs = model(job(1, "a", "0.50"), job(2, "b", "0.30"), job(3, "c", "5.00"), job(4, "d", "0.10"))
    fit = jobs.fit([1, 2, 3], Decimal("1.00"))  # d is not shown
    assert jobs.selected == {1, 2} and [j.id for j in fit.too_dear] == [3]
    jobs.fit([1, 2, 3], None)  # no limit
    assert jobs.selected == {1, 2, 3}


def test_sort_steps_through_the_columns_and_round_again():
    assert next_sort(None) == SORTABLE[0]
    assert next_sort("submitted") == "pages"
    assert next_sort(SORTABLE[-1]) == SORTABLE[0]


def test_clear_leaves_nothing_of_the_person():
    jobs = model(job(1, "Secret plan.pdf"), count=3)
    jobs.toggle(1)
    jobs.set_filter("secret")
    jobs.clear()
    assert (jobs.jobs, jobs.selected, jobs.base_cost, jobs.filter_text, jobs.rejected) == ({}, set(), {}, "", [])


def test_a_name_mask_hides_names_until_shown():
    secret = job(1, "Salary review.pdf")
    mask = NameMask(allowed=True)
    assert mask.name(secret) == MASK and mask.cell("Salary review.pdf") == MASK
    assert mask.text("Canceled Salary review.pdf.", [secret]) == f"Canceled {MASK}."
    assert mask.toggle() is False
    assert mask.name(secret) == "Salary review.pdf"
    assert mask.text("Canceled Salary review.pdf.", [secret]) == "Canceled Salary review.pdf."
    never = NameMask(allowed=False)
    assert never.toggle() is False and never.cell("x") == "x"
