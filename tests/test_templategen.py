"""The templates tests/templategen.py makes are real templates with the shape they promise.

Each must open with python-pptx (the way yamldeck's writer opens a template), be read by
``yamldeck inspect``, pass the OOXML validator, be byte-for-byte reproducible, and have the
property it exists for: two masters with equal layout names and different title boxes, no
footer placeholders anywhere, a dark background on every layout, 4:3, a title size per
layout, and so on. Properties are read from the zip with lxml, not through templategen.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import templategen as tg
from click.testing import CliRunner
from lxml import etree
from pptx import Presentation
from test_ooxml import validate, validator_ready

from yamldeck.cli import main
from yamldeck.templates import read_template
from yamldeck.theme import Theme
from yamldeck.writer.template import open_template

NS = {
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
R_ID = f"{{{NS['r']}}}id"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
EMU = 914400
NAMES = list(tg.GENERATORS)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    return tg.make_all(tmp_path_factory.mktemp("templates"))


# ---------------------------------------------------------------------------- reading the zip
class Package:
    """A template's parts, and its masters and layouts in presentation order."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as zf:
            self.names = zf.namelist()
            self.parts = {n: zf.read(n) for n in self.names}
        self.pres = self.xml("ppt/presentation.xml")
        size = self.pres.find("p:sldSz", NS)
        self.width, self.height = int(size.get("cx")), int(size.get("cy"))
        self.masters = []  # (master part name, [layout part names])
        for entry in self.pres.findall("p:sldMasterIdLst/p:sldMasterId", NS):
            master = self.target("ppt/presentation.xml", entry.get(R_ID))
            layouts = [self.target(master, e.get(R_ID)) for e in
                       self.xml(master).findall("p:sldLayoutIdLst/p:sldLayoutId", NS)]
            self.masters.append((master, layouts))

    def xml(self, name: str):
        return etree.fromstring(self.parts[name])

    def rels(self, name: str) -> list[tuple[str, str, str]]:
        """(id, type, absolute target) of each relationship of part ``name``."""
        folder, base = posixpath.split(name)
        root = etree.fromstring(self.parts[f"{folder}/_rels/{base}.rels"])
        return [(r.get("Id"), r.get("Type"),
                 posixpath.normpath(posixpath.join(folder, r.get("Target"))))
                for r in root.findall("rel:Relationship", NS)]

    def target(self, name: str, r_id: str) -> str:
        return next(t for i, _, t in self.rels(name) if i == r_id)

    def related(self, name: str, kind: str) -> list[str]:
        return [t for _, k, t in self.rels(name) if k == RT + kind]

    @property
    def layouts(self) -> list[str]:
        return [lay for _, lays in self.masters for lay in lays]

    def layout_name(self, layout: str) -> str:
        return self.xml(layout).find("p:cSld", NS).get("name")

    def names_of(self, master_index: int = 0) -> list[str]:
        return [self.layout_name(lay) for lay in self.masters[master_index][1]]

    def content_type(self, part: str) -> str:
        types = etree.fromstring(self.parts["[Content_Types].xml"])
        return next(o.get("ContentType") for o in types.findall("ct:Override", NS)
                    if o.get("PartName") == "/" + part)


def placeholders(root) -> list:
    return root.xpath("p:cSld/p:spTree/p:sp[p:nvSpPr/p:nvPr/p:ph]", namespaces=NS)


def ph_type(sp) -> str:
    return sp.find("p:nvSpPr/p:nvPr/p:ph", NS).get("type", "obj")


def box(sp) -> tuple[int, int, int, int] | None:
    off, ext = sp.find("p:spPr/a:xfrm/a:off", NS), sp.find("p:spPr/a:xfrm/a:ext", NS)
    if off is None:
        return None
    return int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))


def inherited_box(pkg: Package, layout: str, kind: str) -> tuple[int, int, int, int]:
    """A layout placeholder's box, or its master's placeholder's when it sets none."""
    sp = next(sp for sp in placeholders(pkg.xml(layout)) if ph_type(sp) == kind)
    if box(sp) is not None:
        return box(sp)
    master = pkg.related(layout, "slideMaster")[0]
    kind = {"ctrTitle": "title", "obj": "body", "subTitle": "body"}.get(kind, kind)
    return next(box(m) for m in placeholders(pkg.xml(master)) if ph_type(m) == kind)


def luminance(rgb: str) -> float:
    """WCAG relative luminance of an RRGGBB colour."""
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(rgb[i:i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def scheme_rgb(pkg: Package, master: str, name: str) -> str:
    """A scheme colour (bg1, tx1, accent2, dk1 …) through the master's clrMap and theme."""
    mapped = pkg.xml(master).find("p:clrMap", NS).get(name, name)
    theme = pkg.xml(pkg.related(master, "theme")[0])
    slot = theme.find(f".//a:clrScheme/a:{mapped}", NS)
    rgb = slot.find("a:srgbClr", NS)
    return rgb.get("val") if rgb is not None else slot.find("a:sysClr", NS).get("lastClr")


def background_colours(pkg: Package, layout: str) -> list[str]:
    """Every colour of the background a layout shows: its own p:bg, else its master's."""
    master = pkg.related(layout, "slideMaster")[0]
    bg = pkg.xml(layout).find("p:cSld/p:bg", NS)
    if bg is None:
        bg = pkg.xml(master).find("p:cSld/p:bg", NS)
    assert bg is not None, f"{layout}: no background on the layout or its master"
    ref = bg.find("p:bgRef", NS)
    if ref is not None:  # a theme background style filled with the referenced colour
        theme = pkg.xml(pkg.related(master, "theme")[0])
        style = theme.find(".//a:bgFillStyleLst", NS)[int(ref.get("idx")) - 1001]
        assert style.tag == f"{{{NS['a']}}}solidFill"
        assert style.find("a:schemeClr", NS).get("val") == "phClr"
        return [scheme_rgb(pkg, master, ref.find("a:schemeClr", NS).get("val"))]
    colours = []
    for fill in bg.find("p:bgPr", NS):
        for clr in fill.iter(f"{{{NS['a']}}}srgbClr", f"{{{NS['a']}}}schemeClr"):
            colours.append(clr.get("val") if clr.tag.endswith("srgbClr") else
                           scheme_rgb(pkg, master, clr.get("val")))
    return colours


# ---------------------------------------------------------------------------- every template
@pytest.mark.parametrize("name", NAMES)
def test_opens_as_yamldeck_opens_a_template(made, name):
    path = made[name]
    if path.suffix == ".potx":  # python-pptx refuses the template content type as such
        with pytest.raises(ValueError, match="template.main"):
            Presentation(str(path))
    else:
        assert len(Presentation(str(path)).slide_layouts) >= 1
    prs, notes = open_template(str(path), Theme())
    assert notes == []
    assert len(prs.slides) == 0  # sample slides are the template's, never the deck's
    pkg = Package(path)
    assert [[lay.name for lay in m.slide_layouts] for m in prs.slide_masters] == \
        [pkg.names_of(i) for i in range(len(pkg.masters))]


@pytest.mark.parametrize("name", NAMES)
def test_yamldeck_inspect_reads_it(made, name):
    path = made[name]
    result = CliRunner().invoke(main, ["inspect", str(path)])
    assert result.exit_code == 0, result.output
    pkg = Package(path)
    info = read_template(path)
    assert [lay.name for lay in info.layouts] == [pkg.layout_name(lay) for lay in pkg.layouts]
    for layout_name in info.layout_names:
        assert layout_name in result.output
    assert (info.width, info.height) == (pkg.width / EMU, pkg.height / EMU)


def test_every_template_passes_the_ooxml_validator(made, tmp_path):
    reason = validator_ready()
    if reason:
        pytest.skip(reason)
    decks = list(made.values())
    for path in made.values():  # a .potx also as the .pptx it would be renamed to
        if path.suffix == ".potx":
            decks.append(shutil.copy(path, tmp_path / f"{path.stem}-as-pptx.pptx"))
    found = validate(decks, tmp_path / "report.json")
    assert len(found) == len(decks) == len(made) + 1
    bad = {name: [f"{f['layer']} {f['part']}: [{f['id']}] {f['message']}" for f in findings
                  if f["severity"] in ("ERROR", "WARN")] for name, findings in found.items()}
    assert {name: v for name, v in bad.items() if v} == {}


@pytest.mark.parametrize("name", NAMES)
def test_deterministic(made, name, tmp_path):
    make, suffix = tg.GENERATORS[name]
    again = make(tmp_path / f"again{suffix}")
    assert again.read_bytes() == made[name].read_bytes()
    with zipfile.ZipFile(again) as zf:  # and no clock in it (made in the same second above)
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize("name", NAMES)
def test_every_placeholder_is_on_the_slide_with_a_size(made, name):
    pkg = Package(made[name])
    for master, layouts in pkg.masters:
        for part in (master, *layouts):
            for sp in placeholders(pkg.xml(part)):
                found = box(sp)
                if found is None:
                    continue
                x, y, cx, cy = found
                assert cx > 0 and cy > 0, (part, ph_type(sp))
                assert 0 <= x and x + cx <= pkg.width, (part, ph_type(sp), found)
                assert 0 <= y and y + cy <= pkg.height, (part, ph_type(sp), found)


# ---------------------------------------------------------------------------- each one's shape
def test_two_masters_share_layout_names_but_not_title_boxes(made):
    path = made["two_masters"]
    pkg = Package(path)
    assert path.suffix == ".potx"
    assert pkg.content_type("ppt/presentation.xml").endswith("presentationml.template.main+xml")
    assert len(pkg.masters) == 2
    assert pkg.names_of(0) == pkg.names_of(1) == [
        "Title Slide", "Title and Content", "Section Header", "Title Only", "Blank"]
    # registered as PowerPoint does
    ids = [int(e.get("id")) for e in pkg.pres.findall("p:sldMasterIdLst/p:sldMasterId", NS)]
    for master, layouts in pkg.masters:
        ids += [int(e.get("id")) for e in
                pkg.xml(master).findall("p:sldLayoutIdLst/p:sldLayoutId", NS)]
        assert pkg.content_type(master).endswith("slideMaster+xml")
        for layout in layouts:
            assert pkg.related(layout, "slideMaster") == [master]
            assert pkg.content_type(layout).endswith("slideLayout+xml")
    assert len(ids) == len(set(ids)) == 12 and min(ids) >= 2**31
    themes = [pkg.related(master, "theme") for master, _ in pkg.masters]
    assert len(themes[0]) == len(themes[1]) == 1 and themes[0] != themes[1]
    assert len(set(pkg.layouts)) == 10
    # different geometry and title size
    first, second = (lays[1] for _, lays in pkg.masters)  # "Title and Content" in each
    box1, box2 = inherited_box(pkg, first, "title"), inherited_box(pkg, second, "title")
    assert box1 != box2 and box2[3] < box1[3]
    sizes = [pkg.xml(m).find("p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr", NS).get("sz")
             for m, _ in pkg.masters]
    assert sizes == ["4400", str(tg.SECOND_TITLE_PT * 100)]
    # python-pptx resolves each layout's inherited box from its own master
    prs, _ = open_template(str(path), Theme())
    tops = [m.slide_layouts.get_by_name("Title and Content").placeholders[0].top
            for m in prs.slide_masters]
    assert tops == [box1[1], box2[1]]


def test_single_layout_has_one_default_layout_and_the_design_on_slides(made):
    pkg = Package(made["single_layout"])
    assert len(pkg.masters) == 1 and pkg.names_of(0) == ["DEFAULT"]
    layout = pkg.xml(pkg.layouts[0])
    assert sorted(ph_type(sp) for sp in placeholders(layout)) == ["body", "title"]
    prs = Presentation(str(made["single_layout"]))
    assert len(prs.slides) == 2
    for slide in prs.slides:
        assert slide.slide_layout.name == "DEFAULT"
        drawn = [sh for sh in slide.shapes if not sh.is_placeholder]
        assert drawn, "the design is drawn on the sample slides"
    assert not [sp for sp in layout.iter(f"{{{NS['p']}}}sp")
                if sp.find("p:nvSpPr/p:nvPr/p:ph", NS) is None]  # the layout itself is plain


def test_three_layouts_only(made):
    pkg = Package(made["three_layouts"])
    assert pkg.names_of(0) == ["Title Slide", "Title and Content", "Section Header"]
    assert len([n for n in pkg.names if n.startswith("ppt/slideLayouts/slideLayout")]) == 3


def test_no_footer_placeholders_anywhere(made):
    pkg = Package(made["no_footers"])
    assert len(pkg.layouts) == 11
    for part in [m for m, _ in pkg.masters] + pkg.layouts:
        types = [ph_type(sp) for sp in placeholders(pkg.xml(part))]
        assert not set(types) & {"dt", "ftr", "sldNum"}, (part, types)
        assert types or pkg.layout_name(part) == "Blank"
    assert not any(b"<p:hf" in data for data in pkg.parts.values())
    # the other generators do keep them (so the check above can fail)
    other = Package(made["german_names"])
    assert "sldNum" in [ph_type(sp) for sp in placeholders(other.xml(other.layouts[1]))]


@pytest.mark.parametrize(("name", "expected"), [("german_names", tg.GERMAN_NAMES),
                                                ("portuguese_names", tg.PORTUGUESE_NAMES)])
def test_office_layouts_in_other_languages(made, name, expected):
    pkg = Package(made[name])
    assert pkg.names_of(0) == list(expected)
    assert {"Abschnittsüberschrift", "Nur Titel", "Leer"} <= set(tg.GERMAN_NAMES)
    assert {"Cabeçalho da Seção", "Somente Título", "Em branco"} <= set(tg.PORTUGUESE_NAMES)
    assert not set(expected) & set(tg.OFFICE_NAMES)
    # the same placeholders as Office's layouts of the same place
    office = Package(made["no_footers"])
    for ours, theirs in zip(pkg.layouts, office.layouts, strict=True):
        body = {ph_type(sp) for sp in placeholders(pkg.xml(ours))} - {"dt", "ftr", "sldNum"}
        assert body == {ph_type(sp) for sp in placeholders(office.xml(theirs))}


def test_four_by_three_size(made):
    pkg = Package(made["four_by_three"])
    assert (pkg.width, pkg.height) == (9144000, 6858000)
    assert pkg.pres.find("p:sldSz", NS).get("type") == "screen4x3"
    body = inherited_box(pkg, pkg.layouts[1], "obj")
    assert body[0] + body[2] <= 10 * EMU and body[2] > 8 * EMU  # sized for 10 in, and filling
    wide = Package(made["three_layouts"])
    assert (wide.width, wide.height) == (12192000, 6858000)
    assert wide.pres.find("p:sldSz", NS).get("type") is None


def test_dark_background_on_every_layout_and_light_text(made):
    pkg = Package(made["dark"])
    master = pkg.masters[0][0]
    kinds = set()
    for layout in pkg.layouts:
        colours = background_colours(pkg, layout)
        assert colours and max(luminance(c) for c in colours) < 0.2, (layout, colours)
        own = pkg.xml(layout).find("p:cSld/p:bg", NS)
        kinds.add("master" if own is None else etree.QName(own[0]).localname
                  if own[0].tag.endswith("bgRef") else etree.QName(own[0][0]).localname)
    assert kinds == {"master", "bgRef", "gradFill"}
    assert luminance(scheme_rgb(pkg, master, "tx1")) > 0.8  # default text is light
    assert luminance(scheme_rgb(pkg, master, "dk1")) > luminance(scheme_rgb(pkg, master, "lt1"))
    light = Package(made["three_layouts"])
    assert luminance(background_colours(light, light.layouts[1])[0]) > 0.9


def test_title_size_set_per_layout(made):
    pkg = Package(made["title_sizes_per_layout"])
    master = pkg.xml(pkg.masters[0][0])
    assert master.find("p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr", NS).get("sz") == "4400"
    sizes = {}
    for layout in pkg.layouts:
        for sp in placeholders(pkg.xml(layout)):
            rpr = sp.find("p:txBody/a:lstStyle/a:lvl1pPr/a:defRPr", NS)
            if ph_type(sp) == "title" and rpr is not None and rpr.get("sz"):
                sizes[pkg.layout_name(layout)] = int(rpr.get("sz")) / 100
    assert sizes == {"Title and Content": 20, "Two Content": 20, "Title Only": 36,
                     # Office's own sizes in these three
                     "Section Header": 40, "Content with Caption": 20, "Picture with Caption": 20}
    office = Package(made["three_layouts"])
    assert "sz" not in etree.tostring(placeholders(office.xml(office.layouts[1]))[0]).decode()
    small = inherited_box(pkg, pkg.layouts[1], "title")
    assert small[3] == tg.SMALL_TITLE_BOX[3]
    body = inherited_box(pkg, pkg.layouts[1], "obj")
    assert body[1] >= small[1] + small[3]  # the body starts under the small title bar


def test_japanese_house_names(made):
    pkg = Package(made["nonstandard_names"])
    names = pkg.names_of(0)
    assert sorted(names) == sorted(["表紙", "中表紙", "セクショントップ", "本文"])
    from yamldeck.design import CONTENT_ONLY, DEFAULT_LAYOUTS
    known = {n for names_ in DEFAULT_LAYOUTS.values() for n in names_} | set(CONTENT_ONLY)
    assert not set(names) & known
    by_name = {pkg.layout_name(lay): {ph_type(sp) for sp in placeholders(pkg.xml(lay))}
               for lay in pkg.layouts}
    assert {"ctrTitle", "subTitle"} <= by_name["表紙"]
    assert {"title", "obj"} <= by_name["本文"]
    assert {"title", "body"} <= by_name["中表紙"]
    assert "title" in by_name["セクショントップ"] and "obj" not in by_name["セクショントップ"]


def test_every_generator_is_listed_and_documented():
    made_here = {n[len("make_"):] for n in dir(tg) if n.startswith("make_") and n != "make_all"}
    assert made_here == set(tg.GENERATORS)
    for make, suffix in tg.GENERATORS.values():
        assert suffix in (".pptx", ".potx")
        assert re.search(r"Stresses", make.__doc__ or ""), make.__name__


def test_sample_deck_shows_every_layout_of_every_master(made, tmp_path):
    out = tg.sample_deck(made["two_masters"], tmp_path / "sample.pptx")
    prs = Presentation(str(out))
    masters = list(prs.slide_masters)
    used = [masters.index(s.slide_layout.slide_master) for s in prs.slides]
    assert used == [0] * 5 + [1] * 5
    assert prs.slides[6].shapes.title.text == "Title and Content（master 2）"
