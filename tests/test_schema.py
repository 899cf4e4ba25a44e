"""`yamldeck schema`: generated from the loader's own definitions, and the repo deck fits it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import EXAMPLE, REPO
from yamldeck.build import check_deck
from yamldeck.cli import main
from yamldeck.yamlsource import MappingNode, ScalarNode, SequenceNode, compose_text

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def as_editor_sees_it(node):
    """Nodes to JSON values with YAML 1.2 core rules, as yaml-language-server reads them."""
    if isinstance(node, MappingNode):
        return {k.value: as_editor_sees_it(v) for k, v in node.value}
    if isinstance(node, SequenceNode):
        return [as_editor_sees_it(v) for v in node.value]
    assert isinstance(node, ScalarNode)
    text = node.value
    if node.style is not None:
        return text
    if text in ("true", "false"):
        return text == "true"
    if text in ("null", "~", ""):
        return None
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def schema() -> dict:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    return json.loads(result.stdout)


def load(text: str):
    node, problems = compose_text(text, "deck.yaml")
    assert not problems
    return as_editor_sees_it(node)


def test_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(schema())


@pytest.mark.parametrize("source", ["repo", "example", "readme"])
def test_good_outlines_validate(source: str):
    if source == "repo":
        text = (REPO / "deck.yaml").read_text(encoding="utf-8")
    elif source == "example":
        text = EXAMPLE
    else:
        readme = (REPO / "README.md").read_text(encoding="utf-8")
        text = next(b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "sections:" in b)
    jsonschema.validate(load(text), schema())


@pytest.mark.parametrize(
    "name", ["unknown_key", "wrong_type_bullets", "columns_nine", "unknown_kind", "missing_title"]
)
def test_schema_rejects_what_the_loader_rejects(name: str):
    text = (Path(__file__).parent / "bad" / f"{name}.yaml").read_text(encoding="utf-8")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(load(text), schema())


def test_schema_describes_keys_for_completion():
    props = schema()["properties"]
    assert "speaker notes" in json.dumps(props["sections"], ensure_ascii=False)
    assert props["title"]["description"] == "deck title"


BULLETS = "title: T\nslides:\n  - title: s\n    bullets:\n"


# (snippet under `bullets:`, accepted by the tool)
SCHEMA_CASES = [
    ("      - 売上: 1,134百万円（計画比 98.6%）\n", True),
    ("      - 売上: 1134\n", True),
    ("      - 2026\n", True),
    ("      - 確定: true\n", True),
    ("      - 主な要因: [海外, 価格]\n", True),
    ("      - 主な要因: [1, 2]\n", True),
    ("      - 主な要因: []\n", True),
    ("      - 主な要因:\n", False),
    ("      - {売上: 1, 利益: 2}\n", False),
    ("      - 売上: {計画: 1}\n", False),
    ("      - 主な要因: [[入れ子]]\n", False),
    ("      - '   '\n", False),
    ("      - ''\n", False),
    ("      -\n", False),
]


@pytest.mark.parametrize(("snippet", "accepted"), SCHEMA_CASES)
def test_schema_agrees_with_the_tool_on_bullets(tmp_path: Path, snippet: str, accepted: bool):
    text = BULLETS + snippet
    (tmp_path / "deck.yaml").write_text(text, encoding="utf-8")
    result = check_deck(tmp_path / "deck.yaml", "deck.yaml")
    tool = not any(d.is_error for d in result.diagnostics)
    try:
        jsonschema.validate(load(text), schema())
        editor = True
    except jsonschema.ValidationError:
        editor = False
    assert (tool, editor) == (accepted, accepted)
