"""The in-process build helper builds what ``mkdocs build --strict`` builds, fails where it fails,
and leaves nothing behind for the next build in the same process."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest

from conftest import build_in_process, build_outcome, mkdocs_build, tree_digest
from test_check_cases import make_project, parse_expected

CHECKS = Path(__file__).parent / "checks"
#: A finding as the build logs it, without the level's prefix (``WARNING -  `` on stderr).
FINDING = re.compile(r"\S*:\d+:\d+: (?:error|warning)\[[A-Z]+\d+\] .*")
#: What ``mkdocs build`` prints at WARNING or ERROR, or as the CLI's ``Error:``, without the prefix.
REPORTED = re.compile(r"^(?:(?:WARNING|ERROR) +-  |Error: )(.*)$", re.M)


def _project(tmp_path: Path, case: str | None = None) -> Path:
    """The checks' clean base project, with one case's files over it."""
    project = tmp_path / "project"
    shutil.copytree(CHECKS / "base", project)
    if case is not None:
        shutil.copytree(CHECKS / "cases" / case / "docs", project / "docs", dirs_exist_ok=True)
    return project


def test_the_same_site_as_the_subprocess_build(tmp_path: Path) -> None:
    project, date = _project(tmp_path), {"SOURCE_DATE_EPOCH": "1751241600"}  # the page's build date
    build_in_process(project / "mkdocs.yml", tmp_path / "in-process", extra_env=date)
    mkdocs_build(project / "mkdocs.yml", tmp_path / "subprocess", extra_env=date)
    assert tree_digest(tmp_path / "in-process") == tree_digest(tmp_path / "subprocess")


@pytest.mark.parametrize("case", ["cit001-unknown-key", "cit003-malformed"])
def test_a_finding_fails_it_as_strict_fails_the_cli_and_leaks_into_no_later_build(
    tmp_path: Path, case: str
) -> None:
    """That the CLI exits 1 on a page's finding is shown below, once for that path."""
    handlers = list(logging.getLogger("mkdocs").handlers)
    bad = _project(tmp_path / "bad", case)
    with pytest.raises(AssertionError, match=r"strict mode") as failure:
        build_in_process(bad / "mkdocs.yml", tmp_path / "bad-site")
    assert "error[CIT00" in str(failure.value)  # the finding is in the message
    assert logging.getLogger("mkdocs").handlers == handlers  # no counter or recorder left behind
    build_in_process(_project(tmp_path / "good").joinpath("mkdocs.yml"), tmp_path / "good-site")
    assert (tmp_path / "good-site" / "references" / "index.html").is_file()


def test_it_returns_what_the_build_logged_with_a_logged_exceptions_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests that read the subprocess's stderr for ``Traceback`` read this log instead: a
    plugin's ``log.exception`` must show its traceback there as it does on stderr."""
    from mkdocs.commands import build as mkdocs_build_module

    original = mkdocs_build_module.build

    def build_that_logs_an_exception(config: object, **kwargs: object) -> None:
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("mkdocs.plugins.litreview").info("caught", exc_info=True)
        original(config, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(mkdocs_build_module, "build", build_that_logs_an_exception)
    log = build_in_process(_project(tmp_path).joinpath("mkdocs.yml"), tmp_path / "site")
    assert "INFO: caught" in log
    assert "Traceback (most recent call last)" in log and "ValueError: boom" in log
    assert "INFO: Documentation built in" in log


@pytest.mark.parametrize(
    "case",
    [
        "cit001-unknown-key",  # a page's finding, then strict's abort
        "bib008-macro-bomb",  # several findings of the bibliography, read before the pages
        "lnk001-missing-file",  # MkDocs's own warning, not the plugin's
        "cfg006-unknown-code",  # the plugin's error (BuildError), no abort by strict
        "cfg002-bad-yaml",  # a config that does not parse: load_config's error, no build
    ],
)
def test_the_outcome_fails_where_the_cli_fails_with_the_same_findings(tmp_path: Path, case: str) -> None:
    """Tests about the findings read :func:`build_outcome` in place of the subprocess: it fails
    where ``mkdocs build --strict`` exits non-zero, and logs the same findings, each in full.
    One case for each way a build fails (each a subprocess); that the in-process outcome fails
    on every other case's fault is test_check_build_agree's (BIB005, MD001, SYS001, TAX001, ...
    take the first path: a finding logged, strict's abort)."""
    folder = CHECKS / "cases" / case
    project = make_project(folder, tmp_path, parse_expected(folder / "expected.txt"))
    cli = mkdocs_build(project / "mkdocs.yml", tmp_path / "cli", check=False)
    built = build_outcome(project / "mkdocs.yml", tmp_path / "in-process")
    assert cli.returncode == 1 and built.failed, (cli.stderr, built.log)
    assert sorted(FINDING.findall(built.log)) == sorted(FINDING.findall(cli.stderr)), (cli.stderr, built.log)
    reported = REPORTED.findall(cli.stderr)  # each finding, a bad config's message, a plugin's error
    assert reported and all(message in built.log for message in reported), (cli.stderr, built.log)


def test_the_outcome_of_a_clean_build_is_no_failure(tmp_path: Path) -> None:
    built = build_outcome(_project(tmp_path).joinpath("mkdocs.yml"), tmp_path / "site")
    assert not built.failed and "INFO: Documentation built in" in built.log
