"""YAML as people write it: positions, and the surprises we refuse or avoid."""

from __future__ import annotations

import time
from pathlib import Path

from conftest import REPO
from yamldeck.build import check_deck


def check(tmp_path: Path, text: str | bytes):
    path = tmp_path / "deck.yaml"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    result = check_deck(path, "deck.yaml")
    return result, [d.format() for d in result.diagnostics if d.is_error]


def test_yaml_11_surprises_stay_text(tmp_path: Path):
    result, errors = check(
        tmp_path,
        "title: NO\nsubtitle: 12:30\nauthor: 0123\n"
        "slides:\n  - title: yes\n    bullets: [1.10, off]\n",
    )
    assert errors == []
    title = result.deck.slides[0]
    assert (title.title, title.subtitle, title.author) == ("NO", "12:30", "0123")
    assert [p.text for p in result.deck.slides[1].paras] == ["1.10", "off"]


def test_only_true_and_false_are_booleans(tmp_path: Path):
    _, errors = check(tmp_path, "title: T\nagenda: yes\nsections:\n  - title: s\n")
    assert errors == []  # `yes` is a title here, not a boolean
    _, errors = check(tmp_path, "title: T\nagenda: [1]\nsections:\n  - title: s\n")
    assert errors == [
        "deck.yaml:2:9: error: agenda: expected true, false, the agenda's title or "
        "{title, repeat}, found a list"
    ]


def test_duplicate_keys_cite_both_lines(tmp_path: Path):
    _, errors = check(tmp_path, "title: A\nslides:\n  - title: x\ntitle: B\n")
    assert errors == [
        "deck.yaml:4:1: error: duplicate key 'title' (first defined at line 1)\n"
        "  hint: remove one of them; YAML would silently keep the last"
    ]


def test_alias_bomb_is_refused_at_once(tmp_path: Path):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for i in range(1, 9):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]\n"
    start = time.monotonic()
    _, errors = check(tmp_path, bomb)
    assert time.monotonic() - start < 1.0
    assert errors[0].startswith("deck.yaml:1:4: error: anchors are not allowed (found '&a')")


def test_python_tags_are_refused_and_never_run(tmp_path: Path):
    marker = tmp_path / "ran"
    _, errors = check(tmp_path, f'title: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert errors[0].startswith("deck.yaml:1:8: error: tags are not allowed")
    assert not marker.exists()


def test_empty_file_top_level_list_and_deep_nesting(tmp_path: Path):
    assert check(tmp_path, "# nothing\n")[1][0].startswith(
        "deck.yaml:1:1: error: the outline is empty"
    )
    assert "expected a mapping at the top level, found a list" in check(tmp_path, "- a\n")[1][0]
    deep = "title: " + "[" * 5000 + "]" * 5000 + "\n"
    assert "nesting deeper than 64 levels" in check(tmp_path, deep)[1][0]


def test_shift_jis_file_says_how_to_resave(tmp_path: Path):
    _, errors = check(tmp_path, "title: 事業レビュー\n".encode("cp932"))
    assert "file is not UTF-8 (it looks like Shift_JIS)" in errors[0]
    assert "re-save it as UTF-8" in errors[0]


def test_syntax_error_has_a_position(tmp_path: Path):
    _, errors = check(tmp_path, "title: T\nslides:\n  - title: [unclosed\n")
    # At the bracket that is never closed, not where PyYAML gave up (line 4).
    assert errors[0].startswith("deck.yaml:3:12: error: the '[' here is not closed with ']'")


def test_all_problems_are_reported_in_one_pass(tmp_path: Path):
    _, errors = check(
        tmp_path,
        "title: T\nslides:\n  - titel: a\n  - title: b\n    bulets: []\n"
        "  - title: c\n    chart: nope\n",
    )
    assert len(errors) == 3
    assert "did you mean 'title'?" in errors[0] and "did you mean 'bullets'?" in errors[1]
    assert "unknown chart 'nope'" in errors[2]


def _tree(node):
    """Everything of a composed node the loader reads: kind, tag, value, style, positions."""
    from yamldeck.yamlsource import MappingNode, SequenceNode

    marks = tuple(
        (m.line, m.column, m.index, m.buffer[m.index : m.index + 8] if m.buffer else None)
        for m in (node.start_mark, node.end_mark)
    )
    head = (type(node).__name__, node.tag, marks)
    if isinstance(node, MappingNode):
        return (*head, node.flow_style, [(_tree(k), _tree(v)) for k, v in node.value])
    if isinstance(node, SequenceNode):
        return (*head, node.flow_style, [_tree(v) for v in node.value])
    return (*head, node.value, node.style)


def test_libyaml_and_pyyaml_compose_every_outline_alike():
    """Outlines load through libyaml (fast); whatever it composes must be exactly what
    PyYAML composes: same values, styles, tags and positions (line, column, index), for
    every YAML file of the repo, the examples and the golden bad outlines. (Text libyaml
    refuses is read by PyYAML.)"""
    from yamldeck.yamlsource import _FastComposer, _SafeComposer

    files = sorted(REPO.glob("*.yaml")) + sorted((REPO / "examples").rglob("*.yaml"))
    files += sorted((REPO / "tests" / "bad").glob("*.yaml"))
    compared = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            slow = _SafeComposer(text)
            slow.name = path.name
            expected = slow.get_single_node()
        except Exception:
            continue  # PyYAML refuses it: the fast path is never used for it
        try:
            got = _FastComposer(text, path.name).get_single_node()
        except Exception:
            continue  # libyaml refuses it (a lone surrogate escape): PyYAML reads it
        assert (_tree(got) if got else None) == (_tree(expected) if expected else None), path
        compared += 1
    assert compared > 40
