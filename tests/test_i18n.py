"""The catalogs: every sentence of the source is in every shipped language, translated, with its
placeholders; English is the source text untouched, and Babel is not loaded for it.

The catalog tests fail until a language's .po is complete: that is the point (a person would see
English in the middle of their language). Nothing here is skipped.
"""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from station import i18n
from station.format import count, money, signed

ROOT = Path(__file__).resolve().parents[1]
# As docs/translating.md extracts: count(n, 'job', 'jobs') is a plural.
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "count": (2, 3)}
SHIPPED = [language for language in i18n.LANGUAGES if language != i18n.SOURCE]
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def extracted() -> dict[str, str | tuple[str, ...]]:
    """msgid -> the message as extracted from the source now (a tuple for a plural)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, str | tuple[str, ...]] = {}
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS,
    ):
        key = message[0] if isinstance(message, tuple) else message
        if key:
            found[key] = message
    return found


@pytest.fixture(scope="module")
def source() -> dict[str, str | tuple[str, ...]]:
    return extracted()


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.set_language("en")


def catalog(language: str):
    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    assert path.is_file(), f"no catalog for {language}: {path.relative_to(ROOT)} is missing"
    with path.open("rb") as po:
        return read_po(po, locale=language)


def test_the_template_is_extracted_from_the_source_as_it_is_now(source):
    with (i18n.LOCALE_DIR / "station.pot").open("rb") as pot:
        messages = [message.id for message in read_po(pot) if message.id]
    template = {msgid if isinstance(msgid, str) else msgid[0] for msgid in messages}
    assert sorted(set(source) - template) == [], "new msgids: extract the template again (docs/translating.md)"
    assert sorted(template - set(source)) == [], "gone msgids: extract the template again (docs/translating.md)"


@pytest.mark.parametrize("language", SHIPPED)
def test_every_msgid_of_the_source_is_translated(language, source):
    po = catalog(language)
    missing = [msgid for msgid in source if msgid not in po]
    assert missing == [], f"{language}: {len(missing)} msgids missing, e.g. {missing[:5]}"
    untranslated = []
    fuzzy = []
    for msgid in source:
        message = po[msgid]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or len(strings) != (po.num_plurals if message.pluralizable else 1):
            untranslated.append(msgid)
        if message.fuzzy:
            fuzzy.append(msgid)
    assert untranslated == [], f"{language}: {len(untranslated)} empty translations, e.g. {untranslated[:5]}"
    assert fuzzy == [], f"{language}: {len(fuzzy)} fuzzy translations (shown in English), e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", SHIPPED)
def test_a_translation_keeps_the_placeholders_of_its_msgid(language, source):
    """A lost `{name}` loses a job's name; a new one raises a KeyError on the screen."""
    wrong = []
    for message in catalog(language):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = {name for msgid in ids for name in PLACEHOLDER.findall(msgid)}
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) - wanted:
                wrong.append((ids[0], string))
            if string and not message.pluralizable and set(PLACEHOLDER.findall(string)) != wanted:
                wrong.append((ids[0], string))
    assert wrong == []


@pytest.mark.parametrize("language", SHIPPED)
def test_a_piece_joined_to_others_keeps_its_spaces(language):
    """` and `, `: project now {project}`: a lost space at an end glues words together."""
    wrong = []
    for message in catalog(language):
        if not message.id or not message.string or message.pluralizable:
            continue
        msgid, string = message.id, message.string
        if (msgid[:1] == " " and string[:1] != " ") or (msgid[-1:] == " " and string[-1:] != " "):
            wrong.append((msgid, string))
    assert wrong == []


def test_english_is_the_source_text():
    i18n.set_language("en")
    assert i18n._("Release") == "Release"
    assert i18n.ngettext("job", "jobs", 2) == "jobs"
    assert count(1, "job", "jobs") == "1 job"
    assert money(Decimal("1.2"), "EUR") == "1.20 EUR"
    assert money(Decimal("-3"), "EUR") == "−3.00 EUR"
    assert signed(Decimal("-0.08")) == "−0.08"
    assert money(None) == "no limit"


def test_german_money_and_words():
    i18n.set_language("de")
    assert money(Decimal("1.2"), "EUR") == "1,20\xa0€"
    assert money(Decimal("1234.5"), "EUR") == "1.234,50\xa0€"
    assert count(3, "job", "jobs") == "3 Aufträge"
    assert count(1, "job", "jobs") == "1 Auftrag"
    assert i18n._("Release") == "Freigeben"


def test_a_person_s_language_in_any_spelling():
    assert [i18n.normalize(value) for value in ("de", "de_DE", "de-DE", "cs-CZ", "FR", "es_ES.UTF-8")] == [
        "de", "de", "de", "cs", "fr", "es",
    ]
    assert [i18n.normalize(value) for value in ("", None, "pl", "english", "d")] == [None, None, None, None, None]
    assert i18n.set_language("xx") == "en"


def test_untrusted_text_is_never_looked_up():
    """A server's message or a job name that happens to be a msgid stays as it came."""
    from station.api.errors import NotFound

    i18n.set_language("de")
    assert NotFound("Release").human == "Release"  # the server's words
    assert NotFound().human == "Dieser Auftrag ist nicht mehr da."  # ours


def test_english_never_imports_babel():
    """Startup time (issue 13): an English station formats money and counts without Babel."""
    code = (
        "import sys; from decimal import Decimal; import station.ui.app; "
        "from station.format import money, count, ago; from station.i18n import set_language; "
        "set_language('en'); money(Decimal('1'), 'EUR'); count(2, 'job', 'jobs'); "
        "print('babel' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "False"


def test_the_language_flag_and_variable_are_the_setting(tmp_path):
    """`station --language de` (and STATION_LANGUAGE) set `language`; a language station does
    not have is refused in words."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")} | {"XDG_CONFIG_HOME": str(tmp_path)}

    def config(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "station", "config", *args], capture_output=True, text=True,
                              env=env | extra, timeout=60, check=False)

    assert re.search(r"^language\s+de$", config("--language", "de").stdout, re.M)
    assert re.search(r"^language\s+fr$", config(STATION_LANGUAGE="fr").stdout, re.M)
    refused = config("--language", "pl")
    assert refused.returncode == 2 and "invalid choice: 'pl'" in refused.stderr


def test_a_refusal_the_server_gives_a_reason_for_is_said_in_the_person_s_language():
    """The server's English words for a known reason give way to ours in German; in English
    they are shown as they came, and without a reason they are all there is."""
    from station.api.errors import InvalidLogin

    refused = InvalidLogin("Invalid credentials", status=401, reason="invalid_login")
    assert refused.human == "Invalid credentials"
    i18n.set_language("de")
    assert refused.human == "Anmeldung fehlgeschlagen. PIN, Karte oder Passwort prüfen und erneut versuchen."
    assert InvalidLogin("Invalid credentials", status=401).human == "Invalid credentials"


@pytest.mark.parametrize(("jobs", "title", "outcome"), [
    (1, "Uvolnit 1 úlohu?", "1 úloha uvolněna"),
    (3, "Uvolnit 3 úlohy?", "3 úlohy uvolněny"),
    (5, "Uvolnit 5 úloh?", "5 úloh uvolněno"),
])
def test_czech_counts_jobs_as_czech_does(jobs, title, outcome):
    """Czech says 1 úloha, 2-4 úlohy, 5 úloh, and its participles agree: whole sentences per number."""
    from station.ui.modals.confirm import ReleaseConfirm
    from station.ui.screens.jobs_requests import done_words

    i18n.set_language("cs")
    assert ReleaseConfirm([], jobs=jobs).title_text == title
    assert done_words("release", jobs) == outcome


def test_all_jobs_names_a_jobs_state_in_the_persons_words():
    from station.format import state_word

    i18n.set_language("de")
    assert [state_word(state) for state in ("ready", "printed", "weird <state>")] == [
        "bereit", "gedruckt", "weird <state>"]  # a state the station does not know: as the server sent it


@pytest.mark.parametrize("language", ["en", *SHIPPED])
def test_the_submitted_column_holds_every_age_of_the_language(language):
    """The job table's Submitted column is as wide as the language's longest age (two digits):
    Czech "před 59 min" is 11 cells where English "59 min ago" is 10."""
    from station.format import ago_width
    from station.ui.widgets.job_table import job_columns

    i18n.set_language(language)
    ages = [i18n._("{minutes} min ago").format(minutes=59), i18n._("{hours} h ago").format(hours=23)]
    submitted = next(column for column in job_columns(None) if column.key == "submitted")  # type: ignore[arg-type]
    assert submitted.width == 1 + ago_width() >= 1 + max(len(age) for age in ages)
    if language == "en":
        assert submitted.width == 11  # the English screens as they were
