"""One way from a citation key to the id of the element that shows its work (issue 28 §2).

``anchors.anchor`` is that way: the References page, a page's own list, the explorer's index,
citation links, "Cited in", the link checks and the PDF all use it. Every key pandoc can read
gets a valid id of its own, and a key made only of ``[A-Za-z0-9_.-]`` keeps the id it always had
(deep links to existing reviews keep working).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import posixpath
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from hypothesis import given
from hypothesis import strategies as st

from cli_process import check_json
from litreview.core.references.anchors import anchor

#: pandoc's key: starts with a letter, digit or ``_``; inside, those and this punctuation
#: (a punctuation character must be followed by a letter, digit or ``_``).
PUNCTUATION = ":.#$%&-+?<>~/"
_WORD = st.one_of(
    st.characters(whitelist_categories=("Lu", "Ll", "Lt", "Lm", "Lo", "Nd")),
    st.sampled_from("_aZ09"),
)


@st.composite
def pandoc_keys(draw: st.DrawFn) -> str:
    """A key pandoc reads as one citation key, over its whole alphabet."""
    parts = [draw(_WORD)]
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(PUNCTUATION)))
        parts.append(draw(_WORD))
    return "".join(parts)


#: What an id may hold so that it needs no escaping in a URL's fragment or an HTML attribute.
_VALID_ID = re.compile(r"ref-[A-Za-z0-9_.~-]+")

EXAMPLES = [
    "Aad:2012tfa",  # INSPIRE
    "ATLAS:2017fih",
    "doi:10.1007/978-3-030-00825-3_16",  # Manubot
    "url:https://example.org/a?b=c&d=e#f",
    "pmid:12345678",
    "arxiv:2101.00001v2",
    "smithNatureChemistry2020",  # Better BibTeX
    "smith_nature_2020",
    "smith2020a",
    "Müller2020",  # Unicode
    "Ωmega:2019",
    "李2021",
    "a:b",
    "a_b",
    "a~3a~b",
    "a~b",
]


@pytest.mark.parametrize("key", EXAMPLES)
def test_every_kind_of_key_gets_a_valid_id(key: str) -> None:
    assert _VALID_ID.fullmatch(anchor(key)), anchor(key)


def test_the_examples_get_distinct_ids() -> None:
    ids = [anchor(k) for k in EXAMPLES]
    assert len(set(ids)) == len(ids), sorted(ids)


@pytest.mark.parametrize("key", ["smith2020", "w0001", "10.1000_x", "Smith-Jones.2020", "_x"])
def test_a_key_of_safe_characters_keeps_its_id(key: str) -> None:
    assert anchor(key) == "ref-" + key


@given(pandoc_keys())
def test_any_pandoc_key_gets_a_valid_id(key: str) -> None:
    assert _VALID_ID.fullmatch(anchor(key))


@given(pandoc_keys(), pandoc_keys())
def test_two_keys_never_share_an_id(a: str, b: str) -> None:
    if a != b:
        assert anchor(a) != anchor(b)


@given(st.text(min_size=1, max_size=30))
def test_any_text_at_all_gets_a_valid_id_of_its_own(key: str) -> None:
    assert _VALID_ID.fullmatch(anchor(key))
    assert anchor(key) != anchor(key + "x")


# -- A review whose keys use every character pandoc allows, built in this process -------------

#: Keys as real reviews write them, and one per punctuation character pandoc allows inside a
#: key (``a_b`` beside ``a:b``: both were ``ref-a_b`` once).
REVIEW_KEYS = [
    "Aad:2012tfa",
    "ATLAS:2017fih",
    "doi:10.1007/978-3-030-00825-3_16",
    "url:https://example.org/works/a_b",
    "smithNatureChemistry2020",
    "smith_nature_2020",
    "Müller2020",
    "李2021",
    "Ωmega:2019",
    "a_b",
    *(f"a{c}b" for c in PUNCTUATION),
]


def _review(out: Path, keys: list[str]) -> None:
    """A two-section review citing ``keys`` (a CSL-JSON bibliography: BibTeX can't hold every
    such key), each page with its own list, the References page with the explorer."""
    docs = out / "docs" / "sections"
    docs.mkdir(parents=True)
    works = [
        {
            "id": k,
            "type": "article-journal",
            "title": f"Work {n} on topic{n}",
            "issued": {"date-parts": [[2000 + n]]},
        }
        for n, k in enumerate(keys)
    ]
    (out / "refs.json").write_text(json.dumps(works, ensure_ascii=False), encoding="utf-8")
    half = len(keys) // 2
    for name, part in (("one", keys[:half]), ("two", keys[half:])):
        body = "\n\n".join(f"Finding {n} [@{k}]." for n, k in enumerate(part))
        body += "\n\nAll again [" + "; ".join(f"@{k}" for k in part) + "].\n"
        (docs / f"{name}.md").write_text(f"# Section {name}\n\n{body}", encoding="utf-8")
    (out / "docs" / "index.md").write_text("# Keys\n\nEvery key pandoc can read.\n", encoding="utf-8")
    (out / "mkdocs.yml").write_text(
        "site_name: Keys\ndocs_dir: docs\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - litreview:\n      bibliography: refs.json\n"
        "nav:\n  - Home: index.md\n  - sections/one.md\n  - sections/two.md\n  - References: references.md\n",
        encoding="utf-8",
    )


def _build(config: Path, site: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            build(load_config(config_file=str(config), site_dir=str(site), strict=True))
    finally:
        logging.disable(logging.NOTSET)


@pytest.fixture(scope="module")
def key_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("keys")
    _review(out, REVIEW_KEYS)
    _build(out / "mkdocs.yml", out / "site")
    return out / "site"


def _page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def _ids(page: BeautifulSoup) -> set[str]:
    return {str(t["id"]) for t in page.select("[id]")}


def _target(site: Path, from_page: str, href: str) -> Tag | None:
    """The element ``href`` on ``from_page`` leads to, as a browser finds it (the first of
    that id), or None."""
    parts = urlsplit(href)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(from_page), unquote(parts.path)))
    if not parts.path:
        target = from_page
    if not target.endswith(".html"):
        target = posixpath.join(target, "index.html")
    if not (site / target).is_file():
        return None
    found = _page(site, target).find(id=unquote(parts.fragment))
    return found if isinstance(found, Tag) else None


def _lands(site: Path, from_page: str, href: str) -> bool:
    return _target(site, from_page, href) is not None


def _title(key: str) -> str:
    n = REVIEW_KEYS.index(key)
    return f"Work {n} on topic{n}"


REFERENCES = "references/index.html"


def test_every_key_is_cited_as_written(key_site: Path) -> None:
    pages = [_page(key_site, f"sections/{name}/index.html") for name in ("one", "two")]
    cited = {str(a["data-lr-key"]) for page in pages for a in page.select("a.lr-cite-link")}
    assert cited == set(REVIEW_KEYS)


def test_every_work_on_the_references_page_has_its_keys_id(key_site: Path) -> None:
    ids = _ids(_page(key_site, REFERENCES))
    assert {anchor(k) for k in REVIEW_KEYS} <= ids
    entries = _page(key_site, REFERENCES).select(".lr-bibliography-list li[id]")
    assert len({str(li["id"]) for li in entries}) == len(REVIEW_KEYS)  # one id each


def test_the_explorers_index_names_every_work_by_an_id_on_the_page(key_site: Path) -> None:
    page = _page(key_site, REFERENCES)
    index = json.loads(page.select_one("#lr-works").get_text())  # type: ignore[union-attr]
    named = [w[0] for w in index["works"]]
    assert len(named) == len(REVIEW_KEYS)
    assert set(named) <= {str(li["id"]) for li in page.select(".lr-bibliography-list li[id]")}


@pytest.mark.parametrize("path", ["sections/one/index.html", "sections/two/index.html"])
def test_every_citation_link_lands_on_its_own_work(key_site: Path, path: str) -> None:
    """On the page's own list, and (↗) on the References page: on the work's entry, not on
    another's that shares its id."""
    entries = _page(key_site, path).select(".lr-references li[id]")
    assert entries
    for entry in entries:
        to_all = entry.select_one("a.lr-to-bibliography")
        assert to_all is not None
        title = re.search(r"Work \d+ on topic\d+", entry.get_text())
        there = _target(key_site, path, str(to_all["href"]))
        assert title and there is not None and title[0] in there.get_text(), entry["id"]
    for link in _page(key_site, path).select("a.lr-cite-link"):
        there = _target(key_site, path, str(link["href"]))
        assert there is not None and _title(str(link["data-lr-key"])) in there.get_text(), link["href"]


def test_every_cited_in_link_lands_on_its_paragraph(key_site: Path) -> None:
    links = _page(key_site, REFERENCES).select(".lr-cited-in a")
    assert len(links) >= 2 * len(REVIEW_KEYS)
    assert [a["href"] for a in links if not _lands(key_site, REFERENCES, str(a["href"]))] == []


def test_each_coins_sits_in_its_works_entry(key_site: Path) -> None:
    page = _page(key_site, REFERENCES)
    for key in REVIEW_KEYS:
        entry = page.find(id=anchor(key))
        assert isinstance(entry, Tag) and entry.select_one("span.Z3988") is not None, key
        assert _title(key) in entry.get_text(), key


def test_each_downloaded_key_names_a_work_on_the_page(key_site: Path) -> None:
    ids = _ids(_page(key_site, REFERENCES))
    works = json.loads(next(key_site.rglob("references.json")).read_text(encoding="utf-8"))
    assert sorted(w["id"] for w in works) == sorted(REVIEW_KEYS)
    assert [w["id"] for w in works if anchor(w["id"]) not in ids] == []


def _git(repo: Path, *args: str) -> None:
    when = "2025-01-01T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    env |= {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org"}
    env |= {"GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org"}
    subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)


@pytest.fixture(scope="module")
def released_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The review released twice: v1 cites two works, v2 every key (What's new lists the rest)."""
    out = tmp_path_factory.mktemp("released")
    _review(out, REVIEW_KEYS[:2])
    config = out / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace(
        "bibliography: refs.json\n", "bibliography: refs.json\n      releases: true\n"
    )
    config.write_text(text.replace("references.md\n", "references.md\n  - whats-new.md\n"), encoding="utf-8")
    _git(out, "init", "-q", "-b", "main")
    _git(out, "add", "-A")
    _git(out, "commit", "-q", "-m", "v1")
    _git(out, "tag", "-a", "v1", "-m", "First")
    shutil.rmtree(out / "docs" / "sections")
    _review(out, REVIEW_KEYS)
    config.write_text(text.replace("references.md\n", "references.md\n  - whats-new.md\n"), encoding="utf-8")
    _git(out, "add", "-A")
    _git(out, "commit", "-q", "-m", "v2")
    _git(out, "tag", "-a", "v2", "-m", "Second")
    _build(config, out / "site")
    return out / "site"


def test_whats_new_links_each_added_work_to_its_own_entry(released_site: Path) -> None:
    page = "whats-new/index.html"
    heading = next(h for h in _page(released_site, page).select("h3") if "added" in h.get_text())
    listing = heading.find_next_sibling("ul")
    assert isinstance(listing, Tag)
    added = listing.select("li")
    assert len(added) == len(REVIEW_KEYS) - 2
    for item in added:
        title = re.search(r"Work \d+ on topic\d+", item.get_text())
        link = item.select_one("a.lr-to-bibliography")
        assert title and link is not None, item
        there = _target(released_site, page, str(link["href"]))
        assert there is not None and title[0] in there.get_text(), link["href"]


@pytest.mark.parametrize(
    "key", ["Aad:2012tfa", "doi:10.1007/978-3-030-00825-3_16", "Müller2020", "a<b", "a_b"]
)
def test_check_knows_each_works_id_and_no_other_spelling(
    key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A link to a work's entry passes ``check``; one to the key as written, or to the spelling
    with ``_`` (the old one, shared by ``a:b`` and ``a_b``), gets LNK002, unless it is the id."""
    _review(tmp_path, REVIEW_KEYS)
    old = "ref-" + re.sub(r"[^A-Za-z0-9_.-]", "_", key)
    links = [anchor(key), "ref-" + key, old]
    page = tmp_path / "docs" / "index.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + "".join(f"\n[x](references.md#{a.replace('<', '%3C')})\n" for a in links),
        encoding="utf-8",
    )
    _status, found = check_json(tmp_path, monkeypatch, capsys)
    missing = {str(f["message"]).split("'")[1] for f in found if f["code"] == "LNK002"}
    ids = {anchor(k) for k in REVIEW_KEYS}  # ``ref-a_b`` is a_b's, not a<b's
    wrong = {"#" + a.replace("<", "%3C") for a in links if a not in ids}
    assert missing == wrong, found


def test_in_the_pdf_every_citation_lands_on_its_own_work(key_site: Path) -> None:
    """The PDF is the pages composed into one document (printing/compose.py): each citation's
    link must still land on its work's entry in the document's one reference list."""
    from litreview.core.printing import compose

    def part(url: str) -> compose.Part:
        return compose.Part(url, (key_site / url / "index.html").read_text(encoding="utf-8"))

    parts = [part(""), part("sections/one/"), part("sections/two/")]
    html = compose.compose(
        parts, part("references/"), publication=None, site_url="", title="T", language="en", css=""
    )
    document = BeautifulSoup(html, "html.parser")
    links = document.select("a.lr-cite-link")
    assert {str(a["data-lr-key"]) for a in links} == set(REVIEW_KEYS)
    for link in links:
        href = str(link["href"])
        there = document.find(id=href[1:]) if href.startswith("#") else None
        assert isinstance(there, Tag) and _title(str(link["data-lr-key"])) in there.get_text(), href
