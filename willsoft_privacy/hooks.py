# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def uninstall_hook(env):
    """The trigram index of the erasure check is on a core table: drop it."""
    env.cr.execute("DROP INDEX IF EXISTS willsoft_privacy_mail_message_body_trgm")
