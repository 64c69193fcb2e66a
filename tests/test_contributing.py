"""Contributing: `litreview new`, `fmt` and `diff` on temporary git repositories, and
CONTRIBUTING.md, whose every command is run here."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from litreview.cli import main

BASE = Path(__file__).parent / "checks" / "base"
BIN = ROOT / ".venv" / "bin"


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
        "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    }
    proc = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return proc.stdout


def repo_from(source: Path, dest: Path, files: list[str] | None = None) -> Path:
    """A git repository on branch main holding a copy of ``source`` (or the files under some of
    its names that git tracks there: a working copy's generated corpora stay out)."""
    if files is None:
        shutil.copytree(source, dest)
    else:
        dest.mkdir()
        tracked = git(source, "ls-files", "-z", "--", *files).split("\0")
        for name in filter(None, tracked):
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source / name, dest / name)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "start")
    return dest


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


# --- litreview new: the round trip -----------------------------------------------------------


def test_new_check_fix_check_ends_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = repo_from(BASE, tmp_path / "p")
    monkeypatch.chdir(project)
    assert run(capsys, "new", "Gamma pain") == (
        0,
        "created docs/sections/gamma-pain.md\n"
        "added sections/gamma-pain.md to nav and review.sections in mkdocs.yml\n"
        "next: write the section, then run 'litreview check' to see what it still needs\n",
        "",
    )
    assert git(project, "diff", "--", "mkdocs.yml").count("\n+ ") == 2  # one line in each list
    assert "+          - sections/gamma-pain.md" in git(project, "diff")  # review.sections: a path
    assert '+      - "Gamma pain": sections/gamma-pain.md' in git(project, "diff")  # nav: titled

    status, out, err = run(capsys, "check")
    assert status == 1
    assert out == (
        "docs/sections/gamma-pain.md:1:1: error[STR002] section 'Gamma pain' is not linked from the "
        "Introduction (docs/index.md); add a paragraph there that introduces it and links to this page\n"
        "docs/sections/gamma-pain.md:1:1: error[STR003] section 'Gamma pain' is not named in the Conclusion "
        "(docs/conclusion.md); mention it there as 'Gamma pain', or add the Conclusion's wording to 'aliases'\n"
        "docs/sections/gamma-pain.md:6:1: error[FM002] 'concepts' is empty: list the concepts this section "
        "discusses, by their ids in the taxonomy\n"
        "docs/sections/gamma-pain.md:9:1: warning[MD003] section 'Gamma pain' is empty\n"
    )
    assert err.endswith("3 error(s), 1 warning(s)\n")

    # The contributor fixes each finding, as the messages say.
    page = project / "docs" / "sections" / "gamma-pain.md"
    text = page.read_text(encoding="utf-8").replace("concepts: []", "concepts:\n  - inflammation")
    page.write_text(text + "\nGamma pain also follows inflammation [@ada2020].\n", encoding="utf-8")
    intro = project / "docs" / "index.md"
    intro.write_text(
        intro.read_text(encoding="utf-8")
        + "\nGamma pain is new. Read [Gamma pain](sections/gamma-pain.md).\n",
        encoding="utf-8",
    )
    conclusion = project / "docs" / "conclusion.md"
    conclusion.write_text(
        conclusion.read_text(encoding="utf-8").replace("beta pain are", "beta pain, and gamma pain, are"),
        encoding="utf-8",
    )
    assert run(capsys, "check", "--strict") == (0, "", "0 error(s), 0 warning(s)\n")


def test_new_refuses_what_it_cannot_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = repo_from(BASE, tmp_path / "p")
    monkeypatch.chdir(project)
    assert run(capsys, "new", "Alpha") == (
        2,
        "",
        "docs/sections/alpha.md:0:0: error[NEW001] 'sections/alpha.md' already exists; "
        "choose another title or --slug\n",
    )
    assert run(capsys, "new", "???") == (
        2,
        "",
        "litreview new:0:0: error[NEW001] cannot make a file name from the title '???'; pass --slug\n",
    )
    assert git(project, "status", "--porcelain") == ""  # nothing written


# --- litreview fmt ---------------------------------------------------------------------------

MESSY = """% A comment that heads the file.
@string{jpain = "Journal of Pain"}

@Article{zed2021,
    title = "Z{\\"u}rich {MRI} study",
  author={M{\\"u}ller, Anna and Stra\\ss e, Bob},
  year = 2021, journal = jpain,
  pages={1--9}
}

% About the next entry.
@book{abe2019,
  author    = {Abe, Kenji},
  title     = {A handbook},
  year      = {2019},
  publisher = {Example Press},
}
"""

TIDY = """% A comment that heads the file.

@string{jpain = "Journal of Pain"}

% About the next entry.
@book{abe2019,
  author    = {Abe, Kenji},
  title     = {A handbook},
  year      = {2019},
  publisher = {Example Press},
}

@article{zed2021,
  author  = {Müller, Anna and Straße, Bob},
  title   = {Zürich {MRI} study},
  journal = jpain,
  year    = {2021},
  pages   = {1--9},
}
"""


def _bib_project(tmp_path: Path, bib: str) -> Path:
    project = tmp_path / "p"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Home\n\nCited [@zed2021; @abe2019].\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - litreview\n", encoding="utf-8")
    (project / "references.bib").write_text(bib, encoding="utf-8")
    return project


def test_fmt_check_lists_then_fmt_writes_the_one_layout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _bib_project(tmp_path, MESSY)
    monkeypatch.chdir(project)
    assert run(capsys, "fmt", "--order", "key", "--check") == (
        1,
        "references.bib:4:1: 'zed2021' would be reformatted\n"
        "references.bib: entries would be sorted by key (first out of order: 'abe2019')\n",
        "",
    )
    assert (project / "references.bib").read_text(encoding="utf-8") == MESSY  # --check writes nothing
    assert run(capsys, "fmt", "--order", "key") == (
        0,
        "formatted references.bib: 1 entry changed, entries sorted by key\n",
        "",
    )
    assert (project / "references.bib").read_text(encoding="utf-8") == TIDY
    assert run(capsys, "fmt", "--order", "key", "--check") == (0, "", "")
    assert run(capsys, "fmt", "--order", "key") == (0, "", "")  # idempotent: nothing to do
    assert run(capsys, "check")[0] == 0


def test_fmt_changes_only_the_entry_that_needs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    almost = TIDY.replace("  pages   = {1--9},\n", '  pages = "1--9",\n')
    project = repo_from(_bib_project(tmp_path, almost), tmp_path / "repo")
    monkeypatch.chdir(project)
    assert run(capsys, "fmt")[0] == 0
    changed = [
        line
        for line in git(project, "diff", "-U0").splitlines()
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == ['-  pages = "1--9",', "+  pages   = {1--9},"]


def test_fmt_refuses_a_file_it_cannot_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = TIDY.replace("  publisher = {Example Press},\n}", "  publisher = {Example Press,\n}")
    project = _bib_project(tmp_path, broken)
    monkeypatch.chdir(project)
    status, out, err = run(capsys, "fmt")
    assert (status, out) == (1, "")
    assert err == "references.bib:6:1: error[BIB003] cannot parse this block; fix it before formatting\n"
    assert (project / "references.bib").read_text(encoding="utf-8") == broken


def test_fmt_keeps_the_iridia_bibliography_equivalent(tmp_path: Path) -> None:
    """Reformatting 3,305 real entries changes layout only: every field reads the same after."""
    from litreview.core.bibliography import loader as bib
    from litreview.core.tools.fmt import format_bib

    iridia = Path(__file__).parent / "fixtures" / "iridia"
    names = ["abbrev.bib", "journals.bib", "authors.bib", "articles.bib", "biblio.bib", "crossref.bib"]
    for name in names:
        once = format_bib((iridia / name).read_text(encoding="utf-8"), name).text
        assert format_bib(once, name).text == once, name
        (tmp_path / name).write_text(once, encoding="utf-8")
    before = bib.load([iridia / n for n in names])
    after = bib.load([tmp_path / n for n in names])

    def squeeze(ref: bib.Reference) -> dict[str, str]:
        return {k: " ".join(v.split()) for k, v in ref.text.items()}

    assert before.macros == after.macros and not after.problems
    assert {k: squeeze(r) for k, r in before.references.items()} == {
        k: squeeze(r) for k, r in after.references.items()
    }


# --- litreview diff --------------------------------------------------------------------------


def test_diff_lists_references_and_citations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = repo_from(BASE, tmp_path / "p")
    monkeypatch.chdir(project)
    bib = project / "refs.bib"
    text = (
        bib.read_text(encoding="utf-8")
        .replace("{2019}", "{2018}")
        .replace("  doi     = {10.1000/alpha.2020},\n", "")
    )
    bib.write_text(
        text
        + "\n@misc{carl2021,\n  author = {Carlsen, Carl},\n  title  = {Gamma pain},\n  year   = {2021},\n}\n",
        encoding="utf-8",
    )
    beta = project / "docs" / "sections" / "beta.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("[@bob2019]", "[@carl2021; @ada2020]"), "utf-8")
    git(project, "commit", "-q", "-am", "evidence")
    expected = (
        "## Evidence changes: main~1..main\n"
        "\n"
        "### References\n"
        "\n"
        "- **added** `carl2021`: Carlsen (2021) Gamma pain\n"
        "- **changed** `ada2020`:\n"
        "  - `doi` removed (was '10.1000/alpha.2020')\n"
        "- **changed** `bob2019`:\n"
        "  - `year`: '2019' → '2018'\n"
        "\n"
        "### Citations by page\n"
        "\n"
        "- `sections/beta.md`: +[@ada2020], +[@carl2021], −[@bob2019]\n"
        "\n"
        "### Pages\n"
        "\n"
        "- `sections/beta.md` changed (1 paragraph changed)\n"
    )
    assert run(capsys, "diff", "main~1", "main") == (0, expected, "")
    # Without HEAD: the working tree.
    (project / "docs" / "conclusion.md").write_text("# Conclusion\n\nNothing cited now.\n", encoding="utf-8")
    status, out, _ = run(capsys, "diff", "main")
    assert status == 0
    assert "- `conclusion.md`: −[@ada2020], −[@bob2019]\n" in out
    assert out.endswith("- `conclusion.md` changed (1 paragraph changed)\n")
    assert "No reference was added, removed or changed." in out


def test_diff_reports_a_bad_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(repo_from(BASE, tmp_path / "p"))
    status, out, err = run(capsys, "diff", "no-such-branch")
    assert (status, out) == (2, "")
    assert err.startswith("litreview diff:0:0: error[GIT001] ") and "no-such-branch" in err


# --- CONTRIBUTING.md, the repository files, and edit links -----------------------------------

PROJECT_FILES = [
    "Makefile", "mkdocs.yml", "references.bib", "taxonomy.yml", "requirements.lock",
    "pyproject.toml", "content", "overrides", "bench",
]  # fmt: skip


def _console_blocks() -> list[list[tuple[str, int]]]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        commands = []
        for line in block.splitlines():
            if line.startswith("$ "):
                status = re.search(r"exit status (\d+)", line)
                commands.append((line[2:].split("#")[0].strip(), int(status.group(1)) if status else 0))
        blocks.append(commands)
    return blocks


@pytest.mark.parametrize("block", range(len(_console_blocks())))
def test_every_command_in_contributing_runs(block: int, tmp_path: Path) -> None:
    repo = repo_from(ROOT, tmp_path / "p", PROJECT_FILES)
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "NO_MKDOCS_2_WARNING": "1"}
    for command, expected in _console_blocks()[block]:
        if command.startswith("make "):
            command += f" VENV={ROOT / '.venv'}"
        proc = subprocess.run(
            command, shell=True, cwd=repo, capture_output=True, text=True, env=env, check=False
        )
        assert proc.returncode == expected, f"{command}\n{proc.stdout}\n{proc.stderr}"
        assert "Traceback" not in proc.stderr


def test_contributing_covers_what_the_issue_asks() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needle in (
        "## Add a section",
        "## Cite",
        "## Add a reference",
        "**Key:**",
        "**Required fields**",
        "## What CI reports",
        "make serve",
    ):
        assert needle in text, needle
    commands = {c.split()[0] + " " + c.split()[1] for block in _console_blocks() for c, _ in block}
    assert {
        "litreview new",
        "litreview check",
        "litreview fmt",
        "litreview diff",
        "make check",
        "make site",
    } <= commands


def test_pull_request_template_and_pre_commit_config() -> None:
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert template.count("- [ ]") >= 4
    proc = subprocess.run(
        [str(BIN / "pre-commit"), "validate-config", ".pre-commit-config.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    config = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    for entry in ("litreview check --strict", "litreview fmt --order key --check", "ruff check"):
        assert f"entry: {entry}" in config


def test_edit_link_opens_each_page_source(built_site: Path) -> None:
    from bs4 import BeautifulSoup

    repo = "https://github.com/litreview/spinal-neuropathic-pain/edit/main/"
    expected = {
        "index.html": "content/index.md",
        "description/spinal-tumors/index.html": "content/description/spinal-tumors.md",
        "conclusion/index.html": "content/conclusion.md",
        "concepts/index.html": "taxonomy.yml",
        "map/index.html": "taxonomy.yml",
        "references/index.html": "references.bib",
    }
    for page, source in expected.items():
        soup = BeautifulSoup((built_site / page).read_text(encoding="utf-8"), "html.parser")
        edit = soup.select_one("a.md-content__button[href*='/edit/']")
        assert edit is not None and edit["href"] == repo + source, page
    for path in built_site.rglob("index.html"):
        if path.parent.name in ("search", "404") or "assets" in path.parts:
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        edit = soup.select_one("a.md-content__button[href*='/edit/']")
        if path.parent.name == "whats-new":  # made from git's tags: no file to edit, so no button
            assert edit is None
            continue
        assert edit is not None, path
