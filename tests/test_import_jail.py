"""`litreview import` on hostile sources (issue 26): the source tree is a jail, the import is
bounded, the output is all or nothing, and nothing from the source reaches the terminal raw.

Reported by an adversarial pass: images, inputs, chapters, includes and bibliographies named
paths above the source or symlinks out of it, so files outside ``-o`` were written and the
environment or /etc/passwd landed in the new project; fan-out and templates ran without end.
Each case runs the CLI on a tree built in tmp_path, with a canary file beside the source.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_process import litreview
from conftest import tree_digest
from litreview.cli import main

CANARY = "CANARY-0d5e1f outside the source"
ENVIRON = "/proc/self/environ"


def _tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _link(root: Path, rel: str, target: str | Path) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def _everything_but(folder: Path, out: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_relative_to(out)}


def _run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, out: str = "w/x/y/out"
) -> tuple[int, str, Path]:
    """Import ``source`` (relative to tmp_path) and assert the jail held: nothing appeared outside
    the output, nothing from outside the source (the canary, the environment, /etc/passwd) is in it."""
    (tmp_path / "canary.png").write_text(CANARY, encoding="utf-8")
    (tmp_path / "canary.bib").write_text(f"@misc{{c, title = {{{CANARY}}}}}\n", encoding="utf-8")
    (tmp_path / "canary.qmd").write_text(f"# {CANARY}\n", encoding="utf-8")
    (tmp_path / "canary.tex").write_text(f"\\section{{{CANARY}}}\n", encoding="utf-8")
    output = tmp_path / out
    output.parent.mkdir(parents=True, exist_ok=True)
    before = _everything_but(tmp_path, output)
    os.chdir(tmp_path)
    status = main(["import", source, "-o", out])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert _everything_but(tmp_path, output) == before, "import wrote outside -o"
    for path in output.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert CANARY.encode() not in data, path
            assert b"PATH=" not in data and b"root:x:0:0" not in data, path
    return status, err, output


@pytest.fixture(autouse=True)
def _back_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)


def test_latex_images_above_the_source_or_absolute_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tex = (
        "\\section{A}\n\\begin{figure}\\includegraphics{../../../canary.png}\\end{figure}\n"
        "\\begin{figure}\\includegraphics{/etc/passwd}\\end{figure}\n"
        "\\begin{figure}\\includegraphics{linked}\\end{figure}\n"
    )
    _tree(tmp_path, {"a/b/src/review.tex": tex})
    _link(tmp_path, "a/b/src/linked.png", tmp_path / "canary.png")
    status, err, _ = _run(tmp_path, capsys, "a/b/src/review.tex")
    assert status == 0
    assert "a/b/src/review.tex:2:15: warning[IMP004] ../../../canary.png: outside the source folder" in err
    assert "a/b/src/review.tex:3:15: warning[IMP004] /etc/passwd: outside the source folder" in err
    assert "a/b/src/review.tex:4:15: warning[IMP004] linked: outside the source folder" in err


def test_latex_inputs_out_of_the_tree_are_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tex = (
        "\\section{A}\n\\input{../canary}\n\\input{env}\n\\input{/proc/self/environ}\n\\bibliography{refs}\n"
    )
    _tree(tmp_path, {"src/review.tex": tex})
    _link(tmp_path, "src/env.tex", ENVIRON)
    _link(tmp_path, "src/refs.bib", tmp_path / "canary.bib")
    status, err, _ = _run(tmp_path, capsys, "src/review.tex")
    assert status == 0
    for line, name in ((2, "../canary"), (3, "env"), (4, "/proc/self/environ")):
        assert f"src/review.tex:{line}:1: warning[IMP004] {name}: " in err


def test_a_symlinked_main_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _link(tmp_path, "src/review.tex", ENVIRON)
    status, err, output = _run(tmp_path, capsys, "src/review.tex")
    assert status == 2 and "error[IMP001] cannot read: outside the source folder" in err
    assert not output.exists()


def test_quarto_chapters_includes_and_bibliographies_stay_in_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(
        tmp_path,
        {
            "book/_quarto.yml": (
                "project:\n  type: book\nbibliography: [/etc/passwd, ../canary.bib]\n"
                "book:\n  title: B\n  chapters:\n    - index.qmd\n    - ../../../evil.qmd\n    - ../canary.qmd\n"
            ),
            "book/index.qmd": (
                "---\nbibliography: /etc/shadow\n---\n# Home\n\n{{< include /proc/self/environ >}}\n"
                "{{< include ../canary.qmd >}}\n{{< include env.qmd >}}\n![](/etc/passwd)\n![](linked.png)\n"
            ),
        },
    )
    (tmp_path.parent / "evil.qmd").write_text(f"# {CANARY}\n", encoding="utf-8")
    _link(tmp_path, "book/env.qmd", ENVIRON)
    _link(tmp_path, "book/linked.png", tmp_path / "canary.png")
    status, err, output = _run(tmp_path, capsys, "book")
    assert status == 0
    assert not (tmp_path.parent / "evil.md").exists()
    assert "book/_quarto.yml:8:7: warning[IMP004] ../../../evil.qmd: outside the source folder" in err
    assert "book/_quarto.yml:3:29: warning[IMP004] ../canary.bib: outside the source folder" in err
    assert "book/index.qmd:7:1: warning[IMP004] ../canary.qmd: outside the source folder" in err
    assert "book/index.qmd:8:1: warning[IMP004] env.qmd: outside the source folder" in err
    assert "content/index.md:7:5: warning[IMP004] linked.png: outside the source folder" in err
    # a leading / is the project's root: there is no book/proc/self/environ, no book/etc/passwd
    home = (output / "content" / "index.md").read_text(encoding="utf-8")
    assert "{{< include /proc/self/environ >}}" in home
    assert not list(output.rglob("passwd"))


def test_manubot_chapters_and_tables_symlinked_out_are_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path, {"src/content/01.intro.md": "## Intro\n\nText.\n", "src/metadata.yaml": "title: T\n"})
    _link(tmp_path, "src/content/02.env.md", ENVIRON)
    _link(tmp_path, "src/content/03.canary.md", tmp_path / "canary.qmd")
    _link(tmp_path, "src/content/images/x.png", tmp_path / "canary.png")
    _link(tmp_path, "src/content/linked", tmp_path)
    status, err, _ = _run(tmp_path, capsys, "src")
    assert status == 0
    assert "src/content/02.env.md:0:0: warning[IMP004]" in err
    assert "src/content/03.canary.md:0:0: warning[IMP004]" in err


def test_output_inside_or_holding_the_source_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path, {"src/content/01.intro.md": "## Intro\n", "src/metadata.yaml": "title: T\n"})
    before = tree_digest(tmp_path / "src")
    for out in ("src", "src/content", "src/sub/out", "."):
        os.chdir(tmp_path)
        assert main(["import", "src", "-o", out]) == 2
        err = capsys.readouterr().err
        assert "error[IMP001]" in err and "source" in err, err
        assert tree_digest(tmp_path / "src") == before
    os.chdir(tmp_path / "src")
    assert main(["import", ".", "-o", "."]) == 2
    os.chdir(tmp_path)
    (tmp_path / "alias").symlink_to(tmp_path / "src", target_is_directory=True)
    for source, out in (("alias", "src/out"), ("src", "alias/out"), ("alias", "alias")):
        assert main(["import", source, "-o", out]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert tree_digest(tmp_path / "src") == before


def test_a_failed_write_leaves_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupted half way (a kill, Ctrl-C), the output folder is not there at all."""
    from litreview.core.files import atomic

    _tree(tmp_path, {"src/review.tex": "\\section{A}\nText.\n\\section{B}\nMore.\n"})
    real = atomic.write_bytes
    written: list[Path] = []

    def interrupted(path: Path, data: bytes, expect: atomic.FileSnapshot | None = None) -> None:
        if len(written) == 3:
            raise KeyboardInterrupt
        written.append(path)
        real(path, data, expect)

    monkeypatch.setattr(atomic, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        main(["import", "src/review.tex", "-o", "out"])
    assert written and not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src"]


def test_control_characters_in_names_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _tree(tmp_path, {"src/\x1b[31mred.tex": "\\section{A}\n\\input{\x1b[2Jgone}\n\\mystery\x07\n"})
    assert main(["import", "src/\x1b[31mred.tex", "-o", "out\x1b[0m"]) == 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "src/\\x1b[31mred.tex:2:1: warning[IMP002] \\input{\\x1b[2Jgone} (no such file)" in err


def test_a_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    """A 3 GB .tex (sparse: no disk) under a 1 GB address space: a refusal, no MemoryError."""
    (tmp_path / "src").mkdir()
    with (tmp_path / "src" / "big.tex").open("wb") as big:
        big.truncate(3 * 1024**3)
    proc = litreview(tmp_path, "import", "src/big.tex", "-o", "out", memory=1024**3, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "src/big.tex:0:0: error[IMP001] the source is larger than an import reads" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()


def test_latex_beyond_what_is_converted_is_refused(tmp_path: Path) -> None:
    """3 MiB of LaTeX (the parser took 108 s for 4 MiB): refused at once, in one file or inputs."""
    line = "Words of a review with \\cite{key} and \\textbf{bold} text.\n"
    _tree(tmp_path, {"src/big.tex": "\\section{Big}\n" + line * (3 * 1024**2 // len(line))})
    # each part under the bound, the two over it: counted across inputs (the first is converted)
    sizes = {"src/part0.tex": 64 * 1024, "src/part1.tex": 2 * 1024**2 - 32 * 1024}
    _tree(tmp_path, {rel: line * (size // len(line)) for rel, size in sizes.items()})
    _tree(tmp_path, {"src/main.tex": "\\input{part0}\n\\input{part1}\n"})
    for main_file, where in (("big.tex", "src/big.tex:1:1"), ("main.tex", "src/part1.tex:1:1")):
        proc = litreview(tmp_path, "import", f"src/{main_file}", "-o", "out", memory=1024**3, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert f"{where}: error[IMP001] more LaTeX than an import converts (2 MiB in all)" in proc.stderr
        assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()


def test_latex_input_fan_out_is_bounded(tmp_path: Path) -> None:
    """Ten \\input of the next file, twelve levels: no cycle, 10^12 reads without a bound."""
    files = {f"src/l{i}.tex": f"\\input{{l{i + 1}}}\n" * 10 for i in range(12)}
    files["src/l12.tex"] = "x\n"
    files["src/main.tex"] = "\\section{Fan}\n\\input{l0}\n"
    _tree(tmp_path, files)
    proc = litreview(tmp_path, "import", "src/main.tex", "-o", "out", memory=1024**3, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "(more than 500 inputs and includes in one import)" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_quarto_include_fan_out_is_bounded(tmp_path: Path) -> None:
    files = {f"src/l{i}.qmd": f"{{{{< include l{i + 1}.qmd >}}}}\n" * 10 for i in range(12)}
    files["src/l12.qmd"] = "x\n"
    files["src/index.qmd"] = "# Fan\n\n{{< include l0.qmd >}}\n"
    _tree(tmp_path, files)
    proc = litreview(tmp_path, "import", "src/index.qmd", "-o", "out", memory=1024**3, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "(more than 500 inputs and includes in one import)" in proc.stderr


@pytest.mark.parametrize(
    "template",
    [
        '{{ "a" * 10**10 }}',
        "{% for i in range(10**6) %}{% for j in range(10**6) %}x{% endfor %}{% endfor %}",
        "{{ 1 / 0 }}",
        "{{ title.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{% set x = 1 %}",
        "{% macro m() %}{% endmacro %}",
        "{{ title|format(1) }}",
        "{{ title|truncate(1, end='abcdef') }}",
    ],
)
def test_manubot_templates_evaluate_only_lookups_and_loops(tmp_path: Path, template: str) -> None:
    """What allocates, loops without end, raises or reaches Python keeps the chapter as written."""
    chapter = "## Intro\n\nBy {{ authors[0].name }} in {{ title }}.\n\n" + template + "\n"
    _tree(
        tmp_path,
        {
            "src/content/01.intro.md": chapter,
            "src/content/metadata.yaml": "title: T\nauthors:\n  - name: Ada\n",
        },
    )
    proc = litreview(tmp_path, "import", "src", "-o", "out", memory=1024**3, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    page = (tmp_path / "out" / "content" / "intro.md").read_text(encoding="utf-8")
    assert page == "# " + chapter[3:]
    assert "src/content/01.intro.md:5:1: warning[IMP002] Jinja2 template kept as text" in proc.stderr


def test_manubot_loops_and_output_are_bounded(tmp_path: Path) -> None:
    many = "xs:\n" + "".join(f"  - {i}\n" for i in range(1000)) + "big: " + "b" * 100_000 + "\n"
    loops = "{% for a in xs %}{% for b in xs %}{% for c in xs %}{% endfor %}{% endfor %}{% endfor %}"
    output = "{% for a in xs %}{% for b in xs %}{% if b == 1 %}{{ big }}{{ big }}{% endif %}{% endfor %}{% endfor %}"
    _tree(
        tmp_path,
        {
            "src/content/01.loops.md": "## Loops\n\n" + loops + "\n",
            "src/content/02.output.md": "## Output\n\n" + output + "\n",
            "src/content/03.fine.md": (
                "## Fine\n\n{% for v2, authors in manubot.authors|groupby('v2') %}"
                "{% if v2|length %}{{ v2 }}: {% for a in authors %}{{ a.name }}{% if not loop.last %}, "
                "{% endif %}{% endfor %}. {% endif %}{% endfor %}\n"
            ),
            "src/content/metadata.yaml": many
            + "authors:\n  - {name: Ada, v2: Wrote}\n  - {name: Bo, v2: Wrote}\n  - {name: Cy, v2: ''}\n",
        },
    )
    proc = litreview(tmp_path, "import", "src", "-o", "out", memory=1024**3, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (
        "01.loops.md:3:1: warning[IMP002] Jinja2 template kept as text: its loops take more than"
        in proc.stderr
    )
    assert (
        "02.output.md:0:0: warning[IMP002] Jinja2 template kept as text: it renders to more than"
        in proc.stderr
    )
    fine = (tmp_path / "out" / "content" / "fine.md").read_text(encoding="utf-8")
    assert fine == "# Fine\n\nWrote: Ada, Bo. "  # as Jinja2 renders it: no final line end


def test_an_output_folder_with_a_symlink_out_is_not_written_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path, {"src/review.tex": "\\section{A}\n"})
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "content").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert main(["import", "src/review.tex", "-o", "out"]) == 2
    err = capsys.readouterr().err
    assert "error[IMP001]" in err and "leads outside out (a symlink)" in err and "Traceback" not in err
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["content"]


@pytest.mark.parametrize("rel", ["../x", "ABSOLUTE", "a/../../x", "", "a\\..\\..\\x", "content/../../x"])
def test_a_file_named_out_of_the_folder_is_never_written(tmp_path: Path, rel: str) -> None:
    """The writer's own guard, whatever an importer computes: nothing lands outside the folder."""
    from litreview.core.tools import starter

    rel = (tmp_path / "x").as_posix() if rel == "ABSOLUTE" else rel
    for folder in (tmp_path / "new" / "out", tmp_path / "there"):
        (tmp_path / "there").mkdir(exist_ok=True)
        before = _everything_but(tmp_path, folder)
        with pytest.raises(starter.InitError, match="outside the folder"):
            starter.create(folder, {"mkdocs.yml": "a: 1\n", rel: "escaped\n"}, "IMP001")
        assert _everything_but(tmp_path, folder) == before
        assert not (tmp_path / "new").exists()


_TEMPLATE_PIECES = [
    "{{", "}}", "{%", "%}", "{##", "##}", "{#", "#}", " for ", " in ", " if ", " endfor ", " endif ",
    " else ", " elif ", "title", "authors", "xs", "a", ".name", "[0]", "['name']", "|groupby('v2')",
    "|length", "|truncate(3)", "|truncate(1, end='abc')", "|join(', ')", "(", ")", "*", "**", "~", "range", "__class__", "_x",
    " is defined", "loop.last", " not ", "==", "'", '"', "\n", "-", "set", "macro", "raw", "endraw",
    " recursive", "loop(", "self", "super()", "include", "[", "]", ",", "1", "v2",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TEMPLATE_PIECES), max_size=24).map("".join))
def test_any_template_renders_or_is_refused(text: str) -> None:
    """Whatever a chapter holds, rendering gives text or the reason it is kept, nothing else."""
    from litreview.core.importers import templates

    metadata = {"title": "T", "authors": [{"name": "A", "v2": "x"}], "xs": list(range(50))}
    try:
        rendered = templates.render(text, metadata)
    except templates.Refused as refused:
        assert str(refused)
    else:
        assert isinstance(rendered, str)


def test_quarto_reads_a_leading_slash_as_the_project_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(
        tmp_path,
        {
            "book/_quarto.yml": "book:\n  chapters:\n    - /sub/page.qmd\nbibliography: /refs/r.bib\n",
            "book/sub/page.qmd": "# Page\n\n{{< include /parts/x.qmd >}}\n",
            "book/parts/x.qmd": "Included from the root.\n",
            "book/refs/r.bib": "@misc{r, title = {R}}\n",
        },
    )
    assert main(["import", "book", "-o", "out"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    page = (tmp_path / "out" / "content" / "sub" / "page.md").read_text(encoding="utf-8")
    assert page == "# Page\n\nIncluded from the root.\n"
    assert (tmp_path / "out" / "r.bib").read_text(encoding="utf-8") == "@misc{r, title = {R}}\n"


def test_the_byte_budget_holds_across_files(tmp_path: Path) -> None:
    from litreview.core.importers.imported import ImportRefused
    from litreview.core.importers.jail import Jail

    _tree(tmp_path, {"a": "12345", "b": "12345678", "big": "x" * 20})
    os.mkfifo(tmp_path / "fifo")
    jail = Jail(tmp_path, tmp_path, max_bytes=10)
    assert jail.read_bytes(tmp_path / "a", "a") == b"12345"
    for name, why in (
        ("b", "larger than an import reads"),
        ("big", "larger"),
        ("fifo", "not a regular file"),
    ):
        with pytest.raises(ImportRefused, match=why):
            jail.read_bytes(tmp_path / name, name)
    assert jail.left == 5


def test_manubot_content_folder_named_reads_its_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Named by its content/ folder, the manuscript is the repository: metadata.yaml beside it is
    read, and a symlink out of the repository is still refused."""
    _tree(tmp_path, {"src/content/01.intro.md": "## Intro\n", "src/metadata.yaml": "title: Beside\n"})
    _link(tmp_path, "src/output/references.json", tmp_path / "canary.json")
    (tmp_path / "canary.json").write_text(f'[{{"id": "{CANARY}"}}]', encoding="utf-8")
    assert main(["import", "src/content", "-o", "out"]) == 0
    err = capsys.readouterr().err
    assert 'site_name: "Beside"' in (tmp_path / "out" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "src/output/references.json:0:0: warning[IMP004]" in err
    assert CANARY not in (tmp_path / "out" / "references.json").read_text(encoding="utf-8")


SHM = Path("/dev/shm")


@pytest.mark.skipif(not (SHM.is_dir() and os.access(SHM, os.W_OK)), reason="no writable /dev/shm here")
def test_a_source_on_a_ram_disk_is_read_like_any_other(capsys: pytest.CaptureFixture[str]) -> None:
    """/dev/shm holds regular files (CI runners and containers keep work there): only /proc and
    /sys, whose files pass for regular, are refused by where they are; a device by what it is."""
    import tempfile

    from litreview.core.importers.jail import Jail

    with tempfile.TemporaryDirectory(dir=SHM) as held:
        folder = Path(held)
        _tree(folder, {"src/review.tex": "\\section{On a RAM disk}\nText.\n"})
        status, err, output = _run(folder, capsys, "src/review.tex")
        assert status == 0, err
        assert "On a RAM disk" in "".join(p.read_text(encoding="utf-8") for p in output.rglob("*.md"))
        assert Jail(folder, folder).why_not(folder / "src" / "review.tex") is None
    assert Jail(Path("/proc/self"), Path("/")).why_not(Path("/proc/self/status")) == "a system file"
    assert Jail(Path("/dev"), Path("/")).why_not(Path("/dev/null")) == "not a regular file"


def test_every_line_end_is_read_as_one(tmp_path: Path) -> None:
    """A lone carriage return ends a line for TeX, pandoc and Python-Markdown alike: read as
    anything else, a line of math or code in a block quote went on, unquoted, as live Markdown
    (hostile/test_latex_markdown.py found it)."""
    from litreview.core.importers.jail import Jail

    (tmp_path / "review.tex").write_bytes(b"a\rb\r\nc\n\rd")
    assert Jail(tmp_path, tmp_path).read_text(tmp_path / "review.tex", "review.tex") == "a\nb\nc\n\nd"
