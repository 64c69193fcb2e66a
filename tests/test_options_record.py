"""One frozen, typed options record, made from the schema: every option in it once, its
default only in core/project/options.py, and MkDocs' side made from the same list."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litreview.core.project import options
from litreview.core.project.options import OPTIONS, LitreviewOptions
from litreview.plugin import LitreviewConfig


def test_the_record_holds_every_option_of_the_schema_in_order() -> None:
    assert [f.name for f in dataclasses.fields(LitreviewOptions)] == [o.name for o in OPTIONS]
    assert [name for name, _option in LitreviewConfig._schema] == [o.name for o in OPTIONS]


def _fits(value: Any, hint: Any) -> bool:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return any(_fits(value, arm) for arm in typing.get_args(hint))
    origin = typing.get_origin(hint) or hint
    if hint is type(None):
        return value is None
    if origin is Mapping or origin is typing.Mapping:
        return isinstance(value, Mapping)
    if origin is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, origin)


@pytest.mark.parametrize("option", OPTIONS, ids=lambda o: o.name)
def test_each_default_has_the_records_type_and_passes_its_own_check(option: options.Option) -> None:
    hints = typing.get_type_hints(LitreviewOptions)
    assert _fits(option.default, hints[option.name]), (option.name, option.default)
    assert option.default is None or option.check(option.default)
    assert getattr(LitreviewOptions.defaults(), option.name) == option.default


def test_the_record_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        LitreviewOptions.defaults().cache = False  # type: ignore[misc]


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 40),
    st.text(max_size=12),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@given(st.dictionaries(st.sampled_from([o.name for o in OPTIONS] + ["nonsense"]), _VALUES, max_size=6))
def test_any_options_give_a_typed_record_or_cfg005(raw: dict[str, Any]) -> None:
    record, problems = options.read(raw, "mkdocs.yml")
    assert all(p.code == "CFG005" for p in problems)
    hints = typing.get_type_hints(LitreviewOptions)
    for field in dataclasses.fields(record):
        assert _fits(getattr(record, field.name), hints[field.name]), field.name
    if not problems:
        for name, value in raw.items():
            if value is not None:
                assert getattr(record, name) == value
