"""The embedded reference server: the contract (`api-contract.md`) over FastAPI and SQLite.

- `app.py`: `create_app(settings)`: the app factory (re-exports `ServerSettings`).
- `settings.py`: `ServerSettings`, everything the server can be told.
- `routes/`: the profile's routes: `auth.py` (tokens), `users.py` (me, users, projects),
  `jobs.py` (jobs and the audit). Each module adds its routes with `add_routes(app)`; a route
  finds the store on `request.app.state`.
- `handlers.py`: every refusal of FastAPI or Starlette as the error body (422, 404, 405...).
- `middleware.py`: `GuardMiddleware`: bounded bodies, never a traceback (500/503 in words).
- `errors.py`: `Problem`, the error body, and how the OpenAPI document describes it.
- `deps.py`: what every route needs from a request: the caller, ids, the reason, paging.
- `printers.py`: the vendor's release at a printer (`printAll`, `jobs/release` with options).
- `people.py`: the vendor's `users/find` and `users/{id}/accounts`.
- `vendor.py`: vendor mode (`api="vendor"`): only the vendor's API, in its shapes.
- `shapes.py`: reply shapes beyond the profile's models (the vendor's job, user, accounts...).
- `print_options.py`: how a job prints with release options, and what it then costs.
- `store.py`: `Store`: SQLite (WAL), one transaction per change, secrets only as hashes.
- `times.py`: times as the database keeps them (microseconds since the epoch, UTC).
- `schema.py`: the tables, and the upgrade of a database of an older station.
- `keys.py`: the key file outside the database, and scrypt for passwords.
- `auth.py`: tokens, logins, scopes and roles.
- `lockout.py`: failed logins: the lock of a user name or card, the slow-down of an address.
- `clients.py`: the OAuth clients: the demo client, or the server's own with its secret.
- `jobs/`: the rules of jobs, one function per request, called as `jobs.<function>`: `rows.py`
  (rows as models), `rules.py` (who sees what, reasons, refusals), `queries.py`, `changes.py`
  (patch, cancel), `spool.py`, `release.py`, `script.py`, `users.py` (me, users, projects),
  `audit.py` (`record`, the one way a change is audited, and reading the audit).
- `pricing.py`: the price list, pure functions on Decimal.
- `dialogs.py`: the duplex question and its signed state.
- `printing.py`: printing that takes time, failures refunded, expiry.
- `seed.py`: the demo data set (written by `Store.reset_to_seed`; it does not import the store).
- `run.py`: `EmbeddedServer` (uvicorn in a thread) and `serve()` (blocking).

Importing this package imports nothing heavy; import the module you need.
"""
