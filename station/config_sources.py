"""The settings' sources (the TOML file, `STATION_*` variables, flags), read without pydantic, and
the few values the login screen's first frame shows, taken from them before the model
(`station.config.Settings`) checks them all (issue 13: startup: pydantic and the model cost
55-90 ms of CPU before the first frame).

`station` draws its first frame from `first_frame(sources)` when every value there is plainly
what the model makes of it, and checks the settings with the model right after; a bad setting
then ends the app with the same line and status as before it started. Anything less plain (a
kiosk, a switch or theme written another way, a keymap that is not a table of keys) is checked
by the model first, as always.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station.i18n import LANGUAGES

ENV_PREFIX = "STATION_"

# The words pydantic reads a switch from (its documented `bool` coercion), lower-cased; a test
# checks each against pydantic. Only these are read here; any other value goes to the model.
TRUE_WORDS = frozenset({"1", "on", "t", "true", "y", "yes"})
FALSE_WORDS = frozenset({"0", "off", "f", "false", "n", "no"})
THEMES = ("default", "high-contrast")  # the model's `theme` (a test checks they are the same, as for LANGUAGES)


class SettingsError(Exception):
    """A setting is wrong: one line that names it, for a person."""


@dataclass(frozen=True)
class Sources:
    """What the settings are made of, weakest first: the file's values, then the environment
    (read from `os.environ` when the settings are made), then the flags given."""

    path: Path  # the file named by --config, or the per-user one (which may not exist)
    file: Mapping[str, Any] = field(default_factory=dict)
    flags: Mapping[str, Any] = field(default_factory=dict)  # only the flags given (None: not given)


def default_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "station" / "config.toml"


def read_sources(config: Path | None = None, flags: Mapping[str, Any] | None = None) -> Sources:
    """The file's values and the flags given; raise SettingsError in one line.

    A `--config` file that is missing is an error; the default per-user file is optional.
    Flags that are None were not given and do not override anything.
    """
    path = config or default_config_path()
    values: dict[str, Any] = {}
    if config is not None or path.exists():
        import tomllib

        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SettingsError(f"config file {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as error:
            raise SettingsError(f"config file {path} cannot be read: {error}") from None
        except tomllib.TOMLDecodeError as error:
            raise SettingsError(f"config file {path} is not valid TOML: {error}") from None
    given = {key: value for key, value in (flags or {}).items() if value is not None}
    return Sources(path=path, file=values, flags=given)


def environment() -> dict[str, tuple[str, str]]:
    """Every `STATION_<NAME>` variable (any case, as pydantic-settings read them) by its name
    lower-cased: the variable as written, and its value."""
    found: dict[str, tuple[str, str]] = {}
    for variable, value in os.environ.items():
        name = variable.lower().removeprefix(ENV_PREFIX.lower())
        if name != variable.lower():
            found[name] = (variable, value)
    return found


def server_url(value: str | None) -> str | None:
    """The `server` setting's check (the model's validator): a URL, without its trailing slash."""
    if value is None or value == "":
        return None
    if not value.startswith(("http://", "https://")):
        raise ValueError("must start with http:// or https://")
    return value.rstrip("/")


def keymap_keys(value: Mapping[str, str]) -> dict[str, str]:
    """The `keymap` setting's check (the model's validator): binding ids to keys, spaces trimmed."""
    for binding_id, keys in value.items():
        if not binding_id.strip() or not all(key.strip() for key in keys.split(",")):
            raise ValueError(f"{binding_id!r} needs keys, e.g. \"f9\" or \"r,f9\"")
    return {binding_id.strip(): ",".join(key.strip() for key in keys.split(",")) for binding_id, keys in value.items()}


_ABSENT = object()


def first_frame(sources: Sources) -> dict[str, Any] | None:
    """What the login screen's first frame shows, as the model will make it: the switches kiosk,
    helpdesk and insecure, the theme, the language, the keymap, and the server. None when one of them is not
    plainly so (then the model checks the settings before the first frame), or in kiosk mode (the
    kiosk's idle logout and admin exit are set up from every setting they use before it)."""
    env = environment()

    def given(name: str) -> Any:
        if name in sources.flags:
            return sources.flags[name]
        if name in env:
            return env[name][1]
        return sources.file.get(name, _ABSENT)

    values: dict[str, Any] = {}
    for name in ("kiosk", "helpdesk", "insecure"):
        value = given(name)
        if value is _ABSENT or isinstance(value, bool):
            values[name] = value is True
        elif isinstance(value, str) and value.lower() in TRUE_WORDS | FALSE_WORDS:
            values[name] = value.lower() in TRUE_WORDS
        else:
            return None
    theme = given("theme")
    values["theme"] = "default" if theme is _ABSENT else theme
    language = given("language")
    values["language"] = "en" if language is _ABSENT else language
    keymap = given("keymap")
    try:
        if isinstance(keymap, str) and "keymap" in env and "keymap" not in sources.flags:
            import json

            keymap = json.loads(keymap)
        server = given("server")
        values["server"] = server_url(None if server is _ABSENT else server)
        values["keymap"] = {} if keymap is _ABSENT else keymap_keys(keymap)
    except (ValueError, TypeError, AttributeError):
        return None
    plain = (
        values["theme"] in THEMES
        and values["language"] in LANGUAGES
        and isinstance(values["server"], str)
        and all(isinstance(key, str) and isinstance(keys, str) for key, keys in values["keymap"].items())
    )
    return values if plain and not values["kiosk"] else None


class CheckedLater:
    """The settings of a station whose first frame is drawn before the model checks them: the
    first frame's values as `first_frame` read them; any other setting, and all of them once
    `check()` has run, from the model (a setting asked for before is checked then)."""

    def __init__(self, shown: Mapping[str, Any], check: Callable[[], object]) -> None:
        self._shown = dict(shown)
        self._check = check
        self._checked: object | None = None

    def check(self) -> object:
        """The settings checked by the model (once); SettingsError if one is wrong."""
        if self._checked is None:
            self._checked = self._check()
        return self._checked

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._checked is None and name in self._shown:
            return self._shown[name]
        return getattr(self.check(), name)
