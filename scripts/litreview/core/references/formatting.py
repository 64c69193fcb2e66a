"""Format references to HTML once per build, through an overridable Jinja2 template.

The formatted text of an entry depends only on the entry and the style, so results are
cached by (style, key, raw fields): a ``mkdocs serve`` rebuild reuses them until the
entry or the style changes.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import jinja2
from markupsafe import Markup

from ..bibliography.latex_text import MATH, RICH_COMMAND, math_markup, rich_markup
from ..bibliography.loader import Reference
from .cache import FormattedStore

_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"
_MATH_FIELDS = ("title", "booktitle", "subtitle")


#: Trailing space, commas, colons and semicolons, but not the ``;`` that ends an entity (``&gt;``).
_MARKUP_TRAILING = re.compile(r"(?:\s|[,:]|(?<!&[#\w]{2})(?<!&[#\w]{3})(?<!&[#\w]{4})(?<!&[#\w]{5});)+$")


def _end_with(value: str, mark: str) -> str:
    """Add a closing mark unless the text already ends with one; a stray comma or colon goes."""
    if isinstance(value, Markup):  # styled or typeset: keep its entities whole
        value = Markup(_MARKUP_TRAILING.sub("", value))
    else:
        value = value.rstrip().rstrip(",;:").rstrip()
    return value if value[-1:] in ".?!" else value + mark


class Formatter(Protocol):
    """Anything that turns a reference into safe HTML; ``style_id`` keys the cache."""

    style_id: str

    def __call__(self, ref: Reference) -> Markup:
        """One entry, formatted as safe HTML."""


class TemplateFormatter:
    """The default style: the article's own reference format, from a Jinja2 template."""

    def __init__(
        self,
        template_path: Path | None = None,
        et_al_min: int | None = None,
        et_al_use_first: int = 3,
        math: bool = False,
    ) -> None:
        """``math``: the site typesets math (pymdownx.arithmatex), so titles keep theirs as TeX."""
        path = template_path or _TEMPLATES / "reference.html.j2"
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(path.parent)),
            autoescape=True,
            undefined=jinja2.ChainableUndefined,
            keep_trailing_newline=False,
        )
        env.filters["end_with"] = _end_with
        self.template = env.get_template(path.name)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        self.et_al = (et_al_min, et_al_use_first)
        self.math = math
        self.style_id = (
            f"template:{digest}"
            + (f":et-al-{et_al_min}-{et_al_use_first}" if et_al_min else "")
            + (":math" if math else "")
        )

    def __call__(self, ref: Reference) -> Markup:
        """One entry formatted by the template (the article's or the user's)."""
        people = ref.people.get("author") or ref.people.get("editor") or []
        names = shortened([p.display for p in people], *self.et_al)
        fields: dict[str, str] = ref.text
        raw = ref.fields
        styled = {n: rich_markup(raw[n]) for n in _MATH_FIELDS if RICH_COMMAND.search(raw.get(n, ""))}
        if self.math:
            styled |= {n: math_markup(raw[n]) for n in _MATH_FIELDS if MATH.search(raw.get(n, ""))}
        fields = {**fields, **styled} if styled else fields
        html = self.template.render(
            ref=ref, f=fields, authors=names, byline=byline(names), eprint=eprint(ref)
        )
        return Markup(" ".join(html.split()))


def shortened(names: list[str], et_al_min: int | None, use_first: int) -> list[str]:
    """The first ``use_first`` names and "et al." once there are ``et_al_min`` or more, as CSL's
    ``et-al-min``/``et-al-use-first`` do; BibTeX's ``and others`` counts as more."""
    real = names[:-1] if names and names[-1] == "et al." else names
    if et_al_min and (len(real) >= et_al_min or len(real) < len(names)) and len(real) > use_first:
        return [*real[:use_first], "et al."]
    return names


def byline(names: list[str]) -> str:
    """``A, B, C`` with "et al." (BibTeX's ``and others``) joined by a space, not a comma."""
    if names and names[-1] == "et al.":
        return ", ".join(names[:-1]) + (" et al." if names[:-1] else "et al.")
    return ", ".join(names)


def eprint(ref: Reference) -> dict[str, str] | None:
    """An arXiv (or other) e-print: its label, ``arXiv:2606.13780 [hep-ph]``, and its address."""
    number = ref.get("eprint")
    if not number:
        return None
    archive = (ref.fields.get("archiveprefix") or ref.fields.get("eprinttype") or "").strip()
    primary = (ref.fields.get("primaryclass") or ref.fields.get("eprintclass") or "").strip()
    old_style = "/" in number  # hep-ph/0101001 names its archive itself
    if archive.lower() in ("arxiv", "") and (re.fullmatch(r"\d{4}\.\d{4,5}(v\d+)?", number) or old_style):
        label = f"arXiv:{number}" + (f" [{primary}]" if primary and not old_style else "")
        return {"label": label, "url": f"https://arxiv.org/abs/{number}"}
    if archive:
        return {"label": f"{archive}:{number}", "url": ""}
    return {"label": number, "url": ""}


class ReferenceCache:
    """Formatted references shared by every page of a build, and across serve rebuilds."""

    def __init__(self) -> None:
        self._store: dict[tuple[str, str, str], Markup] = {}
        self.misses = 0

    def retain(self, refs: Iterable[Reference]) -> None:
        """Forget entries that are no longer in the bibliography as they now read."""
        current = {(ref.key, ref.fingerprint) for ref in refs}
        self._store = {t: html for t, html in self._store.items() if (t[1], t[2]) in current}

    def format(self, ref: Reference, formatter: Formatter, disk: FormattedStore | None = None) -> Markup:
        """The entry's HTML: from memory, else from the disk cache, else formatted now."""
        token = (formatter.style_id, ref.key, ref.fingerprint)
        found = self._store.get(token)
        if found is not None and disk is not None:
            disk.mark(ref, found)  # still in use, so the disk cache keeps it (or now gets it)
        if found is None:
            stored = disk.get(ref) if disk is not None else None
            if stored is not None:
                found = Markup(stored)
            else:
                self.misses += 1
                try:
                    found = formatter(ref)
                except Exception as exc:  # a broken user template must not hide the reference
                    found = Markup(html.escape(f"{ref.key} (could not format: {exc})"))
                if disk is not None:
                    disk.put(ref, str(found))
            self._store[token] = found
        return found
