"""Presentation-wide parts python-pptx leaves stale, made to describe the deck as built.

- ``p:notesMasterIdLst``: python-pptx relates a notes master when the first notes are
  written but never lists it (python-pptx #1051); Keynote then refuses the notes.
- ``p:sldSz/@type``: python-pptx's default template says ``screen4x3`` on our 16:9 slides.
- ``docProps/app.xml``: it still counts the template's slides and names their titles;
  it is written again from the deck (slide, notes and hidden counts, theme and slide titles).
"""

from __future__ import annotations

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn

from .xmlesc import escape

APP_XML = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
#: The screen sizes PowerPoint names; any other size is "custom" (no ``type``).
SCREEN_TYPES = {"screen4x3": (4, 3), "screen16x9": (16, 9), "screen16x10": (16, 10)}


def finish_package(prs, titles: list[str]) -> None:
    """List the notes master, type the slide size right and rewrite docProps/app.xml."""
    _list_notes_master(prs)
    _fix_size_type(prs)
    _write_app_xml(prs, titles)


def _list_notes_master(prs) -> None:
    root = prs.part._element
    if root.find(qn("p:notesMasterIdLst")) is not None:
        return
    rid = next(
        (
            rid
            for rid, rel in prs.part.rels.items()
            if rel.reltype == RT.NOTES_MASTER and not rel.is_external
        ),
        None,
    )
    if rid is None:
        return
    listed = parse_xml(
        f"<p:notesMasterIdLst {nsdecls('p', 'r')}>"
        f'<p:notesMasterId r:id="{rid}"/></p:notesMasterIdLst>'
    )
    root.find(qn("p:sldMasterIdLst")).addnext(listed)


def _fix_size_type(prs) -> None:
    size = prs.part._element.find(qn("p:sldSz"))
    if size is None or size.get("type") not in SCREEN_TYPES:
        return  # no type is "custom"; print sizes (A4, letter …) are the template's own
    cx, cy = int(size.get("cx")), int(size.get("cy"))
    wanted = next(
        (name for name, (w, h) in SCREEN_TYPES.items() if abs(cx / cy - w / h) < 0.01), None
    )
    if wanted is None:
        del size.attrib["type"]
    else:
        size.set("type", wanted)


def presentation_format(cx: int, cy: int) -> str:
    ratio = cx / cy
    for label, (w, h) in (
        ("Widescreen" if cx == 12192000 else "On-screen Show (16:9)", (16, 9)),
        ("On-screen Show (16:10)", (16, 10)),
        ("On-screen Show (4:3)", (4, 3)),
    ):
        if abs(ratio - w / h) < 0.01:
            return label
    return "Custom"


def _write_app_xml(prs, titles: list[str]) -> None:
    slides = list(prs.slides)
    themes = []
    for master in prs.slide_masters:
        theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
        themes.append(theme.get("name") or "Office Theme")
    notes = sum(1 for slide in slides if slide.has_notes_slide)
    hidden = sum(1 for slide in slides if slide._element.get("show") in ("0", "false"))
    names = [*themes, *titles]
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"><TotalTime>0</TotalTime><Application>yamldeck</Application>'
        f"<PresentationFormat>{presentation_format(prs.slide_width, prs.slide_height)}"
        f"</PresentationFormat><Slides>{len(slides)}</Slides><Notes>{notes}</Notes>"
        f"<HiddenSlides>{hidden}</HiddenSlides><MMClips>0</MMClips><ScaleCrop>false</ScaleCrop>"
        '<HeadingPairs><vt:vector size="4" baseType="variant">'
        f"<vt:variant><vt:lpstr>Theme</vt:lpstr></vt:variant>"
        f"<vt:variant><vt:i4>{len(themes)}</vt:i4></vt:variant>"
        f"<vt:variant><vt:lpstr>Slide Titles</vt:lpstr></vt:variant>"
        f"<vt:variant><vt:i4>{len(titles)}</vt:i4></vt:variant></vt:vector></HeadingPairs>"
        f'<TitlesOfParts><vt:vector size="{len(names)}" baseType="lpstr">'
        + "".join(f"<vt:lpstr>{_text(name)}</vt:lpstr>" for name in names)
        + "</vt:vector></TitlesOfParts><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "<AppVersion>16.0000</AppVersion></Properties>"
    ).encode("utf-8")
    package = prs.part.package
    try:
        part = package.part_related_by(RT.EXTENDED_PROPERTIES)
    except KeyError:
        part = Part(PackURI("/docProps/app.xml"), APP_XML, package, xml)
        package.relate_to(part, RT.EXTENDED_PROPERTIES)
    part._blob = xml  # app.xml is a plain Part in python-pptx; its blob is what is saved


def _text(value: str) -> str:
    """XML text: escaped, without characters XML 1.0 cannot hold."""
    return escape(
        "".join(
            c
            for c in value
            if c in "\t\n\r"
            or (0x20 <= ord(c) < 0xD800 or 0xE000 <= ord(c) < 0xFFFE or ord(c) >= 0x10000)
        )
    )
