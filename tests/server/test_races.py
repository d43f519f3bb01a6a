"""Races in-process: concurrent requests on the ASGI app (asyncio.gather)."""

from __future__ import annotations

import httpx

from .races import fifty_releases_against_one_balance, two_releases_of_one_job


async def test_two_releases_of_the_same_job_one_wins_charged_once(app, http):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://station.test") as other:
        await two_releases_of_one_job(http, other)


async def test_fifty_releases_against_one_balance_never_overdraw(http):
    await fifty_releases_against_one_balance(http)
