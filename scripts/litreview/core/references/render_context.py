"""What every adapter needs once a build knows its pages: the style and the site to render.

The MkDocs plugin and the standalone Markdown extension (Zensical) both call these, so the
two generators number, format and cite alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from markupsafe import Markup

from ..bibliography import verdicts
from ..bibliography.loader import Reference
from ..findings.problems import Problem
from ..project.config import ConfigError
from ..project.options import LitreviewOptions
from . import authordate, reference_html
from .anchors import anchor
from .cache import FormattedStore
from .csl import CslFormatter, StyleError
from .formatting import Formatter, ReferenceCache, TemplateFormatter

__all__ = ["formatter_for", "site_for", "verdicts_for"]


def formatter_for(
    options: LitreviewOptions, root: Path, math: bool, where: tuple[str, int] = ("mkdocs.yml", 0)
) -> Formatter:
    """The plugin options' style: the article template, a user template, or a CSL style.

    ``math``: the site typesets math (pymdownx.arithmatex), so titles keep theirs as TeX.
    A CSL style that can't be used is :class:`ConfigError` CFG007 at ``where`` (file, line).
    """
    template, style = options.template, options.style
    if template or style == "article":
        path = root / template if template else None
        return TemplateFormatter(path, options.et_al_min, options.et_al_use_first, math)
    try:
        return CslFormatter(style)
    except StyleError as exc:
        config, line = where
        raise ConfigError(Problem(config, line, 1 if line else 0, "CFG007", str(exc))) from None


def verdicts_for(
    options: LitreviewOptions, root: Path, references: Mapping[str, Reference]
) -> dict[str, verdicts.Verdict] | None:
    """The committed verdicts that still match their entries, to show on the site (None: the
    ``verification_marks`` option is off). The build never asks a source, and a damaged file
    shows no verdict: ``litreview verify`` reports it (VER007)."""
    if not options.verification_marks:
        return None
    path = root / options.verified
    cached, _reported_by_verify = verdicts.read(path, path.name)
    return verdicts.current(references, cached)


def site_for(
    numbers: dict[str, int],
    references: Mapping[str, Reference],
    formatter: Formatter,
    cache: ReferenceCache,
    store: FormattedStore | None = None,
    short_store: FormattedStore | None = None,
    shown_verdicts: Mapping[str, verdicts.Verdict] | None = None,
) -> reference_html.RenderContext:
    """The site's rendering context; an author–date style reorders the works and suffixes years."""

    def formatted(ref: Reference) -> Markup:
        return cache.format(ref, formatter, store)

    refs = dict(references)
    if isinstance(formatter, CslFormatter) and formatter.author_date:
        short_form = formatter.short

        def short(ref: Reference) -> Markup:
            return cache.format(ref, short_form, short_store)

        numbers, refs = authordate.prepare(numbers, refs, short, formatter.layout.year_suffix)
        return reference_html.RenderContext(
            numbers, refs, formatted, lambda key: "#" + anchor(key), formatter, short, shown_verdicts
        )
    return reference_html.RenderContext(
        numbers, refs, formatted, lambda key: "#" + anchor(key), verdicts=shown_verdicts
    )
