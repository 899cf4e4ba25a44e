"""The `yamldeck` command's entry point: answer a no-op build before importing anything.

`yamldeck build` on an outline whose stamp still matches is the commonest run in a watch
loop or a Makefile. Deciding it needs only the cache (hashes of a few files), so this
module answers it without importing Click, the loader or any library. A plain build of
one outline that is not up to date (an edited bullet) is run without Click too, printing
through console.py as the command line does; anything else goes to the full command line
(cli.py). The cyclic garbage collector is paused until the build's heavy imports are
done (gcpause.py). Either way the process ends with
os._exit once its output is flushed: outputs are already written, closed and renamed, and
tearing down the interpreter's modules would only add time.
"""

from __future__ import annotations

import os
import sys

# The options the quick path understands; any other argument means the full CLI.
_FLAGS = {"-q", "--quiet"}
_VALUED = {"-o": "output", "--output": "output", "--cache": "cache"}


def _parse(argv: list[str]) -> dict | None:
    if not argv or argv[0] != "build":
        return None
    found: dict = {"decks": [], "quiet": False, "output": None, "cache": ".yamldeck-cache"}
    args = iter(argv[1:])
    for arg in args:
        if arg in _FLAGS:
            found["quiet"] = True
        elif arg in _VALUED:
            value = next(args, None)
            if value is None:
                return None
            found[_VALUED[arg]] = value
        elif arg.startswith("--output=") or arg.startswith("--cache="):
            key, value = arg[2:].split("=", 1)
            found[key] = value
        elif arg.startswith("-"):
            return None
        else:
            found["decks"].append(arg)
    return found


def _single_outline(args: dict) -> str | None:
    """The one outline a parsed build names (or deck.yaml), if it is a plain file."""
    from . import stamps

    if len(args["decks"]) > 1:
        return None
    if args["decks"]:
        deck = args["decks"][0]
        base = os.path.basename(deck)
        if not base.lower().endswith((".yaml", ".yml")) or base in stamps.PROJECT_NAMES:
            return None
        if any(c in deck for c in "*?["):
            return None
    elif any(os.path.exists(n) for n in stamps.PROJECT_NAMES):
        return None
    else:
        deck = "deck.yaml"
    if not os.path.isfile(deck) or stamps.source_date_epoch_problem():
        return None
    return deck


def quick_noop(argv: list[str]) -> int | None:
    """Exit code 0 if ``argv`` is a build whose single output is up to date, else None."""
    args = _parse(argv)
    if args is None:
        return None
    deck = _single_outline(args)
    if deck is None:
        return None
    from . import stamps

    stem = os.path.basename(deck).rsplit(".", 1)[0]
    output = args["output"] or os.path.join("build", f"{stem}.pptx")
    root = args["cache"]
    if os.path.islink(root) or not os.path.isdir(root) or stamps.tag_is_ours(root) is not True:
        return None  # no cache, or one the full command must look at (and report)
    stamp = stamps.up_to_date(root, output, stamps.options_key())
    if stamp is None:
        return None
    if stamp.get("warnings"):
        from .errors import Diagnostic

        for data in stamp["warnings"]:
            print(Diagnostic.from_dict(data).format(), file=sys.stderr)
    if not args["quiet"]:
        print(f"up to date: {output}")
    return 0


def quick_build(argv: list[str]) -> int | None:
    """Build a plain `yamldeck build [DECK] [-q] [--cache DIR]` of one outline to its usual
    output without importing Click (30 ms of an edited deck's rebuild); None for anything
    else, which the full command line handles. Both print through console.py."""
    args = _parse(argv)
    if args is None or args["output"] is not None:
        return None
    if os.path.lexists(args["cache"]) and not os.path.isdir(args["cache"]):
        return None  # Click's own message for a --cache that is a file
    deck = _single_outline(args)
    if deck is None:
        return None
    from pathlib import Path

    from .paths import expand

    outlines, projects, problems = expand((deck,))
    if problems or projects or len(outlines) != 1:
        return None  # the command line says what is wrong
    from .build import BuildOptions, Task
    from .console import EXIT_INTERRUPTED, INTERRUPTED, cpus, echo, run_builds

    path = outlines[0]
    task = Task(path, Path("build") / f"{path.stem}.pptx", BuildOptions(), str(path))
    try:
        return run_builds([task], cpus(), args["cache"], quiet=args["quiet"])[1]
    except KeyboardInterrupt:
        echo(INTERRUPTED, err=True)
        return EXIT_INTERRUPTED


def main() -> None:
    """Run `yamldeck`: the quick no-op answer, else the full command line."""
    argv = sys.argv[1:]
    from .gcpause import pause

    pause()  # resumed once the build's heavy imports are done
    code: object = None
    try:
        code = quick_noop(argv)
    except Exception:
        code = None
    if code is None:
        try:
            code = quick_build(argv)
        except SystemExit as exc:  # the cache folder cannot be used: said, exit 1
            code = exc.code
            if code is None:
                code = 0
    if code is None:
        from .cli import main as cli

        try:
            cli.main(args=argv, prog_name="yamldeck")
            code = 0
        except SystemExit as exc:
            code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)
