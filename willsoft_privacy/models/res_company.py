# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime
import functools

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import date_utils

# The privacy notice's own figures (sections 1, 2 and 10).
DEFAULT_GRACE_MONTHS = 3
DEFAULT_VOUCHER_YEARS = 6
# Potential customers and other contacts: no period in the notice. Two years
# without contact is the usual Finnish practice for a prospect register.
DEFAULT_PROSPECT_MONTHS = 24
DEFAULT_OTHER_MONTHS = 24
# A customer nobody ended: Willsoft bills maintenance yearly, so two years
# without a voucher means at least one renewal was not billed; a late
# invoice does not end a live customer.
DEFAULT_CUSTOMER_IDLE_MONTHS = 24

RETENTION_FIELDS = (
    "privacy_grace_months",
    "privacy_voucher_years",
    "privacy_prospect_months",
    "privacy_other_months",
    "privacy_customer_idle_months",
)


@functools.lru_cache(maxsize=4096)
def voucher_retention_end(voucher_date, last_day, last_month, years):
    """The rule of :meth:`ResCompany._privacy_voucher_retention_end`, by its
    arguments: a retention batch asks it for thousands of vouchers of a few
    companies and dates."""
    fiscal_year_end = date_utils.get_fiscal_year(
        voucher_date, day=last_day, month=last_month
    )[1]
    return datetime.date(fiscal_year_end.year + years, 12, 31)


class ResCompany(models.Model):
    _inherit = "res.company"

    # Retention policy
    privacy_grace_months = fields.Integer(
        string="Months kept after the relationship ends",
        default=DEFAULT_GRACE_MONTHS,
        required=True,
        help="Basic customer data is destroyed at the latest this many months "
        "after the customer relationship ends (privacy notice, section 10).",
    )
    privacy_voucher_years = fields.Integer(
        string="Voucher retention (years)",
        default=DEFAULT_VOUCHER_YEARS,
        required=True,
        help="Accounting vouchers, sales invoices among them, are kept this many "
        "years from the end of the calendar year in which their fiscal year "
        "ended (Accounting Act 2:10).",
    )
    privacy_prospect_months = fields.Integer(
        string="Months potential customers are kept without contact",
        default=DEFAULT_PROSPECT_MONTHS,
        required=True,
        help="Potential customers are anonymised after this many months without "
        "contact.",
    )
    privacy_other_months = fields.Integer(
        string="Months other contacts are kept without contact",
        default=DEFAULT_OTHER_MONTHS,
        required=True,
        help="Other contacts (neither customers nor potential customers) are "
        "anonymised after this many months without contact.",
    )
    privacy_customer_idle_months = fields.Integer(
        string="Months after the last voucher",
        default=DEFAULT_CUSTOMER_IDLE_MONTHS,
        required=True,
        help="A customer relationship nobody ended is treated as ended this many "
        "months after the customer's last voucher; the grace period runs from "
        "then.",
    )
    # The controller, as the privacy notice names it (sections 1 and 2).
    # No defaults: another company is another controller. The main company
    # gets Willsoft Oy's details once, on install (_privacy_seed_controller).
    privacy_controller_name = fields.Char(string="Controller")
    privacy_controller_business_id = fields.Char(string="Controller business ID")
    privacy_controller_street = fields.Char(string="Controller street")
    privacy_controller_zip = fields.Char(string="Controller postcode")
    privacy_controller_city = fields.Char(string="Controller city")
    privacy_controller_country_id = fields.Many2one(
        "res.country", string="Controller country"
    )
    privacy_request_proof_months = fields.Integer(
        string="Months a request is kept in full",
        default=36,
        required=True,
        help="After an answered privacy request has been closed this many "
        "months, it keeps only its kind, dates and outcome: what proves how "
        "the right was answered (GDPR Art. 5(2)).",
    )
    privacy_helpdesk_email = fields.Char(string="Helpdesk email")
    privacy_contact_name = fields.Char(string="Contact person for register matters")
    privacy_contact_email = fields.Char(string="Privacy contact email")

    # Retention runs that wait for an officer's approval
    privacy_run_needs_approval = fields.Boolean(
        string="Retention runs wait for approval",
        help="The daily retention run leaves this company's partners alone until "
        "a privacy officer has approved that day's run in the dry run.",
    )
    privacy_run_approved_date = fields.Date(
        string="Retention run approved for", readonly=True, copy=False
    )

    @api.constrains(*RETENTION_FIELDS)
    def _check_privacy_retention_periods(self):
        for company in self:
            for fname in RETENTION_FIELDS:
                if company[fname] <= 0:
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be a whole number of at least 1 "
                            "(%(company)s).",
                            field=self._fields[fname].get_description(self.env)[
                                "string"
                            ],
                            company=company.name,
                        )
                    )

    @api.constrains("privacy_request_proof_months")
    def _check_privacy_request_proof_months(self):
        for company in self:
            if company.privacy_request_proof_months <= 0:
                raise ValidationError(
                    self.env._(
                        "Months a request is kept in full must be a whole number "
                        "of at least 1 (%(company)s).",
                        company=company.name,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        policy_fields = {
            *RETENTION_FIELDS,
            "fiscalyear_last_day",
            "fiscalyear_last_month",
        }
        if policy_fields & vals.keys():
            self._privacy_recompute_partner_dates()
        return res

    # Business methods

    @api.model
    def _privacy_seed_controller(self, company=None):
        """Write the notice's controller (Willsoft Oy, sections 1 and 2) on
        the main company (or ``company``), once: a company that has a
        controller keeps it."""
        company = company or self.env.ref("base.main_company", raise_if_not_found=False)
        if not company or company.privacy_controller_name:
            return self.browse()
        company.write(
            {
                "privacy_controller_name": "Willsoft Oy",
                "privacy_controller_business_id": "0856972-8",
                "privacy_controller_street": "Kauppakatu 23",
                "privacy_controller_zip": "62100",
                "privacy_controller_city": "Lapua",
                "privacy_controller_country_id": self.env.ref("base.fi").id,
                "privacy_helpdesk_email": "helpdesk@willsoft.fi",
                "privacy_contact_name": "Marko Ojala",
                "privacy_contact_email": "tietosuoja@willsoft.fi",
            }
        )
        return company

    def _privacy_recompute_partner_dates(self):
        """The retention dates are stored on partners: a new policy moves them."""
        partners = self.env["res.partner"].with_context(active_test=False)
        # Every category has a date now: customers nobody ended count from
        # their last voucher. The anonymised need none.
        self.env.add_to_compute(
            partners._fields["privacy_anonymise_date"],
            partners.search([("privacy_stage", "!=", "anonymised")]),
        )
        with_vouchers = partners.search(
            [("commercial_partner_id.privacy_move_ids", "!=", False)]
        )
        self.env.add_to_compute(
            partners._fields["privacy_accounting_hold_date"], with_vouchers
        )

    def _privacy_anonymise_date(self, relationship_end):
        """Last day the basic data of an ended customer may be kept."""
        self.ensure_one()
        return relationship_end + relativedelta(months=self.privacy_grace_months)

    def _privacy_prospect_expiry(self, last_contact):
        self.ensure_one()
        return last_contact + relativedelta(months=self.privacy_prospect_months)

    def _privacy_contact_expiry(self, last_contact, category):
        """Last day a potential customer or other contact is kept without
        contact since ``last_contact``."""
        self.ensure_one()
        if category == "prospect":
            return self._privacy_prospect_expiry(last_contact)
        return last_contact + relativedelta(months=self.privacy_other_months)

    def _privacy_idle_end(self, last_voucher):
        """When a customer relationship nobody ended counts as ended."""
        self.ensure_one()
        return last_voucher + relativedelta(months=self.privacy_customer_idle_months)

    def _privacy_voucher_retention_end(self, voucher_date):
        """Last day a voucher dated ``voucher_date`` must be kept.

        Accounting Act 2:10: six years from the end of the calendar year in
        which the financial year ended. The financial year follows the
        company's fiscal year settings, so a voucher of August 2024 in a
        fiscal year ending on 30 June 2025 is kept until 31.12.2031.
        """
        self.ensure_one()
        return voucher_retention_end(
            voucher_date,
            self.fiscalyear_last_day,
            int(self.fiscalyear_last_month),
            self.privacy_voucher_years,
        )
