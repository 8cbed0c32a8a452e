"""Microsoft 365 users of an organization's tenant: the list, new users with a generated or
chosen password, edit, password reset, delete and restore, and moving people between the
portal's directory and Microsoft 365."""

from __future__ import annotations

from o365portal.services.users._directory import (
    PersonResult,
    PortalPerson,
    export_to_portal,
    import_from_portal,
    portal_people,
)
from o365portal.services.users._records import UserRow, UsersPage
from o365portal.services.users._users import (
    NotRestorable,
    PasswordCheck,
    check_password,
    create_user,
    delete_user,
    issue_user_password,
    list_users,
    reset_password,
    restore_user,
    update_user,
)

__all__ = [
    "NotRestorable",
    "PasswordCheck",
    "PersonResult",
    "PortalPerson",
    "UserRow",
    "UsersPage",
    "check_password",
    "create_user",
    "delete_user",
    "export_to_portal",
    "import_from_portal",
    "issue_user_password",
    "list_users",
    "portal_people",
    "reset_password",
    "restore_user",
    "update_user",
]
