"""A wire-faithful Microsoft Partner Center v1 + Entra ID token endpoint simulator.

Its own Starlette app (app.py), served over HTTPS (server.py, tls.py). Never imported by
the portal's layers, and it never imports them: it implements Microsoft's rules on its own.
See docs/partner-center-sandbox.md.
"""
