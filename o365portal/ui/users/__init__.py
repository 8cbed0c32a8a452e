"""Microsoft 365 users of a tenant: the Users page and its dialogs."""
