# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.willsoft_privacy.tests.common import RetentionCommon


@tagged("post_install", "-at_install")
class TestWebsiteClock(RetentionCommon):
    def test_a_logged_in_visit_is_contact(self):
        with freeze_time("2023-01-10"):
            partner = self.env["res.partner"].create(
                {"name": "Vierailija Oy", "is_company": True}
            )
            person = self.env["res.partner"].create(
                {"name": "Vierailija", "parent_id": partner.id}
            )
        with freeze_time("2025-04-20 10:00:00"):
            # As core records a logged-in user's visit: the partner's id as
            # access token, as superuser.
            visitor = (
                self.env["website.visitor"]
                .sudo()
                .create(
                    {
                        "access_token": str(person.id),
                        "website_id": self.env["website"].get_current_website().id,
                    }
                )
            )
        self.assertEqual(visitor.partner_id, person)
        with freeze_time("2025-06-01"):
            self.engine._cron_privacy_retention()
        self.assertEqual(partner.privacy_stage, "none")
        self.assertEqual(partner.privacy_last_contact_date, date(2025, 4, 20))
        self.assertEqual(partner.privacy_anonymise_date, date(2027, 4, 20))
