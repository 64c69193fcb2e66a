"""Hostile study keys and titles in What's new and its feed (the round's attack on the studies'
part of What's new).

A study key comes from the team's studies file and a removed one from a committed history
entry, both untrusted: whatever they hold, the page's HTML has no element or attribute from
them and the Atom feed stays well-formed XML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup, escape

from hostile.injection import injected
from litreview.core.bibliography.loader import Reference
from litreview.core.history import feed, whatsnew
from litreview.core.history.releases import Release
from litreview.core.tools.diff import Changes, PageChange

PIECES = [
    "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "</li></ul><script>alert(1)</script>",
    "]]>", "\x00", "\x0b", "\ufffe", "&", "\u2028", "javascript:alert(1)", "'",
]  # fmt: skip
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), min_size=1, max_size=4).map("".join)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(TEXT, min_size=1, max_size=3), st.lists(TEXT, max_size=3), TEXT)
def test_hostile_study_keys_and_titles_stay_text(added: list[str], removed: list[str], title: str) -> None:
    changes = Changes([], [], [], [("p.md", Counter(), Counter())], [PageChange("p.md", "changed", 1, title)])
    changes.studies_added, changes.studies_removed = added, removed
    works = {k: Reference(k, "article", {"title": title}, "refs.bib", 1) for k in added[:1]}
    release = Release("v1.0", "2026-01-02", "a" * 40, title)
    entry = whatsnew.Entry(release, changes, works, (1, 1))

    def formatted(work: Reference) -> Markup:
        return Markup(f"<span>{escape(work.fields.get('title', ''))}</span>")

    html = whatsnew.render([entry], None, formatted, lambda k: Markup(""), lambda c: "")  # type: ignore[arg-type]
    assert not injected(str(html)), html
    data = feed.atom(
        [entry], title=title, site_url="https://x/", page_url="https://x/new/", feed_url="https://x/feed.xml",
        author=title, plain=lambda work: str(work.fields.get("title", "")),
    )  # fmt: skip
    root = ET.fromstring(data)  # well-formed
    summaries = [e.text or "" for e in root.iter() if e.tag.endswith("summary")]
    assert summaries and all("included" in s or "studies" in s for s in summaries), summaries
