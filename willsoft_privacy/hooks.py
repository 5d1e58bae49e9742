# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """A database that already invoiced has customers: say so on install."""
    env["res.partner"]._privacy_init_customers()
