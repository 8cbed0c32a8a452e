"""A quantity typed in the change dialog is previewed after one short pause, not two.

`rx.input` with `value=` and `on_change=` is already a DebounceInput (300 ms by default); an
event-level `.debounce()` on top waited again, so the preview came 0.6 s after the last key.
"""

from __future__ import annotations

from o365portal.ui.subscriptions.change_dialog import PREVIEW_DEBOUNCE_MS, change_dialog


def test_a_typed_quantity_waits_one_short_debounce() -> None:
    rendered = str(change_dialog())
    for field in ("change-quantity", "renewal-quantity"):
        at = rendered.index(f'id:"{field}"')
        props = rendered[rendered.rindex("jsx(", 0, at) : at]
        assert props.startswith("jsx(DebounceInput,"), f"{field} is not a debounced input"
        assert f"debounceTimeout:{PREVIEW_DEBOUNCE_MS}," in props
    assert '["debounce"]' not in rendered  # no second, event-level debounce
    assert PREVIEW_DEBOUNCE_MS <= 150
