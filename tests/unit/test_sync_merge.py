"""The three-way merge sync uses to apply Partner Center's values without overwriting the
portal's own changes."""

from o365portal.domain.sync_merge import Drift, merge


def test_a_change_made_only_in_partner_center_is_taken() -> None:
    result = merge({"quantity": 2}, {"quantity": 2}, {"quantity": 4})
    assert result.take == {"quantity": 4} and result.base == {"quantity": 4}
    assert result.drift == [] and result.changed


def test_a_change_the_portal_has_pending_is_kept() -> None:
    result = merge({"quantity": 2}, {"quantity": 5}, {"quantity": 2})
    assert result.take == {} and result.drift == [] and not result.changed
    assert result.base == {"quantity": 2}


def test_changes_on_both_sides_are_drift_and_nothing_is_overwritten() -> None:
    result = merge({"quantity": 2}, {"quantity": 5}, {"quantity": 4})
    assert result.take == {} and result.base == {"quantity": 2}
    assert result.drift == [Drift("quantity", 5, 4)]


def test_both_sides_agreeing_moves_the_base() -> None:
    result = merge({"quantity": 2}, {"quantity": 4}, {"quantity": 4})
    assert result.take == {} and result.drift == [] and result.base == {"quantity": 4}


def test_without_a_base_partner_center_is_taken() -> None:
    result = merge(
        None, {"status": "active", "quantity": 3}, {"status": "suspended", "quantity": 3}
    )
    assert result.take == {"status": "suspended"}
    assert result.base == {"status": "suspended", "quantity": 3}


def test_a_field_missing_from_the_base_counts_the_portal_as_agreed() -> None:
    result = merge({}, {"auto_renew": True}, {"auto_renew": False})
    assert result.take == {"auto_renew": False}
