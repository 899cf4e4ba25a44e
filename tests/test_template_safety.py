"""Hostile and broken templates are refused at the `template:` line by check, build and
inspect, before python-pptx opens them; odd but valid ones still build."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from template_mutations import (
    BROKEN,
    CONTENT_TYPES,
    MASTER,
    PRES,
    base_template,
    bombs,
    both,
    pack,
    parts_of,
    sub,
    template_with,
)

from yamldeck import templates
from yamldeck.cli import main
from yamldeck.templates import TemplateError, read_template

OUTLINE = """\
title: 会議資料
template: templates/t.pptx
charts:
  share: {kind: bar, data: {region: [東日本, 西日本], share: [45, 35]}, x: region, y: share}
slides:
  - title: ハイライト
    bullets: [売上高は前年同期比 +12%, 海外案件の拡大]
  - title: 構成比
    chart: share
  - title: 主要案件
    table: {header: [案件, 金額], rows: [[A社, 12.5], [B社, 30]]}
"""


def run(folder: Path, *args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output + result.stderr
    assert "internal error" not in result.stderr
    return result


def project(tmp_path: Path, data: bytes, monkeypatch) -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.pptx").write_bytes(data)
    (tmp_path / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def assert_refused(folder: Path, message: str) -> None:
    """check and build fail at the template: line; inspect fails too; nothing is written."""
    expected = f"deck.yaml:2:11: error: template: cannot use 'templates/t.pptx': {message}"
    for command in ("check", "build"):
        result = run(folder, command, "deck.yaml")
        assert result.exit_code == 1, result.output
        assert result.stderr.splitlines()[0] == expected
    result = run(folder, "inspect", "templates/t.pptx")
    assert result.exit_code == 1
    assert result.stderr == f"templates/t.pptx: error: cannot use 'templates/t.pptx': {message}\n"
    assert not (folder / "build").exists()


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_template_is_refused_everywhere(name, tmp_path, monkeypatch):
    data = template_with(BROKEN[name])
    with pytest.raises(TemplateError) as refused:
        read_template(_write(tmp_path / "alone.pptx", data))
    assert_refused(project(tmp_path, data, monkeypatch), str(refused.value))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_zip_bomb_is_refused_from_the_directory(tmp_path, monkeypatch):
    data = bombs()["zip_bomb"]
    assert len(data) < 2_000_000  # a 1.6 MB file …
    folder = project(tmp_path, data, monkeypatch)
    assert_refused(folder, "part ppt/media/image9.bmp inflates to 1,610,612,736 bytes; a "
                           f"template part may have at most {templates.MAX_PART_BYTES:,}")


def test_picture_bomb_is_refused_from_its_header(tmp_path, monkeypatch):
    data = bombs()["picture_bomb"]
    assert len(data) < 2_000_000  # … whose PNG decodes to 20,000 × 20,000 RGBA = 1.5 GiB
    folder = project(tmp_path, data, monkeypatch)
    assert_refused(folder, "picture ppt/media/image1.png is 20,000×20,000 pixels (PNG), more "
                           "than 40 million")


def test_high_compression_ratio_is_refused(tmp_path):
    parts = parts_of(base_template())
    parts["ppt/media/filler.bin"] = bytes(2_000_000)  # inflates about 1000 to 1
    with pytest.raises(TemplateError, match=r"filler.bin is compressed [\d,]+ to 1"):
        read_template(_write(tmp_path / "t.pptx", pack(parts)))


def test_too_many_parts_are_refused_before_listing_them(tmp_path):
    parts = parts_of(base_template())
    parts.update({f"customXml/junk{i}.bin": b"" for i in range(templates.MAX_TEMPLATE_PARTS)})
    path = _write(tmp_path / "t.pptx", pack(parts))
    with pytest.raises(TemplateError, match=r"it holds 5,036 parts; a template may have at "
                                            r"most 5,000"):
        templates._check_entry_count(path)  # from the zip's end record alone
    with pytest.raises(TemplateError, match="5,036 parts"):
        read_template(path)


def test_xml_parts_are_limited_together(tmp_path, monkeypatch):
    """Each part under the one-part limit, together over the limit for all XML parts."""
    parts = parts_of(base_template())
    padding = b"<!--" + b"x" * 400_000 + b"-->"
    for name in [n for n in parts if n.startswith("ppt/slideLayouts/slideLayout")
                 and n.endswith(".xml")]:
        parts[name] = parts[name].replace(b"?>", b"?>" + padding, 1)
    path = _write(tmp_path / "t.pptx", pack(parts))
    monkeypatch.setattr(templates, "MAX_XML_TOTAL_BYTES", 4_000_000)  # 11 layouts × 0.4 MB
    with pytest.raises(TemplateError, match=r"its XML parts hold 4,[\d,]+ bytes; a template "
                                            r"may have at most 4,000,000"):
        read_template(path)
    monkeypatch.setattr(templates, "MAX_XML_TOTAL_BYTES", 5_000_000)
    assert len(read_template(path).layouts) == 11


def test_corrupt_part_is_found_in_check_not_in_the_writer(tmp_path, monkeypatch):
    """A part whose bytes do not match its CRC: python-pptx would fail reading it."""
    data = bytearray(template_with(lambda parts: parts.update(
        {"ppt/media/blob.bin": bytes(range(256)) * 40})))
    at = data.find(b"ppt/media/blob.bin") + len("ppt/media/blob.bin")  # its local header
    data[at + 100] ^= 0xFF
    result = run(project(tmp_path, bytes(data), monkeypatch), "build", "deck.yaml")
    assert result.exit_code == 1
    assert result.stderr.startswith("deck.yaml:2:11: error: template: cannot use "
                                    "'templates/t.pptx': not a PowerPoint file")


def test_entities_are_never_expanded():
    laughs = BROKEN["billion_laughs"]
    parts = parts_of(base_template())
    laughs(parts)
    with pytest.raises(templates._Damaged, match="DOCTYPE"):
        templates.parse_xml(parts[PRES], PRES)


def test_template_font_sizes_are_clamped_and_the_build_returns(tmp_path, monkeypatch):
    """4000 pt is the largest size the format allows; the fitter starts from 400 pt."""
    from pptx import Presentation

    huge = both(sub(MASTER, r'sz="4400"', 'sz="400000"'), sub(MASTER, r'sz="3200"',
                                                                 'sz="400000"'))
    folder = project(tmp_path, template_with(huge), monkeypatch)
    info = read_template(folder / "templates" / "t.pptx")
    assert info.text.title_size == templates.MAX_TEXT_PT
    assert info.text.body_sizes[0] == templates.MAX_TEXT_PT
    result = run(folder, "build", "deck.yaml", "-o", "out.pptx")
    assert result.exit_code == 0, result.stderr
    assert "body shrunk from 400 to" in result.stderr
    body = next(sh for sh in Presentation("out.pptx").slides[1].placeholders
                if sh.placeholder_format.idx == 1)
    sizes = {r.font.size.pt for p in body.text_frame.paragraphs for r in p.runs}
    assert sizes and max(sizes) < 400


def test_valid_oddities_still_build(tmp_path, monkeypatch):
    """A BOM, a percent-string spacing and a placeholder off the slide are all valid: the deck builds and the odd boxes are clipped to the slide."""
    from pptx import Presentation

    odd = both(
        lambda parts: parts.__setitem__(PRES, b"\xef\xbb\xbf" + parts[PRES]),
        sub(MASTER, r"(<p:bodyStyle><a:lvl1pPr[^>]*>)",
            r'\1<a:lnSpc><a:spcPct val="110%"/></a:lnSpc>'),
        sub(MASTER, r'(<p:ph type="title"/>.*?<a:off) x="\d+"', r'\1 x="27273042316900"'),
    )
    folder = project(tmp_path, template_with(odd), monkeypatch)
    info = read_template(folder / "templates" / "t.pptx")
    assert info.text.line == pytest.approx(1.1)
    title = info.layout("Title Only").find("title")
    assert title.box.x == info.width and title.box.w == 0  # clipped to the slide's edge
    result = run(folder, "build", "deck.yaml", "-o", "out.pptx")
    assert result.exit_code == 0, result.stderr
    assert len(Presentation("out.pptx").slides) == 4


def test_a_template_saved_as_potx_but_named_pptx_builds(tmp_path, monkeypatch):
    """The writer turns a template package into a presentation whatever its name says."""
    from pptx import Presentation

    potx = sub(CONTENT_TYPES, r"presentation\.main\+xml", "template.main+xml")
    folder = project(tmp_path, template_with(potx), monkeypatch)
    result = run(folder, "build", "deck.yaml", "-o", "out.pptx")
    assert result.exit_code == 0, result.stderr
    assert len(Presentation("out.pptx").slides) == 4


def test_a_theme_colour_that_is_not_hex_is_ignored(tmp_path, monkeypatch):
    """accent1 val="ZZZZZZ" used to reach the chart colours and fail there; the deck takes
    the built-in primary instead, and the other theme colours still apply."""
    from yamldeck.theme import Theme

    bad = sub("ppt/theme/theme1.xml", r'(<a:accent1><a:srgbClr val=)"4F81BD"', r'\1"ZZZZZZ"')
    folder = project(tmp_path, template_with(bad), monkeypatch)
    info = read_template(folder / "templates" / "t.pptx")
    assert "accent1" not in info.colors and info.colors["accent2"] == "C0504D"
    result = run(folder, "build", "deck.yaml", "-o", "out.pptx")
    assert result.exit_code == 0, result.stderr
    from pptx import Presentation

    theme_xml = Presentation("out.pptx").slide_masters[0].part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob
    assert f'<a:accent1><a:srgbClr val="{Theme().primary}"/>'.encode() in theme_xml


def test_writer_is_never_reached_for_a_refused_template(tmp_path):
    """In a fresh process, a refused build imports neither the writer nor python-pptx."""
    import subprocess
    import sys

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.pptx").write_bytes(bombs()["zip_bomb"])
    (tmp_path / "deck.yaml").write_text(OUTLINE, encoding="utf-8")
    probe = ("import sys\nfrom yamldeck.cli import main\ntry:\n"
             "    main(['build', 'deck.yaml'])\nexcept SystemExit as exc:\n"
             "    print(exc.code, 'yamldeck.writer' in sys.modules, 'pptx' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.stdout.splitlines()[-1].split() == ["1", "False", "False"], done.stdout
    assert "cannot use 'templates/t.pptx': part ppt/media/image9.bmp inflates" in done.stderr


def test_real_templates_still_read():
    shared = Path(__file__).resolve().parents[2] / "shared" / "templates"
    found = sorted(shared.glob("*.p[op]tx")) if shared.is_dir() else []
    if not found:
        pytest.skip("the team's real templates are not next to this checkout")
    for path in found:
        info = read_template(path)
        assert info.layouts and info.width >= 10


def test_media_limit_matches_the_outline_image_limit():
    from yamldeck.outline import MAX_IMAGE_PIXELS

    assert templates.MAX_MEDIA_PIXELS == MAX_IMAGE_PIXELS


def test_header_sizes_of_every_picture_format():
    import struct

    from template_mutations import png_bomb

    assert templates.picture_size(png_bomb(7, 5)) == ("PNG", 7, 5)
    assert templates.picture_size(b"GIF89a" + struct.pack("<HH", 300, 200)) == ("GIF", 300, 200)
    bmp = b"BM" + bytes(12) + struct.pack("<Iii", 40, 640, -480)
    assert templates.picture_size(bmp) == ("BMP", 640, 480)
    emf = (struct.pack("<II4i", 1, 88, 0, 0, 9999, 4999) + bytes(16) + b" EMF" + bytes(44))
    assert templates.picture_size(emf) == ("EMF", 10000, 5000)
    jpeg = (b"\xff\xd8" + b"\xff\xe1" + struct.pack(">H", 1000) + bytes(998)
            + b"\xff\xc0" + struct.pack(">HBHH", 17, 8, 3000, 4000))
    assert templates.picture_size(jpeg) == ("JPEG", 4000, 3000)
    assert templates.picture_size(b"not a picture") is None


@pytest.mark.parametrize("tail", [b"", b"\x00" * 300])
def test_whole_jpeg_is_accepted_even_with_bytes_after_its_end(tmp_path, tail):
    """Cameras sometimes append data after the end marker; the picture is still whole."""
    from PIL import Image

    from yamldeck.outline import _decodes

    path = tmp_path / "photo.jpg"
    Image.new("RGB", (64, 48), (200, 30, 30)).save(path, "JPEG")
    path.write_bytes(path.read_bytes() + tail)
    assert _decodes(path, "JPEG")
    path.write_bytes(path.read_bytes()[:-len(tail) - 40 if tail else -40])
    assert not _decodes(path, "JPEG")


def test_readme_documents_every_limit():
    """Each named limit appears in the README's table with the number the code uses."""
    from conftest import REPO

    from yamldeck.outline import MAX_IMAGE_PIXELS

    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Limits on input files"):text.index("## Code")]
    for name, shown in (
            ("MAX_TEMPLATE_BYTES", f"{templates.MAX_TEMPLATE_BYTES // 1_000_000} MB"),
            ("MAX_TEMPLATE_PARTS", f"{templates.MAX_TEMPLATE_PARTS:,}"),
            ("MAX_PART_BYTES", f"{templates.MAX_PART_BYTES // 1_000_000} MB"),
            ("MAX_UNPACKED_BYTES", f"{templates.MAX_UNPACKED_BYTES // 1_000_000} MB"),
            ("MAX_XML_BYTES", f"{templates.MAX_XML_BYTES // 1_000_000} MB"),
            ("MAX_XML_TOTAL_BYTES", f"{templates.MAX_XML_TOTAL_BYTES // 1_000_000} MB"),
            ("MAX_COMPRESSION_RATIO", f"{templates.MAX_COMPRESSION_RATIO} to 1"),
            ("MAX_MEDIA_PIXELS", f"{templates.MAX_MEDIA_PIXELS // 1_000_000} million"),
            ("MIN_SLIDE_INCHES", "{:g} × {:g} in".format(*templates.MIN_SLIDE_INCHES)),
            ("MAX_TEXT_PT", f"at most {templates.MAX_TEXT_PT:g} pt"),
            ("MAX_IMAGE_PIXELS", f"{MAX_IMAGE_PIXELS // 1_000_000} million")):
        row = next((line for line in table.splitlines() if name in line), "")
        assert shown in row, (name, shown, row)
    assert f"over {templates.RATIO_FLOOR_BYTES // 1_000_000} MB" in table
