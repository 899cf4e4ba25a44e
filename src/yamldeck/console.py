"""What `yamldeck build` prints and the exit codes it picks, without Click.

The command line (cli.py) and the quick path of a plain `yamldeck build [DECK]` (entry.py,
which skips importing Click: a fifth of an edited deck's rebuild) share this module, so
both print the same lines and exit with the same codes.

Exit codes: 0 built or valid; 1 an outline or its data is wrong; 2 usage error;
3 only warnings, with --strict; 130 interrupted.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

EXIT_INVALID = 1
EXIT_STRICT = 3
EXIT_INTERRUPTED = 130  # as a shell reports Ctrl-C
# Worker processes (and LibreOffice runs) at once: each worker holds matplotlib and
# python-pptx (about 150 MB), so more than this exhausts memory, not the batch. README "Limits".
MAX_JOBS = 64
INTERRUPTED = "\ninterrupted: decks already written are complete; no deck was left half-written"


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    """Print a line; a file name that is not UTF-8 (surrogate escapes, e.g. a CP932 name
    from a Windows zip) is shown as escapes instead of failing to print."""
    stream = sys.stderr if err else sys.stdout
    text = message.encode("utf-8", "backslashreplace").decode("utf-8") + ("\n" if nl else "")
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a stream set to ASCII (PYTHONIOENCODING): UTF-8, as Click
        buffer = getattr(stream, "buffer", None)
        if buffer is None:
            encoding = stream.encoding or "ascii"
            stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
        else:
            stream.flush()
            buffer.write(text.encode("utf-8", "backslashreplace"))
            buffer.flush()
    stream.flush()


def cpus() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_JOBS))


def report(result, quiet: bool = False) -> None:
    """Print a result's diagnostics; with ``quiet``, only problems (no notes)."""
    for diagnostic in result.diagnostics:
        if quiet and diagnostic.severity.value == "note":
            continue
        echo(diagnostic.format(), err=True)


def exit_code(results, strict: bool) -> int:
    if any(not r.ok and r.status != "strict" for r in results):
        return EXIT_INVALID
    if strict and any(r.warnings or r.status == "strict" for r in results):
        return EXIT_STRICT
    return 0


class Progress:
    """One updating line on a terminal; plain lines otherwise; nothing but errors if quiet."""

    def __init__(self, total: int, quiet: bool, verbose: bool):
        self.total, self.quiet, self.verbose = total, quiet, verbose
        self.live = total > 1 and not quiet and sys.stderr.isatty()
        self.failed = 0

    def start(self, task) -> None:
        if self.live:
            echo(f"\r\x1b[K[…/{self.total}] {task.display}", err=True, nl=False)

    def done(self, result, done: int, total: int) -> None:
        if self.live:
            echo("\r\x1b[K", err=True, nl=False)
        report(result, self.quiet)
        self.failed += not result.ok
        if not self.quiet:
            echo(self.line(result))
        if self.live:
            tail = f", {self.failed} failed" if self.failed else ""
            echo(f"[{done}/{total}{tail}] {result.source}", err=True, nl=False)

    def line(self, result) -> str:
        seconds = result.timings.get("total")
        extra = ""
        if self.verbose:
            stages = ", ".join(f"{k} {v:.2f} s" for k, v in result.timings.items())
            extra = f"; charts {result.charts_rendered} drawn, {result.charts_cached} cached"
            extra = f" [{stages}{extra}]"
        if result.status == "built":
            timing = f", {seconds:.1f} s" if seconds is not None and self.total > 1 else ""
            return f"wrote {result.output} ({result.slides} slides{timing}){extra}"
        if result.status == "skipped":
            return f"up to date: {result.output}{extra}"
        if result.status == "strict":
            return f"not written (warnings under --strict): {result.source}"
        return f"failed: {result.source}"

    def finish(self, results, seconds: float) -> None:
        if self.live:
            echo("\r\x1b[K", err=True, nl=False)
        if len(results) > 1 or self.verbose:
            counts = {
                s: sum(r.status == s for r in results)
                for s in ("built", "skipped", "strict", "failed")
            }
            words = [f"{counts['built']} built", f"{counts['skipped']} up to date"]
            if counts["strict"]:
                words.append(f"{counts['strict']} held back by --strict")
            words.append(f"{counts['failed']} failed")
            echo(f"{len(results)} decks: {', '.join(words)} in {seconds:.1f} s")


def usable_cache(cache_dir: str) -> Path:
    """The cache folder, or exit 1 with why it cannot be one (a file, a folder not ours)."""
    from .cache import BuildCache, CacheError

    try:
        BuildCache(Path(cache_dir)).check()
    except CacheError as exc:
        echo(f"error: {exc}", err=True)
        echo("  hint: pass --cache with a new folder name, or remove what is there", err=True)
        sys.exit(EXIT_INVALID)
    except OSError as exc:
        echo(f"error: cannot use cache folder '{cache_dir}': {exc.strerror or exc}", err=True)
        sys.exit(EXIT_INVALID)
    return Path(cache_dir)


def run_builds(
    tasks: list,
    jobs: int,
    cache_dir: str,
    force: bool = False,
    quiet: bool = False,
    verbose: bool = False,
    strict: bool = False,
    before: Callable[[], None] | None = None,
) -> tuple[list, int]:
    """Build ``tasks`` with a progress report: (results, exit code). ``before`` runs once
    the cache is known usable, before anything is built (the manifest's checks)."""
    from .build import build_many

    started = time.perf_counter()
    progress = Progress(len(tasks), quiet, verbose)
    cache = usable_cache(cache_dir)
    if before is not None:
        before()
    results = build_many(tasks, jobs, cache, force, on_done=progress.done, on_start=progress.start)
    progress.finish(results, time.perf_counter() - started)
    return results, exit_code(results, strict)
