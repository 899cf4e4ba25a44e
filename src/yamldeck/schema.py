"""A small type language for the outline: one definition validates nodes and emits JSON Schema.

Each type turns a YAML node into a Python value or reports why it cannot, with the node's
position and a path like ``sections[1].slides[2].chart``. ``json_schema()`` on the same
objects produces the schema editors use, so the two never drift apart.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Diagnostic, Pos, did_you_mean, error
from .yamlsource import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    fullwidth_colon_key,
    number_splits,
    pos_of,
)


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()


@dataclass
class Context:
    """What validation needs besides the node: the file name, and where problems go."""

    file: str
    base_dir: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def pos(self, node: Node) -> Pos:
        return pos_of(node, self.file)

    def fail(self, node: Node, path: str, message: str, hint: str = "") -> Any:
        self.diagnostics.append(error(self.pos(node), path, message, hint))
        return INVALID


def describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    text = node.value
    if text == "" and node.style is None:  # type: ignore[attr-defined]
        return "nothing"
    shown = text if len(text) <= 30 else text[:27] + "…"
    return f"'{shown}'"


# C0/C1 controls other than tab and newline would reach the .pptx as `_x000C_` text;
# U+FFFE and U+FFFF are not allowed in XML at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str) -> tuple[str, str]:
    """NFC-normalise; return (text, problem) where problem is empty when the text is usable."""
    if _SURROGATE.search(text):
        return text, "text contains a lone surrogate (broken \\u escape)"
    if _CONTROL.search(text):
        bad = _CONTROL.search(text).group()  # type: ignore[union-attr]
        return text, f"text contains control character U+{ord(bad):04X}"
    return unicodedata.normalize("NFC", text), ""


class Type:
    """Base of all outline types."""

    label = "a value"
    kinds: tuple[type, ...] = (ScalarNode, SequenceNode, MappingNode)

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def wrong(self, node: Node, path: str, ctx: Context, hint: str = "") -> Any:
        return ctx.fail(node, path, f"expected {self.label}, found {describe(node)}", hint)


# One title, bullet or cell longer than this is a paste accident, not slide text: about
# eight slides of 14 pt body text. Speaker notes may be longer (MAX_NOTES_CHARS).
MAX_TEXT_CHARS = 10_000
MAX_NOTES_CHARS = 100_000


class Text(Type):
    label = "text"
    kinds = (ScalarNode,)

    def __init__(
        self, *, allow_empty: bool = False, doc: str = "", max_chars: int = MAX_TEXT_CHARS
    ):
        self.allow_empty = allow_empty
        self.doc = doc
        self.max_chars = max_chars

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node, ScalarNode):
            return self.wrong(node, path, ctx)
        if len(node.value) > self.max_chars:
            return ctx.fail(
                node,
                path,
                f"text is {len(node.value):,} characters long, more than {self.max_chars:,}",
                "split it into several bullets or slides, or move the detail into notes",
            )
        text, problem = clean_text(node.value)
        if problem:
            return ctx.fail(node, path, problem, "remove the character or its escape")
        if not self.allow_empty and not text.strip():
            return ctx.fail(node, path, "expected text, found nothing")
        return text

    def json_schema(self) -> dict[str, Any]:
        # Any plain scalar is read as text, so `title: 2026` is fine: editors must agree.
        # `title: true` is the text "true" too. Text must hold more than spaces.
        schema: dict[str, Any] = {
            "type": ["string", "number", "boolean"],
            "maxLength": self.max_chars,
        }
        if not self.allow_empty:
            schema["pattern"] = r"\S"
        return schema


class Bool(Type):
    """Only ``true`` and ``false``: YAML 1.1's yes/no/on/off are refused, not guessed."""

    label = "true or false"
    kinds = (ScalarNode,)

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if isinstance(node, ScalarNode) and node.style is None and node.value in ("true", "false"):
            return node.value == "true"
        return self.wrong(node, path, ctx)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


_NUMBER = re.compile(r"^[+-]?(\d[\d_,]*)?(\.\d+)?([eE][+-]?\d+)?$")


def parse_number(text: str) -> float | None:
    """Parse '1,234.5' or '12' as a number; None if it is not one."""
    text = text.strip()
    if not text or not _NUMBER.match(text) or not any(c.isdigit() for c in text):
        return None
    try:
        value = float(text.replace(",", "").replace("_", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class Number(Type):
    label = "a number"
    kinds = (ScalarNode,)

    def __init__(
        self, minimum: float | None = None, exclusive: bool = False, maximum: float | None = None
    ):
        self.minimum = minimum
        self.exclusive = exclusive
        self.maximum = maximum

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node, ScalarNode):
            return self.wrong(node, path, ctx)
        value = parse_number(node.value)
        if value is None:
            return self.wrong(node, path, ctx)
        if self.minimum is not None and (
            value < self.minimum or (self.exclusive and value == self.minimum)
        ):
            op = ">" if self.exclusive else "≥"
            if self.maximum is not None:
                return ctx.fail(
                    node,
                    path,
                    f"expected a number from {self.minimum:g} to {self.maximum:g}, found {value:g}",
                )
            return ctx.fail(node, path, f"expected a number {op} {self.minimum:g}, found {value:g}")
        if self.maximum is not None and value > self.maximum:
            low = f"from {self.minimum:g} " if self.minimum is not None else ""
            return ctx.fail(
                node, path, f"expected a number {low}to {self.maximum:g}, found {value:g}"
            )
        return int(value) if value.is_integer() else value

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "number"}
        if self.minimum is not None:
            key = "exclusiveMinimum" if self.exclusive else "minimum"
            schema[key] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema


class Choice(Type):
    kinds = (ScalarNode,)

    def __init__(self, *values: str, what: str = "value"):
        self.values = values
        self.what = what
        self.label = f"one of {', '.join(values)}"

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if isinstance(node, ScalarNode) and node.value in self.values:
            return node.value
        if isinstance(node, ScalarNode):
            hint = did_you_mean(node.value, self.values)
            return ctx.fail(
                node, path, f"unknown {self.what} {describe(node)}; expected {self.label}", hint
            )
        return self.wrong(node, path, ctx)

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.values)}


class Color(Type):
    label = 'a colour like "#1F4E79"'
    kinds = (ScalarNode,)
    _RGB = re.compile(r"^#?[0-9A-Fa-f]{6}$")

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if isinstance(node, ScalarNode) and self._RGB.match(node.value.strip()):
            return node.value.strip().lstrip("#").upper()
        return self.wrong(node, path, ctx, 'quote it in YAML: color: "#1F4E79"')

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": "^#?[0-9A-Fa-f]{6}$"}


class ListOf(Type):
    kinds = (SequenceNode,)

    def __init__(
        self,
        item: Type,
        *,
        min_items: int = 0,
        max_items: int | None = None,
        label: str | None = None,
        splits: bool = True,
        hint: str = "",
    ):
        self.hint = hint  # shown when the count is out of range
        self.item = item
        self.min_items = min_items
        self.max_items = max_items
        self.label = label or f"a list of {item.label}"
        #: Report values like 1,134 that a flow list split at their commas (a table row
        #: reports them itself, knowing how many cells the header wants).
        self.splits = splits

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node, SequenceNode):
            return self.wrong(
                node, path, ctx, "write a list: [a, b] or one `- item` line per entry"
            )
        found = number_splits(node, ctx.file) if self.splits else ()
        for split in found:
            ctx.diagnostics.append(error(split.pos, path, split.message, split.hint))
        if found:
            return INVALID
        count = len(node.value)
        if count < self.min_items or (self.max_items is not None and count > self.max_items):
            if self.max_items is None:
                want = f"at least {self.min_items}"
            elif count > self.max_items and (self.min_items <= 1 or self.max_items >= 100):
                return ctx.fail(
                    node,
                    path,
                    f"{count:,} items, more than the {self.max_items:,} allowed",
                    'a limit (README, "Limits"): split them over several slides or decks',
                )
            elif self.min_items == self.max_items:
                want = f"exactly {self.min_items}"
            else:
                want = f"{self.min_items} to {self.max_items}"
            return ctx.fail(node, path, f"expected {want} items, found {count}", self.hint)
        values = [self.item.check(child, f"{path}[{i}]", ctx) for i, child in enumerate(node.value)]
        return INVALID if any(v is INVALID for v in values) else tuple(values)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        if self.max_items is not None:
            schema["maxItems"] = self.max_items
        return schema


class OneOf(Type):
    """Alternatives chosen by node kind (text, list or mapping).

    Where several accept the node's kind (``true`` or a title), the first that accepts the
    value wins; if none does, the problems of the last one are reported.
    """

    def __init__(self, *alternatives: Type, label: str):
        self.alternatives = alternatives
        self.label = label
        self.kinds = tuple(k for alt in alternatives for k in alt.kinds)

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        candidates = [alt for alt in self.alternatives if isinstance(node, alt.kinds)]
        if not candidates:
            return self.wrong(node, path, ctx)
        for alt in candidates[:-1]:
            trial = Context(ctx.file, ctx.base_dir)
            value = alt.check(node, path, trial)
            if value is not INVALID:
                ctx.diagnostics.extend(trial.diagnostics)
                return value
        return candidates[-1].check(node, path, ctx)

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [alt.json_schema() for alt in self.alternatives]}


class Custom(Type):
    """A type whose check is a function; used for small shapes such as one-key mappings."""

    def __init__(
        self,
        label: str,
        kinds: tuple[type, ...],
        check: Callable[[Node, str, Context], Any],
        schema: Callable[[], dict],
    ):
        self.label = label
        self.kinds = kinds
        self._check = check
        self._schema = schema

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node, self.kinds):
            return self.wrong(node, path, ctx)
        return self._check(node, path, ctx)

    def json_schema(self) -> dict[str, Any]:
        return self._schema()


@dataclass(frozen=True)
class Field:
    type: Type
    doc: str = ""
    required: bool = False
    default: Any = None


class Record(Type):
    """A mapping with known keys that becomes a frozen dataclass.

    The dataclass receives each field (or its default), plus ``pos`` (the mapping's
    position) and ``where`` (field name → position of its value) for later diagnostics.
    An unknown key is reported without invalidating the record; a bad value or a missing
    required key does.
    """

    kinds = (MappingNode,)

    def __init__(
        self, build: Callable[..., Any], fields: dict[str, Field], *, label: str, doc: str = ""
    ):
        self.build = build
        self.fields = fields
        self.label = label
        self.doc = doc

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node, MappingNode):
            colon = fullwidth_colon_key(node, ctx.file)
            if colon is not None:  # `- title：会議` is text to YAML, but meant as a key
                ctx.diagnostics.append(dataclasses.replace(colon, path=path))
                return INVALID
            return self.wrong(node, path, ctx)
        values: dict[str, Any] = {}
        where: dict[str, Pos] = {}
        ok = True
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else ""
            spec = self.fields.get(key)
            sub = f"{path}.{key}" if path else key
            if spec is None:
                hint = did_you_mean(key, tuple(self.fields))
                if not hint:
                    hint = "known keys: " + ", ".join(self.fields)
                # Reported, but the rest of the mapping is still checked and built, so
                # references elsewhere are checked in the same pass.
                ctx.fail(key_node, path or "(top level)", f"unknown key '{key}'", hint)
                continue
            value = spec.type.check(value_node, sub, ctx)
            if value is INVALID:
                ok = False
                continue
            values[key] = value
            where[key] = ctx.pos(value_node)
        for key, spec in self.fields.items():
            if (
                key not in values
                and spec.required
                and key not in {k.value for k, _ in node.value if isinstance(k, ScalarNode)}
            ):
                ctx.fail(node, path or "(top level)", f"missing required key '{key}'")
                ok = False
        if not ok:
            return INVALID
        for key, spec in self.fields.items():
            values.setdefault(key, spec.default)
        return self.build(**values, pos=ctx.pos(node), where=where)

    def json_schema(self) -> dict[str, Any]:
        props = {}
        for key, spec in self.fields.items():
            prop = dict(spec.type.json_schema())
            if spec.doc:
                prop["description"] = spec.doc
            props[key] = prop
        schema: dict[str, Any] = {
            "type": "object",
            "properties": props,
            "additionalProperties": False,
        }
        required = [k for k, f in self.fields.items() if f.required]
        if required:
            schema["required"] = required
        if self.doc:
            schema["description"] = self.doc
        return schema


class MapOf(Type):
    """A mapping from user-chosen names (chart ids, data columns) to values of one type."""

    kinds = (MappingNode,)

    def __init__(self, value: Type, *, label: str, min_items: int = 0):
        self.value = value
        self.label = label
        self.min_items = min_items

    def check(self, node: Node, path: str, ctx: Context) -> Any:
        if not isinstance(node, MappingNode):
            return self.wrong(node, path, ctx)
        if len(node.value) < self.min_items:
            return ctx.fail(node, path, f"expected at least {self.min_items} entries, found none")
        out: dict[str, Any] = {}
        ok = True
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else ""
            value = self.value.check(value_node, f"{path}.{key}", ctx)
            if value is INVALID:
                ok = False
            out[key] = value
        return out if ok else INVALID

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "additionalProperties": self.value.json_schema(),
        }
        if self.min_items:
            schema["minProperties"] = self.min_items
        return schema
