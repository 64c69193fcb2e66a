"""The PDF prints only the site's own files (issue 26): nothing from the machine that builds it.

A page's ``<iframe>``, ``<object>``, ``<embed>``, ``<img>``, style ``url()``, ``@import`` or
``<link>`` that names a local file outside the built site (``file:///etc/passwd``, ``../x``,
a symlink inside the site that points out) is refused by the printer; the PDF is read back
with pypdf and never holds the file's text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from cli_process import base_project
from conftest import mkdocs_build
from litreview.core.printing import engine

SECRET = "LEAKED-SECRET-4d1c"
PASSWD = "root:x:0:0"

pytestmark = pytest.mark.skipif(
    isinstance(engine.find(), str) or "root:x:0:0" not in Path("/etc/passwd").read_text(encoding="utf-8"),
    reason="needs a Chromium and an /etc/passwd to try to leak",
)


def _hostile_html(secret: Path) -> str:
    """Every way a page can ask the browser to load a file: absolute, relative, through a link."""
    out = []
    for target in (
        "file:///etc/passwd",
        secret.as_uri(),
        "../secret.txt",
        "inside-link.txt",
        "linked-dir/secret.txt",
    ):
        out += [
            f'<iframe src="{target}" width="600" height="300"></iframe>',
            f'<object data="{target}" type="text/plain" width="600" height="300"></object>',
            f'<embed src="{target}" type="text/plain" width="600" height="300">',
            f'<img src="{target}" alt="img">',
            f"<div style=\"background-image: url('{target}'); width: 10px; height: 10px\"></div>",
            f'<link rel="stylesheet" href="{target}">',
            f'<style>@import url("{target}");</style>',
        ]
    out.append('<iframe src="own.txt" width="600" height="100"></iframe>')  # the site's own: shown
    # each its own HTML block: pandoc (and so litreview) reads `@import` inside a <style> that
    # continues a block of inline HTML as a citation, but a <style> block's text as raw
    return "\n\n".join(out)


def _text(pdf: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(pdf).pages)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    return secret


def test_the_printer_loads_nothing_outside_the_folder_it_prints(tmp_path: Path, outside: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "own.txt").write_text("OWN-FILE-SHOWN\n", encoding="utf-8")
    (site / "inside-link.txt").symlink_to("/etc/passwd")
    (site / "linked-dir").symlink_to(tmp_path / "dir", target_is_directory=True)
    found = engine.find()
    assert not isinstance(found, str)
    document = f"<!doctype html><html><body><h1>Print</h1>{_hostile_html(outside)}</body></html>"
    engine.print_pdf(found, document, site, site / "out.pdf", "A4")
    text = _text(site / "out.pdf")
    assert PASSWD not in text and SECRET not in text
    assert "OWN-FILE-SHOWN" in text  # the site's own files still print
    assert sorted(p.name for p in site.iterdir()) == ["inside-link.txt", "linked-dir", "out.pdf", "own.txt"]


def test_a_built_review_with_hostile_embeds_prints_no_local_file(tmp_path: Path, outside: Path) -> None:
    project = base_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      bibliography: refs.bib\n", "      bibliography: refs.bib\n      pdf: true\n"
        ),
        encoding="utf-8",
    )
    page = project / "docs" / "sections" / "alpha.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n\n" + _hostile_html(outside) + "\n", encoding="utf-8"
    )
    (project / "docs" / "own.txt").write_text("OWN-FILE-SHOWN\n", encoding="utf-8")
    proc = mkdocs_build(config, tmp_path / "site")
    made = tmp_path / "site" / "check-fixture.pdf"
    assert made.is_file(), proc.stderr
    text = _text(made)
    assert PASSWD not in text and SECRET not in text
    assert "OWN-FILE-SHOWN" in text


_PIECES = st.sampled_from(
    [
        "..",
        ".",
        "",
        "own.txt",
        "out",
        "inside-link.txt",
        "linked-dir",
        "secret.txt",
        "%2e%2e",
        "%2F",
        "a\x00b",
        "é",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    scheme=st.sampled_from(["http://litreview.print.invalid", "file://", "https://example.org", "data:", ""]),
    pieces=st.lists(_PIECES, max_size=6),
)
def test_only_files_inside_the_site_are_served(
    tmp_path_factory: pytest.TempPathFactory, scheme: str, pieces: list[str]
) -> None:
    """Whatever the address, the printer serves a file of the site or nothing."""
    root = tmp_path_factory.getbasetemp() / "site-file"
    site = root / "site"
    if not site.exists():
        (root / "out").mkdir(parents=True)
        (root / "secret.txt").write_text(SECRET, encoding="utf-8")
        site.mkdir()
        (site / "own.txt").write_text("own", encoding="utf-8")
        (site / "inside-link.txt").symlink_to(root / "secret.txt")
        (site / "linked-dir").symlink_to(root, target_is_directory=True)
    found = engine.site_file(site.resolve(), scheme + "/" + "/".join(pieces))
    assert found is None or (
        found.is_relative_to(site.resolve()) and found.read_text(encoding="utf-8") == "own"
    )
    if scheme.startswith("http://litreview") and pieces == ["own.txt"]:
        assert found == site.resolve() / "own.txt"
