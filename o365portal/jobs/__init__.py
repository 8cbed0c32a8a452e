"""Background jobs: named loops started once per backend worker as a Reflex lifespan task.

Every worker runs every loop, but a loop works only while it holds its lease row
(db/leases.py), so exactly one worker does a given job at a time. See jobs/runner.py.
"""
