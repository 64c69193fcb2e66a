"""Releases from any tag git holds, whatever its message (issue 26).

A lightweight tag (``git tag v1.1``, no ``-a``) is a release too, dated by its commit, with no
message of its own; a tag message holding control characters (generated) is shown without
them on What's new, in the footer and in the feed, and never stops the build.
"""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import build_in_process
from test_releases import _edit, _git, _releasing

_CONTROLS = "".join(chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 127, *range(0x80, 0xA0)))


def _review(folder: Path, message: str) -> Path:
    project = _releasing(folder)
    _edit(
        project / "mkdocs.yml",
        "site_name: Check fixture\n",
        "site_name: Check fixture\nsite_url: https://example.org/r/\n",
    )
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "First version")
    _git(project, "tag", "-a", "v1.0", "--cleanup=verbatim", "-m", message, when="2025-02-01T12:00:00+00:00")
    with (project / "docs" / "index.md").open("a", encoding="utf-8") as home:
        home.write("\nA second revision.\n")
    _git(project, "commit", "-q", "-am", "Second revision", when="2025-03-05T12:00:00+00:00")
    _git(project, "tag", "v1.1", when="2025-03-09T12:00:00+00:00")  # lightweight
    return project


def test_a_lightweight_tag_is_a_release_dated_by_its_commit(tmp_path: Path) -> None:
    project = _review(tmp_path, "First release")
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="([^"]+)">', html) == ["v1-1", "v1-0"]
    v11 = html.split('<h2 id="v1-1">', 1)[1].split("<h2 ", 1)[0]
    assert "v1.1 <small>2025-03-05</small>" in v11
    assert "Second revision" not in v11  # the commit's subject is no release message
    assert "Release v1.1 · built from commit" in (tmp_path / "site" / "index.html").read_text(
        encoding="utf-8"
    )
    feed = feedparser.parse((tmp_path / "site" / "feed.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["v1.1", "v1.0: First release"]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    message=st.text(
        st.sampled_from([*_CONTROLS[1:], "a", "é", "<", "&", "]", ">", " ", "\n"]), min_size=1, max_size=30
    ).filter(lambda m: m.strip(" \n") != "")
)
def test_control_characters_in_a_tag_message_never_break_the_build(
    tmp_path_factory: pytest.TempPathFactory, message: str
) -> None:
    """Shown without them: the page parses, the feed is well-formed XML."""
    work = tmp_path_factory.mktemp("tagmessage")
    project = _review(work, message)
    log = build_in_process(project / "mkdocs.yml", work / "site")  # fails the test unless it builds
    assert "Traceback" not in log, log
    feed = feedparser.parse((work / "site" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    page = (work / "site" / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert not set(page) & set(_CONTROLS.replace("\x00", "")), "a control character reached the page"
    shown = BeautifulSoup(page, "html.parser").get_text()
    wanted = "".join(c for c in message if c not in _CONTROLS).strip().splitlines()
    if wanted and wanted[0].strip():
        assert wanted[0].strip() in shown
