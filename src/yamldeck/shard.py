"""Spread a batch over machines: ``--shard K/N`` and merging the shards' manifests.

A deck's shard is decided by a hash of what names it in the batch (its label and output
path, relative as written), so every machine given the same command and the same files
picks the same decks, and adding a deck never moves the others between shards.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

MAX_SHARDS = 10_000
_SPEC = re.compile(r"\s*(\d{1,6})\s*/\s*(\d{1,6})\s*")


def parse_shard(text: str) -> tuple[int, int]:
    """'2/8' → (2, 8); ValueError with the reason otherwise (K counts from 1)."""
    match = _SPEC.fullmatch(text)
    if not match:
        raise ValueError(f"expected K/N such as 1/4, found '{text}'")
    k, n = int(match.group(1)), int(match.group(2))
    if not 1 <= n <= MAX_SHARDS:
        raise ValueError(f"N must be from 1 to {MAX_SHARDS:,}, found {n}")
    if not 1 <= k <= n:
        raise ValueError(f"K must be from 1 to N ({n}), found {k}")
    return k, n


def shard_of(label: str, output: str, n: int) -> int:
    """The shard (1..n) a deck belongs to."""
    digest = hashlib.sha256(f"{label}\0{output}".encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % n + 1


def merge_manifests(manifests: list[dict[str, Any]]) -> dict[str, Any]:
    """One manifest from the shards' manifests, decks in the unsharded batch's order.

    Raises ValueError when they do not belong together (other versions or batches, a deck
    in two shards, a shard missing).
    """
    if not manifests:
        raise ValueError("no manifests to merge")
    versions = {m.get("yamldeck") for m in manifests}
    if len(versions) != 1:
        raise ValueError(
            f"manifests from different yamldeck versions: {sorted(map(str, versions))}"
        )
    totals = {m.get("shard", {}).get("of") for m in manifests}
    if len(totals) != 1 or None in totals:
        raise ValueError("every manifest must come from the same --shard K/N batch")
    (n,) = totals
    seen = sorted(m["shard"]["index"] for m in manifests)
    if seen != list(range(1, n + 1)):
        missing = sorted(set(range(1, n + 1)) - set(seen))
        twice = sorted({k for k in seen if seen.count(k) > 1})
        raise ValueError("shards " + (f"missing: {missing}" if missing else f"twice: {twice}"))
    decks = [d for m in manifests for d in m["decks"]]
    positions = [d["position"] for d in decks]
    if len(set(positions)) != len(positions):
        raise ValueError("a deck appears in two manifests")
    batch = {m.get("batch") for m in manifests}
    if len(batch) != 1:
        raise ValueError("the manifests come from different batches (other decks or options)")
    merged = {k: v for k, v in manifests[0].items() if k not in ("decks", "shard")}
    merged["decks"] = sorted(decks, key=lambda d: d["position"])
    return merged


def batch_id(entries: list[tuple[str, str]]) -> str:
    """A hash of the whole batch's deck list, so shards of other batches are not merged."""
    # ASCII escapes: a file name that is not UTF-8 (surrogate escapes) hashes too.
    return hashlib.sha256(json.dumps(entries, ensure_ascii=True).encode()).hexdigest()[:16]
