"""The licences dialogs of a Microsoft 365 user (one user, or many at once)."""
