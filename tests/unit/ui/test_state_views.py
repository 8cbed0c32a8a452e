"""The view models the pages' states hold: typed frozen dataclasses that components can read.

Components read a view's fields as `row.company_name`; Reflex answers that from the var's type,
so a field named like a method of its object vars (`entries`, `items`, `keys`, ...) would give
the method instead, and a list of dicts would be untyped again.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterator
from typing import Any

import reflex as rx
from reflex_base.vars.object import ObjectVar

from o365portal.o365portal import app  # noqa: F401  (imports every page and its state)

OBJECT_VAR_NAMES = {name for name in dir(ObjectVar) if not name.startswith("_")}


def _states(state: type[rx.State]) -> Iterator[type[rx.State]]:
    for substate in state.get_substates():
        yield substate
        yield from _states(substate)


def _held_types() -> dict[str, Any]:
    """Every var of every state (computed ones too), by `State.var`."""
    return {
        f"{state.__name__}.{name}": var._var_type
        for state in _states(rx.State)
        for name, var in {**state.base_vars, **state.computed_vars}.items()
    }


def _dataclasses_in(hint: Any) -> Iterator[type]:
    """The dataclasses a type names, inside lists and optionals, with their fields' and the
    subclasses a service may return in their place (a broker's view)."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        yield hint
        for subclass in hint.__subclasses__():
            yield from _dataclasses_in(subclass)
        for field_type in typing.get_type_hints(hint).values():
            yield from _dataclasses_in(field_type)
    for argument in typing.get_args(hint):
        yield from _dataclasses_in(argument)


def _views() -> set[type]:
    return {view for hint in _held_types().values() for view in _dataclasses_in(hint)}


def test_the_states_hold_view_models_of_the_services() -> None:
    assert {view.__name__ for view in _views()} >= {
        "OrganizationView",
        "SubscriptionRow",
        "RequestView",
        "BrokerRequestView",
        "QuoteView",
        "BrokerQuoteView",
        "PriceRowView",
        "OutboxItem",
        "TenantView",
        "UnlinkedCustomer",
    }


def test_every_view_a_state_holds_is_a_frozen_dataclass_of_the_services() -> None:
    for view in _views():
        assert view.__module__.startswith("o365portal.services."), view
        assert view.__dataclass_params__.frozen, view  # type: ignore[attr-defined]


def test_no_view_field_is_named_like_a_method_of_reflex_object_vars() -> None:
    clashes = {
        f"{view.__name__}.{field.name}"
        for view in _views()
        for field in dataclasses.fields(view)
        if field.name in OBJECT_VAR_NAMES
    }
    assert clashes == set()


def test_no_state_holds_rows_of_dicts() -> None:
    def is_rows_of_dicts(hint: Any) -> bool:
        origin = typing.get_origin(hint)
        if origin is list:
            return any(typing.get_origin(arg) is dict for arg in typing.get_args(hint))
        if origin in (typing.Union, types.UnionType):
            return any(is_rows_of_dicts(arg) for arg in typing.get_args(hint))
        return False

    assert {name for name, hint in _held_types().items() if is_rows_of_dicts(hint)} == set()
