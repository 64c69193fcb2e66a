"""`review:` names the review's parts: any number, each a page, a folder or a list (issue 14).

Reported: `review:` was welded to our article's shape (Introduction, a list of sections,
Conclusion). A review team names its own parts; the checks hold only what is named.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cli_process import base_project, check_json
from conftest import ROOT, build_in_process
from litreview.cli import main
from litreview.core.project.config import ConfigError, load_project

SECTIONS_LIST = re.compile(r"        sections:\n(?:          - .*\n)+")


def test_sections_as_a_folder_read_as_the_list_they_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real review, with `sections: description/` for its list of ten: the same pages in
    the same (nav) order, the same findings and the same cross-links."""
    project = tmp_path / "review"
    for name in ("mkdocs.yml", "references.bib", "taxonomy.yml", "content", "overrides"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        elif source.exists():
            project.mkdir(exist_ok=True)
            shutil.copy(source, project / name)
    config = project / "mkdocs.yml"
    # Both builds without the PDF (Chromium printing the pages, in a process of its own), so
    # both run in this process; what is compared is the list against the folder, alike in that.
    assert "      pdf: true\n" in config.read_text(encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace("      pdf: true\n", ""), encoding="utf-8")
    listed = load_project(config).review
    text = config.read_text(encoding="utf-8")
    assert SECTIONS_LIST.search(text)
    before = check_json(project, monkeypatch, capsys)
    build_in_process(config, tmp_path / "list")
    config.write_text(SECTIONS_LIST.sub("        sections: description/\n", text), encoding="utf-8")
    folder = load_project(config).review
    assert listed is not None and folder is not None
    assert folder.sections == listed.sections and len(folder.sections) == 10
    assert folder.sections_folder == "description/"
    assert check_json(project, monkeypatch, capsys) == before
    build_in_process(config, tmp_path / "folder")
    for page in ("description/spinal-tumors/index.html", "concepts/index.html", "map/index.html"):
        assert (tmp_path / "folder" / page).read_text(encoding="utf-8") == (
            tmp_path / "list" / page
        ).read_text(encoding="utf-8"), page


def test_named_parts_are_checked_only_as_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = base_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "        sections:\n",
            "        methods: methods.md\n        appendices: appendix/\n        figures:\n"
            "          - figures/one.md\n        sections:\n",
        ),
        encoding="utf-8",
    )
    review = load_project(config).review
    assert review is not None
    assert review.parts == (
        ("methods", "methods.md", ("methods.md",)),
        ("appendices", "appendix/", ()),
        ("figures", "", ("figures/one.md",)),
    )
    status, findings = check_json(project, monkeypatch, capsys)
    missing = [(f["line"], f["message"]) for f in findings if f["code"] == "STR001"]
    assert status == 1 and missing == [
        (14, "the methods page 'methods.md' does not exist"),
        (15, "the appendices folder 'appendix/' holds no pages"),
        (17, "the figures page 'figures/one.md' does not exist"),
    ]
    (project / "docs" / "appendix").mkdir()
    (project / "docs" / "appendix" / "a.md").write_text("# A\n", encoding="utf-8")
    (project / "docs" / "methods.md").write_text("# Methods\n", encoding="utf-8")
    assert load_project(config).review.parts[1] == ("appendices", "appendix/", ("appendix/a.md",))  # type: ignore[union-attr]
    _status, findings = check_json(project, monkeypatch, capsys)
    assert [f["message"] for f in findings if f["code"] == "STR001"] == [
        "the figures page 'figures/one.md' does not exist"
    ]


@pytest.mark.parametrize(
    "part", ["introduction: intro/", "methods: 3", "methods: [1]", "conclusion: [a.md]", "appendix: ''"]
)
def test_a_malformed_part_is_a_configuration_error(part: str, tmp_path: Path) -> None:
    project = base_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "        sections:\n", f"        {part}\n        sections:\n"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_project(config)
    assert caught.value.problem.code == "CFG005" and caught.value.problem.line == 11


def test_new_puts_a_section_in_the_sections_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = base_project(tmp_path)
    config = project / "mkdocs.yml"
    text = re.sub(
        r"        sections:\n(?:          - .*\n)+",
        "        sections: sections/\n",
        config.read_text(encoding="utf-8"),
    )
    config.write_text(text, encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["new", "Gamma rays"]) == 0
    assert (project / "docs" / "sections" / "gamma-rays.md").is_file()
    after = config.read_text(encoding="utf-8")
    assert '      - sections/beta.md\n      - "Gamma rays": sections/gamma-rays.md\n' in after
    assert "        sections: sections/\n" in after
    review = load_project(config).review
    assert review is not None and review.sections[-1] == "sections/gamma-rays.md"
    capsys.readouterr()
