"""Read YAML written by people into position-carrying nodes, refusing what YAML gets wrong.

The outline is composed, never constructed: no Python object is ever built from a tag, every
scalar stays text until the schema says what it should be (so ``NO``, ``12:30`` and ``0123``
stay text), duplicate keys are errors, anchors and aliases are refused (no alias bombs), and
nesting is capped before Python's recursion limit.
"""

from __future__ import annotations

from pathlib import Path

import yaml
import yaml.reader
from yaml.composer import Composer
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from .errors import Diagnostic, Pos, error
from .reads import record

MAX_BYTES = 2_000_000
MAX_DEPTH = 64

STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"

__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode", "load_yaml", "pos_of"]


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


class _SafeComposer(Reader, Scanner, Parser, Composer, _TextOnlyResolver):
    def __init__(self, text: str):
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _TextOnlyResolver.__init__(self)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node:
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            raise _Refused(
                event.start_mark,
                f"aliases are not allowed (found '*{event.anchor}')",
                "write the value out in full; anchors, aliases and merge keys are refused",
            )
        if isinstance(event, (ScalarEvent, SequenceStartEvent, MappingStartEvent)):
            if event.anchor is not None:
                raise _Refused(
                    event.start_mark,
                    f"anchors are not allowed (found '&{event.anchor}')",
                    "write the value out in full; anchors, aliases and merge keys are refused",
                )
            tag = event.tag
            if tag not in (None, "!", STR_TAG, SEQ_TAG, MAP_TAG):
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                raise _Refused(
                    event.start_mark,
                    f"tags are not allowed (found '{shown}')",
                    "remove the tag; quote the value if it should be text",
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def pos_of(node: Node, file: str = "") -> Pos:
    """A node's position in the file it came from (overlays and --set keep their own)."""
    mark = node.start_mark
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
    composer = None
    try:
        composer = _SafeComposer(text)  # the reader checks every character up front
        composer.name = file  # every mark, and so every node, remembers its file
        node = composer.get_single_node()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return None, [error(Pos(file, line, col), "",
                            f"character U+{exc.character:04X} is not allowed in YAML",
                            "remove it; write control characters nowhere in an outline")]
    except _Refused as exc:
        return None, [error(_mark_pos(exc.mark, file), "", exc.message, exc.hint)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = exc.context or ""
        if context and exc.context_mark is not None and exc.context_mark is not mark:
            started = _mark_pos(exc.context_mark, file)
            context += f" (started at line {started.line}, column {started.col})"
        message = ", ".join(part for part in (context, exc.problem) if part) or "invalid YAML"
        return None, [error(_mark_pos(mark, file), "", f"YAML syntax: {message}",
                            "check brackets, quotes and indentation at and above this line")]
    except yaml.YAMLError as exc:
        return None, [error(Pos(file), "", f"YAML: {exc}")]
    finally:
        if composer is not None:
            composer.dispose()
    if node is None:
        return None, [
            error(Pos(file, 1, 1), "", "the outline is empty", "start with `title: ...`")
        ]
    problems: list[Diagnostic] = []
    _check_mappings(node, file, problems)
    return (None if problems else node), problems


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
                            error(key_pos, "", "merge keys ('<<') are not allowed",
                                  "write the keys out in full")
                        )
                    elif key.value in seen:
                        first = seen[key.value]
                        problems.append(
                            error(key_pos, "",
                                  f"duplicate key '{key.value}' (first defined at line "
                                  f"{first.line})",
                                  "remove one of them; YAML would silently keep the last")
                        )
                    else:
                        seen[key.value] = key_pos
                else:
                    problems.append(error(key_pos, "", "keys must be plain text"))
                stack.append(value)
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)
