"""`litreview init`: a review that builds strictly and checks cleanly as written (issue 14).

Reported: there was no way to start a review; `litreview new` outside this repository failed
with `CFG001 … mkdocs.yml:0:0`, and `review:` demanded concepts with no taxonomy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build_in_process, valid_workflow
from litreview.cli import main

BASE_BIB = Path(__file__).parent / "checks" / "base" / "refs.bib"


def _init(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["init", *args])
    out, err = capsys.readouterr()
    return status, out, err


def _builds_and_checks(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_in_process(project / "mkdocs.yml", tmp_path / "built")
    monkeypatch.chdir(project)
    assert main(["check", "--strict"]) == 0


@pytest.mark.parametrize("structure", ["plain", "article"])
def test_init_makes_a_review_that_builds_and_checks(
    structure: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "demo"
    status, out, err = _init(capsys, str(project), "--title", "Pain: a review", "--structure", structure)
    assert (status, err) == (0, "")
    assert "created a review in" in out
    for rel in ("mkdocs.yml", "content/index.md", "references.bib", "content/references.md", ".gitignore"):
        assert (project / rel).is_file(), rel
    assert (project / ".github" / "workflows" / "ci.yml").is_file()
    assert (project / "CONTRIBUTING.md").is_file()
    assert "[@ivanova2025]" in (project / "content" / "index.md").read_text(encoding="utf-8")
    assert "site/" in (project / ".gitignore").read_text(encoding="utf-8").split()
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "font: false" in config and 'site_name: "Pain: a review"' in config
    assert ("\n      review:\n" in config) == (structure == "article")
    _builds_and_checks(project, tmp_path, monkeypatch)
    built = (tmp_path / "built" / "index.html").read_text(encoding="utf-8")
    assert 'data-lr-key="ivanova2025"' in built


def test_init_uses_an_existing_bibliography(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = tmp_path / "library" / "mine.bib"
    mine.parent.mkdir()
    shutil.copy(BASE_BIB, mine)
    project = tmp_path / "demo"
    status, _out, err = _init(capsys, str(project), "--bibliography", str(mine), "--author", "A. Author")
    assert (status, err) == (0, "")
    assert not (project / "references.bib").exists()
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert 'bibliography: "../library/mine.bib"' in config and 'site_author: "A. Author"' in config
    assert "[@ada2020]" in (project / "content" / "index.md").read_text(encoding="utf-8")  # its first key
    build_in_process(project / "mkdocs.yml", tmp_path / "built")
    monkeypatch.chdir(project)
    assert main(["check"]) == 0  # the entry not cited yet is a warning, not an error


def test_init_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "demo"
    project.mkdir()
    (project / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    status, out, err = _init(capsys, str(project))
    assert (status, out) == (2, "")
    assert f"{project.as_posix()}/mkdocs.yml:0:0: error[INIT001] already exists; init never overwrites" in err
    assert "nothing written" in err
    assert sorted(p.name for p in project.iterdir()) == ["mkdocs.yml"]
    assert (project / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--title", "two\nlines"], "litreview init:0:0: error[INIT001] --title must be one line of text"),
        (["--title", "   "], "litreview init:0:0: error[INIT001] --title must not be empty"),
        (["--author", "bell\x07"], "litreview init:0:0: error[INIT001] --author must be one line of text"),
        (["--bibliography", "no/such.bib"], "error[INIT001] --bibliography no/such.bib: no such file"),
    ],
)
def test_init_refuses_bad_options(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _init(capsys, str(tmp_path / "demo"), *args)
    assert (status, out) == (2, "")
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "demo").exists()


def test_init_into_a_folder_it_cannot_make(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    status, out, err = _init(capsys, str(blocker / "demo"))
    assert (status, out) == (2, "")
    assert "error[INIT001] cannot write the review: Not a directory" in err
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_a_failed_write_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """All or nothing: a write failing halfway (a full disk) removes what was written."""
    from litreview.core.files import atomic

    real = atomic.write_bytes
    calls = 0

    def failing(path: Path, data: bytes, expect: atomic.FileSnapshot | None = None) -> None:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise OSError(28, "No space left on device", str(path))
        real(path, data, expect)

    monkeypatch.setattr(atomic, "write_bytes", failing)
    project = tmp_path / "demo"
    status, _out, err = _init(capsys, str(project))
    assert status == 2 and "cannot write the review: No space left on device" in err
    assert not project.exists()


def test_the_new_reviews_workflow_is_a_valid_github_workflow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "demo"
    assert _init(capsys, str(project))[0] == 0
    text = valid_workflow(project / ".github" / "workflows" / "ci.yml")
    for needed in ("litreview check", "mkdocs build --strict", "litreview linkcheck", "actions/deploy-pages"):
        assert needed in text


def test_the_new_review_builds_under_zensical(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The stubs init writes are what Zensical needs: the same project, numbered and listed."""
    zensical = Path(sys.executable).with_name("zensical")
    if not zensical.exists():
        pytest.skip("zensical is not installed (it is in the dev lock)")
    project = tmp_path / "demo"
    assert _init(capsys, str(project))[0] == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    proc = subprocess.run(
        [str(zensical), "build"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stdout + proc.stderr
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert 'data-lr-key="ivanova2025"' in home
    references = (project / "site" / "references" / "index.html").read_text(encoding="utf-8")
    assert 'id="ref-ivanova2025"' in references


def test_new_works_without_review_concepts_when_there_is_no_taxonomy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`concepts` is required only when a taxonomy exists: a section `new` adds to an
    article-shaped review without one checks cleanly."""
    project = tmp_path / "demo"
    assert _init(capsys, str(project), "--structure", "article")[0] == 0
    monkeypatch.chdir(project)
    assert main(["new", "Second section"]) == 0
    page = project / "content" / "sections" / "second-section.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nThe second topic [@ivanova2025].\n", encoding="utf-8"
    )
    for name, text in (("index.md", "[Second section](sections/second-section.md) is next.\n"),
                       ("conclusion.md", "The Second section adds the rest.\n")):  # fmt: skip
        path = project / "content" / name
        path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--strict"]) == 0, capsys.readouterr()


def test_new_in_a_review_without_review_parts_adds_a_titled_page_to_nav(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`litreview new` works in any project: without `review:` the page goes into `nav`, with its
    title, before the generated pages, and it says what it did."""
    project = tmp_path / "demo"
    assert _init(capsys, str(project))[0] == 0
    monkeypatch.chdir(project)
    status = main(["new", "Methods: how we searched"])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    assert out == (
        "created content/methods-how-we-searched.md\n"
        "added methods-how-we-searched.md to nav in mkdocs.yml\n"
        "next: write the page, then run 'litreview check' to see what it still needs\n"
    )
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert config.endswith(
        '  - Home: index.md\n  - "Methods: how we searched": methods-how-we-searched.md\n'
        "  - References: references.md\n"
    )
    page = (project / "content" / "methods-how-we-searched.md").read_text(encoding="utf-8")
    assert page.startswith('---\ntitle: "Methods: how we searched"\n---\n\n# Methods')
    build_in_process(project / "mkdocs.yml", tmp_path / "built")
    assert main(["check"]) == 0


def test_new_without_nav_creates_the_page_and_says_mkdocs_lists_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "demo"
    assert _init(capsys, str(project))[0] == 0
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text[: text.index("nav:")], encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["new", "Methods"]) == 0
    out = capsys.readouterr().out
    assert "created content/methods.md\n" in out and "no nav in mkdocs.yml" in out
    assert config.read_text(encoding="utf-8") == text[: text.index("nav:")]


def test_new_outside_a_review_says_how_to_start_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reported: `litreview new` outside this repository failed with `CFG001 … mkdocs.yml:0:0`."""
    monkeypatch.chdir(tmp_path)
    status = main(["new", "Methods"])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert err == (
        "mkdocs.yml:0:0: error[NEW001] no mkdocs.yml here: start a review with 'litreview init', "
        "or name the configuration with -f\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_review_checks_only_the_parts_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reported: `review:` demanded a conclusion.md. Without `introduction` or `conclusion`,
    nothing is asked of pages that are not there; named, they are checked as before."""
    project = tmp_path / "demo"
    assert _init(capsys, str(project), "--structure", "article")[0] == 0
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("        conclusion: conclusion.md\n", "").replace(
            "  - Conclusion: conclusion.md\n", ""
        ),
        encoding="utf-8",
    )
    (project / "content" / "conclusion.md").unlink()
    monkeypatch.chdir(project)
    capsys.readouterr()
    assert main(["check", "--strict"]) == 0, capsys.readouterr()
    build_in_process(config, tmp_path / "built")
    # the Introduction is still checked, as it is named
    index = project / "content" / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace("(sections/first-section.md)", ""), encoding="utf-8"
    )
    assert main(["check"]) == 1
    assert "error[STR002]" in capsys.readouterr().out
