"""Invoices and NCE reconciliation line items with Microsoft's proration."""
