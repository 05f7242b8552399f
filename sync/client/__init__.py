"""The sync client: the laptop's side of push, pull and files (the sync issue builds it here).

It exists now so the import-linter contract can name it: the hub never imports it.
"""
