"""A no-op build is answered from the cache alone: no Click, no YAML, no planner, no library,
and the same words as the full command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OUTLINE = """\
title: 月次レビュー
charts:
  unused: {{kind: bar, data: {{月: [4月], 売上: [1]}}, x: 月, y: 売上}}
slides:
  - title: ハイライト
    bullets: [売上は増加]
  - title: 長すぎる本文
    bullets: [{bullets}]
"""

PROBE = """
import sys
from yamldeck.entry import quick_noop
code = quick_noop(sys.argv[1:])
heavy = ("click", "yaml", "matplotlib", "pptx", "PIL", "numpy", "yamldeck.outline",
         "yamldeck.deck", "yamldeck.cli", "importlib.metadata")
print("CODE", code, "LOADED", sorted(m for m in heavy if m in sys.modules))
"""


def yamldeck(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "yamldeck", *args], cwd=folder, capture_output=True, text=True
    )


def test_noop_build_loads_nothing_heavy_and_says_what_the_full_command_says(tmp_path: Path):
    long = ", ".join(f"項目{i}は長い説明を含む文章です" for i in range(40))
    (tmp_path / "deck.yaml").write_text(OUTLINE.format(bullets=long), encoding="utf-8")
    first = yamldeck(tmp_path, "build")
    assert first.returncode == 0, first.stderr
    assert "warning:" in first.stderr  # a chart never shown: a warning to repeat
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "CODE 0 LOADED []" in probe.stdout, probe.stdout + probe.stderr
    quick = yamldeck(tmp_path, "build")
    assert quick.returncode == 0
    assert quick.stdout == "up to date: build/deck.pptx\n"
    warnings = [line for line in first.stderr.splitlines() if "warning:" in line]
    assert [line for line in quick.stderr.splitlines() if "warning:" in line] == warnings
    # Anything the quick path does not know goes to the full command line.
    for args in (["build", "--force"], ["build", "--strict"], ["check"], ["build", "x.yaml"]):
        probe = subprocess.run(
            [sys.executable, "-c", PROBE, *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        assert "CODE None" in probe.stdout, (args, probe.stdout)


# Without warnings to print (their formatting needs dataclasses, which imports re), not
# even these: the stamp is read and the options' key written with json's C functions;
# small inputs are hashed without starting OpenSSL (_hashlib), and the versions are read
# from the cache (kept by the build), not computed (which hashes all of yamldeck's source).
LIGHT = '"importlib.metadata", "json", "re", "pathlib", "dataclasses", "_hashlib")'


def test_a_noop_without_warnings_loads_not_even_json_or_dataclasses(tmp_path: Path):
    (tmp_path / "deck.yaml").write_text("title: T\nslides:\n  - {title: A, bullets: [b]}\n")
    # Built with the probe's import path ('' first, as `python -c`): the versions the build
    # keeps are for the probe's environment.
    built = subprocess.run(
        [sys.executable, "-c", "from yamldeck.entry import main; main()", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    probe = subprocess.run(
        [sys.executable, "-c", PROBE.replace('"importlib.metadata")', LIGHT), "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "CODE 0 LOADED []" in probe.stdout, probe.stdout + probe.stderr


def test_an_edited_outline_is_rebuilt_not_answered_quickly(tmp_path: Path):
    outline = tmp_path / "deck.yaml"
    outline.write_text(OUTLINE.format(bullets="短い"), encoding="utf-8")
    assert yamldeck(tmp_path, "build").returncode == 0
    outline.write_text(OUTLINE.format(bullets="変更した"), encoding="utf-8")
    result = yamldeck(tmp_path, "build")
    assert result.returncode == 0 and result.stdout.startswith("wrote build/deck.pptx")
    bad = yamldeck(tmp_path, "build", "--shard", "9/2")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_stamps_read_and_write_json_as_the_json_module_does(monkeypatch):
    """The quick path reads stamps and writes the options' key with json's C functions
    (importing json costs a no-op its re): same text, same values, same refusals."""
    import json

    from yamldeck import stamps

    for charts, overlays, sets in [
        (None, (), ()),
        ("native", ("/a/b.yaml", "/社外/ov.yaml"), ("date=2026-04-08", 'title="引用" \\ x')),
        ("image", (), ("footer=社外秘\tタブ", "x=\u2028")),
    ]:
        for epoch in ("", "1700000000", '1"2'):
            monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
            expected = json.dumps(
                {
                    "charts": charts or "",
                    "overlays": list(overlays),
                    "sets": list(sets),
                    "only": ["board"],
                    "skip": [],
                    "SOURCE_DATE_EPOCH": epoch,
                },
                ensure_ascii=False,
                sort_keys=True,
            )
            assert stamps.options_key(charts, overlays, sets, ("board",)) == expected
    for text in ['{"a": [1, 2.5, "x"], "b": {"c": null, "d": true}}', ' {"k": "\\u65e5"}\n']:
        assert stamps.parse_json(text) == json.loads(text)
    for bad in ["", "{", '{"a": 1} x', "NaN", "[" * 100_000]:
        try:
            stamps.parse_json(bad)
        except (ValueError, RecursionError):
            continue
        raise AssertionError(f"{bad[:10]!r} was accepted")
