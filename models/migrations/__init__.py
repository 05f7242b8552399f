"""Alembic migrations of the local store (applied when a store is opened; see models.migrate)."""
