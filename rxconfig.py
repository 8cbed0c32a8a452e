"""Reflex configuration; runtime settings are in o365portal/config.py."""

import reflex as rx

config = rx.Config(
    app_name="o365portal",
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="indigo", gray_color="slate", radius="medium")
        )
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
    telemetry_enabled=False,
    show_built_with_reflex=False,
)
