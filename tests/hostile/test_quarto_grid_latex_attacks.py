"""Hostile grid tables (Quarto, through pandoc) and LaTeX macro bombs (the round's attacks on
core/importers/pandocmd.py's grid tables and core/importers/latexmacros.py).

Grid tables: a cell holding the marker the converter splits pandoc's answer on, escaped tags,
raw HTML attributes and many rows: the import ends, each table in its place, and escaped text
stays text. Macros: self-calling, fan-out and argument bombs, and ``\\input`` through a macro:
refused (IMP001) or converted, never a hang, a traceback or a read outside the source.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hostile.injection import injected
from hostile.test_latex_markdown import _renderer
from litreview.cli import main
from litreview.core.importers import latexmacros
from litreview.core.importers.imported import ImportRefused
from litreview.core.importers.latexsyntax import MAX_LATEX
from litreview.core.importers.project import files, read


def _grid(*cells: str) -> str:
    width = max(len(c) for c in cells) + 2
    border = "+" + "-" * width + "+"
    rows = [border.replace("-", "=") if i == 1 else border for i in range(len(cells) + 1)]
    out = [rows[0]]
    for i, cell in enumerate(cells):
        out += [f"| {cell.ljust(width - 2)} |", rows[i + 1]]
    return "\n".join(out)


CELLS = [
    ("Head", "<!-- litreview: next table -->"),
    ("Head", "\\<img src=x onerror=alert(1)>"),
    ("Head", "`<img src=x onerror=alert(1)>`"),
    ("Head", "&lt;img src=x onerror=alert(1)&gt;"),
    ("Head", "$<img src=x onerror=alert(1)>$"),
    ("Head", "```{=html}"),
]  # (a link to javascript: with {onclick=…} is live in Quarto's own site too: the author's markup)


@pytest.mark.parametrize("cells", CELLS, ids=range(len(CELLS)))
def test_a_hostile_grid_table_cell_stays_text(tmp_path: Path, cells: tuple[str, ...]) -> None:
    body = f"# Intro\n\n{_grid(*cells)}\n\nBetween.\n\n{_grid('A', 'b')}\n\nAfter.\n"
    path = tmp_path / "review.qmd"
    path.write_text(f"---\ntitle: T\n---\n\n{body}", encoding="utf-8")
    imported = read([path], tmp_path)
    config = yaml.safe_load(str(files(imported)["mkdocs.yml"]))
    md = _renderer(config)
    for name, page in imported.pages.items():
        html = md.reset().convert(page)
        assert not injected(html), (name, page, html)
        if name == "review.md":
            assert page.index("Between.") < page.index("After."), page


def test_a_grid_table_of_many_rows_is_converted_or_kept(tmp_path: Path) -> None:
    rows = [f"row {i}" for i in range(20_000)]
    path = tmp_path / "review.qmd"
    path.write_text(f"---\ntitle: T\n---\n\n# I\n\n{_grid('Head', *rows)}\n", encoding="utf-8")
    imported = read([path], tmp_path)
    page = imported.pages["review.md"]
    assert "row 19999" in page


BOMBS = {
    "self": "\\def\\a{\\a\\a}\n\\a\n",
    "fan": "\\def\\a{\\a\\a\\a\\a\\a\\a\\a\\a\\a\\a}\n\\a\n",
    "args": "\\newcommand{\\a}[1]{#1#1#1#1#1#1#1#1}\n" + "\\a{" * 12 + "x" + "}" * 12 + "\n",
    "nine": "\\newcommand{\\a}[9]{#1#2#3#4#5#6#7#8#9#1#2#3#4#5#6#7#8#9}\n" + "\\a" * 9 + "{x}" * 200 + "\n",
    "chain": "".join(
        f"\\newcommand{{\\m{chr(97 + i)}}}{{\\m{chr(98 + i)}\\m{chr(98 + i)}}}\n" for i in range(25)
    )
    + "\\mz\n\\ma\n",
    "input": "\\newcommand{\\f}{/etc/passwd}\\input{\\f}\n\\def\\g{../secret}\\input{\\g}\\include{\\g}\n",
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_macro_bomb_is_refused_or_converted(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "secret.tex").write_text("CANARY-tex-77\n", encoding="utf-8")
    (tmp_path / "src").mkdir()
    doc = "\\documentclass{article}\\begin{document}\n" + BOMBS[name] + "\\end{document}\n"
    (tmp_path / "src" / "review.tex").write_text(doc, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        status = main(["import", "src/review.tex", "-o", "out"])
    finally:
        os.chdir(cwd)
    err = capsys.readouterr().err
    assert status in (0, 2) and "Traceback" not in err
    assert status == 0 or "IMP001" in err
    for top, _dirs, names in os.walk(tmp_path / "out"):
        for file in names:
            data = (Path(top) / file).read_bytes()
            assert b"CANARY-tex-77" not in data and b"root:x:0:0" not in data


def _expanded(text: str, limit: int) -> object:
    """What expanding ``text`` gives: the text, its map back and what was skipped, or the refusal."""
    try:
        done = latexmacros.expand(text, {}, frozenset(), limit, "review.tex")
    except ImportRefused as refused:
        return refused.problem
    return done.text, done.starts, done.origins, done.skipped


@pytest.mark.parametrize("name", list(BOMBS))
def test_a_macro_bomb_costs_a_few_expansions_not_its_size_bound(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bomb of 2**32 calls was expanded half a million times, until it filled the size bound,
    before being refused: the same text at the same depth is now expanded once."""
    calls = 0
    original = latexmacros._Expander.expand

    def counted(self: latexmacros._Expander, text: str, depth: int) -> str:
        nonlocal calls
        calls += 1
        return original(self, text, depth)

    monkeypatch.setattr(latexmacros._Expander, "expand", counted)
    _expanded(BOMBS[name], MAX_LATEX)
    assert calls <= 4 * latexmacros.MAX_DEPTH


_PIECES = st.sampled_from(["\\a", "\\b", "\\c", "#1", "#2", "x", "{x}", "[y]", "{\\a}", "\\b\\b"])


@settings(max_examples=150, deadline=None)
@given(
    defs=st.lists(
        st.tuples(
            st.sampled_from("abc"),
            st.sampled_from(["", "[1]", "[2]", "[2][d]"]),
            st.lists(_PIECES, max_size=4).map("".join),
        ),
        max_size=4,
    ),
    uses=st.lists(_PIECES, max_size=6).map("".join),
    limit=st.sampled_from([0, 40, 400, 100_000]),
)
@example(defs=[("a", "", "\\b"), ("b", "", "x")], uses="\\a", limit=100_000)  # defined after use
@example(  # the same text, expanded at the depth bound first and then above it
    defs=[("a", "", "\\a\\b"), ("b", "", "\\c"), ("c", "", "y")], uses="\\a", limit=100_000
)
def test_remembering_an_expansion_changes_nothing_it_gives(
    defs: list[tuple[str, str, str]], uses: str, limit: int
) -> None:
    """Expanding with and without the remembered expansions gives the same text, map, skipped
    definitions and refusals (the memory is the only difference, and it is only a shortcut)."""
    text = "".join(f"\\newcommand{{\\{n}}}{a}{{{b}}}\n{uses}\n" for n, a, b in defs) + uses
    remembered = _expanded(text, limit)

    class Forgetful(dict[tuple[str, int], tuple[str, int, bool]]):
        def __setitem__(self, key: tuple[str, int], value: tuple[str, int, bool]) -> None:
            pass

    original = latexmacros._Expander.__init__

    def forgetting(self: latexmacros._Expander, *args: object) -> None:
        original(self, *args)  # type: ignore[arg-type]
        self.memory = Forgetful()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(latexmacros._Expander, "__init__", forgetting)
        assert _expanded(text, limit) == remembered
