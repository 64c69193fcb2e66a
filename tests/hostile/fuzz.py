"""Generated hostile projects through `litreview check` and a strict build, in this process.

Run by tests/test_hostile_suite.py in a child process with an address-space limit; each
case also has a wall-clock limit (SIGALRM). A case passes when the check exits 0, 1 or 2
and the build ends or fails with MkDocs' own error, with no other exception, in time.
Pieces are drawn from what broke the tools before: brackets, macros, aliases, control
characters, placeholders, HTML. Usage: python fuzz.py CHECK_EXAMPLES BUILD_EXAMPLES
"""

from __future__ import annotations

import contextlib
import io
import logging
import resource
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BASE = Path(__file__).resolve().parents[1] / "checks" / "base"
SECONDS = 30
MEMORY = 2 * 1024**3

BIB_PIECES = [
    "@article{", "@string{", "@preamble{", "@comment{", "}", "{", '"', ",", " = ", " # ", "\n", "%",
    "ada2020", "k<script>", "title", "author", "doi", "url", "crossref", "s0", "s1", "s1 # s1",
    "\\'e", '{\\"u}', "\\~", "$x^2$", "\x00", "\x07", "<img src=x onerror=alert(1)>", "10.1000/x",
    "javascript:alert(1)", "and", "--", "\\url{http://x/\\~a}", "é", "\u202e",
]  # fmt: skip
MD_PIECES = [
    "[@ada2020]", "[@bob2019; @ada2020, p. 3]", "@ada2020", "[@", "]", "[", "](", ")", "@{k<b>}",
    "[-@ada2020]", "`", "```\n", "\n\n", "\n", "    ", "<div>", "</div>", "<!--", "-->", "<script>",
    "![alt [@ada2020]](x.png)", "[^1]", "[^1]: note [@bob2019]", "!!! note\n    ", "{#id}", "# ", "## ",
    "| a | b |\n|---|---|\n", "\\[", "\\@", "\x02klzzwxh:1\x03", "\x00", "é", "[x ", "(@",
]  # fmt: skip
FM_PIECES = [
    "title: ", "short_title: ", "aliases: ", "concepts: ", "order: ", "&a ", "*a", "[", "]", "{", "}",
    ": ", "- ", "\n", "'", '"', "!!python/name:os.system", "<script>", "1", "null", "a", "inflammation",
]  # fmt: skip


# Whole attacks as pieces: exponential macros, an alias bomb, a paragraph of unclosed brackets.
STRING_BOMB = "@string{s0 = {ab}}\n" + "".join(
    f"@string{{s{i} = s{i - 1} # s{i - 1}}}\n" for i in range(1, 40)
)
ALIAS_BOMB = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10)
)
BRACKETS = "[x " * 20_000 + "[@ada2020 " * 10_000


def _joined(pieces: list[str], size: int) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(pieces), st.text(max_size=6))
    return st.lists(piece, max_size=size).map("".join)


class Runaway(Exception):
    """A case ran past its time limit."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise Runaway(f"a case ran longer than {SECONDS} s")


def _project(root: Path, bib: str, front: str, page: str, latin1: bool) -> Path:
    shutil.copytree(BASE, root)
    base_bib = (BASE / "refs.bib").read_text(encoding="utf-8")
    (root / "refs.bib").write_bytes((bib + "\n" + base_bib).encode("utf-8", "surrogatepass"))
    index = root / "docs" / "index.md"
    text = f"---\n{front}\n---\n" + index.read_text(encoding="utf-8") + page
    index.write_bytes(text.encode("utf-8", "surrogatepass") + (b"\nCaf\xe9\n" if latin1 else b""))
    return root / "mkdocs.yml"


def _check(config: Path) -> None:
    from litreview.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        status = main(["check", "-f", str(config)])
    assert status in (0, 1, 2), status


def _build(config: Path, site: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with contextlib.suppress(MkDocsException):  # a build stopped with its findings is an answer
        build(load_config(config_file=str(config), strict=True, site_dir=str(site)))


def _case(bib: str, front: str, page: str, latin1: bool, with_build: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = _project(Path(tmp) / "p", bib, front, page, latin1)
        signal.alarm(SECONDS)
        try:
            _check(config)
            if with_build:
                _build(config, Path(tmp) / "site")
        finally:
            signal.alarm(0)


def main(check_examples: int, build_examples: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    signal.signal(signal.SIGALRM, _alarm)
    logging.disable(logging.CRITICAL)  # MkDocs' own log lines are not what is tested here

    def limits(examples: int) -> settings:
        return settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )

    bib = _joined([*BIB_PIECES, STRING_BOMB], 60)
    front = _joined([*FM_PIECES, ALIAS_BOMB, "aliases: [*l9]\n"], 30)
    # Python-Markdown itself is quadratic in unclosed brackets (MD005 warns); the build gets none.
    page_checked, page_built = _joined([*MD_PIECES, BRACKETS], 80), _joined(MD_PIECES, 80)

    @limits(check_examples)
    @given(bib, front, page_checked, st.booleans())
    def check_only(bib: str, front: str, page: str, latin1: bool) -> None:
        _case(bib, front, page, latin1, with_build=False)

    @limits(build_examples)
    @given(bib, front, page_built, st.booleans())
    def check_and_build(bib: str, front: str, page: str, latin1: bool) -> None:
        _case(bib, front, page, latin1, with_build=True)

    check_only()
    check_and_build()
    print(
        f"hostile inputs: {check_examples} checked, {build_examples} checked and built, no crash, no runaway"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
