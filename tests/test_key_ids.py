"""One way from a citation key to the id of the element that shows its work (issue 28 §2).

``anchors.anchor`` is that way: the References page, a page's own list, the explorer's index,
citation links, "Cited in", the link checks and the PDF all use it. Every key pandoc can read
gets a valid id of its own, and a key made only of ``[A-Za-z0-9_.-]`` keeps the id it always had
(deep links to existing reviews keep working).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litreview.core.references.anchors import anchor

#: pandoc's key: starts with a letter, digit or ``_``; inside, those and this punctuation
#: (a punctuation character must be followed by a letter, digit or ``_``).
PUNCTUATION = ":.#$%&-+?<>~/"
_WORD = st.one_of(
    st.characters(whitelist_categories=("Lu", "Ll", "Lt", "Lm", "Lo", "Nd")),
    st.sampled_from("_aZ09"),
)


@st.composite
def pandoc_keys(draw: st.DrawFn) -> str:
    """A key pandoc reads as one citation key, over its whole alphabet."""
    parts = [draw(_WORD)]
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(PUNCTUATION)))
        parts.append(draw(_WORD))
    return "".join(parts)


#: What an id may hold so that it needs no escaping in a URL's fragment or an HTML attribute.
_VALID_ID = re.compile(r"ref-[A-Za-z0-9_.~-]+")

EXAMPLES = [
    "Aad:2012tfa",  # INSPIRE
    "ATLAS:2017fih",
    "doi:10.1007/978-3-030-00825-3_16",  # Manubot
    "url:https://example.org/a?b=c&d=e#f",
    "pmid:12345678",
    "arxiv:2101.00001v2",
    "smithNatureChemistry2020",  # Better BibTeX
    "smith_nature_2020",
    "smith2020a",
    "Müller2020",  # Unicode
    "Ωmega:2019",
    "李2021",
    "a:b",
    "a_b",
    "a~3a~b",
    "a~b",
]


@pytest.mark.parametrize("key", EXAMPLES)
def test_every_kind_of_key_gets_a_valid_id(key: str) -> None:
    assert _VALID_ID.fullmatch(anchor(key)), anchor(key)


def test_the_examples_get_distinct_ids() -> None:
    ids = [anchor(k) for k in EXAMPLES]
    assert len(set(ids)) == len(ids), sorted(ids)


@pytest.mark.parametrize("key", ["smith2020", "w0001", "10.1000_x", "Smith-Jones.2020", "_x"])
def test_a_key_of_safe_characters_keeps_its_id(key: str) -> None:
    assert anchor(key) == "ref-" + key


@given(pandoc_keys())
def test_any_pandoc_key_gets_a_valid_id(key: str) -> None:
    assert _VALID_ID.fullmatch(anchor(key))


@given(pandoc_keys(), pandoc_keys())
def test_two_keys_never_share_an_id(a: str, b: str) -> None:
    if a != b:
        assert anchor(a) != anchor(b)


@given(st.text(min_size=1, max_size=30))
def test_any_text_at_all_gets_a_valid_id_of_its_own(key: str) -> None:
    assert _VALID_ID.fullmatch(anchor(key))
    assert anchor(key) != anchor(key + "x")
