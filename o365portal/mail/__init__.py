"""E-mail: message templates, SMTP sending, and the outbox delivery job's work."""
