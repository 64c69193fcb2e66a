"""Math in every importer that reads pandoc or MyST Markdown (issue 29 §7).

Reported: math was rendered only for Manubot imports; a Quarto page's ``$x^2$`` and MyST's
``{math}`` role and directive stayed raw TeX in the built site.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build_in_process
from litreview.cli import main


def _quarto(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "_quarto.yml").write_text("project:\n  type: book\nbook:\n  chapters:\n    - index.qmd\n")
    (folder / "index.qmd").write_text(f"# Intro\n\n{body}")
    return folder


def _myst(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "_toc.yml").write_text("format: jb-book\nroot: intro\n")
    (folder / "intro.md").write_text(f"# Intro\n\n{body}")
    return folder


QUARTO = "Inline $x^2 + y_1$ and a price of $5 or $7.\n\n$$\n\\frac{n(n+1)}{2}\n$$\n"
MYST = (
    "Inline {math}`x^2 + y_1` and $a_b$, a price of $5 or $7.\n\n"
    "```{math}\n:label: eq-sum\n\\frac{n(n+1)}{2}\n```\n"
)


def assert_math_offline(html: str, site: Path) -> None:
    """Arithmatex's markup on the page, KaTeX loaded from the site itself, never another host."""
    assert '<span class="arithmatex">\\(x^2 + y_1\\)</span>' in html
    assert '<div class="arithmatex">\\[' in html and "\\frac{n(n+1)}{2}" in html
    assert "$5 or $7" in html.replace("&#36;", "$")
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html) + re.findall(r'<link[^>]*href="([^"]+)"', html)
    assert not [s for s in scripts if re.match(r"(?:https?:)?//", s)], scripts
    assert any(s.endswith("assets/katex/katex.min.js") for s in scripts)
    assert (site / "assets" / "katex" / "katex.min.js").is_file()


@pytest.mark.parametrize(
    ("make", "body", "count"), [(_quarto, QUARTO, 2), (_myst, MYST, 3)], ids=["quarto", "myst"]
)
def test_math_builds_strictly_with_katex_from_the_site(
    tmp_path: Path, make: object, body: str, count: int, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make(tmp_path / "src", body)  # type: ignore[operator]
    out = tmp_path / "out"
    assert main(["import", str(source), "-o", str(out)]) == 0
    report = "".join(capsys.readouterr())
    assert f"{count} math element(s)" in report, report
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "pymdownx.arithmatex" in config
    build_in_process(out / "mkdocs.yml", tmp_path / "site")
    assert_math_offline((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), tmp_path / "site")


@pytest.mark.parametrize("make", [_quarto, _myst], ids=["quarto", "myst"])
def test_no_math_no_math_assets(tmp_path: Path, make: object) -> None:
    source = make(tmp_path / "src", "A price of $5 and $6.\n")  # type: ignore[operator]
    out = tmp_path / "out"
    assert main(["import", str(source), "-o", str(out)]) == 0
    assert "arithmatex" not in (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "&#36;5" in (out / "content" / "index.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("label", ["eq-x", "eq:x", "eq-a.b", "lst-x", "lst:x", "sec-x", "fig:x", "tbl-x"])
def test_every_crossref_kind_is_numbered(label: str) -> None:
    """Labels of two-letter kinds (``eq``) were cut as three letters ("eq-") and crashed the import."""
    from litreview.core.importers.pandocmd import Crossrefs

    crossrefs = Crossrefs()
    crossrefs.collect("a.md", f"# Title {{#{label}}}\n\n$$ x $$ {{#{label}}}\n")
    assert label in crossrefs.labels


def test_a_labelled_equation_is_an_anchor_and_its_references_link_to_it(tmp_path: Path) -> None:
    body = "See @eq-mass.\n\n$$\nE = mc^2\n$$ {#eq-mass}\n\nAnd $$a+b$$ {#eq-sum} inline.\n\n```\n$$ {#eq-code}\n```\n"
    source = _quarto(tmp_path / "src", body)
    out = tmp_path / "out"
    assert main(["import", str(source), "-o", str(out)]) == 0
    page = (out / "content" / "index.md").read_text(encoding="utf-8")
    assert "See [Equation 1](#eq-mass)." in page
    assert "{#eq-mass}" not in page and "{#eq-sum}" not in page and "$$ {#eq-code}" in page
    build_in_process(out / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'id="eq-mass"' in html and 'id="eq-sum"' in html
    assert '<div class="arithmatex">\\[' in html and "E = mc^2" in html


def test_a_labelled_equation_in_manubot_links_too(tmp_path: Path) -> None:
    from litreview.core.importers.manubot import read_manubot

    source = tmp_path / "src"
    (source / "content").mkdir(parents=True)
    (source / "content" / "metadata.yaml").write_text("title: A review\n", encoding="utf-8")
    (source / "content" / "01.intro.md").write_text("## A\n\nBy @eq:e.\n\n$$ e = 1 $$ {#eq:e}\n")
    page = read_manubot(source, tmp_path).pages["intro.md"]
    assert "By [Equation 1](#eq:e)." in page and '<span id="eq:e"></span>\n\n$$ e = 1 $$' in page
