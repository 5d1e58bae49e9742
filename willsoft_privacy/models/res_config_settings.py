# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    privacy_grace_months = fields.Integer(
        related="company_id.privacy_grace_months", readonly=False
    )
    privacy_voucher_years = fields.Integer(
        related="company_id.privacy_voucher_years", readonly=False
    )
    privacy_prospect_months = fields.Integer(
        related="company_id.privacy_prospect_months", readonly=False
    )
    privacy_other_months = fields.Integer(
        related="company_id.privacy_other_months", readonly=False
    )
    privacy_customer_idle_months = fields.Integer(
        related="company_id.privacy_customer_idle_months", readonly=False
    )
    privacy_controller_name = fields.Char(
        related="company_id.privacy_controller_name", readonly=False
    )
    privacy_controller_business_id = fields.Char(
        related="company_id.privacy_controller_business_id", readonly=False
    )
    privacy_controller_street = fields.Char(
        related="company_id.privacy_controller_street", readonly=False
    )
    privacy_controller_zip = fields.Char(
        related="company_id.privacy_controller_zip", readonly=False
    )
    privacy_controller_city = fields.Char(
        related="company_id.privacy_controller_city", readonly=False
    )
    privacy_controller_country_id = fields.Many2one(
        related="company_id.privacy_controller_country_id", readonly=False
    )
    privacy_helpdesk_email = fields.Char(
        related="company_id.privacy_helpdesk_email", readonly=False
    )
    privacy_contact_name = fields.Char(
        related="company_id.privacy_contact_name", readonly=False
    )
    privacy_contact_email = fields.Char(
        related="company_id.privacy_contact_email", readonly=False
    )
    privacy_request_proof_months = fields.Integer(
        related="company_id.privacy_request_proof_months", readonly=False
    )
    privacy_run_needs_approval = fields.Boolean(
        related="company_id.privacy_run_needs_approval", readonly=False
    )
    privacy_consent_confirm_hours = fields.Integer(
        string="Confirmation links valid for (hours)",
        config_parameter="willsoft_privacy.consent_confirm_hours",
        default=72,
        help="How long the link that confirms an email consent (double opt-in) works.",
    )
    privacy_request_auto_export = fields.Boolean(
        string="Portal exports at once",
        config_parameter="willsoft_privacy.request_auto_export",
        help="A copy or portability request from a logged-in portal user is "
        "answered at once with the export, without waiting for an officer.",
    )

    @api.constrains("privacy_consent_confirm_hours")
    def _check_privacy_consent_confirm_hours(self):
        for settings in self:
            if not 1 <= settings.privacy_consent_confirm_hours <= 720:
                raise ValidationError(
                    self.env._(
                        "Confirmation links must be valid for 1 to 720 hours (30 days)."
                    )
                )
