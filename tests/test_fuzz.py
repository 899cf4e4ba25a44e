"""Property: whatever the outline holds, the CLI ends with 0, 1 or 3 and never a traceback.

Valid outlines are mutated (keys deleted, values replaced by other types, random unicode,
truncation, broken indentation) and random bytes are fed in. Any exception that escapes
is a bug in yamldeck, not in the outline.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, SALES_CSV, make_image
from yamldeck.cli import main

ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates and controls too
ANY_TEXT = st.text(ANY_CHAR, max_size=40)
SCALARS = st.one_of(st.integers(), st.floats(), st.booleans(), st.none(), ANY_TEXT)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3),
                   st.dictionaries(st.text(max_size=6), SCALARS, max_size=2))
BASE = yaml.safe_load(EXAMPLE)
#: Examples per property; CI runs the default, YAMLDECK_FUZZ=5 runs five times as many.
SCALE = int(os.environ.get("YAMLDECK_FUZZ", "1"))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "data").mkdir()
    (root / "data" / "sales.csv").write_text(SALES_CSV, encoding="utf-8")
    make_image(root / "images" / "plant.png")
    return root


def places(tree, path=()):
    """Every (container, key) in the tree, so a mutation can hit any value."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield path + (key,)
            yield from places(value, path + (key,))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            yield path + (i,)
            yield from places(value, path + (i,))


@st.composite
def mutated_outline(draw) -> bytes:
    tree = copy.deepcopy(BASE)
    all_places = list(places(tree))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(all_places))
        parent = tree
        try:
            for step in where[:-1]:
                parent = parent[step]
            if draw(st.booleans()):
                del parent[where[-1]]
            else:
                parent[where[-1]] = draw(VALUES)
        except (KeyError, IndexError, TypeError):
            pass  # an earlier mutation removed this place
    try:
        text = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        text = EXAMPLE
    lines = text.splitlines()
    how = draw(st.sampled_from(["none", "truncate", "indent", "insert", "replace_line"]))
    if how == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif how == "indent" and lines:
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = " " * draw(st.integers(0, 7)) + lines[i].lstrip()
        text = "\n".join(lines)
    elif how == "insert":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(ANY_TEXT) + text[at:]
    elif how == "replace_line" and lines:
        lines[draw(st.integers(0, len(lines) - 1))] = draw(ANY_TEXT)
        text = "\n".join(lines)
    return text.encode("utf-8", "surrogatepass")


def run_cli(project: Path, content: bytes, command: str) -> None:
    (project / "deck.yaml").write_bytes(content)
    result = CliRunner().invoke(main, [command, str(project / "deck.yaml"), "-o" if
                                       command == "build" else "--strict",
                                       *([str(project / "out.pptx")] if command == "build"
                                         else [])])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 3), result.output
    assert "Traceback" not in result.output + result.stderr


@settings(max_examples=500 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=mutated_outline())
def test_mutated_outlines_check_cleanly(project: Path, content: bytes):
    run_cli(project, content, "check")


@settings(max_examples=120 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=mutated_outline())
def test_mutated_outlines_build_cleanly(project: Path, content: bytes):
    run_cli(project, content, "build")


@settings(max_examples=200 * SCALE, deadline=None)
@given(content=st.binary(max_size=2000))
def test_random_bytes_check_cleanly(project: Path, content: bytes):
    run_cli(project, content, "check")
