"""`yamldeck watch`: rebuild decks when their files change, until interrupted.

Polling file sizes and modification times says *when* to look; the content-hash cache
then decides what really needs rebuilding, so saving a file unchanged rebuilds nothing.
Changes are debounced: editors often write a file in several steps. A save that leaves
every file's content as it was rebuilds and prints nothing, so each problem is printed
once per real change.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from .build import BuildResult, Task, build_many
from .stamps import file_hash


def _fingerprint(paths: set[str]) -> dict[str, tuple[int, int] | None]:
    out: dict[str, tuple[int, int] | None] = {}
    for path in sorted(paths):
        try:
            st = Path(path).stat()
            out[path] = (st.st_mtime_ns, st.st_size)
        except OSError:
            out[path] = None
    return out


def _warm_up() -> None:
    """Import what a rebuild may need now, while the user is still typing: builds run in
    this process, so an edited bullet costs planning and writing only."""
    for module in ("yamldeck.charts", "yamldeck.writer", "yamldeck.deck", "yamldeck.fitplan"):
        try:
            __import__(module)
        except Exception:  # a missing optional piece shows up in the build that needs it
            pass
    from .gcpause import resume

    resume()  # a long-running process: collect as usual, never rescanning the imports


def _contents(paths: set[str]) -> dict[str, str | None]:
    return {path: file_hash(Path(path)) for path in sorted(paths)}


def _watched(task: Task, result: BuildResult | None) -> set[str]:
    paths = {str(task.outline.resolve()), *(str(p.resolve()) for p in task.options.overlays)}
    if result is not None:
        paths |= set(result.inputs)
    return paths


def watch(
    tasks: list[Task],
    cache_dir: Path,
    report: Callable[[BuildResult], None],
    stop: Callable[[], bool],
    interval: float = 0.2,
    debounce: float = 0.05,
) -> None:
    results = build_many(tasks, 1, cache_dir)
    for result in results:
        report(result)
    prints = [_fingerprint(_watched(t, r)) for t, r in zip(tasks, results)]
    contents = [_contents(_watched(t, r)) for t, r in zip(tasks, results)]
    _warm_up()  # after the baselines: a save made meanwhile is seen as a change
    while not stop():
        time.sleep(interval)
        changed = [
            i for i, t in enumerate(tasks) if _fingerprint(_watched(t, results[i])) != prints[i]
        ]
        if not changed:
            continue
        time.sleep(debounce)
        for i in changed:
            before = contents[i]
            contents[i] = _contents(_watched(tasks[i], results[i]))
            prints[i] = _fingerprint(_watched(tasks[i], results[i]))
            if contents[i] == before:
                continue  # saved or touched without a change: nothing to say again
            [results[i]] = build_many([tasks[i]], 1, cache_dir)
            report(results[i])
            prints[i] = _fingerprint(_watched(tasks[i], results[i]))
            contents[i] = _contents(_watched(tasks[i], results[i]))
