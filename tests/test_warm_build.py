"""A warm build (issue 30) makes nothing it made before, and the site it writes is the cold one,
byte for byte; a hostile or damaged cache is ignored and rebuilt, never shown."""

from __future__ import annotations

import datetime
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.config.defaults import MkDocsConfig

from conftest import Built, build_in_process, build_outcome
from litreview.core.bibliography import loader, quality
from litreview.core.build import sitewide
from litreview.core.publication import work_texts

FIXTURE = Path(__file__).parent / "fixtures" / "site"
ENV = {"SOURCE_DATE_EPOCH": "1700000000"}  # the sitemap's gzip stamp, the same every build


def _project(tmp_path: Path, cache: bool = True) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project, dirs_exist_ok=True)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if not cache:
        text = text.replace("bibliography:", "cache: false\n      bibliography:", 1)
    config.write_text(text, encoding="utf-8")
    return config


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _refuse(*_args: object, **_kwargs: object) -> str:
    raise AssertionError("made again on a warm build")


def _as_a_new_process() -> None:
    """MkDocs keeps a plugin object per process (for ``serve``), with what it holds in memory
    across builds: forget it, so the next in-process build is warm only from the disk cache."""
    MkDocsConfig.__dict__["plugins"].plugin_cache.clear()


def _fresh_build(config: Path, site: Path) -> Built:
    """A strict build as a new ``mkdocs build`` process runs it: warm from the disk cache only."""
    _as_a_new_process()
    return build_outcome(config, site, extra_env=ENV)


def test_cold_warm_and_uncached_builds_write_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_in_process(_project(tmp_path / "off", cache=False), tmp_path / "uncached", extra_env=ENV)
    config = _project(tmp_path / "on")
    build_in_process(config, tmp_path / "cold", extra_env=ENV)
    # the warm build parses no .bib, scans no page again, makes no work's downloads or COinS again
    _as_a_new_process()
    monkeypatch.setattr(loader, "load", _refuse)
    monkeypatch.setattr(sitewide, "citation_problems", _refuse)
    monkeypatch.setattr(quality, "content_checks", _refuse)
    monkeypatch.setattr(loader, "to_unicode", _refuse)  # no entry's fields decoded again
    monkeypatch.setattr(loader, "verbatim_text", _refuse)
    for kind in work_texts.KINDS:
        monkeypatch.setitem(work_texts._MAKE, kind, _refuse)
    build_in_process(config, tmp_path / "warm", extra_env=ENV)
    uncached, cold, warm = (_files(tmp_path / name) for name in ("uncached", "cold", "warm"))
    assert any(path.startswith("downloads/") for path in cold)
    assert uncached == cold
    assert warm == cold


def _forge_bib(key: str, text: str) -> str:
    return text + "\n@misc{forged, title = {Forged}}"


def _forge_ris(key: str, text: str) -> str:
    return text.replace("ER  - \n", "TI  - Forged\nER  - \n\nTY  - GEN\nTI  - Forged\nER  - \n")


def _forge_csl(key: str, text: str) -> str:
    item = json.loads(text)
    return json.dumps({**item, "id": "forged"})


def _forge_coins(key: str, text: str) -> str:
    return '<span class="Z3988" title="x"></span><script>alert("Forged")</script>'


def _forge_links(key: str, text: str) -> str:
    return '<a class="lr-doi" href="javascript:alert(1)">Forged</a>'


def _forge_facets(key: str, text: str) -> str:
    return "1999\tForged"


FORGERIES: dict[str, Callable[[str, str], str]] = {
    "bib": _forge_bib,
    "ris": _forge_ris,
    "csl": _forge_csl,
    "coins": _forge_coins,
    "links": _forge_links,
    "facets": _forge_facets,
}


@pytest.mark.parametrize("kind", [*FORGERIES, "not-a-dict", "not-json"])
def test_forged_or_damaged_work_texts_are_made_again(tmp_path: Path, kind: str) -> None:
    config = _project(tmp_path)
    build_in_process(config, tmp_path / "cold", extra_env=ENV)
    stored = config.parent / ".cache" / "litreview" / "works.jsonl"
    header, *lines = stored.read_text(encoding="utf-8").rstrip("\n").split("\n")
    works = dict(json.loads(line) for line in lines)
    assert works
    if kind == "not-json":
        stored.write_text(header + '\n["' + next(iter(works)) + '", {\n', encoding="utf-8")
    else:
        for digest, texts in works.items():
            if kind == "not-a-dict":
                works[digest] = ["Forged"]
            else:
                texts[kind] = FORGERIES[kind](digest, texts[kind])
        forged = [json.dumps([digest, texts]) for digest, texts in works.items()]
        stored.write_text("\n".join([header, *forged]) + "\n", encoding="utf-8")
    for run in ("warm", "after"):  # and the build after it reads the file it rewrote
        build_in_process(config, tmp_path / run, extra_env=ENV)
        built = _files(tmp_path / run)
        assert built == _files(tmp_path / "cold")
        assert not any(b"Forged" in text or b"forged" in text for text in built.values())


PAGE_WITH_FINDINGS = """# Findings

An unknown key [@nosuchkey2020], a malformed group [@smith2020; ], and a citation in a link
[see [@smith2020]](https://example.org) that is never rendered.
"""


def test_a_warm_build_reports_the_findings_of_the_cold_one(tmp_path: Path) -> None:
    config = _project(tmp_path)
    (config.parent / "docs" / "findings.md").write_text(PAGE_WITH_FINDINGS, encoding="utf-8")
    runs = [_fresh_build(config, tmp_path / name) for name in ("cold", "warm")]
    cold, warm = ([line for line in run.log.splitlines() if "findings.md" in line] for run in runs)
    assert len(cold) >= 2 and "CIT" in "".join(cold)
    assert warm == cold
    assert runs[0].failed == runs[1].failed


def test_forged_page_findings_of_the_wrong_shape_are_ignored(tmp_path: Path) -> None:
    config = _project(tmp_path)
    (config.parent / "docs" / "findings.md").write_text(PAGE_WITH_FINDINGS, encoding="utf-8")
    cold = _fresh_build(config, tmp_path / "cold")
    stored = config.parent / ".cache" / "litreview" / "pages.json"
    data = json.loads(stored.read_text(encoding="utf-8"))
    assert data["pages"]
    forged: list[object] = [["docs/x.md", "1", 1, "CIT001", "Forged", "error"], {"a": 1}, "Forged"]
    data["pages"] = {digest: forged for digest in data["pages"]}
    stored.write_text(json.dumps(data), encoding="utf-8")
    warm = _fresh_build(config, tmp_path / "warm")
    assert "Forged" not in warm.log and "Traceback" not in warm.log
    assert [line for line in warm.log.splitlines() if "findings.md" in line] == [
        line for line in cold.log.splitlines() if "findings.md" in line
    ]


UNCITED_WITH_FINDINGS = """
@article{lacking2021,
  author = {Lack, Ing},
  title = {An article without its journal},
  year = {2021},
  pages = {not pages},
}
"""


def _bib_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "refs.bib" in line]


@pytest.mark.parametrize("forgery", ["other digest", "wrong shape", "not json"])
def test_forged_quality_findings_are_made_again(tmp_path: Path, forgery: str) -> None:
    config = _project(tmp_path)
    bib = config.parent / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + UNCITED_WITH_FINDINGS, encoding="utf-8")
    cold = _fresh_build(config, tmp_path / "cold")
    assert any("BIB020" in line for line in _bib_lines(cold.log))
    assert len(_bib_lines(cold.log)) >= 2  # the quality pass's own, besides BIB020
    stored = config.parent / ".cache" / "litreview" / "quality.json"
    data = json.loads(stored.read_text(encoding="utf-8"))
    assert data["findings"]
    forged_row = ["refs.bib", 1, 1, "BIB001", "Forged", "error"]
    if forgery == "other digest":
        data = {**data, "digest": "0" * 32, "findings": [forged_row]}
    elif forgery == "wrong shape":
        data["findings"] = [forged_row[:5], {"a": 1}, "Forged"]
    stored.write_text("{" if forgery == "not json" else json.dumps(data), encoding="utf-8")
    for run in ("warm", "after"):  # and the build after it reads the file it rewrote
        warm = _fresh_build(config, tmp_path / run)
        assert "Forged" not in warm.log and "Traceback" not in warm.log
        assert _bib_lines(warm.log) == _bib_lines(cold.log)


def test_the_kept_quality_findings_follow_an_edit_and_the_year(tmp_path: Path) -> None:
    """Kept while the entries and the year are unchanged; made again when either changes."""
    from litreview.core.build.bib_checks import BibliographyChecks
    from litreview.core.references.cache import DiskCache

    bib_file = tmp_path / "refs.bib"
    bib_file.write_text(UNCITED_WITH_FINDINGS, encoding="utf-8")
    disk = DiskCache(tmp_path / "cache")
    runs = []
    for year in (2026, 2026, 2027):
        checks = BibliographyChecks(disk, loader.load([bib_file], tmp_path))
        found = checks.problems(set(), datetime.date(year, 1, 1))
        runs.append((checks.made, [p.format() for p in found]))
    assert [made for made, _ in runs] == [1, 0, 1]
    assert runs[0][1] == runs[1][1] == runs[2][1]
    today = datetime.date(2026, 1, 1)
    assert runs[0][1] == [p.format() for p in quality.check(loader.load([bib_file], tmp_path), set(), today)]
    bib_file.write_text(UNCITED_WITH_FINDINGS.replace("not pages", "1--2"), encoding="utf-8")
    edited = BibliographyChecks(disk, loader.load([bib_file], tmp_path))
    assert [p.format() for p in edited.problems(set(), today)] != runs[0][1] and edited.made == 1
