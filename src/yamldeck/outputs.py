"""Where a build may write: never over an input, never over a file the user owns.

An output must end in ``.pptx``, must not be any file the build reads (outline, overlays,
theme file, data, images, template), and may replace an existing file only when that file
is a deck yamldeck wrote (its core properties say "last modified by yamldeck"). A deck the
user opened and saved again in PowerPoint is theirs and is not replaced.

Problems of the environment (a read-only folder, a full disk, a name too long) become
one-line errors naming the path and the cause; they are not yamldeck bugs.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from .errors import Diagnostic, Pos, error
from .paths import real

# docProps/core.xml of a deck is a few hundred bytes; never read more than this of it.
MAX_CORE_BYTES = 64_000
_OURS = re.compile(rb"<cp:lastModifiedBy>yamldeck</cp:lastModifiedBy>")


def written_by_yamldeck(path: Path) -> bool:
    """True if ``path`` is a .pptx package whose core properties name yamldeck."""
    import zipfile

    try:
        if not path.is_file():  # a FIFO would block the open, a device never end
            return False
        with zipfile.ZipFile(path) as package:
            info = package.getinfo("docProps/core.xml")
            if info.file_size > MAX_CORE_BYTES:
                return False
            return bool(_OURS.search(package.read(info)))
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError, EOFError):
        return False


def check_output(output: Path, inputs: list[Path]) -> Diagnostic | None:
    """Why ``output`` must not be written, as an error; None when it may be."""
    where = Pos(str(output))
    if output.suffix.lower() != ".pptx":
        return error(
            where, "", f"output '{output}' does not end in .pptx", "name the output something.pptx"
        )
    try:
        target = real(output)
        for path in inputs:
            if real(path) == target:
                return error(
                    where,
                    "",
                    f"output '{output}' is one of this build's inputs; refusing to overwrite it",
                    "choose another output name",
                )
        if target.is_dir():
            return error(
                where, "", f"output '{output}' is a folder", "give a file name ending in .pptx"
            )
        for above in (output.parent, *output.parent.parents):
            if above.exists():  # a file where the output's folder goes: say so before
                if not above.is_dir():  # the charts are drawn, not after
                    raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(above))
                break
        if target.exists() and not target.is_file():
            return error(
                where, "", f"output '{output}' is not a regular file", "choose another output name"
            )
        if target.exists() and not written_by_yamldeck(target):
            return error(
                where,
                "",
                f"'{output}' exists and is not a deck yamldeck wrote "
                "(or it was saved again in PowerPoint); refusing to overwrite it",
                "move or rename it, or choose another output name",
            )
    except OSError as exc:
        return environment_error(exc, output)
    return None


def prepare_folder(output: Path, anywhere: bool = True) -> None:
    """Create the output's missing folders.

    ``build/`` and a project's ``build/{audience}/`` are made as needed (``anywhere``); for
    a path the user typed (``-o``), only below the current folder: elsewhere a folder that
    does not exist is a typo to report, not a tree to create.
    """
    parent = output.parent
    if parent.is_dir():
        return
    for above in parent.parents if not parent.exists() else ():
        if above.exists():
            if not above.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(above))
            break
    if parent.exists():
        if parent.is_dir():  # made meanwhile by another deck of the same batch
            return
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(parent))
    here = Path.cwd().resolve()
    if anywhere or parent.resolve().is_relative_to(here):
        parent.mkdir(parents=True, exist_ok=True)
        return
    raise FileNotFoundError(errno.ENOENT, _NO_FOLDER, str(parent))


_NO_FOLDER = "folder does not exist"
_CAUSES = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "read-only file system",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOENT: "folder does not exist",
    errno.ENOTDIR: "it is a file, not a folder",
    errno.EISDIR: "is a folder",
}


def environment_error(exc: OSError, path: Path, verb: str = "write") -> Diagnostic:
    """A one-line error for a problem of the machine, not of the outline."""
    cause = _CAUSES.get(exc.errno or 0) or exc.strerror or type(exc).__name__
    named = exc.filename if exc.filename is not None else path
    name = os.fsdecode(named) if isinstance(named, (bytes, str)) else str(named)
    if exc.errno == errno.ENOENT and exc.strerror != _NO_FOLDER and _parent_is_folder(name):
        cause = "no file can be created in that folder"  # /proc, a read-only mount point
    if len(name) > 300:
        name = name[:150] + "…" + name[-100:]
    return error(Pos(str(path)[:300]), "", f"cannot {verb} '{name}': {cause}")


def _parent_is_folder(name: str) -> bool:
    try:
        return Path(name).parent.is_dir()
    except (OSError, ValueError):
        return False
