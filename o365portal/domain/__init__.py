"""Pure business rules: standard library only, no I/O, no clock (pass `now` in).

money (Money, rounding policies, allocation) · catalog (item identity, terms, billing cycles) ·
pricing (price resolution, cost, margin) · terms (term ends, charge cycles) · billing_periods ·
proration (billing lines, daily proration) · rating (history -> lines of a period) ·
nce (seat lots, windows, cancellation, renewal) · passwords · errors. See docs/domain.md.
"""
