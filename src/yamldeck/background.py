"""Draw a deck's chart pictures on the other core while its slides are written.

matplotlib's import and the drawing are most of a cold build, and writing the slides needs
the pictures only when the package is saved. So a forked child draws them while this
process writes every slide with a small stand-in picture in each chart's place; when the
package is saved, each stand-in's bytes are swapped for the real picture (see
writer.reproducible.normalize_zip), giving exactly the file a build in one go writes.

Only where it is safe and useful: Linux (fork), one thread, and not inside a batch's worker
(the other core is busy there). A child that fails hands its charts back to be drawn here.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import threading
import zlib
from typing import Any


def stand_in(index: int) -> bytes:
    """A 1 × 1 PNG unique to ``index``: a placeholder the writer can place and size."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    pixel = bytes((0, (index >> 16) & 255, (index >> 8) & 255, index & 255))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", b"yamldeck\x00stand-in %d" % index)
            + chunk(b"IDAT", zlib.compress(pixel)) + chunk(b"IEND", b""))


def can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


class Drawing:
    """Charts being drawn by a child process; ``result()`` waits for their PNGs."""

    def __init__(self, charts: list, theme: Any):
        self.charts = charts
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: draw, send, and leave without running any cleanup
            code = 1
            try:
                os.close(read)
                from .charts import render_chart

                payload = pickle.dumps([render_chart(c, theme) for c in charts])
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.fd = read
        self.done = False

    def result(self) -> list[bytes] | None:
        """The pictures in order, or None if the child failed (draw them here instead)."""
        try:
            with os.fdopen(self.fd, "rb") as handle:
                payload = handle.read()
        finally:
            _, status = os.waitpid(self.pid, 0)
            self.done = True
        if os.waitstatus_to_exitcode(status) != 0:
            return None
        pictures = pickle.loads(payload)  # our own child's output, in this build
        return pictures if len(pictures) == len(self.charts) else None

    def abandon(self) -> None:
        """Stop the child (the build failed before the pictures were needed)."""
        if self.done:
            return
        self.done = True
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
            os.close(self.fd)
        except OSError:
            pass
