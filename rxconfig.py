"""Reflex configuration (the app itself arrives with the app issue)."""

import reflex as rx

config = rx.Config(app_name="o365portal")
