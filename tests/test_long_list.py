"""A long References list (over reference_html.LONG_LIST works) as the page writes it: one list to
assistive technology, in parts of reference_html.PART that the browser lays out only near the screen.

The browser side (what a keystroke costs, numbers a reader can see) is tests/browser/test_explore.py.
"""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag
from markupsafe import Markup, escape

from litreview.core.bibliography.loader import Reference
from litreview.core.references import reference_html
from litreview.core.references.csl import Layout


def _site(count: int, author_date: bool = False) -> reference_html.RenderContext:
    refs = {
        f"w{i:04d}": Reference(f"w{i:04d}", "article", {"title": f"Work {i}", "year": "2020"}, "r.bib", i + 1)
        for i in range(count)
    }
    return reference_html.RenderContext(
        numbers={key: n + 1 for n, key in enumerate(refs)},
        references=refs,
        formatted=lambda ref: Markup(escape(ref.fields["title"])),
        ref_href=lambda key: f"#ref-{key}",
        in_text=_AuthorDate() if author_date else None,
    )


class _AuthorDate:
    """Just enough of an author–date style for the list's shape."""

    @property
    def layout(self) -> Layout:
        return Layout(author_date=True)

    def cite(self, ref: Reference, label: str = "", locator: str = "") -> Markup:
        return Markup(escape(ref.key))


def _list(site: reference_html.RenderContext) -> Tag:
    found = BeautifulSoup(str(reference_html.bibliography(site)), "html.parser").select_one(
        ".lr-bibliography-list"
    )
    assert isinstance(found, Tag)
    return found


def test_a_short_list_is_one_list_of_list_items() -> None:
    listing = _list(_site(reference_html.LONG_LIST))
    assert listing.name == "ol" and not listing.get("role")
    assert [li["value"] for li in listing.find_all("li")][-1] == str(reference_html.LONG_LIST)
    assert not listing.select(".lr-part, .lr-n")


def test_a_long_list_comes_in_parts_read_as_one_list() -> None:
    count = reference_html.LONG_LIST + 1 + 3 * reference_html.PART  # the last part is not full
    listing = _list(_site(count))
    parts = listing.find_all(class_="lr-part")
    assert listing.name == "div" and listing["role"] == "list" and "lr-long" in listing["class"]
    assert [p.name for p in parts] == ["ol"] * len(parts) and all(p["role"] == "none" for p in parts)
    assert [len(p.find_all("li")) for p in parts] == [reference_html.PART] * (len(parts) - 1) + [
        count % reference_html.PART
    ]
    items = listing.find_all("li")
    assert all(li["role"] == "listitem" and not li.get("value") for li in items)
    assert [li.select_one(".lr-n").get_text() for li in items] == [str(n) for n in range(1, count + 1)]
    assert [li["id"] for li in items] == [f"ref-w{i:04d}" for i in range(count)]


def test_a_long_author_date_list_has_unnumbered_parts() -> None:
    listing = _list(_site(reference_html.LONG_LIST + 1, author_date=True))
    assert "lr-author-date" in listing["class"] and listing["role"] == "list"
    assert {p.name for p in listing.find_all(class_="lr-part")} == {"ul"}
    assert not listing.select(".lr-n")
