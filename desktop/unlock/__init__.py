"""Unlocking an encrypted store, or creating a new one."""
