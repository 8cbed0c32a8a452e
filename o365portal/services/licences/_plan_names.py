"""People's names of service plans where Microsoft's data gives a string id or capitals.

Partner Center lists a licence's service plans with the names of Microsoft's published list
("Product names and service plan identifiers for licensing"), which under some SKUs names a plan
only by its string id ("TEAMS1") or in capitals ("EXCHANGE FOUNDATION") while other SKUs of the
same list name that plan for people ("Microsoft Teams"). `FRIENDLY` holds those names by service
plan id, taken from the same list (last updated 2025-10-29).
"""

from __future__ import annotations

FRIENDLY: dict[str, str] = {
    "41781fb2-bc02-4b7c-bd55-b576c07bb09d": "Microsoft Entra ID P1",
    "932ad362-64a8-4783-9106-97849a1a30b9": "Microsoft Defender for Cloud Apps Discovery",
    "ca6e61ec-d4f4-41eb-8b88-d96e0e14323f": "Common Data Service",
    "176a09a6-7ec5-4039-ac02-b2791c6ba793": "Exchange Online Archiving",
    "4a82b400-a79f-41a4-b4e2-e94f5787b113": "Exchange Online Kiosk",
    "efb87545-963c-4e0d-99df-69c6916d9eb0": "Exchange Online (Plan 2)",
    "113feb6c-3fe4-4440-bddc-54d774bf0318": "Exchange Foundation",
    "9aaf7827-d63c-4b61-89c3-182f06f82e5c": "Exchange Online (Plan 1)",
    "0f9b09cb-62d1-4ff4-9129-43f4996f83f4": "Power Automate for Office 365",
    "159f4cd6-e380-449f-a816-af1a9ef76344": "Microsoft Forms (Plan E1)",
    "c1ec4a95-1f05-45b3-a911-aa3fa01094f5": "Microsoft Intune Plan 1",
    "882e1d05-acd1-4ccb-8708-6ee03664b117": "Mobile Device Management for Office 365",
    "4828c8ec-dc2e-4779-b502-87ac9ce28ab7": "Microsoft 365 Phone System",
    "afc06cb0-b4f4-4473-8286-d644f70d8faf": "Skype for Business Online (Plan 1)",
    "0feaeb32-d00e-4d66-bd5a-43b5b83db82c": "Skype for Business Online (Plan 2)",
    "8a256a2b-b617-496d-b51b-e76466e88db0": "Microsoft Azure Multi-Factor Authentication",
    "199a5c09-e0ca-4e37-8f7c-b05d533e1ea2": "Microsoft Bookings",
    "94065c59-bc8e-4e8b-89e5-5138d471eaff": "Microsoft Search",
    "c63d4d19-e8cb-460e-b37c-4d6c34603745": "Office Mobile Apps for Office 365",
    "094e7854-93fc-4d55-b2c0-3ab5369ebdc1": "Microsoft 365 Apps for business",
    "13696edf-5a08-49f6-8134-03083ed8ba30": "OneDrive for Business (Plan 1)",
    "92f7a6f3-b89b-4bbd-8c30-809e6da5ad1c": "Power Apps for Office 365",
    "b737dad2-2f6c-4c65-90e3-ca563267e8b9": "Microsoft Planner",
    "fafd7243-e5c1-4a3a-9e40-495efcb1d3c3": "Project Online Desktop Client",
    "bea4c11e-220a-4e6d-8eb8-8ea15d019f90": "Azure Rights Management",
    "6c57d4b6-3b23-47a5-9bc9-69f17b4947b3": "Azure Information Protection Premium P1",
    "902b47e5-dcb2-4fdc-858b-c63a90a2bdb9": "SharePoint Kiosk",
    "5dbe027f-2339-4123-9542-606e4d348a72": "SharePoint (Plan 2)",
    "c7699d2e-19aa-44de-8edf-1736da088ca1": "SharePoint (Plan 1)",
    "e95bec33-7c88-4a70-8e19-b10bd9d0c014": "Office for the Web",
    "fe71d6c3-a2ea-4499-9778-da042bf08063": "Project Online Service",
    "3ffba0d2-38e5-4d5e-8ec0-98f2b05c09d9": "Microsoft Stream for Office 365 F3",
    "a23b959c-7ce8-4e57-9140-b90eb88a9e97": "Sway",
    "57ff2da0-773e-42df-b2af-ffb7a2317929": "Microsoft Teams",
    "a82fbf69-b4d7-49f4-83a6-915b2cf354f4": "Viva Engage Core",
    "7547a3fe-08ee-4ccb-b430-5077c5041653": "Yammer Enterprise",
}


def plan_name(plan_id: str, display_name: str, string_id: str) -> str:
    """The name to show for a service plan: Microsoft's display name when it is one for people,
    else the list's name for that plan elsewhere, else what Microsoft gave."""
    named = display_name.strip()
    if named and named != string_id and named != named.upper():
        return named
    return FRIENDLY.get(plan_id.lower()) or named or string_id or plan_id
