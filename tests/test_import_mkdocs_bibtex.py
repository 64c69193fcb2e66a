"""`litreview import` of an MkDocs site that cites with mkdocs-bibtex (issue 29 §6), from a
fixture laid out as mkdocs-bibtex's README and example show (tests/fixtures/import/mkdocs-bibtex):
its options mapped, its pages' citations kept, its markers gone and reported, the rest reported."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import build_in_process, valid_workflow
from importing import cited_keys, import_copy
from litreview.cli import main
from litreview.core.importers.imported import ImportRefused
from litreview.core.importers.mkdocs_bibtex import read_mkdocs_bibtex, strip_markers
from litreview.core.source.frontmatter import without
from pandoc_oracle import pandoc_keys

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "mkdocs-bibtex"
MARKERS = ("\\bibliography", "\\full_bibliography")


@pytest.fixture
def imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, str]:
    return import_copy(FIXTURE, "site", "site", tmp_path, monkeypatch, capsys)


def _source_keys() -> Counter[str]:
    return Counter(
        key
        for page in sorted((FIXTURE / "docs").rglob("*.md"))
        for key in pandoc_keys(without(page.read_text(encoding="utf-8")))
    )


def test_citations_are_kept_and_rendered_and_the_site_builds_strictly(
    imported: tuple[Path, str], tmp_path: Path
) -> None:
    out, _ = imported
    content = out / "content"
    kept = cited_keys(content) + cited_keys(content / "findings")
    assert kept == _source_keys() and sum(kept.values()) == 5
    build_in_process(out / "mkdocs.yml", tmp_path / "built")
    rendered = Counter(
        key
        for page in (tmp_path / "built").rglob("index.html")
        if page.parent.name != "references"
        for key in re.findall(r'data-lr-key="([^"]+)"', page.read_text(encoding="utf-8"))
    )
    assert rendered == kept


def test_markers_go_outside_code_and_each_removal_is_reported_at_its_place(
    imported: tuple[Path, str],
) -> None:
    out, err = imported
    for page in (out / "content").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        outside_code = re.sub(r"```.*?```|`[^`\n]*`", "", text, flags=re.S)
        assert not any(marker in outside_code for marker in MARKERS), page
    methods = (out / "content" / "methods.md").read_text(encoding="utf-8")
    assert "`\\bibliography` in code" in methods and "Put \\bibliography where" in methods
    assert not (out / "content" / "full_bib.md").exists()
    removals = [line for line in err.splitlines() if "IMP011" in line]
    assert [line.split(" warning")[0] for line in removals] == [
        "site/docs/findings/pain.md:6:1:",
        "site/docs/full_bib.md:3:1:",
        "site/docs/index.md:12:1:",
        "site/docs/methods.md:14:13:",
    ]
    assert "the page held nothing else and is left out" in removals[1]
    assert "so did its heading 'Bibliography', with nothing else under it" in removals[2]
    index = (out / "content" / "index.md").read_text(encoding="utf-8")
    assert index.endswith("The methods are on [their own page](methods.md).\n")
    assert "# Pain relief" in (out / "content" / "findings" / "pain.md").read_text(encoding="utf-8")


def test_options_map_and_what_does_not_map_is_reported_at_its_line(imported: tuple[Path, str]) -> None:
    out, err = imported
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert '      bibliography: refs.bib\n      style: "nature"\n' in config
    assert (out / "refs.bib").read_bytes() == (FIXTURE / "refs.bib").read_bytes()
    assert "  - pymdownx.caret\n" in config and "snippets" not in config and "tags" not in config
    assert "emoji_index: !!python/name:material.extensions.emoji.twemoji\n" in config
    assert config.endswith(
        "nav:\n  - Home: index.md\n  - Methods: methods.md\n  - Findings:\n"
        "      - Pain relief: findings/pain.md\n  - References: references.md\n"
    )
    assert (out / "content" / "img" / "trend.png").is_file()
    reported = [line for line in err.splitlines() if "site/mkdocs.yml" in line]
    assert [
        line.split(": warning")[0] + line[line.index("[") : line.index("]") + 1] for line in reported
    ] == [
        "site/mkdocs.yml:4:1[IMP013]",  # repo_url
        "site/mkdocs.yml:9:3[IMP013]",  # theme palette
        "site/mkdocs.yml:14:5[IMP013]",  # the tags plugin
        "site/mkdocs.yml:15:5[IMP012]",  # citations as footnotes
        "site/mkdocs.yml:18:7[IMP012]",  # footnote_format
        "site/mkdocs.yml:27:5[IMP013]",  # pymdownx.snippets reads files
        "site/mkdocs.yml:29:5[IMP013]",  # toc's own options
    ]


def _site(tmp_path: Path, config: str, bib: str | None = "refs.bib") -> Path:
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Home\n\nSee [@a].\n\n\\bibliography\n", encoding="utf-8")
    if bib:
        (site / bib).write_text("@misc{a, title = {A}, year = {2020}}\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    return site


BAD = [
    ("plugins:\n  - bibtex:\n      bib_file: [refs.bib\n", "mkdocs.yml:4:1: error[IMP001] not valid YAML"),
    (
        "plugins:\n  - bibtex:\n      bib_file: gone.bib\n",
        "mkdocs.yml:3:7: error[IMP001] gone.bib: no such file",
    ),
    ("plugins:\n  - bibtex:\n      bib_file: 3\n", "mkdocs.yml:3:7: error[IMP001] bib_file must be text"),
    ("docs_dir: ../elsewhere\nplugins:\n  - bibtex\n", "mkdocs.yml:1:1: error[IMP001] docs_dir ../elsewhere"),
    (
        "plugins:\n  - bibtex:\n      bib_dir: nowhere\n",
        "mkdocs.yml:3:7: error[IMP001] bib_dir nowhere: no such",
    ),
    ("plugins:\n  - bibtex: [1]\n", "mkdocs.yml:2:5: error[IMP001] the bibtex plugin's options are not"),
    ("- bibtex\n", "mkdocs.yml:1:1: error[IMP001] not a mapping"),
]


@pytest.mark.parametrize(("config", "expected"), BAD)
def test_a_bad_configuration_is_refused_at_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, expected: str
) -> None:
    site = _site(tmp_path, config)
    assert main(["import", str(site), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["../outside.bib", "/etc/passwd", "link.bib"])
def test_a_bibliography_outside_the_project_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    site = _site(tmp_path, f"plugins:\n  - bibtex:\n      bib_file: {name}\n", bib=None)
    (tmp_path / "outside.bib").write_text("@misc{secret, title = {S}}\n", encoding="utf-8")
    (site / "link.bib").symlink_to(tmp_path / "outside.bib")
    assert main(["import", str(site), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert f"mkdocs.yml:3:7: warning[IMP004] {name}: " in err and "Traceback" not in err
    written = [p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.bib")]
    assert written == [""]  # an empty references.bib, nothing of the file outside


def test_a_bib_dir_gives_each_of_its_files(tmp_path: Path) -> None:
    site = _site(tmp_path, "plugins:\n  - bibtex:\n      bib_dir: bib\n      cite_inline: true\n", bib=None)
    (site / "bib").mkdir()
    for name in ("b.bib", "a.bib"):
        (site / "bib" / name).write_text(f"@misc{{{name[0]}, title = {{T}}}}\n", encoding="utf-8")
    result = read_mkdocs_bibtex(site, tmp_path)
    assert result.site.bibliography == ("a.bib", "b.bib")
    assert not [p for p in result.findings if p.code == "IMP012"]  # inline citations map


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "\\bibliography",
                "\\full_bibliography",
                "\\bibliographystyle",
                "`",
                "```",
                "x",
                " ",
                "\n",
                "# H",
                "## H",
            ]
        ),
        max_size=30,
    )
)
# found by a seeded run: two marker lines in one section, the heading dropped at the later one
@example(parts=["# H", "\n", "\\bibliography", "\n", "\n", "\\bibliography"])
# found by a seeded run: a heading whose title holds \bibliographystyle goes with its empty section
@example(parts=["# H", "\\bibliographystyle", "\n", "\\bibliography"])
# found by a second run: the marker's removal left ``` at the line's start, a fence opened
@example(parts=["\\bibliography", "```", "\n", "```", "\n", "\\bibliography"])
# and its first fix: a backtick written as a reference no longer paired with a later one
@example(parts=["\\bibliography", "`", "\\bibliography"])
def test_markers_go_only_outside_code_and_nothing_else_changes(parts: list[str]) -> None:
    text = "".join(parts)
    kept, removed, headings = strip_markers(text, MARKERS)
    lines = text.split("\n")
    for line, col, marker in removed:
        assert lines[line - 1][col - 1 :].startswith(marker)
    # putting back what was removed gives the source: nothing else was touched but a line's
    # first character after a marker, escaped so it begins no block
    restored = re.sub(r"(?m)^(\s*)&#(\d+);", lambda m: m.group(1) + chr(int(m.group(2))), kept)
    restored = re.sub(r"(?m)^(\s*)\\(?=[`*_\[>#+!-])", r"\1", restored)
    assert len(restored) + sum(len(m) for *_, m in removed) <= len(text)
    assert strip_markers(kept, MARKERS)[1] == []  # none left outside code
    assert set(headings) <= {line for line, *_ in removed}
    assert "\\bibliographystyle" not in {m for *_, m in removed}
    # what is not a marker stays, but in the title of a heading that went with its empty section
    in_titles = sum(title.count("\\bibliographystyle") for title in headings.values())
    assert kept.count("\\bibliographystyle") + in_titles == text.count("\\bibliographystyle")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("bibtex_fildr:-[]{}'\"\n #./!@")), max_size=200))
def test_any_configuration_imports_or_is_refused(tmp_path: Path, tail: str) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        site = _site(Path(folder), "plugins:\n  - bibtex\n" + tail)
        try:
            read_mkdocs_bibtex(site, Path(folder))
        except ImportRefused as exc:
            assert exc.problem.code == "IMP001"


def test_the_summary_comes_after_the_findings_and_counts_them(tmp_path: Path) -> None:
    """It said "N thing(s) kept as written or left out: listed above, at their places"."""
    shutil.copytree(FIXTURE, tmp_path / "site")
    run = subprocess.run(
        [sys.executable, "-m", "litreview.cli", "import", "site", "-o", "out"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    lines = run.stdout.splitlines()
    findings = [i for i, line in enumerate(lines) if re.search(r":\d+:\d+: warning\[IMP\d+\]", line)]
    summary = lines.index(
        "  11 findings: 11 warnings (IMP011×4, IMP012×2, IMP013×5) (above, each at its line:col)"
    )
    assert run.returncode == 0 and len(findings) == 11 and max(findings) < summary, run.stdout


def test_the_build_advises_only_what_the_project_has_and_shows_no_banner(tmp_path: Path) -> None:
    """`litreview build` ended with "run 'make serve'" in a project without a Makefile, and
    Material's seven-line end-of-life banner came with every build."""
    shutil.copytree(FIXTURE, tmp_path / "site")
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}
    assert main(["import", str(tmp_path / "site"), "-o", str(tmp_path / "out")]) == 0
    built = subprocess.run(
        [sys.executable, "-m", "litreview.cli", "build"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert built.returncode == 0, built.stderr
    assert "end of life" not in built.stderr and "NO_MKDOCS_2_WARNING" not in built.stderr
    assert "run 'mkdocs serve'" in built.stdout and "make serve" not in built.stdout
    (tmp_path / "out" / "Makefile").write_text("serve:\n\tmkdocs serve\n", encoding="utf-8")
    again = subprocess.run(
        [sys.executable, "-m", "litreview.cli", "build"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert "run 'make serve'" in again.stdout, again.stderr


def test_a_warning_of_the_build_still_reaches_the_user(tmp_path: Path) -> None:
    """Turning the banner off hides no finding: an unknown key still fails the strict build."""
    shutil.copytree(FIXTURE, tmp_path / "site")
    assert main(["import", str(tmp_path / "site"), "-o", str(tmp_path / "out")]) == 0
    page = tmp_path / "out" / "content" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [@nosuchkey].\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}
    built = subprocess.run(
        [sys.executable, "-m", "litreview.cli", "build"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert built.returncode != 0 and "CIT001" in built.stderr and "nosuchkey" in built.stderr


def test_a_nav_link_is_kept_only_to_the_web(tmp_path: Path) -> None:
    nav = (
        "nav:\n  - Home: index.md\n  - Code: https://example.org/code\n  - Run: 'javascript://%0aalert(1)'\n"
    )
    site = _site(tmp_path, "plugins:\n  - bibtex:\n      bib_file: refs.bib\n" + nav)
    result = read_mkdocs_bibtex(site, tmp_path)
    assert result.nav_entries == (("Home", "index.md"), ("Code", "https://example.org/code"))
    assert [(p.line, p.col, p.code) for p in result.findings if "nav entry" in p.message] == [
        (7, 5, "IMP013")
    ]


def test_the_imported_projects_ci_builds_without_the_banner(imported: tuple[Path, str]) -> None:
    """CI runs `mkdocs build --strict` itself: the banner's switch is set for the whole job."""
    out, _ = imported
    workflow = yaml.safe_load(valid_workflow(out / ".github" / "workflows" / "ci.yml"))
    assert workflow["env"] == {"NO_MKDOCS_2_WARNING": "1"}


def test_plugins_as_a_mapping_pages_of_every_markdown_suffix_and_a_bib_dir_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = "plugins:\n  search: {}\n  bibtex:\n    bib_file: refs.bib\n    bib_dir: ..\n"
    site = _site(tmp_path, config + "nav:\n  - index.md\n  - notes.markdown\n")
    (site / "docs" / "notes.markdown").write_text("# Notes\n\nAs [@a] says.\n", encoding="utf-8")
    assert main(["import", str(site), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "mkdocs.yml:5:5: warning[IMP004] ..: outside the source folder" in err, err
    assert (tmp_path / "out" / "content" / "notes.md").read_text(
        encoding="utf-8"
    ) == "# Notes\n\nAs [@a] says.\n"
    config_out = (tmp_path / "out" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - index.md\n  - notes.md\n" in config_out and "bibliography: refs.bib\n" in config_out
