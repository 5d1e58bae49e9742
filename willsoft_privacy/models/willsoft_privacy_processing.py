# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

LEGAL_BASES = [
    ("contract", "Contract"),
    ("consent", "Consent"),
    ("legal_obligation", "Legal obligation"),
    ("legitimate_interest", "Legitimate interest"),
]
RETENTION_RULES = [
    ("relationship", "Until the customer relationship ends, plus the grace period"),
    ("consent", "Until consent is withdrawn"),
    ("voucher", "The accounting retention period"),
    ("prospect", "A period without contact"),
]


class WillsoftPrivacyProcessing(models.Model):
    """One purpose of processing in the record of processing activities
    (GDPR Art. 30), as the privacy notice states it."""

    _name = "willsoft.privacy.processing"
    _description = "Purpose of processing"
    _order = "sequence, id"

    name = fields.Char(string="Purpose", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty for a purpose shared by all companies.",
    )
    legal_basis = fields.Selection(
        LEGAL_BASES,
        string="Legal basis",
        required=True,
        help="GDPR Art. 6(1): why the processing is lawful.",
    )
    description = fields.Text(
        string="Description of the processing",
        translate=True,
        help="What is done with the data for this purpose.",
    )
    data_categories = fields.Text(string="Categories of data", translate=True)
    subject_categories = fields.Text(
        string="Categories of data subjects", translate=True
    )
    sources = fields.Text(string="Sources of the data", translate=True)
    recipients = fields.Text(translate=True)
    transfers = fields.Text(
        string="Transfers outside the EU/EEA",
        translate=True,
        help="Leave empty when nothing is transferred outside the EU/EEA.",
    )
    retention_rule = fields.Selection(
        RETENTION_RULES,
        string="Retention rule",
        required=True,
        help="Which of the company's retention settings applies.",
    )
    retention_period = fields.Char(
        string="Retention period",
        compute="_compute_retention_period",
        help="Read from the company's retention settings.",
    )
    security_measures = fields.Text(string="Security measures", translate=True)
    consent_text = fields.Text(
        string="Consent request text",
        translate=True,
        help="The exact words shown when asking for consent; the ledger keeps "
        "a copy with every consent given.",
    )
    consent_signup_url = fields.Char(
        string="Sign-up page",
        compute="_compute_consent_signup_url",
        help="The public page where people give this consent by email (double "
        "opt-in): link it from the website or a newsletter form.",
    )

    @api.depends("legal_basis")
    def _compute_consent_signup_url(self):
        for purpose in self:
            purpose.consent_signup_url = (
                f"{purpose.get_base_url()}/privacy/consent/subscribe/{purpose.id}"
                if purpose.legal_basis == "consent" and purpose.id
                else False
            )

    @api.depends(
        "retention_rule",
        "company_id.privacy_grace_months",
        "company_id.privacy_voucher_years",
        "company_id.privacy_prospect_months",
        "company_id.privacy_other_months",
    )
    @api.depends_context("lang")
    def _compute_retention_period(self):
        for processing in self:
            processing.retention_period = processing._retention_period_text()

    @api.constrains("legal_basis", "consent_text")
    def _check_consent_text(self):
        for processing in self:
            if processing.legal_basis == "consent" and not processing.consent_text:
                raise ValidationError(
                    self.env._(
                        "Purpose %(purpose)s is based on consent: write the "
                        "consent request text people will see.",
                        purpose=processing.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_ledger(self):
        used = (
            self.env["willsoft.privacy.consent.event"]
            .sudo()
            .search([("processing_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "Consents to %(purpose)s are in the consent ledger: archive the "
                    "purpose instead of deleting it.",
                    purpose=used.processing_id.name,
                )
            )

    # Business methods

    def _retention_period_text(self):
        """The retention period in words, from the company's settings."""
        self.ensure_one()
        company = self.company_id or self.env.company
        match self.retention_rule:
            case "relationship":
                return self.env._(
                    "Destroyed at the latest %(months)s months after the customer "
                    "relationship ends.",
                    months=company.privacy_grace_months,
                )
            case "consent":
                return self.env._("Kept until the consent is withdrawn.")
            case "voucher":
                return self.env._(
                    "Kept %(years)s years from the end of the financial year, as "
                    "the Accounting Act requires.",
                    years=company.privacy_voucher_years,
                )
            case "prospect":
                return self.env._(
                    "Destroyed after %(months)s months without contact (other "
                    "contacts: %(other)s months).",
                    months=company.privacy_prospect_months,
                    other=company.privacy_other_months,
                )
        return ""

    def action_print_register(self):
        records = self or self.search([("active", "=", True)])
        return self.env.ref(
            "willsoft_privacy.willsoft_privacy_processing_report"
        ).report_action(records)
