"""Cross-links: concept index, map, section extras and autolinks, derived by the scripts."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import GENERATORS, ROOT, built_by
from litreview.core.citations.cite_records import PageCitations
from litreview.core.crosslinks import concept_pages as crossrender
from litreview.core.crosslinks import sections as crosslinks
from litreview.core.crosslinks.page import LinkTarget, PageLinks
from litreview.core.crosslinks.taxonomy import load as load_taxonomy
from litreview.core.project.config import load_project
from litreview.core.source.outlines import outline
from litreview.core.source.read import read_pages
from litreview.markdown_engine import CitationExtension

GOLDEN = Path(__file__).parent / "golden" / "crosslinks.json"


def _soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def _review() -> tuple[list[crosslinks.Section], dict[str, list[str]]]:
    project = load_project(ROOT / "mkdocs.yml")
    texts, displays, _ = read_pages(project)
    outlines = {src: outline(text, displays[src]) for src, text in texts.items()}
    assert project.review is not None
    sections = crosslinks.sections_from(project.review.sections, outlines)
    return sections, {s.src: list(s.concepts) for s in sections}


def derived_links(site: Path) -> dict[str, object]:
    """Every link the cross-linker wrote into the built site, in a comparable form."""
    concepts = {}
    page = _soup(site, "concepts/index.html")
    for heading in page.select("h3.lr-concept"):
        places = heading.find_next_sibling("ul", class_="lr-places")
        entries = []
        for li in places.find_all("li", recursive=False) if places else []:
            links = [a["href"] for a in li.find_all("a") if "#lr-p" in a["href"]]
            numbers = [a.get_text() for a in li.select(".lr-cite a")]
            entries.append([li.a["href"], links, numbers])
        concepts[heading["id"]] = entries
    matrix: dict[str, dict[str, list[str]]] = {}
    for table in _soup(site, "map/index.html").select("table.lr-matrix"):
        kind = table.caption.get_text()
        columns = [th.a["href"].split("#")[1] for th in table.select("thead th")[1:]]
        for row in table.select("tbody tr"):
            name = row.th.get_text()
            cells = row.find_all("td")
            matrix.setdefault(kind, {})[name] = [
                f"{col} → {td.a['href']}" for col, td in zip(columns, cells, strict=True) if td.a
            ]
    sections = {}
    for path in sorted((site / "description").glob("*/index.html")):
        nav = _soup(site, str(path.relative_to(site))).select_one("nav.lr-crosslinks")
        assert nav is not None
        sections[path.parent.name] = {
            "concepts": [a["href"] for a in nav.select(".lr-concepts a")],
            "related": [li.get_text(" ", strip=True) for li in nav.select("ul > li")],
            "prev_next": [a["href"] for a in nav.select(".lr-prev-next a")],
        }
    autolinks = {
        rel: [[a.get_text(), a["href"]] for a in _soup(site, rel).select("a.lr-autolink")]
        for rel in ("index.html", "conclusion/index.html")
    }
    return {"concepts": concepts, "map": matrix, "sections": sections, "autolinks": autolinks}


@pytest.fixture(params=GENERATORS)
def any_site(request: pytest.FixtureRequest) -> Path:
    """The review as MkDocs, ProperDocs and Zensical build it: the cross-links are the same."""
    return built_by(request)


def test_derived_links_match_golden(any_site: Path, request: pytest.FixtureRequest) -> None:
    got = derived_links(any_site)
    if os.environ.get("UPDATE_GOLDEN") and request.node.callspec.params["any_site"] == "mkdocs":
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_the_issue_examples_hold(built_site: Path) -> None:
    """Threads the article runs through its sections, followed from the concept index."""
    concepts = derived_links(built_site)["concepts"]
    assert isinstance(concepts, dict)

    def sections_of(cid: str) -> set[str]:
        return {entry[0].split("/")[-2] for entry in concepts[f"c-{cid}"]}

    assert {"lumbar-spinal-stenosis", "post-surgical-pain"} <= sections_of("central-sensitization")
    assert {
        "intervertebral-disc-degeneration",
        "facet-joint-arthropathy",
        "spondylolisthesis",
    } <= sections_of("inflammation")
    assert {"degenerative-disc-disease", "spinal-cord-injury", "neuromodulation"} <= sections_of(
        "neuromodulation"
    )


def test_matrix_agrees_with_front_matter(any_site: Path) -> None:
    built_site = any_site
    sections, listed = _review()
    taxonomy = load_taxonomy(ROOT / "taxonomy.yml", "taxonomy.yml")
    by_short = {s.short_title: s for s in sections}
    tables = _soup(built_site, "map/index.html").select("table.lr-matrix")
    assert [t.caption.get_text() for t in tables] == ["Sections × mechanisms", "Sections × treatments"]
    for table in tables:
        kind = "mechanism" if "mechanisms" in table.caption.get_text() else "treatment"
        columns = [th.a["href"].split("#c-")[1] for th in table.select("thead th")[1:]]
        assert columns == [
            c.id
            for c in taxonomy.concepts.values()
            if c.kind == kind and any(c.id in v for v in listed.values())
        ]
        rows = table.select("tbody tr")
        assert [r.th.get_text() for r in rows] == [s.short_title for s in sections]
        for row in rows:
            section = by_short[row.th.get_text()]
            for cid, td in zip(columns, row.find_all("td"), strict=True):
                assert (td.a is not None) == (cid in listed[section.src]), (section.src, cid)
                if td.a is None:
                    continue
                # The cell leads to a paragraph of that section that mentions the concept.
                page_rel, anchor = td.a["href"].replace("../", "", 1).split("#")
                paragraph = _soup(built_site, page_rel + "index.html").find(id=anchor)
                assert paragraph is not None
                names = taxonomy.concepts[cid].names
                assert any(re.search(re.escape(n.split()[0]), paragraph.get_text(), re.I) for n in names)


def test_every_section_leads_somewhere(any_site: Path) -> None:
    links = derived_links(any_site)
    sections = links["sections"]
    assert isinstance(sections, dict) and len(sections) == 10
    for name, extras in sections.items():
        assert extras["concepts"], name
        assert extras["related"], name
        assert len(extras["prev_next"]) == 2
    # The Conclusion's list of conditions leads to every section.
    conclusion = links["autolinks"]["conclusion/index.html"]  # type: ignore[index]
    assert len({href for _text, href in conclusion}) == 10


def test_search_finds_each_concept_by_label_and_synonym(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = {d["location"]: (d["title"] + " " + d["text"]).lower() for d in index["docs"]}
    taxonomy = load_taxonomy(ROOT / "taxonomy.yml", "taxonomy.yml")
    for concept in taxonomy.concepts.values():
        text = docs.get(f"concepts/#{concept.anchor}")
        assert text is not None, concept.id
        for name in concept.names:
            assert name.lower() in text, (concept.id, name)


def test_generated_pages_are_in_the_navigation(any_site: Path) -> None:
    nav = _soup(any_site, "index.html").select_one("nav.md-nav--primary")
    assert nav is not None
    labels = [a.get_text(strip=True) for a in nav.select("a.md-nav__link")]
    assert "Concepts" in labels and "Map" in labels


def test_the_reviews_concepts_and_map_pages_are_the_generated_stubs() -> None:
    """content/concepts.md and map.md are the stubs Zensical needs (it can't add pages); they hold
    only markers, so the taxonomy stays the one place concepts are written."""
    assert (ROOT / "content" / "concepts.md").read_text(encoding="utf-8") == crossrender.concepts_stub(
        "Concepts"
    )
    assert (ROOT / "content" / "map.md").read_text(encoding="utf-8") == crossrender.map_markdown("Map")


# --- autolinks: the rules, on Markdown converted with the extension --------------------------

TARGETS = {
    "tumors.md": (("Spinal tumors", "Tumors"), "tumors.md", "Spinal tumors"),
    "stenosis.md": (
        ("Lumbar spinal stenosis", "Stenosis", "spinal stenosis"),
        "stenosis.md",
        "Lumbar spinal stenosis",
    ),
    "surgery.md": (("Post-surgical pain",), "surgery.md", "Post-surgical pain"),
    "ddd.md": (
        (
            "Degenerative disc disease and vertebral fractures",
            "degenerative disc disease",
            "vertebral fractures",
        ),
        "ddd.md",
        "DDD",
    ),
    "idd.md": (("Intervertebral disc degeneration", "degenerative disc disease"), "idd.md", "IDD"),
}


def _convert(text: str) -> BeautifulSoup:
    page = PageCitations("intro.md", "docs/intro.md")
    links = PageLinks("intro.md", link_targets={k: LinkTarget(*v) for k, v in TARGETS.items()})
    extension = CitationExtension(lambda: page, page_list=False, links=lambda: links)
    md = markdown.Markdown(extensions=["attr_list", extension])
    return BeautifulSoup(md.convert(text), "html.parser")


def _links(text: str) -> list[tuple[str, str]]:
    return [(a.get_text(), a["href"]) for a in _convert(text).select("a.lr-autolink")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pain from a spinal tumor is common.", [("spinal tumor", "tumors.md")]),
        ("SPINAL TUMORS hurt.", [("SPINAL TUMORS", "tumors.md")]),
        ("After post surgical pain and postsurgical pain.", [("post surgical pain", "surgery.md")]),
        ("Lumbar spinal stenosis narrows the canal.", [("Lumbar spinal stenosis", "stenosis.md")]),
        ("Spinal tumors and spinal tumors again.", [("Spinal tumors", "tumors.md")]),
        (
            "Such as degenerative disc disease, vertebral fractures and more.",
            [("degenerative disc disease", "idd.md"), ("vertebral fractures", "ddd.md")],
        ),
        ("See [spinal tumors](tumors.md) and spinal stenosis.", [("spinal stenosis", "stenosis.md")]),
        ("Code `spinal tumors` is code; stenosis is not.", [("stenosis", "stenosis.md")]),
        ("Cited [see spinal tumors, @smith2020] here.", []),
        ("Stenosis-like findings and tumorous tissue.", []),
    ],
    ids=[
        "plural",
        "case",
        "hyphen-space-and-joined",
        "longest-wording",
        "first-mention-only",
        "overlap-links-both-sections",
        "not-inside-a-link-or-twice",
        "not-inside-code",
        "not-inside-a-citation",
        "whole-words-only",
    ],
)
def test_autolink_rules(text: str, expected: list[tuple[str, str]]) -> None:
    assert _links(text) == expected


def test_autolinks_skip_headings_and_restart_per_paragraph() -> None:
    soup = _convert("## Spinal tumors\n\nSpinal tumors first.\n\n- Spinal tumors in a list item.\n")
    assert soup.h2 is not None and soup.h2.a is None
    assert [a.parent.name for a in soup.select("a.lr-autolink")] == ["p", "li"]


def test_autolink_keeps_surrounding_text_in_order() -> None:
    soup = _convert("Before *spinal stenosis* between spinal tumors after.")
    assert soup.get_text() == "Before spinal stenosis between spinal tumors after."
    assert [a.get_text() for a in soup.select("a.lr-autolink")] == ["spinal stenosis", "spinal tumors"]


def test_cited_concept_description_is_numbered_on_the_concept_page(tmp_path: Path) -> None:
    import shutil

    from conftest import build_in_process

    project = tmp_path / "project"
    shutil.copytree(Path(__file__).parent / "checks" / "base", project)
    taxonomy = project / "taxonomy.yml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace(
            "    label: Inflammation\n",
            '    label: Inflammation\n    description: "A source of alpha pain [@ada2020]."\n',
        ),
        encoding="utf-8",
    )
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
    page = _soup(tmp_path / "site", "concepts/index.html")
    entry = page.find(id="c-inflammation")
    assert entry is not None
    description = entry.find_next_sibling("p")
    assert description is not None and description.get_text() == "A source of alpha pain [1]."
    places = entry.find_next_sibling("ul", class_="lr-places")
    assert places is not None
    assert [a["href"] for a in places.select("a")][:2] == ["../sections/alpha/", "../sections/alpha/#lr-p1"]


def test_a_review_without_introduction_or_conclusion_links_only_between_sections() -> None:
    """The first section leads back to the Introduction only if the review names one."""
    from litreview.core.crosslinks.taxonomy import Taxonomy

    first = crosslinks.Section("a.md", "A", "A", ("A",), (), 1)
    second = crosslinks.Section("b.md", "B", "B", ("B",), (), 2)
    taxonomy = Taxonomy(path="taxonomy.yml")
    alone = crossrender.section_block_markdown(first, [first], taxonomy, "concepts.md", "", "")
    assert "lr-prev-next" not in alone and "Introduction" not in alone
    opening = crossrender.section_block_markdown(first, [first, second], taxonomy, "concepts.md", "", "")
    assert "[B →](b.md)" in opening and "Introduction" not in opening
    framed = crossrender.section_block_markdown(
        first, [first, second], taxonomy, "concepts.md", "index.md", ""
    )
    assert "[← Introduction](index.md)" in framed
