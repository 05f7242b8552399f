"""JSON through msgspec where it can, the standard library where msgspec cannot.

A team's first sync parses some 50 MB of changes and writes half as much JSON back (each
record's stamps, the change log). msgspec does both several times faster than the standard
library, with the same values:

- :func:`loads` keeps integers exact however long (as ``json`` does), and hands what msgspec
  refuses (a string with a lone surrogate escape) to the standard library. Neither accepts
  ``NaN``, ``Infinity`` or a number too large for a float: they are not JSON (RFC 8259), so
  every value read here writes back as it came.
- :func:`dumps` writes compact UTF-8 JSON (no spaces); what msgspec cannot write (a string
  holding a lone surrogate) goes to the standard library.
"""

from __future__ import annotations

import json
import math
from typing import Any

import msgspec

_decoder = msgspec.json.Decoder()
_encoder = msgspec.json.Encoder()


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def loads(data: bytes | bytearray | str) -> Any:
    """The value ``data`` holds; ``ValueError`` if it is not valid JSON."""
    try:
        return _decoder.decode(data)
    except msgspec.DecodeError:
        pass
    # The standard library accepts what msgspec does not (lone surrogates) and refuses the rest.
    return json.loads(data, parse_constant=_no_constant, parse_float=_finite)


def dumps(value: Any) -> str:
    """``value`` as compact JSON text."""
    return dumpb(value).decode()


def dumpb(value: Any) -> bytes:
    """``value`` as compact UTF-8 JSON bytes."""
    try:
        return _encoder.encode(value)
    except UnicodeEncodeError:  # a lone surrogate
        return json.dumps(value, separators=(",", ":")).encode()
