"""Settings: file, environment and flags, in that order of strength; bad settings in one line."""

from __future__ import annotations

import subprocess
import sys
import typing

import pytest

from station.config import Settings, SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in list(__import__("os").environ):
        if name.startswith("STATION_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config-here"))


def write(tmp_path, text):
    path = tmp_path / "station.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_source():
    settings = load_settings()
    assert settings.server is None
    assert settings.timeout == 10.0
    assert settings.kiosk is False
    assert settings.logout_after_release is False


def test_file_then_environment_then_flags(tmp_path, monkeypatch):
    path = write(tmp_path, 'server = "https://file.example:8090"\ntimeout = 3\nkiosk = true\n')
    assert load_settings(path).server == "https://file.example:8090"
    monkeypatch.setenv("STATION_SERVER", "https://env.example:8090")
    assert load_settings(path).server == "https://env.example:8090"
    settings = load_settings(path, server="https://flag.example:8090", timeout=None)
    assert settings.server == "https://flag.example:8090"
    assert settings.timeout == 3  # a flag not given does not override the file
    assert settings.logout_after_release is True  # on by default in kiosk mode


def test_default_per_user_file_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "station").mkdir()
    (tmp_path / "station" / "config.toml").write_text("idle_timeout = 30\n")
    assert load_settings().idle_timeout == 30


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bogus = 1\n", "unknown setting 'bogus'"),
        ('timeout = "soon"\n', "setting 'timeout'"),
        ('server = "print.example"\n', "must start with http:// or https://"),
        ("timeout = \n", "is not valid TOML"),
    ],
)
def test_bad_file_settings_name_the_setting(tmp_path, text, expected):
    with pytest.raises(SettingsError) as raised:
        load_settings(write(tmp_path, text))
    assert expected in str(raised.value)
    assert "\n" not in str(raised.value)


def test_bad_environment_setting_names_it(monkeypatch):
    monkeypatch.setenv("STATION_IDLE_TIMEOUT", "forever")
    with pytest.raises(SettingsError, match="setting 'idle_timeout' \\(STATION_IDLE_TIMEOUT\\)"):
        load_settings()


@pytest.mark.parametrize("source", ["flag", "environment", "file"])
def test_a_bad_value_blames_the_source_it_came_from(tmp_path, monkeypatch, source):
    """Each source holds a value; only the one that wins is bad, and only that one is named."""
    path = write(tmp_path, f"idle_timeout = {5 if source == 'file' else 30}\n")
    if source != "file":
        monkeypatch.setenv("STATION_IDLE_TIMEOUT", "5" if source == "environment" else "40")
    flags = {"idle_timeout": 5} if source == "flag" else {}
    with pytest.raises(SettingsError) as raised:
        load_settings(path, **flags)
    message = str(raised.value)
    expected = {"flag": "--idle-timeout", "environment": "STATION_IDLE_TIMEOUT", "file": f"config file {path}"}
    assert message == f"setting 'idle_timeout' ({expected[source]}): must be at least 10"
    for other in set(expected) - {source}:
        assert expected[other] not in message


def test_the_good_value_of_a_stronger_source_hides_a_bad_weaker_one(tmp_path, monkeypatch):
    monkeypatch.setenv("STATION_IDLE_TIMEOUT", "5")
    assert load_settings(idle_timeout=30).idle_timeout == 30


def test_an_unknown_setting_in_the_file_names_the_file(tmp_path):
    path = write(tmp_path, "bogus = 1\n")
    with pytest.raises(SettingsError, match=f"unknown setting 'bogus' \\(config file {path}\\)"):
        load_settings(path)


def test_missing_config_file_is_an_error(tmp_path):
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")


def test_secrets_are_hidden_when_shown(tmp_path):
    settings = load_settings(write(tmp_path, 'client_secret = "s3cr3t-value"\nadmin_exit_pin = "4242"\n'))
    shown = settings.shown()
    assert shown["client_secret"] == "********"
    assert shown["admin_exit_pin"] == "********"
    assert "s3cr3t-value" not in repr(settings) and "4242" not in repr(settings)
    assert set(shown) == set(Settings.model_fields)


def test_every_setting_is_documented():
    undocumented = [name for name, field in Settings.model_fields.items() if not field.description]
    assert undocumented == []


def run_station(*args, env_extra=None, cwd=None):
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("STATION_")}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "station", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=60
    )


def test_cli_version_and_help():
    version = run_station("--version")
    assert version.returncode == 0 and version.stdout.startswith("station ")
    helped = run_station("--help")
    assert helped.returncode == 0
    for command in ("demo", "serve", "config"):
        assert command in helped.stdout


def test_cli_without_server_says_so_in_one_line(tmp_path):
    result = run_station(env_extra={"XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "setting 'server'" in result.stderr and "station demo" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_config_prints_effective_settings_with_secrets_hidden(tmp_path):
    path = write(tmp_path, 'client_secret = "top-secret"\n')
    result = run_station("config", "--config", str(path), "--server", "https://print.example:8090",
                         env_extra={"STATION_TIMEOUT": "4.5"})
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(None, 1) for line in result.stdout.splitlines())
    assert lines["server"] == "https://print.example:8090"
    assert lines["timeout"] == "4.5"
    assert lines["client_secret"] == "********"
    assert "top-secret" not in result.stdout


def test_cli_bad_setting_is_one_line_not_a_traceback(tmp_path):
    result = run_station("config", env_extra={"STATION_TIMEOUT": "abc", "XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.startswith("station: setting 'timeout'")
    assert "Traceback" not in result.stderr


def test_cli_names_the_flag_a_bad_value_came_from(tmp_path):
    """The reported case: `station config --idle-timeout 5` blamed STATION_IDLE_TIMEOUT."""
    result = run_station("config", "--idle-timeout", "5", env_extra={"XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.strip() == "station: setting 'idle_timeout' (--idle-timeout): must be at least 10"


def test_settings_table_gives_every_settings_limits():
    from station.config import settings_table

    rows = {line.split(" | ")[0].strip("| `"): line.split(" | ")[2] for line in settings_table().splitlines()[2:]}
    assert set(rows) == set(Settings.model_fields)
    assert rows["idle_timeout"] == "10 to 86400"
    assert rows["timeout"] == "more than 0, at most 300"
    assert rows["theme"] == "`default` or `high-contrast`"
    assert rows["kiosk"] == "`true` or `false`"
    assert "http://" in rows["server"]
    assert [name for name, limits in rows.items() if limits in ("", "-")] == []


@pytest.mark.parametrize("name", [name for name, field in Settings.model_fields.items() if field.metadata])
def test_the_limits_in_the_table_are_the_ones_enforced(name):
    """Each bound the table states is where validation starts to refuse (just inside passes)."""
    from station.config import _limits

    field = Settings.model_fields[name]
    stated = _limits(name, field)
    for rule in field.metadata:
        for key, inside, outside in (("ge", 0, -1), ("gt", 1, 0), ("le", 0, 1), ("lt", -1, 0)):
            if hasattr(rule, key):
                bound = getattr(rule, key)
                assert str(bound) in stated
                Settings(**{name: bound + inside})
                with pytest.raises(ValueError):
                    Settings(**{name: bound + outside})


def test_readme_lists_every_setting_as_the_model_documents_it():
    from pathlib import Path

    from station.config import settings_table

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    between = readme.split("<!-- settings-table -->\n", 1)[1].split("\n<!-- /settings-table -->", 1)[0]
    assert between == settings_table(), "README settings table is stale: paste station.config.settings_table()"


def test_the_demo_prints_while_people_watch_and_serve_at_an_office_pace():
    """The demo's 90 pages print in well under a minute; `station serve` and the embedded server's
    settings keep one realistic default."""
    from station.cli import _parser
    from station.server.printing import print_duration_us
    from station.server.settings import ServerSettings

    demo = load_settings().print_speed
    assert print_duration_us(90, demo) <= 20_000_000  # 90 pages, at most 20 seconds
    serve = _parser().parse_args(["serve"]).print_speed
    assert serve == ServerSettings().print_speed
    assert 10 <= serve <= 60  # pages a minute of an office printer
    assert print_duration_us(90, serve) > 60_000_000


def test_station_demo_prints_at_the_demo_speed(monkeypatch, tmp_path):
    """The demo's own server (a real one) prints a 20-page job in seconds, not the 40 of an office printer."""
    import time

    import httpx

    from station import cli

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    waited: dict[str, float] = {}

    def release_and_watch(settings, *, server: str, **options) -> int:
        with httpx.Client(base_url=server + "/api", timeout=10) as http:
            token = http.post("/auth/token", json={
                "grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
                "scope": "jobs", "login_info": {"type": 2, "pin": "1234"}}).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            flyer = next(job for job in http.get("/v3/jobs", headers=headers).json()["jobs"]
                         if job["name"] == "Flyer.pdf")
            assert flyer["pageCount"] * flyer["copies"] == 20
            released = http.post("/v3/jobs/process", headers=headers,
                                 json={"jobIds": [flyer["id"]], "owner": "alice", "projectId": 0})
            assert released.status_code == 202, released.text
            started = time.monotonic()
            while http.get(f"/v3/jobs/{flyer['id']}/state", headers=headers).json()["state"] != "printed":
                assert time.monotonic() - started < 20, "still printing after 20 seconds"
                time.sleep(0.2)
            waited["seconds"] = time.monotonic() - started
        return 0

    monkeypatch.setattr(cli, "_run_station", release_and_watch)
    assert cli.main(["demo"]) == 0
    assert "seconds" in waited


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_demos_people_speak_the_demos_language(monkeypatch, tmp_path, language):
    """`station demo --language de` is German after login too: the person's own language (which
    replaces the station's at login) is the demo's."""
    import httpx

    from station import cli

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    spoken: list[str] = []

    def log_in(settings, *, server: str, **options) -> int:
        with httpx.Client(base_url=server + "/api", timeout=10) as http:
            token = http.post("/auth/token", json={
                "grant_type": "login_info", "client_id": "station-demo", "client_secret": "station-demo-secret",
                "scope": "jobs", "login_info": {"type": 2, "pin": "1234"}}).json()["access_token"]
            me = http.get("/v3/users/me", headers={"Authorization": f"Bearer {token}"})
            spoken.append(me.json()["language"])
        return 0

    monkeypatch.setattr(cli, "_run_station", log_in)
    assert cli.main(["demo", "--language", language]) == 0
    assert spoken == [language]


def test_a_table_in_the_environment_that_is_not_json_is_one_line(monkeypatch):
    """pydantic-settings raised its own error here, a traceback for the person."""
    monkeypatch.setenv("STATION_KEYMAP", "jobs.release=r")
    with pytest.raises(SettingsError, match=r"^setting 'keymap' \(STATION_KEYMAP\): must be JSON"):
        load_settings()
    monkeypatch.setenv("station_keymap", '{"jobs.release": "r,f9"}')  # any case, as before
    monkeypatch.delenv("STATION_KEYMAP")
    assert load_settings().keymap == {"jobs.release": "r,f9"}


@pytest.mark.parametrize("argv", [
    [], ["--server", "https://print.example"], ["--serv", "https://print.example", "--kiosk", "--timeout", "3"],
    ["--config", "station.toml", "--idle-timeout", "30", "--theme", "high-contrast", "--mask-job-names"],
])
def test_the_station_alone_is_read_as_the_whole_parser_reads_it(argv):
    """`station [options]` is read without the parsers of `jobs` and `doctor` (startup, issue 13)."""
    from station.cli import _parser, _station_only

    assert _station_only(argv) == _parser().parse_args(argv)


@pytest.mark.parametrize("argv", [["--timeout", "soon"], ["print"], ["--help"], ["jobs", "list"], ["--version"]])
def test_what_the_station_alone_cannot_read_goes_to_the_whole_parser(argv):
    from station.cli import _station_only

    assert _station_only(argv) is None


def test_a_bad_flag_of_the_station_is_said_by_the_whole_parser(tmp_path):
    result = run_station("--timeout", "soon", env_extra={"XDG_CONFIG_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert "usage: station [-h]" in result.stderr and "COMMAND" in result.stderr
    assert result.stderr.strip().endswith("station: error: argument --timeout: invalid float value: 'soon'")


def run_station_headless(monkeypatch, argv):
    """`station.cli.main(argv)` with the app headless; returns its status and the screens it drew."""
    from station import cli
    from station.ui.app import StationApp

    drawn: list[str] = []
    run = StationApp.run
    monkeypatch.setattr(StationApp, "run", lambda self, **options: run(self, headless=True))
    monkeypatch.setattr(StationApp, "post_display_hook", lambda self: drawn.append(type(self.screen).__name__),
                        raising=False)
    return cli.main(argv), drawn


def test_a_bad_setting_found_after_the_first_frame_is_the_same_line_and_status(monkeypatch, capsys):
    """`station` draws its login screen before pydantic checks the settings (issue 13: startup); a
    bad one then ends it with the line and status it always had, and no traceback."""
    monkeypatch.setenv("STATION_TIMEOUT", "soon")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    status, drawn = run_station_headless(monkeypatch, ["--server", "http://127.0.0.1:1"])
    assert "LoginScreen" in drawn  # the first frame was drawn before the settings were checked
    assert status == 2
    assert capsys.readouterr().err == f"station: {raised.value}\n"
    assert str(raised.value).startswith("setting 'timeout' (STATION_TIMEOUT): ")


def test_a_bad_setting_the_first_frame_shows_is_said_before_it(monkeypatch, capsys):
    monkeypatch.setenv("STATION_THEME", "dark")
    status, drawn = run_station_headless(monkeypatch, ["--server", "http://127.0.0.1:1"])
    assert (status, drawn) == (2, [])
    assert capsys.readouterr().err.startswith("station: setting 'theme' (STATION_THEME): ")


def test_the_first_frame_is_drawn_without_pydantic():
    probe = (
        "import sys\n"
        "from station import cli\n"
        "from station.ui.app import StationApp\n"
        "run = StationApp.run\n"
        "StationApp.run = lambda self, **options: run(self, headless=True)\n"
        "def drawn(self):\n"
        "    if type(self.screen).__name__ == 'LoginScreen' and not hasattr(self, 'seen'):\n"
        "        self.seen = print('pydantic' in sys.modules, file=sys.__stderr__) or self.exit()\n"
        "StationApp.post_display_hook = drawn\n"
        "cli.main(['--server', 'http://127.0.0.1:1'])\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert out.stderr.strip().splitlines()[-1] == "False", out.stderr


WORDS = ["true", "False", "YES", "no", "On", "off", "1", "0", "t", "F", "y", "N"]


@pytest.mark.parametrize("word", WORDS)
def test_the_first_frame_reads_a_switch_as_the_model_does(monkeypatch, word):
    from station.config_sources import first_frame, read_sources

    monkeypatch.setenv("STATION_HELPDESK", word)
    monkeypatch.setenv("station_insecure", word)
    sources = read_sources(flags={"server": "https://print.example/"})
    shown, settings = first_frame(sources), load_settings(server="https://print.example/")
    assert shown is not None
    assert shown == {name: getattr(settings, name) for name in shown}


def test_the_first_frame_reads_file_and_flags_as_the_model_does(tmp_path, monkeypatch):
    from station.config_sources import first_frame, read_sources

    path = write(tmp_path, 'theme = "high-contrast"\nhelpdesk = true\n[keymap]\n" jobs.release" = "r , f9"\n')
    monkeypatch.setenv("STATION_SERVER", "http://print.example:8090/")
    flags = {"insecure": True, "helpdesk": None}
    shown, settings = first_frame(read_sources(path, flags)), load_settings(path, **flags)
    assert shown == {name: getattr(settings, name) for name in shown}
    assert shown["keymap"] == {"jobs.release": "r,f9"} and shown["theme"] == "high-contrast"
    monkeypatch.setenv("STATION_KEYMAP", '{"login.password": "f4"}')
    assert first_frame(read_sources(path, flags))["keymap"] == load_settings(path, **flags).keymap


@pytest.mark.parametrize("variable, value", [
    ("STATION_KIOSK", "true"),  # a kiosk sets up its guard from settings the first frame does not show
    ("STATION_HELPDESK", "maybe"), ("STATION_HELPDESK", " yes"), ("STATION_THEME", "dark"),
    ("STATION_SERVER", "print.example"), ("STATION_KEYMAP", "jobs.release=r"), ("STATION_KEYMAP", '{"a": ""}'),
    ("STATION_LANGUAGE", "de_DE"), ("STATION_LANGUAGE", "klingon"),
])
def test_what_is_not_plain_is_checked_by_the_model_before_the_first_frame(monkeypatch, variable, value):
    from station.config_sources import first_frame, read_sources

    monkeypatch.setenv("STATION_SERVER", "https://print.example")
    monkeypatch.setenv(variable, value)
    assert first_frame(read_sources()) is None


def test_the_settings_checked_later_are_the_models_once_checked(monkeypatch):
    from station.config_sources import CheckedLater, first_frame, read_sources

    monkeypatch.setenv("STATION_TIMEOUT", "4.5")
    sources = read_sources(flags={"server": "https://print.example"})
    checked: list[Settings] = []
    later = CheckedLater(first_frame(sources), lambda: checked.append(load_settings(**sources.flags)) or checked[-1])
    assert later.helpdesk is False and checked == []  # shown by the first frame: not checked yet
    assert later.timeout == 4.5 and len(checked) == 1  # any other setting: checked when asked for
    assert later.verify is True and later.client_secret.get_secret_value() == "station-demo-secret"
    assert len(checked) == 1


def test_good_settings_checked_after_the_first_frame_let_the_station_go_on(monkeypatch, capsys):
    from station import cli
    from station.ui.app import StationApp

    monkeypatch.setenv("STATION_TIMEOUT", "4.5")
    seen: dict[str, object] = {}
    run, after_first_frame = StationApp.run, StationApp._after_first_frame

    def checked(self):
        after_first_frame(self)
        seen.update(timeout=self.settings.timeout, screen=type(self.screen).__name__)  # through the model now
        self.exit()

    monkeypatch.setattr(StationApp, "run", lambda self, **options: run(self, headless=True))
    monkeypatch.setattr(StationApp, "_after_first_frame", checked)
    assert cli.main(["--server", "http://127.0.0.1:1"]) == 0
    assert seen == {"timeout": 4.5, "screen": "LoginScreen"}
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("language", ["de", "cs", "fr", "es", "en"])
def test_the_first_frame_speaks_the_language_the_model_reads(monkeypatch, language):
    from station.config_sources import LANGUAGES, THEMES, first_frame, read_sources

    assert typing.get_args(Settings.model_fields["language"].annotation) == LANGUAGES  # one list of languages
    assert typing.get_args(Settings.model_fields["theme"].annotation) == THEMES  # and one of themes
    monkeypatch.setenv("STATION_LANGUAGE", language)
    shown = first_frame(read_sources(flags={"server": "https://print.example"}))
    assert shown is not None and shown["language"] == load_settings(server="https://print.example").language
