"""Read-only data files shipped with Pathway Desk (demo word lists and the like).

Always read them through these helpers, never through paths built from ``__file__``:
``importlib.resources`` also works from a wheel, a zip and a PyInstaller bundle (the bundle must
collect this package's data files, e.g. ``collect_data_files("resources")``).
"""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

__all__ = ["read_bytes", "read_json", "read_text", "resource_path"]


def resource_path(*parts: str) -> Traversable:
    """The resource at ``parts`` below this package: ``resource_path("demo", "names.json")``."""
    node = files(__name__)
    for part in parts:
        node = node.joinpath(part)
    return node


def read_bytes(*parts: str) -> bytes:
    return resource_path(*parts).read_bytes()


def read_text(*parts: str) -> str:
    return resource_path(*parts).read_text(encoding="utf-8")


def read_json(*parts: str) -> Any:
    return json.loads(read_text(*parts))
