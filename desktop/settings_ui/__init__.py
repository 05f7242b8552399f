"""Dialogs for settings kept in the encrypted store (as opposed to QSettings preferences)."""
