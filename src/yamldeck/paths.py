"""Turn build arguments (files, globs, folders, project files) into what to build.

Kept apart from the project-file loader so that deciding a batch is up to date imports
nothing heavy.
"""

from __future__ import annotations

import glob
import os
import re
from pathlib import Path

from .stamps import PROJECT_NAMES

# Decks in one run (files, globs, folders and project matrices together). A small deck
# builds in about 25 ms of a worker's time, so this many take a few minutes; a project
# matrix is refused from its axes' sizes before it is expanded. See README "Limits".
MAX_DECKS = 5_000


def real(path: Path | str) -> Path:
    """The absolute path with links followed, like Path.resolve(), but a link loop (a.png →
    b.png → a.png) stays a path that does not exist instead of raising RuntimeError."""
    return Path(os.path.realpath(path))


def is_project_file(path: Path) -> bool:
    return path.name in PROJECT_NAMES


_TITLE = re.compile(r"^title\s*:", re.M)


def expand(args: tuple[str, ...]) -> tuple[list[Path], list[Path], list[str]]:
    """Arguments to (outlines, project files, problems): files, globs and folders.

    A folder means its project file if it has one, else every YAML file in it that has a
    top-level ``title:`` (overlays and theme files have none).
    """
    outlines: list[Path] = []
    projects: list[Path] = []
    problems: list[str] = []
    for arg in args:
        # A file that exists by this very name wins over a pattern: `deck[1].yaml` is that
        # file, never deck1.yaml.
        literal = Path(arg).exists() or Path(arg).is_symlink()
        paths = (
            [Path(p) for p in sorted(glob.glob(arg))]
            if glob.has_magic(arg) and not literal
            else [Path(arg)]
        )
        if not paths:
            problems.append(f"no file matches '{arg}'")
        for path in paths:
            if path.is_dir():
                project = next((path / n for n in PROJECT_NAMES if (path / n).is_file()), None)
                if project:
                    projects.append(project)
                    continue
                found = [p for p in sorted(path.glob("*.y*ml")) if _looks_like_outline(p)]
                if not found:
                    problems.append(f"no outlines in folder '{arg}'")
                outlines.extend(found)
            elif path.is_file() and is_project_file(path):
                projects.append(path)
            elif path.is_file():
                outlines.append(path)
            elif path.exists():  # a FIFO would block the read forever, a device never ends
                problems.append(f"'{path}' is not a regular file")
            else:
                problems.append(f"no such file: '{path}'")
    return outlines, projects, problems


# An outline is at most this large (yamlsource.MAX_BYTES); never read more to sniff one.
_SNIFF_BYTES = 2_000_000


def _looks_like_outline(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES).decode("utf-8", errors="replace")
        return bool(_TITLE.search(head))
    except OSError:
        return False
