"""What a screen may import before the first frame without pulling in the wire (issue 13: nothing
before the login prompt that it does not draw): the errors, who is logged in, the scopes, the
release options."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("pydantic", "httpx", "ssl", "station.api.models", "station.api.client")


@pytest.mark.parametrize(
    "module", ["station.api.errors", "station.api.people", "station.api.scopes", "station.api.release"]
)
def test_plain_api_modules_import_nothing_heavy(module):
    code = f"import sys, {module}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_client_does_pull_in_the_wire():  # the positive control: the check sees a heavy import
    code = f"import sys, station.api.client; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(out.stdout.strip().split(",")) == set(HEAVY)
