"""The embedded reference server: the contract (`api-contract.md`) over FastAPI and SQLite.

- `app.py`: `ServerSettings`, `create_app(settings)`: the routes, error bodies everywhere.
- `deps.py`: what every route needs from a request: the caller, ids, the reason, paging.
- `printers.py`: the vendor's release at a printer (`printAll`, `jobs/release` with options).
- `people.py`: the vendor's `users/find` and `users/{id}/accounts`.
- `vendor.py`: vendor mode (`api="vendor"`): only the vendor's API, in its shapes.
- `shapes.py`: reply shapes beyond the profile's models (the vendor's job, user, accounts...).
- `print_options.py`: how a job prints with release options, and what it then costs.
- `store.py`: `Store`: SQLite (WAL), one transaction per change, secrets only as hashes.
- `schema.py`: the tables, and the upgrade of a database of an older station.
- `keys.py`: the key file outside the database, and scrypt for passwords.
- `auth.py`: tokens, logins, scopes and roles.
- `lockout.py`: failed logins: the lock of a user name or card, the slow-down of an address.
- `clients.py`: the OAuth clients: the demo client, or the server's own with its secret.
- `jobs.py`: the rules of jobs: reading, changing, spooling, releasing, the dialog, audit.
- `pricing.py`: the price list, pure functions on Decimal.
- `dialogs.py`: the duplex question and its signed state.
- `printing.py`: printing that takes time, failures refunded, expiry.
- `seed.py`: the demo data set.
- `run.py`: `EmbeddedServer` (uvicorn in a thread) and `serve()` (blocking).

Importing this package imports nothing heavy; import the module you need.
"""
