"""The contract's models read what real servers send: the vendor's names, nulls, odd times."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from station.api.listing import JobQuery, read_page
from station.api.models import Account, Job, User
from station.api.identify import vendor_accounts


def test_a_user_in_the_vendors_names_and_in_the_profiles():
    vendor = User.model_validate({"id": 3, "username": "erin", "fullname": "Erin Ma", "lang": "fr", "code": "7",
                                  "email": "erin@example.org"})
    profile = User.model_validate({"id": 3, "username": "erin", "fullName": "Erin Ma", "language": "fr"})
    assert (vendor.full_name, vendor.language) == (profile.full_name, profile.language) == ("Erin Ma", "fr")
    assert vendor.model_extra == {"code": "7"}
    # The embedded server still writes the profile's names.
    assert {"fullName", "language"} <= set(vendor.model_dump(mode="json", by_alias=True))


def test_an_account_id_is_its_reference_on_a_vendor_server():
    assert Account.model_validate({"reference": "cc:7", "name": "Lab", "limits": {}}).id == "cc:7"
    assert Account.model_validate({"id": "credit"}).id == "credit"


@pytest.mark.parametrize("body", [None, [], {}, {"accounts": None}, {"accounts": {"a": 1}}, "accounts"])
def test_an_accounts_reply_of_another_shape_is_not_read(body):
    assert vendor_accounts(body) is None


def test_accounts_without_a_reference_are_left_out_and_none_has_a_balance():
    accounts = vendor_accounts({"accounts": [
        {"name": "Credit", "reference": "credit", "type": "credit"},
        {"name": "Numbered", "reference": 12, "type": 2},
        {"name": "Nothing to charge"}, {"reference": ""}, {"reference": True}, "junk",
    ]})
    assert [(a.id, a.name, a.type, a.balance) for a in accounts] == [
        ("credit", "Credit", "credit", None), ("12", "Numbered", "2", None)]


@pytest.mark.parametrize(
    ("sent", "naive"),
    [("2026-11-29T14:03:00", True), ("2026-11-29T14:03:00.5", True), ("2026-11-29T14:03:00+01:00", False),
     ("2026-11-29T14:03:00.123Z", False)],
)
def test_date_time_with_or_without_an_offset_or_a_fraction(sent, naive):
    job = Job.model_validate({"id": 1, "dateTime": sent})
    assert job.date_time is not None and (job.date_time.tzinfo is None) is naive
    assert job.date_time.hour == 14


def test_nulls_read_as_missing_and_the_server_still_sends_every_field():
    job = Job.model_validate({"id": 1, "name": None, "cost": None, "duplex": None, "pageCount": None,
                              "projectId": None, "interaction": None, "expiresAt": None})
    shown = (job.name, job.cost, job.duplex, job.page_count, job.project_id, job.interaction)
    assert shown == ("", 0, False, 0, 0, False)
    assert set(Job(id=1).model_dump(by_alias=True)) >= {"id", "name", "dateTime", "pageCount", "expiresAt"}


def test_the_station_orders_jobs_with_mixed_times_without_failing():
    page = read_page(json.dumps({"jobs": [
        {"id": 1, "dateTime": "2026-03-02T08:00:00", "cost": 2},
        {"id": 2, "dateTime": "2026-03-02T09:00:00+00:00", "cost": 1},
        {"id": 3, "cost": 3},
        {"id": 4, "dateTime": "2026-03-02T07:00:00Z", "name": "Zeta"},
    ], "count": 4}))
    newest = JobQuery().page(page.jobs, page.rejected)
    assert [job.id for job in newest.jobs] == [2, 1, 4, 3]  # newest first; a job without a time last
    by_cost = JobQuery(sort="cost").page(page.jobs, [])
    assert [job.id for job in by_cost.jobs] == [4, 2, 1, 3]
    assert JobQuery(search="zet").page(page.jobs, []).count == 1
    assert newest.jobs[0].date_time == datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_jobs_read_together_share_their_field_names_and_a_change_stays_with_its_job():
    page = read_page(json.dumps({"jobs": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}], "count": 2}))
    first, second = page.jobs
    assert first.model_fields_set is second.model_fields_set  # one set for the page (memory)
    first.favorite = True
    copied = second.model_copy(update={"copies": 3})
    assert first.model_fields_set == {"id", "name", "favorite"}
    assert copied.model_fields_set == {"id", "name", "copies"}
    assert second.model_fields_set == {"id", "name"}
    assert Job.model_validate({"id": 3, "name": "c"}).model_fields_set == {"id", "name"}
