"""Sign-in page: the portal's own user directory, one generic message for every refusal."""

from __future__ import annotations

import asyncio

import reflex as rx

from o365portal.services import accounts
from o365portal.services.errors import SignInRefused
from o365portal.ui import routes, styles
from o365portal.ui.components.forms import field_label
from o365portal.ui.components.layout import logo
from o365portal.ui.events import signed_in
from o365portal.ui.session import SessionState


class LoginState(SessionState):
    """The sign-in form's message and busy flag."""

    message: str = ""
    busy: bool = False

    @rx.event
    async def on_load_login(self) -> rx.event.EventSpec | None:
        """Already signed in? Go home instead of showing the form."""
        self.message = ""
        self.busy = False
        if await signed_in(self) is not None:
            return SessionState.go_home
        return None

    @rx.event
    async def sign_in(self, form: dict[str, str]):
        """Check the credentials; on success set the session cookie and go to the next page."""
        self.busy = True
        self.message = ""
        yield
        try:
            done = await asyncio.to_thread(  # argon2 and the database, off the event loop
                accounts.sign_in,
                email=form.get("email", ""),
                password=form.get("password", ""),
                address=self.router.session.client_ip,
            )
        except SignInRefused as refused:
            self.message = str(refused)
            self.busy = False
            return
        self.session_token = done.token
        self._remember(done.principal)
        self.busy = False
        next_path = self.router.url.query_parameters.get("next", "")
        yield rx.redirect(next_path if routes.is_local_path(next_path) else routes.HOME)


@routes.page(routes.LOGIN, LoginState.on_load_login)
def login_page() -> rx.Component:
    """Centered sign-in card, full width on phones."""
    return rx.center(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.hstack(
                        logo("32px"),
                        rx.heading("o365portal", size="6"),
                        align="center",
                    ),
                    rx.text("Sign in to manage Microsoft 365 services.", color=styles.MUTED),
                    rx.vstack(
                        field_label("E-mail", "email"),
                        rx.input(
                            id="email",
                            name="email",
                            type="email",
                            required=True,
                            auto_complete="username",
                            size="3",
                            width="100%",
                        ),
                        field_label("Password", "password"),
                        rx.input(
                            id="password",
                            name="password",
                            type="password",
                            required=True,
                            auto_complete="current-password",
                            size="3",
                            width="100%",
                        ),
                        spacing="1",
                        width="100%",
                    ),
                    rx.cond(
                        LoginState.message != "",
                        rx.callout(
                            LoginState.message,
                            icon="triangle-alert",
                            color_scheme="red",
                            role="alert",
                            width="100%",
                        ),
                    ),
                    rx.button(
                        "Sign in", type="submit", size="3", width="100%", loading=LoginState.busy
                    ),
                    spacing="4",
                    width="100%",
                ),
                on_submit=LoginState.sign_in,
            ),
            width="100%",
            max_width="26rem",
            size="4",
        ),
        min_height="100vh",
        padding="1rem",
        background="var(--gray-2)",
    )


@routes.page(routes.HOME, SessionState.go_home)
def home_page() -> rx.Component:
    """The landing page: a spinner while go_home sends the account to its start page."""
    return rx.center(rx.spinner(size="3"), min_height="100vh")
