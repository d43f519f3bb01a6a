"""`station jobs ...`: the station's actions without the TUI, for scripts and quick checks.

The same StationClient calls as the app; human-readable tables by default, `--json` for
scripts. Exit status 0 on success; 1 with the server's reason when it refuses (in the twin's
words: its flags, not the wire's fields); 2 for wrong use. Secrets come from flags or, better
(they do not show in `ps`), from the environment: STATION_PIN, STATION_CARD, STATION_USER,
STATION_PASSWORD.

With a printer (`--printer ID` or STATION_PRINTER) a release goes to that printer, where
`--duplex`, `--mono` and `--copies N` choose how it prints. A release or cancel that was sent
but got no answer is never sent again: the jobs are read again and the outcome said.

- `commands.py`: the parser, the checks before anything is sent, each action.
- `render.py`: the tables and sentences for people.
- `words.py`: a refusal of the server in the twin's words.
"""

from station.twin.commands import add_login_flags, add_parser, connect, log_in, login_problem, run

__all__ = ["add_login_flags", "add_parser", "connect", "log_in", "login_problem", "run"]
