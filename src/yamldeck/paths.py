"""Turn build arguments (files, globs, folders, project files) into what to build.

Kept apart from the project-file loader so that deciding a batch is up to date imports
nothing heavy.
"""

from __future__ import annotations

import glob
import re
from pathlib import Path

PROJECT_NAMES = ("yamldeck.yaml", "yamldeck.yml")


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
        paths = [Path(p) for p in sorted(glob.glob(arg))] if glob.has_magic(arg) else [Path(arg)]
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
            elif is_project_file(path):
                projects.append(path)
            elif path.is_file():
                outlines.append(path)
            else:
                problems.append(f"no such file: '{path}'")
    return outlines, projects, problems


def _looks_like_outline(path: Path) -> bool:
    try:
        return bool(_TITLE.search(path.read_text(encoding="utf-8", errors="replace")))
    except OSError:
        return False
