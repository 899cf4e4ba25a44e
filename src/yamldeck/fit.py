"""Lay text out at build time with real font metrics, so every box is known to fit.

Widths come from font files that stand for the theme's fonts: the bundled IPAexGothic for
East Asian characters (full- and ambiguous-width, as PowerPoint sends them to the ``ea``
font under ``lang="ja-JP"``) and DejaVu Sans, shipped with matplotlib, for the rest. DejaVu
is wider than Segoe UI, Arial or Meiryo's Latin, and it is what LibreOffice substitutes here,
so a fit measured with it holds in PowerPoint too.

Lines break greedily with Japanese rules: any two kana or kanji may part, except that
closing brackets and small punctuation never start a line (kinsoku) and opening brackets
never end one; a Latin word (or URL) is unbreakable unless it is longer than the whole line.
The measure is conservative where renderers differ: 、 and 。 are measured inside the line
(though the writer lets them hang), and the space LibreOffice adds between Japanese and Latin
text is counted (AUTOSPACE_EM). Line heights are the ones the writer puts in the file, in
points.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .fonts import bundled_japanese_font

# The standard kinsoku level, as PowerPoint and LibreOffice apply it for Japanese.
NO_START = set("!%),.:;?]}¢°’”‰′″℃、。々〉》」』】〕゛゜ゝゞ・ヽヾ！％），．：；？］｝｡｣､･ﾞﾟ")
NO_END = set("$([\\{£¥‘“〈《「『【〔＄（［｛｢")
HANGING = set("、。，．")
UNITS = 1000  # fonts are read at this pixel size; widths are kept in ems
#: LibreOffice sets this much space (ems of the text size) where the script changes between
#: Japanese and Latin letters or digits (「2026 年 6 月」, also across a space: 「は 2 週」; its
#: Asian/Latin spacing, on by default); PowerPoint sets none. Counted in every width, so text
#: fitted here fits in both.
AUTOSPACE_EM = 0.25
#: 、 and 。 may hang past the edge (the writer sets ``hangingPunct``), but renderers
#: disagree on when they do; the measure never lets them, so a line it says fits does.
MEASURE_HANGING = False
#: Bumped whenever ``Metrics._measure`` changes what it returns for a character, so that
#: widths learnt by an older version (the build cache's) are not used.
MEASURE_RULES = 1


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WFA"


def _script(ch: str) -> str | None:
    """ "ea" or "latin" for a character that sets LibreOffice's script; None for one that
    takes its neighbour's (spaces, punctuation, symbols)."""
    if ch.isspace():
        return None
    if unicodedata.east_asian_width(ch) in "WF":
        return "ea"
    return "latin" if ch.isalnum() else None


def autospaces(text, script: str | None = None) -> tuple[int, str | None]:
    """(how many Asian/Latin spaces LibreOffice sets in ``text``, the script it ends in),
    after text ending in ``script``."""
    count = 0
    for ch in text:
        now = _script(ch)
        if now is not None:
            count += script is not None and now != script
            script = now
    return count, script


@cache
def _latin_font_paths() -> tuple[Path, Path]:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


class Metrics:
    """Advance widths in ems, per character, from the stand-in font files.

    Widths measured before (the cache's, ``learn``) are taken as they are; the font files
    are opened only for a character not known yet. ``identity`` names the fonts and the
    measuring, so that widths are never taken from other fonts."""

    def __init__(self) -> None:
        self._fonts: dict | None = None
        self._widths: dict[tuple[str, bool], float] = {}
        self._tokens: dict[tuple[str, bool], tuple[float, int, str | None, str | None]] = {}
        self.measured = 0  # characters measured in this process (not learnt)

    def _open(self) -> dict:
        from PIL import ImageFont

        regular, bold = _latin_font_paths()
        # The basic layout engine measures one character at a time, the same on every
        # machine, and does not depend on libraqm being installed.
        basic = ImageFont.Layout.BASIC
        return {
            ("ea", False): ImageFont.truetype(
                str(bundled_japanese_font()), UNITS, layout_engine=basic
            ),
            ("latin", False): ImageFont.truetype(str(regular), UNITS, layout_engine=basic),
            ("latin", True): ImageFont.truetype(str(bold), UNITS, layout_engine=basic),
        }

    def identity(self) -> str:
        """The font files (path, size, modification time), the versions of yamldeck's code
        and its libraries (PIL's measuring), Unicode's tables (east-asian widths) and the
        measuring rules: widths learnt under another identity are not these widths."""
        from .stamps import library_versions

        parts = [
            library_versions(),
            f"unicode={unicodedata.unidata_version}",
            f"units={UNITS}",
            f"rules={MEASURE_RULES}",
        ]
        for path in (bundled_japanese_font(), *_latin_font_paths()):
            try:
                stat = path.stat()
                parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
            except OSError:
                parts.append(f"{path}:missing")
        return "\n".join(parts)

    def learn(self, widths: dict[tuple[str, bool], float]) -> None:
        """Take widths measured before (by this identity) instead of measuring them again."""
        for key, width in widths.items():
            self._widths.setdefault(key, width)

    def known(self) -> dict[tuple[str, bool], float]:
        return dict(self._widths)

    def em(self, ch: str, bold: bool = False) -> float:
        key = (ch, bold)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = self._measure(ch, bold)
            self.measured += 1
        return width

    def _measure(self, ch: str, bold: bool) -> float:
        if self._fonts is None:
            self._fonts = self._open()
        text = "    " if ch == "\t" else ch  # a tab is set as four spaces
        try:
            if _is_wide(ch):
                # IPAexGothic has no bold face; renderers embolden it a little wider.
                return self._fonts[("ea", False)].getlength(text) / UNITS * (1.03 if bold else 1)
            return self._fonts[("latin", bold)].getlength(text) / UNITS
        except (OSError, ValueError, RuntimeError):
            return 1.0  # a character no font can measure: assume a full em, never less

    def token(self, token: list[tuple[str, bool]]) -> tuple[float, int, str | None, str | None]:
        """(sum of the ems, Asian/Latin spaces inside, first and last script) of a token:
        what wrapping needs of it, remembered for the one-character tokens most are."""
        if len(token) == 1:
            found = self._tokens.get(token[0])
            if found is None:
                ch, bold = token[0]
                script = _script(ch)
                found = self._tokens[token[0]] = (sum([self.em(ch, bold)]), 0, script, script)
            return found
        ems = sum(self.em(ch, bold) for ch, bold in token)
        internal, last = autospaces(ch for ch, _ in token)
        first = next((s for s in (_script(ch) for ch, _ in token) if s is not None), None)
        return ems, internal, first, last

    def width(self, chars: list[tuple[str, bool]], size: float) -> float:
        """Width in points of (character, bold) pairs at ``size`` points."""
        ems = sum(self.em(ch, bold) for ch, bold in chars)
        gaps, _ = autospaces(ch for ch, _ in chars)
        return (ems + gaps * AUTOSPACE_EM) * size


@cache
def default_metrics() -> Metrics:
    return Metrics()


Token = list[tuple[str, bool]]


def tokenize(chars: list[tuple[str, bool]]) -> list[Token]:
    """Latin words stay whole; every wide character and every space is its own token."""
    tokens: list[Token] = []
    word: Token = []
    for ch, bold in chars:
        if _is_wide(ch) or ch.isspace():
            if word:
                tokens.append(word)
                word = []
            tokens.append([(ch, bold)])
        else:
            word.append((ch, bold))
    if word:
        tokens.append(word)
    return tokens


def line_width(chars: list[tuple[str, bool]], size: float, metrics: Metrics | None = None) -> float:
    """Width in points of one line as set, LibreOffice's Asian/Latin spaces included."""
    return (metrics or default_metrics()).width(chars, size)


def _may_break(before: Token, after: Token) -> bool:
    if after[0][0].isspace() or before[-1][0].isspace():
        return True
    return after[0][0] not in NO_START and before[-1][0] not in NO_END


# Fitting tries the same text at the same size and width many times (sizes, balance,
# orphans, brackets): each wrap is remembered, up to this many, then forgotten at once.
# The wraps a build used are kept in the build cache for the next build of the same deck
# (see build._learn): an edited bullet then wraps only the text that changed.
MAX_WRAPS_KEPT = 4_000
_WRAPS: dict[tuple, list[str]] = {}
_USED: set[tuple] = set()  # keys asked for since the last forget_used()
_made = 0  # wraps computed (not found) since the last forget_used()
_LEARNT: dict[tuple[str, str, float, float], list[str]] = {}  # (text, bold mask, size, width)
_learnt_by: Metrics | None = None  # the metrics they were made with


def wrap(
    chars: list[tuple[str, bool]], size: float, width: float, metrics: Metrics | None = None
) -> list[str]:
    """Break text into lines no wider than ``width`` points at ``size`` points."""
    global _made
    key = (tuple(chars), size, width, metrics)
    found = _WRAPS.get(key)
    if found is None:
        if len(_WRAPS) >= MAX_WRAPS_KEPT:
            _WRAPS.clear()
        if _LEARNT and metrics is _learnt_by:
            text = "".join([ch for ch, _ in chars])
            mask = "".join(["1" if bold else "0" for _, bold in chars])
            found = _LEARNT.get((text, mask, size, width))
        if found is None:
            found = _wrap(chars, size, width, metrics)
            _made += 1
        _WRAPS[key] = found
    if len(_USED) < MAX_WRAPS_KEPT:
        _USED.add(key)
    return list(found)


def forget_used() -> None:
    """Start counting the wraps one build uses (``used_wraps``)."""
    global _made
    _USED.clear()
    _made = 0


def used_wraps(metrics: Metrics, always: bool = False) -> list | None:
    """The wraps asked for with ``metrics`` since forget_used(), as JSON-ready rows
    [text, bold mask, size, width, lines]; None if every one of them was known already
    (unless ``always``)."""
    if not _made and not always:
        return None
    rows = []
    for chars, size, width, m in _USED:
        if m is metrics and (chars, size, width, m) in _WRAPS:
            text = "".join(ch for ch, _ in chars)
            mask = "".join("1" if bold else "0" for _, bold in chars)
            rows.append([text, mask, size, width, _WRAPS[(chars, size, width, m)]])
    rows.sort()
    return rows


def learn_wraps(rows: list, metrics: Metrics) -> None:
    """Take wraps an earlier build made with these metrics (rows as used_wraps gives),
    in place of those learnt before; wrap() looks them up when it meets their text."""
    global _learnt_by
    _LEARNT.clear()
    _learnt_by = metrics
    for text, mask, size, width, lines in rows[:MAX_WRAPS_KEPT]:
        _LEARNT[(text, mask, size, width)] = lines


def _wrap(
    chars: list[tuple[str, bool]], size: float, width: float, metrics: Metrics | None = None
) -> list[str]:
    m = metrics or default_metrics()
    lines: list[Token] = []
    line: list[Token] = []
    used = 0.0
    script: str | None = None  # of the line's last letter, for LibreOffice's Asian/Latin space

    def close() -> None:
        nonlocal line, used, script
        while line and line[-1][0][0].isspace():
            line.pop()
        lines.append([c for tok in line for c in tok])
        line, used, script = [], 0.0, None

    for token in tokenize(chars):
        ems, internal, first, last = m.token(token)
        w = (ems + internal * AUTOSPACE_EM) * size  # as Metrics.width, to the last bit
        if token[0][0] == "\n":
            close()
            continue
        if not line and token[0][0].isspace():
            continue  # no line starts with a space
        # LibreOffice's Asian/Latin space before this token, when it joins the line (the
        # token's own are in ``w``).
        joins = script is not None and first is not None and first != script
        after = last if last is not None else script
        gap = int(joins) * AUTOSPACE_EM * size
        hangs = MEASURE_HANGING and line and token[0][0] in HANGING
        if used + gap + w <= width + 1e-6 or hangs:
            line.append(token)
            used += gap + w
            script = after
            continue
        if token[0][0].isspace():
            close()
            continue
        if w > width:  # a word longer than the line: break it where it must
            if line:
                close()
            piece: Token = []
            for c in token:
                if piece and m.width(piece + [c], size) > width:
                    lines.append(piece)
                    piece = []
                piece.append(c)
            line, used = [piece], m.width(piece, size)
            script = autospaces(ch for ch, _ in piece)[1]
            continue
        carry = [token]
        while line and not _may_break(line[-1], carry[0]) and len(carry) < 8:
            carry.insert(0, line.pop())
        if not line:  # nowhere to break by the rules: break before this token anyway
            line, carry = carry[:-1], [token]
        close()
        line = carry
        used = m.width([c for t in carry for c in t], size)
        script = autospaces(ch for t in carry for ch, _ in t)[1]
    if line or not lines:
        close()
    return ["".join(ch for ch, _ in chars_) for chars_ in lines]


@dataclass(frozen=True)
class TextBlock:
    """One paragraph to lay out: its characters (with bold flags) and how it is set."""

    chars: tuple[tuple[str, bool], ...]
    size: float
    line: float  # line height as a multiple of size
    indent: float = 0.0  # inches of left margin (bullet indent)
    space_before: float = 0.0  # points

    @staticmethod
    def of(
        runs,
        size: float,
        line: float,
        indent: float = 0.0,
        space_before: float = 0.0,
        bold: bool = False,
    ) -> TextBlock:
        chars = tuple((ch, bold or r.bold) for r in runs for ch in r.text)
        return TextBlock(chars, size, line, indent, space_before)


def block_lines(block: TextBlock, width_in: float, metrics: Metrics | None = None) -> list[str]:
    return wrap(list(block.chars), block.size, (width_in - block.indent) * 72, metrics)


def height_of(
    blocks: list[TextBlock],
    width_in: float,
    metrics: Metrics | None = None,
) -> tuple[float, int]:
    """(height in inches, total lines) of paragraphs set in a column ``width_in`` wide."""
    total_pt, count = 0.0, 0
    for i, block in enumerate(blocks):
        n = len(block_lines(block, width_in, metrics))
        count += n
        total_pt += n * block.size * block.line + (block.space_before if i else 0.0)
    return total_pt / 72, count


def phrase_lines(
    text: str, size: float, width_in: float, bold: bool = True, metrics: Metrics | None = None
) -> list[str]:
    """Break a title at phrase boundaries (BudouX), never inside a word.

    A phrase longer than a line is broken by the ordinary rules.
    """
    m = metrics or default_metrics()
    width = width_in * 72
    lines: list[str] = []
    current = ""
    for phrase in _phrases(text):
        candidate = current + phrase
        if m.width([(c, bold) for c in candidate.rstrip()], size) <= width:
            current = candidate
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = phrase.lstrip()
        while m.width([(c, bold) for c in current.rstrip()], size) > width:
            pieces = wrap([(c, bold) for c in current], size, width, m)
            if len(pieces) < 2:
                break  # one character wider than the box (a tiny template box): no progress
            lines.extend(pieces[:-1])
            current = pieces[-1]
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


@cache
def _parser():
    import budoux

    return budoux.load_default_japanese_parser()


@lru_cache(maxsize=1024)
def _phrases(text: str) -> tuple[str, ...]:
    """BudouX phrases; cached, since a title is tried at several sizes."""
    return tuple(_parser().parse(text)) if text else ("",)


#: A last line of this many characters or fewer (punctuation not counted) is an orphan:
#: 「上回/る」, 「約20/倍」.
ORPHAN_CHARS = 2
_TRAILING = "、。，．！？」）　 "


def orphan_break(
    chars: list[tuple[str, bool]], size: float, width: float, metrics: Metrics | None = None
) -> int | None:
    """Where a hard line break keeps a paragraph's last line from holding only one or two
    characters: the latest BudouX phrase boundary on the line before it such that the
    moved phrase and the orphan fit one line, so the line count stays the same. None when
    the last line is long enough or no phrase boundary serves."""
    m = metrics or default_metrics()
    text = "".join(ch for ch, _ in chars)
    if "\n" in text or not any(_is_wide(ch) for ch in text):
        return None
    lines = wrap(chars, size, width, m)
    if len(lines) < 2 or not (0 < len(lines[-1].strip(_TRAILING)) <= ORPHAN_CHARS):
        return None
    starts, pos = [], 0
    for line in lines:
        pos = text.find(line, pos)
        if pos < 0:
            return None
        starts.append(pos)
        pos += len(line)
    before, last = starts[-2], starts[-1]
    offset = 0
    bounds = []
    for phrase in _phrases(text):
        offset += len(phrase)
        if before < offset < last:
            bounds.append(offset)
    for b in reversed(bounds):
        head, tail = chars[:b], chars[b:]
        if text[b - 1].isspace() or not _may_break([head[-1]], [tail[0]]):
            continue
        if (
            len(wrap(tail, size, width, m)) == 1
            and len(wrap(head, size, width, m)) == len(lines) - 1
        ):
            return b
    return None


#: Opening brackets whose full-width glyph has its ink in the right half: at the start of a
#: line they look indented by half an em.
OPENING = set("「『（【〔〈《［｛｢")
#: How far (ems) such a bracket hangs left at the start of a one-line bullet.
BRACKET_HANG = 0.5


def bracket_break(
    chars: list[tuple[str, bool]], size: float, width: float, metrics: Metrics | None = None
) -> int | None:
    """Where a hard line break keeps a wrapped line from starting with an opening bracket
    (which would sit half an em right of the lines above it): before the character ahead of
    the bracket, so the two go down together, when that keeps the same number of lines.
    None when no wrapped line starts with one or no break serves."""
    m = metrics or default_metrics()
    lines = wrap(chars, size, width, m)
    if len(lines) < 2:
        return None
    text = "".join(ch for ch, _ in chars)
    pos = 0
    for i, line in enumerate(lines):
        at = text.find(line, pos)
        if at < 0:
            return None
        pos = at + len(line)
        if i == 0 or not line or line[0] not in OPENING:
            continue
        b = at - 1
        while b > 0 and text[b] in " \n":
            b -= 1
        if b <= 0 or text[b].isspace() or text[b] in NO_START or text[b - 1] == "\n":
            return None
        if not _may_break([chars[b - 1]], [chars[b]]):
            return None
        broken = chars[:b] + [("\n", False)] + chars[b:]
        if len(wrap(broken, size, width, m)) == len(lines):
            return b
        return None
    return None
