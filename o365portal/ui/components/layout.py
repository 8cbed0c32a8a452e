"""The page shell: a sidebar on desktops, a top bar with a drawer on phones and tablets."""

from __future__ import annotations

import reflex as rx

from o365portal.ui import routes, styles
from o365portal.ui.components.nav_badges import badge_loader, nav_badge
from o365portal.ui.session import SessionState


def _nav_link(label: str, path: rx.Var[str] | str, icon: str, badge: str = "") -> rx.Component:
    active = SessionState.router.page.path == path
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=18),
            rx.text(label, size="3"),
            nav_badge(badge) if badge else rx.fragment(),
            align="center",
            spacing="3",
        ),
        href=path,
        underline="none",
        padding_x="0.75rem",
        padding_y="0.5rem",
        border_radius="var(--radius-2)",
        width="100%",
        color=rx.cond(active, "var(--accent-12)", "var(--gray-12)"),
        background=rx.cond(active, "var(--accent-a4)", "transparent"),
        _hover={"background": "var(--gray-a3)"},
        on_click=SessionState.close_drawer,
    )


def _section(title: str, items: list[routes.NavItem]) -> rx.Component:
    return rx.vstack(
        rx.text(title, size="1", weight="bold", color=styles.MUTED, padding_x="0.75rem"),
        *[_nav_link(item.label, item.path, item.icon, item.badge) for item in items],
        spacing="1",
        width="100%",
    )


def _sections_for(role: str) -> rx.Component:
    items = routes.navigation_for(role)
    titles = list(dict.fromkeys(item.section for item in items))
    return rx.vstack(
        *[_section(t, [i for i in items if i.section == t]) for t in titles],
        spacing="4",
        width="100%",
    )


def navigation() -> rx.Component:
    """The role's navigation; customers get their own organization instead of the list."""
    return rx.cond(
        SessionState.is_broker,
        _sections_for(routes.BROKER),
        rx.vstack(
            rx.text(
                "My Organization", size="1", weight="bold", color=styles.MUTED, padding_x="0.75rem"
            ),
            _nav_link("Overview", SessionState.own_organization_url, "building"),
            _nav_link("E-store", SessionState.own_organization_url + "/estore", "store"),
            spacing="1",
            width="100%",
        ),
    )


def _account_box() -> rx.Component:
    return rx.vstack(
        rx.text(SessionState.account_name, size="2", weight="medium", trim="both"),
        rx.badge(SessionState.role_label, variant="soft"),
        rx.button(
            rx.icon("log-out", size=16),
            "Sign out",
            variant="soft",
            color_scheme="gray",
            width="100%",
            on_click=SessionState.sign_out,
        ),
        spacing="2",
        width="100%",
        padding="0.75rem",
        border_top=styles.BORDER,
    )


def logo(size: str) -> rx.Component:
    """The portal's logo (assets/logo.svg), decorative beside the name."""
    return rx.image(src="/logo.svg", width=size, height=size, alt="")


def _brand() -> rx.Component:
    return rx.hstack(
        logo("24px"),
        rx.heading("o365portal", size="4"),
        align="center",
        spacing="2",
    )


def _sidebar() -> rx.Component:
    return rx.desktop_only(
        rx.vstack(
            rx.box(_brand(), padding="1rem"),
            rx.box(navigation(), padding_x="0.5rem", flex="1", width="100%"),
            _account_box(),
            height="100vh",
            width=styles.SIDEBAR_WIDTH,
            border_right=styles.BORDER,
            position="sticky",
            top="0",
            spacing="0",
        ),
    )


def _top_bar() -> rx.Component:
    return rx.mobile_and_tablet(
        rx.hstack(
            rx.drawer.root(
                rx.drawer.trigger(
                    rx.icon_button(rx.icon("menu"), variant="ghost", aria_label="Open menu"),
                ),
                rx.drawer.overlay(z_index="20"),
                rx.drawer.portal(
                    rx.drawer.content(
                        rx.vstack(
                            rx.hstack(
                                _brand(),
                                rx.drawer.close(
                                    rx.icon_button(
                                        rx.icon("x"), variant="ghost", aria_label="Close menu"
                                    )
                                ),
                                justify="between",
                                width="100%",
                                padding="1rem",
                            ),
                            rx.box(navigation(), padding_x="0.5rem", flex="1", width="100%"),
                            _account_box(),
                            height="100%",
                            width="100%",
                            spacing="0",
                        ),
                        role="dialog",
                        aria_label="Menu",
                        height="100%",
                        width="min(20rem, 85vw)",
                        background="var(--color-panel-solid)",
                        z_index="30",
                        top="0",
                        left="0",
                        position="fixed",
                    ),
                ),
                direction="left",
                open=SessionState.drawer_open,
                on_open_change=SessionState.set_drawer_open,
            ),
            _brand(),
            align="center",
            spacing="3",
            padding="0.5rem 0.75rem",
            border_bottom=styles.BORDER,
            width="100%",
            position="sticky",
            top="0",
            background="var(--color-background)",
            z_index="10",
        ),
    )


def page_shell(title: str, *children: rx.Component) -> rx.Component:
    """A signed-in page: navigation plus a titled content column."""
    return rx.flex(
        _sidebar(),
        badge_loader(),
        rx.box(
            _top_bar(),
            rx.box(
                rx.heading(title, size="6", margin_bottom="1rem"),
                *children,
                padding=styles.PAGE_PADDING,
                max_width=styles.CONTENT_MAX_WIDTH,
                width="100%",
            ),
            flex="1",
            min_width="0",
        ),
        width="100%",
        min_height="100vh",
    )
