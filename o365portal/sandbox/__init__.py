"""A wire-faithful Microsoft Partner Center v1 + Entra ID token endpoint simulator.

Its own Starlette app (core/app.py), served over HTTPS (core/server.py, core/tls.py); the
routes and rules sit in directory/, commerce/ and billing/. Never imported by
the portal's layers, and it never imports them: it implements Microsoft's rules on its own.
See docs/partner-center-sandbox.md.
"""
