# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class WillsoftPrivacyEndRelationshipWizard(models.TransientModel):
    _name = "willsoft.privacy.end.relationship.wizard"
    _description = "End a customer relationship"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade"
    )
    end_date = fields.Date(
        string="Contract ended on", required=True, default=fields.Date.context_today
    )
    reason = fields.Char(required=True)
    anonymise_date = fields.Date(
        string="Anonymisation due", compute="_compute_anonymise_date"
    )

    @api.depends("end_date", "partner_id")
    def _compute_anonymise_date(self):
        for wizard in self:
            company = wizard.partner_id.company_id or self.env.company
            wizard.anonymise_date = wizard.end_date and company._privacy_anonymise_date(
                wizard.end_date
            )

    def action_confirm(self):
        self.ensure_one()
        self.partner_id._privacy_end_relationship(self.end_date, self.reason)
        return {"type": "ir.actions.act_window_close"}
