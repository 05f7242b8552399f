"""The hub: the council's server that laptops enrol with and sync to.

FastAPI served by uvicorn over SQLAlchemy 2 (SQLite out of the box, PostgreSQL in production).
Nothing that matters lives in process memory, so any number of hub processes share one database.
Imports neither ``desktop`` nor the sync client nor the device store (an import-linter contract).
"""
