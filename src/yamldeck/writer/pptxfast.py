"""Keep python-pptx linear in the number of slides.

python-pptx names each new notes slide, picture and chart by walking every relationship of
the package (``OpcPackage.next_partname``, ``next_image_partname``), finds a picture by its
SHA-1 the same way, relates each new slide to the presentation after scanning all of its
relationships, and numbers each slide id after reading all of them. Each of these is
linear in the deck, so writing a deck is quadratic: 12 ms a slide at 1,400 slides, minutes
for 10,000. Here each becomes constant time with an index kept on the package object,
built once from the package as it is and updated as parts are added.

python-pptx's own save is also told not to compress: normalize_zip compresses each entry
once, when it rewrites the archive.

Only names that python-pptx itself would choose are returned (the lowest free number for
pictures, the next one for other parts), so the files are the same as without this module.
"""

from __future__ import annotations

from typing import Any

_INSTALLED = False

#: Leading bytes of the formats charts and most pictures come in (as PIL tells them), with
#: the extension python-pptx gives them; a picture in another format goes through PIL.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


def _sniff(blob: bytes) -> tuple[str, str] | None:
    """The extension and content type of a PNG, JPEG or GIF from its first bytes: what
    python-pptx learns by opening the picture with PIL, whose first use loads its format
    plugins (25 ms of an edited bullet's rebuild, which only copies its pictures)."""
    from pptx.opc.spec import image_content_types

    for signature, ext in _SIGNATURES:
        if blob.startswith(signature):
            return ext, image_content_types[ext]
    return None


def install() -> None:
    """Patch python-pptx once per process (idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.package import OpcPackage, _Relationships
    from pptx.opc.packuri import PackURI
    from pptx.oxml.presentation import CT_SlideIdList
    from pptx.package import Package, _ImageParts
    from pptx.parts.image import ImagePart
    from pptx.parts.presentation import PresentationPart
    from pptx.parts.slide import SlidePart

    def used_names(package: Any, prefix: str) -> set[str]:
        index = package.__dict__.setdefault("_yamldeck_names", {})
        if prefix not in index:
            index[prefix] = {
                str(p.partname) for p in package.iter_parts() if str(p.partname).startswith(prefix)
            }
        return index[prefix]

    def next_partname(self: Any, tmpl: str) -> PackURI:
        prefix = tmpl[: (tmpl % 42).find("42")]
        names = used_names(self, prefix)
        counter = self.__dict__.setdefault("_yamldeck_next", {})
        n = counter.get(tmpl, len(names) + 1)
        while tmpl % n in names:
            n += 1
        names.add(tmpl % n)
        counter[tmpl] = n + 1
        return PackURI(tmpl % n)

    def next_image_partname(self: Any, ext: str) -> PackURI:
        index = self.__dict__.get("_yamldeck_images")
        if index is None:
            index = {
                p.partname.idx
                for p in self.iter_parts()
                if p.partname.startswith("/ppt/media/image") and p.partname.idx is not None
            }
            self.__dict__["_yamldeck_images"] = index
        idx = 1
        while idx in index:  # the lowest free number, as python-pptx picks it
            idx += 1
        index.add(idx)
        return PackURI(f"/ppt/media/image{idx}.{ext}")

    def find_by_sha1(self: Any, sha1: str) -> Any:
        index = self._package.__dict__.get("_yamldeck_sha1")
        if index is None:
            index = {}
            for part in self:
                if hasattr(part, "sha1"):
                    index.setdefault(part.sha1, part)
            self._package.__dict__["_yamldeck_sha1"] = index
        return index.get(sha1)

    def get_or_add_image_part(self: Any, image_file: Any) -> Any:
        from pptx.parts.image import Image

        image = Image.from_file(image_file)
        part = find_by_sha1(self, image.sha1)
        if part is None:
            known = _sniff(image.blob)
            if known is None:  # python-pptx asks PIL (which loads its format plugins)
                part = ImagePart.new(self._package, image)
            else:
                ext, content_type = known
                partname = self._package.next_image_partname(ext)
                part = ImagePart(partname, content_type, self._package, image.blob, image.filename)
            self._package.__dict__["_yamldeck_sha1"][image.sha1] = part
        return part

    def add_slide(self: Any, slide_layout: Any) -> tuple[str, Any]:
        # A brand-new slide part cannot be related yet: add the relationship without
        # scanning every existing one for a match.
        partname = self._next_slide_partname
        slide_part = SlidePart.new(partname, self.package, slide_layout.part)
        rId = self._rels._add_relationship(RT.SLIDE, slide_part)
        return rId, slide_part.slide

    def part_with_reltype(self: Any, reltype: str) -> Any:
        found = [rel for rel in self._rels.values() if rel.reltype == reltype][:2]
        if len(found) != 1:
            return original_part_with_reltype(self, reltype)  # its own error message
        return found[0].target_part

    original_next_id = CT_SlideIdList._next_id
    original_part_with_reltype = _Relationships.part_with_reltype

    def next_id(self: Any) -> int:
        # Ids are added in increasing order (the template's slides are removed first), so
        # the last one is the largest; fall back to the full scan when that is not so.
        if len(self) == 0:
            return original_next_id.fget(self)  # type: ignore[attr-defined]
        last = int(self[-1].get("id", "0"))
        if 256 <= last < 2147483647 and int(self[0].get("id", "0")) <= last:
            return last + 1
        return original_next_id.fget(self)  # type: ignore[attr-defined]

    import zipfile

    from pptx.opc.serialized import _ZipPkgWriter
    from pptx.util import lazyproperty

    def stored_zipf(self: Any) -> zipfile.ZipFile:
        # normalize_zip rewrites every entry, compressed once; python-pptx compressing
        # them first only to have them inflated again was a third of the save.
        return zipfile.ZipFile(
            self._pkg_file, "w", compression=zipfile.ZIP_STORED, strict_timestamps=False
        )

    # Every slide on a layout starts as the same clone of the layout's placeholders, and
    # every notes slide as the same clone of the notes master's: clone each once, then
    # parse the clone's XML for the next slide (a third of writing a slide was cloning).
    from lxml import etree
    from pptx.oxml import parse_xml
    from pptx.parts.slide import NotesSlidePart
    from pptx.slide import Slides

    def slides_add_slide(self: Any, slide_layout: Any) -> Any:
        layout_part = slide_layout.part
        if "_yamldeck_clone" not in layout_part.__dict__:
            slide = original_slides_add_slide(self, slide_layout)
            layout_part.__dict__["_yamldeck_clone"] = etree.tostring(slide.part._element)
            return slide
        rId, slide = self.part.add_slide(slide_layout)
        slide.part._element = parse_xml(layout_part.__dict__["_yamldeck_clone"])
        slide.part.__dict__.pop("slide", None)
        slide = slide.part.slide
        self._sldIdLst.add_sldId(rId)
        return slide

    def notes_new(cls: Any, package: Any, slide_part: Any) -> Any:
        master_part = package.presentation_part.notes_master_part
        xml = master_part.__dict__.get("_yamldeck_clone")
        if xml is None:
            part = original_notes_new.__func__(cls, package, slide_part)
            master_part.__dict__["_yamldeck_clone"] = etree.tostring(part._element)
            return part
        part = cls._add_notes_slide_part(package, slide_part, master_part)
        part._element = parse_xml(xml)
        part.__dict__.pop("notes_slide", None)
        return part

    original_slides_add_slide = Slides.add_slide
    original_notes_new = NotesSlidePart.__dict__["new"]
    Slides.add_slide = slides_add_slide  # type: ignore[method-assign]
    NotesSlidePart.new = classmethod(notes_new)  # type: ignore[method-assign,assignment]

    _ZipPkgWriter._zipf = lazyproperty(stored_zipf)  # type: ignore[assignment]
    OpcPackage.next_partname = next_partname  # type: ignore[method-assign]
    Package.next_image_partname = next_image_partname  # type: ignore[method-assign]
    _ImageParts._find_by_sha1 = find_by_sha1  # type: ignore[method-assign]
    _ImageParts.get_or_add_image_part = get_or_add_image_part  # type: ignore[method-assign]
    PresentationPart.add_slide = add_slide  # type: ignore[method-assign]
    _Relationships.part_with_reltype = part_with_reltype  # type: ignore[method-assign]
    CT_SlideIdList._next_id = property(next_id)  # type: ignore[assignment]
    _INSTALLED = True


_FROZEN: dict[type, type] = {}


def freeze(slide: Any) -> None:
    """Keep a finished slide (and its notes) as serialized bytes, dropping its XML tree.

    python-pptx keeps every slide's lxml tree until the package is saved: about 100 KB a
    slide, over a gigabyte for 10,000. The bytes are what saving would write anyway, so
    the file is the same. What is still asked of a written slide (its notes, whether it is
    hidden) is answered by its relationships and the attributes of its root element, which
    stay; its shapes are gone.
    """
    from lxml import etree

    parts = [slide.part]
    if slide.has_notes_slide:
        parts.append(slide.notes_slide.part)
    for part in parts:
        root = part._element
        shallow = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap)
        frozen(part, part.blob, etree.tostring(shallow))


def frozen(part: Any, blob: bytes, root: bytes) -> None:
    """Make ``part`` save as ``blob``, keeping only its root element ``root`` as XML."""
    from pptx.oxml import parse_xml

    kind = type(part)
    if kind in _FROZEN.values():
        kind = kind.__mro__[1]
    if kind not in _FROZEN:
        _FROZEN[kind] = type(
            f"Frozen{kind.__name__}",
            (kind,),
            {"blob": property(lambda self: self._frozen_blob)},
        )
    part.__class__ = _FROZEN[kind]
    part._frozen_blob = blob
    part._element = parse_xml(root)
    for cached in ("slide", "notes_slide"):
        part.__dict__.pop(cached, None)


def package_parts(prs: Any) -> dict[str, bytes]:
    """What ``prs.save`` writes, as member name → bytes, without a zip in between (the
    package is compressed once, by reproducible.normalize_zip). A name written twice keeps
    its last bytes, as reading it back from the saved zip gives."""
    from pptx.opc.serialized import PackageWriter

    class Collect:
        def __init__(self) -> None:
            self.parts: dict[str, bytes] = {}

        def write(self, pack_uri: Any, blob: bytes) -> None:
            self.parts[pack_uri.membername] = blob

    package = prs.part.package
    writer = PackageWriter("", package._rels, tuple(package.iter_parts()))
    collect: Any = Collect()  # the one method of python-pptx's _PhysPkgWriter it calls
    writer._write_content_types_stream(collect)  # the order python-pptx's _write keeps
    writer._write_pkg_rels(collect)
    writer._write_parts(collect)
    return collect.parts
