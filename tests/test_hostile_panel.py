"""The panel ``mkdocs serve`` shows on a page names a key as written (issue 26).

A key with markup is shown as text; one with a control character (which a browser drops,
so ``zz<ESC>src`` read as ``zzsrc``, another key) shows it as ``\\x1b``. Keys are generated
and the panel read back with BeautifulSoup.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview.core.project.escaping import CONTROL
from litreview.core.project.problems import Problem
from litreview.core.references.render import with_problems

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
