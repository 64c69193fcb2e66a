"""Hostile MyST / Jupyter Book sources through `litreview import` (the round's attack on MyST).

Every construct whose value is not HTML in MyST (labels, directive options and arguments,
roles' bodies, toc entries) gets payloads; the imported pages, rendered by Python-Markdown
with the new project's extensions, hold no element, attribute or URL from them. Paths the
toc and the config name (``..``, absolute, symlinks out) are not read.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.exceptions import MkDocsException

from conftest import build_in_process
from hostile.injection import injected
from hostile.test_latex_markdown import _renderer
from litreview.cli import main
from litreview.core.importers.myst import read_myst
from litreview.core.importers.project import files

PAYLOADS = [
    '"><img/src=x/onerror=alert(1)>',
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "https://x)![](javascript:alert(1)",
    'https://x"onerror=alert(1)',
    '" onmouseover="alert(1)',
    "x{: onclick=alert(1)}",
    "[x](javascript:alert(1))",
]
#: Constructs, ``{x}`` where the payload goes (``{l}``: as a label may be written, without
#: spaces or parentheses, else the line is no target but the page's own text): none of these
#: places is HTML in MyST (an admonition's title and a caption are Markdown, the author's own).
CONSTRUCTS = [
    "({l})=\n# Heading\n\nSee {{ref}}`{l}` and {{numref}}`Fig %s <{l}>` and {{numref}}`{{name}} <{l}>`.\n",
    "({l})=\n\nSee {{numref}}`Fig %s <{l}>` and {{ref}}`t <{l}>` and {{ref}}`{l}`.\n",
    "```{{figure}} {x}\n:name: {x}\n:alt: {x}\n:width: {x}\n\nCaption {{math}}`{x}`.\n```\n\n{{numref}}`{x}`\n",
    '```{{figure}} pic.png\n:name: {x}\n:alt: {x}\n:width: 10px" onload="alert(1)\n\nCap.\n```\n',
    "```{{image}} {x}\n:alt: {x}\n```\n",
    "```{{table}} {x}\n:name: {x}\n\n| a |\n|---|\n| b |\n```\n\n{{numref}}`T %s <{x}>`\n",
    "```{{math}}\n:label: {x}\n{x}\n```\n\n{{eq}}`{x}`\n",
    "```{{admonition}} Title\n:class: {x}\n\nbody\n```\n",
    "```{{code-cell}} {x}\nprint(1)\n```\n",
    "{{math}}`{x}` and {{py:class}}`{x}` and {{doc}}`{x}`\n",
    "```{{figure}} pic.png\n---\nname: {x}\nalt: {x}\nwidth: 10px\n---\nCap\n```\n",
]


def _filled(construct: str, payload: str) -> str:
    """A backtick would end a role early, the rest the page's own text: payloads have none."""
    payload = payload.replace("`", "")
    return construct.format(x=payload, l=re.sub(r"[()\s]", "", payload) or "x")


def _book(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "intro.md").write_text("# Intro\n\n" + body, encoding="utf-8", errors="surrogatepass")
    (folder / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: intro\n", encoding="utf-8")
    return folder


def _pages_are_clean(folder: Path) -> None:
    imported = read_myst(folder, folder)
    written = files(imported)
    config = yaml.safe_load(str(written["mkdocs.yml"]))
    md = _renderer(config)
    for name, text in imported.pages.items():
        html = md.reset().convert(text)
        assert not injected(html, images=True), (name, text, html)
        sources = {str(img.get("src")) for img in BeautifulSoup(html, "lxml").find_all("img")}
        assert all(s == "pic.png" or s.startswith("https://x") for s in sources), (name, text, html)


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_a_payload_in_a_myst_construct_stays_text(tmp_path: Path, construct: str, payload: str) -> None:
    _pages_are_clean(_book(tmp_path / "book", _filled(construct, payload)))


PIECES = [*PAYLOADS, "`", "{", "}", "<", ">", '"', "%s", "{name}", "(", ")", "=", "\n", " ", ":", "$", "\\"]


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.sampled_from(CONSTRUCTS),
            st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=5).map("".join),
        ),
        min_size=1,
        max_size=4,
    )
)
@example([(CONSTRUCTS[1], "<img/src=x/onerror=alert(1)>")])
# found by a local run: a lone CR ends the line (as MyST's reader and the import read it), so
# the payload after it was the figure's caption, the author's own Markdown, and no longer in
# the place under attack; each payload stays on the construct's line, whatever ends it
@example([(CONSTRUCTS[2], "\r<img src=x onerror=alert(1)>")])
# a math role ending in a backslash took arithmatex's closer: the body was live Markdown
@example([(CONSTRUCTS[9], "[x](javascript:alert(1))\\")])
def test_generated_payloads_in_myst_constructs_stay_text(document: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as made:
        body = "\n".join(_filled(c, re.sub(r"\r\n?|\n", " ", p)) for c, p in document)
        _pages_are_clean(_book(Path(made) / "book", body))


def test_payloads_built_by_mkdocs_stay_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole book built strictly, with litreview's own extension (citations) this time."""
    body = "\n".join(_filled(c, p) for c in CONSTRUCTS for p in PAYLOADS[:4])
    body += "\n".join(f"See {{cite:p}}`{p}` and {{cite:t}}`{p}`.\n" for p in PAYLOADS)
    _book(tmp_path / "src" / "book", body)
    cwd = os.getcwd()
    os.chdir(tmp_path / "src")
    try:
        assert main(["import", "book", "-o", "../out"]) == 0
    finally:
        os.chdir(cwd)
    with contextlib.suppress(AssertionError, MkDocsException):  # stopped for the unknown keys
        build_in_process(tmp_path / "out" / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert not injected(html, images=True)
    assert "Traceback" not in capsys.readouterr().err


# --- paths: the toc, the config and the pages name files outside the book ----------------------

CANARY = "CANARY-myst-3b1"


def _tree(base: Path) -> Path:
    (base / "secret.md").write_text(f"# Secret\n\n{CANARY}\n", encoding="utf-8")
    (base / "secret.bib").write_text(f"@misc{{s, title={{{CANARY}}}}}\n", encoding="utf-8")
    (base / "secret.png").write_bytes(CANARY.encode())
    book = base / "book"
    book.mkdir()
    (book / "intro.md").write_text("# Intro\n\n![x](up.png)\n\n![y](../secret.png)\n", encoding="utf-8")
    (book / "up.png").symlink_to(base / "secret.png")
    (book / "link.md").symlink_to(base / "secret.md")
    (book / "linkdir").symlink_to(base, target_is_directory=True)
    (book / "env.md").symlink_to("/proc/self/environ")
    (book / "fifo.md").parent.mkdir(exist_ok=True)
    os.mkfifo(book / "fifo.md")
    return book


TOC_ENTRIES = [
    "../secret", "../../secret", str(Path("/etc/passwd")), "/../secret", "link", "linkdir/secret",
    "env", "fifo", "/proc/self/environ", "intro/../../secret",
]  # fmt: skip
BIBS = ["../secret.bib", "/etc/passwd", "linkdir/secret.bib", "/../secret.bib", "/proc/self/environ"]


@pytest.mark.parametrize("entry", TOC_ENTRIES)
@pytest.mark.parametrize("kind", ["jb", "myst"])
def test_a_toc_or_bibliography_naming_a_file_outside_is_not_read(
    tmp_path: Path, entry: str, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    book = _tree(tmp_path)
    bib = BIBS[TOC_ENTRIES.index(entry) % len(BIBS)]
    if kind == "jb":
        toc = f"format: jb-book\nroot: intro\nchapters:\n  - file: {entry}\n  - glob: '*'\n  - glob: '../*'\n"
        (book / "_toc.yml").write_text(toc, encoding="utf-8")
        (book / "_config.yml").write_text(f"title: T\nbibtex_bibfiles:\n  - {bib}\n", encoding="utf-8")
    else:
        toc = f"project:\n  bibliography: [{bib}]\n  toc:\n    - file: intro.md\n    - file: {entry}\n    - pattern: '../*'\n"
        (book / "myst.yml").write_text(toc, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        status = main(["import", "book", "-o", "out"])
    finally:
        os.chdir(cwd)
    assert status in (0, 2)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    for top, _dirs, names in os.walk(tmp_path / "out"):
        for name in names:
            data = (Path(top) / name).read_bytes()
            assert CANARY.encode() not in data and b"PATH=" not in data and b"root:x:0:0" not in data, name


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ),
        "[" * 100_000,
        "- " * 50_000 + "x",
        "root: !!python/object/apply:os.system ['echo pwned']\n",
        "root: !!python/name:os.system\n",
        "root: intro\nchapters: " + "{a: " * 5000 + "1" + "}" * 5000 + "\n",
        "\x00\x01",
        "root: [intro]\nchapters: 3\nparts: {a: 1}\n",
    ],
)
def test_a_hostile_toc_is_a_finding_not_a_traceback(
    tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    book = _book(tmp_path / "book", "text\n")
    (book / "_toc.yml").write_text(text, encoding="utf-8")
    (book / "_config.yml").write_text(text, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        status = main(["import", "book", "-o", "out"])
    finally:
        os.chdir(cwd)
    assert status in (0, 2)
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "pwned").exists()


def test_an_escaped_angle_bracket_stays_text(tmp_path: Path) -> None:
    """``\\<`` is a literal ``<`` in MyST (CommonMark), a live tag's start to Python-Markdown."""
    _pages_are_clean(_book(tmp_path / "book", "Text \\<img src=x onerror=alert(1)> here.\n"))
