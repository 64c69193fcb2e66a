"""Where pages ask for a systematic review's diagram and tables (issue 31): a table's slot on a
page while its option is not set is a finding (SYS040), as a diagram's slot without ``prisma``
is (SYS012); a slot placed twice on one page is a finding (SYS041), and the page still holds
each id once. ``litreview check``, the MkDocs build and the Zensical session report them alike."""

from __future__ import annotations

import logging
import shutil
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_in_process
from litreview.cli import main
from litreview.core.systematic import page_slots

FIXTURE = Path(__file__).parent / "fixtures" / "systematic"
SLOTS = {name: f'<div data-lr-slot="{name}"></div>' for name in page_slots.NAMES}
ALL_SET = {"prisma": True, "studies": True, "findings": True}


def _found(texts: dict[str, str], configured: dict[str, bool]) -> list[tuple[str, int, int, str]]:
    found = page_slots.slot_problems(texts, {}, configured)
    return [(p.path, p.line, p.col, p.code) for p in found]


@pytest.mark.parametrize("name", ["studies", "findings"])
@pytest.mark.parametrize(
    "written",
    [
        '<div data-lr-slot="{}"></div>',
        "<div class='x' data-lr-slot='{}'>\n</div>",
        "<div data-lr-slot={}></div>",
    ],
)
def test_a_table_slot_without_its_option_is_a_finding_at_its_place(name: str, written: str) -> None:
    text = f"# Results\n\nText.\n\n  {written.format(name)}\n"
    assert _found({"r.md": text}, {**ALL_SET, name: False}) == [("r.md", 5, 3, "SYS040")]
    assert _found({"r.md": text}, ALL_SET) == []
    other = "findings" if name == "studies" else "studies"
    assert _found({"r.md": text}, {**ALL_SET, other: False}) == []  # the other table's option


@pytest.mark.parametrize("name", ["studies", "findings"])
def test_a_slot_in_a_code_block_asks_for_nothing(name: str) -> None:
    text = f"# How\n\n```html\n{SLOTS[name]}\n```\n\n    {SLOTS[name]}\n\nInline `{SLOTS[name]}`.\n"
    assert _found({"how.md": text}, {}) == []


@pytest.mark.parametrize("name", page_slots.NAMES)
def test_comments_hide_slots_as_markdown_reads_them(name: str) -> None:
    """The slots are the build's, so its Python-Markdown says what a comment is: ``<!-->``
    opens one (pandoc reads it as text), and one never closed is text."""
    text = f"# R\n\n<!-->\n\n{SLOTS[name]}\n\n-->\n\n{SLOTS[name]}\n\n<!-- never closed\n\n{SLOTS[name]}\n"
    assert page_slots.places(text) == {name: [(9, 1), (13, 1)]}


@pytest.mark.parametrize("name", page_slots.NAMES)
def test_a_slot_twice_on_one_page_is_a_finding_at_the_second(name: str) -> None:
    text = f"# R\n\n{SLOTS[name]}\n\nMore.\n\n{SLOTS[name]}\n\n{SLOTS[name]}\n"
    assert _found({"r.md": text}, ALL_SET) == [("r.md", 7, 1, "SYS041"), ("r.md", 9, 1, "SYS041")]
    once = {"a.md": f"# A\n\n{SLOTS[name]}\n", "b.md": f"# B\n\n{SLOTS[name]}\n"}
    assert _found(once, ALL_SET) == []  # once on each of two pages: no finding


def _review(tmp_path: Path, drop: str = "", results: str = "") -> Path:
    project = tmp_path / "review"
    shutil.copytree(FIXTURE, project)
    config = project / "mkdocs.yml"
    if drop:
        text = config.read_text(encoding="utf-8").replace(f"      {drop}: {drop}.csv\n", "")
        config.write_text(text, encoding="utf-8")
    if results:
        (project / "content" / "results.md").write_text(results, encoding="utf-8")
    return project


@pytest.mark.parametrize("name", ["studies", "findings"])
def test_check_and_the_build_report_a_table_slot_without_its_option(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    project = _review(tmp_path, drop=name)
    line = next(
        n
        for n, text in enumerate((project / "content" / "results.md").read_text().splitlines(), 1)
        if f'"{name}"' in text
    )
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 0  # a warning
    assert f"content/results.md:{line}:1: warning[SYS040]" in capsys.readouterr().out
    with caplog.at_level(logging.INFO):  # a warning: the build logs it, as it logs SYS012
        build_in_process(project / "mkdocs.yml", tmp_path / "site")
    assert f"content/results.md:{line}:1: warning[SYS040] this page asks for the" in caplog.text


def test_the_zensical_session_reports_it_as_the_check_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import markdown

    from litreview.markdown_ext import makeExtension

    project = _review(tmp_path, drop="findings")
    monkeypatch.chdir(project)
    with caplog.at_level(logging.WARNING):
        markdown.markdown(
            (project / "content" / "results.md").read_text(encoding="utf-8"),
            extensions=["tables", makeExtension(config_file=str(project / "mkdocs.yml"))],
        )
    assert "content/results.md:14:1: warning[SYS040]" in caplog.text


def test_a_table_twice_on_a_page_shows_once_and_each_id_is_given_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    twice = f"# Results\n\n{SLOTS['studies']}\n\n{SLOTS['findings']}\n\n## Again\n\n{SLOTS['studies']}\n"
    project = _review(tmp_path, results=twice)
    assert main(["check", "-f", str(project / "mkdocs.yml")]) == 0  # a warning
    assert "content/results.md:9:1: warning[SYS041]" in capsys.readouterr().out
    with caplog.at_level(logging.INFO):
        build_in_process(project / "mkdocs.yml", tmp_path / "site")
    assert "content/results.md:9:1: warning[SYS041]" in caplog.text
    soup = BeautifulSoup((tmp_path / "site" / "results" / "index.html").read_text("utf-8"), "html.parser")
    ids = Counter(str(el["id"]) for el in soup.select("[id]"))
    assert [i for i, n in ids.items() if n > 1] == []
    assert len(soup.select("table.lr-studies-table")) == 1
