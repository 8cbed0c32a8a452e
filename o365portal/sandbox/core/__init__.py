"""Infrastructure every area uses: the app and its server, TLS, state and clock, the request
pipeline, identity, wire conventions, chaos, the control API, audit records and webhooks."""
