"""A tiny HTML builder that escapes every value unless it is explicitly trusted markup.

Values from the data (extract cells, names, SQL text, GX messages) are never trusted:
``esc`` formats them and passes them through chemsafe.htmltext (quotes included, control
and bidirectional characters shown as their code), so a cell holding
``<script>alert(1)</script>`` shows as that text. Only the ``Markup`` strings the report
code writes itself are emitted as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from chemsafe.htmltext import escape_attr, escape_html

MISSING = "–"


class Markup(str):
    """A string of trusted HTML (never built from data without ``esc``)."""

    __slots__ = ()


def escape_text(text: str) -> str:
    """Element content (one pass: markup characters, control and bidi characters)."""
    return escape_html(text)


def fmt(value: object) -> str:
    """A value as text: exact decimals without trailing zeros, ISO dates, yes/no."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if type(value) is int:
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    if isinstance(value, float):
        return format(value, ".10g")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def esc(value: object) -> Markup:
    if isinstance(value, Markup):
        return value
    return Markup(escape_text(fmt(value)))


def join(parts: Iterable[object]) -> Markup:
    return Markup("".join(esc(part) for part in parts))


def tag(name: str, content: object = "", cls: str | None = None, **attrs: str) -> Markup:
    """<name class=... attrs>content</name>; attribute values are escaped too."""
    named = {"class": cls} if cls else {}
    named.update({key.rstrip("_").replace("_", "-"): value for key, value in attrs.items()})
    attributes = "".join(f' {key}="{escape_attr(value)}"'
                         for key, value in named.items())
    return Markup(f"<{name}{attributes}>{esc(content)}</{name}>")


def cells(values: Sequence[object], header: bool = False) -> Markup:
    cell = "th" if header else "td"
    return tag("tr", join(tag(cell, value) for value in values))


def table(headers: Sequence[object], rows: Iterable[Sequence[object]],
          cls: str | None = None) -> Markup:
    body = join(cells(row) for row in rows)
    return tag("table", join([tag("thead", cells(headers, header=True)), tag("tbody", body)]),
               cls=cls)


def definition_list(items: Iterable[tuple[object, object]]) -> Markup:
    return tag("dl", join(join([tag("dt", key), tag("dd", value)]) for key, value in items))
