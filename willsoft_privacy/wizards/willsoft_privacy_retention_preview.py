# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models


class WillsoftPrivacyRetentionPreview(models.TransientModel):
    """Dry run: what the next retention run will do, partner by partner."""

    _name = "willsoft.privacy.retention.preview"
    _description = "Retention run preview"

    line_ids = fields.One2many(
        "willsoft.privacy.retention.preview.line", "preview_id", string="Partners"
    )
    needs_approval = fields.Boolean(
        related="company_id.privacy_run_needs_approval", string="Approval required"
    )
    approved_date = fields.Date(
        related="company_id.privacy_run_approved_date", string="Approved for"
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "line_ids" in fields_list:
            # The partners only: what the run does to each is computed on the
            # lines read, the page shown (the line's computed fields).
            due = self.env["willsoft.privacy.retention"]._preview_due()
            values["line_ids"] = [
                Command.create({"partner_id": commercial.id, "stage": stage})
                for commercial, stage in due
            ]
        return values

    @api.model
    def action_open(self):
        """The menu's dry run: a saved preview, so that the form reads the
        first page of its lines, not all of them (a new record's form would
        compute every line)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "willsoft_privacy.willsoft_privacy_retention_preview_action"
        )
        action["res_id"] = self.create({}).id
        return action

    def action_approve(self):
        """Let today's run go ahead for this company."""
        self.ensure_one()
        self.company_id.sudo().privacy_run_approved_date = fields.Date.context_today(
            self
        )
        self.env["willsoft.privacy.audit.log"]._log(
            "run",
            company=self.company_id,
            counts={"partners": len(self.line_ids)},
            message=self.env._("Today's retention run approved."),
        )
        return {"type": "ir.actions.act_window_close"}
