"""`make bench`: how fast the portal is at realistic sizes, next to Reflex's own floor.

`python -m benchmarks` (see __main__.py) seeds a fresh stack (seed.py), times the pages and
actions in Chromium by the page's own clock (browser.py, portal.py) next to a one-counter
Reflex app built and served in the same run (floor.py), measures what a signed-in tab receives
over its websocket, replays a real tab's websocket events from many simulated tabs at once
(concurrency.py), times the billing report (billing_report.py), and prints one table
(report.py). Figures and goals: docs/performance.md.
"""
