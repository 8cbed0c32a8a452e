"""The Users page's dialogs: New user (password generated and e-mailed, or chosen with the
policy checked live), the row dialog (Edit, Reset password, Delete, Restore), and Import /
Export with a result line per person."""

from __future__ import annotations

import reflex as rx

from o365portal.services import users
from o365portal.ui import styles
from o365portal.ui.components.dialogs import form_dialog
from o365portal.ui.components.forms import field_error, field_label, select_field, text_field
from o365portal.ui.users.directory_state import PICK, DirectoryState
from o365portal.ui.users.new_user_state import CHOOSE_LABEL, GENERATE_LABEL
from o365portal.ui.users.new_user_state import NewUserState as N
from o365portal.ui.users.users_state import COUNTRY_OPTIONS
from o365portal.ui.users.users_state import UsersState as S


def _typed(
    label: str,
    name: str,
    errors: rx.Var[dict[str, str]],
    on_change: object,
    placeholder: str = "",
) -> rx.Component:
    return rx.vstack(
        field_label(label, name),
        rx.input(
            id=name,
            name=name,
            on_change=on_change,  # type: ignore[arg-type]
            aria_invalid=rx.cond(errors.contains(name), "true", "false"),
            auto_complete="off",
            placeholder=placeholder,
            width="100%",
            size="3",
        ),
        field_error(errors, name),
        spacing="1",
        width="100%",
    )


def _user_name() -> rx.Component:
    return rx.vstack(
        field_label("User name", "user_name", required=True),
        rx.hstack(
            rx.input(
                id="user_name",
                name="user_name",
                on_change=N.set_names("user_name").debounce(300),  # type: ignore[call-arg]
                aria_invalid=rx.cond(N.errors.contains("user_name"), "true", "false"),
                auto_complete="off",
                size="3",
                flex="1",
                min_width="8rem",
            ),
            rx.text("@", size="3"),
            rx.el.select(
                rx.foreach(S.domains, lambda d: rx.el.option(d, value=d)),
                name="domain",
                aria_label="Domain",
                value=N.domain,
                on_change=N.set_names("domain"),  # type: ignore[call-arg]
                style={"height": "var(--space-7)", "flex": "1", "min_width": "10rem"},
            ),
            wrap="wrap",
            align="center",
            width="100%",
        ),
        field_error(N.errors, "user_name"),
        field_error(N.errors, "domain"),
        spacing="1",
        width="100%",
    )


def _password_choice() -> rx.Component:
    return rx.vstack(
        rx.text("Password", size="2", weight="medium"),
        rx.radio_group(
            [GENERATE_LABEL, CHOOSE_LABEL],
            value=N.mode_label,
            on_change=N.set_mode_label,
            direction="column",
            spacing="2",
            aria_label="How the password is set",
        ),
        rx.cond(
            N.password_mode == "generate",
            text_field("Send the sign-in details to", "send_to", N.errors, type_="email"),
            rx.vstack(
                field_label("Password", "password", required=True),
                rx.input(
                    id="password",
                    name="password",
                    type="password",
                    on_change=N.set_password.debounce(300),
                    auto_complete="new-password",
                    aria_invalid=rx.cond(N.errors.contains("password"), "true", "false"),
                    width="100%",
                    size="3",
                ),
                field_error(N.errors, "password"),
                rx.cond(
                    N.acceptable,
                    rx.text("The password meets the policy.", size="2", color="var(--green-11)"),
                    rx.el.ul(
                        rx.foreach(N.problems, lambda p: rx.el.li(p)),
                        aria_label="Password policy",
                        aria_live="polite",
                        padding_left="1.25rem",
                        margin="0",
                        color="var(--red-11)",
                        font_size="var(--font-size-2)",
                    ),
                ),
                spacing="1",
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )


def new_user_dialog() -> rx.Component:
    """New user."""
    body = rx.vstack(
        rx.grid(
            _typed("First name", "first_name", N.errors, N.set_names("first_name").debounce(300)),  # type: ignore[call-arg]
            _typed("Last name", "last_name", N.errors, N.set_names("last_name").debounce(300)),  # type: ignore[call-arg]
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        _typed(
            "Display name",
            "display_name",
            N.errors,
            N.set_names("display_name").debounce(300),  # type: ignore[call-arg]
            "Blank: first and last name",
        ),
        _user_name(),
        select_field(
            "Usage location",
            "usage_location",
            [("", "Choose a country"), *COUNTRY_OPTIONS],
            N.errors,
        ),
        _password_choice(),
        spacing="3",
        width="100%",
    )
    return form_dialog(
        "New Microsoft 365 user",
        body,
        open_=N.open,
        on_open_change=N.set_open,
        on_submit=N.create,
        submit_label="Create user",
    )


def _target_text(*parts: rx.Var | str) -> rx.Component:
    return rx.text(*parts, size="2")


def _row_body() -> rx.Component:
    target = S.target.to(users.UserRow)
    return rx.match(
        S.action,
        (
            "edit",
            rx.vstack(
                _target_text(target.user_principal_name),
                text_field("First name", "first_name", S.errors, value=target.first_name),
                text_field("Last name", "last_name", S.errors, value=target.last_name),
                text_field("Display name", "display_name", S.errors, value=target.display_name),
                select_field(
                    "Usage location",
                    "usage_location",
                    COUNTRY_OPTIONS,
                    S.errors,
                    value=target.usage_location,
                ),
                spacing="3",
                width="100%",
            ),
        ),
        (
            "reset",
            rx.vstack(
                _target_text(
                    "A new one-time password for ",
                    target.user_principal_name,
                    " is set when the e-mail is sent; the old one stops working then.",
                ),
                text_field("Send the new password to", "send_to", S.errors, type_="email"),
                spacing="3",
                width="100%",
            ),
        ),
        (
            "delete",
            _target_text(
                "Delete ",
                target.display_name,
                " (",
                target.user_principal_name,
                ")? The user can no longer sign in and its licences are freed. Microsoft keeps "
                "a deleted user for 30 days: it can be restored until then.",
            ),
        ),
        _target_text(
            "Restore ", target.display_name, "? Its licences are not given back automatically."
        ),
    )


def row_dialog() -> rx.Component:
    """Edit, Reset password, Delete or Restore one user."""
    title = rx.match(
        S.action,
        ("edit", "Edit user"),
        ("reset", "Reset password"),
        ("delete", "Delete user"),
        "Restore user",
    )
    label = rx.match(
        S.action,
        ("edit", "Save"),
        ("reset", "E-mail a new password"),
        ("delete", "Delete user"),
        "Restore user",
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.form(
                rx.vstack(
                    rx.cond(S.target, _row_body()),
                    field_error(S.errors, "user"),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button("Cancel", variant="soft", color_scheme="gray", type="button")
                        ),
                        rx.button(
                            label,
                            type="submit",
                            loading=S.working,
                            color_scheme=rx.cond(S.action == "delete", "red", "violet"),
                        ),
                        justify="end",
                        width="100%",
                    ),
                    spacing="4",
                ),
                on_submit=S.do_action,
                no_validate=True,
                reset_on_submit=False,
            ),
            max_width="min(32rem, 96vw)",
        ),
        open=S.action_open,
        on_open_change=S.set_action_open,
    )


def _pick(key: rx.Var, title: rx.Var, detail: rx.Var, note: rx.Var[str] | str = "") -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.el.input(type="checkbox", name=PICK + key.to(str), value="on"),
            rx.vstack(
                rx.text(title, size="2", weight="medium"),
                rx.text(detail, " ", note, size="1", color=styles.MUTED, word_break="break-all"),
                spacing="0",
            ),
            align="start",
            spacing="2",
        ),
        width="100%",
    )


def _result(result: rx.Var[users.PersonResult]) -> rx.Component:
    return rx.hstack(
        rx.icon(
            rx.cond(result.done, "circle-check", "circle-x"),
            color=rx.cond(result.done, "var(--green-11)", "var(--red-11)"),
            size=18,
            flex_shrink="0",
        ),
        rx.vstack(
            rx.text(
                result.name,
                rx.cond(result.done, " — done", " — not done"),
                size="2",
                weight="medium",
            ),
            rx.text(result.message, size="1"),
            spacing="0",
        ),
        align="start",
        role="listitem",
        aria_label=result.name,
    )


def directory_dialog() -> rx.Component:
    """Import portal accounts into Microsoft 365, or export Microsoft 365 users to the portal."""
    D = DirectoryState
    importing = D.mode == "import"
    picks = rx.cond(
        importing,
        rx.foreach(
            D.people,
            lambda p: _pick(
                p.account_id, p.name, p.email, rx.cond(p.in_microsoft_365, "(has a user)", "")
            ),
        ),
        rx.foreach(D.candidates, lambda u: _pick(u.id, u.display_name, u.user_principal_name)),
    )
    body = rx.vstack(
        rx.text(
            rx.cond(
                importing,
                "Each person ticked becomes a Microsoft 365 user named first.last@ the tenant's "
                "domain, with a one-time password e-mailed to the address below (blank: to "
                "their own portal e-mail).",
                "Each user ticked gets a customer portal account (its e-mail is the user name); "
                "the portal password is e-mailed to the address below (blank: to the user name).",
            ),
            size="2",
        ),
        rx.vstack(picks, spacing="2", width="100%", role="group", aria_label="People"),
        field_error(D.errors, "people"),
        rx.cond(
            importing,
            select_field("Usage location", "usage_location", COUNTRY_OPTIONS, D.errors, value="US"),
        ),
        text_field("E-mail the passwords to", "send_to", D.errors, type_="email"),
        rx.cond(
            D.results.length() > 0,
            rx.vstack(
                rx.heading("Results", size="3"),
                rx.vstack(rx.foreach(D.results, _result), role="list", spacing="2"),
                spacing="2",
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
    )
    return form_dialog(
        D.title,
        body,
        open_=D.open,
        on_open_change=D.set_open,
        on_submit=D.run,
        submit_label=rx.cond(importing, "Import", "Export"),
    )
