"""Slides written before, written again from their bytes.

A batch builds the same slides over and over: ten months of one deck differ in the date on
the title slide, a deck per branch in its chart slides. A slide is fully decided by its
planned page (shapes, texts, geometry, colours, notes), the pictures in it, the theme and
the template, so a slide written once in this process is kept as the bytes of its part and
of its notes part; a later page equal to it is added to the package with those bytes and
the same relationships in the same order (its layout, its pictures, its notes), which is
exactly what writing it again would give (tests/test_linear.py compares the files).

The same works across processes: the stamp of an output records, for each slide, a stable
digest of its key and the names of its parts in that output; the next build of the output
(an edited bullet) takes the slides whose digest it finds from the previous file, once its
bytes are checked against the stamp's hash (build.py), and writes only the others.

Pages with a native chart are always written (a chart is a part of its own, with a
workbook). What is kept is bounded by MAX_REPLAY_BYTES; when full, it starts over.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..shapes import Chart, Page, Picture

# Bytes of slide and notes parts kept for replay in one process (a slide part is 3–10 KB):
# when the next would pass this, everything kept is dropped and keeping starts over.
MAX_REPLAY_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Written:
    slide: bytes  # the slide part as saved
    slide_root: bytes  # its root element alone (what python-pptx still reads of it)
    notes: bytes | None  # the notes part, if the slide has one
    notes_root: bytes | None


_KEPT: dict[tuple, Written] = {}
_kept_bytes = 0
replayed = 0  # slides added from kept bytes in this process (tests count them)


def page_key(base: tuple, page: Page, images: dict) -> tuple | None:
    """What decides a slide's bytes, or None for a page that is always written."""
    pictures = []
    for shape in page.shapes:
        if isinstance(shape, Chart):
            return None
        if isinstance(shape, Picture):
            pictures.append(_picture_digest(shape, images))
    key = (base, page.layout, page.background, page.shapes, page.notes, tuple(pictures))
    try:
        hash(key)
    except TypeError:  # a shape holding something unhashable: just write it
        return None
    return key


def _picture_digest(shape: Picture, images: dict) -> str:
    if shape.chart is not None:
        return hashlib.sha1(images[shape.chart]).hexdigest()
    try:
        with open(shape.path, "rb") as handle:
            return hashlib.sha1(handle.read()).hexdigest()
    except OSError:
        return f"unreadable:{shape.path}"  # writing it will fail the same way


def recall(
    key: tuple | None,
    previous: Previous | None = None,
    digest: Callable[[tuple], str] | None = None,
) -> Written | None:
    """The slide kept under ``key`` in this process, else in the previous output (found by
    ``digest`` of the key: stable_digest, or a memo of it)."""
    if key is None:
        return None
    found = _KEPT.get(key)
    if found is None and previous is not None:
        found = previous.get((digest or stable_digest)(key))
    return found


def stable_digest(key: tuple) -> str:
    """A digest of ``key`` that is the same in every process of the same code and libraries
    (the key is frozen dataclasses of text, numbers and tuples, whose repr is exact)."""
    from ..stamps import library_versions

    text = library_versions() + "\n" + repr(key)
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()


class Previous:
    """The slides of the output the last build wrote: digest → names of its parts."""

    def __init__(self, package: bytes, slides: list, same_zlib: bool = False):
        from .reproducible import Earlier

        self.package = package  # the file's bytes, checked against its stamp
        # Written with this zlib (the stamp's versions are ours): its compressed entries
        # are what compressing the same bytes gives now, so they may be copied.
        self.same_zlib = same_zlib
        self.names = {
            entry[0]: (entry[1], entry[2])
            for entry in (slides if isinstance(slides, list) else [])
            if isinstance(entry, list)
            and len(entry) == 3
            and isinstance(entry[0], str)
            and isinstance(entry[1], str)
            and isinstance(entry[2], str | None)
        }  # a stamp edited by hand or damaged: what is not as written is ignored
        self.earlier = Earlier(package)

    def preload(self) -> None:
        """Inflate every slide and notes part listed now (while another process plans)."""
        for names in self.names.values():
            for name in names:
                if name:
                    self.earlier.content(name.lstrip("/"))

    def get(self, digest: str) -> Written | None:
        names = self.names.get(digest)
        if names is None:
            return None
        slide = self.earlier.content(names[0].lstrip("/"))
        notes = self.earlier.content(names[1].lstrip("/")) if names[1] else None
        if slide is None or (names[1] and notes is None):
            return None  # a damaged or unexpected file: write the slide instead
        try:
            return Written(slide, _root(slide), notes, _root(notes) if notes else None)
        except ValueError:
            return None


def _root(blob: bytes) -> bytes:
    """The root element of a part alone, as pptxfast.freeze keeps it: its start tag made
    empty (lxml writes '>' in attribute values as &gt;, so the first '>' ends the tag)."""
    start = blob.index(b"<", blob.index(b"?>") + 2 if blob.startswith(b"<?xml") else 0)
    end = blob.index(b">", start)
    tag = blob[start:end].rstrip(b"/")
    return tag + b"/>"


def keep(key: tuple | None, slide: Any) -> None:
    """Remember a frozen slide (see pptxfast.freeze) under ``key``."""
    global _kept_bytes
    if key is None or key in _KEPT:
        return
    from lxml import etree

    part = slide.part
    notes = _notes_part(part)
    written = Written(
        part.blob,
        etree.tostring(part._element),
        notes.blob if notes is not None else None,
        etree.tostring(notes._element) if notes is not None else None,
    )
    size = len(written.slide) + len(written.notes or b"")
    if size > MAX_REPLAY_BYTES:
        return
    if _kept_bytes + size > MAX_REPLAY_BYTES:  # full (a long watch): start over
        forget()
    _kept_bytes += size
    _KEPT[key] = written


def _notes_part(part: Any) -> Any:
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    found = [rel.target_part for rel in part.rels.values() if rel.reltype == RT.NOTES_SLIDE]
    return found[0] if found else None


def names(slide: Any) -> tuple[str, str | None]:
    """The part names of a written slide and of its notes (None without notes)."""
    notes = _notes_part(slide.part)
    return str(slide.part.partname), str(notes.partname) if notes is not None else None


def replay(prs: Any, page: Page, written: Written, images: dict) -> Any:
    """Add the slide ``written`` for ``page``: the relationships writing it makes, in the
    same order, and its parts' bytes. Returns the slide."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.parts.slide import NotesSlidePart

    from .pptxfast import frozen

    global replayed
    replayed += 1
    master, index = page.layout
    layout = prs.slide_masters[master].slide_layouts[index]
    rId, slide = prs.part.add_slide(layout)
    prs.slides._sldIdLst.add_sldId(rId)
    part = slide.part
    for shape in page.shapes:
        if isinstance(shape, Picture):
            source = shape.path if shape.chart is None else io.BytesIO(images[shape.chart])
            part.get_or_add_image_part(source)
    if written.notes is not None:  # related as python-pptx relates a new notes slide
        master = part.package.presentation_part.notes_master_part
        notes_part = NotesSlidePart._add_notes_slide_part(part.package, part, master)
        part.relate_to(notes_part, RT.NOTES_SLIDE)
        frozen(notes_part, written.notes, written.notes_root)  # type: ignore[arg-type]
    frozen(part, written.slide, written.slide_root)
    return slide


def forget() -> None:
    """Drop every kept slide (when full)."""
    global _kept_bytes
    _KEPT.clear()
    _kept_bytes = 0
