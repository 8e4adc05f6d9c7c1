"""Text from the data into HTML: escaped, and unable to spoof what a reader sees.

The one escape used by every page built from data (the auditor report, the EHS dashboard).
Besides ``& < > " '``, characters that would act as formatting instead of showing are
replaced by their code as visible text (``\\u202e``):

- C0 control characters (U+0000–U+001F) except tab, line feed and carriage return (white
  space in HTML, kept so SQL and multi-line cells read as written), DEL (U+007F) and the
  C1 control characters (U+0080–U+009F);
- bidirectional formatting: embeddings and overrides (U+202A–U+202E), isolates
  (U+2066–U+2069) and the marks U+200E, U+200F and U+061C, which could otherwise reorder
  or disguise the text around them (an invoice number read backwards, a hidden suffix).

In element content the code sits in ``<span class="ctl" title="U+202E">`` (styled by
CONTROL_CSS, so it is seen as a marker and not as part of the value); in attribute values
and SVG text, where no markup may go, it is the plain text ``\\u202e``.
"""

from __future__ import annotations

# The strict policy of every generated page: nothing may be loaded (no script, image,
# font, frame or connection), inline styles only, no <base>, no form submission.
CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'

CONTROL_CSS = (".ctl { font-family: monospace; font-size: 0.9em; color: #922b21; "
               "background: #fdedec; border: 1px solid #e6b0aa; border-radius: 2px; "
               "padding: 0 1px; }")

_MARKUP = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"}
_KEPT = {"\t", "\n", "\r"}
SPOOFING = frozenset(
    [chr(c) for c in range(0x20) if chr(c) not in _KEPT]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)


def visible_code(char: str) -> str:
    """The character's code as text: U+202E -> \\u202e."""
    return f"\\u{ord(char):04x}"


_CONTENT = str.maketrans({
    **_MARKUP,
    **{c: f'<span class="ctl" title="U+{ord(c):04X}">{visible_code(c)}</span>'
       for c in SPOOFING},
})
_ATTRIBUTE = str.maketrans({**_MARKUP, **{c: visible_code(c) for c in SPOOFING}})


def escape_html(text: str) -> str:
    """Text for HTML element content."""
    return text.translate(_CONTENT)


def escape_attr(text: str) -> str:
    """Text for an attribute value (quoted) or SVG text: no markup, codes as plain text."""
    return text.translate(_ATTRIBUTE)
