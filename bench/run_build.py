"""Build one MkDocs config in this process; print wall time and peak memory as JSON.

Run with the Python of the environment under test (the project's .venv, or the bench
environment that holds mkdocs-bibtex), one process per build so peak memory is its own.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import sys
import tempfile
import time

from mkdocs.commands.build import build
from mkdocs.config import load_config


def main() -> None:
    config_file = sys.argv[1]
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as site:
        start = time.perf_counter()
        cpu_start = time.process_time()
        config = load_config(config_file, site_dir=site)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_kb / 1024}))


if __name__ == "__main__":
    main()
