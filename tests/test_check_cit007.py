"""Issue 28 §1: a citation neither rendered nor reported is CIT007 in `check` and in the build
alike. The build knows what the Markdown engine rendered; `check` converts each page with the
same engine and the project's Markdown extensions (no MkDocs), so it reports the same losses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cli_process import base_project, with_extensions
from litreview.cli import main
from realworld import build_collecting
from test_citation_invariant import CITES, CONTEXTS

_CIT007 = re.compile(r"^(?P<place>\S+:\d+:\d+): error\[CIT007\] citation of '(?P<key>[^']+)'")
#: Contexts whose citations only the conversion loses: a footnote read as a link definition
#: without the footnotes extension, a definition list read as text without def_list.
LOST_IN_CONVERSION = [
    'Text[^{n}].\n\n[^{n}]: https://x.org "A note {c}"',
    '[ref{n}]: https://x.org "Title {c}"',
]
EXTENSIONS = ["footnotes", "tables", "def_list", "md_in_html", "abbr", "admonition"]


def _check_cit007(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> set[tuple[str, str]]:
    monkeypatch.chdir(project)
    main(["check", "--format", "json"])
    found = json.loads(capsys.readouterr().out)
    return {
        (f"{f['path']}:{f['line']}:{f['col']}", re.search(r"'([^']+)'", f["message"]).group(1))  # type: ignore[union-attr]
        for f in found
        if f["code"] == "CIT007"
    }


def _build_cit007(project: Path, site: Path) -> set[tuple[str, str]]:
    logged, _state = build_collecting(project / "mkdocs.yml", site)
    return {(m.group("place"), m.group("key")) for m in map(_CIT007.match, logged) if m}


def _project(tmp_path: Path, extensions: list[str], placed: list[tuple[str, str]]) -> Path:
    project = base_project(tmp_path)
    with_extensions(project, *extensions)
    page = project / "docs" / "conclusion.md"
    blocks = [context.format(c=cite, n=n) for n, (context, cite) in enumerate(placed)]
    page.write_text(page.read_text(encoding="utf-8") + "\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
    return project


def test_check_reports_a_citation_only_the_conversion_loses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the footnotes extension, Python-Markdown reads the footnote as a link definition
    and drops its title: the build said CIT007, `check` said nothing."""
    project = _project(tmp_path, [], [(LOST_IN_CONVERSION[0], "[@ada2020]")])
    built = _build_cit007(project, tmp_path / "site")
    assert built and {key for _place, key in built} == {"ada2020"}
    assert _check_cit007(project, monkeypatch, capsys) == built


@settings(
    max_examples=8,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each example is a build
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    extensions=st.lists(st.sampled_from(EXTENSIONS), unique=True),
    placed=st.lists(
        st.tuples(st.sampled_from(CONTEXTS + LOST_IN_CONVERSION), st.sampled_from(CITES)),
        min_size=1,
        max_size=8,
    ),
)
def test_check_and_build_report_the_same_citations_as_cit007(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extensions: list[str],
    placed: list[tuple[str, str]],
) -> None:
    tmp_path = tmp_path_factory.mktemp("agree")
    project = _project(tmp_path, extensions, placed)
    assert _check_cit007(project, monkeypatch, capsys) == _build_cit007(project, tmp_path / "site")
