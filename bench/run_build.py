"""Build one MkDocs config in this process; print wall time, CPU time and peak memory as JSON.

Run with the Python of the environment under test (the project's .venv, or the bench
environment that holds mkdocs-bibtex), one process per build so peak memory is its own.
``--off FEATURE`` builds without one of litreview's features that have no option of their
own, so `make bench` can show what each costs (bench only: the plugin's code is patched).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import tempfile
import time
from collections.abc import Callable

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig


def _metadata_off() -> None:
    """No COinS spans and no citation metadata in the pages' heads."""
    from litreview.core.publication import meta
    from litreview.core.references import reference_html

    reference_html.RenderContext.coins_of = lambda self, key: ""  # type: ignore[method-assign]
    meta.head = lambda *args, **kwargs: ""


def _downloads_off() -> None:
    """No BibTeX/RIS/CSL-JSON files (the links to them stay: they are a line of HTML)."""
    from litreview.core.build import sitewide

    sitewide.BuiltSite.downloads = lambda self: {}  # type: ignore[method-assign]


def _explorer_off() -> None:
    """No filter, facets and chart above the References page's list."""
    from litreview.core.build import sitewide

    sitewide.BuiltSite._explore = lambda self, cited_in: ""  # type: ignore[method-assign]


def _verification_off() -> None:
    """As ``verification_marks: false`` (the verdicts are not read, no mark is shown)."""
    from litreview import plugin

    plugin.verdicts_for = lambda options, root, references: None


FEATURES: dict[str, Callable[[], None]] = {
    "metadata": _metadata_off,
    "downloads": _downloads_off,
    "explorer": _explorer_off,
    "verification marks": _verification_off,
}


def build_into(config_file: str, site: str) -> MkDocsConfig:
    """One build of ``config_file`` into ``site``, in this process, as ``mkdocs build`` makes
    it; its configuration, as the build left it."""
    config = load_config(config_file, site_dir=site)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config")
    parser.add_argument("--off", choices=list(FEATURES), action="append", default=[])
    args = parser.parse_args()
    for feature in args.off:
        FEATURES[feature]()
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as site:
        start = time.perf_counter()
        cpu_start = time.process_time()
        build_into(args.config, site)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_kb / 1024}))


if __name__ == "__main__":
    main()
