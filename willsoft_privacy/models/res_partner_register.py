# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


# Kept apart from res_partner.py: who is in the register, as the register's
# action and the retention run read it.
class ResPartner(models.Model):
    _inherit = "res.partner"

    privacy_is_subject = fields.Boolean(
        string="Data subject",
        compute="_compute_privacy_is_subject",
        search="_search_privacy_is_subject",
        help="In the customer register: not a company of this database, an "
        "employee or one of Odoo's template users.",
    )

    def _compute_privacy_is_subject(self):
        protected = set(
            self.env["willsoft.privacy.retention"]._privacy_protected_partner_ids()
        )
        for partner in self:
            partner.privacy_is_subject = partner.id not in protected

    def _search_privacy_is_subject(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        protected = self.env["willsoft.privacy.retention"]._privacy_protected_partners()
        is_subject = bool(value) == (operator == "=")
        return [("id", "not in" if is_subject else "in", protected)]
