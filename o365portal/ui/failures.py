"""What a person sees when an event fails unexpectedly (the app's backend exception handler).

Refusals by the rules are `ServiceError`s, shown where they belong (`ui/events.data_event`);
this is for everything else. The traceback goes to the log under a short reference; the person
gets a plain message with that reference, never the exception (Reflex's own handler shows its
type and text outside production, and a fixed 500 px box that overflows a phone). When the
database or Redis cannot be reached (a restart, a network cut) the message says so: the portal
recovers by itself once they are back, so reloading later is the remedy.

No `from __future__ import annotations` here: Reflex checks the handler's annotations by
evaluating them in its own module.
"""

import logging
import secrets

import reflex as rx
from reflex.event import EventSpec

from o365portal.services.errors import storage_unreachable

logger = logging.getLogger("o365portal.ui")

TOAST_MS = 20_000  # long enough to read and note the reference


def failure_message(exception: Exception, reference: str) -> tuple[str, str]:
    """The title and description a person sees for an unexpected failure."""
    remedy = "What you just did may not have finished: reload the page to see where it stands"
    if storage_unreachable(exception):
        title = "The portal's database is not answering just now."
        remedy += " (in a minute or two if it happens again)"
    else:
        title = "Something went wrong on the portal's side."
    return title, f"{remedy}. Reference for your administrator: {reference}."


def on_backend_error(exception: Exception) -> EventSpec:
    """Log `exception` with a reference and show the person a plain message (Reflex calls
    this for any exception an event handler raises)."""
    reference = secrets.token_hex(4)
    logger.error("event failed [reference %s]", reference, exc_info=exception)
    title, description = failure_message(exception, reference)
    return rx.toast.error(
        title, description=description, duration=TOAST_MS, id="backend_error", close_button=True
    )
