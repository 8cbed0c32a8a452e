"""My Services -> Microsoft 365 -> Billing report (docs/billing.md)."""
