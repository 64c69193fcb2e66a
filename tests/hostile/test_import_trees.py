"""Generated hostile source trees through `litreview import`, one test per importer (issue 26).

Each tree mixes what broke the import before: ``..`` and absolute paths, symlinks to a canary
file and folder beside the source, to /proc/self/environ and /dev/zero, symlink loops, FIFOs,
and inputs/includes that fan out. Whatever is drawn, the import ends (0 or 2, no exception)
within an alarm, writes nothing outside ``-o``, and nothing from outside the source (the
canary, the environment, /etc/passwd) reaches the new project.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litreview.cli import main

CANARY = "CANARY-7f3a91 beside the source"
SUFFIXES = ("", ".tex", ".qmd", ".md", ".png", ".bib")
#: What a generated construct may name: files of the tree, the specials, and ways out of it.
NAMES = [
    "a", "b", "sub/c", "sub/../a", "/a", "link", "linkdir/canary", "env", "dev", "fifo", "loop",
    "../canary", "../../canary", "../src/a", "/etc/passwd", "/proc/self/environ", "/dev/zero",
]  # fmt: skip
SECONDS = 50


def _specials(folder: Path, base: Path) -> None:
    """Symlinks out of the tree, a loop and a FIFO, under every suffix a construct may add."""
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in SUFFIXES:
        for name, target in (
            ("link", base / f"canary{suffix}"),
            ("env", Path("/proc/self/environ")),
            ("dev", Path("/dev/zero")),
            ("loop", folder / f"loop{suffix}"),
        ):
            (folder / f"{name}{suffix}").symlink_to(target)
        os.mkfifo(folder / f"fifo{suffix}")
    (folder / "linkdir").symlink_to(base, target_is_directory=True)


def _canaries(base: Path) -> None:
    for suffix in (*SUFFIXES, ".yaml", ".json", ".tsv"):
        (base / f"canary{suffix}").write_text(f"{CANARY}\n", encoding="utf-8")


@contextlib.contextmanager
def _alarm() -> Iterator[None]:
    def stop(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"import ran over {SECONDS} s (blocked on a FIFO, or without a bound)")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _names(folder: Path) -> set[str]:
    """Every entry under ``folder``, symlinks not followed and nothing opened."""
    found = set()
    for top, dirs, files in os.walk(folder):
        found.update(os.path.relpath(os.path.join(top, n), folder) for n in dirs + files)
    return found


def _import_is_jailed(tmp_path: Path, build: Callable[[Path, Path], str]) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as made:
        base = Path(made)
        _canaries(base)
        source = build(base / "src", base)
        before = _names(base)
        cwd = os.getcwd()
        os.chdir(base)
        try:
            with _alarm():
                status = main(["import", source, "-o", "w/out"])
        finally:
            os.chdir(cwd)
        assert status in (0, 2)
        assert {n for n in _names(base) if n != "w" and not n.startswith("w/")} == before, "wrote outside -o"
        assert all(n == "out" or n.startswith("out/") for n in _names(base / "w")), "wrote beside -o"
        for top, _dirs, files in os.walk(base / "w"):
            for name in files:
                data = (Path(top) / name).read_bytes()
                assert CANARY.encode() not in data and b"PATH=" not in data and b"root:x:0:0" not in data


def _text(pieces: list[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.builds(lambda p, n: p.replace("X", n), st.sampled_from(pieces), st.sampled_from(NAMES)),
        st.sampled_from(["\n", "text ", "\n\n"]),
    )
    return st.lists(piece, max_size=24).map("".join)


LATEX = [
    "\\input{X}\n", "\\include{X}\n", "\\begin{figure}\\includegraphics{X}\\end{figure}\n",
    "\\bibliography{X}\n", "\\addbibresource{X}\n", "\\section{S}\n", "\\input{a}\\input{b}\n",
]  # fmt: skip
QUARTO = ["{{< include X >}}\n", "![](X)\n", "[l](X.qmd)\n", "# H\n", "{{< include a.qmd >}}\n"]
MANUBOT = ["{{ title }}\n", "![](X)\n", "{% for a in authors %}{{ a.name }}{% endfor %}\n", "[@tag:x]\n"]
_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


@_SETTINGS
@given(st.dictionaries(st.sampled_from(["a.tex", "b.tex", "sub/c.tex"]), _text(LATEX), min_size=1))
def test_latex_trees(tmp_path: Path, files: dict[str, str]) -> None:
    def build(src: Path, base: Path) -> str:
        _specials(src, base)
        (src / "sub").mkdir()
        for rel, text in {"a.tex": "\\section{A}\n", **files}.items():
            (src / rel).write_text(text, encoding="utf-8")
        return "src/a.tex"

    _import_is_jailed(tmp_path, build)


@_SETTINGS
@given(
    st.dictionaries(st.sampled_from(["a.qmd", "b.qmd", "sub/c.qmd"]), _text(QUARTO), min_size=1),
    st.lists(st.sampled_from(NAMES), max_size=4),
    st.lists(st.sampled_from(NAMES), max_size=3),
)
def test_quarto_trees(tmp_path: Path, files: dict[str, str], chapters: list[str], bibs: list[str]) -> None:
    def build(src: Path, base: Path) -> str:
        _specials(src, base)
        (src / "sub").mkdir()
        listed = "".join(f"    - {c}.qmd\n" for c in ["a", *chapters])
        config = f"book:\n  title: T\n  chapters:\n{listed}bibliography: [{', '.join(bibs)}]\n"
        (src / "_quarto.yml").write_text(config, encoding="utf-8")
        for rel, text in files.items():
            front = f"---\nbibliography: {bibs[0]}\n---\n" if bibs else ""
            (src / rel).write_text(front + text, encoding="utf-8")
        return "src"

    _import_is_jailed(tmp_path, build)


@_SETTINGS
@given(
    st.dictionaries(st.sampled_from(["01.a.md", "02.b.md"]), _text(MANUBOT), min_size=1),
    st.sets(st.sampled_from(["metadata.yaml", "references.json", "citations.tsv", "citation-tags.tsv"])),
    st.sampled_from(["link", "env", "fifo", "dev", "loop"]),
)
def test_manubot_trees(tmp_path: Path, files: dict[str, str], linked: set[str], special: str) -> None:
    def build(src: Path, base: Path) -> str:
        content = src / "content"
        _specials(content, base)
        (content / "images").mkdir()
        (content / "images" / "x.png").symlink_to(base / "canary.png")
        (content / f"03.{special}.md").symlink_to(content / f"{special}.md")
        for name in linked:
            where = content if name.endswith((".yaml", ".tsv")) else src
            suffix = Path(name).suffix
            (where / name).symlink_to(base / f"canary{suffix}" if special == "link" else content / special)
        for rel, text in files.items():
            (content / rel).write_text("## Chapter\n\n" + text, encoding="utf-8")
        return "src"

    _import_is_jailed(tmp_path, build)


@pytest.fixture(autouse=True)
def _quiet(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    yield
    assert "Traceback" not in capsys.readouterr().err
