"""What a cold build (``cache: false``) pays for each cited work, counted, not timed (issue 30).

Each cited work's COinS span, RIS record and CSL-JSON object is made once per build; the
standard library made them a byte or a token at a time in Python. Each test counts the calls
that used to be the cost, and the property tests hold the faster text to the library's own.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from typing import Any

import pytest
import rispy.writer
from hypothesis import given
from hypothesis import strategies as st

from litreview.core.bibliography.loader import Reference
from litreview.core.files.jsonfile import indented
from litreview.core.publication import exports
from litreview.core.references.coins import coins, context_object, urlencoded


def _work(key: str = "smith2020") -> Reference:
    fields = {
        "author": "Smith, Jane and Müller, Jörg",
        "title": "Learning to rank: a survey of {B}ayesian methods",
        "journal": "Journal of Things",
        "year": "2020",
        "pages": "1--20",
        "doi": "10.1000/xyz-1",
    }
    return Reference(key=key, entry_type="article", fields=fields, path="refs.bib", line=1)


def _counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    calls: list[int] = []
    real: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_coins_span_quotes_only_the_text_beyond_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    ref = _work()
    pairs = context_object(ref)
    beyond_ascii = sum(not text.isascii() for pair in pairs for text in pair)
    quoted = _counting(monkeypatch, urllib.parse, "quote_from_bytes")
    span = coins(ref)
    assert len(quoted) == beyond_ascii < 2 * len(pairs)  # urlencode quoted every key and value
    assert (
        span == f'<span class="Z3988" title="{urllib.parse.urlencode(pairs).replace("&", "&amp;")}"></span>'
    )


_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)


@given(st.lists(st.tuples(_TEXT, _TEXT), max_size=6))
def test_the_context_object_is_encoded_as_urlencode_does(pairs: list[tuple[str, str]]) -> None:
    assert urlencoded(pairs) == urllib.parse.urlencode(pairs)


def test_ris_records_share_one_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    inverted = _counting(monkeypatch, rispy.writer, "invert_dictionary")
    records = [exports.ris_of(_work(f"w{i}")) for i in range(5)]
    assert not inverted  # a writer per record inverted rispy's tag table each time
    assert exports.join_ris(records) == exports.ris([_work(f"w{i}") for i in range(5)])
    assert records[0].startswith("TY  - JOUR\n") and records[0].endswith("ER  - \n")


def test_csl_json_is_not_encoded_a_token_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    python_encoders = _counting(monkeypatch, json.encoder, "_make_iterencode")
    text = exports.csl_of(_work())
    assert not python_encoders  # json.dumps with an indent encodes in Python
    assert json.loads(text)["id"] == "smith2020"


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | _TEXT,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(_TEXT, inner, max_size=4)
        | st.dictionaries(st.integers() | st.booleans() | st.none(), inner, max_size=3)
    ),
    max_leaves=20,
)


@given(_JSON)
def test_indented_json_is_what_json_dumps_writes(value: object) -> None:
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
