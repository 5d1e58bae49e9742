# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.willsoft_privacy.tests.common import RetentionCommon


@tagged("post_install", "-at_install")
class TestCrmClock(RetentionCommon):
    def test_prospect_with_a_fresh_opportunity_is_kept(self):
        with freeze_time("2023-01-10"):
            partner = self.env["res.partner"].create(
                {"name": "Näkymä Oy", "is_company": True, "email": "info@nakyma.fi"}
            )
            person = self.env["res.partner"].create(
                {"name": "Näkymä Henkilö", "parent_id": partner.id}
            )
        self.assertEqual(partner.privacy_category, "other")
        self.assertEqual(partner.privacy_anonymise_date, date(2025, 1, 10))
        with freeze_time("2025-05-02"):
            lead = self.env["crm.lead"].create(
                {"name": "Licence", "partner_id": person.id, "type": "opportunity"}
            )
            # Core stamps these with the database clock, not the frozen one.
            lead.write(
                {
                    "date_open": "2025-05-02 09:00:00",
                    "date_last_stage_update": "2025-05-02 09:00:00",
                }
            )
        with freeze_time("2025-06-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(partner.privacy_stage, "none")
        self.assertEqual(partner.email, "info@nakyma.fi")
        self.assertTrue(lead.exists())
        self.assertEqual(partner.privacy_category, "prospect")
        self.assertEqual(person.privacy_category, "prospect")
        self.assertEqual(partner.privacy_last_contact_date, date(2025, 5, 2))
        self.assertEqual(partner.privacy_anonymise_date, date(2027, 5, 2))
        # Its own period: potential customers, not other contacts.
        self.company.privacy_prospect_months = 12
        self.assertEqual(partner.privacy_anonymise_date, date(2026, 5, 2))
        with freeze_time("2026-05-02"):
            self.engine._cron_privacy_retention()
        self.assertEqual(partner.privacy_stage, "anonymised")
        self.assertFalse(lead.exists())

    def test_a_sale_outranks_a_lead(self):
        partner = self.env["res.partner"].create(
            {"name": "Ostaja Oy", "is_company": True}
        )
        self.env["crm.lead"].create({"name": "Deal", "partner_id": partner.id})
        self.env["res.partner"]._privacy_refresh_clock()
        self.assertEqual(partner.privacy_category, "prospect")
        self.post_invoice(partner, "2025-03-01")
        self.env["res.partner"]._privacy_refresh_clock()
        self.assertEqual(partner.privacy_category, "customer")
