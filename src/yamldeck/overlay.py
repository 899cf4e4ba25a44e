"""Combine an outline with overlays, ``--set`` values and an included theme file.

Everything happens on YAML nodes before validation, so every value keeps the file, line and
column it came from: an error in an overlay points into the overlay, an error in a ``--set``
value names the option.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from yaml.error import Mark

from .errors import Diagnostic, Pos, error
from .paths import real
from .yamlsource import (
    STR_TAG,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    compose_text,
    load_yaml,
    number_splits,
    pos_of,
)

MAP_TAG = "tag:yaml.org,2002:map"


def merge(base: Node, over: Node) -> Node:
    """Deep-merge ``over`` onto ``base``: mappings merge key by key, anything else replaces."""
    if not (isinstance(base, MappingNode) and isinstance(over, MappingNode)):
        return over
    merged = list(base.value)
    index = {k.value: i for i, (k, _) in enumerate(merged) if isinstance(k, ScalarNode)}
    for key, value in over.value:
        i = index.get(key.value) if isinstance(key, ScalarNode) else None
        if i is None:
            index[key.value] = len(merged)
            merged.append((key, value))
        else:
            merged[i] = (merged[i][0], merge(merged[i][1], value))
    return MappingNode(base.tag, merged, base.start_mark, base.end_mark, base.flow_style)


def load_overlay(path: Path) -> tuple[Node | None, list[Diagnostic]]:
    node, problems = load_yaml(path, str(path))
    if node is None and [p.message for p in problems] == ["the outline is empty"]:
        # Most often the wrong file, or every line commented out: never a silent no-op.
        return None, [
            error(
                problems[0].pos,
                "",
                "the overlay is empty",
                "write the keys to change, e.g. `subtitle: 取締役会`, or leave out --with",
            )
        ]
    if node is not None and not isinstance(node, MappingNode):
        return None, [
            error(
                pos_of(node),
                "",
                "an overlay must be a mapping of outline keys",
                "write the keys to change, e.g. `date: 2025-10-02`",
            )
        ]
    return node, problems


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_PATH = re.compile(r"[^.\[\]=\s]+(\[\d+\])*(\.[^.\[\]=\s]+(\[\d+\])*)*")


# A --set path is at most as deep as YAML may nest (yamlsource.MAX_DEPTH); a longer one is
# a paste accident, and would build a mapping thousands of levels deep. README "Limits".
MAX_SET_STEPS = 64
# How much of a --set option its error messages repeat.
MAX_LABEL_CHARS = 120


def set_label(option: str) -> str:
    """``--set PATH=VALUE`` as errors name it, shortened when the option is long."""
    if len(option) > MAX_LABEL_CHARS:
        option = option[: MAX_LABEL_CHARS - 21] + "…" + option[-20:]
    return f"--set {option}"


def parse_set(option: str) -> tuple[list[str | int], Node] | Diagnostic:
    """``PATH=VALUE`` to path steps and a value node; VALUE is text unless it is [...] or {...}."""
    label = set_label(option)
    if "=" not in option:
        return error(Pos(label), "", "expected PATH=VALUE", "e.g. --set date=2025-10-02")
    path, value = option.split("=", 1)
    path = path.strip()
    if not _PATH.fullmatch(path):
        shown = path if len(path) <= 60 else path[:40] + "…"
        return error(
            Pos(label),
            "",
            f"'{shown}' is not a path like theme.colors.primary or sections[0].title",
        )
    if path.count(".") + path.count("[") + 1 > MAX_SET_STEPS:
        return error(
            Pos(label),
            "",
            f"the path has more than {MAX_SET_STEPS} steps",
            "an outline nests a few levels, e.g. sections[0].slides[1].title",
        )
    steps: list[str | int] = []
    for m in _STEP.finditer(path):
        name, index = m.groups()
        if name is not None:
            steps.append(int(name) if name.isdigit() else name)
        else:
            steps.append(int(index))
    mark = Mark(label, 0, 0, 0, None, None)  # type: ignore[arg-type]
    stripped = value.strip()
    if stripped.startswith(("[", "{")):
        node, problems = compose_text(stripped, label)
        if problems or node is None:
            first = problems[0] if problems else None
            return error(Pos(label), "", first.message if first else "empty value")
        split = _first_split(node, label)  # found while the marks still hold the text
        if split is not None:
            return error(Pos(label), "", split.message, split.hint)
        _rename_marks(node, label)
        return steps, node
    return steps, ScalarNode(STR_TAG, value, mark, mark)


def _first_split(node: Node, label: str):
    """The first 1,134 that a [...] in a --set value split at its comma, or None."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, SequenceNode):
            found = number_splits(current, label)
            if found:
                return found[0]
            stack.extend(reversed(current.value))
        elif isinstance(current, MappingNode):
            stack.extend(v for _, v in reversed(current.value))
    return None


def _rename_marks(node: Node, name: str) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        current.start_mark = Mark(name, 0, 0, 0, None, None)  # type: ignore[arg-type]
        if isinstance(current, MappingNode):
            for k, v in current.value:
                stack.extend((k, v))
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)


def apply_set(root: Node, steps: list[str | int], value: Node, label: str) -> Diagnostic | None:
    """Put ``value`` at ``steps`` inside ``root``, creating mappings on the way."""
    node = root
    for depth, step in enumerate(steps):
        last = depth == len(steps) - 1
        where = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps[: depth + 1])
        where = where.lstrip(".")
        if isinstance(step, int):
            if not isinstance(node, SequenceNode) or not 0 <= step < len(node.value):
                size = len(node.value) if isinstance(node, SequenceNode) else 0
                return error(Pos(label), where, f"no item {step} here (the list has {size})")
            if last:
                node.value[step] = value
            else:
                node = node.value[step]
            continue
        if not isinstance(node, MappingNode):
            return error(Pos(label), where, "cannot set a key inside a value that is not a mapping")
        pair = next(
            (
                i
                for i, (k, _) in enumerate(node.value)
                if isinstance(k, ScalarNode) and k.value == step
            ),
            None,
        )
        if pair is None:
            mark = Mark(label, 0, 0, 0, None, None)  # type: ignore[arg-type]
            child = value if last else MappingNode(MAP_TAG, [], mark, mark)
            node.value.append((ScalarNode(STR_TAG, step, mark, mark), child))
            node = child
        elif last:
            node.value[pair] = (node.value[pair][0], value)
        else:
            node = node.value[pair][1]
    return None


def include_theme(
    root: MappingNode, base_dir: Path, sources: list[Path] | None = None
) -> list[Diagnostic]:
    """``theme: FILE.yaml`` becomes that file's mapping; its logo path is made outline-relative.

    The theme file's path is added to ``sources`` (the files a build depends on).
    """
    pair = next(
        (
            i
            for i, (k, _) in enumerate(root.value)
            if isinstance(k, ScalarNode) and k.value == "theme"
        ),
        None,
    )
    if pair is None:
        return []
    key, value = root.value[pair]
    if not isinstance(value, ScalarNode):
        return []
    from .outline import check_path  # late: outline imports this module

    problems = check_path(base_dir, value.value, pos_of(value), "theme")
    if problems:
        return problems
    theme_path = (base_dir / value.value).resolve()
    if sources is not None:
        sources.append(theme_path)
    node, problems = load_yaml(theme_path, value.value)
    if node is None:
        return problems
    if not isinstance(node, MappingNode):
        return [error(pos_of(node), "theme", "a theme file must be a mapping of theme keys")]
    _rebase_logo(node, theme_path.parent, base_dir)
    root.value[pair] = (key, node)
    return problems


def _rebase_logo(theme: MappingNode, theme_dir: Path, base_dir: Path) -> None:
    for key, value in theme.value:
        if isinstance(key, ScalarNode) and key.value == "logo" and isinstance(value, MappingNode):
            for k, v in value.value:
                if isinstance(k, ScalarNode) and k.value == "image" and isinstance(v, ScalarNode):
                    if "://" not in v.value:
                        target = real(theme_dir / v.value)
                        v.value = Path(os.path.relpath(target, real(base_dir))).as_posix()
