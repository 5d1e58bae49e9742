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
    ("books", "The retention period of the books"),
    ("prospect", "A period without contact (potential customers)"),
    ("other", "A period without contact (other contacts)"),
    ("request", "The record of how requests were answered"),
    ("suppression", "As long as the erasure it keeps in force"),
    ("audit", "The audit log, which names nobody"),
]
# Accounting Act 2:10: the books and financial statements, in years.
BOOKS_YEARS = 10


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

    # Actions

    def action_print_register(self):
        records = self or self.search([("active", "=", True)])
        return self.env.ref(
            "willsoft_privacy.willsoft_privacy_processing_report"
        ).report_action(records)

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
                    "Kept %(years)s years from the end of the calendar year in "
                    "which the financial year ended, as the Accounting Act "
                    "(2:10) requires.",
                    years=company.privacy_voucher_years,
                )
            case "books":
                return self.env._(
                    "Kept %(years)s years from the end of the financial year, as "
                    "the Accounting Act (2:10) requires.",
                    years=BOOKS_YEARS,
                )
            case "prospect":
                return self.env._(
                    "Destroyed after %(months)s months without contact.",
                    months=company.privacy_prospect_months,
                )
            case "other":
                return self.env._(
                    "Destroyed after %(months)s months without contact.",
                    months=company.privacy_other_months,
                )
            case "request":
                return self.env._(
                    "Kept as the record of how the person's rights were answered "
                    "(GDPR Art. 5(2)); erased with the person's other data, except "
                    "what shows how the request was answered."
                )
            case "suppression":
                return self.env._(
                    "Kept as long as the erasure or objection it enforces, as "
                    "keyed hashes from which no address or number can be read."
                )
            case "audit":
                return self.env._(
                    "Kept for good: the log holds no personal data, only database "
                    "ids, dates and counts."
                )
        return ""

    @api.model
    def _art15_information(self, company):
        """What GDPR Art. 15(1) says an access answer must tell, generated
        from the register of processing in the context's language: per
        purpose its legal basis, the data, recipients, transfers, retention
        and source; then the person's rights, the right to complain among
        them. A list of ``{"title": str, "items": [{key: value}]}``."""
        register = (
            self.sudo()
            .with_company(company)
            .search([("company_id", "in", [False, company.id])])
        )
        bases = dict(self._fields["legal_basis"]._description_selection(self.env))
        contact = company.privacy_contact_email or company.email or ""
        env = self.env
        return [
            {
                "key": "purposes",
                "title": env._("Why we process your data, and for how long"),
                "items": [
                    {
                        "purpose": purpose.name,
                        "legal_basis": bases.get(purpose.legal_basis, ""),
                        "description": purpose.description or "",
                        "data_categories": purpose.data_categories or "",
                        "recipients": purpose.recipients or "",
                        "transfers": purpose.transfers
                        or env._("Not transferred outside the EU or EEA."),
                        "retention_period": purpose._retention_period_text(),
                        "sources": purpose.sources or "",
                    }
                    for purpose in register
                ],
            },
            {
                "key": "rights",
                "title": env._("Your rights"),
                "items": [
                    {"right": text}
                    for text in (
                        env._(
                            "You may ask for a copy of your data, and for your "
                            "data in a machine-readable format (GDPR Art. 15 and "
                            "20)."
                        ),
                        env._(
                            "You may ask us to correct your data, to erase it, or "
                            "to restrict its processing (Art. 16 to 18)."
                        ),
                        env._(
                            "You may object to direct marketing at any time, and "
                            "withdraw a consent at any time without affecting the "
                            "processing before it (Art. 21 and 7(3))."
                        ),
                        env._(
                            "No decision about you is made by automated means "
                            "alone, profiling included (Art. 22)."
                        ),
                        env._(
                            "Make your requests to %(email)s or on the My privacy "
                            "page of our portal.",
                            email=contact,
                        ),
                        env._(
                            "You have the right to lodge a complaint with the "
                            "supervisory authority, the Data Protection Ombudsman "
                            "(Tietosuojavaltuutettu), P.O. Box 800, 00531 Helsinki, "
                            "Finland, tietosuoja@om.fi, www.tietosuoja.fi."
                        ),
                    )
                ],
            },
        ]

    @api.model
    def _art15_labels(self):
        """The words for the keys of :meth:`_art15_information`, from
        the field definitions where the key is a field."""
        described = self.fields_get(attributes=("string",))
        labels = {key: value["string"] for key, value in described.items()}
        labels.update(
            {
                "purpose": self.env._("Purpose"),
                "retention_period": self.env._("Retention period"),
                "right": self.env._("Right"),
            }
        )
        return labels
