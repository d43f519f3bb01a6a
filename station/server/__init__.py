"""The embedded reference server: the contract (`api-contract.md`) over FastAPI and SQLite.

- `app.py`: `ServerSettings`, `create_app(settings)`: the routes, error bodies everywhere.
- `store.py`: `Store`: SQLite (WAL), one transaction per change, secrets only as hashes.
- `auth.py`: tokens, logins, lockout, scopes and roles.
- `jobs.py`: the rules of jobs: reading, changing, spooling, releasing, the dialog, audit.
- `pricing.py`: the price list, pure functions on Decimal.
- `dialogs.py`: the duplex question and its signed state.
- `printing.py`: printing that takes time, failures refunded, expiry.
- `seed.py`: the demo data set.
- `run.py`: `EmbeddedServer` (uvicorn in a thread) and `serve()` (blocking).

Importing this package imports nothing heavy; import the module you need.
"""
