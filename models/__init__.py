"""Pathway Desk domain model and encrypted local store.

This package never imports Qt, httpx or FastAPI (checked by import-linter).
"""
