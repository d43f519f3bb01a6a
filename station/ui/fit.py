""""Fit my balance": the largest set of jobs an account can pay for, and what was left out.

Most jobs first (a person would rather have five small jobs than one big one), then the most
money spent among the sets of that size (use the credit there is). Paused jobs are never chosen:
a question waits for them. Money is counted in whole cents (`Decimal`, never `float`).
Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from station.api.models import Job

EXACT_WORK = 3_000_000  # above this many steps the exact search gives way to a good greedy answer


@dataclass(frozen=True)
class Fit:
    chosen: list[Job]
    too_dear: list[Job]  # left out: not enough credit
    paused: list[Job]  # left out: a question waits


def _cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def fit_balance(jobs: Sequence[Job], balance: Decimal | None) -> Fit:
    """The jobs to select so that their cost fits `balance` (None: no limit, all of them)."""
    paused = [job for job in jobs if job.is_paused]
    candidates = [job for job in jobs if not job.is_paused]
    if balance is None:
        return Fit(candidates, [], paused)
    budget = _cents(balance)
    costs = [max(_cents(job.cost), 0) for job in candidates]
    if sum(costs) <= budget:
        return Fit(candidates, [], paused)
    if budget < 0:
        return Fit([], candidates, paused)
    # The most jobs: the cheapest ones, as many as fit.
    order = sorted(range(len(candidates)), key=lambda i: costs[i])
    size, spent = 0, 0
    for i in order:
        if spent + costs[i] > budget:
            break
        size, spent = size + 1, spent + costs[i]
    if size == 0:
        return Fit([], candidates, paused)
    if len(candidates) * size * (budget + 1) <= EXACT_WORK:
        picked = _exact(costs, size, budget)
    else:
        picked = _greedy(costs, order[:size], budget)
    chosen = [job for i, job in enumerate(candidates) if i in picked]
    left = [job for i, job in enumerate(candidates) if i not in picked]
    return Fit(chosen, left, paused)


def _exact(costs: list[int], size: int, budget: int) -> set[int]:
    """Of the sets of exactly `size` jobs that fit, one that spends the most."""
    # reach[c][s]: how a set of c jobs costing s cents was first made (job index, previous sum).
    reach: list[dict[int, tuple[int, int]]] = [{0: (-1, -1)}] + [{} for _ in range(size)]
    for i, cost in enumerate(costs):
        for c in range(min(size, i + 1), 0, -1):
            below, here = reach[c - 1], reach[c]
            for s in list(below):
                total = s + cost
                if total <= budget and total not in here:
                    here[total] = (i, s)
    # Walk back from the largest sum; a job is used at most once because each layer only
    # extends sets made of earlier jobs (items are processed in order, counts descending).
    best = max(reach[size])
    picked: set[int] = set()
    c, s = size, best
    while c > 0:
        i, s = reach[c][s]
        picked.add(i)
        c -= 1
    return picked


def _greedy(costs: list[int], start: list[int], budget: int) -> set[int]:
    """The cheapest jobs, then swaps of a chosen job for a dearer one while the sum still fits."""
    picked = set(start)
    spent = sum(costs[i] for i in picked)
    improved = True
    while improved:
        improved = False
        room = budget - spent
        best: tuple[int, int, int] | None = None
        for out in picked:
            for into in range(len(costs)):
                if into in picked:
                    continue
                gain = costs[into] - costs[out]
                if 0 < gain <= room and (best is None or gain > best[0]):
                    best = (gain, out, into)
        if best is not None:
            gain, out, into = best
            picked.discard(out)
            picked.add(into)
            spent += gain
            improved = True
    return picked
