"""Text from banks and transcripts made safe for a terminal: control characters shown, not obeyed.

Question banks are shared files and transcripts can be imported, so their
text is untrusted. An escape sequence in it could retitle the terminal,
clear the screen, write the clipboard or plant a hyperlink; a bidirectional
override could make text read differently from what it is. Every front
passes such text through `visible` before printing, drawing or exporting it:
each control character becomes a visible symbol (ESC shows as ␛), so nothing
is lost and nothing is interpreted.
"""

from __future__ import annotations

import re

_C0 = {code: chr(0x2400 + code) for code in range(0x20)}
"""C0 controls as Unicode control pictures (NUL ␀ ... ESC ␛ ... US ␟)."""
_TABLE: dict[int, str] = {**_C0, 0x7F: "\u2421"}  # DEL as ␡
_TABLE.update({code: f"\\x{code:02x}" for code in range(0x80, 0xA0)})  # C1 controls
_TABLE.update(
    {code: f"\\u{code:04x}" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
)  # bidirectional embeddings, overrides and isolates
_MULTILINE = {k: v for k, v in _TABLE.items() if k not in (0x0A, 0x09)}

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str, *, multiline: bool = False) -> str:
    """`text` with every control character replaced by a visible stand-in.

    With `multiline`, newlines and tabs are kept (a tip or an example answer
    may span lines); otherwise they too are shown as symbols, so one field
    stays on one line.
    """
    if not _UNSAFE.search(text):
        return text
    return text.translate(_MULTILINE if multiline else _TABLE)


def is_safe(text: str) -> bool:
    """True when `text` holds no character `visible` would replace (newlines aside)."""
    return _UNSAFE.search(text.replace("\n", "").replace("\t", "")) is None


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) safe for a terminal.

    JSON escapes C0 controls itself but writes DEL, the C1 controls (U+009B
    is a one-byte CSI) and direction overrides as they are; here they become
    ``\\uXXXX`` escapes, which parse back to the very same string.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
