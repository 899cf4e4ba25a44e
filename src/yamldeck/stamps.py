"""Deciding that an output is up to date, importing nothing but os.

A no-op rebuild (a Makefile, a watch loop, a batch where one deck changed) is answered
from here before anything else is imported: the stamp of the output, the options' key,
the versions of yamldeck and its libraries, and the hashes of the recorded inputs. The
cache (cache.py) writes stamps with the same functions, so the two never disagree.
pathlib, dataclasses, re and typing alone would cost a no-op more than all of this; even
the json module imports re, so stamps are read and the options' key written with json's
own C functions (the same text json.dumps and json.loads give, tests/test_noop.py).
"""

from __future__ import annotations

import os
import stat
import sys
import zlib

from . import __version__

# The names of a project file (paths.py): a build of one is a batch, not a quick no-op.
PROJECT_NAMES = ("yamldeck.yaml", "yamldeck.yml")

TAG_NAME = "CACHEDIR.TAG"
# The first line is fixed by the cache-directory tagging specification.
TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is yamldeck's build cache (stamps and chart pictures).\n"
    "# `yamldeck clean` deletes it; yamldeck rebuilds what it needs.\n"
)
# How much of the tag must match: the standard signature line and yamldeck's own line.
TAG_OURS = TAG_TEXT.index("\n#", TAG_TEXT.index("yamldeck"))

# Libraries whose output lands in a deck: a new version of one rebuilds everything.
LIBRARIES = (
    "matplotlib",
    "python-pptx",
    "pillow",
    "matplotlib-fontja",
    "numpy",
    "openpyxl",
    "budoux",
)

_versions: str | None = None
_code: str | None = None

try:  # CPython's own SHA-256: no OpenSSL to start (2–3 ms of a no-op)
    from _sha256 import sha256 as _builtin_sha256  # Python 3.11
except ImportError:  # pragma: no cover - 3.12 and later name it _sha2
    try:
        from _sha2 import sha256 as _builtin_sha256  # type: ignore[import-not-found,no-redef]
    except ImportError:
        _builtin_sha256 = None  # type: ignore[assignment]

#: Up to this many bytes are hashed by the built-in SHA-256; more by OpenSSL's (hashlib),
#: several times faster on large files but 2–3 ms to start. The digests are the same.
SMALL_HASH_BYTES = 1 << 20


def sha256(size: int = 0):
    """A SHA-256 object for about ``size`` bytes of data."""
    if _builtin_sha256 is not None and size <= SMALL_HASH_BYTES:
        return _builtin_sha256()
    import hashlib

    return hashlib.sha256()


def regular_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a regular file (links followed): not a FIFO, whose open would
    block, nor a device such as /dev/zero, which never ends."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def file_hash(path: str | os.PathLike) -> str | None:
    """SHA-256 of a regular file; None for anything else (missing, a folder, a FIFO that
    would block the open forever, a device such as a link to /dev/zero that never ends)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return None
        digest = sha256(info.st_size)
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


def code_hash() -> str:
    """A hash of yamldeck's own source: an upgrade in place (same version number, new code)
    must not be served pictures or stamps of the old code."""
    global _code
    if _code is None:
        package = os.path.dirname(os.path.realpath(__file__))
        found = []
        for folder, dirs, files in os.walk(package):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            found += [os.path.join(folder, f) for f in files if f.endswith(".py")]
        relative = sorted((os.path.relpath(p, package).replace(os.sep, "/"), p) for p in found)
        digest = sha256(SMALL_HASH_BYTES + 1)  # all of the source: several hundred kB
        for name, path in relative:
            digest.update(name.encode())
            with open(path, "rb") as handle:
                digest.update(handle.read())
        _code = digest.hexdigest()[:16]
    return _code


def _normal(name: str) -> str:
    """A distribution name as PEP 503 normalises it (``Pillow`` → ``pillow``)."""
    out: list[str] = []
    dash = False
    for ch in name.lower():
        if ch in "-_.":
            dash = True
            continue
        if dash and out:
            out.append("-")
        dash = False
        out.append(ch)
    return "".join(out)


def installed_versions() -> dict[str, str]:
    """Versions of installed distributions, from the names of their .dist-info folders.

    importlib.metadata takes about 90 ms to answer the same question, and a no-op build
    must answer it: a listing of the import path takes a few milliseconds.
    """
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as items:
                for item in items:
                    if item.name.endswith(".dist-info"):
                        name, _, version = item.name[: -len(".dist-info")].partition("-")
                        found.setdefault(_normal(name), version)
        except OSError:
            continue
    return found


def library_versions() -> str:
    """yamldeck's version and code, and the libraries whose output lands in a deck."""
    global _versions
    if _versions is None:
        installed = installed_versions()
        parts = [f"yamldeck={__version__}+{code_hash()}"]
        parts += [f"{name}={installed.get(name, 'none')}" for name in LIBRARIES]
        # Every entry of the package is deflated by zlib: another zlib may compress the
        # same bytes differently (a build copies compressed entries from its last output).
        parts.append(f"zlib={zlib.ZLIB_RUNTIME_VERSION}")
        _versions = ";".join(parts)
    return _versions


_environment: str | None = None


def environment() -> str:
    """A digest of what library_versions() is made from, taken from file metadata only:
    the interpreter, each of yamldeck's source files (size, time, inode) and folders, and
    each folder of the import path (whose time changes when a package is installed or
    removed). Unchanged, the versions are those computed the last time (known_versions)."""
    global _environment
    if _environment is not None:
        return _environment
    parts = [sys.executable, sys.version, __version__, zlib.ZLIB_RUNTIME_VERSION]
    package = os.path.dirname(os.path.realpath(__file__))
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        parts.append(f"{folder}:{os.stat(folder).st_mtime_ns}")
        for name in sorted(files):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                parts.append(f"{name}:{info.st_size}:{info.st_mtime_ns}:{info.st_ino}")
    for entry in sys.path:
        try:
            parts.append(f"{entry}:{os.stat(entry or '.').st_mtime_ns}")
        except OSError:
            parts.append(f"{entry}:-")
    digest = sha256()
    digest.update("\n".join(parts).encode("utf-8", "surrogateescape"))
    _environment = digest.hexdigest()
    return _environment


def _versions_path(root: str | os.PathLike) -> str:
    return os.path.join(root, "versions", f"{environment()[:32]}.json")


def known_versions(root: str | os.PathLike) -> str:
    """library_versions(), read from the cache ``root`` when the environment is what it was
    when they were last kept there (3 ms of a no-op's 20); computed and kept otherwise."""
    global _versions
    if _versions is not None:
        return _versions
    try:
        with open(_versions_path(root), encoding="utf-8") as handle:
            data = parse_json(handle.read())
        if isinstance(data, dict) and data.get("environment") == environment():
            versions = data.get("versions")
            if isinstance(versions, str) and versions.startswith("yamldeck="):
                _versions = versions
                return versions
    except (OSError, ValueError, RecursionError):
        pass
    return library_versions()  # kept by the next build that writes a stamp


def keep_versions(root: str | os.PathLike) -> None:
    """Keep library_versions() in the cache ``root`` for this environment, unless there."""
    path = _versions_path(root)
    if not os.path.exists(path) and os.path.isdir(root) and tag_is_ours(root):
        _keep_versions(path, environment(), library_versions())


#: Environments whose versions one cache keeps (a console script and `python -m` are two;
#: each upgrade makes another): when there are more, the oldest files go.
MAX_ENVIRONMENTS_KEPT = 8


def _keep_versions(path: str, fingerprint: str, versions: str) -> None:
    """Write the versions file atomically (best effort: a cache is an optimisation)."""
    from _json import encode_basestring_ascii as quoted

    folder = os.path.dirname(path)
    text = f'{{"environment": {quoted(fingerprint)}, "versions": {quoted(versions)}}}\n'
    temporary = f"{path}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        os.makedirs(folder, exist_ok=True)
        kept = [os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".json")]
        kept.sort(key=os.path.getmtime)
        for old in kept[: max(0, len(kept) - MAX_ENVIRONMENTS_KEPT + 1)]:
            os.unlink(old)
        with open(temporary, "w", encoding="ascii") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def options_key(
    charts: str | None = None,
    overlays: tuple[str, ...] = (),
    sets: tuple[str, ...] = (),
    only: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
) -> str:
    """Everything besides input files that changes the output bytes (overlays as real
    paths). The default options of a plain `yamldeck build` are ``options_key()``.

    The text is json.dumps(..., ensure_ascii=False, sort_keys=True) of the options."""
    from _json import encode_basestring as quoted

    def items(values: tuple[str, ...]) -> str:
        return "[" + ", ".join(quoted(v) for v in values) + "]"

    return (
        "{"
        f'"SOURCE_DATE_EPOCH": {quoted(os.environ.get("SOURCE_DATE_EPOCH", ""))}, '
        f'"charts": {quoted(charts or "")}, '
        f'"only": {items(tuple(only))}, '
        f'"overlays": {items(tuple(overlays))}, '
        f'"sets": {items(tuple(sets))}, '
        f'"skip": {items(tuple(skip))}'
        "}"
    )


class _Plain:
    """What json's C scanner asks of its decoder: plain JSON, no hooks."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int

    def __init__(self) -> None:
        self.memo: dict = {}

    @staticmethod
    def parse_constant(name: str) -> float:
        raise ValueError(name)  # NaN and Infinity are not in a stamp


def parse_json(text: str) -> object:
    """json.loads for our own files, without importing json (and re); ValueError if bad."""
    from _json import make_scanner

    text = text.strip()
    try:
        value, end = make_scanner(_Plain())(text, 0)  # type: ignore[arg-type]
    except StopIteration:
        raise ValueError("not JSON") from None
    if end != len(text):
        raise ValueError("extra data")
    return value


# SOURCE_DATE_EPOCH becomes zip timestamps, which hold 1980-01-01 to 2107; keep to 2099.
MIN_EPOCH = 315_532_800
MAX_EPOCH = 4_102_444_799


def source_date_epoch_problem() -> str:
    """Why SOURCE_DATE_EPOCH cannot be used, or an empty string (also when it is unset)."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return ""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return f"SOURCE_DATE_EPOCH must be whole seconds since 1970, found '{raw[:40]}'"
    if not MIN_EPOCH <= int(raw) <= MAX_EPOCH:
        return f"SOURCE_DATE_EPOCH {raw} is outside {MIN_EPOCH}–{MAX_EPOCH} (1980–2099)"
    return ""


def stamp_path(root: str | os.PathLike, output: str | os.PathLike) -> str:
    # fsencode: a file name need not be UTF-8 (a CP932 name from a Windows zip).
    name = os.fsencode(os.path.realpath(output))
    digest = sha256()
    digest.update(name)
    key = digest.hexdigest()[:32]
    return os.path.join(root, "stamps", f"{key}.json")


def read_stamp(root: str | os.PathLike, output: str | os.PathLike) -> dict | None:
    """The stamp of ``output`` as written (a dict), or None if missing or damaged."""
    try:
        with open(stamp_path(root, output), encoding="utf-8") as handle:
            data = parse_json(handle.read())
    except (OSError, ValueError, RecursionError):  # damaged: rebuild
        return None
    return data if isinstance(data, dict) and _well_formed(data) else None


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _warning(value: object) -> bool:
    """A diagnostic as dataclasses.asdict wrote it (errors.Diagnostic.from_dict reads it)."""
    if not isinstance(value, dict) or not isinstance(value.get("message"), str):
        return False
    pos = value.get("pos")
    if isinstance(pos, dict):
        if not set(pos) <= {"file", "line", "col"} or not isinstance(pos.get("file"), str):
            return False
        if not all(isinstance(pos.get(k, 0), int) for k in ("line", "col")):
            return False
    elif not isinstance(pos, str):
        return False
    return all(isinstance(value.get(k, ""), str) for k in ("path", "hint")) and value.get(
        "severity", "warning"
    ) in ("error", "warning", "note")


def _well_formed(data: dict) -> bool:
    """Every field of a stamp has the type yamldeck writes (older stamps lack the newer
    fields, which is fine); anything else is a damaged stamp: rebuild, never crash."""
    inputs = data.get("inputs")
    return (
        all(isinstance(data.get(k), str) for k in ("output", "output_hash", "options", "versions"))
        and isinstance(inputs, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in inputs.items())
        and isinstance(data.get("slides", 0), int)
        and isinstance(data.get("warnings", []), list)
        and all(_warning(w) for w in data.get("warnings", []))
        and _strings(data.get("charts", []))
        and isinstance(data.get("pages", []), list)
        and isinstance(data.get("template", ""), str)
    )


def up_to_date(root: str | os.PathLike, output: str | os.PathLike, options: str) -> dict | None:
    """The stamp, if the options, the versions, every recorded input and the output itself
    are unchanged; else None."""
    stamp = read_stamp(root, output)
    if stamp is None or stamp.get("options") != options:
        return None
    if stamp.get("versions") != known_versions(root):
        return None
    inputs = stamp.get("inputs")
    if not isinstance(inputs, dict) or file_hash(output) != stamp.get("output_hash"):
        return None
    for path, digest in inputs.items():
        if file_hash(path) != digest:
            return None
    return stamp


def tag_is_ours(root: str | os.PathLike) -> bool | None:
    """True if ``root`` carries yamldeck's CACHEDIR.TAG, False if another program's, None
    if it has none (the folder may still be an old untagged cache: see cache.py)."""
    try:
        with open(os.path.join(root, TAG_NAME), "rb") as handle:
            tag = handle.read(1024).decode("utf-8", "replace")
    except OSError:
        return None
    return tag.startswith(TAG_TEXT[:TAG_OURS])
