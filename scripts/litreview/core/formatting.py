"""Format references to HTML once per build, through an overridable Jinja2 template.

The formatted text of an entry depends only on the entry and the style, so results are
cached by (style, key, raw fields): a ``mkdocs serve`` rebuild reuses them until the
entry or the style changes.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import jinja2
from markupsafe import Markup

from .bibliography import Reference
from .cache import FormattedStore

_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _end_with(value: str, mark: str) -> str:
    """Add a closing mark unless the text already ends with punctuation."""
    return value if value[-1:] in ".?!" else value + mark


class Formatter(Protocol):
    """Anything that turns a reference into safe HTML; ``style_id`` keys the cache."""

    style_id: str

    def __call__(self, ref: Reference) -> Markup: ...


class TemplateFormatter:
    """The default style: the article's own reference format, from a Jinja2 template."""

    def __init__(self, template_path: Path | None = None) -> None:
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
        self.style_id = f"template:{digest}"

    def __call__(self, ref: Reference) -> Markup:
        people = ref.people.get("author") or ref.people.get("editor") or []
        html = self.template.render(ref=ref, f=ref.text, authors=[p.display for p in people])
        return Markup(" ".join(html.split()))


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
            disk.mark(ref)  # still in use, so the disk cache keeps it
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
