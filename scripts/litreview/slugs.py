"""The build's heading-id rule, taken from the configured ``toc`` extension.

The checks must compute the same ids as the build, so they use the very functions the
build uses: ``toc``'s ``slugify`` option (Python-Markdown's own by default, or e.g.
``pymdownx.slugs.slugify``) and its de-duplication.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, cast

from markdown.extensions import toc

from .core.project.config import PythonCall
from .core.source.outlines import SlugRules


def _import(dotted: str) -> Callable[..., str]:
    module, _, name = dotted.rpartition(".")
    return cast(Callable[..., str], getattr(importlib.import_module(module), name))


def rules(toc_options: dict[str, Any]) -> SlugRules:
    """Slug rules for the ``toc`` options in mkdocs.yml; ImportError if the slugify is missing."""
    slugify: Callable[[str, str], str] = toc.slugify
    configured = toc_options.get("slugify")
    if isinstance(configured, PythonCall):
        slugify = _import(configured.name)(*configured.args, **configured.kwds)  # type: ignore[assignment]
    elif isinstance(configured, str) and configured:
        slugify = _import(configured)
    separator = str(toc_options.get("separator", "-"))
    return SlugRules(slugify=slugify, unique=toc.unique, separator=separator)
