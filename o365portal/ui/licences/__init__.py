"""The licences dialogs of Microsoft 365 users (one user, or many at once): a page mounts
`licences_dialog()` and `bulk_licences_dialog()` and opens them with
`LicencesState.open_for(user_id)` and `BulkLicencesState.open_for_users(user_ids)`."""

from o365portal.ui.licences.licences_dialog import bulk_licences_dialog, licences_dialog
from o365portal.ui.licences.licences_state import BulkLicencesState, LicencesState

__all__ = ["BulkLicencesState", "LicencesState", "bulk_licences_dialog", "licences_dialog"]
