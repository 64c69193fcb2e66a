"""Living reviews (issue 31 §5): What's new, the feed and ``litreview diff`` say how the
included studies and the PRISMA flow's counts changed between releases, read from the studies
table and the flow file at each release."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import feedparser
import pytest

from conftest import build_in_process
from litreview.core.bibliography.loader import Reference
from litreview.core.history import store
from litreview.core.tools.diff import Changes, PageChange, RevisionEvidence, compare, report
from test_releases import NEW, _edit, _git, _releasing

FLOW = "records_screened: {screened}\nnew_studies: {studies}\nnew_reports: {studies}\n"
"""The release's PRISMA flow (the boxes it gives): its counts change between releases."""


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _releasing(tmp_path_factory.mktemp("living"))
    config = project / "mkdocs.yml"
    _edit(
        config, "site_name: Check fixture\n", "site_name: Check fixture\nsite_url: https://example.org/r/\n"
    )
    _edit(
        config,
        "      releases: true\n",
        "      releases: true\n      studies: studies.csv\n      prisma: prisma.yml\n",
    )
    (project / "studies.csv").write_text("key,design\nada2020,RCT\n", encoding="utf-8")
    (project / "prisma.yml").write_text(FLOW.format(screened=351, studies=1), encoding="utf-8")
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "First version")
    _git(project, "tag", "-a", "v1.0", "-m", "First release", when="2025-02-01T12:00:00+00:00")
    bib = project / "refs.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + NEW, encoding="utf-8")
    (project / "studies.csv").write_text("key,design\nbob2019,cohort\ncyd2022,RCT\n", encoding="utf-8")
    (project / "prisma.yml").write_text(FLOW.format(screened=420, studies=2), encoding="utf-8")
    _git(project, "commit", "-q", "-am", "Update search", when="2025-03-01T12:00:00+00:00")
    _git(project, "tag", "-a", "v1.1", "-m", "Updated search", when="2025-03-02T12:00:00+00:00")
    build_in_process(config, project / "site")
    return project


def test_whats_new_says_which_studies_a_release_included(review: Path) -> None:
    html = (review / "site" / "whats-new" / "index.html").read_text(encoding="utf-8")
    v11 = html.split('<h2 id="v1-1">', 1)[1].split('<h2 id="v1-0">', 1)[0]
    included = v11.split("Included studies: +2", 1)[1].split("</ul>", 1)[0]
    assert "Gamma relief by stimulation" in included and included.count("<li>") == 2
    gone = v11.split("No longer included: 1", 1)[1].split("</ul>", 1)[0]
    assert gone.count("<li>") == 1
    assert "Included studies 1 → 2; records screened 351 → 420" in v11  # the flow's counts


def test_whats_new_and_the_feed_say_how_the_flow_s_counts_changed(review: Path) -> None:
    feed = feedparser.parse((review / "site" / "feed.xml").read_bytes())
    summary = next(e.summary for e in feed.entries if e.title.startswith("v1.1"))
    assert "PRISMA flow: Included studies 1 → 2; records screened 351 → 420." in summary


def test_the_feed_says_it_too(review: Path) -> None:
    feed = feedparser.parse((review / "site" / "feed.xml").read_bytes())
    summary = next(e.summary for e in feed.entries if e.title.startswith("v1.1"))
    assert "+2 included studies: " in summary and "Gamma relief by stimulation" in summary
    assert "−1 studies no longer included: ada2020" in summary


@pytest.mark.parametrize(
    ("before", "after", "added", "removed"),
    [
        ((), ("a", "b"), ["a", "b"], []),
        (("a", "b"), ("b", "c", "a"), ["c"], []),
        (("a", "b", "c"), ("c",), [], ["a", "b"]),
        (("a",), ("a",), [], []),
    ],
    ids=["first-studies", "one-more", "two-dropped", "unchanged"],
)
def test_a_comparison_lists_the_studies_included_and_dropped(
    before: tuple[str, ...], after: tuple[str, ...], added: list[str], removed: list[str]
) -> None:
    changes = compare(RevisionEvidence(studies=before), RevisionEvidence(studies=after))
    assert (changes.studies_added, changes.studies_removed) == (added, removed)
    assert changes.empty == (not added and not removed)
    text = report(RevisionEvidence(studies=before), RevisionEvidence(studies=after), "t")
    assert ("### Included studies" in text) == bool(added or removed)


@pytest.mark.parametrize(
    ("before", "after", "said"),
    [
        (
            {},
            {"records_screened": 350, "new_studies": 7},
            ["Included studies (none) → 7", "records screened (none) → 350"],
        ),
        (
            {"new_studies": 7, "previous_studies": 4},
            {"total_studies": 14, "new_studies": 10, "previous_studies": 4},
            ["Included studies 11 → 14"],
        ),
        (
            {"database_results": 400, "register_results": 12},
            {"database_results": 420, "register_results": 12},
            ["records identified 412 → 432"],
        ),
        ({"dbr_assessed": 40, "other_assessed": 6}, {"dbr_assessed": 40}, ["reports assessed 46 → 40"]),
        ({"records_screened": 350}, {"records_screened": 350, "duplicates": 3}, []),
        ({"records_screened": 350}, {}, ["records screened 350 → (none)"]),
    ],
    ids=["first-flow", "total-given", "identified", "assessed", "unchanged", "flow-dropped"],
)
def test_a_comparison_says_how_the_flow_s_headline_counts_changed(
    before: dict[str, int], after: dict[str, int], said: list[str]
) -> None:
    from litreview.core.systematic import review_flow
    from litreview.core.systematic.flow_data import parse

    def counts(values: dict[str, int]) -> tuple[tuple[str, int], ...]:
        text = "".join(f"{k}: {n}\n" for k, n in values.items())
        return review_flow.headline(parse(text, "prisma.yml", yaml_form=True)[0]) if values else ()

    changes = compare(RevisionEvidence(counts=counts(before)), RevisionEvidence(counts=counts(after)))
    assert [review_flow.said(c) for c in changes.counts] == said
    assert changes.empty == (not said)
    text = report(RevisionEvidence(counts=counts(before)), RevisionEvidence(counts=counts(after)), "t")
    assert ("### PRISMA flow" in text) == bool(said)
    for line in said:
        assert f"- {line}" in text


def test_a_kept_entry_keeps_its_studies_and_an_older_one_is_computed_again() -> None:
    changes = Changes(
        ["k"], [], [], [("p.md", Counter(k=1), Counter())], [PageChange("p.md", "added", 1, "P")]
    )
    changes.studies_added, changes.studies_removed = ["k"], ["old"]
    changes.counts = [("Included studies", 11, 14), ("records screened", None, 420)]
    works = {"k": Reference("k", "article", {"title": "T"}, "refs.bib", 1)}
    data = store.to_json(changes, works, (1, 1))
    read = store.from_json(data)
    assert read is not None and (read[0].studies_added, read[0].studies_removed) == (["k"], ["old"])
    assert read[0].counts == changes.counts
    for bad in ([["x", "1", 2]], [["x", 1]], "x", [[1, 1, 2]], [["x", True, 2]]):  # untrusted: refused
        assert store.from_json({**data, "counts": bad}) is None
    del data["counts"]  # as kept before the flow's counts were compared
    assert store.from_json(data) is None
    del data["studies"]  # as kept before studies were compared
    assert store.from_json(data) is None
