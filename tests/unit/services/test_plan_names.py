"""Service plans are named for people even where Microsoft's list gives a string id or capitals."""

from __future__ import annotations

from o365portal.services.licences._plan_names import plan_name

TEAMS = "57ff2da0-773e-42df-b2af-ffb7a2317929"


def test_a_name_for_people_is_kept() -> None:
    assert plan_name(TEAMS, "Microsoft Teams", "TEAMS1") == "Microsoft Teams"
    assert plan_name("x", "Viva Engage Core", "VIVAENGAGE_CORE") == "Viva Engage Core"


def test_a_string_id_or_capitals_give_way_to_the_lists_name_for_that_plan() -> None:
    assert plan_name(TEAMS.upper(), "TEAMS1", "TEAMS1") == "Microsoft Teams"
    foundation = "113feb6c-3fe4-4440-bddc-54d774bf0318"
    assert plan_name(foundation, "EXCHANGE FOUNDATION", "EXCHANGE_S_FOUNDATION") == (
        "Exchange Foundation"
    )


def test_without_a_better_name_microsofts_words_stay() -> None:
    visio = "2bdbaf8f-738f-4ac7-9234-3c3ee2ce7d0f"
    assert plan_name(visio, "VISIO WEB APP", "VISIOONLINE") == "VISIO WEB APP"
    assert plan_name("unknown", "", "NEW_PLAN") == "NEW_PLAN"
    assert plan_name("unknown", "", "") == "unknown"
