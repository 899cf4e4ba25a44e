"""The build cache: content hashes decide what to rebuild, never modification times.

Two kinds of entries live under one folder (``.yamldeck-cache/`` by default):

- ``stamps/``: for each output, the hash of every input it was built from (outline,
  overlays, theme file, CSVs, images, template), the options, yamldeck's version and the
  output's own hash. A deck whose stamp still matches is up to date without even parsing
  its YAML, so a no-op rebuild imports neither matplotlib nor python-pptx.
- ``charts/``: PNGs keyed by a hash of the planned chart (spec and data after transforms,
  size), the theme's colours and fonts, and library versions, so editing a bullet
  re-renders no chart.

Every write goes to a temporary file and is renamed into place, so parallel workers never
see half an entry; two workers writing the same key write the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from . import __version__

DEFAULT_DIR = Path(".yamldeck-cache")


def file_hash(path: Path) -> str | None:
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


@cache
def library_versions() -> str:
    parts = [f"yamldeck={__version__}"]
    for name in ("matplotlib", "python-pptx", "Pillow", "matplotlib-fontja", "numpy"):
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=none")
    return ";".join(parts)


def write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


class BuildCache:
    def __init__(self, root: Path = DEFAULT_DIR):
        self.root = root

    # --------------------------------------------------------------- stamps

    def _stamp_path(self, output: Path) -> Path:
        key = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:32]
        return self.root / "stamps" / f"{key}.json"

    def read_stamp(self, output: Path) -> Stamp | None:
        try:
            data = json.loads(self._stamp_path(output).read_text(encoding="utf-8"))
            return Stamp(**data)
        except (OSError, ValueError, TypeError):
            return None

    def write_stamp(self, output: Path, stamp: Stamp) -> None:
        data = json.dumps(asdict(stamp), ensure_ascii=False, sort_keys=True, indent=1)
        write_atomic(self._stamp_path(output), data.encode("utf-8"))

    def up_to_date(self, output: Path, options: str) -> Stamp | None:
        """The stamp, if every recorded input and the output itself are unchanged."""
        stamp = self.read_stamp(output)
        if stamp is None or stamp.options != options or stamp.versions != library_versions():
            return None
        if file_hash(output) != stamp.output_hash:
            return None
        for path, digest in stamp.inputs.items():
            if file_hash(Path(path)) != digest:
                return None
        return stamp

    # --------------------------------------------------------------- charts

    def chart_path(self, key: str) -> Path:
        return self.root / "charts" / f"{key}.png"

    def get_chart(self, key: str) -> bytes | None:
        try:
            return self.chart_path(key).read_bytes()
        except OSError:
            return None

    def put_chart(self, key: str, png: bytes) -> None:
        write_atomic(self.chart_path(key), png)

    def clean(self) -> int:
        """Remove every entry; returns how many files went."""
        if not self.root.is_dir():
            return 0
        count = sum(1 for p in self.root.rglob("*") if p.is_file())
        shutil.rmtree(self.root)
        return count


def chart_key(chart, theme) -> str:
    """Everything that changes a chart's pixels: the planned chart, the theme, the libraries.

    ``repr`` of the frozen dataclasses is deterministic (floats print exactly).
    """
    relevant = (repr(chart), theme.palette, theme.primary, theme.accent, theme.text,
                theme.muted, theme.background, theme.latin, theme.east_asian,
                library_versions())
    return hashlib.sha256(repr(relevant).encode("utf-8")).hexdigest()
