"""The pieces the wire's models are built from: money, times, limits, the two base models.

Wire names are camelCase (`pageCount`); Python names are snake_case (`page_count`).
Objects read from the wire accept fields they do not know (a real server may send more);
request bodies that the embedded server validates refuse unknown fields, so a typo is an
error a person can read rather than a change silently not made.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainSerializer, WrapValidator
from pydantic.alias_generators import to_camel

# Money travels as a JSON number with at most 2 decimals and is added as Decimal.
Money = Annotated[
    Decimal,
    PlainSerializer(lambda value: float(value), return_type=float, when_used="json"),
]

# Times travel as ISO 8601 with an explicit offset (`+00:00`, not `Z`), as the contract writes them.
Timestamp = Annotated[
    datetime,
    PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json"),
]



def or_none(value: Any, handler: Any) -> Any:
    """A field a client can do without: what does not parse reads as missing (contract 7.3)."""
    try:
        return handler(value)
    except ValueError:
        return None


# A time that may come with or without an offset or a fraction (no offset: the server's local
# time, kept naive and shown as is); one that cannot be read is left out, not the whole job.
LenientTimestamp = Annotated[Timestamp | None, WrapValidator(or_none)]

# Limits that keep a hostile or broken body from reaching storage.
MAX_ID = 2**31 - 1
MAX_NAME = 1000
MAX_IDS = 500


class WireModel(BaseModel):
    """An object read from the wire: camelCase names, unknown fields kept."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="allow",
    )


class RequestModel(WireModel):
    """A request body: camelCase names, unknown fields refused with a clear error."""

    model_config = ConfigDict(extra="forbid")


class Paper(WireModel):
    state: int | None = None
