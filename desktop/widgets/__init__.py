"""Widgets shared by several feature packages: the text edit that keeps a draft while typed, the
date edit that may be empty, and the "added by" choice of documents and memories."""
