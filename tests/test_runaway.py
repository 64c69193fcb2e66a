"""Runaway inputs end with a clear answer within bounded time and memory (issue 11).

Each case runs the real command in a process with an address-space limit and a wall-clock
limit set far above what linear work needs (a fraction of a second here) and far below what
the old quadratic or exponential code took on the same input (minutes, or MemoryError).
These are limits on runaways, not speed goals: `make bench` measures speed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cli_process import base_project, litreview

BASE = Path(__file__).parent / "checks" / "base"
MEMORY = 1024 * 1024 * 1024  # 1 GiB of address space: the bombs reached 2.6 and 2.9 GB
SECONDS = 60


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return litreview(project, *args, memory=MEMORY, timeout=SECONDS)


def _add_page(project: Path, body: str) -> None:
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + body + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("body", "codes"),
    [
        ("[x " * 100_000, {"MD005"}),  # took 18 s at 10,000 before; quadratic
        ("[@ada2020 " * 50_000, {"CIT003", "MD005"}),  # 124 s at 20,000
        ("[a](" * 100_000, {"MD005"}),
        ("(@" * 100_000, set()),
        ("http://x.org/(@" + "(@" * 100_000, set()),
        ("[" * 50_000 + "@ada2020 " + "]" * 50_000, set()),
        # each run of backticks searched for its closing run to the end: 110 s at 100 KB
        ("[@ada2020; x " + " ".join("`" * n for n in range(1, 450)) + "]", {"CIT003"}),
        # each unclosed <? searched to the end: 49 s at 100 KB, past 60 s at 200 KB
        ("[@ada2020; x " + "<?" * 100_000 + "]", {"CIT003"}),
        # each comment never closed searched for its --> to the end: 61 s at 360 KB
        ("a <!-- " * 100_000 + "[@ada2020]", set()),
    ],
    ids=[
        "unclosed-brackets",
        "unclosed-citations",
        "unclosed-links",
        "at-signs",
        "url-at-signs",
        "nested",
        "backtick-runs",
        "unclosed-instructions",
        "unclosed-comments",
    ],
)
def test_check_is_linear_in_brackets(tmp_path: Path, body: str, codes: set[str]) -> None:
    project = base_project(tmp_path)
    _add_page(project, body)
    proc = _run(project, "check", "--format", "json")
    assert "Traceback" not in proc.stderr
    import json

    found = {p["code"] for p in json.loads(proc.stdout)} - {"STR002", "STR003"}
    assert found == codes


def test_string_macro_bomb(tmp_path: Path) -> None:
    project = base_project(tmp_path)
    bomb = "@string{s0 = {ab}}\n" + "".join(f"@string{{s{i} = s{i - 1} # s{i - 1}}}\n" for i in range(1, 120))
    bib = project / "refs.bib"
    bib.write_text(bomb + bib.read_text(encoding="utf-8"), encoding="utf-8")
    proc = _run(project, "check")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "error[BIB008] @string 's16' expands to more than 100,000 characters" in proc.stdout


def test_yaml_alias_bomb_in_front_matter_and_taxonomy(tmp_path: Path) -> None:
    project = base_project(tmp_path)
    bomb = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10)
    )
    page = project / "docs" / "sections" / "alpha.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("concepts:\n", bomb + "aliases: [*l9]\nconcepts:\n", 1)
    )
    taxonomy = project / "taxonomy.yml"
    taxonomy.write_text(bomb + taxonomy.read_text(encoding="utf-8"), encoding="utf-8")
    proc = _run(project, "check")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert (
        "error[FM001] front matter is not valid YAML: its aliases expand to more than 20,000 values"
        in proc.stdout
    )
    assert "error[TAX001]" in proc.stdout


def test_mapping_thousands_of_broken_links_back_to_markdown(tmp_path: Path) -> None:
    """5,000 broken links took 47 s with the sources (0.55 s without) before they were indexed."""
    project = base_project(tmp_path)
    links = "\n".join(f"- [link {i}](missing-{i}.md)" for i in range(5000))
    _add_page(project, links)
    site = tmp_path / "site"
    (site / "nowhere").mkdir(parents=True)
    html = "".join(f'<li><a href="missing-{i}.md">link {i}</a></li>\n' for i in range(5000))
    (site / "index.html").write_text(f"<html><body><ul>\n{html}</ul></body></html>\n", encoding="utf-8")
    proc = _run(project, "linkcheck", str(site))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = [line for line in proc.stdout.splitlines() if "SITE001" in line]
    assert len(lines) == 5000
    assert lines[0].startswith("docs/index.md:")  # mapped to the Markdown, not the HTML


def test_importing_deeply_nested_quotes(tmp_path: Path) -> None:
    """A line of 64 nested quote markers, and lines of every depth to it: the definition step's
    pattern took time doubling with each marker (7 minutes at 30, the third attack pass on
    04a056b)."""
    source = tmp_path / "src"
    source.mkdir()
    lines = ["> " * 64 + "a", *("> " * (i % 65) + f"a $x$ [w]: y {i}" for i in range(300))]
    (source / "review.qmd").write_text("---\ntitle: T\n---\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    proc = _run(tmp_path, "import", str(source / "review.qmd"), "-o", str(tmp_path / "out"))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr


def test_a_kept_pdf_of_many_links_is_checked_in_linear_time(tmp_path: Path) -> None:
    """The kept print's check looked back over the whole object before each link's address:
    one object of 40,000 links (as a tampered cache may hold) took 84 s; now well under one."""
    catalog = (
        b"<</Type /Catalog\n/Pages 2 0 R\n/Links [" + b"<</S /URI\n/URI (https://x)>> " * 40_000 + b"]>>"
    )
    objects = [catalog, b"<</Type /Pages\n/Kids []\n/Count 0>>"]
    data, offsets = b"%PDF-1.4\n%\xd3\xeb\xe9\xe1\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(data)
    data += b"xref\n0 3\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    data += b"trailer\n<</Size 3\n/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % table
    (tmp_path / "kept.pdf").write_bytes(data)
    check = "import sys; from litreview.core.printing.inert_pdf import is_inert as i; print(i(open(sys.argv[1], 'rb').read()))"
    proc = subprocess.run(
        [sys.executable, "-c", check, str(tmp_path / "kept.pdf")],
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=False,
    )
    assert proc.stdout.strip() == "True", proc.stderr
