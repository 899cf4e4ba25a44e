"""Property: whatever the outline or template holds, the CLI ends with 0, 1, 2 or 3 and never
a traceback.

Outlines are mutated two ways: freely (keys deleted, values replaced by other types, random
unicode, truncation, broken indentation; mostly caught by check) and within the format
(new texts, longer lists, other chart kinds, a company template; these mostly build, so the
planner, fitter and writer get fuzzed). Random bytes are fed in, and a company template is
mutated part by part (attribute values, removed attributes and elements, random bytes,
truncated or missing parts) and built. Any exception that escapes is a bug in yamldeck.
"""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE, SALES_CSV, make_image, make_template
from template_mutations import pack, parts_of
from yamldeck.cli import main

ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates and controls too
ANY_TEXT = st.text(ANY_CHAR, max_size=40)
SCALARS = st.one_of(st.integers(), st.floats(), st.booleans(), st.none(), ANY_TEXT)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=6), SCALARS, max_size=2),
)
BASE = yaml.safe_load(EXAMPLE)
#: Examples per property; CI runs the default, YAMLDECK_FUZZ=5 runs five times as many.
SCALE = int(os.environ.get("YAMLDECK_FUZZ", "1"))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "data").mkdir()
    (root / "data" / "sales.csv").write_text(SALES_CSV, encoding="utf-8")
    make_image(root / "images" / "plant.png")
    (root / "templates").mkdir()
    make_template(root / "templates" / "corp.pptx")
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


def run_cli(project: Path, content: bytes, command: str) -> bool:
    """Run ``command`` on ``content`` as deck.yaml; True when a deck was written."""
    (project / "deck.yaml").write_bytes(content)
    out = project / "out.pptx"
    out.unlink(missing_ok=True)
    args = [command, str(project / "deck.yaml")]
    args += (
        ["-o", str(out), "--cache", str(project / "cache"), "--force"]
        if command == "build"
        else ["--strict"]
    )
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2, 3), result.output
    assert "Traceback" not in result.output + result.stderr
    assert "internal error" not in result.stderr, result.stderr
    return command == "build" and result.exit_code == 0 and out.is_file()


# ----------------------------------------------------------- mutations within the format

#: Text a user might type: any assigned character but controls, surrogates, private use.
USER_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn")),
    min_size=1,
    max_size=80,
).filter(lambda t: t.strip() == t and t != "")
FREE_KEYS = {
    "title",
    "subtitle",
    "author",
    "footer",
    "notes",
    "quote",
    "by",
    "caption",
    "heading",
    "source",
}
FREE_LISTS = {"bullets", "flow", "rows", "header"}
OPTIONAL_KEYS = {
    "subtitle",
    "author",
    "date",
    "footer",
    "agenda",
    "theme",
    "notes",
    "caption",
    "by",
    "source",
    "rebase",
    "unit",
    "highlight",
}
GROWABLE = {"bullets", "rows", "slides"}
CHART_KINDS = ("bar", "barh", "line", "stacked_bar")


def _get(tree, path):
    for step in path:
        tree = tree[step]
    return tree


@st.composite
def outline_in_format(draw) -> bytes:
    """The example outline changed the way a user would change it: it stays valid."""
    tree = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        spots = list(places(tree))
        how = draw(
            st.sampled_from(
                ["text", "text", "drop", "grow", "kind", "number", "template", "native"]
            )
        )
        if how == "text":
            texts = [
                p
                for p in spots
                if (
                    isinstance(_get(tree, p), str)
                    and (p[-1] in FREE_KEYS or any(step in FREE_LISTS for step in p))
                    and "charts" not in p[:1]
                )
                or (p[:1] == ("charts",) and p[-1] in FREE_KEYS)
            ]
            where = draw(st.sampled_from(texts))
            _get(tree, where[:-1])[where[-1]] = draw(USER_TEXT)
        elif how == "drop":
            optional = [p for p in spots if p[-1] in OPTIONAL_KEYS]
            if optional:
                where = draw(st.sampled_from(optional))
                del _get(tree, where[:-1])[where[-1]]
        elif how == "grow":
            lists = [p for p in spots if p[-1] in GROWABLE and isinstance(_get(tree, p), list)]
            items = _get(tree, draw(st.sampled_from(lists)))
            pick = draw(st.integers(0, len(items) - 1))
            copies = draw(st.integers(1, 25))
            items[pick:pick] = [copy.deepcopy(items[pick]) for _ in range(copies)]
        elif how == "kind":
            chart = tree["charts"][draw(st.sampled_from(sorted(tree["charts"])))]
            chart["kind"] = draw(st.sampled_from(CHART_KINDS))
        elif how == "number":
            rows = tree["sections"][1]["slides"][0]["table"]["rows"]
            rows[draw(st.integers(0, len(rows) - 1))][2] = draw(
                st.one_of(st.integers(-(10**12), 10**12), st.floats(-1e9, 1e9, allow_nan=False))
            )
        elif how == "template":
            tree["template"] = "templates/corp.pptx"
        else:
            chart = tree["charts"][draw(st.sampled_from(sorted(tree["charts"])))]
            chart["render"] = "native"
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode("utf-8")


@settings(max_examples=500 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=mutated_outline())
def test_mutated_outlines_check_cleanly(project: Path, content: bytes):
    run_cli(project, content, "check")


def test_outlines_build_cleanly(project: Path):
    """Mostly outlines within the format (so most examples write a deck), some broken."""
    built: list[bool] = []

    @settings(
        max_examples=60 * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        content=st.one_of(
            outline_in_format(), outline_in_format(), outline_in_format(), mutated_outline()
        )
    )
    def builds(content: bytes):
        built.append(run_cli(project, content, "build"))

    builds()
    assert sum(built) >= len(built) // 2, f"only {sum(built)} of {len(built)} built a deck"


@settings(max_examples=200 * SCALE, deadline=None)
@given(content=st.binary(max_size=2000))
def test_random_bytes_check_cleanly(project: Path, content: bytes):
    run_cli(project, content, "check")


# ------------------------------------------------------------------ mutated templates

ATTRIBUTE = re.compile(rb'(\s[\w:]+)="([^"]*)"')
EMPTY_ELEMENT = re.compile(rb"<[\w:]+(?:\s[^<>]*)?/>")
ODD_VALUES = st.one_of(
    st.sampled_from(
        [
            b"",
            b"0",
            b"-1",
            b"-914400",
            b"1",
            b"99999999999999999999",
            b"abc",
            b"1e5",
            b" 12 ",
            b"4294967296",
            b"400001",
            b"50%",
            b"NaN",
            b"&amp;",
            b"title",
            b"body",
            b"obj",
            b"rId1",
            b"rId99",
            b"../x.xml",
            b"/ppt/",
        ]
    ),
    st.integers(-(10**15), 10**15).map(lambda n: str(n).encode()),
)


HOW = ("value", "value", "value", "no_attribute", "no_element", "bytes", "truncate", "drop")


def template_changes(names: list[str]) -> st.SearchStrategy:
    """One to three changes (part, how, where, value) to a template with parts ``names``.

    Kept small and printable, so a failing example reads well; apply_changes makes the file.
    """
    xml = [n for n in names if n.endswith((".xml", ".rels"))]
    change = st.tuples(
        st.one_of(st.sampled_from(xml), st.sampled_from(names)),
        st.sampled_from(HOW),
        st.integers(0, 10**6),
        st.one_of(ODD_VALUES, st.binary(min_size=1, max_size=8)),
    )
    return st.lists(change, min_size=1, max_size=3)


def apply_changes(base: bytes, changes) -> bytes:
    parts = parts_of(base)
    for name, how, at, value in changes:
        if name not in parts:
            continue
        data = parts[name]
        attributes = list(ATTRIBUTE.finditer(data))
        empties = list(EMPTY_ELEMENT.finditer(data))
        if how in ("value", "no_attribute") and attributes:
            m = attributes[at % len(attributes)]
            new = b"" if how == "no_attribute" else m.group(1) + b'="' + value + b'"'
            data = data[: m.start()] + new + data[m.end() :]
        elif how == "no_element" and empties:
            m = empties[at % len(empties)]
            data = data[: m.start()] + data[m.end() :]
        elif how == "bytes" and data:
            at %= len(data)
            data = data[:at] + value + data[at + 1 :]
        elif how == "truncate":
            data = data[: at % (len(data) + 1)]
        elif how == "drop":
            del parts[name]
            continue
        parts[name] = data
    return pack(parts)


def test_mutated_templates_build_cleanly(project: Path):
    """check, build and inspect on a mutated company template: a clear error or a deck."""
    base = (project / "templates" / "corp.pptx").read_bytes()
    outline = ("template: templates/fuzz.pptx\n" + EXAMPLE).encode("utf-8")
    built: list[bool] = []

    @settings(
        max_examples=100 * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(changes=template_changes(sorted(parts_of(base))))
    def builds(changes):
        (project / "templates" / "fuzz.pptx").write_bytes(apply_changes(base, changes))
        result = CliRunner().invoke(main, ["inspect", str(project / "templates" / "fuzz.pptx")])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code in (0, 1), result.output
        built.append(run_cli(project, outline, "build"))

    builds()
    assert any(built) and not all(built), f"{sum(built)} of {len(built)} built a deck"


@pytest.mark.parametrize("mangled", ["", "http://schemas.openxmlformats.org/x/core0"])
def test_a_template_relationship_without_a_type_is_dropped(project: Path, mangled: str):
    """Found by the fuzzer: a template whose package relationship to docProps/core.xml lost
    its Type. python-pptx wrote that relationship back invalid and saved core.xml twice (a
    zip with a name twice: a repair prompt). Such a relationship is now cut on opening."""
    import io
    import zipfile

    base = (project / "templates" / "corp.pptx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    rels = parts["_rels/.rels"].decode()
    core = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
    assert core in rels
    parts["_rels/.rels"] = rels.replace(core, mangled).encode()
    (project / "templates" / "untyped.pptx").write_bytes(pack(parts))
    (project / "deck.yaml").write_text(
        "template: templates/untyped.pptx\ntitle: 型のない関係\n"
        "slides:\n  - {title: A, bullets: [b]}\n",
        encoding="utf-8",
    )
    out = project / "untyped-out.pptx"
    result = CliRunner().invoke(main, ["build", str(project / "deck.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        assert len(names) == len(set(names))
        assert f'Type="{mangled}"' not in z.read("_rels/.rels").decode()
        assert "<dc:title>型のない関係</dc:title>" in z.read("docProps/core.xml").decode()
