"""/admin/users (admins and superusers: every account) and /customers (resellers: their team)."""

import reflex as rx

from mediashare import routes
from mediashare.components.layout import layout, page_title
from mediashare.components.user_directory import user_directory
from mediashare.state.user_admin import UserAdminState


@rx.page(route=routes.ADMIN_USERS, title=page_title("Users"), on_load=UserAdminState.load_everyone)
def admin_users() -> rx.Component:
    return layout(
        user_directory(
            "Users",
            "Every account on the platform. Superusers and fellow admins are shown but only superusers manage them.",
        )
    )


@rx.page(route=routes.CUSTOMERS, title=page_title("Customers"), on_load=UserAdminState.load_team)
def customers() -> rx.Component:
    return layout(user_directory("Customers", "The accounts you created and manage."))
