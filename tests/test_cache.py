"""The caches serve repeated builds and never keep what the bibliography no longer holds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from litreview.core.bibliography import loader as bib
from litreview.core.references.cache import DiskCache
from litreview.core.references.formatting import ReferenceCache, TemplateFormatter

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


@pytest.mark.parametrize("first", ["no disk cache", "emptied"])
def test_an_entry_memory_serves_reaches_a_disk_cache_that_lacks_it(tmp_path: Path, first: str) -> None:
    """A serve session whose first build ran without the cache, or whose cache folder was
    removed: the entry memory serves is written to the disk cache all the same."""
    formatter, memory = TemplateFormatter(), ReferenceCache()
    ref = _refs(tmp_path, "First").references["a"]
    if first == "no disk cache":
        memory.format(ref, formatter)
    else:
        memory.format(ref, formatter, DiskCache(tmp_path / ".cache").formatted(formatter.style_id))
        shutil.rmtree(tmp_path / ".cache", ignore_errors=True)
    store = DiskCache(tmp_path / ".cache").formatted(formatter.style_id)
    memory.format(ref, formatter, store)
    store.save()
    reread = DiskCache(tmp_path / ".cache").formatted(formatter.style_id)
    assert reread.get(ref) == str(memory.format(ref, formatter))


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


# --- the cache is untrusted input (issue 11) -----------------------------------------------------
# The builds run in process (conftest.build_outcome): a crash raises there and fails the test, a
# logged exception's traceback is in the log read for "Traceback". The JSON nested past the
# recursion limit still builds as a process of its own, where the stack is the CLI's, not
# pytest's; tests/test_inprocess_build.py shows the two builds fail alike and log the same.

import json  # noqa: E402

from conftest import build_in_process, build_outcome, mkdocs_build  # noqa: E402
from litreview.core.references.cache import FORMAT, SAFE_HTML, FormattedStore  # noqa: E402

FIXTURE = Path(__file__).parent / "fixtures" / "site"


def _fixture_with_cache(tmp_path: Path, cache_dir: str = ".cache/litreview") -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "bibliography:", f"cache_dir: {cache_dir}\n      bibliography:", 1
    )
    config.write_text(text, encoding="utf-8")
    return config


def test_a_tampered_formatted_entry_never_reaches_the_page(tmp_path: Path) -> None:
    config = _fixture_with_cache(tmp_path)
    build_in_process(config, tmp_path / "site1")
    cache = config.parent / ".cache" / "litreview"
    for path in cache.glob("formatted-*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["entries"] = {k: '<script>alert("cache")</script>Forged' for k in data["entries"]}
        path.write_text(json.dumps(data), encoding="utf-8")
    build_in_process(config, tmp_path / "site2")
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site2").rglob("*.html"))
    assert 'alert("cache")' not in pages and "Forged" not in pages
    assert "Smith" in (tmp_path / "site2" / "references" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "content",
    [
        "[" * 100_000 + "]" * 100_000,  # deep nesting: RecursionError in json
        '{"format": %d, "version": "%s", "references": {"1": 2}, "macros": {"1": 2}}',
        '{"format": %d, "version": "%s", "references": [[1, 2, 3, 4, 5, 6, 7]], "problems": [], '
        '"macros": {}, "unparsed": {}, "paths": []}',
        '{"format": %d, "version": "%s", "entries": {"k": 5}}',
        "\xff\xfe not json",
        "DIRECTORY",
    ],
    ids=["deep-nesting", "int-keys", "wrong-row-types", "wrong-entry-type", "not-utf8", "a-directory"],
)
def test_cache_files_of_the_wrong_shape_are_ignored(tmp_path: Path, content: str) -> None:
    from litreview import __version__

    config = _fixture_with_cache(tmp_path)
    build_in_process(config, tmp_path / "site1")
    cache = config.parent / ".cache" / "litreview"
    files = sorted(cache.glob("*.json"))
    assert files
    for path in files:
        if content == "DIRECTORY":
            path.unlink()
            path.mkdir()
        elif "%d" in content:
            path.write_text(content % (FORMAT, __version__), encoding="utf-8")
        else:
            path.write_bytes(content.encode("latin-1") if content.startswith("\xff") else content.encode())
    for run in ("site2", "site3"):  # and the build after that one, too
        if content.startswith("["):
            proc = mkdocs_build(config, tmp_path / run, check=False)
            assert proc.returncode in (0, 1), proc.stderr
            log = proc.stderr
        else:
            log = build_outcome(config, tmp_path / run).log  # raises on a crash
        assert "Traceback" not in log
        assert "Smith" in (tmp_path / run / "references" / "index.html").read_text(encoding="utf-8")


# (A folder without write permission can't be tested as root, who may write anyway; /proc can't.)
@pytest.mark.parametrize("cache_dir", ["/proc/litreview", "a-file", "/dev/null/x"])
def test_an_unusable_cache_folder_warns_and_builds_without_it(tmp_path: Path, cache_dir: str) -> None:
    config = _fixture_with_cache(tmp_path, cache_dir)
    if cache_dir == "a-file":
        (config.parent / "a-file").write_text("not a folder", encoding="utf-8")
    built = build_outcome(config, tmp_path / "site")
    assert "Traceback" not in built.log
    assert "CACHE001" in built.log  # a warning, so --strict stops; validation can ignore it
    assert (tmp_path / "site" / "references" / "index.html").is_file() or built.failed
    text = config.read_text(encoding="utf-8").replace("validation: {", "validation: {CACHE001: ignore, ", 1)
    if "validation:" not in text:
        text = text.replace("bibliography:", "validation: {CACHE001: ignore}\n      bibliography:", 1)
    config.write_text(text, encoding="utf-8")
    build_in_process(config, tmp_path / "site-ok")
    assert "Smith" in (tmp_path / "site-ok" / "references" / "index.html").read_text(encoding="utf-8")


def test_the_cache_keeps_only_what_the_current_bibliography_uses(tmp_path: Path) -> None:
    formatter = TemplateFormatter()
    for n in range(30):  # thirty edits, as under `mkdocs serve`
        path = tmp_path / "refs.bib"
        path.write_text(ENTRY % f"Edit {n}", encoding="utf-8")
        disk = DiskCache(tmp_path / ".cache")
        refs = disk.bibliography([path], tmp_path, lambda ps, r: bib.load(ps, display_root=r))
        store = disk.formatted(formatter.style_id)
        ReferenceCache().format(refs.references["a"], formatter, store)
        store.save()
    assert sorted(p.name.split("-")[0] for p in (tmp_path / ".cache").iterdir()) == [
        "bibliography",
        "formatted",
    ]


def test_everything_the_formatters_write_is_of_the_safe_form() -> None:
    """A cached entry is trusted only in this form, so what formatters write must fit it."""
    from litreview.core.references.csl import CslFormatter

    iridia = Path(__file__).parent / "fixtures" / "iridia"
    names = ["abbrev.bib", "journals.bib", "authors.bib", "articles.bib", "biblio.bib", "crossref.bib"]
    refs = list(bib.load([iridia / n for n in names]).references.values())
    for formatter in (TemplateFormatter(), CslFormatter("apa"), CslFormatter("american-medical-association")):
        for ref in refs[:: 7 if formatter.style_id.startswith("csl") else 1]:
            html = str(formatter(ref))
            assert SAFE_HTML.fullmatch(html), (formatter.style_id, ref.key, html)


def test_the_safe_form_refuses_markup_that_runs() -> None:
    for bad in [
        "<script>x</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:x">y</a>',
        '<span onclick="x">y</span>',
        '<a href="https://x" onmouseover="y">z</a>',
        "&#x3c;&",
    ]:
        assert SAFE_HTML.fullmatch(bad) is None, bad
    store = FormattedStore(Path("/nonexistent/formatted.json"))
    assert store.entries == {}
