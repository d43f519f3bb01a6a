"""The helpdesk's `ActingClient` is a whole `JobsClient`: every method the screens may call is
written out on it (owner and reason rules), none reaches the staff's client by a fallback."""

from __future__ import annotations

import inspect

from station.api.client import StationClient
from station.api.jobs_client import JobsClient
from station.ui.acting import ActingClient


def protocol_members() -> list[str]:
    return sorted(name for name in vars(JobsClient) if not name.startswith("_"))


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_the_protocol_lists_what_screens_call():
    assert {"jobs", "process", "release_at_printer", "cancel", "patch_jobs", "me", "revoke"} <= set(protocol_members())


def test_acting_client_writes_out_every_method_of_the_protocol():
    missing = [name for name in protocol_members() if name not in vars(ActingClient)]
    assert missing == [], f"ActingClient lacks {missing}: a call would skip the helpdesk's rules"
    assert not hasattr(ActingClient, "__getattr__")


def test_both_clients_take_the_protocols_parameters():
    for name in protocol_members():
        wanted = getattr(JobsClient, name)
        if isinstance(wanted, property):
            assert isinstance(getattr(StationClient, name), property), name
            assert isinstance(getattr(ActingClient, name), property), name
            continue
        for client in (StationClient, ActingClient):
            assert parameters(getattr(client, name)) == parameters(wanted), f"{client.__name__}.{name}"
