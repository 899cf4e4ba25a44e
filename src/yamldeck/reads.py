"""The hash of exactly the bytes each YAML file was read as, for the build's stamp.

A build records what it read, not what is on disk when it finishes: a file saved while a
build runs must make the next build rebuild. Outlines, overlays and theme files are hashed
here at the moment they are read; other inputs are hashed by the build right after the
outline is parsed, before any of them is read.
"""

from __future__ import annotations

import hashlib

_READ: dict[str, str] = {}


def record(path: str, raw: bytes) -> None:
    _READ[path] = hashlib.sha256(raw).hexdigest()


def recorded(path: str) -> str | None:
    return _READ.get(path)


def forget_all() -> None:
    _READ.clear()
