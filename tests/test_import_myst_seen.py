"""MyST / Jupyter Book imports, as a new user tries them (issue 29 §5, what was left).

Reported: `litreview import nimare-paper` (the repository, its book in content/) was taken for
a Manubot manuscript; `bibtex_reference_style: author_year` was reported, not mapped; `{sub}`
and `{sup}` stayed inline code; every page's jupytext and kernelspec front matter gave one
finding per key.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_in_process
from litreview.cli import main
from litreview.core.importers.myst import read_myst

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "nimare-paper"


def _book(folder: Path, body: str, config: str = "") -> Path:
    folder.mkdir(parents=True)
    (folder / "_toc.yml").write_text("format: jb-book\nroot: intro\n", encoding="utf-8")
    (folder / "intro.md").write_text(body, encoding="utf-8")
    (folder / "00_first.md").write_text("# A numbered page, as Manubot names chapters\n", encoding="utf-8")
    if config:
        (folder / "_config.yml").write_text(config, encoding="utf-8")
    return folder


def test_a_repository_with_its_book_in_a_subfolder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The book in content/ (numbered pages, as Manubot's chapters are) is found, and the report
    says where."""
    _book(tmp_path / "repo" / "content", "# Intro\n\nText [@a].\n")
    (tmp_path / "repo" / "README.md").write_text("# A repository\n", encoding="utf-8")
    assert main(["import", str(tmp_path / "repo"), "-o", str(tmp_path / "out")]) == 0
    err = "".join(capsys.readouterr())
    assert "Jupyter Book found in" in err and "content/_toc.yml" in err, err
    assert (tmp_path / "out" / "content" / "index.md").read_text(encoding="utf-8").startswith("# Intro")


@pytest.mark.parametrize(
    ("config", "style", "reported"),
    [
        pytest.param("bibtex_reference_style: author_year\n", "apa", "", id="author-year"),
        pytest.param("bibtex_reference_style: super\n", "american-medical-association", "", id="super"),
        pytest.param(
            "bibtex_reference_style: label\nbibtex_default_style: unsrt\n", "", "", id="label-unsrt"
        ),
        pytest.param("bibtex_reference_style: label\nbibtex_default_style: plain\n", "", "plain", id="plain"),
        pytest.param("bibtex_reference_style: label\nbibtex_default_style: alpha\n", "", "alpha", id="alpha"),
        pytest.param("bibtex_reference_style: label\n", "", "alpha", id="label-default-alpha"),
        pytest.param(
            "bibtex_reference_style: author_year\nbibtex_default_style: unsrt\n", "apa", "", id="nimare"
        ),
        pytest.param("bibtex_reference_style: fancy\n", "", "fancy", id="unknown"),
    ],
)
def test_sphinxcontrib_bibtex_styles_become_style_or_are_reported(
    tmp_path: Path, config: str, style: str, reported: str
) -> None:
    indented = "".join(f"    {line}\n" for line in config.splitlines())
    folder = _book(tmp_path / "book", "# Intro\n", f"sphinx:\n  config:\n{indented}")
    result = read_myst(folder, tmp_path)
    assert result.site.style == style
    found = [f"{p.line}:{p.col} {p.code} {p.message}" for p in result.findings if "style" in p.message]
    assert bool(found) == bool(reported), found
    if reported:
        assert reported in found[0] and found[0].startswith(("3:", "4:")), found
    else:
        assert any("bibtex_reference_style" in line for line in result.converted), result.converted


def test_sub_and_sup_roles_render_with_caret_and_tilde(tmp_path: Path) -> None:
    body = "# Intro\n\nH{sub}`2`O and x{sup}`2 n` and `{sup}` in code.\n"
    out = tmp_path / "out"
    assert main(["import", str(_book(tmp_path / "book", body)), "-o", str(out)]) == 0
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "pymdownx.caret" in config and "pymdownx.tilde" in config
    build_in_process(out / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "H<sub>2</sub>O" in html and "x<sup>2 n</sup>" in html and "<code>{sup}</code>" in html


def test_no_sub_or_sup_no_extensions(tmp_path: Path) -> None:
    result = read_myst(_book(tmp_path / "book", "# Intro\n\nH2O.\n"), tmp_path)
    assert result.site.extensions == ()


def test_notebook_front_matter_is_one_finding_per_page(tmp_path: Path) -> None:
    body = (
        "---\njupytext:\n  text_representation:\n    extension: .md\nkernelspec:\n  name: python3\n"
        "title: Intro\n---\n\n# Intro\n"
    )
    result = read_myst(_book(tmp_path / "book", body), tmp_path)
    found = [f"{p.line} {p.code} {p.message}" for p in result.findings if "front matter" in p.message]
    assert len(found) == 1, found
    assert found[0].startswith("2 IMP002") and "jupytext, kernelspec" in found[0], found


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus ../shared/corpora is absent")
def test_nimare_imported_from_the_repository_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(CORPUS), "-o", str(tmp_path / "out")]) == 0
    err = "".join(capsys.readouterr())
    assert "content/_toc.yml" in err and "Manubot" not in err
    config = (tmp_path / "out" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "style: apa" in config
    assert err.count("front matter") <= 20, err  # one per page at most
