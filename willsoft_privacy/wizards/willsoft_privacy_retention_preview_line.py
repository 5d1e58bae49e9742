# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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
    action = fields.Char(string="What the run does", readonly=True)
    record_count = fields.Integer(string="Records erased", readonly=True)
    held_count = fields.Integer(string="Records kept", readonly=True)
    counts = fields.Text(string="Per kind", readonly=True)
