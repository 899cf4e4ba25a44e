"""What a template may pass into a deck: its design, never its content, code or links.

A template is cleaned as a zip before python-pptx opens it. python-pptx loads only the parts
reachable through relationships, so cutting a relationship (and the XML that uses its id)
is enough to keep the part out of the output, and out of [Content_Types].xml with it.

- Slides: every relationship to a slide is cut, wherever it is: from the presentation (its
  slide list, custom shows, sections), from viewProps.xml (collapsed slides in outline view
  relate to the slides themselves) and from hyperlinks in layouts. A slide part kept alive by
  such a second reference would otherwise be saved twice under one name (python-pptx gives
  the new slide1.xml the old one's name) and PowerPoint offers repair; LibreOffice refuses
  the file. The slide-show settings (presProps.xml) stop naming custom shows and ranges.
- Code: VBA projects and their signatures, and ribbon customisations (customUI) are cut;
  the main part gets the plain presentation content type whatever the template's was
  (.potx, .pptm, .potm, .ppsx, or any of them renamed .pptx).
- External links are never followed. Web and mail hyperlinks on text stay (inert until
  clicked); every other external relationship is cut with what uses it: a linked picture,
  movie or OLE object is removed from its layout or master, a hyperlink to a file loses the
  link, a linked picture fill loses the picture.
- The template's thumbnail (a picture of its first slide) is cut.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RT = R + "/"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
P14_SECTIONS = "{http://schemas.microsoft.com/office/powerpoint/2010/main}sectionLst"

PRESENTATION_MAIN = (
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)
SLIDE_RT = RT + "slide"
HYPERLINK_RT = RT + "hyperlink"
THUMBNAIL_RT = PKG_RELS + "/metadata/thumbnail"
# What the package itself may relate to: the presentation and its properties. Anything else
# (a type mangled or unknown) is cut: python-pptx would make a new core.xml or app.xml
# under the same name as a part so related, and save the name twice.
PACKAGE_RTS = (
    RT + "officeDocument",
    PKG_RELS + "/metadata/core-properties",
    RT + "extended-properties",
    RT + "custom-properties",
)
#: Relationships to code: VBA projects, their signatures, ribbon callbacks into them.
CODE_RTS = frozenset(
    {
        "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
        "http://schemas.microsoft.com/office/2006/relationships/vbaProjectSignature",
        "http://schemas.microsoft.com/office/2014/relationships/vbaProjectSignatureAgile",
        "http://schemas.microsoft.com/office/2020/07/relationships/vbaProjectSignatureV3",
        "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility",
        "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
    }
)
SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
#: Elements whose removal is enough when they use a cut relationship.
LINK_ELEMENTS = frozenset({"hlinkClick", "hlinkHover", "hlinkMouseOver", "sldId", "sld"})
SHAPES = frozenset(
    {f"{{{P}}}{t}" for t in ("sp", "pic", "graphicFrame", "cxnSp", "grpSp", "contentPart")}
)
#: Lists that may not stay empty once their last entry is removed.
EMPTY_LISTS = frozenset({"sldLst", "controls", "custShowLst"})


def clean_template(data: bytes) -> tuple[bytes, list[str]]:
    """The template's zip without slides, code, outside links or thumbnail; and what was cut.

    The messages are for the user (macros and outside links the template had).
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    names = [info.filename for info in src.infolist()]
    parts = {name: src.read(name) for name in dict.fromkeys(names)}  # one entry per name
    # Slides, code and the thumbnail go first; then only links from what stays are counted.
    everything = ["", *parts]  # "" is the package itself (_rels/.rels)
    # A relationship without a type says nothing python-pptx can use, and it would write it
    # back invalid (and a core.xml so related would be saved twice, beside a new one).
    _cut(parts, everything, lambda kind, target, external: not kind.strip())
    _cut(parts, [""], lambda kind, target, external: kind not in PACKAGE_RTS)
    code = bool(_cut(parts, everything, lambda kind, target, external: kind in CODE_RTS))
    _cut(parts, everything, lambda kind, target, external: kind in (SLIDE_RT, THUMBNAIL_RT))
    links = _cut(
        parts,
        _reachable(parts),
        lambda kind, target, external: (
            external and not (kind == HYPERLINK_RT and target.lower().startswith(SAFE_LINK_SCHEMES))
        ),
    )
    main = _main_part(parts)
    if main is not None:
        parts[main] = _bytes(_without_slide_lists(_xml(parts[main])))
        for props in _related(parts, main, RT + "presProps"):
            if (root := _xml(parts[props])) is None:
                continue
            for show in root.iter(f"{{{P}}}showPr"):
                for child in list(show):
                    if child.tag in (f"{{{P}}}custShow", f"{{{P}}}sldRg"):
                        show.remove(child)
            parts[props] = _bytes(root)
        types = parts.get("[Content_Types].xml")
        if types is not None:
            parts["[Content_Types].xml"] = _plain_main_type(types, main)
    notes: list[str] = []
    if code:
        notes.append("the template's macros (VBA) are not carried into the deck")
    if links:
        shown = ", ".join(sorted(set(links))[:3]) + (", …" if len(set(links)) > 3 else "")
        notes.append(f"the template's links to outside files are left out ({shown})")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, blob in parts.items():
            dst.writestr(name, blob)
    return out.getvalue(), notes


def _cut(parts: dict, owners, cuts) -> list[str]:
    """Cut the relationships of ``owners`` for which ``cuts(type, target, external)`` holds,
    with the XML that uses them; the targets cut."""
    done = []
    for owner in owners:
        rels_name = _rels_of(owner)
        root = _xml(parts[rels_name]) if rels_name in parts else None
        if root is None:
            continue
        ids = set()
        for rel in list(root):
            target = rel.get("Target", "")
            if cuts(rel.get("Type", ""), target, rel.get("TargetMode") == "External"):
                ids.add(rel.get("Id"))
                done.append(target)
                root.remove(rel)
        if not ids:
            continue
        parts[rels_name] = _bytes(root)
        owner_root = _xml(parts[owner]) if owner.endswith(".xml") and owner in parts else None
        if owner_root is not None:
            _remove_references(owner_root, ids)
            parts[owner] = _bytes(owner_root)
    return done


def _reachable(parts: dict) -> list[str]:
    """Parts reached from the package root through internal relationships ('' = the root)."""
    seen, todo = [""], [""]
    while todo:
        for name in _related(parts, todo.pop()):
            if name not in seen:
                seen.append(name)
                todo.append(name)
    return seen


def _related(parts: dict, owner: str, kind: str | None = None) -> list[str]:
    """The parts ``owner`` relates to internally (of relationship type ``kind``)."""
    root = _xml(parts.get(_rels_of(owner), b""))
    found = []
    for rel in root if root is not None else ():
        if rel.get("TargetMode") == "External" or kind not in (None, rel.get("Type")):
            continue
        target = rel.get("Target", "")
        name = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(posixpath.dirname(owner), target))
        )
        if name in parts:
            found.append(name)
    return found


def _rels_of(owner: str) -> str:
    """ppt/slides/slide1.xml → ppt/slides/_rels/slide1.xml.rels; '' → _rels/.rels."""
    folder, name = posixpath.split(owner)
    return posixpath.join(folder, "_rels", name + ".rels")


def _xml(blob: bytes):
    try:
        return etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None  # python-pptx reports a broken part when it opens the template


def _bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _main_part(parts: dict) -> str | None:
    root = _xml(parts.get("_rels/.rels", b""))
    if root is None:
        return None
    for rel in root:
        if rel.get("Type") == RT + "officeDocument":
            name = rel.get("Target", "").lstrip("/")
            return name if name in parts and _xml(parts[name]) is not None else None
    return None


def _remove_references(root, ids: set) -> None:
    """Remove what uses a cut relationship: the link itself, else its shape, else the element."""
    using = [
        el
        for el in root.iter()
        if isinstance(el.tag, str)
        and any(k.startswith(f"{{{R}}}") and v in ids for k, v in el.attrib.items())
    ]
    for el in using:
        if _detached(el, root):
            continue
        target = el
        if etree.QName(el).localname not in LINK_ELEMENTS:
            shape = next((a for a in el.iterancestors() if a.tag in SHAPES), None)
            if shape is not None:
                target = shape
                parent = shape.getparent()
                if parent is not None and parent.tag in (f"{{{MC}}}Choice", f"{{{MC}}}Fallback"):
                    target = parent.getparent()  # the whole mc:AlternateContent
        parent = target.getparent()
        if parent is None:
            continue
        parent.remove(target)
        while (
            parent is not None and len(parent) == 0 and etree.QName(parent).localname in EMPTY_LISTS
        ):
            grand = parent.getparent()
            if grand is None:
                break
            grand.remove(parent)
            parent = grand


def _detached(el, root) -> bool:
    node = el
    while node is not None and node is not root:
        node = node.getparent()
    return node is None


def _without_slide_lists(root):
    """The presentation with no custom shows or sections (they only ever name slides)."""
    for shows in root.findall(f"{{{P}}}custShowLst"):
        root.remove(shows)
    for sections in list(root.iter(P14_SECTIONS)):
        ext = sections.getparent()
        ext.getparent().remove(ext)
    ext_list = root.find(f"{{{P}}}extLst")
    if ext_list is not None and len(ext_list) == 0:
        root.remove(ext_list)
    return root


def _plain_main_type(blob: bytes, main: str) -> bytes:
    """[Content_Types].xml with the main part typed as a plain presentation."""
    root = _xml(blob)
    if root is None:
        return blob
    for override in root.findall(f"{{{CT_NS}}}Override"):
        if override.get("PartName", "").lstrip("/") == main:
            override.set("ContentType", PRESENTATION_MAIN)
    return _bytes(root)
