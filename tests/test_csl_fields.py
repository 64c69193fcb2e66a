"""CSL-JSON input: identifiers arrive as written, and CSL rich text renders (issue 28 §3).

Reported: a DOI with ``_`` (``10.1007/978-3-030-00825-3_16``) got a backslash in the link, the
text and the BibTeX download, because the CSL item went through BibTeX with its specials
escaped and the verbatim fields were shown as written. CSL's rich text (``<i>``, ``<sup>``…)
showed as literal tags.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from litreview.core.bibliography import loader
from litreview.core.publication import exports
from litreview.core.references import coins
from litreview.core.references.formatting import TemplateFormatter
from litreview.core.references.reference_html import entry_links, plain

_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
#: What BibTeX escapes, and what TeX's typography would change (``~``, ``--``, quotes).
_TRICKY = "_&%#${}~-'`^\\"


def _load(tmp_path: Path, item: dict[str, object]) -> loader.Reference:
    path = tmp_path / "refs.json"
    path.write_text(
        json.dumps([{"id": "w1", "type": "article-journal", "title": "T", **item}]), encoding="utf-8"
    )
    bib = loader.load([path])
    assert not bib.problems, bib.problems
    return bib.references["w1"]


_SUFFIX = st.text(
    alphabet=st.sampled_from(list("abcXYZ019.-/()<>;:") + list(_TRICKY)), min_size=1, max_size=20
)


@_SETTINGS
@given(suffix=_SUFFIX)
def test_a_csl_doi_reads_as_written_everywhere(tmp_path: Path, suffix: str) -> None:
    ref = _load(tmp_path, {"DOI": "10.1007/978-3-030-" + suffix.strip()})
    doi = _read("10.1007/978-3-030-" + suffix.strip())
    assert ref.doi == doi
    assert ref.get("doi") == doi
    links = str(entry_links(ref))
    assert f">doi:{Markup.escape(doi)}</a>" in links
    assert f"DO  - {doi}\n" in exports.ris([ref])
    assert ("rft_id", f"info:doi/{doi}") in coins.context_object(ref)
    assert re.search(r"doi\s*=\s*\{(.*)\},", ref.bibtex()).group(1) == _as_bibtex(doi)
    assert plain(str(TemplateFormatter()(ref))).count("\\") == doi.count("\\")


@_SETTINGS
@given(path=_SUFFIX)
def test_a_csl_url_reads_as_written_everywhere(tmp_path: Path, path: str) -> None:
    ref = _load(tmp_path, {"URL": "https://example.org/" + path.strip()})
    url = _read("https://example.org/" + path.strip())
    assert ref.get("url") == url
    assert f'href="{Markup.escape(url)}"' in str(entry_links(ref))
    assert f"UR  - {url}\n" in exports.ris([ref])
    assert re.search(r"url\s*=\s*\{(.*)\},", ref.bibtex()).group(1) == _as_bibtex(url)


@pytest.mark.parametrize("number", ["2101.08320", "hep-ph/0601001", "1905.1234_5"])
def test_an_arxiv_eprint_from_a_csl_url_is_the_number(tmp_path: Path, number: str) -> None:
    ref = _load(tmp_path, {"URL": f"https://arxiv.org/abs/{number}"})
    assert ref.get("eprint") == number
    assert f'arxiv.org/abs/{number}"' in str(TemplateFormatter()(ref)) or number.endswith("_5")


def _read(value: str) -> str:
    """A verbatim value as read: as written, a backslash (which BibTeX would take for an escape)
    percent-encoded as in an address."""
    return value.replace("\\", "%5C")


def _as_bibtex(value: str) -> str:
    """A verbatim field's value in the BibTeX download: as written, only braces escaped; braces
    that do not pair up percent-encoded, as an address writes them (an unpaired brace, escaped
    or not, would close the entry early for BibTeX, which counts every brace)."""
    depths = list(itertools.accumulate({"{": 1, "}": -1}.get(c, 0) for c in value))
    if not depths or (min(depths) >= 0 and depths[-1] == 0):
        return value.replace("{", "\\{").replace("}", "\\}")
    return value.replace("{", "%7B").replace("}", "%7D")


_STYLED = {
    "italic": ("The <i>in vivo</i> role", "The <i>in vivo</i> role", "The in vivo role"),
    "bold": ("A <b>bold</b> claim", "A <b>bold</b> claim", "A bold claim"),
    "superscript": ("At 10<sup>3</sup> K", "At 10<sup>3</sup> K", "At 10³ K"),
    "subscript": ("CO<sub>2</sub> uptake", "CO<sub>2</sub> uptake", "CO₂ uptake"),
    "small-caps": (
        'The <span style="font-variant:small-caps;">Hpc</span> case',
        'The <span style="font-variant:small-caps">Hpc</span> case',
        "The Hpc case",
    ),
    "nocase": ('On <span class="nocase">mRNA</span> decay', "On mRNA decay", "On mRNA decay"),
    "nested": ("<b>Bold <i>and</i> more</b>", "<b>Bold <i>and</i> more</b>", "Bold and more"),
}


@pytest.mark.parametrize(("title", "html", "text"), [pytest.param(*v, id=k) for k, v in _STYLED.items()])
def test_csl_rich_text_renders_in_html_and_reads_plain_elsewhere(
    tmp_path: Path, title: str, html: str, text: str
) -> None:
    ref = _load(
        tmp_path, {"title": title, "container-title": "Cell", "author": [{"family": "Doe", "given": "J"}]}
    )
    page = str(TemplateFormatter()(ref))
    assert html in page
    assert text in plain(page)  # the tooltip and the search index
    assert ref.get("title") == text
    assert f"TI  - {text}\n" in exports.ris([ref])
    assert ("rft.atitle", text) in coins.context_object(ref)
    assert json.loads(exports.csl_json([ref]))[0]["title"] == text


_UNSAFE = {
    "script": "<script>alert(1)</script> x",
    "link": '<a href="javascript:alert(1)">y</a>',
    "styled-span": '<span style="color:red">z</span>',
    "unclosed": "<i>open",
    "stray-close": "close</b> it",
    "crossed": "<i><b>x</i></b>",
    "attribute-on-i": '<i onmouseover="alert(1)">w</i>',
}


@pytest.mark.parametrize("title", [pytest.param(v, id=k) for k, v in _UNSAFE.items()])
def test_tags_off_the_allow_list_are_text(tmp_path: Path, title: str) -> None:
    ref = _load(tmp_path, {"title": title})
    page = str(TemplateFormatter()(ref))
    soup = BeautifulSoup(page, "html.parser")
    assert not soup.find_all(["script", "a", "span"]) and not soup.find_all(attrs={"onmouseover": True})
    assert "<" in soup.get_text()  # shown as written, escaped


_ALLOWED = ["<i>", "<b>", "<sup>", "<sub>", '<span class="nocase">', '<span style="font-variant:small-caps">']
#: TeX's quotes aside: ` and ' in a CSL title read as typographic quotes (‘ ’), as in BibTeX.
_LEAF = st.lists(
    st.sampled_from([*"ab xyz019", *_TRICKY.replace("`", "").replace("'", ""), "<em>", "<script>", "<"]),
    max_size=8,
).map("".join)


def _tree(depth: int = 3) -> st.SearchStrategy[list[object]]:
    leaf: st.SearchStrategy[object] = _LEAF
    node = st.tuples(st.sampled_from(_ALLOWED), st.deferred(lambda: _tree(depth - 1))) if depth else leaf
    return st.lists(st.one_of(leaf, node), max_size=4)


def _written(tree: list[object]) -> tuple[str, str]:
    """A rich-text tree as CSL writes it, and its text alone."""
    csl, text = [], []
    for part in tree:
        if isinstance(part, tuple):
            tag, inner = part
            name = tag[1:].split(">")[0].split()[0]
            inner_csl, inner_text = _written(inner)
            csl.append(f"{tag}{inner_csl}</{name}>")
            text.append(inner_text)
        else:
            csl.append(str(part))
            text.append(str(part))
    return "".join(csl), "".join(text)


@_SETTINGS
@given(tree=_tree())
def test_any_rich_text_renders_only_allowed_tags_and_every_character(
    tmp_path: Path, tree: list[object]
) -> None:
    title, text = _written(tree)
    if not title.strip():
        return
    ref = _load(tmp_path, {"title": title})
    soup = BeautifulSoup(str(TemplateFormatter()(ref)), "html.parser")
    tags = {(t.name, tuple(sorted(t.attrs.items()))) for t in soup.find_all(True)}
    allowed = {
        ("i", ()),
        ("b", ()),
        ("sup", ()),
        ("sub", ()),
        ("span", (("style", "font-variant:small-caps"),)),
    }
    assert tags <= allowed | {("em", ())}
    assert " ".join(text.split()) in " ".join(soup.get_text().split())
