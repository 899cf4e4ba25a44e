"""What makes an edited deck's rebuild fast changes no byte and no word: the zip written
once (entries copied compressed from the last output), planning in a forked child, widths
and line breaks kept in the cache, versions remembered, and the build run without Click."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from yamldeck.background import Beside
from yamldeck.writer.reproducible import Earlier, _write_zipfile, write_zip

REPO = Path(__file__).resolve().parent.parent
BULLET = "国家戦略・政策・資金・技術を**一体で**動かす"


def _entries(seed: int) -> list[tuple[str, bytes]]:
    rnd = random.Random(seed)
    entries = [
        ("[Content_Types].xml", b"<Types/>"),
        ("ppt/slides/slide1.xml", ("<p:sld>" + "日本語のテキスト" * 200 + "</p:sld>").encode()),
        ("ppt/media/image1.png", bytes(rnd.getrandbits(8) for _ in range(5000))),
        ("ppt/empty.xml", b""),
        ("ppt/名前のある部品.xml", "非ASCIIの名前".encode()),  # UTF-8 flag in the headers
    ]
    entries += [(f"ppt/slides/slide{i}.xml", f"<s>{i}</s>".encode() * i) for i in range(2, 9)]
    return entries


def _same_crc(data: bytes) -> bytes:
    """Other bytes of the same length and CRC-32 as ``data`` (at least 8 bytes long): its
    first byte changed, and four bytes after it chosen to bring the CRC back. CRC-32 is
    affine over GF(2), so the four bytes solve 32 linear equations."""
    import zlib

    base = bytearray(data)
    base[0] ^= 0xFF
    want = zlib.crc32(data) ^ zlib.crc32(bytes(base))

    def effect(bit: int) -> int:  # what flipping one bit of bytes 1–4 does to the CRC
        flipped = bytearray(base)
        flipped[1 + bit // 8] ^= 1 << (bit % 8)
        return zlib.crc32(bytes(flipped)) ^ zlib.crc32(bytes(base))

    # Gauss–Jordan elimination: for each CRC bit, one combination of flips that sets it.
    pivots: dict[int, tuple[int, int]] = {}  # CRC bit → (effect, flips)
    for flip in range(32):
        effect_, flips = effect(flip), 1 << flip
        for bit, (pivot_effect, pivot_flips) in pivots.items():
            if effect_ >> bit & 1:
                effect_, flips = effect_ ^ pivot_effect, flips ^ pivot_flips
        if effect_:
            bit = effect_.bit_length() - 1
            for other, (other_effect, other_flips) in list(pivots.items()):
                if other_effect >> bit & 1:
                    pivots[other] = (other_effect ^ effect_, other_flips ^ flips)
            pivots[bit] = (effect_, flips)
    solution = 0
    for bit, (_, flips) in pivots.items():
        if want >> bit & 1:
            solution ^= flips
    for bit in range(32):
        if solution >> bit & 1:
            base[1 + bit // 8] ^= 1 << (bit % 8)
    forged = bytes(base)
    assert forged != data and len(forged) == len(data) and zlib.crc32(forged) == zlib.crc32(data)
    return forged


def test_our_zip_is_the_bytes_zipfile_writes_and_copies_only_what_is_equal():
    entries = _entries(1)
    first = write_zip(entries)
    assert first == _write_zipfile(entries)
    with zipfile.ZipFile(__import__("io").BytesIO(first)) as package:
        assert package.testzip() is None
        assert [(n, package.read(n)) for n in package.namelist()] == entries

    # The next package: one entry changed with the same length (the CRC and size could
    # match by chance, the content check must not copy it), one longer, the rest equal.
    changed = list(entries)
    changed[1] = ("ppt/slides/slide1.xml", entries[1][1].replace("日本".encode(), "中国".encode()))
    assert len(changed[1][1]) == len(entries[1][1])
    changed[5] = (changed[5][0], changed[5][1] + b"<more/>")
    again = write_zip(changed, Earlier(first))
    assert again == _write_zipfile(changed)
    # Even with the same name, length and CRC-32, different bytes are compressed anew.
    forged = [
        (name, _same_crc(content) if name.endswith("slide3.xml") else content)
        for name, content in entries
    ]
    assert write_zip(forged, Earlier(first)) == _write_zipfile(forged)

    # A damaged or foreign earlier package is no source: every entry is compressed anew.
    for earlier in (first[: len(first) // 2], b"not a zip", _write_zipfile(entries[:3])):
        assert write_zip(changed, Earlier(earlier)) == _write_zipfile(changed)


def test_a_child_hands_back_its_result_or_none_when_it_fails():
    assert Beside(lambda: {"slides": [1, 2, 3], "text": "日本"}).result() == {
        "slides": [1, 2, 3],
        "text": "日本",
    }
    assert Beside(lambda: 1 / 0).result() is None  # the caller plans in its own process
    assert Beside(lambda: os._exit(3)).result() is None  # a child killed or gone
    assert Beside(lambda: lambda: None).result() is None  # what cannot be pickled
    hung = Beside(lambda: time.sleep(3600))  # a child stuck: stopped, and reaped
    started = time.monotonic()
    assert hung.result(seconds=0.5) is None and time.monotonic() - started < 5
    try:
        os.kill(hung.pid, 0)
        raise AssertionError("the stuck child is still there")
    except ProcessLookupError:
        pass


def _yamldeck(
    folder: Path, *args: str, timeout: float | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "yamldeck", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _project(folder: Path) -> Path:
    shutil.copytree(REPO / "assets", folder / "assets")
    (folder / "deck.yaml").write_bytes((REPO / "deck.yaml").read_bytes())
    return folder / "deck.yaml"


def _edit(outline: Path, ending: str) -> None:
    text = outline.read_text(encoding="utf-8")
    edited = re.sub(rf"- {re.escape(BULLET)}.?\n", f"- {BULLET}{ending}\n", text, count=1)
    assert edited != text
    outline.write_text(edited, encoding="utf-8")


def test_an_edited_deck_is_the_file_a_build_from_nothing_writes(tmp_path: Path):
    """The edited rebuild (planned in a child, unchanged slides and zip entries taken from
    the last output, widths and line breaks from the cache) gives the same bytes, the same
    words and exit code as the first build of the same outline, with or without Click."""
    outline = _project(tmp_path / "work")
    first = _yamldeck(outline.parent, "build")
    assert first.returncode == 0, first.stderr
    cache = outline.parent / ".yamldeck-cache"
    assert list((cache / "widths").glob("*.json")) and list((cache / "wraps").glob("*.json"))

    _edit(outline, "。")
    edited = _yamldeck(outline.parent, "build")  # the quick path: no Click
    fresh_outline = _project(tmp_path / "fresh")
    fresh_outline.write_bytes(outline.read_bytes())
    fresh = _yamldeck(fresh_outline.parent, "build", "-j", "1")  # the full command line
    assert (edited.returncode, edited.stdout, edited.stderr) == (
        fresh.returncode,
        fresh.stdout,
        fresh.stderr,
    )
    assert edited.stdout == "wrote build/deck.pptx (26 slides)\n"
    built = (outline.parent / "build" / "deck.pptx").read_bytes()
    assert built == (fresh_outline.parent / "build" / "deck.pptx").read_bytes()

    # Line breaks kept in the cache but damaged (every text said to take one line; the
    # header's digest no longer matches) are not used: the same file again.
    for entry in (cache / "wraps").glob("*.json"):
        header, _, payload = entry.read_bytes().partition(b"\n")
        rows = [[*row[:4], ["X"]] for row in json.loads(payload)]
        entry.write_bytes(header + b"\n" + json.dumps(rows).encode())
    _edit(outline, "！")
    assert _yamldeck(outline.parent, "build").returncode == 0
    fresh_outline.write_bytes(outline.read_bytes())
    assert _yamldeck(fresh_outline.parent, "build", "--force").returncode == 0
    assert (outline.parent / "build" / "deck.pptx").read_bytes() == (
        fresh_outline.parent / "build" / "deck.pptx"
    ).read_bytes()


PROBE = """
import sys
from yamldeck.entry import quick_build
code = quick_build(sys.argv[1:])
print("CODE", code, "CLICK", "click" in sys.modules)
"""


def test_a_plain_build_runs_without_click_and_reports_as_the_command_line(tmp_path: Path):
    outline = tmp_path / "deck.yaml"
    outline.write_text("title: T\nslides:\n  - {title: A, bullets: [b]}\n", encoding="utf-8")
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, "build", "-q"], cwd=tmp_path, capture_output=True, text=True
    )
    assert "CODE 0 CLICK False" in probe.stdout, probe.stdout + probe.stderr
    # An outline with an error: the same message and exit code both ways.
    outline.write_text("title: T\nslides:\n  - {title: A, bulets: [b]}\n", encoding="utf-8")
    quick = _yamldeck(tmp_path, "build")
    full = _yamldeck(tmp_path, "build", "-j", "1")
    assert quick.returncode == full.returncode == 1
    assert quick.stderr == full.stderr and "deck.yaml:3" in quick.stderr
    assert quick.stdout == full.stdout == "failed: deck.yaml\n"
    # What it does not know (other flags, a project, a missing file) is the command line's.
    for args in (["build", "-o", "x.pptx"], ["build", "--force"], ["build", "nothing.yaml"]):
        probe = subprocess.run(
            [sys.executable, "-c", PROBE, *args], cwd=tmp_path, capture_output=True, text=True
        )
        assert "CODE None CLICK False" in probe.stdout, (args, probe.stdout, probe.stderr)


def test_versions_are_remembered_for_the_files_they_come_from(tmp_path: Path):
    """The cache keeps the versions under a digest of what they are made from; the file is
    what a no-op compares the stamp with, and without it they are computed again."""
    outline = tmp_path / "deck.yaml"
    outline.write_text("title: T\nslides:\n  - {title: A, bullets: [b]}\n", encoding="utf-8")
    assert _yamldeck(tmp_path, "build").returncode == 0
    (kept,) = (tmp_path / ".yamldeck-cache" / "versions").glob("*.json")
    data = json.loads(kept.read_text(encoding="utf-8"))
    assert data["versions"].startswith("yamldeck=")
    assert _yamldeck(tmp_path, "build").stdout.startswith("up to date")

    # Versions said to be others (an upgrade): the deck is built again.
    kept.write_text(json.dumps({**data, "versions": "yamldeck=0+other"}), encoding="utf-8")
    assert _yamldeck(tmp_path, "build").stdout.startswith("wrote")
    # Without the file they are computed; the stamp says otherwise, so a rebuild again.
    kept.unlink()
    assert _yamldeck(tmp_path, "build").stdout.startswith("wrote")
    assert json.loads(kept.read_text(encoding="utf-8"))["versions"] == data["versions"]
    assert _yamldeck(tmp_path, "build").stdout.startswith("up to date")


def _retheme(template: Path, old: str, new: str) -> None:
    """The template's bytes changed (its accent colour), at the same path."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "ppt/theme/theme1.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            dst.writestr(info, data)
    template.write_bytes(out.getvalue())


def test_an_edited_deck_on_a_template_is_the_file_a_build_from_nothing_writes(tmp_path: Path):
    """While the edited deck is planned, the template of its last build is opened ahead;
    the file is the one a first build writes, also when the template changed meanwhile."""
    from conftest import TEMPLATE_ACCENT, make_template

    outline = _project(tmp_path / "work")
    make_template(outline.parent / "corp.pptx")
    outline.write_text("template: corp.pptx\n" + outline.read_text(encoding="utf-8"), "utf-8")
    assert _yamldeck(outline.parent, "build").returncode == 0
    fresh_outline = _project(tmp_path / "fresh")
    for step, change in enumerate(("edit", "template")):
        if change == "edit":
            _edit(outline, "。")
        else:
            _retheme(outline.parent / "corp.pptx", TEMPLATE_ACCENT, "C0392B")
        edited = _yamldeck(outline.parent, "build")
        assert edited.returncode == 0, edited.stderr
        for name in ("deck.yaml", "corp.pptx"):
            (fresh_outline.parent / name).write_bytes((outline.parent / name).read_bytes())
        fresh = _yamldeck(fresh_outline.parent, "build", "--force")
        assert fresh.returncode == 0 and edited.stderr == fresh.stderr, step
        assert (outline.parent / "build" / "deck.pptx").read_bytes() == (
            fresh_outline.parent / "build" / "deck.pptx"
        ).read_bytes(), change


def test_what_an_edited_build_reads_ahead_is_checked_first(tmp_path: Path):
    """The last output and template are read while the deck is planned, before the build
    checks them: a FIFO in the output's place is refused, not waited on; damaged widths,
    line breaks or versions in the cache are no cache; a failed build writes nothing."""
    outline = tmp_path / "deck.yaml"
    outline.write_text("title: T\nslides:\n  - {title: A, bullets: [b]}\n", encoding="utf-8")
    assert _yamldeck(tmp_path, "build").returncode == 0
    cache = tmp_path / ".yamldeck-cache"
    for folder in ("widths", "wraps"):
        for entry in (cache / folder).glob("*.json"):
            entry.write_text("[" * 200_000, encoding="utf-8")
    outline.write_text("title: T\nslides:\n  - {title: A, bullets: [c]}\n", encoding="utf-8")
    again = _yamldeck(tmp_path, "build")
    assert again.returncode == 0 and again.stdout.startswith("wrote"), again.stderr

    # A stamp naming a template that is no regular file: nothing is opened ahead.
    (stamp,) = (cache / "stamps").glob("*.json")
    stamp.write_text(
        json.dumps({**json.loads(stamp.read_text("utf-8")), "template": "/dev/zero"}), "utf-8"
    )
    outline.write_text("title: T\nslides:\n  - {title: A, bullets: [e]}\n", encoding="utf-8")
    zero = _yamldeck(tmp_path, "build", timeout=60)
    assert zero.returncode == 0 and zero.stdout.startswith("wrote"), zero.stderr

    output = tmp_path / "build" / "deck.pptx"
    output.unlink()
    os.mkfifo(output)
    outline.write_text("title: T\nslides:\n  - {title: A, bullets: [d]}\n", encoding="utf-8")
    refused = _yamldeck(tmp_path, "build", timeout=60)
    assert refused.returncode == 1 and "not a regular file" in refused.stderr, refused.stderr
    output.unlink()

    shutil.rmtree(cache / "versions")
    outline.write_text("title: T\nslides:\n  - {title: A, bulets: [d]}\n", encoding="utf-8")
    assert _yamldeck(tmp_path, "build").returncode == 1
    assert not (cache / "versions").exists()  # a failed build keeps nothing


LIBRARY_GC = """
import gc, sys
from pathlib import Path
gc.disable()  # the caller's own choice
from yamldeck.build import build_deck
result = build_deck(Path(sys.argv[1]), Path(sys.argv[2]))
assert result.status == "built", [d.format() for d in result.diagnostics]
print("GC", gc.isenabled())
"""


def test_a_library_callers_garbage_collector_setting_is_left_alone(tmp_path: Path):
    outline = tmp_path / "deck.yaml"
    outline.write_text("title: T\nslides:\n  - {title: A, bullets: [b]}\n", encoding="utf-8")
    ran = subprocess.run(
        [sys.executable, "-c", LIBRARY_GC, str(outline), str(tmp_path / "out.pptx")],
        capture_output=True,
        text=True,
    )
    assert "GC False" in ran.stdout, ran.stdout + ran.stderr


DEFERRED = """
import sys
import yamldeck.writer  # PIL.Image and PIL.ImageFont wait until first used
from PIL import Image
Image.MAX_IMAGE_PIXELS = 1234  # set through the stand-in: lands on the module
real = sys.modules["PIL.Image"]
print(type(real).__name__, real.MAX_IMAGE_PIXELS, Image.open.__module__)
"""


def test_a_module_imported_late_is_the_module_itself(tmp_path: Path):
    ran = subprocess.run([sys.executable, "-c", DEFERRED], capture_output=True, text=True)
    assert ran.stdout.split() == ["module", "1234", "PIL.Image"], ran.stdout + ran.stderr


def test_a_cache_that_is_a_file_gets_the_command_lines_message(tmp_path: Path):
    outline = tmp_path / "deck.yaml"
    outline.write_text("title: T\nslides:\n  - {title: A, bullets: [b]}\n", encoding="utf-8")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    quick = _yamldeck(tmp_path, "build", "--cache", "afile")
    full = _yamldeck(tmp_path, "build", "--cache", "afile", "-j", "1")
    assert (quick.returncode, quick.stderr) == (full.returncode, full.stderr)
    assert quick.returncode == 2


def test_widths_are_kept_for_this_code_and_these_libraries_only():
    import unicodedata

    from yamldeck.fit import Metrics
    from yamldeck.stamps import library_versions

    identity = Metrics().identity()
    assert library_versions() in identity and unicodedata.unidata_version in identity
