"""The licences dialogs compile, and their states hold typed views whose fields components can
read (the Users page mounts them; until it does no page imports them, so this checks them)."""

from __future__ import annotations

import dataclasses
import typing

from reflex_base.vars.object import ObjectVar

from o365portal.services import licences
from o365portal.ui.licences import bulk_licences_dialog, licences_dialog
from o365portal.ui.licences.licences_state import BulkLicencesState, LicencesState

METHODS = {name for name in dir(ObjectVar) if not name.startswith("_")}


def _fields(view: type) -> set[str]:
    names = {field.name for field in dataclasses.fields(view)}
    for hint in typing.get_type_hints(view).values():
        for inner in (hint, *typing.get_args(hint)):
            if dataclasses.is_dataclass(inner) and isinstance(inner, type):
                names |= _fields(inner)
    return names


def test_both_dialogs_render_with_their_states_events() -> None:
    one, bulk = str(licences_dialog().render()), str(bulk_licences_dialog().render())
    assert "Buy and assign" in one and "Save" in one
    assert "Progress" in bulk and "Assign" in bulk
    assert {"open_for", "tick", "save", "buy"} <= set(LicencesState.event_handlers)
    assert {"open_for_users", "choose", "run"} <= set(BulkLicencesState.event_handlers)


def test_the_views_fields_are_not_named_like_object_var_methods() -> None:
    views = (licences.UserLicences, licences.SeatOffer, licences.BulkReport)
    for view in views:
        assert view.__dataclass_params__.frozen  # type: ignore[attr-defined]
        assert not _fields(view) & METHODS, view
