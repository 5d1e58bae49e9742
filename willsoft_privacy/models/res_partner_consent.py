# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models


# Kept apart from res_partner.py so that the consent ledger's fields merge
# without conflicts with the other privacy features.
class ResPartner(models.Model):
    """Consents of a person, derived from the consent ledger."""

    _inherit = "res.partner"

    privacy_consent_state_ids = fields.One2many(
        "willsoft.privacy.consent.state",
        "partner_id",
        string="Consents",
        readonly=True,
    )
    privacy_consent_event_ids = fields.One2many(
        "willsoft.privacy.consent.event",
        "partner_id",
        string="Consent ledger",
        readonly=True,
    )

    def action_privacy_record_consent(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a consent"),
            "res_model": "willsoft.privacy.consent.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_privacy_view_consent_ledger(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Consent ledger"),
            "res_model": "willsoft.privacy.consent.event",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.id)],
            "context": {"create": False},
        }
