"""The caches serve repeated builds and never keep what the bibliography no longer holds."""

from __future__ import annotations

from pathlib import Path

from litreview.core import bibliography as bib
from litreview.core.cache import DiskCache
from litreview.core.formatting import ReferenceCache, TemplateFormatter

ENTRY = "@article{a, author = {Doe, Jane}, title = {%s}, journal = {J}, year = 2020}\n"


def _refs(tmp_path: Path, title: str) -> bib.Bibliography:
    path = tmp_path / "refs.bib"
    path.write_text(ENTRY % title, encoding="utf-8")
    return bib.load([path], display_root=tmp_path)


def test_rebuild_served_from_memory_keeps_the_disk_cache(tmp_path: Path) -> None:
    formatter, memory = TemplateFormatter(), ReferenceCache()
    refs = _refs(tmp_path, "First")
    for _ in range(2):  # a build, then a serve rebuild in the same process
        store = DiskCache(tmp_path / ".cache").formatted(formatter.style_id)
        memory.format(refs.references["a"], formatter, store)
        store.save()
    reread = DiskCache(tmp_path / ".cache").formatted(formatter.style_id)
    assert reread.get(refs.references["a"]) is not None


def test_edited_entry_replaces_the_old_one_in_both_caches(tmp_path: Path) -> None:
    formatter, memory = TemplateFormatter(), ReferenceCache()
    for title in ("First", "Second"):
        refs = _refs(tmp_path, title)
        memory.retain(refs.references.values())
        store = DiskCache(tmp_path / ".cache").formatted(formatter.style_id)
        html = memory.format(refs.references["a"], formatter, store)
        store.save()
        assert title in html
    assert len(memory._store) == 1
    assert len(DiskCache(tmp_path / ".cache").formatted(formatter.style_id).entries) == 1
