"""XML escaping for text and attributes we write as strings.

xml.sax.saxutils does the same, but importing it pulls in urllib.request, http.client,
ssl and email (17 ms of every build that writes a deck).
"""

from __future__ import annotations

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


def escape(text: str) -> str:
    """``text`` as XML character data."""
    return text.translate(_TEXT)


def quoteattr(text: str) -> str:
    """``text`` as a double-quoted XML attribute value, quotes included."""
    return '"' + text.translate(_ATTR) + '"'
