"""File names to suggest when the adviser saves a printed document (pure; no Qt, no disk).

"Amira – my plan (easy read) – 2026-11-20.pdf": the young person's preferred name in their own
script (Arabic, Ge'ez and Vietnamese letters are kept), what it is, and the date (ISO, so a folder
lists them in order). The result is a valid file name on Windows, macOS and Linux alike (never
one of Windows' reserved names such as CON: what follows the name rules that out).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from desktop.printing.theme import Variant

DASH = "\u2013"  # en dash, a legal character everywhere
MAX_NAME_BYTES = 200  # Linux and macOS allow 255 bytes per name, in UTF-8

_DOCUMENT = {
    Variant.STANDARD: "my plan (standard print)",
    Variant.LARGE: "my plan (large print)",
    Variant.EASY: "my plan (easy read)",
    Variant.PROFESSIONAL: "pathway plan (professional copy)",
}
# Characters no file system allows or Windows refuses, and the bidirectional overrides that can
# make "gpj.exe" look like "exe.jpg".
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]')


def safe_file_name_part(text: str) -> str:
    """``text`` made safe inside a file name: forbidden characters become spaces, runs of
    spaces one, no leading or trailing dots or spaces (Windows drops them)."""
    text = unicodedata.normalize("NFC", text)
    text = _FORBIDDEN.sub(" ", text)
    text = " ".join(text.split())
    return text.strip(" .")


def _finish(stem: str, suffix: str = ".pdf") -> str:
    stem = safe_file_name_part(stem) or "Pathway Desk"
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1].rstrip(" .")
    return stem + suffix


def _name(preferred_name: str) -> str:
    # A name is cut before the rest, so what the document is and its date always survive.
    name = safe_file_name_part(preferred_name) or "Young person"
    while len(name.encode("utf-8")) > MAX_NAME_BYTES // 2:
        name = name[:-1].rstrip(" .")
    return name


def plan_file_name(preferred_name: str, variant: Variant | str, on: date) -> str:
    """``<preferred name> – my plan (<variant>) – <date>.pdf``."""
    document = _DOCUMENT[Variant(variant)]
    return _finish(f"{_name(preferred_name)} {DASH} {document} {DASH} {on.isoformat()}")


def keepsake_file_name(preferred_name: str, on: date) -> str:
    return _finish(f"{_name(preferred_name)} {DASH} my memory box {DASH} {on.isoformat()}")


def export_file_name(preferred_name: str, on: date) -> str:
    """``<preferred name> – subject access export – <date>.zip``."""
    return _finish(f"{_name(preferred_name)} {DASH} subject access export {DASH} {on.isoformat()}",
                   ".zip")


def batch_file_name(month: date, variant: Variant | str, on: date) -> str:
    """Several plans in one file: ``Plans due for review, November 2026 (easy read) – <date>``."""
    kind = _DOCUMENT[Variant(variant)].split("(", 1)[1].rstrip(")")
    return _finish(f"Plans due for review, {month:%B %Y} ({kind}) {DASH} {on.isoformat()}")
