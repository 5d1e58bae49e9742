# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class WillsoftPrivacyRequestExtendWizard(models.TransientModel):
    _name = "willsoft.privacy.request.extend.wizard"
    _description = "Extend the deadline of a data-subject request"

    request_id = fields.Many2one(
        "willsoft.privacy.request", required=True, ondelete="cascade"
    )
    months = fields.Selection(
        [("1", "One month"), ("2", "Two months")],
        string="Extend by",
        required=True,
        default="2",
    )
    reason = fields.Text(
        required=True,
        help="Why the request needs more time (complex or numerous requests). "
        "The person is told.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.request_id.action_extend(int(self.months), self.reason)
        return {"type": "ir.actions.act_window_close"}
