# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _notify_security_setting_update(
        self, subject, content, mail_values=None, **kwargs
    ):
        # Retiring an erased person's portal user scrambles its login and
        # password; core would queue two mails to the address just erased.
        if self.env.context.get("willsoft_privacy_erasure"):
            return
        return super()._notify_security_setting_update(
            subject, content, mail_values=mail_values, **kwargs
        )
