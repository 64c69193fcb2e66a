"""The References page of a long bibliography is made in one join into the page (issue 30):
at 10,000 works its list is tens of megabytes, and each copy held at once raised the build's
peak (2.6-3.3x plain Material, a spike as that page was written)."""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from conftest import build_in_process
from litreview import plugin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate


def test_the_references_page_holds_its_list_about_twice_at_most(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the References page is written, memory allocated on top of the page grows by
    less than 2.5 times its final text: its rows and the page, not further copies."""
    config = generate(tmp_path / "review", 20, 600, 40) / "mkdocs-litreview.yml"
    measured: list[tuple[int, int]] = []
    original = plugin.LitreviewPlugin.on_post_page

    def on_post_page(self: plugin.LitreviewPlugin, output: str, page: Any, config: Any) -> str:
        if page.file.src_uri != self.options.references_page:
            return original(self, output, page, config)
        tracemalloc.start()
        start = tracemalloc.get_traced_memory()[0]
        result = original(self, output, page, config)
        peak = tracemalloc.get_traced_memory()[1] - start
        tracemalloc.stop()
        measured.append((peak, sys.getsizeof(result)))
        return result

    monkeypatch.setattr(plugin.LitreviewPlugin, "on_post_page", on_post_page)
    build_in_process(config, tmp_path / "site")
    [(peak, page)] = measured
    assert page > 500_000  # a long list (more than LONG_LIST works), in parts
    assert peak < 2.5 * page, (peak, page)
