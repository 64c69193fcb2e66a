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

from markupsafe import Markup, escape

from .journal_macros import expand as expand_journal

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
#: Inline math, ``$…$`` not preceded by a backslash.
MATH = re.compile(r"(?<!\\)\$([^$]+)(?<!\\)\$")
_SUP = dict(zip("0123456789+-=()nia", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵃ", strict=True))
_SUP.update(zip("bcdefghjklmoprstuvwxyz", "ᵇᶜᵈᵉᶠᵍʰʲᵏˡᵐᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", strict=True))
_SUP.update(zip("ABDEGHIJKLMNOPRTUW*'", "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁᵂ*′", strict=True))
_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
_SCRIPT = re.compile(r"([\^_])\s*(?:\{\s*([^{}\\]*?)\s*\}|([A-Za-z0-9+\-*']))")
_SQRT = re.compile(r"\\sqrt\s*(?:\{\s*([A-Za-z0-9]+)\s*\}|([A-Za-z0-9]))")
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


def _scripts(m: re.Match[str]) -> str:
    """``^{-3}`` → ``⁻³``, ``_s`` → ``ₛ`` where Unicode has every character; else as written."""
    body = m.group(2) if m.group(2) is not None else m.group(3)
    table = _SUP if m.group(1) == "^" else _SUB
    if body and all(c in table for c in body):
        return "".join(table[c] for c in body)
    return m.group(0)


def _math_text(m: re.Match[str]) -> str:
    """Inline math made readable before the parser sees it: scripts and simple roots."""
    body = _SQRT.sub(lambda r: "\u221a" + (r.group(1) or r.group(2)), m.group(1))
    body = re.sub(r"(\\[A-Za-z]+)(?=\s*[\^_])", r"\1{}", body)  # \alpha_s: the macro ends before the script
    return "$" + _SCRIPT.sub(_scripts, body) + "$"


_TEXT_SCRIPT = re.compile(r"\\text(super|sub)script\s*\{\s*([^{}\\]*?)\s*\}")


def script_text(body: str, superscript: bool) -> str:
    """``3`` as ``³`` (or ``₃``) where Unicode has every character; else the text alone."""
    table = _SUP if superscript else _SUB
    return "".join(table[c] for c in body) if body and all(c in table for c in body) else body


def _text_script(m: re.Match[str]) -> str:
    """``\\textsuperscript{3}`` → ``³``, as :func:`script_text`."""
    return script_text(m.group(2), m.group(1) == "super")


def _fast(value: str) -> str:
    """The table pass; what still holds a backslash afterwards needs the full parser."""
    if "script" in value:
        value = _TEXT_SCRIPT.sub(_text_script, value)
    value = _SYMBOL_ACCENT.sub(_accent, value)
    value = _LETTER_ACCENT.sub(_accent, value)
    value = _LETTER.sub(lambda m: _LETTERS[m.group(1)], value)
    return value


_VERBATIM = re.compile(r"\\([&%$#_{}~^\\])|[{}]")


def verbatim_text(value: str) -> str:
    """A verbatim field (url, doi, eprint) as text: BibTeX's escapes undone (``\\_`` is ``_``) and
    protective braces dropped, nothing else: ``~``, ``--`` and quotes are the address's own."""
    if "\\" not in value and "{" not in value and "}" not in value:
        return value.strip()
    return _VERBATIM.sub(lambda m: m.group(1) or "", value).strip()


#: ``-{}-`` is two hyphens in TeX: a group's edge breaks the ligature (``-{-}``, ``{-}-`` too),
#: and so on for quotes.
_BROKEN_LIGATURE = re.compile(r"(?<=[-`'])[{}]+(?=[-`'])")


#: Characters written as commands so TeX prints them as they are; the typography pass would
#: take a bare ``~`` for a no-break space, so they stand aside (private-use code points) until the end.
_LITERAL_CHARS = {"textasciitilde": "~", "textasciicircum": "^", "textbackslash": "\\"}
_LITERAL_COMMAND = re.compile(r"\\(textasciitilde|textasciicircum|textbackslash)(?:\s*\{\}|(?![A-Za-z])\s*)")
_STAND_IN = {"textasciitilde": "\ue000", "textasciicircum": "\ue001", "textbackslash": "\ue002"}


def _free_stand_ins(value: str) -> dict[str, str]:
    """Stand-ins no character of ``value`` is (the text may hold private-use code points)."""
    used = set(value)
    free = (c for c in map(chr, range(0xE000, 0xF900)) if c not in used)
    return {name: next(free) for name in _STAND_IN}


@functools.lru_cache(maxsize=65536)
def to_unicode(value: str) -> str:
    """Decode accents, escapes, dashes and protective braces to plain Unicode text."""
    if "\\text" in value and _LITERAL_COMMAND.search(value):
        stand_ins = _STAND_IN if not set(value) & set(_STAND_IN.values()) else _free_stand_ins(value)
        text = _to_unicode(_LITERAL_COMMAND.sub(lambda m: stand_ins[m.group(1)], value))
        for name, stand_in in stand_ins.items():
            text = text.replace(stand_in, _LITERAL_CHARS[name])
        return text
    return _to_unicode(value)


def _to_unicode(value: str) -> str:
    if ("{" in value or "}" in value) and _BROKEN_LIGATURE.search(value):
        marked = _BROKEN_LIGATURE.sub(lambda m: m.group(0).replace("{}", "") + "\x02", value)
        return _decode(marked).replace("\x02", "")
    return _decode(value)


def _decode(value: str) -> str:
    if not any(c in value for c in "\\{}~-$%`'"):
        return value
    if "\\" in value or "$" in value or "%" in value:
        journal = expand_journal(value) if value.lstrip("{ ")[:1] == "\\" else None
        if journal is not None:  # NASA ADS's journal = {\apj}
            return journal
        if "$" in value:
            value = MATH.sub(_math_text, value)
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


#: Text styles a title may carry (CSL rich text arrives as these): LaTeX command → HTML tag.
RICH = {
    "textit": ("<i>", "</i>"),
    "emph": ("<i>", "</i>"),
    "textbf": ("<b>", "</b>"),
    "textsuperscript": ("<sup>", "</sup>"),
    "textsubscript": ("<sub>", "</sub>"),
    "textsc": ('<span style="font-variant:small-caps">', "</span>"),
}
RICH_COMMAND = re.compile(r"\\(" + "|".join(RICH) + r")\s*\{")
_MAX_STYLE_DEPTH = 8


def group_end(value: str, start: int) -> int:
    """Index just past the ``}`` closing the group opened at ``start - 1``, or -1."""
    depth = 1
    i = start
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth == 0:
            return i + 1
        i += 1
    return -1


def _spaced_text(part: str) -> Markup:
    """A piece of a field between styles, decoded and escaped, keeping the space at its ends."""
    text = to_unicode(part)
    if part.lstrip("{}")[:1].isspace() and not text[:1].isspace():
        text = " " + text
    if part.rstrip("{}")[-1:].isspace() and not text[-1:].isspace():
        text += " "
    return escape(text)


def rich_markup(value: str, depth: int = 0) -> Markup:
    """A field with its text styles (``\\textit{…}``, ``\\textsuperscript{…}``…) as HTML tags
    from :data:`RICH`, everything else decoded and escaped; unbalanced or deeper than a few
    levels, a style is text."""
    out: list[Markup] = []
    pos = 0
    for m in RICH_COMMAND.finditer(value):
        if m.start() < pos:
            continue
        end = group_end(value, m.end())
        if end < 0 or depth >= _MAX_STYLE_DEPTH:
            break
        out.append(_spaced_text(value[pos : m.start()]))
        opening, closing = RICH[m.group(1)]
        out.append(Markup(opening) + rich_markup(value[m.end() : end - 1], depth + 1) + Markup(closing))
        pos = end
    out.append(_spaced_text(value[pos:]))
    return Markup("").join(out)


def math_markup(value: str) -> Markup:
    """A field with its inline math left for the site's MathJax or KaTeX to typeset.

    The math goes out in pymdownx.arithmatex's generic form, ``<span class="arithmatex">\\(…\\)</span>``,
    which both render; the text around it is decoded as usual. Everything is escaped.
    """
    out = []
    for i, part in enumerate(MATH.split(value)):
        if i % 2:
            out.append(Markup('<span class="arithmatex">\\({}\\)</span>').format(" ".join(part.split())))
        elif part:
            out.append(rich_markup(part))
    return Markup("").join(out)


_TYPESET = re.compile(r"\\\((.+?)\\\)")


def typeset_as_text(text: str) -> str:
    """Text where :func:`math_markup` left ``\\(…\\)``: the math as readable Unicode."""
    return _TYPESET.sub(lambda m: to_unicode(f"${m.group(1)}$"), text) if "\\(" in text else text


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
