"""KaTeX served from the site itself, for imported reviews that hold math.

Pinned: the files of the npm package ``katex`` at :data:`KATEX_VERSION` (MIT, its LICENSE beside
them), ``dist/katex.min.js``, ``dist/katex.min.css`` and the ``woff2`` fonts (every browser that
runs KaTeX reads woff2 first, so the css's woff/ttf fallbacks are never fetched). To update:
``npm pack katex@VERSION``, copy those files into ``templates/katex/`` and change the version
here. ``math.js`` is ours: it typesets what ``pymdownx.arithmatex`` (generic mode) marks.

They are written into the imported project, not served by the plugin: the project's mkdocs.yml
then names every file its pages load, and the site renders math under Zensical (which runs no
MkDocs plugin) as under MkDocs.
"""

from __future__ import annotations

from pathlib import Path

KATEX_VERSION = "0.16.22"
#: Where the files land in the site (under ``docs_dir``).
SITE_FOLDER = "assets/katex"
SCRIPTS = (f"{SITE_FOLDER}/katex.min.js", f"{SITE_FOLDER}/math.js")
STYLES = (f"{SITE_FOLDER}/katex.min.css",)
_FILES = Path(__file__).resolve().parents[2] / "templates" / "katex"


def math_files(docs_dir: str = "content") -> dict[str, bytes]:
    """Every file math needs, by path in the new project."""
    return {
        f"{docs_dir}/{SITE_FOLDER}/{path.relative_to(_FILES).as_posix()}": path.read_bytes()
        for path in sorted(_FILES.rglob("*"))
        if path.is_file()
    }
