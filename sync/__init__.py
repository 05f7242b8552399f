"""Sync: the protocol (pydantic messages), merge rules, the client, and sync/hub/ (the server).

Imports no Qt. Built by the sync issues; the store already records what sync needs (UUIDs,
young-person scope, tombstones and per-field hybrid-clock stamps: see models/schema.py).
"""
