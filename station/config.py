"""Settings: one documented model. Sources, weakest first: defaults, the TOML file, the
environment (`STATION_*`), then command-line flags.

Each setting is documented once, here, in its `description`; `station config` and the README
list them from this model.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo

from station.config_sources import (
    ENV_PREFIX,
    SettingsError,
    Sources,
    default_config_path,
    environment,
    keymap_keys,
    read_sources,
    server_url,
)

__all__ = ["ENV_PREFIX", "Settings", "SettingsError", "default_config_path", "load_settings", "validate"]

# The values read from the TOML file for the settings being built (see `load_settings`).
_file_values: ContextVar[Mapping[str, Any]] = ContextVar("_file_values", default=MappingProxyType({}))


# The demo's printers are fast, so that an audience sees a whole demo print: 5 pages a second,
# the demo's 90 pages in 18 seconds. (`station serve` keeps an office printer's pace.)
DEMO_PRINT_SPEED = 300.0

# What a field validator of `Settings` checks, in words for the README's table.
VALIDATED = {
    "server": "a URL that starts with `http://` or `https://`",
    "keymap": "binding ids to keys (comma between keys)",
}


class Settings(BaseModel):
    """The station's settings. `Settings(**flags)` reads the environment and the file too (see
    `__init__`); a plain pydantic model, not pydantic-settings, whose import with all its sources
    cost the first frame about 30 ms (issue 13)."""

    model_config = ConfigDict(extra="forbid", validate_default=True)

    server: str | None = Field(
        default=None,
        description="URL of the print server, e.g. https://print.example.org:8090 (not needed for `station demo`).",
    )
    client_id: str = Field(default="station-demo", description="OAuth client id this station is registered with.")
    client_secret: SecretStr = Field(
        default=SecretStr("station-demo-secret"), description="OAuth client secret (hidden in `station config`)."
    )
    timeout: float = Field(
        default=10.0, gt=0, le=300, description="Seconds to wait for the print server on each request."
    )
    ca_bundle: Path | None = Field(
        default=None, description="A CA bundle (PEM) to verify the server's certificate with."
    )
    insecure: bool = Field(default=False, description="Do not verify the server's TLS certificate (warned on screen).")
    web_sessions: int = Field(
        default=4, ge=1, le=100,
        description="`station web`: browser sessions at once (each runs a station process); the next sees a busy page.",
    )
    printer: str | None = Field(
        default=None,
        description="The printer this station stands next to (its id on the print server): releases go through "
        "`POST /v3/printers/{printer}/jobs/release`, where 2-sided, black and white and copies can be chosen.",
    )
    refresh_interval: float = Field(
        default=5.0, ge=1, le=3600, description="Seconds between quiet refreshes of the job list."
    )
    kiosk: bool = Field(
        default=False, description="Kiosk mode: idle logout, no way out of the app, session wiped on logout."
    )
    idle_timeout: int = Field(
        default=60, ge=10, le=86400, description="Kiosk: seconds without a key or click before logout."
    )
    logout_after_release: bool | None = Field(
        default=None, description="Log out after a release (default: on in kiosk mode, off otherwise)."
    )
    undo_seconds: int = Field(
        default=8, ge=0, le=60,
        description="Seconds a release or cancel waits, with Undo (u) and a countdown, before it is sent "
        "(0: sent at once). Logging out sends it at once.",
    )
    admin_exit_pin: SecretStr | None = Field(
        default=None, description="Kiosk: a PIN that, typed on the login screen after F10, quits the app (hidden)."
    )
    helpdesk: bool = Field(
        default=False, description="Helpdesk mode: log in as staff, act for other users with a reason."
    )
    theme: Literal["default", "high-contrast"] = Field(default="default", description="Colour theme.")
    language: Literal["en", "de", "cs", "fr", "es"] = Field(
        default="en",
        description="The station's language (en, de, cs, fr, es); a person's own language from the print server "
        "replaces it for their session.",
    )
    keymap: dict[str, str] = Field(
        default_factory=dict,
        description="Other keys for the station's keys: binding id to keys, e.g. `{\"jobs.release\" = \"r,f9\"}` "
        "(TOML table `[keymap]`; `STATION_KEYMAP` as JSON). Help (F1) shows the keys in use.",
    )
    mask_job_names: bool = Field(default=False, description="Hide job names until the owner presses a key.")
    co2e_grams_per_sheet: float = Field(
        default=4.6, ge=0, le=100,
        description="Receipt: grams of CO2e per sheet of paper, to estimate what the sheets saved spared "
        "(the source of the default is in the README).",
    )
    print_speed: float = Field(
        default=DEMO_PRINT_SPEED, gt=0, le=10000,
        description="Demo server: pages per minute a printer prints (fast, so that a demo prints while people watch).",
    )
    db: Path | None = Field(
        default=None, description="Demo server: SQLite file to keep demo data in (default: temporary)."
    )

    @field_validator("server")
    @classmethod
    def _server_is_a_url(cls, value: str | None) -> str | None:
        return server_url(value)

    @field_validator("keymap")
    @classmethod
    def _keymap_names_keys(cls, value: dict[str, str]) -> dict[str, str]:
        return keymap_keys(value)

    @field_validator("printer")
    @classmethod
    def _printer_is_an_id(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if len(value) > 100 or not all(ch.isalnum() or ch in "-_." for ch in value):
            raise ValueError("must be the printer's id on the print server (letters, digits, - _ .)")
        return value

    @model_validator(mode="after")
    def _logout_after_release_default(self) -> Settings:
        if self.logout_after_release is None:
            self.logout_after_release = self.kiosk
        return self

    @property
    def verify(self) -> bool | str:
        """What httpx should verify the server's certificate with."""
        if self.insecure:
            return False
        return str(self.ca_bundle) if self.ca_bundle else True

    def __init__(self, **values: Any) -> None:
        """The values given (the flags), over the environment (`STATION_*`), over the TOML file's
        values (see `load_settings`), over the defaults."""
        super().__init__(**{**_file_values.get(), **_environment(type(self).model_fields), **values})

    def shown(self) -> dict[str, str]:
        """Every setting as text, secrets hidden: what `station config` prints."""
        shown: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                text = "********"
            elif value is None:
                text = "-"
            else:
                text = str(value).lower() if isinstance(value, bool) else str(value)
            shown[name] = text
        return shown


def _environment(fields: Mapping[str, FieldInfo]) -> dict[str, Any]:
    """The settings given as `STATION_<NAME>` variables (any case), as pydantic-settings read them:
    text, but JSON for a table (`STATION_KEYMAP`); variables that name no setting are ignored."""
    found: dict[str, Any] = {}
    for name, (variable, value) in environment().items():
        if name not in fields:
            continue
        if get_origin(fields[name].annotation) is dict:
            try:
                found[name] = json.loads(value)
            except ValueError:
                raise SettingsError(
                    f"setting '{name}' ({variable}): must be JSON, e.g. {{\"jobs.release\": \"r,f9\"}}"
                ) from None
        else:
            found[name] = value
    return found


def load_settings(config: Path | None = None, **flags: Any) -> Settings:
    """Build the settings from file, environment and flags; raise SettingsError in one line.

    A `--config` file that is missing is an error; the default per-user file is optional.
    Flags that are None were not given and do not override anything.
    """
    return validate(read_sources(config, flags))


def validate(sources: Sources) -> Settings:
    """The settings made of `sources` (the environment read now); raise SettingsError in one line."""
    given = dict(sources.flags)
    values = dict(sources.file)
    token = _file_values.set(values)
    try:
        return Settings(**given)
    except ValidationError as error:
        raise SettingsError(_one_line(error, given, values, sources.path)) from None
    finally:
        _file_values.reset(token)


def _one_line(error: ValidationError, flags: dict[str, Any], file_values: dict[str, Any], path: Path) -> str:
    """The first error, naming the setting and the source its value came from."""
    first = error.errors()[0]
    name = ".".join(str(part) for part in first["loc"]) or "settings"
    where = _source(name, flags, file_values, path)
    named = f"'{name}'" + (f" ({where})" if where else "")
    if first["type"] == "extra_forbidden":
        return f"unknown setting {named}"
    return f"setting {named}: {_in_words(first)}"


def _source(name: str, flags: dict[str, Any], file_values: dict[str, Any], path: Path) -> str:
    """Where the value of `name` came from, strongest source first (the one pydantic used)."""
    if name in flags:
        return "--" + name.replace("_", "-")
    variable = f"{ENV_PREFIX}{name.upper()}"
    if any(key.upper() == variable for key in os.environ):  # pydantic-settings ignores case
        return variable
    if name in file_values:
        return f"config file {path}"
    return ""


def _in_words(error: Any) -> str:
    """pydantic's message; a bound is said the way the README's table says it ("must be at least 10")."""
    context = error.get("ctx") or {}
    bound = next((key for key in context if key in BOUND_WORDS), None)
    if bound is not None:
        return f"must be {BOUND_WORDS[bound]} {context[bound]}"
    return str(error["msg"]).removeprefix("Value error, ")


def settings_table() -> str:
    """The README's settings table, made from the model so the two cannot drift."""
    rows = ["| setting | default | limits | meaning |", "|---|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.get_default(call_default_factory=True)
        if isinstance(default, SecretStr):
            shown = "(hidden)"
        elif default is None:
            shown = "-"
        else:
            shown = f"`{_toml(default)}`"
        rows.append(f"| `{name}` | {shown} | {_limits(name, field)} | {field.description} |")
    return "\n".join(rows)


def _toml(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{key}" = "{keys}"' for key, keys in value.items()) + "}"
    return str(value).lower() if isinstance(value, bool) else str(value)


BOUND_WORDS = {"ge": "at least", "gt": "more than", "le": "at most", "lt": "less than"}
KIND_WORDS = {bool: "`true` or `false`", str: "text", SecretStr: "text", Path: "a file path"}


def _limits(name: str, field: FieldInfo) -> str:
    """What the model accepts, in words: `10 to 86400`, `more than 0, at most 300`, a choice, a kind."""
    if name in VALIDATED:
        return VALIDATED[name]
    kinds = [arg for arg in get_args(field.annotation) if arg is not type(None)] or [field.annotation]
    if get_origin(field.annotation) is Literal:
        return " or ".join(f"`{choice}`" for choice in kinds)
    bounds = {key: getattr(rule, key) for rule in field.metadata for key in BOUND_WORDS if hasattr(rule, key)}
    if set(bounds) == {"ge", "le"}:
        return f"{bounds['ge']} to {bounds['le']}"
    if bounds:
        return ", ".join(f"{BOUND_WORDS[key]} {value}" for key, value in bounds.items())
    return KIND_WORDS.get(kinds[0], "-")
