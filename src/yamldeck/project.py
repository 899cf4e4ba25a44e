"""Which decks a batch builds: paths, globs, folders and ``yamldeck.yaml`` project files.

A project file lists decks, each with its overlays, ``--set`` values, tags and output name;
``matrix:`` fans one outline out into every combination of its variants::

    decks:
      - outline: deck.yaml
        output: build/{stem}-{audience}.pptx
        matrix:
          audience:
            - {name: board, only: [board], with: [overlays/board.yaml]}
            - {name: full}

Paths in a project file are relative to its folder.
"""

from __future__ import annotations

import itertools
import re
import string
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .build import BuildOptions, Task
from .errors import Diagnostic, Pos, error
from .overlay import parse_set
from .paths import MAX_DECKS, real
from .schema import INVALID, Context, Custom, Field, ListOf, MapOf, Record, Text
from .yamlsource import MappingNode, ScalarNode, load_yaml

# Imported by the CLI only when a project file is named (see cli._tasks).

TEXT = Text()


@dataclass(frozen=True)
class Variant:
    name: str | None
    with_: tuple[str, ...]
    set: dict[str, str]
    only: tuple[str, ...]
    skip: tuple[str, ...]
    pos: Pos
    where: dict


@dataclass(frozen=True)
class DeckEntry:
    outline: str
    output: str | None
    variant: Variant
    matrix: dict[str, tuple[Variant, ...]]
    pos: Pos
    where: dict


@dataclass(frozen=True)
class Project:
    decks: tuple[DeckEntry, ...]
    pos: Pos
    where: dict


def _scalar_text(node, path: str, ctx: Context) -> Any:
    return node.value


SET_VALUE = Custom(
    "a value", (ScalarNode,), _scalar_text, lambda: {"type": ["string", "number", "boolean"]}
)
VARIANT_FIELDS = {
    "name": Field(TEXT, "variant name, used in the output name"),
    "with": Field(ListOf(TEXT, label="a list of overlay files"), "overlay files", default=()),
    "set": Field(MapOf(SET_VALUE, label="PATH: VALUE pairs"), "values to set", default={}),
    "only": Field(ListOf(TEXT, label="a list of tags"), "keep only these tags", default=()),
    "skip": Field(ListOf(TEXT, label="a list of tags"), "drop these tags", default=()),
}


def _variant(pos, where, **values) -> Variant:
    return Variant(
        values.get("name"),
        values.get("with", ()),
        values.get("set", {}),
        values.get("only", ()),
        values.get("skip", ()),
        pos,
        where,
    )


VARIANT = Record(_variant, VARIANT_FIELDS, label="a variant")


def _deck(pos, where, **values) -> DeckEntry:
    variant = _variant(pos, where, **{k: v for k, v in values.items() if k in VARIANT_FIELDS})
    return DeckEntry(
        values["outline"], values.get("output"), variant, values.get("matrix") or {}, pos, where
    )


DECK = Record(
    _deck,
    {
        "outline": Field(TEXT, "the outline to build", required=True),
        "output": Field(TEXT, "output file; {stem} and each matrix axis name are replaced"),
        **{k: f for k, f in VARIANT_FIELDS.items() if k != "name"},
        "matrix": Field(
            MapOf(
                ListOf(VARIANT, min_items=1, label="a list of variants"), label="axes of variants"
            ),
            "every combination of these variants becomes a deck",
        ),
    },
    label="a deck entry",
)

PROJECT = Record(
    lambda pos, where, decks: Project(decks, pos, where),
    {
        "decks": Field(
            ListOf(DECK, min_items=1, label="a list of decks"), "decks to build", required=True
        ),
    },
    label="a project file (decks: [...])",
)


def _options(base: Path, variants: list[Variant]) -> BuildOptions:
    overlays, sets, only, skip = [], [], [], []
    for v in variants:
        overlays += [base / w for w in v.with_]
        sets += [f"{k}={val}" for k, val in v.set.items()]
        only += list(v.only)
        skip += list(v.skip)
    return BuildOptions(tuple(overlays), tuple(sets), tuple(only), tuple(skip))


# Variant names become parts of file names: keep them plain.
SAFE_NAME = re.compile(r"[^\W.][\w.\-]{0,63}")
# Axis names become {fields} of the output name: a plain identifier, not `stem`.
AXIS_NAME = re.compile(r"[^\W\d]\w{0,63}")
MAX_OUTPUT_CHARS = 200


def _inside(base: Path, path: Path) -> bool:
    try:
        return real(path).is_relative_to(real(base))
    except (OSError, ValueError):
        return False


def _pattern_problem(pattern: str, fields: set[str]) -> str:
    """Why an output name template cannot be used, or an empty string.

    Only plain ``{name}`` fields are allowed: no format specs (``{stem:>999999999}`` would
    build a gigabyte string), conversions, attributes or indexes.
    """
    if len(pattern) > MAX_OUTPUT_CHARS:
        return f"output name is longer than {MAX_OUTPUT_CHARS} characters"
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        return f"cannot read '{pattern}': {exc}"
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if spec or conversion:
            return f"'{{{name}...}}' in '{pattern}': only plain {{name}} fields are allowed"
        if name not in fields or not name.isidentifier():
            known = ", ".join("{" + f + "}" for f in sorted(fields))
            return f"unknown field '{{{name}}}' in '{pattern}' (known: {known})"
    return ""


def _axis_problems(i: int, axes: list[tuple[str, tuple[Variant, ...]]]) -> list[Diagnostic]:
    out = []
    for axis, variants in axes:
        if not AXIS_NAME.fullmatch(axis) or axis == "stem":
            why = (
                "clashes with {stem}, the outline's name in output names"
                if axis == "stem"
                else "is not a plain name, usable as {name} in output names"
            )
            out.append(
                error(
                    variants[0].pos if variants else Pos(""),
                    f"decks[{i}].matrix",
                    f"matrix axis '{axis[:80]}' {why}",
                    "name axes with letters, digits and '_' (at most 64, not "
                    "starting with a digit), e.g. audience or month",
                )
            )
    return out


def _count_problem(i: int, entry: DeckEntry, before: int) -> Diagnostic | None:
    """The matrix would make the batch larger than MAX_DECKS: said before expanding it."""
    count = 1
    for variants in entry.matrix.values():
        count *= len(variants)
        if before + count > MAX_DECKS:
            sizes = " × ".join(str(len(v)) for v in entry.matrix.values())
            return error(
                entry.where.get("matrix", entry.pos),
                f"decks[{i}].matrix",
                f"the matrix makes {sizes} decks; a batch holds at most {MAX_DECKS:,} decks",
                "split it into several project files, or cut axes that need not be combined",
            )
    return None


def load_project(path: Path) -> tuple[list[Task], list[Diagnostic]]:
    node, problems = load_yaml(path, str(path))
    if node is None:
        return [], problems
    base = path.resolve().parent
    ctx = Context(str(path), base)
    project = PROJECT.check(node, "", ctx) if isinstance(node, MappingNode) else INVALID
    if project is INVALID:
        return [], problems + ctx.diagnostics or [error(Pos(str(path)), "", "not a project file")]
    tasks: list[Task] = []
    for i, entry in enumerate(project.decks):
        outline = base / entry.outline
        if not _inside(base, outline):
            problems.append(
                error(
                    entry.where["outline"],
                    f"decks[{i}].outline",
                    f"'{entry.outline}' leaves the project's folder",
                    "keep outlines in the project file's folder or below it",
                )
            )
            continue
        if not outline.is_file():
            problems.append(
                error(
                    entry.where["outline"],
                    f"decks[{i}].outline",
                    f"file not found: '{entry.outline}'",
                )
            )
            continue
        for v in (entry.variant, *itertools.chain(*entry.matrix.values())):
            for w in v.with_:
                where = v.where.get("with", v.pos)
                if not _inside(base, base / w):
                    problems.append(
                        error(
                            where,
                            f"decks[{i}].with",
                            f"'{w}' leaves the project's folder",
                            "keep overlays in the project file's folder or below it",
                        )
                    )
                elif not (base / w).is_file():
                    problems.append(error(where, f"decks[{i}].with", f"file not found: '{w}'"))
        for v in (entry.variant, *itertools.chain(*entry.matrix.values())):
            for key, value in v.set.items():
                parsed = parse_set(f"{key}={value}")
                if isinstance(parsed, Diagnostic):
                    problems.append(
                        error(
                            v.where.get("set", v.pos),
                            f"decks[{i}].set",
                            parsed.message,
                            parsed.hint,
                        )
                    )
        axes = list(entry.matrix.items())
        axis_problems = _axis_problems(i, axes)
        problems.extend(axis_problems)
        too_many = _count_problem(i, entry, len(tasks))
        if too_many is not None:
            problems.append(too_many)
            return tasks, problems
        bad_names = [
            (axis, v)
            for axis, variants in axes
            for v in variants
            if v.name is not None and not SAFE_NAME.fullmatch(v.name)
        ]
        for axis, v in bad_names:
            problems.append(
                error(
                    v.where.get("name", v.pos),
                    f"decks[{i}].matrix.{axis}",
                    f"variant name '{v.name}' may not be used in a file name",
                    "use letters, digits, '-', '_' or '.' (at most 64, not starting with '.')",
                )
            )
        pattern = entry.output or ("build/{stem}" + "".join(f"-{{{a}}}" for a, _ in axes) + ".pptx")
        fields = {"stem", *(a for a, _ in axes)}
        refusal = "" if axis_problems else _pattern_problem(pattern, fields)
        if refusal:
            problems.append(
                error(
                    entry.where.get("output", entry.pos),
                    f"decks[{i}].output",
                    refusal,
                    "use only {stem} and the matrix axis names, as "
                    "{name} with nothing else inside the braces",
                )
            )
        elif not pattern.lower().endswith(".pptx"):
            refusal = f"output '{pattern}' does not end in .pptx"
            problems.append(
                error(
                    entry.where.get("output", entry.pos),
                    f"decks[{i}].output",
                    refusal,
                    "name the output something.pptx",
                )
            )
        if bad_names or refusal or axis_problems:
            continue
        for combo in itertools.product(*(variants for _, variants in axes)) if axes else [()]:
            names = {}
            for (axis, variants), variant in zip(axes, combo):
                names[axis] = variant.name or str(variants.index(variant) + 1)
            stem = Path(entry.outline).stem
            output = pattern.format(stem=stem, **names)
            if not _inside(base, base / output):
                problems.append(
                    error(
                        entry.where.get("output", entry.pos),
                        f"decks[{i}].output",
                        f"output '{output}' leaves the project's folder",
                        "write outputs into the project's folder, e.g. build/",
                    )
                )
                break
            label = entry.outline + "".join(f" [{n}]" for n in names.values())
            tasks.append(
                Task(outline, base / output, _options(base, [entry.variant, *combo]), label)
            )
    outputs = Counter(real(t.output) for t in tasks)
    for out in sorted(o for o, n in outputs.items() if n > 1):
        problems.append(
            error(
                Pos(str(path)),
                "decks",
                f"two decks write {out}",
                "give each variant its own output name",
            )
        )
    return tasks, problems
