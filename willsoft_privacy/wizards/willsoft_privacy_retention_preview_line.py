# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class WillsoftPrivacyRetentionPreviewLine(models.TransientModel):
    _name = "willsoft.privacy.retention.preview.line"
    _description = "Retention run preview line"

    preview_id = fields.Many2one(
        "willsoft.privacy.retention.preview", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", readonly=True)
    stage = fields.Selection(
        [("stage1", "Stage 1"), ("stage2", "Stage 2")], readonly=True
    )
    action = fields.Char(string="What the run does", compute="_compute_details")
    record_count = fields.Integer(string="Records erased", compute="_compute_details")
    held_count = fields.Integer(string="Records kept", compute="_compute_details")
    counts = fields.Text(string="Per kind", compute="_compute_details")

    @api.depends("partner_id", "stage")
    def _compute_details(self):
        # Not stored: computed for the lines read, the page of the list shown
        # (each costs the personal-data map's finds for the partner).
        engine = self.env["willsoft.privacy.retention"]
        for line in self:
            row = (
                engine._preview_row(
                    line.partner_id.sudo().with_context(active_test=False), line.stage
                )
                if line.partner_id and line.stage
                else {}
            )
            line.action = row.get("action", False)
            line.record_count = row.get("record_count", 0)
            line.held_count = row.get("held_count", 0)
            line.counts = row.get("counts", False)
