"""Diagnostics as values: every problem carries the place in the outline that caused it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True, order=True)
class Pos:
    """A 1-based position in a source file."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.file
        if self.col <= 0:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.col}"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in an outline or its data.

    ``path`` reads like ``sections[1].slides[2].chart``; ``hint`` says what to do.
    """

    pos: Pos
    message: str
    path: str = ""
    hint: str = ""
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        where = f"{self.path}: " if self.path else ""
        text = f"{self.pos}: {self.severity.value}: {where}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        # Quoted input may hold lone surrogates or controls; never let them break the output.
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
        return "".join(c if c.isprintable() or c == "\n" else repr(c)[1:-1] for c in text)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @classmethod
    def from_dict(cls, data: dict) -> Diagnostic:
        """A diagnostic as dataclasses.asdict gave it (kept in a stamp)."""
        raw = data["pos"]
        pos = Pos(**raw) if isinstance(raw, dict) else Pos(str(raw))
        return cls(
            pos,
            data["message"],
            data.get("path", ""),
            data.get("hint", ""),
            Severity(data.get("severity", "warning")),
        )


def error(pos: Pos, path: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(pos, message, path, hint, Severity.ERROR)


def warning(pos: Pos, path: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(pos, message, path, hint, Severity.WARNING)


class OutlineError(Exception):
    """Raised when a stage cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """A "did you mean" hint for a near miss, or an empty string."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
