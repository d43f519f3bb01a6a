"""The real StationClient on the real embedded server (in-process, fake clock from tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from station.api.client import StationClient


@pytest.fixture
def connect(app) -> Callable[[], StationClient]:
    """A fresh client for the in-process server, as the app's `connect` would make one."""

    def make() -> StationClient:
        return StationClient("http://station.test", transport=httpx.ASGITransport(app=app))

    return make


@pytest.fixture
async def client(connect) -> AsyncIterator[StationClient]:
    async with connect() as session:
        yield session


@pytest.fixture
async def alice(client) -> StationClient:
    await client.login_pin("1234")
    return client


@pytest.fixture
async def other(connect) -> AsyncIterator[StationClient]:
    """A second, independent client (not logged in)."""
    async with connect() as session:
        yield session
