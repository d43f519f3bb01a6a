"""The station's languages: gettext with catalogs in station/locale/<lang>/LC_MESSAGES/station.po.

English is the source language: its words are the msgids, and with English nothing is looked
up (no catalog, no Babel import), so English output is exactly the source text. For de, cs, fr
and es the `.po` catalog is read with Babel the first time the language is used and compiled in
memory (the `.po` is the one file a translator edits; nothing compiled can go stale).

The current language is process-wide: the App sets it (the setting at start, the person's at
login, the setting again at logout). `_()` and `ngettext()` translate into it when called, so a
string defined at import time (a Binding's description, a module constant) is marked with
`N_()` and translated where it is shown (the footer, help, the screens).

Untrusted text (job names, server messages) is never passed to `_()`: translate the template
and insert the value with a named placeholder, `_("Released {name}").format(name=plain(name))`.
"""

from __future__ import annotations

import gettext as _gettext
import io
import threading
from pathlib import Path

DOMAIN = "station"
LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE = "en"
LANGUAGES: tuple[str, ...] = ("en", "de", "cs", "fr", "es")
# Each language's name in itself: what a person looks for when switching.
NAMES: dict[str, str] = {"en": "English", "de": "Deutsch", "cs": "Čeština", "fr": "Français", "es": "Español"}
# Babel's locale for formatting money, numbers and dates in each language.
LOCALES: dict[str, str] = {"de": "de_DE", "cs": "cs_CZ", "fr": "fr_FR", "es": "es_ES"}

_NULL = _gettext.NullTranslations()
_catalogs: dict[str, _gettext.NullTranslations] = {}
_lock = threading.Lock()
_current = SOURCE


def normalize(value: str | None) -> str | None:
    """One of LANGUAGES for `de`, `de_DE`, `de-DE`, `DE`, `cs-CZ`...; None for anything else."""
    if not value:
        return None
    code = value.strip().replace("-", "_").split("_")[0].split(".")[0].lower()
    return code if code in LANGUAGES else None


def catalog(language: str) -> _gettext.NullTranslations:
    """The compiled catalog of `language` (nothing for English or a language without one)."""
    if language == SOURCE or language not in LANGUAGES:
        return _NULL
    with _lock:
        found = _catalogs.get(language)
        if found is None:
            found = _catalogs[language] = _compile(language)
        return found


def _compile(language: str) -> _gettext.NullTranslations:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return _NULL
    from babel.messages.mofile import write_mo  # only for a language other than English
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        parsed = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, parsed, use_fuzzy=False)  # a fuzzy or empty translation falls back to English
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def set_language(language: str | None) -> str:
    """Make `language` (any spelling `normalize` takes) current; English for anything else."""
    global _current
    _current = normalize(language) or SOURCE
    return _current


def language() -> str:
    return _current


def following(current: str) -> str:
    """The language after `current` in LANGUAGES (the login screen's key cycles through them)."""
    return LANGUAGES[(LANGUAGES.index(current) + 1) % len(LANGUAGES)] if current in LANGUAGES else SOURCE


def locale_name() -> str | None:
    """Babel's locale for the current language, None in English (English is formatted by hand)."""
    return LOCALES.get(_current)


def _(message: str) -> str:
    """`message` in the current language."""
    if _current == SOURCE or not message:
        return message
    return catalog(_current).gettext(message)


def gettext(message: str) -> str:
    return _(message)


def ngettext(singular: str, plural: str, number: int) -> str:
    if _current == SOURCE:
        return singular if number == 1 else plural
    return catalog(_current).ngettext(singular, plural, number)


def N_(message: str) -> str:
    """Marks `message` for the catalog without translating it (translated where it is shown)."""
    return message

