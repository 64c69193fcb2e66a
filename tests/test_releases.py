"""Releases from git tags (issue 17, part 1): What's new, the Atom feed, "new in" marks, the stamp.

A review is made in a temporary git repository: a first release, then a second that adds a
work, removes one and rewrites a section, then an unreleased edit. Every page is checked
against what was done, and the feed is read with feedparser.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from cli_process import base_project, litreview
from conftest import build_in_process, mkdocs_build
from litreview.core.history import whatsnew
from litreview.core.history.releases import History

NEW = """
@article{cyd2022,
  author  = {Cydonia, Cyd},
  title   = {Gamma relief by stimulation},
  journal = {Journal of Pain},
  year    = {2022},
  volume  = {14},
  pages   = {5--9},
}
"""
OLD = """
@article{old2015,
  author  = {Olden, Olga},
  title   = {An older account of alpha pain},
  journal = {Pain},
  year    = {2015},
  volume  = {3},
  pages   = {1--2},
}
"""


def _git(repo: Path, *args: str, when: str = "2025-01-01T12:00:00+00:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    env |= {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org"}
    env |= {"GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org"}
    proc = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return proc.stdout


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _releasing(folder: Path) -> Path:
    """The small review with ``releases: true`` and What's new in its nav (not yet in git)."""
    project = base_project(folder)
    config = project / "mkdocs.yml"
    _edit(config, "      bibliography: refs.bib\n", "      bibliography: refs.bib\n      releases: true\n")
    _edit(
        config,
        "  - References: references.md\n",
        "  - References: references.md\n  - What's new: whats-new.md\n",
    )
    return project


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _releasing(tmp_path_factory.mktemp("releases"))
    config = project / "mkdocs.yml"
    _edit(
        config, "site_name: Check fixture\n", "site_name: Check fixture\nsite_url: https://example.org/r/\n"
    )
    (project / "refs.bib").write_text(
        (project / "refs.bib").read_text(encoding="utf-8") + OLD, encoding="utf-8"
    )
    conclusion = project / "docs/conclusion.md"
    conclusion.write_text(
        conclusion.read_text(encoding="utf-8") + "\nOlder work agrees [@old2015].\n", encoding="utf-8"
    )
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "First version")
    _git(project, "tag", "-a", "v1.0", "-m", "First release", when="2025-02-01T12:00:00+00:00")
    # v1.1: a work added (cited in Alpha), one removed, Beta's first paragraph rewritten
    bib = project / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace(OLD, "") + NEW, encoding="utf-8")
    _edit(conclusion, "\nOlder work agrees [@old2015].\n", "")
    _edit(
        project / "docs/sections/alpha.md",
        "[@ada2020, p. 3].",
        "[@ada2020, p. 3].\n\nStimulation relieves it [@cyd2022].",
    )
    _edit(
        project / "docs/sections/beta.md",
        "Beta pain follows compression [@bob2019].",
        "Beta pain follows nerve compression [@bob2019].",
    )
    _git(project, "commit", "-q", "-am", "Add Cydonia 2022", when="2025-03-01T12:00:00+00:00")
    _git(
        project, "tag", "-a", "v1.1", "-m", "Second release\n\nStimulation.", when="2025-03-02T12:00:00+00:00"
    )
    # after it, not yet released
    _edit(project / "docs/index.md", "Alpha pain is common", "Alpha pain is very common")
    _git(project, "commit", "-q", "-am", "Wording", when="2025-04-01T12:00:00+00:00")
    build_in_process(config, project / "site")
    return project


def _page(review: Path, path: str) -> str:
    return (review / "site" / path).read_text(encoding="utf-8")


def test_whats_new_lists_releases_newest_first_with_what_each_changed(review: Path) -> None:
    html = _page(review, "whats-new/index.html")
    body = html.split('<h1 id="whats-new">', 1)[1].split("</article>", 1)[0]
    heads = re.findall(r'<h2 id="([^"]+)">', body)
    assert heads == ["unreleased", "v1-1", "v1-0"]
    unreleased, v11, v10 = re.split(r"<h2 ", body)[1:]
    assert "Introduction: 1 paragraph changed" in unreleased
    assert "v1.1 <small>2025-03-02</small>" in v11 and "Second release" in v11
    added = v11.split("References added (1)", 1)[1].split("</ul>", 1)[0]
    assert (
        "Gamma relief by stimulation" in added and 'href="../sections/alpha/#' in added
    )  # where it is cited
    removed = v11.split("References removed (1)", 1)[1].split("</ul>", 1)[0]
    assert "An older account of alpha pain" in removed
    assert "Alpha pain: 1 paragraph changed" in v11 and "Beta pain: 1 paragraph changed" in v11
    assert "Conclusion: 1 paragraph changed" in v11
    assert "The first release: 3 works" in v10


def test_the_diff_command_says_the_same(review: Path) -> None:
    proc = litreview(review, "diff", "v1.0", "v1.1")
    assert proc.returncode == 0, proc.stderr
    assert "**added** `cyd2022`" in proc.stdout and "**removed** `old2015`" in proc.stdout
    assert "`sections/beta.md` changed (1 paragraph changed)" in proc.stdout


def test_the_feed_has_an_entry_per_release_and_every_page_points_to_it(review: Path) -> None:
    feed = feedparser.parse((review / "site" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Check fixture: releases"
    titles = [e.title for e in feed.entries]
    assert titles == ["v1.1: Second release", "v1.0: First release"]
    newest = feed.entries[0]
    assert newest.link == "https://example.org/r/whats-new/#v1-1"
    assert newest.updated.startswith("2025-03-02")
    assert "Gamma relief by stimulation" in newest.summary
    for page in ("index.html", "sections/alpha/index.html"):
        assert re.search(
            r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="[./]*feed.xml">',
            _page(review, page),
        )


def test_works_new_in_the_latest_release_say_so_in_words(review: Path) -> None:
    html = _page(review, "references/index.html")
    entries = re.findall(r'<li[^>]* id="ref-([^"]+)">(.*?)</li>', html, re.S)
    marked = {key for key, body in entries if "new in v1.1" in body}
    assert marked == {"cyd2022"}


def test_the_footer_says_which_release_and_commit_the_site_is(review: Path) -> None:
    head = _git(review, "rev-parse", "HEAD").strip()
    html = _page(review, "index.html")
    assert f"Release v1.1 + unreleased changes · built from commit {head[:7]} (2025-04-01)" in html


def test_same_history_same_site(review: Path, tmp_path: Path) -> None:
    # two processes, each with its own hash seed: the other builds here run in process, as
    # they are about the page and the log (conftest.build_outcome, tests/test_inprocess_build.py)
    env = {"SOURCE_DATE_EPOCH": "1751241600"}
    mkdocs_build(review / "mkdocs.yml", tmp_path / "a", extra_env=env)
    mkdocs_build(review / "mkdocs.yml", tmp_path / "b", extra_env=env)
    for name in ("feed.xml", "whats-new/index.html", "references/index.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_a_shallow_clone_says_how_to_fetch_the_history(review: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{review}", str(clone)], check=True)
    log = build_in_process(clone / "mkdocs.yml", tmp_path / "site")
    assert "shallow clone" in log and "fetch-depth: 0" in log
    html = (tmp_path / "site" / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert FOR_READERS in html  # the tags are not in a clone of depth 1


def test_outside_git_the_page_says_there_is_no_release(tmp_path: Path) -> None:
    project = _releasing(tmp_path)
    config = project / "mkdocs.yml"
    build_in_process(config, tmp_path / "site")
    html = (tmp_path / "site" / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert FOR_READERS in html and "lr-stamp" not in html


def test_our_review_lists_its_own_releases(built_site: Path) -> None:
    """This review's What's new is its history so far: one entry per tag of this repository."""
    root = Path(__file__).resolve().parent.parent
    tags = _git(root, "tag", "-l", "v*", "--sort=-creatordate").split()
    html = (built_site / "whats-new" / "index.html").read_text(encoding="utf-8")
    shown = re.findall(r'<h2 id="(v[^"]+)">', html)
    assert shown == [re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-") for t in tags][:20]
    feed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert [e.title.split(":")[0] for e in feed.entries] == tags[:20]
    assert "lr-stamp" in (built_site / "index.html").read_text(encoding="utf-8")


def test_the_reviews_whats_new_is_the_generated_stub(zensical_site: Path) -> None:
    """content/whats-new.md is the page the plugin would add (Zensical adds no pages): a title
    and the slot, so under Zensical the nav entry leads to a page, not to nowhere."""
    from litreview.core.history import whatsnew

    root = Path(__file__).resolve().parent.parent
    assert (root / "content" / "whats-new.md").read_text(encoding="utf-8") == whatsnew.markdown("What's new")
    assert (zensical_site / "whats-new" / "index.html").is_file()


# -- each release computed once (core/history/store.py) -----------------------------------


def _copy(review: Path, tmp_path: Path) -> Path:
    """The review with its history and its cache, to change without touching the others' copy."""
    import shutil

    shutil.copytree(review, tmp_path / "r", ignore=shutil.ignore_patterns("site"))
    return tmp_path / "r"


def _stored(project: Path) -> dict[str, dict[str, object]]:
    import json

    data = json.loads((project / ".cache" / "litreview" / "releases.json").read_text(encoding="utf-8"))
    entries: dict[str, dict[str, object]] = data["entries"]
    return entries


def _sha(project: Path, tag: str) -> str:
    return _git(project, "rev-parse", f"{tag}^{{commit}}").strip()


def test_each_release_is_kept_and_the_next_build_takes_it_from_the_cache(
    review: Path, tmp_path: Path
) -> None:
    """Commits do not change, so neither does a release's entry: the build reads it back
    instead of reading the bibliography and pages at both tags again (the unreleased changes,
    of the working tree, are never kept)."""
    project = _copy(review, tmp_path)
    v10, v11 = _sha(project, "v1.0"), _sha(project, "v1.1")
    entries = _stored(project)
    assert set(entries) == {f"mkdocs.yml:..{v10}", f"mkdocs.yml:{v10}..{v11}"}
    kept = entries[f"mkdocs.yml:{v10}..{v11}"]
    assert kept["added"] == ["cyd2022"] and kept["removed"] == ["old2015"]
    # what the cache holds is what the page shows: an entry changed there shows changed
    text = (project / ".cache/litreview/releases.json").read_text(encoding="utf-8")
    (project / ".cache/litreview/releases.json").write_text(
        text.replace("Gamma relief by stimulation", "Read back from the cache"), encoding="utf-8"
    )
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert "Read back from the cache" in html.split('id="v1-1"', 1)[1]


@pytest.mark.parametrize(
    "damage",
    [
        {"added": "cyd2022"},  # not a list
        {"works": [["cyd2022", "article"]]},  # a work cut short
        {"size": [3, True]},
        {"pages": [["sections/beta.md", "rewritten", 1, "Beta"]]},  # no such status
        {"citations": [["x.md", {"a": "1"}, {}]]},
        {"added": ["cyd2022", "ghost2020"]},  # a work it added that it does not hold
    ],
)
def test_a_kept_entry_not_of_our_making_is_computed_again(
    review: Path, tmp_path: Path, damage: dict[str, object]
) -> None:
    import json

    project = _copy(review, tmp_path)
    path = project / ".cache" / "litreview" / "releases.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    key = f"mkdocs.yml:{_sha(project, 'v1.0')}..{_sha(project, 'v1.1')}"
    sound = dict(data["entries"][key])
    data["entries"][key] |= damage
    path.write_text(json.dumps(data), encoding="utf-8")
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert html == (review / "site" / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert _stored(project)[key] == sound  # and replaced


def test_a_release_no_longer_shown_leaves_the_cache(review: Path, tmp_path: Path) -> None:
    project = _copy(review, tmp_path)
    _git(project, "tag", "-d", "v1.0")
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
    assert set(_stored(project)) == {f"mkdocs.yml:..{_sha(project, 'v1.1')}"}  # v1.1 is now the first


def test_without_the_cache_the_page_is_the_same(review: Path, tmp_path: Path) -> None:
    project = _copy(review, tmp_path)
    _edit(project / "mkdocs.yml", "      releases: true\n", "      releases: true\n      cache: false\n")
    build_in_process(project / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert html == (review / "site" / "whats-new" / "index.html").read_text(encoding="utf-8")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
_KEYS = ("added", "removed", "changed", "citations", "pages", "works", "size")


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(_KEYS), _JSON) | _JSON)
def test_any_kept_entry_is_read_or_refused_never_a_crash(data: object) -> None:
    from litreview.core.history.store import from_json, to_json

    found = from_json(data)
    if found is not None:  # what is read back is what would be written again
        assert from_json(to_json(*found)) == found


def test_releases_tagged_in_the_same_second_keep_their_order(tmp_path: Path) -> None:
    """A script that tags one release after another gives them all one date: the newest is
    then the highest version (git sorts ties by name, so v1.10 came before v1.9, and the
    first listed was taken for the newest and the build for one ahead of it)."""
    project = _releasing(tmp_path)
    config = project / "mkdocs.yml"
    _git(project, "init", "-q", "-b", "main")
    for n in (0, 1, 2, 9, 10):
        with (project / "docs" / "index.md").open("a", encoding="utf-8") as home:
            home.write(f"\nRevision {n}.\n")
        _git(project, "add", "-A")
        _git(project, "commit", "-q", "-m", f"Revision {n}")
        _git(project, "tag", "-a", f"v1.{n}", "-m", f"Release {n}")
    build_in_process(config, tmp_path / "site")
    html = (tmp_path / "site" / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="([^"]+)">', html) == ["v1-10", "v1-9", "v1-2", "v1-1", "v1-0"]
    assert "Release v1.10 · built from commit" in html  # not ahead of it


# -- no release yet: a sentence for readers, the hint for maintainers in the log (issue 28 §5) --

#: What readers of a review with no release are told (and never how to tag one).
FOR_READERS = "No release has been made yet; this page lists changes once the review is released."


@pytest.mark.parametrize(
    "history",
    [
        History(),
        History(commit="a" * 40, date="2025-01-01"),
        History(commit="b" * 40, date="2025-01-01", shallow=True),
        History(commit="c" * 40, date="2025-01-01", ahead=True),
    ],
    ids=["outside-git", "untagged", "shallow", "edited"],
)
@pytest.mark.parametrize("repo_url", ["", "https://example.org/r"], ids=["no-repo", "repo"])
def test_with_no_release_readers_read_a_sentence_for_readers(history: History, repo_url: str) -> None:
    body = str(
        whatsnew.render(
            [], history, lambda _ref: Markup(""), lambda _key: Markup(""), lambda sha: f"{repo_url}/{sha}"
        )
    )
    assert FOR_READERS in body
    assert "git" not in re.sub(r'href="[^"]*"', "", body).lower() and "<code>v" not in body
    if history.commit:
        assert f"this is the review as of {history.date}" in body.lower()


def _log_lines(stderr: str, level: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(level)]


@pytest.mark.parametrize("tags", [None, [], ["draft-1"]], ids=["outside-git", "untagged", "other-tags"])
def test_with_no_release_the_hint_goes_to_the_build_log(tmp_path: Path, tags: list[str] | None) -> None:
    """Strict stays green: the hint is an INFO line, and the page has none of it."""
    project = _releasing(tmp_path)
    if tags is not None:
        _git(project, "init", "-q", "-b", "main")
        _git(project, "add", "-A")
        _git(project, "commit", "-q", "-m", "First version")
        for tag in tags:
            _git(project, "tag", "-a", tag, "-m", "Not a release")
    log = build_in_process(project / "mkdocs.yml", tmp_path / "site")
    html = (tmp_path / "site" / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert FOR_READERS in html and "git tag" not in html
    hints = [line for line in _log_lines(log, "INFO") if "git tag -a v1.0" in line]
    assert len(hints) == 1 and "'v*'" in hints[0], log
    assert not _log_lines(log, "WARNING"), log


def test_with_a_release_the_log_has_no_hint(review: Path, tmp_path: Path) -> None:
    assert "git tag -a" not in build_in_process(review / "mkdocs.yml", tmp_path / "site")


def test_a_docs_file_where_the_feed_goes_is_an_error(review: Path, tmp_path: Path) -> None:
    """OUT001 for the feed as for the downloads: the build wrote ``feed.xml`` over the docs' own."""
    from conftest import build_outcome

    project = _copy(review, tmp_path)
    (project / "docs" / "feed.xml").write_text("<mine/>\n", encoding="utf-8")
    built = build_outcome(project / "mkdocs.yml", tmp_path / "site")
    assert built.failed and "docs/feed.xml:1:1: error[OUT001] " in built.log, built.log
