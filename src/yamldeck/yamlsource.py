"""Read YAML written by people into position-carrying nodes, refusing what YAML gets wrong.

The outline is composed, never constructed: no Python object is ever built from a tag, every
scalar stays text until the schema says what it should be (so ``NO``, ``12:30`` and ``0123``
stay text), duplicate keys are errors, anchors and aliases are refused (no alias bombs), and
nesting is capped before Python's recursion limit.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
import yaml.reader
from yaml.composer import Composer
from yaml.events import AliasEvent, Event, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .errors import Diagnostic, Pos, error, warning
from .reads import record

MAX_BYTES = 2_000_000
MAX_DEPTH = 64

STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"

__all__ = [
    "MappingNode",
    "Node",
    "NumberSplit",
    "ScalarNode",
    "SequenceNode",
    "load_yaml",
    "number_splits",
    "pos_of",
]


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark | None, message: str, hint: str = ""):
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.hint = hint


class _TextOnlyResolver(BaseResolver):
    """Resolves every plain scalar to str: typing happens later, against the schema."""

    yaml_implicit_resolvers: dict = {}
    yaml_path_resolvers: dict = {}


class _Refusals:
    """What an outline may not contain, checked as each node is composed."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, AliasEvent):
            raise _Refused(
                event.start_mark,  # type: ignore[arg-type]
                f"aliases are not allowed (found '*{event.anchor}')",
                "write the value out in full; anchors, aliases and merge keys are refused",
            )
        if isinstance(event, (ScalarEvent, SequenceStartEvent, MappingStartEvent)):
            if event.anchor is not None:
                raise _Refused(
                    event.start_mark,  # type: ignore[arg-type]
                    f"anchors are not allowed (found '&{event.anchor}')",
                    "write the value out in full; anchors, aliases and merge keys are refused",
                )
            tag = event.tag
            if tag not in (None, "!", STR_TAG, SEQ_TAG, MAP_TAG):
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                raise _Refused(
                    event.start_mark,  # type: ignore[arg-type]
                    f"tags are not allowed (found '{shown}')",
                    "remove the tag; quote the value if it should be text",
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1


class _SafeComposer(_Refusals, Reader, Scanner, Parser, Composer, _TextOnlyResolver):
    """PyYAML's own scanner and parser: slow, and the source of every syntax message."""

    def __init__(self, text: str):
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _TextOnlyResolver.__init__(self)
        self._depth = 0


class _FastComposer(_Refusals, Composer, _TextOnlyResolver):
    """The same composition and refusals on libyaml's events (about 4× faster to load).

    Its marks count characters like PyYAML's; each is given the text (``buffer``) so the
    source of every node can still be read. Used only for text that loads without any
    problem: anything libyaml refuses is read again by _SafeComposer, whose messages the
    user sees.
    """

    def __init__(self, text: str, name: str):
        from yaml._yaml import CParser

        stream = io.StringIO(text)
        stream.name = name  # type: ignore[misc]
        self._parser: Any = CParser(stream)
        self._text = text + "\0"  # as PyYAML's reader keeps it
        self._end = len(text)
        self._name = name
        self._current: Event | None = None
        Composer.__init__(self)
        _TextOnlyResolver.__init__(self)
        self._depth = 0

    def _mark(self, mark) -> yaml.Mark:
        line, column = mark.line, mark.column
        if mark.index >= self._end and not self._text.endswith("\n\0"):
            # At the end of a text without a final line break libyaml counts one more
            # line; PyYAML stays on the last line.
            line = self._text.count("\n")
            column = self._end - (self._text.rfind("\n", 0, self._end) + 1)
        return yaml.Mark(self._name, mark.index, line, column, self._text, mark.index)

    def _next(self) -> Event | None:
        if self._current is None:
            event = self._parser.get_event()
            if event is not None:
                event.start_mark = self._mark(event.start_mark)
                event.end_mark = self._mark(event.end_mark)
                if isinstance(event, ScalarEvent) and not event.style:
                    event.style = None  # plain: libyaml says '', PyYAML None
            self._current = event
        return self._current

    def check_event(self, *choices) -> bool:
        event = self._next()
        return event is not None and (not choices or isinstance(event, choices))

    def peek_event(self) -> Event | None:
        return self._next()

    def get_event(self) -> Event | None:
        event = self._next()
        self._current = None
        return event

    def dispose(self) -> None:
        self._parser = None


def _fast_node(text: str, file: str) -> Node | bool | None:
    """The document composed with libyaml, or False when it must be read by PyYAML (a
    problem to report in PyYAML's words, a tab or a character PyYAML refuses, or no
    libyaml)."""
    if not yaml.__with_libyaml__ or "\t" in text or Reader.NON_PRINTABLE.search(text):
        return False  # libyaml takes tabs PyYAML refuses (and we explain): keep one rule
    try:
        return _FastComposer(text, file).get_single_node()
    except Exception:  # any problem: the slow path finds it and explains it
        return False


def pos_of(node: Node, file: str = "") -> Pos:
    """A node's position in the file it came from (overlays and --set keep their own)."""
    return _pos_at(node.start_mark, file)


def _pos_at(mark: yaml.Mark, file: str) -> Pos:
    name = mark.name if mark.name and not mark.name.startswith("<") else file
    if name.startswith("--set"):
        return Pos(name)  # a command-line value has no line
    return Pos(name, mark.line + 1, mark.column + 1)


def _mark_pos(mark: yaml.Mark | None, file: str) -> Pos:
    if mark is None:
        return Pos(file)
    return Pos(file, mark.line + 1, mark.column + 1)


def decode_text(raw: bytes, file: str) -> tuple[str | None, Diagnostic | None]:
    """Decode outline bytes as UTF-8, explaining the usual wrong encodings."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, error(
            Pos(file, 1, 1), "", "file is UTF-16, not UTF-8", "re-save the file as UTF-8"
        )
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            raw.decode("cp932")
            what = "file is not UTF-8 (it looks like Shift_JIS)"
        except UnicodeDecodeError:
            what = f"file is not UTF-8 (invalid byte 0x{raw[exc.start]:02x})"
        return None, error(
            Pos(file, line, col),
            "",
            what,
            "re-save it as UTF-8 (VS Code: 'Save with Encoding' → UTF-8; "
            "メモ帳: 名前を付けて保存 → 文字コード UTF-8)",
        )


def load_yaml(path: Path, display: str | None = None) -> tuple[Node | None, list[Diagnostic]]:
    """Compose one YAML file into nodes; every refusal becomes a diagnostic, never a raise."""
    file = display or str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # never more than the limit, whatever the file
    except OSError as exc:
        return None, [error(Pos(file), "", f"cannot read file: {exc.strerror or exc}")]
    record(str(path.resolve()), raw)
    if len(raw) > MAX_BYTES:
        return None, [error(Pos(file), "", f"file is larger than {MAX_BYTES:,} bytes")]
    text, problem = decode_text(raw, file)
    if problem:
        return None, [problem]
    return compose_text(text or "", file)


def compose_text(text: str, file: str) -> tuple[Node | None, list[Diagnostic]]:
    breaks = _odd_line_breaks(text, file)
    if breaks:  # PyYAML counts them as line ends, so every later position would be off
        return None, breaks
    fast = _fast_node(text, file)
    if fast is not False:
        return _checked(fast, text, file)  # type: ignore[arg-type]
    composer = None
    try:
        composer = _SafeComposer(text)  # the reader checks every character up front
        composer.name = file  # every mark, and so every node, remembers its file
        node = composer.get_single_node()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return None, [
            error(
                Pos(file, line, col),
                "",
                f"character U+{exc.character:04X} is not allowed in YAML",
                "remove it; write control characters nowhere in an outline",
            )
        ]
    except _Refused as exc:
        return None, [error(_mark_pos(exc.mark, file), "", exc.message, exc.hint)]
    except yaml.MarkedYAMLError as exc:
        explained = explain_syntax_error(text, exc, file)
        if explained is not None:
            return None, [explained]
        mark = exc.problem_mark or exc.context_mark
        context = exc.context or ""
        if context and exc.context_mark is not None and exc.context_mark is not mark:
            started = _mark_pos(exc.context_mark, file)
            context += f" (started at line {started.line}, column {started.col})"
        message = ", ".join(part for part in (context, exc.problem) if part) or "invalid YAML"
        return None, [
            error(
                _mark_pos(mark, file),
                "",
                f"YAML syntax: {message}",
                "check brackets, quotes and indentation at and above this line",
            )
        ]
    except yaml.YAMLError as exc:
        return None, [error(Pos(file), "", f"YAML: {exc}")]
    finally:
        if composer is not None:
            composer.dispose()
    return _checked(node, text, file)


def _checked(node: Node | None, text: str, file: str) -> tuple[Node | None, list[Diagnostic]]:
    if node is None:
        return None, [error(Pos(file, 1, 1), "", "the outline is empty", "start with `title: ...`")]
    problems: list[Diagnostic] = []
    _check_mappings(node, file, problems)
    _check_scalars(node, text, file, problems)
    failed = any(p.is_error for p in problems)
    return (None if failed else node), problems


def _check_mappings(node: Node, file: str, problems: list[Diagnostic]) -> None:
    """Duplicate keys and merge keys are errors; walk iteratively (depth is capped anyway)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MappingNode):
            seen: dict[str, Pos] = {}
            for key, value in current.value:
                key_pos = pos_of(key, file)
                if isinstance(key, ScalarNode):
                    if key.value == "<<" and key.style is None:
                        problems.append(
                            error(
                                key_pos,
                                "",
                                "merge keys ('<<') are not allowed",
                                "write the keys out in full",
                            )
                        )
                    elif key.value in seen:
                        first = seen[key.value]
                        problems.append(
                            error(
                                key_pos,
                                "",
                                f"duplicate key '{key.value}' (first defined at line {first.line})",
                                "remove one of them; YAML would silently keep the last",
                            )
                        )
                    else:
                        seen[key.value] = key_pos
                else:
                    problems.append(error(key_pos, "", "keys must be plain text"))
                stack.append(value)
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)


# ---------------------------------------------------------------------------- source text


def source_text(node: Node) -> str | None:
    """The node's text exactly as written in its file, or None when it has no file text
    (a --set value)."""
    start, end = node.start_mark, node.end_mark
    if start is None or end is None or start.buffer is None or end.buffer is not start.buffer:
        return None
    return start.buffer[start.index : end.index]  # type: ignore[index]


def text_between(first: Node, second: Node) -> str | None:
    """What is written between two nodes of one file, e.g. ': ' after a key."""
    end, start = first.end_mark, second.start_mark
    if end is None or start is None or end.buffer is None or end.buffer is not start.buffer:
        return None
    return end.buffer[end.index : start.index]  # type: ignore[index]


# ---------------------------------------------------------------------------- 1,134 in [ ]
# In a flow list `[a, b]` every comma separates values, so `[売上 1,134百万円]` is the two
# values '売上 1' and '134百万円', and `[1,134, 1,150]` is four numbers. What gives it away:
# a comma with no space after it, a digit before it and exactly three digits after it.

_ENDS_IN_DIGIT = re.compile(r"\d$")
_THREE_DIGITS = re.compile(r"\d{3}(?!\d)")
_GROUPED = re.compile(r"\d+(?:,\d{3})+")


@dataclass(frozen=True)
class NumberSplit:
    """Plain items of one flow list that were one value with thousands separators."""

    item: str  # the value as written, commas included: '売上 1,134百万円'
    numbers: tuple[str, ...]  # the numbers in it YAML split: ('1,134',)
    start: Pos  # where the value starts
    pos: Pos  # its first comma
    commas: int

    @property
    def message(self) -> str:
        shown = " and ".join(f"'{n}'" for n in self.numbers)
        whose = "their" if len(self.numbers) > 1 else "its"
        return f"YAML split {shown} at {whose} comma{'s' if self.commas > 1 else ''}"

    @property
    def hint(self) -> str:
        return (
            f"quote the value: {_quote(self.item)} (separate values need a space after the comma)"
        )


def _joined(first: Node, second: Node) -> bool:
    return (
        isinstance(first, ScalarNode)
        and isinstance(second, ScalarNode)
        and first.style is None
        and second.style is None
        and text_between(first, second) == ","
        and bool(_ENDS_IN_DIGIT.search(first.value))
        and bool(_THREE_DIGITS.match(second.value))
    )


def number_splits(node: Node, file: str = "") -> tuple[NumberSplit, ...]:
    """The values like `1,134` a flow list `[...]` split at their commas, in order."""
    if not isinstance(node, SequenceNode) or not node.flow_style:
        return ()
    items = node.value
    found: list[NumberSplit] = []
    i = 0
    while i < len(items) - 1:
        j = i
        while j + 1 < len(items) and _joined(items[j], items[j + 1]):
            j += 1
        if j > i:
            item = ",".join(n.value for n in items[i : j + 1])
            found.append(
                NumberSplit(
                    item,
                    tuple(_GROUPED.findall(item)),
                    _pos_at(items[i].start_mark, file),
                    _pos_at(items[i].end_mark, file),
                    j - i,
                )
            )
        i = j + 1
    return tuple(found)


# ---------------------------------------------------------------------------- mistakes
# PyYAML reports where it gave up, often a line after the mistake, in its own words. The
# functions below look at the text itself for the mistakes people make and say what the
# character or the cause is, where it is, and how to fix it.

_ODD_BREAKS = {
    "\u2028": "line separator U+2028",
    "\u2029": "paragraph separator U+2029",
    "\x85": "next-line character U+0085",
}
_ODD_BREAK = re.compile("[\u2028\u2029\x85]")
#: Keys of the outline format are lowercase ASCII: `title`, `min_body_size`, …
_KEY = r"[a-z_][a-z0-9_]*"
_FULLWIDTH_COLON_KEY = re.compile(rf"^[ \t]*(?:-[ \t]+)*({_KEY})[ \t\u3000]*：")
_WIDE_INDENT = re.compile(r"^[ \t]*\u3000")
_PLAIN_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)*([^\s#'\"\[\]{}:,][^:#]*?)[ \t]*:(?:[ \t]|$)")
_BLOCK_START = re.compile(r"(?:^|[:\-][ \t]+)[|>][0-9+\-]*[ \t]*(?:#.*)?$")


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _odd_line_breaks(text: str, file: str) -> list[Diagnostic]:
    """Invisible line breaks (copied from PDFs and web pages) are refused where they are."""
    out = []
    seen_lines: set[int] = set()
    for m in _ODD_BREAK.finditer(text):
        line, col = _line_col(text, m.start())
        if line in seen_lines:
            continue
        seen_lines.add(line)
        out.append(
            error(
                Pos(file, line, col),
                "",
                f"invisible {_ODD_BREAKS[m.group()]} in the text",
                "delete it (it often comes from copying out of a PDF or a web page); "
                "for a new line inside a value use `|` and real line breaks",
            )
        )
    return out


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _value_at(line: str, col: int) -> str:
    """The value that starts at ``col``: to the comment, or to the end of its item in a
    flow list or mapping (``[a, **b**]`` gives ``**b**``, not ``**b**]``)."""
    value = _strip_comment(line[col:])
    if line[:col].rstrip().endswith(("[", "{", ",")):
        ends = [i for i in (value.find(c) for c in ",]}") if i >= 0]
        if ends:
            value = value[: min(ends)].rstrip()
    return value


def _strip_comment(line: str) -> str:
    """The line without a trailing comment (a '#' after a space, outside quotes)."""
    at = _comment_at(line)
    return (line[:at] if at is not None else line).rstrip()


def _comment_at(line: str) -> int | None:
    """Index of the '#' that starts a comment on ``line``, outside quotes, or None."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"" and (i == 0 or line[i - 1] in " \t[{,:-"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return None


def _block_scalar_lines(lines: list[str]) -> set[int]:
    """0-based lines inside `|` or `>` blocks, where any character is just text."""
    inside: set[int] = set()
    parent: int | None = None
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if parent is not None:
            if not line.strip() or indent > parent:
                inside.add(i)
                continue
            parent = None
        if _BLOCK_START.search(_strip_comment(line)):
            parent = indent
    return inside


def _structure_culprit(
    text: str, lines: list[str], first: int, last: int, file: str
) -> Diagnostic | None:
    """A full-width space used as indentation or a full-width colon after a key, on
    0-based lines ``first``..``last``; the first found wins."""
    blocks = _block_scalar_lines(lines)
    for i in range(max(first, 0), min(last, len(lines) - 1) + 1):
        if i in blocks:
            continue
        line = lines[i]
        found = _wide_indent(line, i, file)
        if found is not None:
            return found
        m = _FULLWIDTH_COLON_KEY.match(line)
        if m:
            col = line.index("：", m.end(1)) + 1
            return _fullwidth_colon(Pos(file, i + 1, col), m.group(1))
    return None


def _wide_indent(line: str, i: int, file: str) -> Diagnostic | None:
    if not _WIDE_INDENT.match(line):
        return None
    col = line.index("\u3000") + 1
    return error(
        Pos(file, i + 1, col),
        "",
        "full-width space (U+3000) used as indentation",
        "replace the full-width space with two spaces (indent with ASCII spaces only)",
    )


def _fullwidth_colon(pos: Pos, key: str) -> Diagnostic:
    return error(
        pos,
        "",
        f"full-width colon '：' after '{key}': use ':'",
        f"write `{key}: ...` with an ASCII colon and a space",
    )


def fullwidth_colon_key(node: Node, file: str) -> Diagnostic | None:
    """A text value like `title：会議` where a mapping was expected."""
    if not isinstance(node, ScalarNode) or node.style is not None:
        return None
    m = _FULLWIDTH_COLON_KEY.match(node.value)
    if not m:
        return None
    pos = pos_of(node, file)
    at = node.value.index("：", m.end(1))
    if pos.line and "\n" not in node.value[:at]:
        pos = Pos(pos.file, pos.line, pos.col + at)
    return _fullwidth_colon(pos, m.group(1))


def _key_on(line: str) -> tuple[str, int] | None:
    """(key, 0-based column) of a `key:` at the start of a line (after any '- ')."""
    m = _PLAIN_KEY.match(line)
    if not m:
        return None
    return m.group(1), m.start(1)


def _levels_above(lines: list[str], row: int, blocks: set[int]) -> list[tuple[int, str, int]]:
    """(column, key, 0-based line) of each key that encloses or precedes ``row``: the
    columns a line at ``row`` could start at."""
    levels: list[tuple[int, str, int]] = []
    lowest = None
    for i in range(row - 1, -1, -1):
        line = lines[i]
        if i in blocks or not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        found = _key_on(line)
        if lowest is None or indent < lowest or (found and found[1] < (lowest or 0)):
            if found and all(col != found[1] for col, _, _ in levels):
                levels.append((found[1], found[0], i))
            lowest = indent if lowest is None else min(lowest, indent)
        if indent == 0:
            break
    return levels


def _bad_indent(lines: list[str], row: int, file: str, blocks: set[int]) -> Diagnostic | None:
    line = lines[row]
    indent = len(line) - len(line.lstrip(" "))
    word = _strip_comment(line.strip())
    found = _key_on(line)
    shown = f"'{found[0]}'" if found else _quote(word[:30])
    levels = _levels_above(lines, row, blocks)
    if not levels:
        return None
    if line.lstrip().startswith("- "):
        # an item: the items above it, and the keys that hold them
        items = [
            (len(ln) - len(ln.lstrip(" ")), "- " + ln.strip()[2:].split(":")[0], i)
            for i, ln in enumerate(lines[:row])
            if ln.lstrip().startswith("- ") and i not in blocks
        ]
        levels = [lv for lv in items[-1:]] + levels
    best = min(levels, key=lambda lv: (abs(lv[0] - indent), -lv[0], row - lv[2]))
    col, key, at = best
    spaces = "1 space" if indent == 1 else f"{indent} spaces"
    return error(
        Pos(file, row + 1, indent + 1),
        "",
        f"bad indentation: {shown} is indented {spaces}, which lines up with no key above it",
        f"line it up with '{key}' on line {at + 1} ({col} spaces), or with the key it belongs to",
    )


def explain_syntax_error(text: str, exc: yaml.MarkedYAMLError, file: str) -> Diagnostic | None:
    """Say what PyYAML's message means for the usual mistakes, at the mistake itself."""
    problem = exc.problem or ""
    mark = exc.problem_mark
    if mark is None:
        return None
    lines = text.split("\n")
    row, col = mark.line, mark.column
    line = lines[row] if row < len(lines) else ""
    ctx = exc.context_mark
    ctx_row = ctx.line if ctx is not None else row

    if "'\\t'" in problem:
        before = line[:col]
        pos = Pos(file, row + 1, col + 1)
        if not before.strip():
            return error(
                pos,
                "",
                "tab character used as indentation",
                "indent with spaces only: YAML does not allow tabs (set the editor to "
                "insert spaces)",
            )
        stem = before.rstrip()
        if stem.endswith(":"):
            key = _key_on(stem)
            name = f"'{key[0]}:'" if key else "':'"
            return error(pos, "", f"tab after {name}", "use a space after ':', not a tab")
        if stem.endswith("-"):
            return error(pos, "", "tab after '-'", "use a space after '-', not a tab")
        return error(pos, "", "tab character here", "replace the tab with spaces")

    if problem.startswith("found character") and line[col : col + 1] in ("@", "`"):
        value = _value_at(line, col)
        return error(
            Pos(file, row + 1, col + 1),
            "",
            f"'{line[col]}' cannot start a value in YAML",
            f"quote the value: {_quote(value)}",
        )

    if exc.context == "while scanning an alias" and ctx is not None:
        cline = lines[ctx.line]
        value = _value_at(cline, ctx.column)
        return error(
            Pos(file, ctx.line + 1, ctx.column + 1),
            "",
            "'*' at the start of a value starts a YAML alias",
            f"quote the value: {_quote(value)}",
        )

    # The mistakes that make PyYAML stumble a line later: look from the line where the
    # construct started (or the line above) down to where it gave up.
    blocks = _block_scalar_lines(lines)
    culprit = _structure_culprit(text, lines, min(ctx_row, row - 1), row, file)
    if culprit is not None:
        return culprit

    if problem == "mapping values are not allowed here" and line[col : col + 1] == ":":
        key = _key_on(line)
        if key is not None and key[1] + len(key[0]) >= len(line[:col].rstrip()):
            # The first `key:` on this line: the line continues the text of a line above,
            # so it is indented deeper than it should be.
            return _continued(lines, row, key, file, blocks)
        if key is not None:
            value = _strip_comment(line[line.index(":", key[1] + len(key[0])) + 1 :]).strip()
            return error(
                Pos(file, row + 1, col + 1),
                "",
                f"': ' inside the value of '{key[0]}' is read as another key",
                f"quote the value: {_quote(value)}",
            )
        stem = line.lstrip()
        while stem.startswith("- "):
            stem = stem[2:].lstrip()
        return error(
            Pos(file, row + 1, col + 1),
            "",
            "': ' inside a value is read as a key",
            f"quote the value: {_quote(_strip_comment(stem))}",
        )

    if problem == "could not find expected ':'" and ctx is not None:
        cline = lines[ctx.line]
        word = _strip_comment(cline[ctx.column :]).strip()
        if re.fullmatch(_KEY, word):
            return error(
                Pos(file, ctx.line + 1, ctx.column + len(word) + 1),
                "",
                f"'{word}' needs a ':' after it",
                f"write `{word}:`",
            )
        return error(
            Pos(file, ctx.line + 1, ctx.column + len(word) + 1),
            "",
            f"{_quote(word[:40])} is neither 'key: value' nor part of the text above",
            "add ':' after a key; quote text that starts a line of its own, or "
            "indent it under its key",
        )

    if "expected <block end>" in problem or problem.startswith("expected <block end>"):
        found = _bad_indent(lines, row, file, blocks)
        if found is not None:
            return found

    if exc.context and exc.context.startswith("while parsing a flow") and ctx is not None:
        opener = text_at(lines, ctx.line, ctx.column)
        closer = "]" if opener == "[" else "}"
        for i in range(ctx.line, min(row, len(lines) - 1) + 1):
            at = _comment_at(lines[i])
            if at is not None and (i > ctx.line or at > ctx.column) and lines[i][:at].strip():
                item = re.split(r"[\[{,]", lines[i][:at])[-1].strip()
                rest = re.split(r"[,\]}]", lines[i][at:])[0].strip()
                return error(
                    Pos(file, i + 1, at + 1),
                    "",
                    f"' #' starts a comment, which cut off the rest of line {i + 1}: "
                    f"the '{opener}' at line {ctx.line + 1}, column {ctx.column + 1} "
                    "is never closed",
                    f"quote the value: {_quote(f'{item} {rest}')}",
                )
        return error(
            Pos(file, ctx.line + 1, ctx.column + 1),
            "",
            f"the '{opener}' here is not closed with '{closer}'",
            f"close it with '{closer}' on the same entry; quote values that contain "
            "',', ':', '[', ']' or ' #'",
        )
    return None


def text_at(lines: list[str], row: int, col: int) -> str:
    return lines[row][col : col + 1] if row < len(lines) else ""


def _continued(
    lines: list[str], row: int, key: tuple[str, int], file: str, blocks: set[int]
) -> Diagnostic:
    """`key:` on a line that YAML read as more of the text above it."""
    above = next(
        (
            i
            for i in range(row - 1, -1, -1)
            if lines[i].strip() and not lines[i].lstrip().startswith("#")
        ),
        None,
    )
    owner = _key_on(lines[above]) if above is not None else None
    pos = Pos(file, row + 1, key[1] + 1)
    if owner is None or above is None:
        return error(
            pos,
            "",
            f"'{key[0]}:' is read as more of the text above it",
            "check the indentation of this line and the one above",
        )
    levels = _levels_above(lines, above + 1, blocks)
    target = next(
        (lv for lv in levels if lv[0] <= key[1] and lv[1] != owner[0] and lv[0] == owner[1]), None
    ) or (owner[1], owner[0], above)
    return error(
        pos,
        "",
        f"bad indentation: '{key[0]}' is indented deeper than '{owner[0]}' on line "
        f"{above + 1}, so YAML reads it as more of the value of '{owner[0]}'",
        f"line '{key[0]}:' up with '{target[1]}' ({target[0]} spaces)",
    )


def _check_scalars(node: Node, text: str, file: str, problems: list[Diagnostic]) -> None:
    """What parses but is not what the author meant: a comment that cut text short, and
    full-width spaces used as indentation."""
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, is_key = stack.pop()
        if isinstance(current, MappingNode):
            for key, value in current.value:
                stack.append((key, True))
                stack.append((value, False))
            continue
        if isinstance(current, SequenceNode):
            stack.extend((child, False) for child in current.value)
            continue
        if not isinstance(current, ScalarNode) or current.style is not None:
            continue
        start = current.start_mark.index
        line_start = text.rfind("\n", 0, start) + 1
        if current.value.startswith("\u3000") and not text[line_start:start].strip(" -"):
            rest = current.value.lstrip("\u3000")
            if is_key or rest.startswith("- ") or _key_on(rest):
                diag = _wide_indent(text[line_start : start + 1], current.start_mark.line, file)
                if diag is not None:
                    problems.append(diag)
                    continue
        if is_key:
            continue
        end = current.end_mark.index
        line_end = text.find("\n", end)
        after = text[end : line_end if line_end >= 0 else len(text)]
        m = re.match(r"[ \t]+#(?=[^\s#])", after)
        if m is None:
            continue
        at = end + m.end() - 1
        line, col = _line_col(text, at)
        comment = after[m.end() - 1 :].strip()
        if current.value:
            message = (
                f"' #' starts a comment, so the text ends at {_quote(current.value)} "
                f"and {_quote(comment)} is left out"
            )
        else:
            message = (
                f"' #' starts a comment, so this value is empty and {_quote(comment)} is left out"
            )
        problems.append(
            warning(
                Pos(file, line, col),
                "",
                message,
                f"if {_quote(comment)} belongs to the text, quote the value: "
                f"{_quote((current.value + ' ' + comment).strip())}",
            )
        )
