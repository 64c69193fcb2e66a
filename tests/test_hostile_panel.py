"""The panel ``mkdocs serve`` shows on a page names a key as written (issue 26).

A key with markup is shown as text; one with a control character (which a browser drops,
so ``zz<ESC>src`` read as ``zzsrc``, another key) shows it as ``\\x1b``. Keys are generated
and the panel read back with BeautifulSoup.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_process import base_project, litreview
from conftest import mkdocs_build
from litreview.commands.output import print_problems
from litreview.core.findings.problems import Problem
from litreview.core.references.reference_html import with_problems
from litreview.core.text.escaping import CONTROL, visible

PAGE = "<html><body><p>text</p></body></html>"


def _as_written(text: str) -> str:
    """Each control character as the four characters ``\\xNN``."""
    return "".join(f"\\x{ord(c):02x}" if CONTROL.fullmatch(c) else c for c in text)


_PIECES = [
    "<",
    ">",
    "&",
    "'",
    '"',
    "\x1b",
    "\x00",
    "\x7f",
    "\x85",
    "\x0c",
    "a",
    "é",
    "b>",
    "&amp;",
    "<img src=x>",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(_PIECES) | st.characters(blacklist_categories=["Cs", "Zs", "Zl", "Zp"]),
        min_size=1,
        max_size=8,
    ).map("".join)
)
def test_a_key_is_shown_as_written(key: str) -> None:
    problem = Problem("docs/a.md", 3, 5, "CIT001", f"unknown citation key '{key}'")
    html = with_problems(PAGE, "docs/a.md", [problem])
    panel = BeautifulSoup(html, "html.parser").select_one(".lr-serve-problems")
    assert panel is not None and len(panel.select("li")) == 1
    shown = panel.select_one("li code")
    assert shown is not None and shown.get_text() == _as_written(problem.format())
    assert not CONTROL.search(html)
    assert panel.find_all(True) == panel.select("p, strong, code, ul, li")  # no markup from the key


def test_a_finding_in_the_terminal_holds_no_control_character(tmp_path: Path) -> None:
    """``litreview check`` and the build print a key with ESC as ``\\x1b``: written raw, a
    terminal runs it (``ESC c`` resets it, ``ESC[2K`` erases the line: an error unseen in CI's log)."""
    project = base_project(tmp_path)
    page = project / "docs" / "sections" / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\nSee [@{zz\x1bcgone}].\n", encoding="utf-8")
    for proc in (
        litreview(project, "check"),
        mkdocs_build(project / "mkdocs.yml", tmp_path / "site", check=False),
    ):
        assert "unknown citation key 'zz\\x1bcgone'" in proc.stdout + proc.stderr, proc.stdout + proc.stderr
        assert not CONTROL.search(proc.stdout + proc.stderr)


def _unescaped(text: str) -> str:
    """GitHub's workflow-command escapes undone (actions/toolkit's command.ts)."""
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


@settings(max_examples=300, deadline=None)
@given(
    path=st.lists(
        st.sampled_from(["docs/a.md", ",", ":", "%", "%0A", "\n", "=", "::", "é", "\x1b"]),
        min_size=1,
        max_size=5,
    ).map("".join),
    message=st.lists(
        st.sampled_from(["key", "\n::error::forged", "\r", "%0A", "%", ",", ":", "::", "\x1b", "é"]),
        max_size=6,
    ).map("".join),
)
def test_a_github_annotation_is_one_command_whatever_its_text(path: str, message: str) -> None:
    """``--format github``: a line break in a message can't start a second workflow command,
    and a ``,`` or ``:`` in a path can't end its property."""
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        print_problems([Problem(path, 3, 5, "CIT001", message)], "github")
    out = printed.getvalue()
    assert out.count("\n") == 1 and not CONTROL.search(out)
    found = re.fullmatch(r"::error (file=[^,:]*),line=3,col=5,title=CIT001::(.*)\n", out)
    assert found is not None, out
    assert _unescaped(found[1][len("file=") :]) == visible(path) and _unescaped(found[2]) == visible(message)
