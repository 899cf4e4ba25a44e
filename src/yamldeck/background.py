"""Draw a deck's chart pictures on the other core while its slides are written.

matplotlib's import and the drawing are most of a cold build, and writing the slides needs
the pictures only when the package is saved. So a child is forked as soon as a build
starts: it imports matplotlib while this process loads and plans the deck, then draws the
charts it is handed (every other one in a sibling it forks, so both cores draw once the
slides are written), while this process writes every slide with a small stand-in picture
in each chart's place; when the package is saved, each stand-in's bytes are swapped for
the real picture (see writer.reproducible.normalize_zip), giving exactly the file a build
in one go writes.

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
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    pixel = bytes((0, (index >> 16) & 255, (index >> 8) & 255, index & 255))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"tEXt", b"yamldeck\x00stand-in %d" % index)
        + chunk(b"IDAT", zlib.compress(pixel))
        + chunk(b"IEND", b"")
    )


# A child that has not answered in this long is stopped and its work done in this
# process (a child stuck for a reason of its own, such as a lock held at the fork, would
# otherwise hang the build). Drawing 100 charts takes some 15 s; planning a deck of 300
# slides well under a second. README "Limits".
DRAW_TIMEOUT_S = 300.0
PLAN_TIMEOUT_S = 120.0


def collect(fd: int, pid: int, seconds: float, group: bool = False) -> tuple[bytes, int] | None:
    """All that child ``pid`` writes to ``fd`` until it closes it, and its exit code; None
    if that takes longer than ``seconds`` (the child is killed, with its process group when
    ``group``: a drawer and the sibling it forked). Closes ``fd`` and reaps the child in
    every case; Ctrl-C kills the child and goes on up."""
    import select
    import time

    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    finished = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        finished = True
    finally:
        os.close(fd)
        if not finished:
            _kill(pid, group)
        _, status = os.waitpid(pid, 0)
    return b"".join(chunks), os.waitstatus_to_exitcode(status)


def _kill(pid: int, group: bool = False) -> None:
    try:
        if group:
            os.killpg(pid, 9)
        else:
            os.kill(pid, 9)
    except OSError:
        pass


def can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


# Charts a drawer hands to a second process of its own once it holds more than one: the
# main process is writing slides on one core meanwhile, and drawing is most of a cold build.
SPLIT_AT = 2


def _draw_all(charts: list, theme: Any) -> list[bytes]:
    """Draw ``charts`` in this process and a forked sibling (every other chart), in order."""
    from .charts import render_chart, warm_up

    if len(charts) < SPLIT_AT:
        return [render_chart(c, theme) for c in charts]
    warm_up(theme)  # loaded once here rather than in both processes
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the sibling: the odd charts
        code = 1
        try:
            os.close(read)
            payload = pickle.dumps([render_chart(c, theme) for c in charts[1::2]])
            with os.fdopen(write, "wb") as out:
                out.write(payload)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    try:
        even = [render_chart(c, theme) for c in charts[0::2]]
    except BaseException:
        os.close(read)
        os.kill(pid, 9)  # it may be blocked writing into a pipe nobody will read
        os.waitpid(pid, 0)
        raise
    got = collect(read, pid, DRAW_TIMEOUT_S)
    if got is None or got[1] != 0:
        odd = [render_chart(c, theme) for c in charts[1::2]]
    else:
        odd = pickle.loads(got[0])
    pictures: list[bytes] = []
    for i in range(len(charts)):
        pictures.append(even[i // 2] if i % 2 == 0 else odd[i // 2])
    return pictures


def start_drawer() -> Drawer | None:
    """A Drawer, or None when no process can be forked now (the charts are drawn here)."""
    try:
        return Drawer()
    except OSError:
        return None


class Drawer:
    """A forked child that imports matplotlib at once, while this process loads and plans
    the deck, then draws the charts it is given (``draw``) — or leaves (``abandon``)."""

    def __init__(self) -> None:
        jobs_read, jobs_write = os.pipe()
        out_read, out_write = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:  # too many processes: no drawer, and no pipes left open
            for fd in (jobs_read, jobs_write, out_read, out_write):
                os.close(fd)
            raise
        if self.pid == 0:  # the child: warm up, wait for the charts, draw, send, leave
            code = 1
            try:
                # A group of its own, with the sibling it forks: stopping the drawer
                # stops both (an orphaned sibling would hold the build's pipes open).
                os.setpgid(0, 0)
                os.close(jobs_write)
                os.close(out_read)
                from . import charts  # noqa: F401  # the import is most of the wait
                from .gcpause import resume

                resume()  # drawing makes cyclic garbage (matplotlib figures)

                with os.fdopen(jobs_read, "rb") as handle:
                    job = handle.read()
                if job:
                    chart_list, theme = pickle.loads(job)
                    payload = pickle.dumps(_draw_all(chart_list, theme))
                    with os.fdopen(out_write, "wb") as out:
                        out.write(payload)
                code = 0
            finally:
                os._exit(code)
        try:  # here too, so that a kill never comes before the child's own setpgid
            os.setpgid(self.pid, self.pid)
        except OSError:
            pass
        os.close(jobs_read)
        os.close(out_write)
        self.jobs, self.fd = jobs_write, out_read
        self.charts: list = []
        self.done = False

    def draw(self, charts: list, theme: Any) -> Drawer:
        """Hand the child its charts; ``result()`` waits for their pictures."""
        self.charts = charts
        payload = pickle.dumps((charts, theme))
        jobs, self.jobs = self.jobs, -1
        try:
            with os.fdopen(jobs, "wb") as out:
                out.write(payload)
        except OSError:
            pass  # the child is gone: result() says so and the charts are drawn here
        return self

    def result(self, seconds: float | None = None) -> list[bytes] | None:
        """The pictures in order, or None if the child failed or took longer than
        ``seconds`` (DRAW_TIMEOUT_S): draw them here instead."""
        fd, self.fd = self.fd, -1
        try:
            got = collect(fd, self.pid, DRAW_TIMEOUT_S if seconds is None else seconds, group=True)
        finally:
            self.done = True
        if got is None or got[1] != 0:
            return None
        payload = got[0]
        try:
            pictures = pickle.loads(payload)  # our own child's output, in this build
        except Exception:
            return None
        return pictures if len(pictures) == len(self.charts) else None

    def abandon(self) -> None:
        """Stop the child (no chart to draw, or the build failed before it needed them)."""
        if self.done:
            return
        self.done = True
        _kill(self.pid, group=True)
        try:
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        for fd in (self.jobs, self.fd):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.jobs = self.fd = -1


class Beside:
    """A forked child that runs ``work()`` (planning an edited deck) while this process
    imports what comes next (python-pptx and the writer: 0.1 s), then hands its result
    back pickled. ``result()`` is None when the child failed or was killed: the caller then
    does the work itself, so a real bug shows its traceback there, once."""

    def __init__(self, work: Any) -> None:
        read, write = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if self.pid == 0:  # the child: work, send, leave (no atexit, no stdio flush)
            code = 1
            try:
                os.close(read)
                try:
                    payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:
                    payload = b""  # the parent does the work again and reports the error
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
                code = 0 if payload else 1
            finally:
                os._exit(code)
        os.close(write)
        self.fd = read

    def abandon(self) -> None:
        """Stop and reap the child (this process gives up waiting for it)."""
        _kill(self.pid)
        for step in (lambda: os.close(self.fd), lambda: os.waitpid(self.pid, 0)):
            try:
                step()
            except OSError:
                pass

    def result(self, seconds: float | None = None) -> Any | None:
        """What ``work()`` returned, or None if the child failed or took longer than
        ``seconds`` (PLAN_TIMEOUT_S)."""
        fd, self.fd = self.fd, -1
        got = collect(fd, self.pid, PLAN_TIMEOUT_S if seconds is None else seconds)
        if got is None or got[1] != 0 or not got[0]:
            return None
        try:
            return pickle.loads(got[0])  # our own child's output, in this build
        except Exception:
            return None


def start_beside(work: Any) -> Beside | None:
    """A Beside running ``work``, or None when no process can be forked now."""
    try:
        return Beside(work)
    except OSError:
        return None
