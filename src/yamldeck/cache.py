"""The build cache: content hashes decide what to rebuild, never modification times.

Two kinds of entries live under one folder (``.yamldeck-cache/`` by default):

- ``stamps/``: for each output, the hash of every input it was built from (outline,
  overlays, theme file, CSVs, images, template), the options, yamldeck's version and the
  output's own hash. A deck whose stamp still matches is up to date without even parsing
  its YAML, so a no-op rebuild imports neither matplotlib nor python-pptx.
- ``widths/``: the widths of the characters measured for fitting, per set of font files,
  so that an edited bullet does not open the fonts again.
- ``versions/``: the versions of yamldeck and its libraries, under a digest of the files
  they come from (stamps.known_versions), so that a no-op need not compute them.
- ``wraps/``: for each output, how its last build broke each text into lines, so that
  an edited bullet breaks only the text that changed.
- ``charts/``: PNGs keyed by a hash of the planned chart (spec and data after transforms,
  size), the theme's colours and fonts, and library versions, so editing a bullet
  re-renders no chart.

Every write goes to a temporary file and is renamed into place, so parallel workers never
see half an entry; two workers writing the same key write the same bytes. Each chart entry
carries a hash of its key and bytes and is checked when read: a truncated, damaged or
swapped entry is redrawn, never served.

The folder is marked as ours by a ``CACHEDIR.TAG`` file (the standard cache-directory tag,
which backup tools also honour); ``clean`` deletes only a folder so marked, and only the
entries yamldeck made in it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .stamps import (
    TAG_NAME,
    TAG_OURS,
    TAG_TEXT,
    keep_versions,
    library_versions,
    stamp_path,
)
from .stamps import read_stamp as _read_stamp
from .stamps import up_to_date as _up_to_date

DEFAULT_DIR = Path(".yamldeck-cache")
CHART_MAGIC = b"YDCHART1"
ENTRY_DIRS = ("stamps", "charts", "widths", "wraps", "versions")
WRAPS_MAGIC = "yamldeck wraps 1"
WIDTHS_MAGIC = "yamldeck widths 1"
#: Character widths kept for the next build (each character, regular and bold, ~30 bytes
#: of JSON): a deck whose characters would take the file past this is measured as usual,
#: only not remembered. README "Limits".
MAX_WIDTHS_KEPT = 50_000
_ENTRY_NAME = re.compile(r"\.?[0-9a-f]{16,64}(\.json|\.png|\.bin|\.claim)(\.[^/]*\.tmp)?")


def _is_entry(item: Path) -> bool:
    """A file yamldeck writes into stamps/ or charts/ (or a temporary one of them)."""
    return _ENTRY_NAME.fullmatch(item.name) is not None and not item.is_symlink() and item.is_file()


class CacheError(Exception):
    """The cache folder cannot be used (a file in its place, no permission, not ours)."""


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, flush it to disk, rename it.

    Readers see the old file or the new one, never half of one, whenever the process is
    killed. Temporary files left by a killed writer more than a minute ago are removed.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = None
    try:
        fd, tmp = _create_temporary(target)
        _WRITING.add(tmp)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        # Name the file the user asked for, not our temporary one beside it.
        raise type(exc)(exc.errno, exc.strerror, str(target)) from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        _WRITING.discard(tmp)
    _remove_stale_temporaries(target)


_WRITING: set[str] = set()  # temporary files being written by this process


def _create_temporary(target: Path) -> tuple[int, str]:
    """A new file beside ``target``, named as tempfile.mkstemp names one (prefix, random
    part, .tmp) and opened the same way (exclusive, mode 600); without importing tempfile,
    whose random module is 4 ms of an edited deck's rebuild."""
    prefix = os.path.join(target.parent, _temp_prefix(target.name))
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL  # and binary (Windows), as tempfile does
    for extra in ("O_CLOEXEC", "O_NOFOLLOW", "O_BINARY"):
        flags |= getattr(os, extra, 0)
    for _ in range(100):
        name = f"{prefix}{os.urandom(6).hex()}.tmp"
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", prefix)


def forget_temporaries() -> None:
    """Remove the temporary files this process is writing (it is about to be stopped)."""
    for tmp in list(_WRITING):
        try:
            os.unlink(tmp)
        except OSError:
            pass


STALE_SECONDS = 60
# A file name holds at most 255 bytes: the temporary name keeps the start of a long
# target name and a hash of all of it, so any name that fits gets a temporary that fits.
_TEMP_NAME_BYTES = 100


def _temp_prefix(name: str) -> str:
    if len(name.encode("utf-8", "surrogateescape")) <= _TEMP_NAME_BYTES:
        return f".{name}."
    head = name.encode("utf-8", "surrogateescape")[:60].decode("utf-8", "ignore")
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return f".{head}~{digest}."


# A worker draws a chart in well under a second; a claim this old was left by a killed one.
CLAIM_STALE_SECONDS = 30
CLAIM_WAIT_SECONDS = 60


def _remove_stale_temporaries(target: Path) -> None:
    try:
        for old in target.parent.glob(f"{glob_escape(_temp_prefix(target.name))}*.tmp"):
            if time.time() - old.stat().st_mtime > STALE_SECONDS:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)


@dataclass
class Stamp:
    """What one output was built from."""

    output: str
    output_hash: str
    inputs: dict[str, str]
    options: str
    versions: str
    slides: int = 0
    warnings: list[str] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)  # the chart entries the output used
    pages: list[list] = field(default_factory=list)  # [digest, slide part, notes part]
    template: str = ""  # the template the deck was written on (its path as planned)


class BuildCache:
    """Stamps and chart pictures under ``root``; failing writes never fail a build."""

    def __init__(self, root: Path = DEFAULT_DIR):
        self.root = root
        self.problems: list[str] = []  # cache writes that failed, reported once per build

    def check(self) -> None:
        """Raise CacheError if ``root`` cannot be a cache: a file, or a folder not ours."""
        if self.root.is_symlink() and not self.root.exists():
            raise CacheError(f"cache folder '{self.root}' is a broken link")
        if self.root.exists() and not self.root.is_dir():
            raise CacheError(f"cache folder '{self.root}' is a file, not a folder")
        if self.root.is_dir() and not self.is_ours():
            why = (
                f"it holds another program's {TAG_NAME}"
                if self._tag() is not None
                else f"it has no {TAG_NAME}"
            )
            raise CacheError(
                f"'{self.root}' is not a yamldeck cache ({why}); refusing to write into it"
            )

    def is_ours(self) -> bool:
        """True for a folder yamldeck made: tagged, or an untagged one from before the tag
        holding only yamldeck's own entries (an empty folder counts as ours to adopt)."""
        tag = self._tag()
        if tag is not None:
            # Other tools (cargo, borg, pip …) write the same standard signature line: only
            # a tag that also carries yamldeck's own line makes a folder ours.
            return tag.startswith(TAG_TEXT[:TAG_OURS])
        try:
            entries = list(self.root.iterdir())
        except OSError:
            return False
        for entry in entries:
            if entry.name not in ENTRY_DIRS or entry.is_symlink() or not entry.is_dir():
                return False
            for item in entry.iterdir():
                if not _is_entry(item):
                    return False
        return True

    def _tag(self) -> str | None:
        """The text of the folder's CACHEDIR.TAG (first 1 kB), or None without one."""
        try:
            with open(self.root / TAG_NAME, "rb") as handle:
                return handle.read(1024).decode("utf-8", "replace")
        except OSError:
            return None

    def _write(self, target: Path, data: bytes) -> None:
        """Write an entry; on failure remember why and go on (a cache is an optimisation)."""
        try:
            if not self.root.is_dir():
                self.root.mkdir(parents=True, exist_ok=True)
            tag = self.root / TAG_NAME
            if not tag.is_file():
                write_atomic(tag, TAG_TEXT.encode())
            write_atomic(target, data)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            message = f"cache not written ({reason}: {exc.filename or target})"
            if message not in self.problems:
                self.problems.append(message)

    # --------------------------------------------------------------- stamps

    def _stamp_path(self, output: Path) -> Path:
        # fsencode: a file name need not be UTF-8 (a CP932 name from a Windows zip).
        return Path(stamp_path(self.root, output))

    def read_stamp(self, output: Path) -> Stamp | None:
        data = _read_stamp(self.root, output)
        try:
            return Stamp(**data) if data is not None else None
        except TypeError:
            return None

    def write_stamp(self, output: Path, stamp: Stamp) -> None:
        # ASCII escapes keep a path that is not UTF-8 (surrogate escapes) readable back.
        data = json.dumps(asdict(stamp), ensure_ascii=True, sort_keys=True, indent=1)
        self._write(self._stamp_path(output), data.encode("ascii"))
        keep_versions(self.root)  # for the next no-op to compare the stamp with

    def forget(self, output: Path) -> None:
        """Drop the stamp of ``output`` so that its next build rebuilds."""
        try:
            self._stamp_path(output).unlink(missing_ok=True)
        except OSError:
            pass

    def up_to_date(self, output: Path, options: str) -> Stamp | None:
        """The stamp, if every recorded input and the output itself are unchanged."""
        data = _up_to_date(self.root, output, options)
        try:
            return Stamp(**data) if data is not None else None
        except TypeError:
            return None

    # --------------------------------------------------------------- charts

    def chart_path(self, key: str) -> Path:
        return self.root / "charts" / f"{key}.bin"

    def claim_chart(self, key: str) -> bool:
        """Claim drawing ``key`` for this process; False if another worker holds the claim.

        A claim is a file created exclusively beside the entry; one older than
        CLAIM_STALE_SECONDS belongs to a killed worker and is taken over.
        """
        path = self.root / "charts" / f"{key}.claim"
        for _ in range(2):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
                return True
            except FileExistsError:
                try:
                    if time.time() - path.stat().st_mtime < CLAIM_STALE_SECONDS:
                        return False
                    path.unlink()
                except OSError:
                    return False
            except OSError:
                return True  # no claims possible (read-only cache): just draw
        return False

    def release_chart(self, key: str) -> None:
        try:
            (self.root / "charts" / f"{key}.claim").unlink(missing_ok=True)
        except OSError:
            pass

    def wait_chart(self, key: str, since: float = 0.0) -> bytes | None:
        """The entry another worker is drawing, once it is there; None if its claim goes
        away without an entry or it takes longer than CLAIM_WAIT_SECONDS."""
        claim = self.root / "charts" / f"{key}.claim"
        deadline = time.monotonic() + CLAIM_WAIT_SECONDS
        while time.monotonic() < deadline:
            png = self.get_chart(key, since)
            if png is not None:
                return png
            if not claim.exists():
                return self.get_chart(key, since)
            time.sleep(0.02)
        return None

    def get_chart(self, key: str, since: float = 0.0) -> bytes | None:
        """The cached picture for ``key``, or None when absent or not exactly what was put.

        An entry is MAGIC, sha256(key + picture), picture: truncating, editing or swapping
        entries between keys makes the check fail, and the chart is drawn again. With
        ``since`` (a --force batch's start), an entry written before it counts as absent.
        """
        try:
            path = self.chart_path(key)
            if since and path.stat().st_mtime < since:
                return None  # older than this --force batch: draw it again
            raw = path.read_bytes()
        except OSError:
            return None
        head = len(CHART_MAGIC) + 32
        if len(raw) <= head or not raw.startswith(CHART_MAGIC):
            return None
        png = raw[head:]
        if hashlib.sha256(key.encode() + png).digest() != raw[len(CHART_MAGIC) : head]:
            return None
        return png

    def has_charts(self, keys: list[str]) -> bool:
        """Whether an entry exists for every key (not read: a hint, not a promise)."""
        return all(self.chart_path(key).is_file() for key in keys)

    def put_chart(self, key: str, png: bytes) -> None:
        digest = hashlib.sha256(key.encode() + png).digest()
        self._write(self.chart_path(key), CHART_MAGIC + digest + png)

    # --------------------------------------------------------------- widths

    def widths_path(self, identity: str) -> Path:
        return self.root / "widths" / f"{hashlib.sha256(identity.encode()).hexdigest()[:32]}.json"

    def read_widths(self, identity: str) -> dict[tuple[str, bool], float]:
        """Character widths kept by an earlier build measuring with the fonts ``identity``
        names; empty when there are none or the entry is not exactly what was written."""
        try:
            data = json.loads(self.widths_path(identity).read_bytes())
            rows = data["widths"]
            if (
                data["magic"] != WIDTHS_MAGIC
                or data["identity"] != identity
                or data["digest"] != _rows_digest(identity, rows)
                or len(rows) > MAX_WIDTHS_KEPT
            ):
                return {}
            widths = {}
            for ch, bold, width in rows:
                if not (isinstance(ch, str) and 0 < len(ch) <= 4 and isinstance(bold, bool)):
                    return {}
                if not (isinstance(width, float) and 0.0 <= width <= 16.0):
                    return {}
                widths[(ch, bold)] = width
            return widths
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return {}

    def write_widths(self, identity: str, widths: dict[tuple[str, bool], float]) -> None:
        if len(widths) > MAX_WIDTHS_KEPT:
            return
        rows = [[ch, bold, width] for (ch, bold), width in sorted(widths.items())]
        data = {
            "magic": WIDTHS_MAGIC,
            "identity": identity,
            "digest": _rows_digest(identity, rows),
            "widths": rows,
        }
        self._write(self.widths_path(identity), json.dumps(data).encode("ascii"))

    # --------------------------------------------------------------- wraps

    def wraps_path(self, output: Path) -> Path:
        return self.root / "wraps" / Path(stamp_path(self.root, output)).name

    def read_wraps(self, output: Path, identity: str) -> list:
        """The line breaks the last build of ``output`` made with the code and fonts
        ``identity`` names, as fit.used_wraps gives them; empty if none or not intact.

        The entry is a header line (magic, identity, sha256 of the rest) and the rows."""
        from .fit import MAX_WRAPS_KEPT

        try:
            header, _, payload = self.wraps_path(output).read_bytes().partition(b"\n")
            head = json.loads(header)
            if (
                head["magic"] != WRAPS_MAGIC
                or head["identity"] != identity
                or head["digest"] != hashlib.sha256(payload).hexdigest()
            ):
                return []
            rows = json.loads(payload)
            if not isinstance(rows, list) or len(rows) > MAX_WRAPS_KEPT:
                return []
            for text, mask, size, width, lines in rows:
                if not (
                    isinstance(text, str)
                    and isinstance(mask, str)
                    and len(mask) == len(text)
                    and isinstance(size, float | int)
                    and isinstance(width, float | int)
                    and isinstance(lines, list)
                    and all(isinstance(line, str) for line in lines)
                ):
                    return []
            return rows
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return []

    def write_wraps(self, output: Path, identity: str, rows: list) -> None:
        # Not ASCII-escaped: a file name or text that is not UTF-8 (surrogate escapes)
        # keeps its escape, so the entry stays valid UTF-8.
        payload = json.dumps(rows, ensure_ascii=False).encode("utf-8", "backslashreplace")
        head = {
            "magic": WRAPS_MAGIC,
            "identity": identity,
            "digest": hashlib.sha256(payload).hexdigest(),
        }
        self._write(self.wraps_path(output), json.dumps(head).encode("ascii") + b"\n" + payload)

    def clean(self) -> int:
        """Remove yamldeck's entries and the folder; returns how many files went.

        Refuses (CacheError) a folder that is not a yamldeck cache: a mistyped ``--cache .``
        must never delete an outline, data or pictures.
        """
        if not self.root.exists() and not self.root.is_symlink():
            return 0
        if self.root.is_symlink():
            raise CacheError(f"'{self.root}' is a link; refusing to clean through it")
        if not self.root.is_dir():
            raise CacheError(f"'{self.root}' is a file, not a yamldeck cache folder")
        tag = self._tag()
        if tag is not None and not tag.startswith(TAG_TEXT[:TAG_OURS]):
            raise CacheError(
                f"'{self.root}' holds another program's {TAG_NAME}; it is not a "
                "yamldeck cache, nothing was deleted"
            )
        if not self.is_ours() or not (tag is not None or any(self.root.iterdir())):
            raise CacheError(
                f"'{self.root}' is not a yamldeck cache (it has no {TAG_NAME}); nothing was deleted"
            )
        # Only files named as yamldeck names its entries go; anything else found in the
        # folder (a file or folder someone put there) stays, and so does the folder.
        count = 0
        for name in ENTRY_DIRS:
            folder = self.root / name
            if folder.is_dir() and not folder.is_symlink():
                for item in folder.iterdir():
                    if _is_entry(item):
                        item.unlink()
                        count += 1
                try:
                    folder.rmdir()
                except OSError:
                    pass
        if tag is not None:
            (self.root / TAG_NAME).unlink()
        try:
            self.root.rmdir()  # only if empty: anything else in it stays
        except OSError:
            pass
        return count


def _rows_digest(identity: str, rows: list) -> str:
    return hashlib.sha256(json.dumps([identity, rows]).encode("ascii")).hexdigest()


def chart_key(chart, theme) -> str:
    """Everything that changes a chart's pixels: the planned chart, the theme, the libraries.

    ``repr`` of the frozen dataclasses is deterministic (floats print exactly).
    """
    relevant = (
        repr(chart),
        theme.palette,
        theme.primary,
        theme.accent,
        theme.text,
        theme.muted,
        theme.background,
        theme.latin,
        theme.east_asian,
        library_versions(),
    )
    return hashlib.sha256(repr(relevant).encode("utf-8")).hexdigest()
