"""The slot protocol: what the Markdown engine leaves in a page is what the site-wide step
finds, as Python-Markdown serialises it (built and matched in core/citations/slots.py)."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from hypothesis import given
from hypothesis import strategies as st
from markdown.serializers import to_html_string

from litreview.core.citations import slots

_INDICES = st.lists(st.integers(min_value=0, max_value=10**6), max_size=6)


@given(_INDICES, st.sampled_from(["p", "li", "td", "em"]))
def test_citation_slots_are_found_as_serialised(indices: list[int], parent: str) -> None:
    root = etree.Element("div")
    holder = etree.SubElement(root, parent)
    for index in indices:
        holder.append(slots.citation(index))
        assert slots.citation_index(holder[-1]) == index
    img = etree.SubElement(root, "img", {"alt": "A figure " + " and ".join(map(slots.alt_token, indices))})
    assert slots.alt_indices(img.get("alt") or "") == indices
    html = to_html_string(root)
    found: list[int] = []

    def rendered(index: int) -> str:
        found.append(index)
        return f"<b>[{index}]</b>"

    filled = slots.fill_citations(html, rendered, lambda text: text.replace("<b>", "").replace("</b>", ""))
    assert found == indices + indices  # the slots, then the alt text's tokens
    assert "lr-cite-slot" not in filled and "@@" not in filled


def test_the_page_list_and_the_bibliography_slots_serialise_as_matched() -> None:
    root = etree.Element("div")
    slots.add_page_list(root)
    assert to_html_string(root).endswith(slots.PAGE_LIST + "</div>")
    listing = etree.fromstring(slots.BIBLIOGRAPHY)
    assert slots.holds_bibliography(to_html_string(listing))
    assert slots.fill_bibliography(to_html_string(listing), "LIST") == "LIST"


def test_a_slot_of_unknown_index_is_kept() -> None:
    html = to_html_string(slots.citation(7))
    assert slots.fill_citations(html, lambda _index: None, str) == html
