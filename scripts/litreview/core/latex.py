"""LaTeX in field values to Unicode, paid for only where a field contains LaTeX.

pylatexenc costs about a millisecond per value; almost all LaTeX in bibliographies is
accents (``{\\"u}``), escaped specials (``\\&``) and dashes, which a table handles in
microseconds. pylatexenc sees only what the table leaves behind.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

_ACCENTS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
_LETTERS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}
_SYMBOL_ACCENT = re.compile(r"""\{?\\(["'`^~=.])\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))\}?""")
_LETTER_ACCENT = re.compile(r"\{?\\([uvHckrdb])(?:\s*\{\s*(\\?[A-Za-z])\s*\}|\s+(\\?[A-Za-z]))\}?")
_LETTER = re.compile(r"\{?\\(ss|ae|AE|oe|OE|aa|AA|o|O|l|L|i|j)(?![A-Za-z])\s*(?:\{\})?\}?")
_ESCAPE = re.compile(r"\\([&%$#_{}])")
_DASHES = (("---", "\u2014"), ("--", "\u2013"))


@functools.lru_cache(maxsize=1)
def _converter() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text  # imported only for LaTeX the table can't read

    return LatexNodes2Text(math_mode="text", keep_comments=False, strict_latex_spaces=False)


def _accent(m: re.Match[str]) -> str:
    base = m.group(2) or m.group(3)
    if base.startswith("\\"):  # an accent on \i or \j goes on the plain letter
        base = {"i": "i", "j": "j"}.get(base[1:], _LETTERS.get(base[1:], base[1:]))
    return unicodedata.normalize("NFC", base + _ACCENTS[m.group(1)])


def _typography(text: str) -> str:
    for tex, uni in _DASHES:
        text = text.replace(tex, uni)
    text = text.replace("~", "\u00a0").replace("``", "\u201c").replace("''", "\u201d")
    # TeX's single quotes: ` opens, ' closes (and is the apostrophe), as TeX typesets them
    return text.replace("`", "\u2018").replace("'", "\u2019") if "`" in text else text


def _fast(value: str) -> str:
    """The table pass; what still holds a backslash afterwards needs the full parser."""
    value = _SYMBOL_ACCENT.sub(_accent, value)
    value = _LETTER_ACCENT.sub(_accent, value)
    value = _LETTER.sub(lambda m: _LETTERS[m.group(1)], value)
    return value


@functools.lru_cache(maxsize=65536)
def to_unicode(value: str) -> str:
    """Decode accents, escapes, dashes and protective braces to plain Unicode text."""
    if not any(c in value for c in "\\{}~-$%`'"):
        return value
    if "\\" in value or "$" in value or "%" in value:
        value = _fast(value)
        if "\\" in _ESCAPE.sub("", value) or "$" in value or re.search(r"(?<!\\)%", value):
            try:
                text = _converter().latex_to_text(value)
            except Exception:  # pylatexenc may choke on unbalanced input; keep the raw text
                text = value.replace("{", "").replace("}", "")
            return _typography(" ".join(text.split()))
        value = _ESCAPE.sub(
            r"\1",
            value.replace("{", "\x00").replace("}", "\x01").replace("\\\x00", "\\{").replace("\\\x01", "\\}"),
        )
        value = value.replace("\x00", "").replace("\x01", "")
        return _typography(value)
    return _typography(value.replace("{", "").replace("}", ""))


# --- the other direction's helper, for `litreview fmt`: rewrite only what is lossless ---------

_F_BRACED = re.compile(
    r"""\{\\(["'`^~=.])\s*(?:\{(\\[ij](?![A-Za-z])|[A-Za-z])\}|(\\[ij](?![A-Za-z])|[A-Za-z]))\}"""
)
_F_SYMBOL = re.compile(
    r"""\\(["'`^~=.])\s*(?:\{(\\[ij](?![A-Za-z])|[A-Za-z])\}|(\\[ij](?![A-Za-z])|[A-Za-z]))"""
)
_F_LETTER_BRACED = re.compile(
    r"\{\\([uvHckrdb])(?:\s*\{(\\[ij](?![A-Za-z])|[A-Za-z])\}|\s+(\\[ij](?![A-Za-z])|[A-Za-z]))\}"
)
_F_LETTER = re.compile(
    r"\\([uvHckrdb])(?:\s*\{(\\[ij](?![A-Za-z])|[A-Za-z])\}|\s+(\\[ij](?![A-Za-z])|[A-Za-z]))"
)
_F_NAMES = "ss|ae|AE|oe|OE|aa|AA|o|O|l|L"
_F_SPECIAL = re.compile(rf"\{{\\({_F_NAMES})\}}|\\({_F_NAMES})(?:\{{\}}| (?=[A-Za-z])|(?![A-Za-z]))")


def _composed(m: re.Match[str]) -> str:
    base = m.group(2) or m.group(3)
    base = {"\\i": "i", "\\j": "j"}.get(base, base)
    char = unicodedata.normalize("NFC", base + _ACCENTS[m.group(1)])
    return char if len(char) == 1 else m.group(0)  # no single code point: keep the LaTeX


def accents_to_unicode(value: str) -> str:
    """``{\\"u}``, ``\\'e``, ``\\c{c}``, ``{\\ss}`` and the like as UTF-8 characters.

    Only rewrites that lose nothing: an accent that has a precomposed character, outside
    math; braces that only wrapped the accent go with it, all others stay.
    """
    if "\\" not in value:
        return value
    parts = re.split(r"(?<!\\)(\$[^$]*\$)", value)
    for i in range(0, len(parts), 2):
        part = parts[i]
        for pattern in (_F_BRACED, _F_LETTER_BRACED, _F_SYMBOL, _F_LETTER):
            part = pattern.sub(_composed, part)
        parts[i] = _F_SPECIAL.sub(lambda m: _LETTERS[m.group(1) or m.group(2)], part)
    return "".join(parts)
