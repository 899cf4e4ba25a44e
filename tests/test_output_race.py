"""Decks of one batch that create the same output folder at once do not fail each other.

``yamldeck build a.yaml b.yaml`` builds in parallel processes; each makes ``build/`` when it
is missing. One that saw no folder, then found the path existing because another had just
made it, reported "cannot write 'build': it is a file, not a folder" (seen in
tests/test_cli.py::test_build_several_decks_names_outputs_by_stem under load).
"""

from __future__ import annotations

import multiprocessing
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from yamldeck.outputs import prepare_folder

WORKERS = 6
ROUNDS = 400  # the race showed in ~1 of 100 rounds before the fix


def make(root: str) -> str | None:
    try:
        prepare_folder(Path(root) / "build" / "deck.pptx")
    except OSError as exc:
        return repr(exc)
    return None


def test_processes_making_the_same_output_folder_at_once_all_succeed():
    context = multiprocessing.get_context("forkserver")
    with (
        tempfile.TemporaryDirectory() as base,
        ProcessPoolExecutor(WORKERS, mp_context=context) as pool,
    ):
        failures = []
        for n in range(ROUNDS):
            root = Path(base) / str(n)
            root.mkdir()
            failures += [f for f in pool.map(make, [str(root)] * WORKERS) if f]
            assert (root / "build").is_dir()
    assert failures == []
